"""The JSON Schema of the inventory format, and the documents the package writes.

The schema describes the shape of the document that :func:`parse_inventory`
reads and :func:`dump_inventory` writes. Two directions are
checked: every document the package writes is valid under the schema, and
every document valid under the schema is read by the package, except where
one field must agree with another, which a schema cannot say.
"""

from __future__ import annotations

import enum
import json
import re
import sys
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator

from hyperv_backup import (
    VM,
    Attachment,
    BackupApplication,
    Checkpoint,
    CheckpointType,
    Cluster,
    ClusterGroup,
    Disk,
    FileSystem,
    GuestDiskType,
    GuestOS,
    Host,
    HostOS,
    HostStorage,
    NetworkAdapter,
    NetworkKind,
    ReplicationRole,
    ResourceState,
    SnapshotType,
    VhdType,
    VirtualNetwork,
    VMState,
    Volume,
    dump_inventory,
    example_names,
    load_example,
    parse_inventory,
)
from hyperv_backup.inventory import DEFAULT_LIMITS
from hyperv_backup.model import FileServer, HostVolume
from tests.inventory._shared_schema import (
    DEFS,
    DOCUMENT_KINDS,
    SCHEMA,
    schema_errors,
)
from tests.strategies import inventories

#: Each object definition of the schema and the model class it describes.
OBJECTS: dict[str, type] = {
    "host": Host,
    "backup_application": BackupApplication,
    "file_server": FileServer,
    "host_volume": HostVolume,
    "virtual_network": VirtualNetwork,
    "vm": VM,
    "cluster_group": ClusterGroup,
    "checkpoint": Checkpoint,
    "network_adapter": NetworkAdapter,
    "disk": Disk,
    "volume": Volume,
}


#: Each enumeration of the schema and the package's enum.
ENUMS: dict[str, type[enum.StrEnum]] = {
    "vm_state": VMState,
    "file_system": FileSystem,
    "guest_disk_type": GuestDiskType,
    "attachment": Attachment,
    "vhd_type": VhdType,
    "host_storage": HostStorage,
    "resource_state": ResourceState,
    "host_os": HostOS,
    "network_kind": NetworkKind,
    "checkpoint_type": CheckpointType,
    "snapshot_type": SnapshotType,
    "guest_os": GuestOS,
    "replication_role": ReplicationRole,
}


# --- the schema itself -------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    """The file is a JSON Schema of draft 2020-12."""
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(SCHEMA)


def _objects(node: object) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("type") == "object":
            yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for item in node:
            yield from _objects(item)


def test_every_object_forbids_unknown_keys() -> None:
    """Unknown keys are errors : every object says ``additionalProperties: false``."""
    found = list(_objects(SCHEMA))
    assert len(found) == len(OBJECTS) + 3  # the two documents and the top level
    top, *described = found
    assert top is SCHEMA
    for node in described:
        assert node["additionalProperties"] is False, node["title"]


@pytest.mark.parametrize(("definition", "cls"), OBJECTS.items())
def test_object_definitions_have_the_model_fields(definition: str, cls: type) -> None:
    """Each object definition lists the model's fields; the required ones have no default."""
    fields = attrs.fields(cls)
    schema = DEFS[definition]
    assert list(schema["properties"]) == [f.name for f in fields]
    assert schema["required"] == [f.name for f in fields if f.default is attrs.NOTHING]


def test_kind_chooses_the_document_definition() -> None:
    """``kind`` is ``host`` or ``cluster`` , and picks the definition that applies."""
    assert SCHEMA["required"] == ["kind"]
    assert SCHEMA["properties"]["kind"]["enum"] == ["host", "cluster"]
    assert DOCUMENT_KINDS == {"host": "host_document", "cluster": "cluster_document"}


def test_top_level_documents_add_kind_to_host_and_cluster() -> None:
    """A top-level host or cluster carries ``kind`` and may carry ``$schema``; nested hosts do not."""
    host = DEFS["host_document"]
    assert host["properties"]["kind"] == {"const": "host"}
    top = {"kind", "$schema"}
    assert {k: v for k, v in host["properties"].items() if k not in top} == DEFS["host"][
        "properties"
    ]
    for document in (host, DEFS["cluster_document"]):
        assert document["properties"]["$schema"]["type"] == "string"
        assert "$schema" not in document["required"]
    assert host["required"] == ["kind", *DEFS["host"]["required"]]
    cluster = DEFS["cluster_document"]
    assert cluster["properties"]["kind"] == {"const": "cluster"}
    assert list(cluster["properties"]) == [
        "$schema",
        "kind",
        *(f.name for f in attrs.fields(Cluster)),
    ]
    assert cluster["required"] == ["kind", "name", "nodes"]
    assert "kind" not in DEFS["host"]["properties"]


