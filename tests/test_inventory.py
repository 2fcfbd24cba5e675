"""Inventory I/O (SPEC section 7): parse_inventory, read_inventory and dump_inventory.

Reading is strict and total: any input that is not a valid inventory raises
:class:`InventoryError` (a ``ValueError``) whose ``path`` and message name the
place, and never any other exception. Writing gives every field, sets sorted,
so that one model always gives one document.
"""

from __future__ import annotations

import codecs
import json
import re
import string
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hyperv_backup import (
    Cluster,
    Host,
    HostOS,
    InventoryError,
    dump_inventory,
    example_names,
    load_example,
    parse_inventory,
    read_inventory,
)
from hyperv_backup.examples import example_text
from hyperv_backup.inventory import Problem
from tests.strategies import inventories

# --- documents and helpers -------------------------------------------------------------


def _cluster_document() -> dict[str, Any]:
    """Return a valid two-node cluster with every kind of nested object."""
    return {
        "kind": "cluster",
        "name": "HVCLUSTER01",
        "nodes": [
            {
                "name": "HV-NODE1",
                "os": "windows_server_2008_r2",
                "vms": [
                    {
                        "name": "SQL01",
                        "state": "running",
                        "disks": [
                            {
                                "name": "System",
                                "attachment": "virtual_hard_disk",
                                "volumes": [{"name": "C:", "file_system": "ntfs"}],
                                "path": "C:\\ClusterStorage\\Volume1\\SQL01.vhd",
                                "vhd_type": "fixed",
                                "host_storage": "cluster_shared_volume",
                            }
                        ],
                        "cluster_group": {
                            "name": "SQL01 Resources",
                            "owner_node": "HV-NODE1",
                            "cluster_resource": "online",
                            "configuration_resource": "online",
                            "storage_resource": "online",
                        },
                    }
                ],
                "virtual_networks": [{"name": "Production", "kind": "external", "vlan_id": 20}],
                "installed_updates": ["KB958184"],
                "backup_application": {
                    "name": "Windows Server Backup",
                    "is_windows_server_backup": True,
                },
            },
            {
                "name": "HV-NODE2",
                "os": "windows_server_2008_r2",
                "vms": [
                    {
                        "name": "WEB01",
                        "state": "off",
                        "integration_services": True,
                        "disks": [
                            {
                                "name": "System",
                                "attachment": "virtual_hard_disk",
                                "volumes": [
                                    {"name": "C:", "file_system": "ntfs", "shadow_storage": "e:"},
                                    {"name": "E:", "file_system": "ntfs", "vss_enabled": False},
                                ],
                            },
                            {"name": "Logs", "attachment": "pass_through"},
                        ],
                        "network_adapters": [
                            {"name": "Network Adapter", "virtual_network": "Production"}
                        ],
                        "snapshots": ["Before SP1"],
                        "cluster_group": {
                            "name": "WEB01 Resources",
                            "owner_node": "hv-node2",
                            "cluster_resource": "offline",
                            "configuration_resource": "online",
                            "storage_resource": "online",
                        },
                    }
                ],
            },
        ],
    }


def _host_document() -> dict[str, Any]:
    """Return a valid standalone host."""
    return {
        "kind": "host",
        "name": "HV-STANDALONE01",
        "os": "windows_server_2012_r2",
        "vms": [
            {
                "name": "DC01",
                "state": "running",
                "disks": [{"name": "System", "attachment": "virtual_hard_disk"}],
            }
        ],
    }


_BASES = {"cluster": _cluster_document, "host": _host_document}

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _steps(path: str) -> list[str | int]:
    """Split ``nodes[1].vms[0].name`` into ``["nodes", 1, "vms", 0, "name"]``."""
    return [int(index) if index else key for key, index in _STEP.findall(path)]


class _Delete:
    """Marks an edit that removes the key or item at a path."""


DELETE = _Delete()


def _edited(base: str, *edits: tuple[str, object]) -> dict[str, Any]:
    """Return a fresh base document with each ``(path, value)`` edit applied."""
    document = _BASES[base]()
    for path, value in edits:
        *parents, last = _steps(path)
        container: Any = document
        for step in parents:
            container = container[step]
        if isinstance(value, _Delete):
            del container[last]
        elif isinstance(container, list) and last == len(container):
            container.append(value)
        else:
            container[last] = value
    return document


def _error(data: str | bytes | dict[str, Any]) -> InventoryError:
    with pytest.raises(InventoryError) as info:
        parse_inventory(data)
    return info.value


def _paths(error: InventoryError) -> list[str]:
    return [problem.path for problem in error.problems]


def _with_marker(document: dict[str, Any], path: str, replacement: str) -> str:
    """Return the document as JSON text with the value at ``path`` replaced by raw text."""
    marker = "\u0000MARKER\u0000"
    *parents, last = _steps(path)
    container: Any = document
    for step in parents:
        container = container[step]
    container[last] = marker
    text = json.dumps(document, indent=2)
    quoted = json.dumps(marker)
    assert text.count(quoted) == 1
    return text.replace(quoted, replacement)


def _deeply_nested(depth: int) -> list[Any]:
    """Return a list nested ``depth`` levels deep, built without recursion."""
    root: list[Any] = []
    current = root
    for _ in range(depth - 1):
        child: list[Any] = []
        current.append(child)
        current = child
    return root


# --- the bundled examples and round trips ----------------------------------------------


