"""The facts of the later profiles in collector documents: host.ps1's new fields and guest.sh."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import hyperv_backup as hb
from hyperv_backup import collect
from hyperv_backup.collect import from_documents
from hyperv_backup.model import CheckpointType, GuestOS, Host, ReplicationRole
from tests.collect._shared_collect import STANDALONE, STANDALONE_GUEST, load, problems_of

WEB01_ID = "7c1f0e2d-9a8b-4c3d-8e5f-6a7b8c9d0e11"


def _host(**later: Any) -> dict[str, Any]:
    """Return the recorded 2022 host, its WEB01 given ``later`` facts."""
    document = copy.deepcopy(load(STANDALONE))
    document["VMs"][0].update(later)
    return document


def _web01(document: dict[str, Any], guests: list[Any] | None = None) -> hb.VM:
    target = from_documents([document], guests or [])
    assert isinstance(target, Host)
    return target.vms[0]


def test_a_document_without_the_later_facts_leaves_them_unknown() -> None:
    vm = _web01(load(STANDALONE))
    assert (vm.generation, vm.configuration_version, vm.checkpoint_type) == (None, None, None)
    assert (vm.scsi_controller, vm.fibre_channel_adapters) == (None, ())
    assert (vm.replication_role, vm.replication_ready) == (ReplicationRole.NONE, True)
    assert vm.guest_os is GuestOS.UNKNOWN
    assert not any(d.shared for d in vm.disks)
    assert (vm.snapshot_file_location, vm.integration_services_current) == (None, None)
    assert [d.file_size for d in vm.disks] == [None, None]
    target = from_documents([load(STANDALONE)])
    assert isinstance(target, Host)
    assert target.host_volumes == ()


def test_host_ps1_facts_are_read() -> None:
    document = _host(
        Generation=2,
        Version="10.0",
        CheckpointTypeName="ProductionOnly",
        HasScsiController=True,
        FibreChannelHbas=[{"Name": "Fibre Channel Adapter", "SanName": "Production"}],
        ReplicationModeName="Primary",
        ReplicationStateName="Replicating",
        ReplicationHealthName="Normal",
    )
    document["VMs"][0]["HardDrives"][1]["SupportPersistentReservations"] = True
    document["VMs"][0]["HardDrives"][0]["FileSize"] = 42 * 2**30
    document["VMs"][0]["SnapshotFileLocation"] = "E:\\Checkpoints"
    document["VMs"][0]["IntegrationServicesStateName"] = "Update required"
    vm = _web01(document)
    assert [d.file_size for d in vm.disks] == [42 * 2**30, None]
    assert vm.snapshot_file_location == "E:\\Checkpoints"
    assert vm.integration_services_current is False
    assert (vm.generation, vm.configuration_version) == (2, "10.0")
    assert vm.checkpoint_type is CheckpointType.PRODUCTION_ONLY
    assert vm.scsi_controller is True
    assert vm.fibre_channel_adapters == ("Fibre Channel Adapter",)
    assert vm.replication_role is ReplicationRole.PRIMARY
    assert [d.shared for d in vm.disks] == [False, True]


@pytest.mark.parametrize(
    ("state", "health", "ready"),
    [
        ("Replicating", "Normal", True),
        ("SyncedReplicationComplete", "Warning", True),
        ("Replicating", "Critical", False),
        ("Resynchronizing", "Normal", False),
        ("InitialReplicationInProgress", "Normal", False),
        ("WaitingForInitialReplication", "Normal", False),
        (None, None, False),
    ],
)
def test_a_replica_is_ready_only_in_a_normal_state(
    state: str | None, health: str | None, ready: bool
) -> None:
    """Read by name: the numbers of ReplicationState differ between module versions."""
    vm = _web01(
        _host(
            ReplicationModeName="Replica",
            ReplicationStateName=state,
            ReplicationHealthName=health,
        )
    )
    assert vm.replication_role is ReplicationRole.REPLICA
    assert vm.replication_ready is ready


def test_test_and_extended_replicas_are_replicas() -> None:
    for mode in ("TestReplica", "ExtendedReplica"):
        vm = _web01(_host(ReplicationModeName=mode, ReplicationStateName="Replicating"))
        assert vm.replication_role is ReplicationRole.REPLICA


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("CheckpointTypeName", "Snapshot", "hosts[0].VMs[0].CheckpointTypeName: unknown checkpoint type"),
        ("ReplicationModeName", "Mirror", "hosts[0].VMs[0].ReplicationModeName: unknown replication mode"),
        ("Version", "ten", "configuration_version: expected a version such as '9.0'"),
        ("Generation", 3, "generation: expected 1 or 2"),
        ("HasScsiController", "yes", "hosts[0].VMs[0].HasScsiController: expected true or false"),
    ],
)  # fmt: skip
def test_bad_later_facts_are_refused_with_their_place(field: str, value: Any, message: str) -> None:
    [problem] = problems_of([_host(**{field: value})])
    assert message in problem


@pytest.mark.parametrize(
    ("state", "current"),
    [
        ("Up to date", True),
        ("UpToDate", True),
        ("Update required", False),
        ("", None),
        ("Aktuell", None),
    ],
)
def test_integration_services_state_is_read_in_english_only(
    state: str, current: bool | None
) -> None:
    """collector-formats.md, "Get-VM": other texts (empty, translated) leave it unknown."""
    assert _web01(_host(IntegrationServicesStateName=state)).integration_services_current is current


def test_host_volumes_and_the_functional_level_are_read() -> None:
    """host.ps1's HostVolumes (Win32_Volume) and the cluster's FunctionalLevel."""
    document = copy.deepcopy(load(STANDALONE))
    document["HostVolumes"] = [{"Name": "D:\\", "FreeSpace": 5}, {"Name": "C:\\", "FreeSpace": 7}]
    target = from_documents([document])
    assert isinstance(target, Host)
    assert [(v.name, v.free_space) for v in target.host_volumes] == [("D:\\", 5), ("C:\\", 7)]
    document["HostVolumes"] = [{"Name": "D:\\", "FreeSpace": -1}]
    [problem] = problems_of([document])
    assert "hosts[0].HostVolumes[0].FreeSpace: expected a number of bytes" in problem


def test_a_shared_pass_through_drive_is_not_shared() -> None:
    """SupportPersistentReservations is about virtual hard disks only."""
    document = copy.deepcopy(load(STANDALONE))
    archive = document["VMs"][1]
    for drive in archive["HardDrives"]:
        drive["SupportPersistentReservations"] = True
    target = from_documents([document])
    assert isinstance(target, Host)
    disks = target.vms[1].disks
    assert [(d.attachment.value, d.shared) for d in disks] == [
        ("virtual_hard_disk", True),
        ("pass_through", False),
    ]


def test_a_windows_guest_document_makes_a_windows_guest() -> None:
    vm = _web01(load(STANDALONE), [load(STANDALONE_GUEST)])
    assert vm.guest_os is GuestOS.WINDOWS
    assert vm.guest_inventoried


# --- guest.sh -----------------------------------------------------------------------------


def _record(key: str, value: str) -> bytes:
    return key.encode().ljust(512, b"\0") + value.encode().ljust(2048, b"\0")


#: /proc/mounts of a Linux guest: a read-only squashfs and /dev's own are not writable ones.
LINUX_MOUNTS = (
    "/dev/sda2 / ext4 rw,relatime 0 0\nproc /proc proc rw 0 0\n"
    "/dev/sda1 /boot/efi vfat rw 0 0\ndevtmpfs /dev devtmpfs rw 0 0\n"
    "/dev/loop0 /snap/core squashfs ro,nodev 0 0\nmqueue /dev/mqueue mqueue rw 0 0\n"
)
#: `mount -p` of a FreeBSD guest on ZFS.
FREEBSD_MOUNTS = (
    "zroot/ROOT/default\t/\tzfs\trw,noatime,nfsv4acls\t0 0\n"
    "devfs\t/dev\tdevfs\trw,multilabel\t0 0\n"
    "/dev/ada0p1\t/boot/efi\tmsdosfs\trw\t2 2\n"
    "tmpfs\t/tmp\ttmpfs\trw\t0 0\n"
)


@pytest.fixture
def linux_guest(tmp_path: Path) -> Any:
    """Run guest.sh against a fake key-value pool, mount table and process list."""
    shell = shutil.which("sh")
    if shell is None:  # pragma: no cover - every test machine has sh
        pytest.skip("no sh")

    def run(
        *,
        running: bool,
        vm_id: str | None = WEB01_ID,
        args: tuple[str, ...] = (),
        mount_table: str = LINUX_MOUNTS,
    ) -> Any:
        pool = tmp_path / "kvp_pool_3"
        records = _record("HostName", "HV-STANDALONE02") + _record("VirtualMachineName", "WEB01")
        if vm_id is not None:
            records += _record("VirtualMachineId", vm_id.upper())
        pool.write_bytes(records)
        mounts = tmp_path / "mounts"
        mounts.write_text(mount_table)
        processes = tmp_path / "processes"
        processes.write_text("systemd\n/usr/sbin/hypervvssd\n" if running else "systemd\nsshd\n")
        env = {
            "PATH": "/usr/bin:/bin",
            "HVB_KVP_POOL": str(pool),
            "HVB_MOUNTS": str(mounts),
            "HVB_PROCESSES": str(processes),
        }
        script = collect.script_path("guest.sh")
        out = subprocess.run(  # noqa: S603 - the package's own script, fixed arguments
            [shell, str(script), *args], env=env, capture_output=True, check=True, text=True
        ).stdout
        return json.loads(out)

    return run


def test_guest_sh_prints_a_document_the_adapter_reads(linux_guest: Any) -> None:
    document = linux_guest(running=True)
    assert document["collector"] == collect.LINUX_GUEST_COLLECTOR
    assert collect.collector_kind(document) == "guest"
    assert document["VirtualMachineId"] == WEB01_ID.upper()
    assert document["FileSystems"] == [
        {"Mount": "/", "Type": "ext4", "Source": "/dev/sda2"},
        {"Mount": "/boot/efi", "Type": "vfat", "Source": "/dev/sda1"},
        {"Mount": "/snap/core", "Type": "squashfs", "Source": "/dev/loop0"},
    ]
    assert document["WritableFileSystems"] == ["ext4", "proc", "vfat"]
    vm = _web01(load(STANDALONE), [document])
    assert (vm.guest_os, vm.vss_daemon, vm.guest_inventoried) == (GuestOS.LINUX, True, False)
    assert vm.writable_file_systems == ("ext4", "proc", "vfat")


def test_guest_sh_lists_the_writable_file_systems_freebsd_checks(linux_guest: Any) -> None:
    """collector-formats.md, "Inside a Linux or FreeBSD guest": mount -p columns, /dev left out."""
    document = linux_guest(running=True, mount_table=FREEBSD_MOUNTS)
    assert document["WritableFileSystems"] == ["zfs", "msdosfs", "tmpfs"]
    document["OsFamily"] = "FreeBSD"
    target = from_documents([copy.deepcopy(load(STANDALONE))], [document])
    assert isinstance(target, Host)
    outcome = hb.backup_outcome(target.vms[0], target)
    assert [r.rule.id for r in outcome.reasons][:1] == ["HVB621"]


def test_guest_sh_with_no_mount_lists_none(linux_guest: Any) -> None:
    document = linux_guest(running=True, mount_table="")
    assert (document["FileSystems"], document["WritableFileSystems"]) == ([], [])


@pytest.mark.parametrize(
    ("running", "consistency"), [(True, "file_system_consistent"), (False, "crash_consistent")]
)
def test_a_linux_guest_is_answered_by_its_daemon(
    linux_guest: Any, running: bool, consistency: str
) -> None:
    document = copy.deepcopy(load(STANDALONE))
    target = from_documents([document], [linux_guest(running=running)])
    assert isinstance(target, Host)
    outcome = hb.backup_outcome(target.vms[0], target)
    assert outcome.consistency.value == consistency


def test_guest_sh_takes_the_vm_name_without_data_exchange(linux_guest: Any) -> None:
    document = linux_guest(running=True, vm_id=None, args=("WEB01",))
    assert document["VirtualMachineId"] is None
    assert document["VirtualMachineName"] == "WEB01"
    assert _web01(load(STANDALONE), [document]).guest_os is GuestOS.LINUX


def _linux_document(**fields: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "collector": collect.LINUX_GUEST_COLLECTOR,
        "ComputerName": "web01",
        "VirtualMachineName": "WEB01",
        "VirtualMachineId": None,
        "OsFamily": "FreeBSD",
        "VssDaemonRunning": False,
        "FileSystems": [],
    }
    document.update(fields)
    return document


def test_a_freebsd_guest() -> None:
    vm = _web01(load(STANDALONE), [_linux_document()])
    assert (vm.guest_os, vm.vss_daemon) == (GuestOS.FREEBSD, False)
    # A document written before WritableFileSystems leaves them unknown (empty).
    assert vm.writable_file_systems == ()
    listed = _web01(load(STANDALONE), [_linux_document(WritableFileSystems=["ufs", "ufs"])])
    assert listed.writable_file_systems == ("ufs",)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"OsFamily": "Windows"}, "guests[0].OsFamily: expected 'Linux' or 'FreeBSD'"),
        ({"VssDaemonRunning": "yes"}, "guests[0].VssDaemonRunning: expected true or false"),
        ({"VirtualMachineName": None}, "guests[0].VirtualMachineName: required field missing"),
        ({"VirtualMachineName": "NOPE"}, "guests[0].VirtualMachineName: no VM with the name"),
    ],
)
def test_bad_linux_guest_documents(fields: dict[str, Any], message: str) -> None:
    [problem] = problems_of([load(STANDALONE)], [_linux_document(**fields)])
    assert message in problem


def test_a_document_of_another_collector_is_no_guest() -> None:
    [problem] = problems_of([load(STANDALONE)], [{"collector": "hyperv_backup.guest-mac/1"}])
    assert "guests[0].collector: expected 'hyperv_backup.guest/1'" in problem


# --- checkpoints, differencing chains and the files of a VM's folders ----------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Standard", hb.SnapshotType.STANDARD),
        ("Recovery", hb.SnapshotType.RECOVERY),
        ("Planned", hb.SnapshotType.PLANNED),
        ("Missing", hb.SnapshotType.MISSING),
        ("Replica", hb.SnapshotType.REPLICA),
        ("AppConsistentReplica", hb.SnapshotType.APP_CONSISTENT_REPLICA),
        ("SyncedReplica", hb.SnapshotType.SYNCED_REPLICA),
    ],
)
def test_each_checkpoint_kind_is_read_by_its_name(name: str, kind: hb.SnapshotType) -> None:
    """The names are the values of Get-VMSnapshot's -SnapshotType."""
    snapshot = {"Name": "Point", "CreationTime": "2024-05-06T18:58:11Z", "SnapshotTypeName": name}
    vm = _web01(_host(Snapshots=[snapshot]))
    assert [c.snapshot_type for c in vm.checkpoints] == [kind]
    # Hyper-V Replica's recovery points are not counted among the snapshots.
    assert vm.snapshots == (() if kind.is_replica else ("Point",))


