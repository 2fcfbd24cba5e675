"""Bad collector documents, and the scripts the package ships.

No PowerShell runs here. The documents under ``tests/fixtures/collect/`` were
written to match what the scripts print (with Windows PowerShell 5.1's
quirks), or are byte-for-byte copies of published samples; see the README
there.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hyperv_backup import collect
from hyperv_backup.collect import (
    VSS_INTEGRATION_SERVICE_ID,
    from_documents,
    read_documents,
)
from hyperv_backup.inventory import InventoryError
from tests.collect._shared_collect import (
    CLUSTER_GUESTS,
    NODE1,
    NODE2,
    STANDALONE,
    STANDALONE_GUEST,
    Doc,
    host_of_guest,
    load,
    minimal_cluster,
    mutate,
    problems_of,
)

# --- bad documents -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("ComputerName", ..., "hosts[0].ComputerName: required field missing"),
        (
            "ComputerName",
            42,
            "hosts[0].ComputerName: expected a non-empty string, got the number 42",
        ),
        (
            "collector",
            "hyperv_backup.host/2",
            "hosts[0].collector: expected 'hyperv_backup.host/1', got 'hyperv_backup.host/2'",
        ),
        ("collector", ..., "hosts[0].collector: required field missing: not a collector document"),
        (
            "HyperVApi",
            "wmi-v2",
            "hosts[0].HyperVApi: expected one of 'module', 'wmi-v1', got 'wmi-v2'",
        ),
        (
            "OperatingSystem.Version",
            "10.0.19045",
            "hosts[0].OperatingSystem.Version: Windows version '10.0.19045' is not a Windows Server release",
        ),
        (
            "OperatingSystem.ProductType",
            1,
            "hosts[0].OperatingSystem.ProductType: ProductType 1 is a client edition",
        ),
        (
            "OperatingSystem.ProductType",
            "3",
            "hosts[0].OperatingSystem.ProductType: expected a whole number, got the string '3'",
        ),
        (
            "VMs.0.IntegrationServices.5.Enabled",
            "True",
            "hosts[0].VMs[0].IntegrationServices[5].Enabled: expected true or false, got the string 'True'",
        ),
        (
            "VMs.0.IntegrationServices",
            [],
            "hosts[0].VMs[0].IntegrationServices: no integration service with the backup (volume shadow copy) id",
        ),
        (
            "VMs.0.IntegrationServices",
            ["VMIntegrationComponent (Name = 'VSS', VMName = 'WEB01') [Id = 'x']"],
            "ConvertTo-Json ran out of depth",
        ),
        (
            "VMs.0.HardDrives.0.ControllerLocation",
            ...,
            "hosts[0].VMs[0].HardDrives[0].ControllerLocation: required field missing",
        ),
        (
            "VMs.0.HardDrives.0.ControllerType",
            2,
            "hosts[0].VMs[0].HardDrives[0].ControllerType: unknown controller type 2",
        ),
        (
            "VMs.0.HardDrives.0.VhdType",
            7,
            "hosts[0].VMs[0].HardDrives[0].VhdType: unknown VHD type 7",
        ),
        (
            "VMs.0.HardDrives.0.Path",
            None,
            "hosts[0].VMs[0].HardDrives[0]: drive SCSI 0:0 has neither a VHD path nor a host disk number",
        ),
        (
            "VMs.0.HardDrives.1.ControllerLocation",
            0,
            "hosts[0].VMs[0].HardDrives[1]: a second drive at SCSI 0:0",
        ),
        ("VMs.0.HardDrives.0.DiskId", "not-an-id", None),
        (
            "VMs.1.HardDrives.1.DiskId",
            "not-an-id",
            "hosts[0].VMs[1].HardDrives[1].DiskId: expected a disk id",
        ),
        ("VMs.0.Snapshots", ..., "hosts[0].VMs[0].Snapshots: required field missing"),
        (
            "VMs.0.Snapshots",
            "snap",
            "hosts[0].VMs[0].Snapshots[0]: expected an object, got the string 'snap'",
        ),
        ("VMSwitches.0.SwitchType", 3, "hosts[0].VMSwitches[0].SwitchType: unknown switch type 3"),
        (
            "VMSwitches.0.VlanId",
            5000,
            "hosts[0].VMSwitches[0].VlanId: expected a VLAN ID from 0 to 4094, got 5000",
        ),
        ("HotFixes", 17, "hosts[0].HotFixes[0]: expected a non-empty string, got the number 17"),
        (
            "WindowsServerBackup.Installed",
            "yes",
            "hosts[0].WindowsServerBackup.Installed: expected true or false",
        ),
        ("VssWriters", 1, "hosts[0].VssWriters: expected the command's output as a string"),
        ("CollectedAt", "yesterday", "hosts[0].CollectedAt: expected a date"),
        ("Cluster", ..., "hosts[0].Cluster: required field missing"),
        ("VMs.0.Name", "ARCHIVE01", "hosts[0].VMs[1].Name: a second VM named 'ARCHIVE01'"),
    ],
)
def test_bad_host_documents(path: str, value: Any, expected: str | None) -> None:
    """Missing fields, wrong types and unknown codes: an InventoryError naming the place."""
    document = mutate(load(STANDALONE), path, value)
    if expected is None:  # a disk id on a VHD drive is not read
        from_documents([document])
        return
    problems = problems_of([document])
    assert any(p.startswith(expected) or expected in p for p in problems), problems


def test_several_problems_are_reported_together() -> None:
    """Problems in several VMs and documents come back in one error, in document order."""
    host = mutate(mutate(load(STANDALONE), "VMs.0.State", 32790), "VMs.1.State", 4)
    guest = mutate(load(STANDALONE_GUEST), "Services", ...)
    problems = problems_of([host], [guest])
    assert [p.split(":")[0] for p in problems] == [
        "hosts[0].VMs[0].State",
        "hosts[0].VMs[1].State",
        "guests[0].Services",
    ]


def test_keys_differing_only_in_case_are_refused() -> None:
    """PowerShell reads property names without regard to case; two such names are ambiguous."""
    document = load(STANDALONE)
    document["computername"] = "OTHER"
    assert problems_of([document])[0] == (
        "hosts[0]: properties 'ComputerName' and 'computername' differ only in case; PowerShell "
        "would read them as one"
    )
    lower = {key.lower(): value for key, value in load(STANDALONE).items()}
    assert from_documents([lower]) == read_documents([STANDALONE])


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            b'{"collector": "x", "collector": "y"}',
            "hosts[0]: duplicate key 'collector' in one object",
        ),
        (b'{"a": NaN}', "hosts[0].a: NaN is not a valid JSON number"),
        (b"\xff\xfe\x00\xd8", "hosts[0]: not valid UTF-16 text"),
        (b'{"a": "\xe9"}', "hosts[0]: not valid UTF-8 text at byte offset 7"),
        (b"{", "hosts[0]: invalid JSON at line 1 column 2"),
        (b"[]", "hosts[0]: expected a collector document (a JSON object), got an array"),
    ],
)
def test_bad_json(data: bytes, expected: str) -> None:
    """Bytes that are not one JSON object are refused as an inventory is, with hosts[i] in front."""
    assert problems_of([data])[0].startswith(expected)


def test_documents_must_be_a_sequence() -> None:
    """Passing one document where a list of them is expected is a programming error."""
    with pytest.raises(TypeError, match=r"expected a sequence \(such as a list\) of documents"):
        from_documents(NODE1.read_bytes())  # type: ignore[arg-type]
    with pytest.raises(InventoryError, match="no host document given"):
        from_documents([])


def node(path: Path, **changes: Any) -> Doc:
    document = load(path)
    for key, value in changes.items():
        document = mutate(document, key.replace("__", "."), value)
    return document


@pytest.mark.parametrize(
    ("hosts", "expected"),
    [
        (lambda: [load(NODE1)], "hosts: no document from node(s) HV-NODE2 of cluster HVCLUSTER01"),
        (
            lambda: [load(NODE1), load(NODE1)],
            "hosts[1].ComputerName: a second document from HV-NODE1",
        ),
        (lambda: [load(STANDALONE), load(STANDALONE)], "hosts[1].ComputerName: a second document"),
        (
            lambda: [load(STANDALONE), mutate(load(STANDALONE), "ComputerName", "HV-OTHER")],
            "hosts[1]: several documents from hosts that are not cluster nodes",
        ),
        (
            lambda: [load(NODE1), load(STANDALONE)],
            "hosts[1].Cluster: HV-STANDALONE02 is not a cluster node",
        ),
        (
            lambda: [load(NODE1), node(NODE2, Cluster__Name="OTHER")],
            "hosts[1].Cluster.Name: the documents disagree about the cluster",
        ),
        (
            lambda: [load(NODE1), node(NODE2, Cluster__Groups__2__OwnerNode="HV-NODE2")],
            "hosts[1].Cluster.Groups: the documents disagree about group 'sql01': HV-NODE1's says "
            "('hv-node1', online), HV-NODE2's says ('hv-node2', online)",
        ),
        (
            lambda: [load(NODE1), node(NODE2, Cluster__Nodes=["HV-NODE1", "HV-NODE2", "HV-NODE3"])],
            "hosts[1].Cluster.Nodes: the documents disagree about the nodes",
        ),
        (
            lambda: [node(NODE1, Cluster__Resources__1__VmId=None), load(NODE2)],
            "hosts[0].Cluster.Resources[1].VmId: a 'Virtual Machine' resource needs the id of its VM",
        ),
        (
            lambda: [
                node(NODE1, Cluster__Resources__3__State=1, Cluster__Resources__3__StateName=None),
                node(NODE2, Cluster__Resources__4__State=1, Cluster__Resources__4__StateName=None),
            ],
            "hosts[0].Cluster.Resources[3].State: cluster resource state 1 (Initializing) is a transitional state",
        ),
        (
            lambda: [node(NODE1, ComputerName="HV-NODE3"), load(NODE2)],
            "hosts: no document from node(s) HV-NODE1",
        ),
        (
            lambda: [node(NODE1, VMs__0__Id="00000000-0000-0000-0000-000000000000"), load(NODE2)],
            "hosts[0].Cluster.Resources[1]: resource 'Virtual Machine SQL01' is for VM 3f2504e0",
        ),
        (
            lambda: [
                node(NODE1, Cluster__Groups__2__OwnerNode="HV-NODE9"),
                node(NODE2, Cluster__Groups__2__OwnerNode="HV-NODE9"),
            ],
            "hosts[0].Cluster.Groups[2].OwnerNode: group 'SQL01' is owned by 'HV-NODE9', not a node",
        ),
    ],
)
def test_bad_cluster_documents(hosts: Callable[[], list[Doc]], expected: str) -> None:
    """Node documents that do not describe one whole cluster, or disagree, are refused."""
    problems = problems_of(hosts(), [load(p) for p in CLUSTER_GUESTS])
    assert any(p.startswith(expected) for p in problems), problems


def test_group_without_storage_is_refused() -> None:
    """A VM's group with no disk resource and no Cluster Shared Volume under its disks."""
    document = minimal_cluster()
    del document["Cluster"]["Resources"][2]
    assert problems_of([document]) == [
        "hosts[0].Cluster.Groups[0]: group 'VM01' of VM 'VM01' has no storage resource: no "
        "'Physical Disk' in the group and no Cluster Shared Volume under its disks"
    ]


