"""The collector adapter: recorded ``host.ps1`` / ``guest.ps1`` documents into an inventory.

No PowerShell runs here. The documents under ``tests/fixtures/collect/`` were
written to match what the scripts print (with Windows PowerShell 5.1's
quirks), or are byte-for-byte copies of published samples; see the README
there.
"""

from __future__ import annotations

import copy
import enum
import json
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import hyperv_backup as hb
from hyperv_backup import collect
from hyperv_backup.collect import (
    BUS_TYPES,
    CLUSTER_GROUP_STATES,
    CLUSTER_RESOURCE_STATES,
    CONTROLLER_TYPES,
    HOST_OS_VERSIONS,
    PARTITION_STYLES,
    SWITCH_TYPES,
    VHD_TYPES,
    VM_STATE_VERSION_DEPENDENT,
    VM_STATES,
    VM_STATES_WMI_V1,
    VSS_INTEGRATION_SERVICE_ID,
    from_documents,
    read_documents,
    writer_notes,
)
from hyperv_backup.collect._documents import Node
from hyperv_backup.inventory import InventoryError, InventoryLimits
from hyperv_backup.model import (
    Attachment,
    Cluster,
    FileSystem,
    GuestDiskType,
    Host,
    HostOS,
    HostStorage,
    NetworkKind,
    ResourceState,
    VhdType,
    VMState,
)

FIXTURES = Path(__file__).parent / "fixtures" / "collect"
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


def cluster() -> Cluster:
    target = read_documents([NODE1, NODE2], CLUSTER_GUESTS)
    assert isinstance(target, Cluster)
    return target


def standalone() -> Host:
    target = read_documents([STANDALONE], [STANDALONE_GUEST])
    assert isinstance(target, Host)
    return target


def problems_of(hosts: list[Any], guests: list[Any] | None = None) -> list[str]:
    with pytest.raises(InventoryError) as info:
        from_documents(hosts, guests or [])
    return [str(p) for p in info.value.problems]


def vm_of(target: Host | Cluster, name: str) -> hb.VM:
    return next(vm for host in hb.model.hosts_of(target) for vm in host.vms if vm.name == name)


# --- the enum tables, against the codes in samples/FORMATS.md --------------------------------


def table(codes: Mapping[int, collect.Code[Any]]) -> dict[int, tuple[str, Any]]:
    return {number: (code.name, code.value) for number, code in codes.items()}


def test_vm_states_match_formats_section_1() -> None:
    """Get-VM State: 2 Running, 3 Off, 6 Saved, 9 Paused have decisions; the rest are known only."""
    assert table(VM_STATES) == {
        1: ("Other", None),
        2: ("Running", VMState.RUNNING),
        3: ("Off", VMState.OFF),
        4: ("Stopping", None),
        6: ("Saved", VMState.SAVED),
        9: ("Paused", VMState.PAUSED),
        10: ("Starting", None),
        11: ("Reset", None),
        32773: ("Saving", None),
        32776: ("Pausing", None),
        32777: ("Resuming", None),
        32779: ("FastSaved", None),
        32780: ("FastSaving", None),
        32781: ("ForceShutdown", None),
        32782: ("ForceReboot", None),
    }
    assert VM_STATE_VERSION_DEPENDENT == 32783
    assert all(number < VM_STATE_VERSION_DEPENDENT for number in VM_STATES)


def test_wmi_v1_states_match_formats_section_8() -> None:
    r"""root\virtualization EnabledState: paused is 32768 and saved 32769, not 9 and 6."""
    assert table(VM_STATES_WMI_V1) == {
        2: ("Enabled", VMState.RUNNING),
        3: ("Disabled", VMState.OFF),
        32768: ("Paused", VMState.PAUSED),
        32769: ("Suspended", VMState.SAVED),
        32770: ("Starting", None),
        32771: ("Snapshotting", None),
        32773: ("Saving", None),
        32774: ("Stopping", None),
        32776: ("Pausing", None),
        32777: ("Resuming", None),
    }


def test_cluster_group_and_resource_states_differ() -> None:
    """FORMATS.md section 4: group states 0-4 and resource states 2/3/4/128-130 are different maps."""
    assert table(CLUSTER_GROUP_STATES) == {
        -1: ("Unknown", None),
        0: ("Online", ResourceState.ONLINE),
        1: ("Offline", ResourceState.OFFLINE),
        2: ("Failed", ResourceState.FAILED),
        3: ("PartialOnline", ResourceState.PARTIAL_ONLINE),
        4: ("Pending", ResourceState.PENDING),
    }
    assert table(CLUSTER_RESOURCE_STATES) == {
        -1: ("Unknown", None),
        0: ("Inherited", None),
        1: ("Initializing", None),
        2: ("Online", ResourceState.ONLINE),
        3: ("Offline", ResourceState.OFFLINE),
        4: ("Failed", ResourceState.FAILED),
        128: ("Pending", ResourceState.PENDING),
        129: ("OnlinePending", ResourceState.PENDING),
        130: ("OfflinePending", ResourceState.PENDING),
    }
    assert CLUSTER_GROUP_STATES[2].value is ResourceState.FAILED
    assert CLUSTER_RESOURCE_STATES[2].value is ResourceState.ONLINE


def test_disk_and_switch_tables_match_formats() -> None:
    """VhdType 2/3/4 (section 2), SwitchType 0/1/2 (section 7), ControllerType 0/1 (section 2)."""
    assert table(VHD_TYPES) == {
        0: ("Unknown", None),
        2: ("Fixed", VhdType.FIXED),
        3: ("Dynamic", VhdType.DYNAMICALLY_EXPANDING),
        4: ("Differencing", VhdType.DIFFERENCING),
    }
    assert table(SWITCH_TYPES) == {
        0: ("Private", NetworkKind.PRIVATE),
        1: ("Internal", NetworkKind.INTERNAL),
        2: ("External", NetworkKind.EXTERNAL),
    }
    assert table(CONTROLLER_TYPES) == {0: ("IDE", "IDE"), 1: ("SCSI", "SCSI")}
    assert table(PARTITION_STYLES) == {0: ("RAW", "RAW"), 1: ("MBR", "MBR"), 2: ("GPT", "GPT")}


def test_bus_types_name_every_bus_formats_lists() -> None:
    """Get-Disk BusType: iSCSI is 9 (section 6); every bus name section 6 shows is in the table."""
    assert BUS_TYPES[9].name == "iSCSI"
    assert BUS_TYPES[9].value == "iSCSI"
    names = {code.name.replace(" ", "").casefold() for code in BUS_TYPES.values()}
    for shown in ("SAS", "SCSI", "SATA", "iSCSI", "USB", "File Backed Virtual", "NVMe"):
        assert shown.replace(" ", "").casefold() in names
    assert collect.BusClass.UNSUPPORTED == BUS_TYPES[15].value == BUS_TYPES[16].value


def test_host_os_versions() -> None:
    """Win32_OperatingSystem.Version of each release; 10.0 is told apart by build."""
    assert dict(HOST_OS_VERSIONS) == {
        (6, 0, None): HostOS.WINDOWS_SERVER_2008,
        (6, 1, None): HostOS.WINDOWS_SERVER_2008_R2,
        (6, 2, None): HostOS.WINDOWS_SERVER_2012,
        (6, 3, None): HostOS.WINDOWS_SERVER_2012_R2,
        (10, 0, 14393): HostOS.WINDOWS_SERVER_2016,
        (10, 0, 17763): HostOS.WINDOWS_SERVER_2019,
        (10, 0, 20348): HostOS.WINDOWS_SERVER_2022,
        (10, 0, 26100): HostOS.WINDOWS_SERVER_2025,
    }
    assert set(HOST_OS_VERSIONS.values()) == set(HostOS)


# --- every code through a document ----------------------------------------------------------


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


@pytest.mark.parametrize(("number", "code"), sorted(VM_STATES.items()))
def test_every_vm_state_code_is_read_or_refused(number: int, code: collect.Code[VMState]) -> None:
    """A state with a decision maps to it, by number, by name, or both; any other is refused."""
    forms: list[dict[str, Any]] = [
        {"State": number, "StateName": None},
        {"State": number, "StateName": code.name},
        {"State": code.name, "StateName": None},
        {"StateName": code.name, "State": None},
        {"State": str(number), "StateName": None},
    ]
    for form in forms:
        if code.value is not None:
            assert host_of(minimal_host(**form)).vms[0].state is code.value
        else:
            problems = problems_of([minimal_host(**form)])
            assert problems[0].startswith("hosts[0].VMs[0].State: VM state ")
            assert f"{number} ({code.name})" in problems[0]
            assert "no decision" in problems[0]


