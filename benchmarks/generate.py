"""Synthetic, realistic cluster inventories for benchmarks.

``cluster_document(nodes, vms_per_node)`` returns the JSON-ready document of
a cluster whose VMs have three disks each and show every blocking condition
in turn, with pass-through and guest iSCSI disks and cluster groups in a mix
of states. Run as a script to write a file::

    python benchmarks/generate.py 20000 cluster-20k.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

_STATES = ("running", "running", "running", "paused", "saved", "off")
_RESOURCE_ROWS = (
    ("online", "online", "online"),
    ("online", "online", "online"),
    ("offline", "online", "online"),
    ("offline", "offline", "online"),
    ("failed", "online", "online"),
)


def _volume(name: str, index: int) -> dict[str, Any]:
    volume: dict[str, Any] = {"name": name, "file_system": "ntfs"}
    if index % 23 == 0:
        volume["file_system"] = "fat32"
    if index % 29 == 0:
        volume["vss_enabled"] = False
    return volume


def _vm(node: str, number: int) -> dict[str, Any]:
    name = f"VM{number:06d}"
    system = {
        "name": "System",
        "attachment": "virtual_hard_disk",
        "path": f"C:\\ClusterStorage\\Volume{number % 8 + 1}\\{name}\\{name}-system.vhd",
        "vhd_type": "fixed",
        "host_storage": "cluster_shared_volume",
        "volumes": [_volume("C:", number)],
    }
    data = {
        "name": "Data",
        "attachment": "virtual_hard_disk",
        "path": f"E:\\Hyper-V\\{name}\\{name}-data.vhd",
        "vhd_type": "dynamically_expanding",
        "host_storage": "san",
        "guest_disk_type": "dynamic" if number % 19 == 0 else "basic",
        "volumes": [_volume("D:", number + 1), _volume("E:", number + 2)],
    }
    if number % 31 == 0:
        data["volumes"][0]["shadow_storage"] = "E:"
    third: dict[str, Any]
    if number % 7 == 0:
        third = {
            "name": "Archive",
            "attachment": "pass_through",
            "host_storage": "san",
            "volumes": [_volume("F:", number)],
        }
    elif number % 11 == 0:
        third = {"name": "LUN", "attachment": "guest_iscsi", "volumes": [_volume("G:", number)]}
    else:
        third = {
            "name": "Logs",
            "attachment": "virtual_hard_disk",
            "path": f"E:\\Hyper-V\\{name}\\{name}-logs.vhd",
            "vhd_type": "fixed",
            "volumes": [_volume("L:", number)],
        }
    vm: dict[str, Any] = {
        "name": name,
        "state": _STATES[number % len(_STATES)],
        "id": f"00000000-0000-4000-8000-{number:012d}",
        "disks": [system, data, third],
        "network_adapters": [{"name": "Network Adapter", "virtual_network": "Production"}],
    }
    if number % 37 == 0:
        vm["integration_services"] = False
    if number % 41 == 0:
        vm["backup_integration_service"] = False
    if number % 43 == 0:
        vm["guest_inventoried"] = False
    if number % 13 == 0:
        vm["snapshots"] = ["Before patching", "After patching"]
    if number % 5 != 4:  # most VMs are clustered
        cluster, config, storage = _RESOURCE_ROWS[number % len(_RESOURCE_ROWS)]
        vm["cluster_group"] = {
            "name": f"{name} Resources",
            "owner_node": node,
            "cluster_resource": cluster,
            "configuration_resource": config,
            "storage_resource": storage,
        }
    return vm


#: The release of the nodes that ``modern`` asks for: answered by the 2016 profile,
#: which works out an outcome per VM.
MODERN_OS = "windows_server_2022"


def cluster_document(nodes: int, vms_per_node: int, *, modern: float = 0.0) -> dict[str, Any]:
    """Return a cluster of ``nodes`` nodes with ``vms_per_node`` VMs each.

    The nodes run Windows Server 2008 R2 but for the share ``modern`` of them
    (every other node for 0.5), which run Windows Server 2022.
    """
    node_documents = []
    for n in range(nodes):
        node = f"HV-NODE{n + 1:02d}"
        node_documents.append(
            {
                "name": node,
                "os": MODERN_OS if _is_modern(n, modern) else "windows_server_2008_r2",
                "installed_updates": ["KB958184", "KB982210"] if n % 2 else ["KB976932"],
                "backup_application": {"name": "Backup Suite", "uses_hyperv_vss_writer": True},
                "virtual_networks": [
                    {
                        "name": "Production",
                        "kind": "external",
                        "physical_adapter": "NIC1",
                        "vlan_id": 20,
                    },
                ],
                "vms": [_vm(node, n * vms_per_node + v) for v in range(vms_per_node)],
            }
        )
    return {"kind": "cluster", "name": "BENCH-CLUSTER", "nodes": node_documents}


def _is_modern(node: int, share: float) -> bool:
    """Whether node number ``node`` is one of the share ``share`` that run the modern release."""
    return share > 0 and int((node + 1) * share) > int(node * share)


def cluster_json(total_vms: int, nodes: int = 16, *, modern: float = 0.0) -> str:
    """Return the JSON text of a cluster with about ``total_vms`` VMs over ``nodes`` nodes.

    ``modern`` is the share of the nodes on Windows Server 2022 (see :func:`cluster_document`).
    """
    return json.dumps(cluster_document(nodes, max(1, total_vms // nodes), modern=modern))


if __name__ == "__main__":
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    target = sys.argv[2] if len(sys.argv) > 2 else f"cluster-{total}.json"
    Path(target).write_text(cluster_json(total), encoding="utf-8")
