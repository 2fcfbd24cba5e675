"""Helpers shared by the inventory tests."""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import strategies as st

from hyperv_backup import (
    InventoryError,
    dump_inventory,
    parse_inventory,
)
from tests.strategies import inventories


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


SAFE_JSON_VALUES = _json_values(_SAFE_KEYS)


def _containers(value: Any) -> Iterator[Any]:
    """Yield every object and array inside a JSON value, the value itself first."""
    if isinstance(value, dict | list):
        yield value
        for item in value.values() if isinstance(value, dict) else value:
            yield from _containers(item)


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


_UNICODE_DOCUMENT = {
    "kind": "host",
    "name": "HV-ÜBER-01",
    "os": "windows_server_2008_r2",
    "vms": [{"name": "Datenbank-数据库-😀", "state": "off", "snapshots": ["Vor dem Update, März"]}],
}


def _powershell_text() -> str:
    """JSON as Windows PowerShell 5.1 lays it out: four-space indents and CRLF line ends."""
    return json.dumps(_UNICODE_DOCUMENT, indent=4, ensure_ascii=False).replace("\n", "\r\n")


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