@pytest.mark.parametrize(("number", "code"), sorted(VM_STATES_WMI_V1.items()))
def test_every_wmi_v1_state_code(number: int, code: collect.Code[VMState]) -> None:
    """On 2008 / 2008 R2 documents the v1 numbering applies: 32768 is paused, 32769 saved."""
    document = minimal_host(State=number, StateName=code.name)
    document["HyperVApi"] = "wmi-v1"
    if code.value is not None:
        assert host_of(document).vms[0].state is code.value
    else:
        assert "no decision" in problems_of([document])[0]
    # The same number read as a Hyper-V module state is another state, or unknown.
    module = minimal_host(State=number, StateName=None)
    module_code = VM_STATES.get(number)
    if module_code is None or module_code.value is None:
        with pytest.raises(InventoryError):
            from_documents([module])


@pytest.mark.parametrize("number", [32783, 32784, 32785, 32792, 40000])
def test_version_dependent_vm_states_are_refused(number: int) -> None:
    """From 32783 on the meaning depends on the module version: refused even with a name."""
    for form in (
        {"State": number, "StateName": None},
        {"State": number, "StateName": "RunningCritical"},
    ):
        problems = problems_of([minimal_host(**form)])
        assert problems[0].startswith(f"hosts[0].VMs[0].State: VM state {number}")
        assert "version-dependent" in problems[0]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"State": 5, "StateName": None}, "unknown VM state 5; known: 1 Other, 2 Running"),
        ({"State": 3, "StateName": "Running"}, "VM state 3 is 'Off', but StateName says 'Running'"),
        ({"State": "Hibernated", "StateName": None}, "unknown VM state 'Hibernated'"),
        (
            {"State": "Running", "StateName": "Off"},
            "VM state is 'Running', but StateName says 'Off'",
        ),
        ({"State": None, "StateName": None}, "required field missing: the VM state"),
        ({"State": True}, "expected an enum as a number or a name, got the boolean true"),
        ({"State": 2, "StateName": 2.5}, "expected the enum's name as a string"),
    ],
)
def test_bad_vm_state_forms(form: dict[str, Any], message: str) -> None:
    """Unknown codes and names, and a number and name that disagree, are refused with the path."""
    problems = problems_of([minimal_host(**form)])
    assert len(problems) == 1
    assert "hosts[0].VMs[0].State" in problems[0]
    assert message in problems[0]


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


@pytest.mark.parametrize(("number", "code"), sorted(VHD_TYPES.items()))
def test_every_vhd_type_code(number: int, code: collect.Code[VhdType]) -> None:
    """VhdType 2/3/4 give the model's VHD types; 0 (Unknown) is refused."""
    document = minimal_host(HardDrives=[drive(VhdType=number, VhdTypeName=code.name)])
    if code.value is None:
        assert problems_of([document]) == [
            "hosts[0].VMs[0].HardDrives[0].VhdType: VHD type 0 (Unknown) is not a type of "
            "virtual hard disk; there is no decision for it"
        ]
    else:
        assert host_of(document).vms[0].disks[0].vhd_type is code.value


@pytest.mark.parametrize(("number", "code"), sorted(CONTROLLER_TYPES.items()))
def test_every_controller_type_names_the_disk(number: int, code: collect.Code[str]) -> None:
    """ControllerType gives the disk's name: controller kind, number, location."""
    document = minimal_host(
        HardDrives=[
            drive(
                ControllerType=number,
                ControllerTypeName=None,
                ControllerNumber=1,
                ControllerLocation=3,
            )
        ]
    )
    assert host_of(document).vms[0].disks[0].name == f"{code.name} 1:3"


@pytest.mark.parametrize(("number", "code"), sorted(SWITCH_TYPES.items()))
def test_every_switch_type(number: int, code: collect.Code[NetworkKind]) -> None:
    """SwitchType 0/1/2 are private, internal and external virtual networks."""
    document = minimal_host()
    document["VMSwitches"] = [{"Name": "Net", "SwitchType": number, "SwitchTypeName": code.name}]
    assert host_of(document).virtual_networks[0].kind is code.value


@pytest.mark.parametrize(
    "version",
    [
        "6.0.6002",
        "6.1.7600",
        "6.2.9200",
        "6.3.9600",
        "10.0.14393",
        "10.0.17763",
        "10.0.20348",
        "10.0.26100",
    ],
)
def test_every_host_os_version(version: str) -> None:
    """Each Windows Server release's version string gives its HostOS."""
    document = minimal_host()
    document["OperatingSystem"] = {"Version": version, "ProductType": 3}
    assert host_of(document).os is collect._tables.host_os(version)


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


@pytest.mark.parametrize(("number", "code"), sorted(CLUSTER_RESOURCE_STATES.items()))
def test_every_cluster_resource_state(number: int, code: collect.Code[ResourceState]) -> None:
    """Resource states map to the model's; Unknown, Inherited and Initializing are refused."""
    document = minimal_cluster(resource_state=number)
    if code.value is None:
        problems = problems_of([document])
        assert problems[0].startswith("hosts[0].Cluster.Resources[0].State: cluster resource state")
    else:
        target = from_documents([document])
        assert isinstance(target, Cluster)
        group = target.nodes[0].vms[0].cluster_group
        assert group is not None
        assert group.cluster_resource is code.value


@pytest.mark.parametrize(("number", "code"), sorted(CLUSTER_GROUP_STATES.items()))
def test_every_cluster_group_state_is_checked(
    number: int, code: collect.Code[ResourceState]
) -> None:
    """A group's own state is read with the group table (2 is Failed there), and not used."""
    document = minimal_cluster(group_state=number, resource_state=2)
    target = from_documents([document])
    assert isinstance(target, Cluster)
    group = target.nodes[0].vms[0].cluster_group
    assert group is not None
    assert group.cluster_resource is ResourceState.ONLINE
    assert code.name in {"Unknown", "Online", "Offline", "Failed", "PartialOnline", "Pending"}


def test_unknown_group_and_resource_codes_are_refused() -> None:
    """A group state 7 and a resource state 5 are in neither table: refused with their paths."""
    problems = problems_of([minimal_cluster(group_state=7, disk_state=5)])
    assert problems[0].startswith("hosts[0].Cluster.Groups[0].State: unknown cluster group state 7")
    assert problems[1].startswith(
        "hosts[0].Cluster.Resources[2].State: unknown cluster resource state 5"
    )


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        ((2, 2), ResourceState.ONLINE),
        ((3, 3), ResourceState.OFFLINE),
        ((2, 3), ResourceState.PARTIAL_ONLINE),
        ((2, 4), ResourceState.FAILED),
        ((3, 129), ResourceState.PENDING),
        ((4, 130), ResourceState.FAILED),
    ],
)
def test_storage_state_of_several_disks(states: tuple[int, int], expected: ResourceState) -> None:
    """Several storage resources: one state, the worst of failed and pending, else partial."""
    document = minimal_cluster(disk_state=states[0])
    resources = document["Cluster"]["Resources"]
    resources.append({**resources[2], "Name": "Cluster Disk 2", "State": states[1]})
    target = from_documents([document])
    assert isinstance(target, Cluster)
    group = target.nodes[0].vms[0].cluster_group
    assert group is not None
    assert group.storage_resource is expected


@pytest.mark.parametrize(("number", "code"), sorted(BUS_TYPES.items()))
def test_every_bus_type(number: int, code: collect.Code[str]) -> None:
    """Bus type iSCSI (9) gives a guest iSCSI disk; files, spaces (15, 16) and 0 are refused."""
    host = minimal_host(HardDrives=[drive(ControllerType=0, ControllerTypeName="IDE")])
    guest = minimal_guest(
        Disks=[
            {"Number": 0, "BusType": 3, "Dynamic": False},
            {"Number": 1, "BusType": number, "BusTypeName": code.name, "Dynamic": False},
        ],
        Volumes=[volume("C:", [0]), volume("E:", [1])],
    )
    if code.value in (None, collect.BusClass.UNSUPPORTED):
        assert problems_of([host], [guest])[0].startswith("guests[0].Disks[1].BusType: ")
        return
    if code.value == collect.BusClass.ISCSI:
        disks = host_of_guest(host, guest).disks
        assert [(d.name, d.attachment) for d in disks] == [
            ("IDE 0:0", Attachment.VIRTUAL_HARD_DISK),
            ("iSCSI disk 1", Attachment.GUEST_ISCSI),
        ]
        assert [v.name for v in disks[1].volumes] == ["E:"]
    else:
        # Two guest disks, one drive: the second cannot be placed.
        problems = problems_of([host], [guest])
        assert any("cannot tell which drive" in p for p in problems)


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


