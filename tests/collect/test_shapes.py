"""Less common document shapes, and fixes found in review.

No PowerShell runs here. The documents under ``tests/fixtures/collect/`` were
written to match what the scripts print (with Windows PowerShell 5.1's
quirks), or are byte-for-byte copies of published samples; see the README
there.
"""

from __future__ import annotations

import copy
import enum
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from hyperv_backup import collect
from hyperv_backup.collect import (
    CONTROLLER_TYPES,
    VSS_INTEGRATION_SERVICE_ID,
    from_documents,
    read_documents,
)
from hyperv_backup.collect._documents import PSValue
from hyperv_backup.inventory import InventoryError, InventoryLimits
from hyperv_backup.model import (
    Attachment,
    Cluster,
    Host,
)
from tests.collect._shared_collect import (
    CLUSTER_GUESTS,
    NODE1,
    NODE2,
    STANDALONE,
    Doc,
    drive,
    host_of,
    host_of_guest,
    load,
    minimal_cluster,
    minimal_guest,
    minimal_host,
    mutate,
    problems_of,
    read_date,
    volume,
)

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
    """A PSValue shows what it holds and where, for debugging."""
    assert repr(PSValue([1], "hosts[0].VMs")) == "PSValue(an array at 'hosts[0].VMs')"


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


def test_a_lone_surrogate_is_refused_as_an_inventory_refuses_it() -> None:
    """What collect writes must read back: a lone surrogate went into the inventory unchecked."""
    text = json.dumps(minimal_host(Name="VM\ud800"))
    with pytest.raises(InventoryError) as info:
        from_documents([text])
    assert str(info.value) == (
        "hosts[0].VMs[0].Name: not valid Unicode: a lone surrogate at character 2"
    )


def test_a_string_over_the_limit_of_command_output_is_refused_wherever_it_is() -> None:
    """A document's strings the adapter never reads are bounded too (10 MiB, as command output)."""
    document = {**minimal_host(), "Padding": "x" * (10 * 1024 * 1024 + 1)}
    with pytest.raises(InventoryError) as info:
        from_documents([json.dumps(document)])
    assert str(info.value) == (
        "hosts[0].Padding: a string of 10485761 characters is longer than the limit of 10485760"
    )
