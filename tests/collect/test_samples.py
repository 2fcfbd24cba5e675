"""Samples copied byte for byte, and matching guests, services and VSS.

No PowerShell runs here. The documents under ``tests/fixtures/collect/`` were
written to match what the scripts print (with Windows PowerShell 5.1's
quirks), or are byte-for-byte copies of published samples; see the README
there.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from hyperv_backup.collect import (
    VM_STATES,
    VSS_INTEGRATION_SERVICE_ID,
    writer_notes,
)
from hyperv_backup.collect._host import SNAPSHOT_TYPES
from hyperv_backup.collect._tables import VHD_TYPES
from hyperv_backup.inventory import InventoryError
from hyperv_backup.model import (
    FileSystem,
    GuestDiskType,
    VMState,
)
from tests.collect._shared_collect import (
    FIXTURES,
    NODE1,
    NODE2,
    Doc,
    drive,
    host_of,
    host_of_guest,
    minimal_guest,
    minimal_host,
    problems_of,
    read_date,
    volume,
)

# --- published outputs, copied byte for byte into tests/fixtures/collect/ (its README) --------


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


# --- checkpoints and differencing disks in real output ---------------------------------------


def test_a_real_get_vmsnapshot_table_has_the_columns_host_ps1_reads() -> None:
    """Get-VMSnapshot shows SnapshotType and ParentSnapshotName; its kind is one the adapter knows."""
    header, rule, row = sample("get-vmsnapshot-table-standard-howto-2.txt").decode().splitlines()
    assert header.split() == [
        "VMName",
        "Name",
        "SnapshotType",
        "CreationTime",
        "ParentSnapshotName",
    ]
    assert set(rule.replace(" ", "")) == {"-"}
    # A root checkpoint: its parent column is empty.
    kind = row[header.index("SnapshotType") : header.index("CreationTime")].strip()
    assert kind == "Standard"
    assert kind.casefold() in SNAPSHOT_TYPES
    assert row[header.index("ParentSnapshotName") :].strip() == ""


def test_a_real_get_vhd_list_shows_a_differencing_disk_and_its_parent() -> None:
    """The type name host.ps1 writes and the ParentPath it follows, as Get-VHD shows them."""
    listed = {
        key.strip(): value.strip()
        for key, _, value in (
            line.partition(" : ")
            for line in sample("get-vhd-differencing-format-list-dcjulian29-2.txt")
            .decode()
            .splitlines()
            if " : " in line
        )
    }
    assert listed["VhdType"] == "Differencing"
    assert any(code.name == listed["VhdType"] for code in VHD_TYPES.values())
    assert listed["ParentPath"].endswith(".vhdx")
    assert listed["Path"] != listed["ParentPath"]