@pytest.mark.parametrize(("number", "code"), sorted(PARTITION_STYLES.items()))
def test_every_partition_style_is_checked(number: int, code: collect.Code[str]) -> None:
    """PartitionStyle 0/1/2 are read (and not used); 3 is refused."""
    host = minimal_host(HardDrives=[drive()])
    guest = minimal_guest(
        Disks=[{"Number": 0, "BusType": 1, "PartitionStyle": number, "Dynamic": False}]
    )
    assert host_of_guest(host, guest).guest_inventoried
    bad = minimal_guest(Disks=[{"Number": 0, "BusType": 1, "PartitionStyle": 3, "Dynamic": False}])
    assert "unknown partition style 3" in problems_of([host], [bad])[0]


# --- the recorded two-node 2008 R2 cluster, end to end --------------------------------------


def test_recorded_cluster_check_end_to_end() -> None:
    """Two 2008 R2 nodes (one document UTF-16) and three guests -> check(): every finding, in order."""
    findings = [(f.rule.id, f.subject, f.host, f.vm) for f in hb.check(cluster())]
    assert findings == [
        ("HVB106", "SQL01", "HV-NODE1", "SQL01"),
        ("HVB501", "IDE 0:0", "HV-NODE1", "APP01"),
        ("HVB102", "HV-NODE2", "HV-NODE2", None),
        ("HVB106", "WEB01", "HV-NODE2", "WEB01"),
        ("HVB504", "DEV01", "HV-NODE2", "DEV01"),
        ("HVB201", "SCSI 0:0", "HV-NODE1", "SQL01"),
        ("HVB303", "SCSI 0:0", "HV-NODE1", "FS01"),
        ("HVB308", "FS01", "HV-NODE1", "FS01"),
        ("HVB502", "FS01", "HV-NODE1", "FS01"),
        ("HVB202", "iSCSI disk 1", "HV-NODE1", "APP01"),
        ("HVB309", "WEB01", "HV-NODE2", "WEB01"),
        ("HVB308", "WEB01", "HV-NODE2", "WEB01"),
        ("HVB502", "WEB01", "HV-NODE2", "WEB01"),
        ("HVB309", "DEV01", "HV-NODE2", "DEV01"),
        ("HVB308", "DEV01", "HV-NODE2", "DEV01"),
        ("HVB107", "TEST01", "HV-NODE2", "TEST01"),
        ("HVB309", "TEST01", "HV-NODE2", "TEST01"),
        ("HVB104", "HV-NODE1", "HV-NODE1", None),
        ("HVB505", "SQL01", "HV-NODE1", "SQL01"),
        ("HVB307", "APP01", "HV-NODE1", "APP01"),
        ("HVB104", "HV-NODE2", "HV-NODE2", None),
        ("HVB505", "WEB01", "HV-NODE2", "WEB01"),
        ("HVB307", "DEV01", "HV-NODE2", "DEV01"),
        ("HVB105", "TEST01", "HV-NODE2", "TEST01"),
        ("HVB307", "TEST01", "HV-NODE2", "TEST01"),
    ]


def test_recorded_cluster_places_each_vm_under_its_owner() -> None:
    """Each VM is under the node that owns its group; the cluster's name comes from the documents."""
    target = cluster()
    assert target.name == "HVCLUSTER01"
    assert [(n.name, [vm.name for vm in n.vms]) for n in target.nodes] == [
        ("HV-NODE1", ["SQL01", "FS01", "APP01"]),
        ("HV-NODE2", ["WEB01", "DEV01", "TEST01"]),
    ]
    assert all(n.os is HostOS.WINDOWS_SERVER_2008_R2 for n in target.nodes)
    groups = {vm.name: vm.cluster_group for n in target.nodes for vm in n.vms}
    assert groups["TEST01"] is None
    app = groups["APP01"]
    assert app is not None
    assert (app.owner_node, app.cluster_resource, app.configuration_resource) == (
        "HV-NODE1",
        ResourceState.OFFLINE,
        ResourceState.ONLINE,
    )
    dev = groups["DEV01"]
    assert dev is not None
    assert dev.storage_resource is ResourceState.FAILED
    web = groups["WEB01"]
    assert web is not None
    assert web.storage_resource is ResourceState.ONLINE  # from the Cluster Shared Volume


def test_recorded_cluster_states_use_the_v1_numbering() -> None:
    """EnabledState 32768 and 32769 from 2008 R2 documents are paused and saved."""
    target = cluster()
    states = {vm.name: vm.state for n in target.nodes for vm in n.vms}
    assert states == {
        "SQL01": VMState.RUNNING,
        "FS01": VMState.RUNNING,
        "APP01": VMState.SAVED,
        "WEB01": VMState.RUNNING,
        "DEV01": VMState.PAUSED,
        "TEST01": VMState.OFF,
    }


def test_recorded_cluster_guest_facts() -> None:
    """Guest disks are matched to drives by disk id, by bus, by being the last; iSCSI is added."""
    target = cluster()
    sql = vm_of(target, "SQL01")
    assert sql.guest_inventoried
    assert [(d.name, d.attachment, [v.name for v in d.volumes]) for d in sql.disks] == [
        ("IDE 0:0", Attachment.VIRTUAL_HARD_DISK, ["C:"]),  # the system reserved volume is left out
        ("SCSI 0:0", Attachment.PASS_THROUGH, ["L:"]),  # matched by its MBR signature
    ]
    assert sql.disks[0].host_storage is HostStorage.CLUSTER_SHARED_VOLUME
    fs = vm_of(target, "FS01")
    assert [(d.name, d.guest_disk_type, [v.name for v in d.volumes]) for d in fs.disks] == [
        ("IDE 0:0", GuestDiskType.BASIC, ["C:"]),
        # E: is on a dynamic disk, tied to no partition: it goes on the dynamic disk.
        ("SCSI 0:0", GuestDiskType.DYNAMIC, ["E:"]),
    ]
    app = vm_of(target, "APP01")
    assert [(d.name, d.attachment) for d in app.disks] == [
        ("IDE 0:0", Attachment.VIRTUAL_HARD_DISK),
        ("iSCSI disk 1", Attachment.GUEST_ISCSI),
    ]
    assert (
        app.disks[0].path == "\\\\?\\Volume{6a4e1f0c-2b7d-4e8a-9c61-0d5f3e2a7b90}\\APP01\\APP01.vhd"
    )
    for name in ("WEB01", "DEV01", "TEST01"):
        vm = vm_of(target, name)
        assert not vm.guest_inventoried
        assert all(not d.volumes for d in vm.disks)


def test_recorded_cluster_host_facts() -> None:
    """Updates, switches, Windows Server Backup registration, snapshots oldest first."""
    target = cluster()
    node1, node2 = target.nodes
    assert node1.installed_updates == frozenset({"KB975354", "KB982210", "KB2506143"})
    assert [(n.name, n.kind, n.physical_adapter) for n in node1.virtual_networks] == [
        (
            "Production",
            NetworkKind.EXTERNAL,
            "Broadcom BCM5709C NetXtreme II GigE (NDIS VBD Client) #2",
        ),
        ("Lab", NetworkKind.PRIVATE, None),
    ]
    assert node1.backup_application == hb.BackupApplication(
        name="Windows Server Backup", is_windows_server_backup=True, hyperv_writer_registered=True
    )
    assert node2.backup_application is not None
    assert not node2.backup_application.hyperv_writer_registered
    assert vm_of(target, "TEST01").snapshots == ("Before SP1", "After SP1")
    assert vm_of(target, "APP01").network_adapters[1] == hb.NetworkAdapter(
        name="Legacy Network Adapter", virtual_network=None
    )


def test_recorded_cluster_plan() -> None:
    """The plan of the recorded cluster: SQL01 online, the rest offline, three with downtime."""
    plan = hb.backup_plan(cluster())
    modes = {name: (d.mode.value, d.causes_downtime) for name, d in plan.decisions.items()}
    assert modes == {
        "SQL01": ("online", False),
        "FS01": ("offline", True),
        "APP01": ("offline", False),
        "WEB01": ("offline", True),
        "DEV01": ("offline", True),
        "TEST01": ("offline", False),
    }