def test_group_with_two_vms_is_refused() -> None:
    """The model holds one VM per group."""
    document = minimal_cluster()
    second = copy.deepcopy(document["VMs"][0])
    second.update(Name="VM02", Id="11111111-1111-1111-1111-111111111111")
    second["IntegrationServices"][0]["Id"] = "x\\" + VSS_INTEGRATION_SERVICE_ID
    document["VMs"].append(second)
    resources = document["Cluster"]["Resources"]
    resources.append({**resources[0], "Name": "Virtual Machine VM02", "VmId": second["Id"]})
    resources.append(
        {**resources[1], "Name": "Virtual Machine Configuration VM02", "VmId": second["Id"]}
    )
    assert problems_of([document]) == [
        "hosts: group 'vm01' holds more than one VM (Virtual Machine VM01, Virtual Machine VM02); "
        "the model has one VM per cluster group"
    ]


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (
            "collector",
            collect.HOST_COLLECTOR,
            "guests[0].collector: expected 'hyperv_backup.guest/1'",
        ),
        (
            "VirtualMachineId",
            "00000000-0000-0000-0000-000000000000",
            "guests[0].VirtualMachineId: no VM with the id",
        ),
        ("Disks.0.Number", "0", "guests[0].Disks[0].Number: expected a whole number"),
        (
            "Disks.0.BusTypeName",
            "iSCSI",
            "guests[0].Disks[0].BusType: bus type 1 is 'SCSI', but BusTypeName says 'iSCSI'",
        ),
        (
            "Disks.0",
            {"Number": 0, "BusType": 0},
            "guests[0].Disks[0].BusType: bus type 0 (Unknown)",
        ),
        (
            "Disks.0",
            {"Number": 0, "BusTypeName": "FileBackedVirtual"},
            "guests[0].Disks[0].BusType: disk 0 is not one of the VM's drives",
        ),
        (
            "Disks.0",
            {"Number": 0, "BusType": 99},
            "guests[0].Disks[0].BusType: unknown bus type 99",
        ),
        ("Disks.1.Number", 0, "guests[0].Disks[1]: a second disk numbered 0"),
        (
            "DiskpartListDisk",
            ...,
            "guests[0].Disks[0].Dynamic: whether disk 0 is dynamic is not given",
        ),
        (
            "DiskpartListDisk",
            "garbage",
            "guests[0].DiskpartListDisk: line 1: expected the output of 'diskpart list disk'",
        ),
        ("Disks", ..., "guests[0].DiskpartListDisk[disk 0]: cannot tell which drive of VM 'WEB01'"),
        ("Volumes.1.DiskNumbers", [7], "guests[0].Volumes[1].DiskNumbers: volume C: is on disk 7"),
        (
            "Volumes.1.DiskNumbers",
            [],
            "guests[0].Volumes[1]: cannot tell which disk holds volume C:",
        ),
        ("Volumes.1.DriveLetter", None, None),
        ("Volumes", ..., "guests[0].Volumes: required field missing: the guest's volumes"),
        ("Services", ..., "guests[0].Services: required field missing"),
        (
            "Services.0.StartMode",
            None,
            "guests[0].Services[0].StartMode: expected a non-empty string",
        ),
        ("ShadowStorage", ..., "guests[0].ShadowStorage: required field missing"),
        (
            "ShadowStorage.0.DiffVolume",
            "\\\\?\\Volume{99999999-0000-4000-8000-000000000000}\\",
            "guests[0].ShadowStorage[0]: the shadow copies of C: are kept on",
        ),
        ("IscsiDisks", ["1"], "guests[0].IscsiDisks[0]: expected a whole number"),
        (
            "Disks.1.Size",
            1,
            "guests[0].Disks[1]: cannot tell which drive of VM 'WEB01' guest disk 1",
        ),
        ("Disks.0.DiskId", 0, None),
    ],
)
def test_bad_guest_documents(path: str, value: Any, expected: str | None) -> None:
    """A guest document that cannot be read or placed: an InventoryError naming the place."""
    guest = mutate(load(STANDALONE_GUEST), path, value)
    if expected is None:  # no change that matters: C: is named by its Name, an id of 0 is none
        vm = host_of_guest(load(STANDALONE), guest)
        assert vm.disks[0].volumes[0].name == "C:"
        return
    problems = problems_of([load(STANDALONE)], [guest])
    assert any(p.startswith(expected) for p in problems), problems