@pytest.mark.parametrize("name", ["cluster", "host"])
def test_example_round_trip(name: str) -> None:
    """dump_inventory is the inverse of parse_inventory on the bundled examples."""
    inventory = load_example(name)
    assert isinstance(inventory, Cluster if name == "cluster" else Host)
    dumped = dump_inventory(inventory)
    assert parse_inventory(dumped) == inventory
    assert parse_inventory(json.dumps(dumped)) == inventory


@pytest.mark.parametrize("name", sorted(example_names()))
def test_example_files_are_written_in_full(name: str) -> None:
    """The example files hold exactly what dump_inventory writes: every field, sets sorted."""
    assert dump_inventory(load_example(name)) == json.loads(example_text(name))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inventories())
def test_round_trip(inventory: Host | Cluster) -> None:
    """parse_inventory(dump_inventory(x)) == x, from the mapping and from its JSON text."""
    dumped = dump_inventory(inventory)
    assert parse_inventory(dumped) == inventory
    text = json.dumps(dumped)
    assert parse_inventory(text) == inventory
    assert parse_inventory(text.encode("utf-8")) == inventory


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inventories())
def test_dump_is_deterministic(inventory: Host | Cluster) -> None:
    """Equal models give byte-identical JSON, even when built separately (sets are sorted)."""
    first = json.dumps(dump_inventory(inventory), sort_keys=False)
    rebuilt = parse_inventory(json.loads(first))
    assert rebuilt == inventory
    assert json.dumps(dump_inventory(rebuilt), sort_keys=False) == first
    assert json.dumps(dump_inventory(inventory), sort_keys=False) == first
    nodes = inventory.nodes if isinstance(inventory, Cluster) else (inventory,)
    dumped_nodes = (
        dump_inventory(inventory)["nodes"]
        if isinstance(inventory, Cluster)
        else [dump_inventory(inventory)]
    )
    for node, dumped in zip(nodes, dumped_nodes, strict=True):
        assert dumped["installed_updates"] == sorted(node.installed_updates)


def test_installed_updates_written_sorted() -> None:
    """installed_updates is written sorted, whatever the order or case it was given in."""
    updates = [f"KB{n}" for n in range(958100, 958300, 7)]
    forward = Host(name="HV", os=HostOS.WINDOWS_SERVER_2008_R2, installed_updates=updates)
    backward = Host(
        name="HV",
        os=HostOS.WINDOWS_SERVER_2008_R2,
        installed_updates=[u.lower() for u in reversed(updates)],
    )
    assert forward == backward
    assert dump_inventory(forward)["installed_updates"] == sorted(updates)
    assert json.dumps(dump_inventory(forward)) == json.dumps(dump_inventory(backward))


def _check_written_in_full(model: object, dumped: object, where: str) -> None:
    """Walk a model and its dump together: every attrs field is a key, values are plain JSON."""
    if attrs.has(type(model)):
        assert isinstance(dumped, dict), where
        names = [f.name for f in attrs.fields(type(model))]  # type: ignore[arg-type]
        # The top level also carries the kind of inventory, first.
        expected = ["kind", *names] if where == "" else names
        assert list(dumped) == expected, where
        for name in names:
            _check_written_in_full(getattr(model, name), dumped[name], f"{where}.{name}")
    elif isinstance(model, tuple | frozenset):
        assert type(dumped) is list, where
        items = sorted(model) if isinstance(model, frozenset) else model
        assert len(dumped) == len(items), where
        for index, (item, written) in enumerate(zip(items, dumped, strict=True)):
            _check_written_in_full(item, written, f"{where}[{index}]")
    else:
        # Enums are written as their plain string value, not as the member.
        assert type(dumped) in {str, int, bool, type(None)}, where
        assert dumped == model, where


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inventories())
def test_dump_writes_every_field(inventory: Host | Cluster) -> None:
    """dump_inventory writes every field of every object, defaults included, as plain JSON values."""
    dumped = dump_inventory(inventory)
    assert type(dumped) is dict
    assert next(iter(dumped)) == "kind"
    assert dumped["kind"] == ("cluster" if isinstance(inventory, Cluster) else "host")
    _check_written_in_full(inventory, dumped, "")


def test_dump_writes_defaults() -> None:
    """Fields left at their defaults are still written."""
    dumped = dump_inventory(parse_inventory(_host_document()))
    vm = dumped["vms"][0]
    assert vm["integration_services"] is True
    assert vm["cluster_group"] is None
    assert vm["snapshots"] == []
    assert vm["disks"][0]["guest_disk_type"] == "basic"
    assert vm["disks"][0]["host_storage"] == "local"
    assert dumped["installed_updates"] == []
    assert dumped["backup_application"] is None


# --- bad documents ---------------------------------------------------------------------

