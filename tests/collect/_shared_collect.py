"""Helpers shared by the collect tests."""

from __future__ import annotations

import copy
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import hyperv_backup as hb
from hyperv_backup import collect
from hyperv_backup.collect import (
    VSS_INTEGRATION_SERVICE_ID,
    from_documents,
)
from hyperv_backup.collect._documents import PSValue
from hyperv_backup.inventory import InventoryError
from hyperv_backup.model import (
    Host,
)
from tests.paths import FIXTURES as ALL_FIXTURES

FIXTURES = ALL_FIXTURES / "collect"


NODE1 = FIXTURES / "cluster-node1-ps51.json"


NODE2 = FIXTURES / "cluster-node2-ps51-utf16.json"


CLUSTER_GUESTS = [
    FIXTURES / "guest-sql01-ps51.json",
    FIXTURES / "guest-fs01-ps51.json",
    FIXTURES / "guest-app01-ps51.json",
]


STANDALONE = FIXTURES / "standalone-ps7.json"


STANDALONE_GUEST = FIXTURES / "standalone-guest-web01-ps7.json"


Doc = dict[str, Any]


def load(path: Path) -> Doc:
    document = collect.load_document(path.read_bytes())
    assert isinstance(document, dict)
    return document


def problems_of(hosts: list[Any], guests: list[Any] | None = None) -> list[str]:
    with pytest.raises(InventoryError) as info:
        from_documents(hosts, guests or [])
    return [str(p) for p in info.value.problems]


def minimal_host(**vm: Any) -> Doc:
    """Return a standalone Windows Server 2012 R2 host document with one VM (module numbering)."""
    vm_id = "6f9a2c1e-0b1d-4c51-9d0e-3c2b7a1f0e11"
    base: Doc = {
        "Name": "VM01",
        "Id": vm_id,
        "State": 2,
        "StateName": "Running",
        "IntegrationServices": [
            {
                "Name": "VSS",
                "Id": f"Microsoft:{vm_id}\\{VSS_INTEGRATION_SERVICE_ID}",
                "Enabled": True,
            }
        ],
        "HardDrives": [],
        "Snapshots": [],
        "NetworkAdapters": [],
    }
    base.update(vm)
    return {
        "collector": collect.HOST_COLLECTOR,
        "ComputerName": "HV01",
        "OperatingSystem": {"Version": "6.3.9600", "ProductType": 3},
        "HyperVApi": "module",
        "VMs": [base],
        "VMSwitches": [],
        "HotFixes": [],
        "VssWriters": None,
        "WindowsServerBackup": {"Installed": False, "ApplicationIdentifier": None},
        "Cluster": None,
    }


def host_of(document: Doc) -> Host:
    target = from_documents([document])
    assert isinstance(target, Host)
    return target


def drive(**fields: Any) -> Doc:
    base: Doc = {
        "ControllerType": 1,
        "ControllerTypeName": "SCSI",
        "ControllerNumber": 0,
        "ControllerLocation": 0,
        "Path": "D:\\VMs\\VM01.vhdx",
        "DiskNumber": None,
        "VhdType": 2,
        "VhdTypeName": "Fixed",
    }
    base.update(fields)
    return base


def minimal_cluster(group_state: Any = 0, resource_state: Any = 2, disk_state: Any = 2) -> Doc:
    document = minimal_host()
    vm_id = document["VMs"][0]["Id"]
    document["Cluster"] = {
        "Name": "CL01",
        "Nodes": ["HV01"],
        "Groups": [{"Name": "VM01", "OwnerNode": "HV01", "State": group_state}],
        "Resources": [
            {
                "Name": "Virtual Machine VM01",
                "ResourceType": "Virtual Machine",
                "OwnerGroup": "VM01",
                "State": resource_state,
                "VmId": vm_id,
            },
            {
                "Name": "Virtual Machine Configuration VM01",
                "ResourceType": "Virtual Machine Configuration",
                "OwnerGroup": "VM01",
                "State": 2,
                "VmId": vm_id,
            },
            {
                "Name": "Cluster Disk 1",
                "ResourceType": "Physical Disk",
                "OwnerGroup": "VM01",
                "State": disk_state,
            },
        ],
        "SharedVolumes": [],
    }
    return document


def minimal_guest(**fields: Any) -> Doc:
    base: Doc = {
        "collector": collect.GUEST_COLLECTOR,
        "ComputerName": "VM01-GUEST",
        "VirtualMachineName": "VM01",
        "VirtualMachineId": None,
        "Disks": [{"Number": 0, "BusType": 1, "Dynamic": False}],
        "Volumes": [volume("C:", [0])],
        "IscsiDisks": [],
        "Services": [
            {"Name": "VSS", "StartMode": "Manual"},
            {"Name": "vmicvss", "StartMode": "Auto"},
        ],
        "ShadowStorage": [],
    }
    base.update(fields)
    return base


def volume(letter: str, disks: list[int], file_system: str = "NTFS") -> Doc:
    return {
        "Name": f"{letter}\\",
        "DriveLetter": letter,
        "DeviceId": f"\\\\?\\Volume{{{letter[0]}0000000-0000-4000-8000-000000000000}}\\",
        "FileSystem": file_system,
        "DiskNumbers": disks,
    }


def host_of_guest(host: Doc, guest: Doc) -> hb.VM:
    target = from_documents([host], [guest])
    assert isinstance(target, Host)
    return target.vms[0]


def read_date(value: Any) -> datetime:
    return PSValue(value, "CreationTime").date()


def mutate(document: Doc, path: str, value: Any) -> Doc:
    """Return a copy of ``document`` with the value at ``path`` replaced (``...`` deletes it)."""
    result = copy.deepcopy(document)
    parts = re.findall(r"[^.\[\]]+", path)
    target: Any = result
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    last: Any = int(parts[-1]) if parts[-1].isdigit() else parts[-1]
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return result