def test_guest_naming_no_vm_and_two_guests_for_one_vm() -> None:
    """A guest document must name a VM; one VM has at most one guest document."""
    guest = load(STANDALONE_GUEST)
    nameless = dict(guest, VirtualMachineName=None, VirtualMachineId=None)
    assert problems_of([load(STANDALONE)], [nameless])[0].startswith(
        "guests[0].VirtualMachineName: required field missing: the guest document names no VM"
    )
    assert problems_of([load(STANDALONE)], [guest, guest]) == [
        "guests[1]: a second guest document for VM 'WEB01' (the first is guests[0])"
    ]


# --- the scripts -----------------------------------------------------------------------------


def test_scripts_ship_and_agree_with_the_adapter() -> None:
    """The scripts print the markers, ids and fields the adapter reads (they are not run here)."""
    host_script = collect.script_path("host.ps1").read_text(encoding="utf-8")
    guest_script = collect.script_path("guest.ps1").read_text(encoding="utf-8")
    assert f"'{collect.HOST_COLLECTOR}'" in host_script
    assert f"'{collect.GUEST_COLLECTOR}'" in guest_script
    assert VSS_INTEGRATION_SERVICE_ID in host_script
    assert "docs/collector-formats.md" in host_script  # where the id comes from
    assert "Application Identifier" in host_script
    for script in (host_script, guest_script):
        assert "Administrator" in script.split("#>")[0]  # the rights, in the header
        assert "ConvertTo-Json -Depth" in script
        assert "UTF8Encoding" in script
    for field in re.findall(r'\.(?:get|opt)\("(\w+)"\)', Path(collect._host.__file__).read_text()):
        assert field in host_script, field
    guest_reader = Path(collect._guest.__file__).read_text()
    for field in re.findall(r'\.(?:get|opt)\("(\w+)"\)', guest_reader):
        if field in {"Dynamic", "HostDrive", "DiskpartListVolume", "VssadminListShadowStorage"}:
            continue  # accepted from other producers; the script does not write them
        assert field in guest_script, field
    linux_script = collect.script_path("guest.sh").read_text(encoding="utf-8")
    assert f'"collector": "{collect.LINUX_GUEST_COLLECTOR}"' in linux_script
    for field in re.findall(r'\.(?:get|opt)\("(\w+)"\)', Path(collect._linux.__file__).read_text()):
        assert f'"{field}"' in linux_script, field
    with pytest.raises(KeyError):
        collect.script_path("other.ps1")


def test_collector_kind() -> None:
    """Collector documents are told from inventories by their marker."""
    assert collect.collector_kind(load(NODE1)) == "host"
    assert collect.collector_kind(load(STANDALONE_GUEST)) == "guest"
    assert collect.collector_kind({"collector": "hyperv_backup.host/9"}) == "unknown"
    assert collect.collector_kind({"collector": "someone-else"}) is None
    assert collect.collector_kind([]) is None