#: (base document, edits, expected path, fragment of the message)
BAD_DOCUMENTS = [
    # Unknown keys, at several depths.
    pytest.param("cluster", [("nmae", "X")], "nmae", "unknown", id="unknown-top"),
    pytest.param(
        "cluster",
        [("nodes[1].installed_update", [])],
        "nodes[1].installed_update",
        "unknown",
        id="unknown-node",
    ),
    pytest.param(
        "cluster",
        [("nodes[0].vms[0].disks[0].volumes[0].vss_enable", True)],
        "nodes[0].vms[0].disks[0].volumes[0].vss_enable",
        "unknown",
        id="unknown-volume",
    ),
    pytest.param(
        "cluster",
        [("nodes[1].vms[0].cluster_group.owner", "HV-NODE2")],
        "nodes[1].vms[0].cluster_group.owner",
        "unknown",
        id="unknown-group",
    ),
    pytest.param(
        "cluster",
        [("nodes[0].backup_application.uses_vss_writer", True)],
        "nodes[0].backup_application.uses_vss_writer",
        "unknown",
        id="unknown-application",
    ),
    pytest.param("host", [("vms[0].State", "off")], "vms[0].State", "unknown", id="unknown-case"),
    # Missing required fields.
    pytest.param("cluster", [("name", DELETE)], "name", "required", id="missing-cluster-name"),
    pytest.param("cluster", [("nodes", DELETE)], "nodes", "required", id="missing-nodes"),
    pytest.param("cluster", [("nodes[0].os", DELETE)], "nodes[0].os", "required", id="missing-os"),
    pytest.param(
        "cluster",
        [("nodes[1].vms[0].state", DELETE)],
        "nodes[1].vms[0].state",
        "required",
        id="missing-state",
    ),
    pytest.param(
        "cluster",
        [("nodes[0].vms[0].disks[0].attachment", DELETE)],
        "nodes[0].vms[0].disks[0].attachment",
        "required",
        id="missing-attachment",
    ),
    pytest.param(
        "cluster",
        [("nodes[1].vms[0].disks[0].volumes[1].file_system", DELETE)],
        "nodes[1].vms[0].disks[0].volumes[1].file_system",
        "required",
        id="missing-file-system",
    ),
    pytest.param(
        "cluster",
        [("nodes[0].vms[0].cluster_group.storage_resource", DELETE)],
        "nodes[0].vms[0].cluster_group.storage_resource",
        "required",
        id="missing-storage-resource",
    ),
    pytest.param(
        "cluster",
        [("nodes[0].virtual_networks[0].kind", DELETE)],
        "nodes[0].virtual_networks[0].kind",
        "required",
        id="missing-network-kind",
    ),
    pytest.param(
        "cluster",
        [("nodes[1].vms[0].network_adapters[0].name", DELETE)],
        "nodes[1].vms[0].network_adapters[0].name",
        "required",
        id="missing-adapter-name",
    ),
    # Wrong JSON types, never coerced.
    pytest.param(
        "cluster",
        [("nodes[1].vms[0].integration_services", "false")],
        "nodes[1].vms[0].integration_services",
        "'false'",
        id="bool-as-string",
    ),
    pytest.param(
        "cluster",
        [("nodes[1].vms[0].disks[0].volumes[1].vss_enabled", 0)],
        "nodes[1].vms[0].disks[0].volumes[1].vss_enabled",
        "true or false",
        id="bool-as-number",
    ),
    pytest.param(
        "cluster",
        [("nodes[0].backup_application.is_windows_server_backup", None)],
        "nodes[0].backup_application.is_windows_server_backup",
        "null",
        id="bool-as-null",
    ),
    pytest.param(
        "cluster", [("nodes[0].name", 1)], "nodes[0].name", "string", id="string-as-number"
    ),
    pytest.param(
        "cluster",
        [("nodes[1].vms[0].snapshots[0]", 1)],
        "nodes[1].vms[0].snapshots[0]",
        "string",
        id="snapshot-as-number",
    ),
    pytest.param(
        "cluster",
        [("nodes[0].installed_updates[0]", 958184)],
        "nodes[0].installed_updates[0]",
        "958184",
        id="update-as-number",
    ),
    pytest.param(
        "cluster",
        [("nodes[0].vms[0].id", True)],
        "nodes[0].vms[0].id",
        "string",
        id="string-as-bool",
    ),
    pytest.param(
        "cluster",
        [("nodes[0].virtual_networks[0].vlan_id", "20")],
        "nodes[0].virtual_networks[0].vlan_id",
        "'20'",
        id="int-as-string",
    ),
    pytest.param(
        "cluster",
        [("nodes[0].virtual_networks[0].vlan_id", True)],
        "nodes[0].virtual_networks[0].vlan_id",
        "integer",
        id="int-as-bool",
    ),
    pytest.param(
        "cluster",
        [("nodes[0].virtual_networks[0].vlan_id", 20.0)],
        "nodes[0].virtual_networks[0].vlan_id",
        "integer",
        id="int-as-float",
    ),
    pytest.param(
        "cluster",
        [("nodes[1].vms[0].disks", "System")],
        "nodes[1].vms[0].disks",
        "array",
        id="array-as-string",
    ),
    pytest.param(
        "cluster",
        [("nodes[0].installed_updates", "KB958184")],
        "nodes[0].installed_updates",
        "array",
        id="set-as-string",
    ),
    pytest.param(
        "cluster", [("nodes[0].vms", {"SQL01": {}})], "nodes[0].vms", "array", id="array-as-object"
    ),
    pytest.param("cluster", [("nodes", None)], "nodes", "array", id="array-as-null"),
    pytest.param(
        "cluster",
        [("nodes[1].vms[0].cluster_group", [])],
        "nodes[1].vms[0].cluster_group",
        "object",
        id="object-as-array",
    ),
    pytest.param(
        "cluster",
        [("nodes[0].backup_application", "Windows Server Backup")],
        "nodes[0].backup_application",
        "object",
        id="object-as-string",
    ),
    pytest.param(
        "cluster",
        [("nodes[1].vms[0].disks[1]", ["Logs", "pass_through"])],
        "nodes[1].vms[0].disks[1]",
        "object",
        id="item-as-array",
    ),
    pytest.param(
        "cluster", [("nodes[0].vms[0].name", None)], "nodes[0].vms[0].name", "null", id="name-null"
    ),
    pytest.param(
        "cluster",
        [("nodes[0].vms[0].cluster_group.owner_node", None)],
        "nodes[0].vms[0].cluster_group.owner_node",
        "null",
        id="owner-null",
    ),
    pytest.param(
        "cluster",
        [("nodes[1].vms[0].state", None)],
        "nodes[1].vms[0].state",
        "null",
        id="enum-null",
    ),
    pytest.param("host", [("os", 2012)], "os", "2012", id="enum-as-number"),
    # Enum spellings.
    pytest.param(
        "cluster",
        [("nodes[0].vms[0].disks[0].attachment", "usb")],
        "nodes[0].vms[0].disks[0].attachment",
        "'usb'",
        id="enum-attachment",
    ),
    pytest.param(
        "cluster",
        [("nodes[1].vms[0].state", "Running")],
        "nodes[1].vms[0].state",
        "'Running'",
        id="enum-case",
    ),
    pytest.param(
        "cluster",
        [("nodes[0].os", "windows_server_2008r2")],
        "nodes[0].os",
        "'windows_server_2008r2'",
        id="enum-os",
    ),
    pytest.param(
        "cluster",
        [("nodes[1].vms[0].disks[0].volumes[0].file_system", "NTFS")],
        "nodes[1].vms[0].disks[0].volumes[0].file_system",
        "'NTFS'",
        id="enum-file-system",
    ),
    pytest.param(
        "cluster",
        [("nodes[0].vms[0].disks[0].vhd_type", "dynamic")],
        "nodes[0].vms[0].disks[0].vhd_type",
        "'dynamic'",
        id="enum-vhd-type",
    ),
    pytest.param(
        "cluster",
        [("nodes[0].vms[0].disks[0].host_storage", "csv")],
        "nodes[0].vms[0].disks[0].host_storage",
        "'csv'",
        id="enum-host-storage",
    ),
    pytest.param(
        "cluster",
        [("nodes[1].vms[0].cluster_group.cluster_resource", "up")],
        "nodes[1].vms[0].cluster_group.cluster_resource",
        "'up'",
        id="enum-resource",
    ),
    pytest.param(
        "cluster",
        [("nodes[0].virtual_networks[0].kind", "bridged")],
        "nodes[0].virtual_networks[0].kind",
        "'bridged'",
        id="enum-network-kind",
    ),
    pytest.param(
        "host",
        [("vms[0].disks[0].guest_disk_type", "spanned")],
        "vms[0].disks[0].guest_disk_type",
        "'spanned'",
        id="enum-host-document",
    ),
    # What the model refuses, reported at its place in the document.
    pytest.param(
        "cluster",
        [("nodes[1].vms[0].disks[0].volumes[1].shadow_storage", "F:")],
        "nodes[1].vms[0].disks[0].volumes[1].shadow_storage",
        "'F:'",
        id="shadow-storage-missing",
    ),
    pytest.param(
        "cluster",
        [("nodes[1].vms[0].name", "SQL01")],
        "nodes[1].vms[0].name",
        "'SQL01'",
        id="duplicate-vm-across-nodes",
    ),
    pytest.param(
        "cluster",
        [("nodes[1].vms[0].cluster_group.owner_node", "HV-NODE1")],
        "nodes[1].vms[0].cluster_group.owner_node",
        "'HV-NODE1'",
        id="vm-under-wrong-node",
    ),
    pytest.param(
        "cluster",
        [("nodes[1].name", "hv-node1"), ("nodes[1].vms[0].cluster_group.owner_node", "hv-node1")],
        "nodes[1].name",
        "'hv-node1'",
        id="duplicate-node",
    ),
    pytest.param(
        "cluster",
        [("nodes[1].vms[0].cluster_group.name", "sql01 resources")],
        "nodes[1].vms[0].cluster_group.name",
        "'sql01 resources'",
        id="duplicate-group-across-nodes",
    ),
    pytest.param(
        "cluster",
        [("nodes[1].vms[0].disks[1].name", "System")],
        "nodes[1].vms[0].disks[1].name",
        "'System'",
        id="duplicate-disk",
    ),
    pytest.param(
        "cluster",
        [("nodes[1].vms[0].disks[0].volumes[1].name", "c:")],
        "nodes[1].vms[0].disks[0].volumes[1].name",
        "'c:'",
        id="duplicate-volume",
    ),
    pytest.param(
        "cluster",
        [("nodes[0].virtual_networks[1]", {"name": "PRODUCTION", "kind": "private"})],
        "nodes[0].virtual_networks[1].name",
        "'PRODUCTION'",
        id="duplicate-network",
    ),
    pytest.param(
        "cluster",
        [("nodes[0].vms[0].disks[0].attachment", "pass_through")],
        "nodes[0].vms[0].disks[0].path",
        "pass_through",
        id="vhd-path-on-pass-through",
    ),
    pytest.param(
        "cluster",
        [("nodes[0].virtual_networks[0].vlan_id", 4095)],
        "nodes[0].virtual_networks[0].vlan_id",
        "4095",
        id="vlan-too-high",
    ),
    pytest.param(
        "cluster",
        [("nodes[0].virtual_networks[0].vlan_id", -1)],
        "nodes[0].virtual_networks[0].vlan_id",
        "-1",
        id="vlan-negative",
    ),
    pytest.param(
        "cluster", [("nodes[1].vms[0].name", "")], "nodes[1].vms[0].name", "''", id="empty-name"
    ),
    pytest.param(
        "cluster",
        [("nodes[0].installed_updates[0]", "  ")],
        "nodes[0].installed_updates[0]",
        "'  '",
        id="blank-update",
    ),
    pytest.param("cluster", [("nodes", [])], "nodes", "node", id="no-nodes"),
    # The top-level kind.
    pytest.param("cluster", [("kind", DELETE)], "kind", "required", id="kind-missing"),
    pytest.param("cluster", [("kind", "Cluster")], "kind", "'Cluster'", id="kind-case"),
    pytest.param("host", [("kind", "vm")], "kind", "'vm'", id="kind-unknown"),
    pytest.param("host", [("kind", "")], "kind", "''", id="kind-empty"),
    pytest.param("host", [("kind", None)], "kind", "null", id="kind-null"),
    pytest.param("host", [("kind", 1)], "kind", "1", id="kind-number"),
    pytest.param("host", [("kind", ["host"])], "kind", "array", id="kind-array"),
    pytest.param("host", [("kind", "cluster")], "nodes", "required", id="kind-wrong-for-body"),
]


