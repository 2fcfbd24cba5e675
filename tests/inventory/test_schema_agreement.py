"""The schema and the reader agree: what one rejects, the other rejects.

The schema describes the shape of the document that :func:`parse_inventory`
reads and :func:`dump_inventory` writes. Two directions are
checked: every document the package writes is valid under the schema, and
every document valid under the schema is read by the package, except where
one field must agree with another, which a schema cannot say.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator

from hyperv_backup import (
    Cluster,
    InventoryError,
    dump_inventory,
    load_example,
    parse_inventory,
)
from hyperv_backup.inventory import DEFAULT_LIMITS, Problem
from tests.inventory._shared_schema import (
    DEFS,
    DOCUMENT_KINDS,
    schema_errors,
)

# --- what the schema rejects, the package rejects ----------------------------------------


def _host() -> dict[str, Any]:
    return copy.deepcopy(dump_inventory(load_example("host")))


def _set(document: dict[str, Any], path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    node: Any = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return document


def _delete(document: dict[str, Any], path: tuple[str | int, ...]) -> dict[str, Any]:
    node: Any = document
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return document


DISK = ("vms", 0, "disks", 0)


#: Documents that are wrong in their shape alone: the schema and the package both reject them.
SHAPE_ERRORS: dict[str, dict[str, Any]] = {
    "no kind": _delete(_host(), ("kind",)),
    "unknown kind": _set(_host(), ("kind",), "server"),
    "kind on a node": {
        "kind": "cluster",
        "name": "C",
        "nodes": [{"kind": "host", "name": "N1", "os": "windows_server_2008"}],
    },
    "empty cluster": {"kind": "cluster", "name": "C", "nodes": []},
    "unknown key": _set(_host(), ("vms", 0, "colour"), "blue"),
    "unknown key in a volume": _set(_host(), (*DISK, "volumes", 0, "size"), 1),
    "missing required field": _delete(_host(), ("vms", 0, "state")),
    "enum in upper case": _set(_host(), ("vms", 0, "state"), "RUNNING"),
    "boolean as a string": _set(_host(), ("vms", 0, "integration_services"), "false"),
    "boolean as a number": _set(_host(), (*DISK, "volumes", 0, "vss_enabled"), 1),
    "name as a number": _set(_host(), ("name",), 1),
    "empty name": _set(_host(), ("vms", 0, "name"), ""),
    "white space name": _set(_host(), ("vms", 0, "name"), " \t\u3000"),
    "name over the length limit": _set(
        _host(), ("vms", 0, "id"), "x" * (DEFAULT_LIMITS.max_string + 1)
    ),
    "white space update": _set(_host(), ("installed_updates",), ["\u2028"]),
    "negative VLAN": _set(
        _host(), ("virtual_networks",), [{"name": "n", "kind": "private", "vlan_id": -1}]
    ),
    "VLAN above 4094": _set(
        _host(), ("virtual_networks",), [{"name": "n", "kind": "private", "vlan_id": 4095}]
    ),
    "VLAN as a string": _set(
        _host(), ("virtual_networks",), [{"name": "n", "kind": "private", "vlan_id": "5"}]
    ),
    "VLAN as a boolean": _set(
        _host(), ("virtual_networks",), [{"name": "n", "kind": "private", "vlan_id": True}]
    ),
    "array as an object": _set(_host(), ("vms", 0, "disks"), {"0": {}}),
    "snapshots as a string": _set(_host(), ("vms", 0, "snapshots"), "daily"),
    "null for a boolean": _set(_host(), ("vms", 0, "guest_inventoried"), None),
    "null for an array": _set(_host(), ("vms",), None),
    "path on a pass-through disk": _set(
        _set(_host(), (*DISK, "attachment"), "pass_through"), (*DISK, "vhd_type"), None
    ),
    "vhd_type on a guest iSCSI disk": _set(
        _set(_host(), (*DISK, "attachment"), "guest_iscsi"), (*DISK, "path"), None
    ),
}


@pytest.mark.parametrize("document", SHAPE_ERRORS.values(), ids=SHAPE_ERRORS.keys())
def test_shape_errors_are_rejected_by_schema_and_package(document: dict[str, Any]) -> None:
    """The schema says no where ``parse_inventory`` says no, for mistakes of shape."""
    assert schema_errors(document) != []
    with pytest.raises(InventoryError):
        parse_inventory(json.dumps(document))


def test_a_non_vhd_disk_may_state_null_path_and_vhd_type() -> None:
    """``path`` and ``vhd_type`` written as ``null`` are allowed on any disk, as dumped."""
    document = _set(_set(_host(), (*DISK, "path"), None), (*DISK, "vhd_type"), None)
    _set(document, (*DISK, "attachment"), "pass_through")
    assert schema_errors(document) == []
    parse_inventory(json.dumps(document))


# --- documents generated from the schema -------------------------------------------------


#: Problems only ``parse_inventory`` finds: one field must agree with another.
CROSS_FIELD = (
    # Duplicate VM, disk, volume, cluster group, node or virtual network names.
    re.compile(r"(^|\.)name$"),
    # A shadow storage naming a volume the VM does not have.
    re.compile(r"(^|\.)shadow_storage$"),
    # A clustered VM listed under a node that does not own its group.
    re.compile(r"(^|\.)cluster_group\.owner_node$"),
    # Snapshot names that are not those of the VM's checkpoints.
    re.compile(r"(^|\.)snapshots$"),
)


def cross_field_kind(problem: Problem) -> str | None:
    """Name the cross-field rule ``problem`` is about, or ``None`` when it is another kind."""
    message = problem.message
    if CROSS_FIELD[0].search(problem.path) and message.startswith("duplicate "):
        return "duplicate name"
    if CROSS_FIELD[1].search(problem.path) and "names a volume this VM does not have" in message:
        return "shadow storage"
    if CROSS_FIELD[2].search(problem.path) and "is listed under" in message:
        return "owner node"
    if CROSS_FIELD[3].search(problem.path) and "names of the checkpoints" in message:
        return "checkpoint names"
    return None


#: The most items a generated array holds, to keep documents small.
MAX_ITEMS = 2


def _ref_target(schema: object) -> str | None:
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    return ref.removeprefix("#/$defs/") if isinstance(ref, str) else None


def _holds_object(schema: dict[str, Any]) -> bool:
    """Tell whether a property holds objects of the inventory, directly or in an array."""
    targets = [_ref_target(schema), _ref_target(schema.get("items"))]
    targets += [_ref_target(choice) for choice in schema.get("anyOf", ())]
    return any(t is not None and DEFS[t].get("type") == "object" for t in targets)


def _inline(node: Any) -> Any:
    """Inline every ``$ref`` and cap array sizes, for hypothesis-jsonschema."""
    if isinstance(node, dict):
        target = _ref_target(node)
        if target is not None:
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return _inline({**DEFS[target], **rest})
        out = {key: _inline(value) for key, value in node.items() if key != "default"}
        if out.get("type") == "array":
            out["maxItems"] = MAX_ITEMS
        return out
    if isinstance(node, list):
        return [_inline(item) for item in node]
    return node


def _value_strategy(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Generate the values of one property.

    A property that holds objects of the inventory (an object, an object or
    null, an array of objects) is composed here, each object generated from its
    own definition; every other value comes from hypothesis-jsonschema, given
    the property's schema.
    """
    if not _holds_object(schema):
        return from_schema(_inline(schema))
    target = _ref_target(schema)
    if target is not None:
        return _object_strategy(target)
    if "anyOf" in schema:
        return st.one_of([_value_strategy(choice) for choice in schema["anyOf"]])
    assert schema["type"] == "array", schema
    least = schema.get("minItems", 0)
    return st.lists(_value_strategy(schema["items"]), min_size=least, max_size=MAX_ITEMS)