def test_an_unknown_checkpoint_kind_is_a_problem() -> None:
    snapshot = {"Name": "Point", "SnapshotTypeName": "Production"}
    [problem] = problems_of([_host(Snapshots=[snapshot])])
    assert "VMs[0].Snapshots[0].SnapshotTypeName: unknown checkpoint kind 'Production'" in problem


def test_checkpoints_of_an_older_document_have_a_name_and_a_time() -> None:
    """A document of an earlier host.ps1 (or of Windows Server 2008) says no kind, parent or disks."""
    snapshots = [
        {"Name": "Later", "CreationTime": "2024-05-06T18:58:11Z"},
        {"Name": "Earlier", "CreationTime": "2024-05-01T08:00:00Z"},
    ]
    vm = _web01(_host(Snapshots=snapshots))
    assert [(c.name, c.snapshot_type, c.parent, c.disk_paths) for c in vm.checkpoints] == [
        ("Earlier", None, None, ()),
        ("Later", None, None, ()),
    ]
    assert vm.snapshots == ("Earlier", "Later")
    undated = _web01(_host(Snapshots=[{"Name": "B"}, {"Name": "A", "CreationTime": None}]))
    assert undated.snapshots == ("B", "A")  # in the document's order when a time is missing


def test_folder_files_are_sorted_into_differencing_and_change_tracking_files() -> None:
    """Each file once, in any case (a folder shared by two disks is read for each)."""
    folder = "D:\\Hyper-V\\WEB01\\"
    files = [
        f"{folder}WEB01-os_1A2B.avhdx",
        f"{folder}web01-OS_1a2b.AVHDX",
        f"{folder}WEB01-os.vhdx.rct",
        f"{folder}WEB01-os.vhdx.mrt",
        f"{folder}old.avhd",
        f"{folder}notes.txt",
    ]
    vm = _web01(_host(FolderFiles=files))
    assert vm.avhdx_files == (files[0], files[4])
    assert vm.change_tracking_files == (files[2], files[3])
    assert _web01(_host(FolderFiles=files[0])).avhdx_files == (files[0],)  # one file, unwrapped
    [problem] = problems_of([_host(FolderFiles=[""])])
    assert "VMs[0].FolderFiles[0]: expected a non-empty string" in problem


def test_a_drive_keeps_its_parents() -> None:
    document = copy.deepcopy(load(STANDALONE))
    document["VMs"][0]["HardDrives"][0]["ParentPaths"] = ["D:\\Hyper-V\\WEB01\\base.vhdx"]
    vm = _web01(document)
    assert vm.disks[0].chain == ("D:\\Hyper-V\\WEB01\\base.vhdx",)
    assert vm.disks[1].chain == ()