@pytest.mark.parametrize(("base", "edits", "path", "fragment"), BAD_DOCUMENTS)
def test_bad_document(base: str, edits: list[tuple[str, object]], path: str, fragment: str) -> None:
    """A bad document raises InventoryError whose path and message name the place and the fault.

    The same problems are reported for the JSON text, its UTF-8 bytes and the
    already-parsed mapping.
    """
    document = _edited(base, *edits)
    text = json.dumps(document, indent=2)
    error = _error(text)
    assert isinstance(error, ValueError)
    assert error.path == path
    assert error.problems[0].path == path
    assert fragment in error.problems[0].message
    if "kind" not in dict(edits):
        # One fault, one problem: nothing else in the document is blamed.
        assert len(error.problems) == 1, error.problems
    assert str(error).splitlines()[0] == f"{path or '<document>'}: {error.problems[0].message}"
    assert _error(text.encode("utf-8")).problems == error.problems
    assert _error(document).problems == error.problems


def test_base_documents_are_valid() -> None:
    """The documents the bad cases are made from are valid, so each case fails for its edit."""
    cluster = parse_inventory(_cluster_document())
    assert isinstance(cluster, Cluster)
    assert [n.name for n in cluster.nodes] == ["HV-NODE1", "HV-NODE2"]
    assert isinstance(parse_inventory(_host_document()), Host)