def test_the_recorded_quirks_are_there() -> None:
    r"""The fixtures carry what Windows PowerShell 5.1 writes: UTF-16, \/Date()\/, bare objects."""
    raw = NODE2.read_bytes()
    assert raw.startswith(b"\xff\xfe{\x00")
    text = raw[2:].decode("utf-16-le")
    assert '"CollectedAt":  "\\/Date(1326441662000)\\/"' in text
    node2 = load(NODE2)
    assert isinstance(node2["VMSwitches"], dict)  # one switch, not wrapped in an array
    assert isinstance(node2["VMs"][0]["HardDrives"], dict)
    owner = node2["Cluster"]["Groups"][0]["OwnerNode"]
    assert owner["Cluster"] == "HVCLUSTER01"  # a nested object written as its text
    assert "\\u0027Microsoft Hyper-V VSS Writer\\u0027" in NODE1.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "encode",
    [
        lambda d: d,
        json.dumps,
        lambda d: json.dumps(d).encode("utf-8"),
        lambda d: json.dumps(d).encode("utf-8-sig"),
        lambda d: json.dumps(d).encode("utf-16"),
        lambda d: b"\xff\xfe" + json.dumps(d).encode("utf-16-le"),
    ],
    ids=["mapping", "str", "utf-8", "utf-8-bom", "utf-16", "utf-16-le-bom"],
)
def test_every_document_form_gives_the_same_inventory(encode: Callable[[Doc], Any]) -> None:
    """A document may be a mapping, JSON text, or bytes in UTF-8 or UTF-8/UTF-16 with a BOM."""
    hosts = [encode(load(NODE1)), encode(load(NODE2))]
    guests = [encode(load(p)) for p in CLUSTER_GUESTS]
    assert from_documents(hosts, guests) == cluster()


def test_recorded_cluster_round_trips_as_an_inventory() -> None:
    """What the adapter builds is a valid inventory: dump, parse, the same object."""
    target = cluster()
    assert hb.parse_inventory(json.dumps(hb.dump_inventory(target))) == target


# --- the recorded standalone Windows Server 2022 host (PowerShell 7) -------------------------


def test_recorded_standalone_host() -> None:
    """One document from a host that is no cluster node gives a Host; ISO dates; HotFix objects."""
    host = standalone()
    assert (host.name, host.os) == ("HV-STANDALONE02", HostOS.WINDOWS_SERVER_2022)
    assert host.installed_updates == frozenset({"KB5031364", "KB5034439"})
    assert host.backup_application is None  # Windows Server Backup is not installed
    assert host.virtual_networks[0].vlan_id == 20
    web = host.vms[0]
    assert web.id == "7c1f0e2d-9a8b-4c3d-8e5f-6a7b8c9d0e11"
    # Two SCSI disks of one VM: matched by their sizes. The EFI and recovery
    # partitions (no letter, no folder) are left out; C:\Scratch is a mount folder.
    assert [(d.name, d.vhd_type, [v.name for v in d.volumes]) for d in web.disks] == [
        ("SCSI 0:0", VhdType.DYNAMICALLY_EXPANDING, ["C:"]),
        ("SCSI 0:1", VhdType.FIXED, ["L:", "C:\\Scratch"]),
    ]
    assert web.disks[0].volumes[0].shadow_storage == "L:"
    assert web.disks[1].volumes[1].file_system is FileSystem.FAT32
    archive = host.vms[1]
    assert [(d.attachment, d.host_storage) for d in archive.disks] == [
        (Attachment.VIRTUAL_HARD_DISK, HostStorage.SMB),
        (Attachment.PASS_THROUGH, HostStorage.LOCAL),
    ]
    assert not archive.backup_integration_service
    assert [(f.rule.id, f.subject) for f in hb.check(host)] == [
        ("HVB306", "C:"),
        ("HVB304", "C:\\Scratch"),
        ("HVB308", "WEB01"),
        ("HVB201", "SCSI 0:1"),
        ("HVB302", "ARCHIVE01"),
        ("HVB309", "ARCHIVE01"),
        ("HVB100", "HV-STANDALONE02"),
        ("HVB104", "HV-STANDALONE02"),
        ("HVB105", "ARCHIVE01"),
        ("HVB307", "ARCHIVE01"),
    ]


def test_guest_is_matched_by_id_before_name() -> None:
    """A guest names its VM by id (preferred) or by name; the guest's computer name is not used."""
    host = load(STANDALONE)
    guest = load(STANDALONE_GUEST)
    assert guest["ComputerName"] != "WEB01"
    guest["VirtualMachineName"] = "SOMETHING-ELSE"  # the id still matches
    target = from_documents([host], [guest])
    assert isinstance(target, Host)
    assert target.vms[0].guest_inventoried
    guest["VirtualMachineId"] = None
    assert problems_of([host], [guest]) == [
        "guests[0].VirtualMachineName: no VM with the name 'SOMETHING-ELSE' in the host documents"
    ]
    guest["VirtualMachineName"] = "WEB01"
    assert from_documents([host], [guest]) == target


def test_a_vm_without_a_guest_document_has_no_guest_facts() -> None:
    """guest_inventoried=False, no volumes, and the guest-side conditions are not evaluated."""
    host = read_documents([STANDALONE])
    assert isinstance(host, Host)
    web = host.vms[0]
    assert not web.guest_inventoried
    assert all(not d.volumes and d.guest_disk_type is GuestDiskType.BASIC for d in web.disks)
    reasons = [r.rule.id for r in hb.backup_mode(web).reasons]
    assert reasons == ["HVB309"]


# --- samples copied byte for byte from samples/ ----------------------------------------------


def sample(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.mark.parametrize(
    ("name", "running", "off"),
    [
        ("centreon-nodeintegrationservice-ws2022-json-1.json", 2, 7),
        ("centreon-nodeintegrationservice-ws2022-json-2.json", 16, 1),
    ],
)
def test_centreon_captures_state_codes(name: str, running: int, off: int) -> None:
    """Real Windows Server 2022 captures: their state numbers read through VM_STATES."""
    records = json.loads(sample(name))
    states = [VM_STATES[record["state"]].value for record in records]
    assert states.count(VMState.RUNNING) == running
    assert states.count(VMState.OFF) == off


def test_centreon_capture_is_not_a_collector_document() -> None:
    """The centreon document (a VM list, no host) is refused as a host document, with the reason."""
    assert problems_of([sample("centreon-nodeintegrationservice-ws2022-json-1.json")]) == [
        "hosts[0]: expected a collector document (a JSON object), got an array"
    ]


def test_centreon_services_without_ids_are_refused() -> None:
    """The centreon capture names integration services (localized) without ids: none is guessed.

    Its capture also shows two VMs named VSERVER07 on one host: refused, names must be unique.
    """
    records = json.loads(sample("centreon-nodeintegrationservice-ws2022-json-1.json"))
    vms = [
        {
            "Name": r["name"],
            "State": r["state"],
            "IntegrationServices": [
                {"Name": s["service"], "Enabled": s["enabled"]} for s in r["services"]
            ],
            "HardDrives": [],
            "Snapshots": [],
            "NetworkAdapters": [],
        }
        for r in records
    ]
    document = minimal_host()
    document["VMs"] = vms
    problems = problems_of([document])
    assert problems[0] == "hosts[0].VMs[0].IntegrationServices[0].Id: required field missing"
    for service in (s for vm in vms for s in vm["IntegrationServices"]):
        service["Id"] = "Microsoft:00000000-0000-0000-0000-000000000000\\" + (
            VSS_INTEGRATION_SERVICE_ID
            if service["Name"] == "VSS"
            else "84EAAE65-2F2E-45F5-9BB5-0E857DC8EB47"
        )
    assert problems_of([document]) == [
        "hosts[0].VMs[7].Name: a second VM named 'VSERVER07' (the first is hosts[0].VMs[6]); "
        "the inventory needs VM names that are unique"
    ]


def test_localized_service_names_do_not_matter() -> None:
    """The backup service is found by its id: German names, and a decoy named VSS, change nothing."""
    listing = sample("get-vmintegrationservice-name-id-de-en-commontasks-1.txt").decode("utf-8")
    rows = re.findall(r"#\s(\S.*?)\s{2,}(Microsoft:\S+)", listing)
    german = [(name, ident) for name, ident in rows if "F9C25F23" in ident]
    assert [name for name, _ in german][:2] == ["Gastdienstschnittstelle", "Takt"]
    vss = [ident for name, ident in german if ident.endswith(VSS_INTEGRATION_SERVICE_ID)]
    assert len(vss) == 1
    services = [
        {"Name": name, "Id": ident, "Enabled": not ident.endswith(VSS_INTEGRATION_SERVICE_ID)}
        for name, ident in german
    ]
    services.append(
        {
            "Name": "VSS",
            "Id": "Microsoft:F9C25F23\\00000000-0000-0000-0000-000000000000",
            "Enabled": True,
        }
    )
    vm = host_of(minimal_host(IntegrationServices=services)).vms[0]
    assert vm.backup_integration_service is False


def convertto_json_sample(name: str) -> Any:
    text = sample(name).decode("utf-8")
    return json.loads(text[text.index("{") :])


def read_date(value: Any) -> datetime:
    return Node(value, "CreationTime").date()


def test_powershell_51_dates_from_the_convertto_json_samples() -> None:
    r"""\/Date(ms)\/ as Windows PowerShell 5.1 writes it, down to year 1 and up to year 9999."""
    calendar = convertto_json_sample("convertto-json-ps51-calendar-msdocs-1.txt")
    assert read_date(calendar["MinSupportedDateTime"]) == datetime(1, 1, 1, 8, tzinfo=UTC)
    assert read_date(calendar["MaxSupportedDateTime"]).year == 9999
    now = convertto_json_sample("convertto-json-ps51-datetime-timespan-msdocs-1.txt")
    assert read_date(now["Date"]) == datetime(2012, 1, 13, 8, tzinfo=UTC)
    # A TimeSpan is an object of ticks and totals, not a date.
    with pytest.raises(InventoryError) as info:
        read_date(now["TimeOfDay"])
    assert str(info.value) == "CreationTime.value: required field missing"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/Date(1326441600000)/", datetime(2012, 1, 13, 8, tzinfo=UTC)),
        ("/Date(1326441600000+0100)/", datetime(2012, 1, 13, 8, tzinfo=UTC)),
        (
            {"value": "/Date(1326441600000)/", "DisplayHint": 2},
            datetime(2012, 1, 13, 8, tzinfo=UTC),
        ),
        ("2012-01-13T08:00:00Z", datetime(2012, 1, 13, 8, tzinfo=UTC)),
        ("2012-01-13T09:00:00.1234567+01:00", datetime(2012, 1, 13, 8, 0, 0, 123456, tzinfo=UTC)),
        ("2012-01-13T08:00:00", datetime(2012, 1, 13, 8, tzinfo=UTC)),
    ],
)
def test_both_date_formats(value: Any, expected: datetime) -> None:
    r"""\/Date(ms)\/ (5.1, with or without its ETS wrapper) and ISO 8601 (7.x) read the same."""
    assert read_date(value) == expected


