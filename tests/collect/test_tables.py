"""The collectors' enum tables, against the codes of docs/collector-formats.md, and every code through a document.

No PowerShell runs here. The documents under ``tests/fixtures/collect/`` were
written to match what the scripts print (with Windows PowerShell 5.1's
quirks), or are byte-for-byte copies of published samples; see the README
there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

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
    from_documents,
)
from hyperv_backup.inventory import InventoryError
from hyperv_backup.model import (
    Attachment,
    Cluster,
    HostOS,
    NetworkKind,
    ResourceState,
    VhdType,
    VMState,
)
from tests.collect._shared_collect import (
    drive,
    host_of,
    host_of_guest,
    minimal_cluster,
    minimal_guest,
    minimal_host,
    problems_of,
    volume,
)

# --- the enum tables, against the codes of docs/collector-formats.md -------------------------


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
    """collector-formats.md, "Failover clusters": group and resource states are different maps."""
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