@pytest.mark.parametrize(
    ("text", "described"),
    [
        ("[]", "array"),
        ('[{"kind": "host"}]', "array"),
        ("42", "number"),
        ("-1.5", "number"),
        ('"host"', "string"),
        ("null", "null"),
        ("true", "boolean"),
    ],
)
def test_top_level_must_be_an_object(text: str, described: str) -> None:
    """A document that is not a JSON object is rejected at the document level (empty path)."""
    error = _error(text)
    assert error.path == ""
    assert "object" in str(error)
    assert described in str(error)
    assert str(error).startswith("<document>: ")


def test_empty_object_needs_kind() -> None:
    """An empty object lacks the top-level kind."""
    assert _error("{}").path == "kind"


# --- multiple problems -----------------------------------------------------------------


def test_all_problems_reported() -> None:
    """Independent problems in different places are all listed in .problems, one per line."""
    document = _edited(
        "cluster",
        ("nodes[0].vms[0].integration_services", "false"),
        ("nodes[0].virtual_networks[0].vlan_id", 5000),
        ("nodes[1].vms[0].disks[0].attachment", "usb"),
        ("nodes[1].zzz", 1),
    )
    error = _error(json.dumps(document))
    assert sorted(_paths(error)) == sorted(
        [
            "nodes[0].vms[0].integration_services",
            "nodes[0].virtual_networks[0].vlan_id",
            "nodes[1].vms[0].disks[0].attachment",
            "nodes[1].zzz",
        ]
    )
    assert error.path == error.problems[0].path
    lines = str(error).splitlines()
    assert lines == [f"{p.path}: {p.message}" for p in error.problems]
    assert all(isinstance(p, Problem) for p in error.problems)


def test_missing_top_level_fields_all_reported() -> None:
    """Every missing required field is reported, not only the first."""
    assert sorted(_paths(_error('{"kind": "host"}'))) == ["name", "os"]
    assert sorted(_paths(_error('{"kind": "cluster"}'))) == ["name", "nodes"]


def test_bad_enum_reported_beside_nested_problem() -> None:
    """A bad enum spelling is reported even when a nested object of the same VM is also bad.

    ``problems`` lists everything found wrong: an unknown state spelling is a
    fact about the VM's own field and does not depend on its disks.
    """
    document = _edited(
        "cluster",
        ("nodes[1].vms[0].state", "Running"),
        ("nodes[1].vms[0].disks[0].attachment", "usb"),
    )
    assert sorted(_paths(_error(json.dumps(document)))) == [
        "nodes[1].vms[0].disks[0].attachment",
        "nodes[1].vms[0].state",
    ]


# --- JSON-level faults -----------------------------------------------------------------

_HOST_TEXT = '{"kind": "host", "name": "HV", "os": "windows_server_2008_r2"}'