def test_snapshots_are_ordered_by_either_date_format() -> None:
    """Snapshot dates order the snapshots, whichever format each is in."""
    snapshots: list[dict[str, Any]] = [
        {"Name": "third", "CreationTime": "2012-01-14T00:00:00Z"},
        {"Name": "first", "CreationTime": "/Date(-62135568000000)/"},
        {"Name": "second", "CreationTime": {"value": "/Date(1326441600000)/"}},
    ]
    assert host_of(minimal_host(Snapshots=snapshots)).vms[0].snapshots == (
        "first",
        "second",
        "third",
    )
    snapshots[0]["CreationTime"] = "yesterday"
    assert problems_of([minimal_host(Snapshots=snapshots)]) == [
        "hosts[0].VMs[0].Snapshots[0].CreationTime: expected a date as \\/Date(milliseconds)\\/ "
        "or ISO 8601, got the string 'yesterday'"
    ]


def test_writer_notes_from_a_real_failed_writer() -> None:
    """A real capture with the Hyper-V writer failed gives a note; a stable writer gives none."""
    failed = sample("vssadmin-list-writers-hyperv-failed-blog-1.txt").decode("utf-8")
    document = minimal_host()
    document["VssWriters"] = failed
    assert writer_notes([document]) == (
        "HV01: the Hyper-V VSS writer is in state [8], not stable (last error: Inconsistent "
        "shadow copy)",
    )
    assert writer_notes([NODE1.read_bytes(), NODE2.read_bytes()]) == ()
    document["VssWriters"] = failed.replace("66841cd4", "00000000")
    assert "not listed by vssadmin" in writer_notes([document])[0]
    document["VssWriters"] = None
    assert writer_notes([document]) == ("HV01: the document has no 'vssadmin list writers' output",)
    document["VssWriters"] = "Writer name: 'Microsoft Hyper-V VSS Writer'\n   Writer Id: nope"
    assert "cannot be read: line 2" in writer_notes([document])[0]


def test_diskpart_text_from_a_real_capture() -> None:
    """A guest document with diskpart's text instead of Disks and Volumes: the readers read it."""
    text = sample("diskpart-list-disk-list-volume-piped-beatcracker-1.txt").decode("utf-8")
    guest = minimal_guest(
        Disks=None, Volumes=None, IscsiDisks=None, DiskpartListDisk=text, DiskpartListVolume=text
    )
    host = minimal_host(HardDrives=[drive(ControllerType=0, ControllerTypeName="IDE")])
    problems = problems_of([host], [guest])
    # Without Get-Disk's bus type, only the list of iSCSI disks can rule iSCSI out.
    assert problems == [
        "guests[0].DiskpartListDisk[disk 0]: cannot tell whether disk 0 is reached through "
        "iSCSI: the document gives neither its BusType nor the guest's iSCSI disks (IscsiDisks)"
    ]
    guest["IscsiDisks"] = []
    vm = host_of_guest(host, guest)
    # The DVD drive (E, no media) is not a disk of the VM; C: and D: are on the only disk.
    assert [(d.name, [(v.name, v.file_system) for v in d.volumes]) for d in vm.disks] == [
        ("IDE 0:0", [("C:", FileSystem.NTFS), ("D:", FileSystem.NTFS)])
    ]


def test_vssadmin_text_for_shadow_storage() -> None:
    """Shadow storage from the text of vssadmin list shadowstorage, matched by letter or GUID path."""
    guid = "\\\\?\\Volume{{{0}}}\\"
    c_id, e_id = "c0000000-0000-4000-8000-000000000000", "e0000000-0000-4000-8000-000000000000"
    text = "\n".join(
        [
            "vssadmin 1.1 - Volume Shadow Copy Service administrative command-line tool",
            "(C) Copyright 2001-2013 Microsoft Corp.",
            "",
            "Shadow Copy Storage association",
            "   For volume: (C:)" + guid.format(c_id),
            "   Shadow Copy Storage volume: " + guid.format(e_id),
            "   Used Shadow Copy Storage space: 0 B (0%)",
            "   Allocated Shadow Copy Storage space: 0 B (0%)",
            "   Maximum Shadow Copy Storage space: UNBOUNDED (100%)",
        ]
    )
    guest = minimal_guest(
        Volumes=[volume("C:", [0]), volume("E:", [0])],
        ShadowStorage=None,
        VssadminListShadowStorage=text,
    )
    vm = host_of_guest(minimal_host(HardDrives=[drive()]), guest)
    assert [(v.name, v.shadow_storage) for v in vm.disks[0].volumes] == [("C:", "E:"), ("E:", None)]
    guest["VssadminListShadowStorage"] = text.replace(e_id, "f0000000-0000-4000-8000-000000000000")
    problems = problems_of([minimal_host(HardDrives=[drive()])], [guest])
    assert problems[0].startswith("guests[0].VssadminListShadowStorage[0]: the shadow copies of C:")
    guest["VssadminListShadowStorage"] = "not vssadmin"
    problems = problems_of([minimal_host(HardDrives=[drive()])], [guest])
    assert problems[0].startswith(
        "guests[0].VssadminListShadowStorage: line 1: expected the output"
    )


# --- guest services, VSS, matching -----------------------------------------------------------


@pytest.mark.parametrize(
    ("services", "installed", "enabled", "vss"),
    [
        (
            [{"Name": "VSS", "StartMode": "Manual"}, {"Name": "vmicvss", "StartMode": "Auto"}],
            True,
            True,
            True,
        ),
        (
            [{"Name": "VSS", "StartMode": "Disabled"}, {"Name": "vmicvss", "StartMode": "Auto"}],
            True,
            True,
            False,
        ),
        (
            [{"Name": "VSS", "StartMode": "Manual"}, {"Name": "vmicvss", "StartMode": "Disabled"}],
            True,
            False,
            True,
        ),
        ([{"Name": "VSS", "StartMode": "Manual"}], False, False, True),
        ({"Name": "vss", "StartMode": "Auto"}, False, False, True),
    ],
)
def test_guest_services(services: Any, installed: bool, enabled: bool, vss: bool) -> None:
    """The guest's requestor service tells whether integration services are installed and enabled."""
    vm = host_of_guest(minimal_host(HardDrives=[drive()]), minimal_guest(Services=services))
    assert vm.integration_services is installed
    assert vm.backup_integration_service is enabled
    assert vm.disks[0].volumes[0].vss_enabled is vss


