"""Recorded collector documents end to end: a two-node 2008 R2 cluster and a standalone 2022 host.

No PowerShell runs here. The documents under ``tests/fixtures/collect/`` were
written to match what the scripts print (with Windows PowerShell 5.1's
quirks), or are byte-for-byte copies of published samples; see the README
there.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

import hyperv_backup as hb
from hyperv_backup.collect import (
    from_documents,
    read_documents,
)
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
    SnapshotType,
    VhdType,
    VMState,
)
from tests.collect._shared_collect import (
    CLUSTER_GUESTS,
    NODE1,
    NODE2,
    STANDALONE,
    STANDALONE_GUEST,
    Doc,
    load,
    problems_of,
)


def cluster() -> Cluster:
    target = read_documents([NODE1, NODE2], CLUSTER_GUESTS)
    assert isinstance(target, Cluster)
    return target


def standalone() -> Host:
    target = read_documents([STANDALONE], [STANDALONE_GUEST])
    assert isinstance(target, Host)
    return target


def vm_of(target: Host | Cluster, name: str) -> hb.VM:
    return next(vm for host in hb.model.hosts_of(target) for vm in host.vms if vm.name == name)


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
    # Its checkpoints, oldest first: a backup's recovery checkpoint, then a standard
    # one taken on it; its disk runs on the two differencing files they made.
    assert [(c.name, c.snapshot_type, c.parent) for c in archive.checkpoints] == [
        ("ARCHIVE01 - Backup - (04/29/2024 23:00:12)", SnapshotType.RECOVERY, None),
        (
            "ARCHIVE01 - (06.05.2024 - 20:58:11)",
            SnapshotType.STANDARD,
            "ARCHIVE01 - Backup - (04/29/2024 23:00:12)",
        ),
    ]
    assert archive.snapshots == tuple(c.name for c in archive.checkpoints)
    assert archive.disks[0].vhd_type is VhdType.DIFFERENCING
    assert [p.rsplit("\\", 1)[1] for p in archive.disks[0].chain] == [
        "ARCHIVE01_4E1A2B3C-5D6E-4F70-8192-A3B4C5D6E7F8.avhdx",
        "ARCHIVE01.vhdx",
    ]
    assert archive.avhdx_files == (archive.disks[0].chain[0], archive.disks[0].path)
    assert len(archive.change_tracking_files) == 4
    assert web.checkpoints == ()
    assert [p.rsplit("\\", 1)[1] for p in web.change_tracking_files] == [
        "WEB01-os.vhdx.mrt",
        "WEB01-os.vhdx.rct",
        "WEB01-logs.vhdx.mrt",
        "WEB01-logs.vhdx.rct",
    ]
    # Answered as a 2022 host: WEB01 keeps running, not application-consistent
    # for its FAT32 volume; its shadow copies kept on L: are a condition of 2012
    # and earlier, whose effect later is not documented (HVB312).
    # The recovery checkpoint was taken a week before the facts were collected:
    # a backup left it (HVB903).
    assert [(f.rule.id, f.subject) for f in hb.check(host)] == [
        ("HVB312", "C:"),
        ("HVB602", "C:\\Scratch"),
        ("HVB903", "ARCHIVE01 - Backup - (04/29/2024 23:00:12)"),
        ("HVB201", "SCSI 0:1"),
        ("HVB602", "ARCHIVE01"),
        ("HVB602", "ARCHIVE01"),
        ("HVB613", "SCSI 0:0"),
        ("HVB110", "HV-STANDALONE02"),
        ("HVB105", "ARCHIVE01"),
        ("HVB307", "ARCHIVE01"),
    ]
    # Answered by the 2008 guidance, as before the later profiles.
    assert [(f.rule.id, f.subject) for f in hb.check(host, profile="2008")] == [
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