def test_duplicate_key_at_top_level() -> None:
    """A key repeated in one object is an error (never "last one wins"), at that object's path."""
    error = _error('{"kind": "host", "name": "HV-A", "os": "windows_server_2008", "name": "HV-B"}')
    assert error.path == ""
    assert "'name'" in str(error)
    assert "duplicate" in str(error)


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("nodes[1].vms[0].disks[0].__DUP__", '"name": "System", "name": "Data"'),
        ("nodes[0].vms[0].cluster_group.__DUP__", '"owner_node": "HV-NODE1", "owner_node": "x"'),
        ("nodes[1].__DUP__", '"os": "windows_server_2008_r2", "os": "windows_server_2008_r2"'),
    ],
)
def test_duplicate_key_nested(path: str, raw: str) -> None:
    """A repeated key is reported with the path of the object that holds it, even if both values agree."""
    document = _cluster_document()
    *parents, _ = _steps(path)
    container: Any = document
    for step in parents:
        container = container[step]
    key = raw.split(":", maxsplit=1)[0]
    del container[json.loads(key)]
    container["__DUP__"] = 0
    text = json.dumps(document).replace('"__DUP__": 0', raw)
    error = _error(text)
    holder = path.removesuffix(".__DUP__")
    assert _paths(error) == [holder]
    assert repr(json.loads(key)) in str(error)


#: Documents where a repeated key's dropped value itself held a repeated key:
#: (text, path of the object holding the repeated key that stays, that key).
NESTED_DUPLICATES = [
    ('{"x": {"a": {"b": {"e": {}}, "b": {"c": {}}}, "a": {"d": {}}}}', "x", "a"),
    (
        '{"x": {"a": {"b": {}, "b": {}}, "a": {}}, "y": {"a": {"b": {}, "b": {}}, "a": {}}}',
        "x",
        "a",
    ),
    ('{"p": {"x": {"a": {"b": {"e": {}}, "b": {"c": {}}}, "a": {"d": {}}}}}', "p.x", "a"),
    (
        '{"kind": "host", "name": "HV", "os": "windows_server_2008", "backup_application": '
        '{"name": {"x": {"e": {}}, "x": {"c": {}}}, "name": {"d": {}}}}',
        "backup_application",
        "name",
    ),
    (
        '{"kind": "host", "name": "HV", "os": "windows_server_2008", "vms": [{"name": '
        '{"a": {"b": {}, "b": {}}, "a": {}}, "name": {}}]}',
        "vms[0]",
        "name",
    ),
]


def test_duplicate_key_holding_duplicates() -> None:
    """The path names the object that holds the repeated key, also when a dropped value held one.

    The object whose repeated key was dropped is no longer in the document and
    must not be reported (nor mistaken for another object). Each document is
    parsed many times, because a wrong answer depends on how memory is reused.
    """
    wrong = []
    for text, path, key in NESTED_DUPLICATES:
        for _ in range(30):
            error = _error(text)
            if error.path != path or f"duplicate key {key!r}" not in str(error):
                wrong.append(f"{text}: expected {path!r} and {key!r}, got {str(error)!r}")
                break
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_rejected(token: str) -> None:
    """NaN, Infinity and -Infinity are not JSON: rejected, with the path where they stand."""
    text = _with_marker(_cluster_document(), "nodes[0].virtual_networks[0].vlan_id", token)
    error = _error(text)
    assert error.path == "nodes[0].virtual_networks[0].vlan_id"
    assert token in str(error)
    assert _error(token).path == ""
    assert _error(f'{{"kind": "host", "name": {token}}}').path == "name"


def test_integer_too_long_rejected() -> None:
    """An integer too long for Python to convert is an InventoryError at its place."""
    text = _with_marker(_cluster_document(), "nodes[0].virtual_networks[0].vlan_id", "9" * 5000)
    assert _error(text).path == "nodes[0].virtual_networks[0].vlan_id"
    assert _error("1" * 5000).path == ""


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 100_000 + "1" + "}" * 100_000,
        _HOST_TEXT[:-1] + ', "vms": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"kind": ' + "[" * 100_000,
    ],
    ids=["arrays", "objects", "inside-inventory", "unterminated"],
)
def test_deep_nesting_rejected(text: str) -> None:
    """Nesting deep enough to exhaust recursion gives InventoryError, from text and from bytes."""
    assert isinstance(_error(text), InventoryError)
    assert isinstance(_error(text.encode("utf-8")), InventoryError)


def test_deeply_nested_mapping_field_rejected() -> None:
    """A deeply nested value inside an already-parsed mapping gives InventoryError at its field."""
    document = {
        "kind": "host",
        "name": "HV",
        "os": "windows_server_2008",
        "vms": _deeply_nested(100_000),
    }
    assert _error(document).path.startswith("vms")
    document = {"kind": "host", "name": _deeply_nested(100_000), "os": "windows_server_2008"}
    assert _error(document).path == "name"


@pytest.mark.parametrize(
    "kind",
    [pytest.param(_deeply_nested(100_000), id="deep-list"), pytest.param(10**5000, id="huge-int")],
)
def test_unprintable_kind_in_mapping_rejected(kind: object) -> None:
    """A mapping whose kind cannot even be shown (too deep, too long) still gives InventoryError."""
    assert _error({"kind": kind}).path == "kind"


def test_huge_int_in_mapping_rejected() -> None:
    """A Python integer too long to print, given in a mapping, is reported at its field."""
    document = _edited("cluster", ("nodes[0].virtual_networks[0].vlan_id", 10**5000))
    assert _error(document).path.startswith("nodes[0].virtual_networks[0]")


def test_mapping_keys_that_are_not_strings() -> None:
    """Keys that are not strings in a parsed mapping are unknown fields, not a crash."""
    document: dict[Any, Any] = _edited("host", ("vms[0].zz", 1))
    document["vms"][0][1] = 2
    document[None] = 3
    error = _error(document)
    assert sorted(_paths(error)) == ["None", "vms[0].1", "vms[0].zz"]