def two_drive_host() -> Doc:
    return minimal_host(
        HardDrives=[
            drive(ControllerLocation=0, Size=100, Path="D:\\a.vhdx"),
            drive(ControllerLocation=1, Size=200, Path="D:\\b.vhdx"),
        ]
    )


def two_disk_guest(**disk1: Any) -> Doc:
    return minimal_guest(
        Disks=[
            {"Number": 0, "BusType": 1, "Dynamic": False},
            {"Number": 1, "BusType": 1, "Dynamic": True, **disk1},
        ],
        Volumes=[volume("C:", [0]), volume("E:", [1])],
    )


def test_matching_needs_proof() -> None:
    """Two SCSI drives and two SCSI disks without sizes: no pairing is guessed."""
    problems = problems_of([two_drive_host()], [two_disk_guest()])
    assert problems == [
        "guests[0].Disks[0]: cannot tell which drive of VM 'VM01' guest disk 0 is (drives left: "
        'SCSI 0:0, SCSI 0:1); name it in HostDrive, such as "SCSI 0:1"',
        "guests[0].Disks[1]: cannot tell which drive of VM 'VM01' guest disk 1 is (drives left: "
        'SCSI 0:0, SCSI 0:1); name it in HostDrive, such as "SCSI 0:1"',
    ]


@pytest.mark.parametrize(
    "disk1",
    [{"Size": 100}, {"HostDrive": "scsi  0:0"}],
    ids=["size", "named"],
)
def test_matching_by_size_or_by_name(disk1: dict[str, Any]) -> None:
    """A unique exact size, or a drive named in HostDrive, pairs a disk; the last one follows."""
    vm = host_of_guest(two_drive_host(), two_disk_guest(**disk1))
    assert [(d.name, d.guest_disk_type, [v.name for v in d.volumes]) for d in vm.disks] == [
        ("SCSI 0:0", GuestDiskType.DYNAMIC, ["E:"]),
        ("SCSI 0:1", GuestDiskType.BASIC, ["C:"]),
    ]


def test_unknown_host_drive_is_refused() -> None:
    """HostDrive must name a drive of the VM."""
    problems = problems_of([two_drive_host()], [two_disk_guest(HostDrive="IDE 1:1")])
    assert problems == [
        "guests[0].Disks[1].HostDrive: VM 'VM01' has no drive 'IDE 1:1' left to match (drives: "
        "SCSI 0:0, SCSI 0:1)"
    ]


# --- bad documents -------------------------------------------------------------------------


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
    assert "FORMATS.md" in host_script  # where the id comes from
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
    with pytest.raises(KeyError):
        collect.script_path("other.ps1")


def test_collector_kind() -> None:
    """Collector documents are told from inventories by their marker."""
    assert collect.collector_kind(load(NODE1)) == "host"
    assert collect.collector_kind(load(STANDALONE_GUEST)) == "guest"
    assert collect.collector_kind({"collector": "hyperv_backup.host/9"}) == "unknown"
    assert collect.collector_kind({"collector": "someone-else"}) is None
    assert collect.collector_kind([]) is None


# --- less common shapes ----------------------------------------------------------------------


def test_structured_shadow_storage() -> None:
    """Other producers may list shadow storage as {Volume, DiffVolume}; it wins over the text."""
    guest = minimal_guest(
        Volumes=[volume("C:", [0]), volume("E:", [0])],
        ShadowStorage=[
            {"Volume": "\\\\?\\Volume{C0000000-0000-4000-8000-000000000000}\\", "DiffVolume": "e:"},
            {"Volume": "\\\\?\\Volume{99999999-0000-4000-8000-000000000000}\\", "DiffVolume": "E:"},
        ],
        VssadminListShadowStorage="not read",
    )
    vm = host_of_guest(minimal_host(HardDrives=[drive()]), guest)
    # The second association is for a volume the guest does not list: left out.
    assert [(v.name, v.shadow_storage) for v in vm.disks[0].volumes] == [("C:", "E:"), ("E:", None)]


@pytest.mark.parametrize(
    ("guest", "expected"),
    [
        (
            minimal_guest(Disks=[{"Number": 0, "BusTypeName": "Spaces", "Dynamic": False}]),
            "guests[0].Disks[0].BusType: disk 0 is not one of the VM's drives",
        ),
        (
            minimal_guest(Volumes=[{"FileSystem": "NTFS", "DiskNumbers": [0]}]),
            "guests[0].Volumes[0]: a volume with no drive letter, no Name and no DeviceId",
        ),
        (
            minimal_guest(Volumes=[volume("C:", [0]), volume("C:", [0])]),
            "hosts[0].VMs[0]: in the inventory, disks[0].volumes[1].name: duplicate volume name 'C:'",
        ),
        (
            minimal_guest(Disks=[{"Number": 0, "InterfaceType": "USB", "Dynamic": False}]),
            "guests[0].Disks[0]: cannot tell whether disk 0 is reached through iSCSI",
        ),
    ],
)
def test_unusual_guest_documents(guest: Doc, expected: str) -> None:
    """Storage spaces, nameless volumes, a volume listed twice, a bus that does not rule out iSCSI."""
    guest.setdefault("IscsiDisks", None)
    if "InterfaceType" in str(guest["Disks"]):
        guest["IscsiDisks"] = None
    problems = problems_of([minimal_host(HardDrives=[drive()])], [guest])
    assert any(p.startswith(expected) for p in problems), problems


def test_win32_interface_type_with_the_iscsi_list() -> None:
    """An older guest's InterfaceType and its list of iSCSI disks place every disk."""
    guest = minimal_guest(
        Disks=[
            {"Number": 0, "InterfaceType": "USB", "Dynamic": False},
            {"Number": 1, "InterfaceType": "SCSI", "Dynamic": False},
        ],
        Volumes=[volume("C:", [0]), volume("F:", [1])],
        IscsiDisks=[1],
    )
    vm = host_of_guest(minimal_host(HardDrives=[drive()]), guest)
    assert [(d.name, d.attachment) for d in vm.disks] == [
        ("SCSI 0:0", Attachment.VIRTUAL_HARD_DISK),
        ("iSCSI disk 1", Attachment.GUEST_ISCSI),
    ]


@pytest.mark.parametrize(
    ("vm", "expected"),
    [
        (
            {
                "IntegrationServices": [
                    {"Id": f"a\\{VSS_INTEGRATION_SERVICE_ID}", "Enabled": True},
                    {"Id": f"b\\{VSS_INTEGRATION_SERVICE_ID.lower()}\\0", "Enabled": False},
                ]
            },
            "hosts[0].VMs[0].IntegrationServices[1]: a second backup (volume shadow copy) "
            "integration service",
        ),
        (
            {"HardDrives": [drive(DiskNumber=2, DiskId=2**32)]},
            "hosts[0].VMs[0].HardDrives[0].DiskId: expected an MBR signature (32 bits)",
        ),
        (
            {"HardDrives": [drive(DiskNumber=2, DiskId=["x"])]},
            "hosts[0].VMs[0].HardDrives[0].DiskId: expected a disk id",
        ),
        (
            {"Snapshots": [{"Name": "a", "CreationTime": 5}]},
            "hosts[0].VMs[0].Snapshots[0].CreationTime: expected a date, got the number 5",
        ),
        (
            {"NetworkAdapters": 5},
            "hosts[0].VMs[0].NetworkAdapters[0]: expected an object, got the number 5",
        ),
        (
            {"HardDrives": True},
            "hosts[0].VMs[0].HardDrives[0]: expected an object, got the boolean true",
        ),
        (
            {"HardDrives": frozenset()},  # not JSON: only a parsed mapping from Python can hold it
            "hosts[0].VMs[0].HardDrives: expected an array, got frozenset",
        ),
    ],
)
def test_unusual_host_documents(vm: dict[str, Any], expected: str) -> None:
    """Two backup services, a signature too wide, a number for a date, the wrong container."""
    problems = problems_of([minimal_host(**vm)])
    assert any(p.startswith(expected) for p in problems), problems