_OBJECT_STRATEGIES: dict[str, st.SearchStrategy[dict[str, Any]]] = {}


def _deferred_value(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    # Deferred: an object's strategy is built before those of the objects it holds.
    return st.deferred(lambda: _value_strategy(schema))


def _object_strategy(name: str) -> st.SearchStrategy[dict[str, Any]]:
    """Generate objects valid under the definition ``name``.

    Required properties are always present and optional ones sometimes; any
    rule about the object as a whole (``if`` / ``else`` on a disk) is kept by
    filtering with the definition itself.
    """
    if name not in _OBJECT_STRATEGIES:
        definition = DEFS[name]
        values = {key: _deferred_value(schema) for key, schema in definition["properties"].items()}
        required = definition["required"]
        whole = Draft202012Validator({"$defs": DEFS, "$ref": f"#/$defs/{name}"})
        _OBJECT_STRATEGIES[name] = st.fixed_dictionaries(
            {key: values[key] for key in required},
            optional={key: value for key, value in values.items() if key not in required},
        ).filter(whole.is_valid)
    return _OBJECT_STRATEGIES[name]


def documents_from_schema() -> st.SearchStrategy[dict[str, Any]]:
    """Generate whole documents from the schema: one of its top-level document kinds."""
    return st.one_of([_object_strategy(kind) for kind in DOCUMENT_KINDS.values()])


def test_generator_composes_only_the_forms_it_knows() -> None:
    """Objects are reached only as an object, an object or null, or an array of objects.

    Any other way of holding an object would be handed whole to
    hypothesis-jsonschema, which is not what the generator means to do.
    """
    forms = set()
    for definition in DEFS.values():
        for schema in definition.get("properties", {}).values():
            if _holds_object(schema):
                if _ref_target(schema) is not None:
                    forms.add("object")
                elif "anyOf" in schema:
                    assert schema["anyOf"][1] == {"type": "null"}
                    forms.add("object or null")
                else:
                    assert schema["type"] == "array"
                    forms.add("array")
            else:
                assert '"type": "object"' not in json.dumps(_inline(schema))
    assert forms == {"object or null", "array"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents_from_schema())
def test_documents_valid_under_the_schema_are_read(document: dict[str, Any]) -> None:
    """A document valid under the schema is read, or rejected only for a cross-field rule.

    The schema cannot say that names are unique (some without regard to case),
    that a shadow storage names a volume of the same VM, that a clustered
    VM is listed under the node that owns its group, or that the snapshot
    names are those of the VM's checkpoints; those are the only
    problems ``parse_inventory`` may find in it.
    """
    assert schema_errors(document) == []
    for given_as in (document, json.dumps(document)):
        problems: tuple[Problem, ...] = ()
        try:
            read = parse_inventory(given_as)
        except InventoryError as exc:
            problems = exc.problems
        else:
            assert schema_errors(dump_inventory(read)) == []
        assert [p for p in problems if cross_field_kind(p) is None] == []


@pytest.mark.parametrize(
    ("problem", "kind"),
    [
        (Problem("vms[1].name", "duplicate VM name 'a'"), "duplicate name"),
        (Problem("nodes[1].name", "duplicate node name 'n'"), "duplicate name"),
        (
            Problem(
                "vms[0].disks[0].volumes[0].shadow_storage",
                "names a volume this VM does not have: 'x'",
            ),
            "shadow storage",
        ),
        (
            Problem(
                "nodes[0].vms[0].cluster_group.owner_node",
                "VM 'a' is listed under 'n' but its group is owned by 'm'",
            ),
            "owner node",
        ),
        (
            Problem(
                "vms[0].snapshots",
                "expected the names of the checkpoints that are not Hyper-V Replica recovery "
                "points, ('a',), or none (they are then filled in), got ('b',)",
            ),
            "checkpoint names",
        ),
        (Problem("vms[0].snapshots", "expected a list or tuple, got the string 'a'"), None),
        (Problem("vms[0].name", "expected a non-empty name, got ''"), None),
        (Problem("vms[0].disks[0].path", "only a virtual hard disk has a host file path"), None),
        (Problem("nodes", "a cluster has at least one node, got none"), None),
    ],
)
def test_cross_field_kinds_are_told_apart(problem: Problem, kind: str | None) -> None:
    """The classification the generated-document test relies on, on known problems."""
    assert cross_field_kind(problem) == kind


def _hosts(document: dict[str, Any]) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = document.get("nodes", [document])
    return nodes


#: ``find`` settings: generation alone (the first match is enough; shrinking it is slow).
GENERATE_ONLY = settings(
    max_examples=1000, database=None, derandomize=True, phases=[Phase.generate]
)


def test_generated_documents_reach_deep_clusters() -> None:
    """The generator reaches clusters with clustered VMs, disks and volumes, not just stubs."""

    def deep(document: dict[str, Any]) -> bool:
        return document["kind"] == "cluster" and any(
            vm.get("cluster_group") is not None
            and any(disk.get("volumes") for disk in vm.get("disks", []))
            for node in _hosts(document)
            for vm in node.get("vms", [])
        )

    # Deep documents are rare among all the schema allows: give the search room.
    found = find(documents_from_schema(), deep, settings=settings(GENERATE_ONLY, max_examples=5000))
    assert deep(found)


def test_generated_documents_are_sometimes_read_whole() -> None:
    """Not every generated document trips a cross-field rule: some VMs with disks are read."""

    def read_with_disks(document: dict[str, Any]) -> bool:
        try:
            inventory = parse_inventory(document)
        except InventoryError:
            return False
        hosts = inventory.nodes if isinstance(inventory, Cluster) else (inventory,)
        return any(vm.disks for host in hosts for vm in host.vms)

    found = find(documents_from_schema(), read_with_disks, settings=GENERATE_ONLY)
    assert read_with_disks(found)