# --- text encodings -------------------------------------------------------------------

_UNICODE_DOCUMENT = {
    "kind": "host",
    "name": "HV-ÜBER-01",
    "os": "windows_server_2008_r2",
    "vms": [{"name": "Datenbank-数据库-😀", "state": "off", "snapshots": ["Vor dem Update, März"]}],
}


def _powershell_text() -> str:
    """JSON as Windows PowerShell 5.1 lays it out: four-space indents and CRLF line ends."""
    return json.dumps(_UNICODE_DOCUMENT, indent=4, ensure_ascii=False).replace("\n", "\r\n")


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda t: t.encode("utf-8"), id="utf-8"),
        pytest.param(lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), id="utf-8-bom"),
        pytest.param(lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), id="utf-16-le-bom"),
        pytest.param(lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), id="utf-16-be-bom"),
        pytest.param(lambda t: t.encode("utf-16"), id="utf-16-native-bom"),
        pytest.param(lambda t: "\ufeff" + t, id="str-with-bom"),
        pytest.param(lambda t: t, id="str"),
    ],
)
def test_encodings_accepted(encode: Any) -> None:
    """UTF-8, UTF-8 with a BOM and UTF-16 LE/BE with a BOM are read; so is a str starting with U+FEFF."""
    expected = parse_inventory(_UNICODE_DOCUMENT)
    assert isinstance(expected, Host)
    assert expected.vms[0].name == "Datenbank-数据库-😀"
    assert parse_inventory(encode(_powershell_text())) == expected


@pytest.mark.parametrize(
    ("data", "offset"),
    [
        (b'{"kind": "host", "name": "\xff"}', 26),
        (b'{"kind": "host", "name": "HV-\xdcBER"}', 29),
        (b'{"kind": "host", "name": "\xc3"}', 26),
        (codecs.BOM_UTF8 + b'{"kind": "\x80"}', 13),
        (codecs.BOM_UTF16_LE + '{"kind": "'.encode("utf-16-le") + b"\x00\xdc" + b'"\x00}\x00', 22),
    ],
    ids=["ff", "latin-1", "truncated", "utf-8-bom", "utf-16-lone-surrogate"],
)
def test_undecodable_bytes_name_the_offset(data: bytes, offset: int) -> None:
    """Bytes that do not decode give InventoryError naming the byte offset from the start of the input."""
    error = _error(data)
    assert error.path == ""
    assert f"byte offset {offset}" in str(error)


def test_utf16_without_bom_rejected() -> None:
    """Bytes without a byte-order mark are read as UTF-8: UTF-16 without one is an error, not a guess."""
    assert isinstance(_error(_HOST_TEXT.encode("utf-16-le")), InventoryError)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('{\n  "kind": "host",\n  "name": "HV",\n  "os" "windows_server_2008"\n}', 4, 8),
        ('{"kind": "host",}', 1, 17),
        ('{\r\n    "kind": "host",\r\n    "name": \'HV\'\r\n}', 3, 13),
        ("", 1, 1),
        ('{"kind": "host"', 1, 16),
    ],
    ids=["missing-colon", "trailing-comma", "single-quotes", "empty", "truncated"],
)
def test_invalid_json_names_line_and_column(text: str, line: int, column: int) -> None:
    """Text that is not JSON gives InventoryError naming the line and column of the fault."""
    error = _error(text)
    assert error.path == ""
    assert f"line {line} column {column}" in str(error)


# --- files -----------------------------------------------------------------------------


def test_read_inventory_str_and_path(tmp_path: Path) -> None:
    """read_inventory takes a str or a pathlib path and gives what parse_inventory gives."""
    file = tmp_path / "inventory.json"
    file.write_text(example_text("cluster"), encoding="utf-8")
    expected = load_example("cluster")
    assert read_inventory(file) == expected
    assert read_inventory(str(file)) == expected


def test_read_inventory_utf16_file(tmp_path: Path) -> None:
    """A file written by Windows PowerShell 5.1 (UTF-16 LE with a BOM, CRLF) is read."""
    file = tmp_path / "inventory.json"
    file.write_bytes(codecs.BOM_UTF16_LE + _powershell_text().encode("utf-16-le"))
    assert read_inventory(file) == parse_inventory(_UNICODE_DOCUMENT)


def test_read_inventory_missing_file(tmp_path: Path) -> None:
    """A missing file raises the usual OSError (FileNotFoundError), not InventoryError."""
    with pytest.raises(FileNotFoundError) as info:
        read_inventory(tmp_path / "missing.json")
    assert not isinstance(info.value, InventoryError)
    with pytest.raises(OSError, match="missing"):
        read_inventory(str(tmp_path / "missing.json"))


def test_read_inventory_directory(tmp_path: Path) -> None:
    """A path that cannot be read as a file (a directory) is an OSError too."""
    with pytest.raises(IsADirectoryError) as info:
        read_inventory(tmp_path)
    assert not isinstance(info.value, InventoryError)


def test_read_inventory_bad_content(tmp_path: Path) -> None:
    """Bad content in a file is an InventoryError with the path in the document."""
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(_edited("host", ("vms[0].state", "on"))), encoding="utf-8")
    with pytest.raises(InventoryError) as info:
        read_inventory(file)
    assert info.value.path == "vms[0].state"