def test_pass_through_signature_as_a_number_and_snapshots_without_dates() -> None:
    """Win32_DiskDrive writes the signature as a number; snapshots without dates keep their order."""
    document = minimal_host(
        HardDrives=[drive(DiskNumber=2, DiskId=0x5E1A7C42, Path="Disk 2 200.00 GB Bus 0 Lun 0")],
        Snapshots=[{"Name": "b"}, {"Name": "a", "CreationTime": None}],
    )
    guest = minimal_guest(
        Disks=[{"Number": 0, "BusType": 1, "Dynamic": False, "DiskId": "5e1a7c42"}]
    )
    vm = host_of_guest(document, guest)
    assert vm.snapshots == ("b", "a")
    disk = vm.disks[0]
    assert (disk.attachment, disk.path, [v.name for v in disk.volumes]) == (
        Attachment.PASS_THROUGH,
        None,  # what Path says of a pass-through drive is not a file
        ["C:"],
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda c: c["Resources"].append({**c["Resources"][0], "Name": "Virtual Machine again"}),
            "hosts[0].Cluster.Resources[3]: a second 'Virtual Machine' resource for VM 'VM01'",
        ),
        (
            lambda c: c["Resources"][0].update(OwnerGroup="Elsewhere"),
            "hosts[0].Cluster.Resources[0].OwnerGroup: resource 'Virtual Machine VM01' of VM "
            "'VM01' is in no group the document lists",
        ),
        (
            lambda c: c["Resources"].pop(1),
            "hosts[0].Cluster.Groups[0]: group 'VM01' of VM 'VM01' has 0 'Virtual Machine "
            "Configuration' resources for it; expected one",
        ),
        (
            lambda c: c.update(Nodes=[]),
            "hosts[0].Cluster.Nodes: a cluster has at least one node, got none",
        ),
        (
            lambda c: c["Groups"][0].update(OwnerNode={"Id": 1}),
            "hosts[0].Cluster.Groups[0].OwnerNode.Name: required field missing",
        ),
    ],
)
def test_unusual_cluster_sections(change: Callable[[Doc], Any], expected: str) -> None:
    """Resources that do not add up to one group per VM are refused with their place."""
    document = minimal_cluster()
    change(document["Cluster"])
    problems = problems_of([document])
    assert any(p.startswith(expected) for p in problems), problems


@pytest.mark.parametrize("version", ["6.1", "6.x.7601", "", "10.0.19045.1", "5.2.3790"])
def test_unreadable_or_unknown_versions(version: str) -> None:
    """A version that is not major.minor.build of a known Windows Server release is refused."""
    document = minimal_host()
    document["OperatingSystem"]["Version"] = version
    assert problems_of([document])[0].startswith("hosts[0].OperatingSystem.Version: ")


def test_node_repr_names_value_and_path() -> None:
    """A Node shows what it holds and where, for debugging."""
    assert repr(Node([1], "hosts[0].VMs")) == "Node(an array at 'hosts[0].VMs')"


def test_documents_are_not_changed() -> None:
    """Reading leaves the parsed documents it is given as they were."""
    hosts = [load(NODE1), load(NODE2)]
    guests = [load(p) for p in CLUSTER_GUESTS]
    before = copy.deepcopy((hosts, guests))
    from_documents(hosts, guests)
    assert (hosts, guests) == before


# --- review fixes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("letter", "expected"), [("L", "L:"), ("l:", "L:"), ("L:\\", "L:"), ("e\\", "E:")]
)
def test_a_drive_letter_is_normalised(letter: str, expected: str) -> None:
    """A drive letter may come with or without its colon and backslash; it is always named "X:"."""
    guest = minimal_guest(Volumes=[dict(volume("C:", [0]), DriveLetter=letter)])
    vm = host_of_guest(minimal_host(HardDrives=[drive()]), guest)
    assert [v.name for v in vm.disks[0].volumes] == [expected]


@pytest.mark.parametrize("letter", ["\\", "LL", "1:", "C:\\Data", ":"])
def test_a_drive_letter_that_is_not_one_is_refused(letter: str) -> None:
    """Anything but one letter (with an optional colon and backslash) is refused with its place."""
    guest = minimal_guest(Volumes=[dict(volume("C:", [0]), DriveLetter=letter)])
    problems = problems_of([minimal_host(HardDrives=[drive()])], [guest])
    assert problems == [
        "guests[0].Volumes[0].DriveLetter: expected a drive letter such as 'C' or 'C:', got "
        f"the string {letter!r}"
    ]