@pytest.mark.parametrize(("definition", "cls"), ENUMS.items())
def test_schema_enums_are_the_package_enums(definition: str, cls: type[enum.StrEnum]) -> None:
    """The schema's enum lists are the package's enums, member for member, in order."""
    assert DEFS[definition]["enum"] == [member.value for member in cls]


def test_schema_covers_every_inventory_enum() -> None:
    """No enum the model uses in an inventory is missing from the schema."""
    used: set[type] = set()
    for cls in OBJECTS.values():
        for field in attrs.fields(attrs.resolve_types(cls)):
            hint = field.type
            for candidate in (*getattr(hint, "__args__", ()), hint):
                if isinstance(candidate, type) and issubclass(candidate, enum.StrEnum):
                    used.add(candidate)
    assert used == set(ENUMS.values())


def test_name_pattern_matches_exactly_the_names_the_model_accepts() -> None:
    r"""A name is not empty and not only white space, as ``str.isspace`` defines white space.

    The pattern spells the white space characters out instead of using ``\S``,
    whose meaning differs between regular expression dialects.
    """
    assert "\\s" not in DEFS["name"]["pattern"].lower()
    pattern = re.compile(DEFS["name"]["pattern"])
    assert DEFS["name"]["minLength"] == 1
    mismatched = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if (pattern.search(chr(code)) is None) != chr(code).isspace()
    ]
    assert mismatched == []


def test_name_length_is_the_default_string_limit() -> None:
    """Strings longer than the default limit are refused, so the schema refuses them too."""
    assert DEFAULT_LIMITS.max_string == DEFS["name"]["maxLength"]
    longest = {"kind": "host", "name": "h" * DEFAULT_LIMITS.max_string, "os": "windows_server_2008"}
    assert schema_errors(longest) == []
    assert parse_inventory(json.dumps(longest)).name == longest["name"]


# --- documents the package writes are valid ----------------------------------------------


@pytest.mark.parametrize("name", example_names())
def test_bundled_examples_are_valid(name: str) -> None:
    """Both bundled examples, as written by ``dump_inventory``, are valid."""
    assert schema_errors(dump_inventory(load_example(name))) == []


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(inventories())
def test_every_dumped_inventory_is_valid(inventory: Host | Cluster) -> None:
    """``dump_inventory`` of any valid inventory is valid under the schema."""
    assert schema_errors(dump_inventory(inventory)) == []


def _without_defaults(document: object) -> object:
    """Drop every optional field whose value is its default."""
    defaults: dict[str, object] = {
        "vss_enabled": True,
        "shadow_storage": None,
        "guest_disk_type": "basic",
        "volumes": [],
        "path": None,
        "vhd_type": None,
        "host_storage": "local",
        "virtual_network": None,
        "integration_services": True,
        "backup_integration_service": True,
        "disks": [],
        "network_adapters": [],
        "snapshots": [],
        "cluster_group": None,
        "id": None,
        "guest_inventoried": True,
        "physical_adapter": None,
        "vlan_id": None,
        "uses_hyperv_vss_writer": True,
        "is_windows_server_backup": False,
        "hyperv_writer_registered": True,
        "vms": [],
        "virtual_networks": [],
        "installed_updates": [],
        "backup_application": None,
    }
    if isinstance(document, dict):
        return {
            key: _without_defaults(value)
            for key, value in document.items()
            if not (
                key in defaults and value == defaults[key] and type(value) is type(defaults[key])
            )
        }
    if isinstance(document, list):
        return [_without_defaults(item) for item in document]
    return document


@pytest.mark.parametrize("name", example_names())
def test_documents_that_leave_out_defaults_are_valid(name: str) -> None:
    """Omitted fields take their defaults: a document without them is valid too."""
    document = dump_inventory(load_example(name))
    short = _without_defaults(document)
    assert short != document
    assert schema_errors(short) == []
    assert parse_inventory(json.dumps(short)) == load_example(name)


def test_schema_documentation_default_values_are_the_model_defaults() -> None:
    """Each ``default`` the schema states is the model's default for that field."""
    for definition, cls in OBJECTS.items():
        properties = DEFS[definition]["properties"]
        for field in attrs.fields(cls):
            if field.default is attrs.NOTHING:
                assert "default" not in properties[field.name]
                continue
            model_default = dump_inventory_value(field.default)
            stated = properties[field.name].get("default", None)
            assert stated == model_default, f"{definition}.{field.name}"


def dump_inventory_value(value: object) -> object:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | frozenset):
        return list(value)
    return value