# --- text and mapping agree ------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(example_names()))
def test_mapping_same_as_text(name: str) -> None:
    """Parsing an already-parsed mapping gives what parsing its text gives; any Mapping will do."""
    text = example_text(name)
    from_text = parse_inventory(text)
    assert parse_inventory(json.loads(text)) == from_text
    assert parse_inventory(types.MappingProxyType(json.loads(text))) == from_text
    assert parse_inventory(text.encode("utf-8")) == from_text


def test_error_wording() -> None:
    """The message shows the bad value with its JSON type, and the path is also on the problem."""
    error = _error(json.dumps(_edited("host", ("vms[0].integration_services", "false"))))
    assert error.problems == (Problem("vms[0].integration_services", error.problems[0].message),)
    assert "'false'" in error.problems[0].message
    assert "string" in error.problems[0].message
    assert str(error.problems[0]) == f"vms[0].integration_services: {error.problems[0].message}"
    assert str(Problem("", "bad")) == "<document>: bad"


# --- nothing but Host, Cluster or InventoryError -----------------------------------------

_SAFE_KEYS = st.text(string.ascii_letters + "_", min_size=1, max_size=8)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=10),
    st.sampled_from(["host", "cluster", "running", "ntfs", "virtual_hard_disk", "C:"]),
)


def _json_values(keys: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    return st.recursive(
        _SCALARS,
        lambda children: st.one_of(
            st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)
        ),
        max_leaves=20,
    )


JSON_VALUES = _json_values(st.text(max_size=8))
SAFE_JSON_VALUES = _json_values(_SAFE_KEYS)


def _parse_outcome(data: Any) -> Host | Cluster | InventoryError:
    """Parse, and return the inventory or the InventoryError; anything else propagates."""
    try:
        return parse_inventory(data)
    except InventoryError as error:
        outcome = error
    assert outcome.problems
    assert outcome.path == outcome.problems[0].path
    return outcome


@settings(max_examples=150, deadline=None)
@given(JSON_VALUES)
def test_any_json_value(value: Any) -> None:
    """Any JSON value, as text, bytes or (for objects) a mapping, gives an inventory or InventoryError."""
    text = json.dumps(value)
    from_text = _parse_outcome(text)
    _parse_outcome(text.encode("utf-8"))
    if isinstance(value, dict):
        from_mapping = _parse_outcome(value)
        assert type(from_mapping) is type(from_text)


@settings(max_examples=150, deadline=None)
@given(
    st.fixed_dictionaries(
        {"kind": st.sampled_from(["host", "cluster"])},
        optional=dict.fromkeys(
            ("name", "os", "vms", "virtual_networks", "installed_updates", "nodes"), JSON_VALUES
        ),
    )
)
def test_any_inventory_shaped_object(document: dict[str, Any]) -> None:
    """An object with a valid kind and arbitrary fields gives an inventory or InventoryError."""
    _parse_outcome(document)
    _parse_outcome(json.dumps(document))


def _containers(value: Any) -> Iterator[Any]:
    """Yield every object and array inside a JSON value, the value itself first."""
    if isinstance(value, dict | list):
        yield value
        for item in value.values() if isinstance(value, dict) else value:
            yield from _containers(item)


@st.composite
def mutated_documents(draw: st.DrawFn) -> dict[str, Any]:
    """Generate dumped valid inventories with one place changed: replaced, deleted or added."""
    document = dump_inventory(draw(inventories()))
    container = draw(st.sampled_from(list(_containers(document))))
    keys = list(container) if isinstance(container, dict) else list(range(len(container)))
    action = draw(st.sampled_from(["replace", "delete", "add"]))
    if action == "add" and isinstance(container, dict):
        container[draw(_SAFE_KEYS)] = draw(SAFE_JSON_VALUES)
    elif action == "delete" and keys:
        del container[draw(st.sampled_from(keys))]
    elif keys:
        container[draw(st.sampled_from(keys))] = draw(SAFE_JSON_VALUES)
    return document


def _resolves(document: Any, path: str) -> bool:
    """Whether everything up to the last step of ``path`` exists in ``document``."""
    current = document
    for step in _steps(path)[:-1]:
        in_object = isinstance(current, dict) and step in current
        in_array = isinstance(current, list) and isinstance(step, int) and step < len(current)
        if not (in_object or in_array):
            return False
        current = current[step]
    return True


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents())
def test_mutated_inventory(document: dict[str, Any]) -> None:
    """A valid inventory with one change gives an inventory or InventoryError whose paths exist.

    Its JSON text gives the same outcome as the mapping.
    """
    outcome = _parse_outcome(document)
    if isinstance(outcome, InventoryError):
        for problem in outcome.problems:
            assert _resolves(document, problem.path), problem
    try:
        text = json.dumps(document, allow_nan=False)
    except ValueError:
        return  # NaN has no JSON text; test_non_finite_numbers_rejected covers that text
    text_outcome = _parse_outcome(text)
    if isinstance(outcome, InventoryError):
        assert isinstance(text_outcome, InventoryError)
        assert text_outcome.problems == outcome.problems
    else:
        assert text_outcome == outcome


_BOM_PREFIXES = st.sampled_from(
    [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE]
)


@settings(max_examples=150, deadline=None)
@given(_BOM_PREFIXES, st.binary(max_size=64))
def test_any_bytes(prefix: bytes, data: bytes) -> None:
    """Any bytes, with or without a byte-order mark, give an inventory or InventoryError."""
    _parse_outcome(prefix + data)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=64))
def test_any_text(text: str) -> None:
    """Any str gives an inventory or InventoryError."""
    _parse_outcome(text)