def test_a_model_refusal_of_a_disk_or_volume_names_the_document_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Whatever the model refuses while building disks and volumes is an InventoryError with a path."""
    from hyperv_backup.collect import _disks
    from hyperv_backup.model import ModelError

    def refuse(**_: Any) -> None:
        raise ModelError("name", "x", "refused for the test")

    monkeypatch.setattr(_disks, "Volume", refuse)
    problems = problems_of([minimal_host(HardDrives=[drive()])], [minimal_guest()])
    assert problems == ["guests[0].Volumes[0]: in the inventory, name: refused for the test"]
    monkeypatch.setattr(_disks, "Disk", refuse)
    problems = problems_of([minimal_host(HardDrives=[drive()])])
    assert problems == [
        "hosts[0].VMs[0].HardDrives[0]: in the inventory, name: refused for the test"
    ]

    def refuse_whole(**_: Any) -> None:
        raise ModelError("", "x", "refused as a whole")

    monkeypatch.setattr(_disks, "Disk", refuse_whole)
    problems = problems_of([minimal_host(HardDrives=[drive()])])
    assert problems == ["hosts[0].VMs[0].HardDrives[0]: refused as a whole"]


@pytest.mark.parametrize("field", ["VMs.0.Id", "Cluster.Resources.0.VmId"])
def test_ids_that_are_not_guids_are_refused(field: str) -> None:
    """VM ids are GUIDs (with or without braces); anything else cannot be matched with certainty."""
    document = mutate(minimal_cluster(), field, "VM01")
    assert problems_of([document])[0] == (
        f"hosts[0].{field.replace('.0.', '[0].')}: expected a GUID such as "
        "3f2504e0-4f89-41d3-9a0c-0305e82c3301, got the string 'VM01'"
    )
    braced = mutate(minimal_cluster(), "VMs.0.Id", "{6F9A2C1E-0B1D-4C51-9D0E-3C2B7A1F0E11}")
    target = from_documents([braced])
    assert isinstance(target, Cluster)
    assert target.nodes[0].vms[0].cluster_group is not None


def test_a_vm_without_an_id_on_a_cluster_node_is_not_clustered() -> None:
    """Without an id no resource can name the VM: it has no cluster group."""
    document = minimal_cluster()
    document["Cluster"]["Resources"] = document["Cluster"]["Resources"][2:]
    document["VMs"][0]["Id"] = None
    target = from_documents([document])
    assert isinstance(target, Cluster)
    assert target.nodes[0].vms[0].cluster_group is None


def test_a_disk_is_not_paired_by_size_with_a_drive_on_another_bus() -> None:
    """An ATA (IDE) guest disk with the size of the SCSI drive is the IDE drive, by its bus."""
    host = minimal_host(
        HardDrives=[
            drive(ControllerType=0, ControllerTypeName="IDE", Path="D:\\os.vhdx"),
            drive(Size=100, Path="D:\\data.vhdx"),
        ]
    )
    guest = minimal_guest(Disks=[{"Number": 0, "BusType": 3, "Size": 100, "Dynamic": False}])
    vm = host_of_guest(host, guest)
    assert [(d.name, [v.name for v in d.volumes]) for d in vm.disks] == [
        ("IDE 0:0", ["C:"]),
        ("SCSI 0:0", []),
    ]


def test_a_disk_is_not_paired_by_id_with_a_drive_on_another_bus() -> None:
    """The same disk id on another bus is no proof: the bus step decides."""
    host = minimal_host(
        HardDrives=[
            drive(ControllerType=0, ControllerTypeName="IDE", Path="D:\\os.vhdx"),
            drive(DiskNumber=3, DiskId="5E1A7C42", Path=None, VhdType=None, VhdTypeName=None),
        ]
    )
    guest = minimal_guest(
        Disks=[{"Number": 0, "BusType": 3, "DiskId": "5E1A7C42", "Dynamic": False}]
    )
    vm = host_of_guest(host, guest)
    assert [(d.name, [v.name for v in d.volumes]) for d in vm.disks] == [
        ("IDE 0:0", ["C:"]),
        ("SCSI 0:0", []),
    ]


@pytest.mark.parametrize(
    "services",
    [
        [{"Name": "vmicvss", "StartMode": "Auto"}],
        [],
    ],
)
def test_guest_services_without_vss_are_refused(services: Any) -> None:
    """A guest document that does not list the VSS service says nothing about it: refused."""
    problems = problems_of([minimal_host(HardDrives=[drive()])], [minimal_guest(Services=services)])
    assert problems == [
        "guests[0].Services: the guest's Volume Shadow Copy service (VSS) is not listed, so "
        "whether it is disabled is unknown; collect the guest again with guest.ps1"
    ]


def test_non_string_property_names_are_refused() -> None:
    """A parsed mapping from Python may hold keys JSON cannot: refused where they are."""
    document = minimal_host()
    document["VMs"][0][5] = "five"
    assert problems_of([document]) == [
        "hosts[0].VMs[0]: a property name is the number 5; property names are strings"
    ]
    guest: dict[Any, Any] = minimal_guest()
    guest[None] = 1
    assert problems_of([minimal_host(HardDrives=[drive()])], [guest]) == [
        "guests[0]: a property name is null; property names are strings"
    ]


@pytest.mark.parametrize("documents", [None, 5, "{}", b"{}", {"collector": "x"}])
def test_documents_that_are_not_a_sequence_are_a_type_error(documents: Any) -> None:
    """Hosts or guests that are not a sequence of documents are a programming error."""
    with pytest.raises(TypeError, match=r"^hosts: expected a sequence \(such as a list\)"):
        from_documents(documents)
    with pytest.raises(TypeError, match=r"^guests: expected a sequence \(such as a list\)"):
        from_documents([minimal_host()], documents)


def test_a_date_is_unwrapped_one_level_only() -> None:
    """Windows PowerShell 5.1 wraps a date once; a wrapper inside a wrapper is refused."""
    assert read_date({"value": "/Date(0)/"}) == datetime(1970, 1, 1, tzinfo=UTC)
    with pytest.raises(InventoryError) as info:
        read_date({"value": {"value": "/Date(0)/"}})
    assert str(info.value) == (
        "CreationTime.value: expected a date, got an object (a date is wrapped in "
        '{"value": ...} at most once)'
    )
    deep: Any = "/Date(0)/"
    for _ in range(100_000):
        deep = {"value": deep}
    with pytest.raises(InventoryError):
        read_date(deep)


def test_documents_over_the_limits_are_refused() -> None:
    """Text and bytes over max_bytes, and strings over max_string, are refused with their place."""
    text = json.dumps(minimal_host())
    limits = InventoryLimits(max_bytes=len(text) - 1)
    for form in (text, text.encode("utf-8")):
        with pytest.raises(InventoryError) as info:
            from_documents([form], limits=limits)
        assert [str(p) for p in info.value.problems] == [
            f"hosts[0]: the document is larger than the limit of {len(text) - 1} bytes"
        ]
    guest = json.dumps(minimal_guest())
    with pytest.raises(InventoryError) as info:
        from_documents([minimal_host()], [guest], limits=InventoryLimits(max_bytes=len(guest) - 1))
    assert str(info.value).startswith("guests[0]: the document is larger than the limit")
    assert isinstance(from_documents([text], limits=InventoryLimits(max_bytes=len(text))), Host)
    long_name = minimal_host(Name="V" * 40)
    with pytest.raises(InventoryError) as info:
        from_documents([long_name], limits=InventoryLimits(max_string=39))
    assert str(info.value) == (
        "hosts[0].VMs[0].Name: a string of 40 characters is longer than the limit of 39"
    )
    with pytest.raises(InventoryError, match="larger than the limit of 10 bytes"):
        collect.load_document("[" * 11, limits=InventoryLimits(max_bytes=10))


def test_document_files_over_the_limit_are_refused_before_they_are_read() -> None:
    """read_documents refuses a file over max_bytes, naming which one, without reading it whole."""
    small = InventoryLimits(max_bytes=NODE1.stat().st_size - 1)
    with pytest.raises(InventoryError) as info:
        read_documents([STANDALONE], [NODE1], limits=small)
    assert [str(p) for p in info.value.problems] == [
        f"guests[0]: the document is larger than the limit of {small.max_bytes} bytes"
    ]


def test_long_values_are_shortened_in_messages() -> None:
    """An untrusted value is quoted up to 60 characters, with its length, never in full."""
    name = "N" * 5000
    document = minimal_host(Name=name)
    document["VMs"].append(copy.deepcopy(document["VMs"][0]))
    document["HyperVApi"] = "x" * 5000
    document["OperatingSystem"]["Version"] = "1" * 5000
    (version, api) = problems_of([document])
    assert api == (
        "hosts[0].HyperVApi: expected one of 'module', 'wmi-v1', got "
        f"'{'x' * 60}'... (5000 characters)"
    )
    assert len(version) < 300
    document = minimal_host(Name=name)
    document["VMs"].append(copy.deepcopy(document["VMs"][0]))
    (second,) = problems_of([document])
    assert second.startswith(f"hosts[0].VMs[1].Name: a second VM named '{'N' * 60}'... (5000")
    assert len(second) < 300
    guest = minimal_guest(
        Disks=[{"Number": 0, "BusType": 1, "HostDrive": "Z" * 5000, "Dynamic": False}]
    )
    (unknown,) = problems_of([minimal_host(HardDrives=[drive()])], [guest])
    assert len(unknown) < 300
    assert "(5000 characters)" in unknown


def test_long_values_are_shortened_when_documents_disagree() -> None:
    """Two cluster documents disagreeing about a long name: shortened on both sides."""
    first = minimal_cluster()
    second = copy.deepcopy(first)
    second["ComputerName"] = "HV02"
    first["Cluster"]["Nodes"] = second["Cluster"]["Nodes"] = ["HV01", "HV02"]
    second["VMs"] = []
    second["Cluster"]["Resources"][2]["OwnerGroup"] = "G" * 5000
    problems = problems_of([first, second])
    disagree = next(p for p in problems if "disagree" in p)
    assert len(disagree) < 400
    assert "(5000 characters)" in disagree


def test_a_vhd_the_host_could_not_read_is_refused() -> None:
    """host.ps1 records a failed Get-VHD in VhdError; the adapter refuses the drive, naming it."""
    document = minimal_host(
        HardDrives=[drive(VhdType=None, VhdTypeName=None, VhdError="Access is denied.")]
    )
    assert problems_of([document]) == [
        "hosts[0].VMs[0].HardDrives[0].VhdError: the host could not read the virtual hard disk "
        "'D:\\\\VMs\\\\VM01.vhdx' (Access is denied.); its type is needed: fix what stops "
        "Get-VHD and collect again"
    ]
    document["VMs"][0]["HardDrives"][0]["VhdError"] = None
    assert host_of(document).vms[0].disks[0].vhd_type is None


def test_windows_server_backup_unknown_is_no_backup_application() -> None:
    """On Windows Server 2008 the script cannot tell whether it is installed: null, read as unknown."""
    document = minimal_host()
    document["WindowsServerBackup"] = {"Installed": None, "ApplicationIdentifier": None}
    assert host_of(document).backup_application is None


def test_bus_class_is_a_string_enum() -> None:
    """BusClass members are strings with a name, as the model's enums are."""
    assert issubclass(collect.BusClass, enum.StrEnum)
    assert collect.BusClass.IDE == "IDE"
    assert CONTROLLER_TYPES[0].value is collect.BusClass.IDE


def test_scripts_avoid_localized_text_and_hidden_failures() -> None:
    """What the review found in the scripts stays fixed (they are not run here)."""
    host_script = collect.script_path("host.ps1").read_text(encoding="utf-8")
    guest_script = collect.script_path("guest.ps1").read_text(encoding="utf-8")
    # VMs are found by their GUID name, not by the localized caption.
    assert "Caption = 'Virtual Machine'" not in host_script
    # Get-VHD failures are recorded, not silenced.
    assert "Get-VHD -Path $Drive.Path -ErrorAction SilentlyContinue" not in host_script
    assert "VhdError" in host_script
    # The v1 path writes numbers only; names are never copied from the Python tables.
    assert "'Suspended'" not in host_script
    assert "'Differencing'" not in host_script
    assert "DNSHostName" in host_script
    assert "ComputerName = $env:COMPUTERNAME" not in host_script
    assert "throw" in host_script
    assert "Win32_ShadowStorage" in guest_script
    assert "vssadmin" not in guest_script.split("#>")[1]
    for script in (host_script, guest_script):
        header = script.split("#>")[0]
        assert "PowerShell 7 untested" in header or "PowerShell 7" not in header
