"""HVB6xx: Windows Server 2012 and later, each rule with a trigger and a near miss.

Docstrings name the Microsoft page and heading each rule cites (see
``hyperv_backup/rules/sources.py``).
"""

from __future__ import annotations

from typing import cast

import attrs
import pytest

from hyperv_backup import (
    VM,
    Attachment,
    BackupApplication,
    CheckpointType,
    ClusterGroup,
    Consistency,
    Disk,
    FileSystem,
    GuestDiskType,
    GuestOS,
    Host,
    HostOS,
    HostStorage,
    ReplicationRole,
    ResourceState,
    Severity,
    VMState,
    Volume,
    backup_outcome,
    check,
)
from hyperv_backup.model import FileServer
from tests.builders import HOST, WSB, assert_finding, ids, ntfs, only

R2 = HostOS.WINDOWS_SERVER_2012_R2
WS2012 = HostOS.WINDOWS_SERVER_2012
WS2019 = HostOS.WINDOWS_SERVER_2019
WS2022 = HostOS.WINDOWS_SERVER_2022
ON = ResourceState.ONLINE


def vhd(
    name: str = "System",
    *,
    volumes: tuple[Volume, ...] = (),
    storage: HostStorage = HostStorage.LOCAL,
    path: str | None = None,
    shared: bool = False,
    dynamic: bool = False,
) -> Disk:
    return Disk(
        name=name,
        attachment=Attachment.VIRTUAL_HARD_DISK,
        # Each disk has a volume of its own letter: System C:, Data D:, Quorum Q:...
        volumes=volumes or (ntfs("C:" if name == "System" else f"{name[0]}:"),),
        host_storage=storage,
        path=path,
        shared=shared,
        guest_disk_type=GuestDiskType.DYNAMIC if dynamic else GuestDiskType.BASIC,
    )


def vm(*disks: Disk, **fields: object) -> VM:
    """Return running VM1 with the given disks (a basic NTFS system disk by default)."""
    fields.setdefault("state", VMState.RUNNING)
    return VM(name="VM1", disks=disks or (vhd(),), **fields)  # type: ignore[arg-type]


def linux(*disks: Disk, **fields: object) -> VM:
    fields.setdefault("vss_daemon", True)
    root = Volume(name="/", file_system=FileSystem.OTHER, vss_enabled=False)
    return vm(*(disks or (vhd(volumes=(root,)),)), guest_os=GuestOS.LINUX, **fields)


def host(
    *vms: VM,
    os: HostOS = WS2022,
    app: BackupApplication | None = None,
    agent: bool | None = None,
) -> Host:
    return Host(name=HOST, os=os, vms=vms, backup_application=app, file_server_vss_agent=agent)


def fired(target: Host) -> list[str]:
    return ids(check(target))


# --- HVB601-HVB605: the guest ------------------------------------------------------------


def test_hvb601_linux_guest_saved_on_2012() -> None:
    """DPM "Online and offline backup": on 2012 a Linux guest cannot be backed up online."""
    target = host(linux(), os=WS2012)
    assert_finding(
        only(check(target), "HVB601"), "HVB601", Severity.WARNING, "VM1", host=HOST, vm="VM1"
    )
    outcome = backup_outcome(target.vms[0], target)
    assert (outcome.consistency, outcome.causes_downtime) == (Consistency.SAVED_STATE, True)
    assert outcome.state_during_backup is VMState.SAVED
    assert "HVB308" in fired(target)


def test_hvb601_near_miss() -> None:
    """A Windows guest on 2012, or a Linux guest on 2012 R2, gets no HVB601."""
    assert "HVB601" not in fired(host(vm(), os=WS2012))
    assert "HVB601" not in fired(host(linux(), os=R2))


@pytest.mark.parametrize(
    ("changed", "subject"),
    [
        ({"integration_services": False}, "VM1"),
        ({"backup_integration_service": False}, "VM1"),
        ({"guest_inventoried": False}, "VM1"),
        ({"disks": [vhd(dynamic=True)]}, "System"),
        ({"disks": [vhd(volumes=(Volume(name="C:", file_system=FileSystem.FAT32),))]}, "C:"),
        ({"disks": [vhd(path="D:\\VM1.vhdx")], "snapshot_file_location": "E:\\Checkpoints"}, "System"),
    ],
)  # fmt: skip
def test_hvb602_guest_cannot_take_part(changed: dict[str, object], subject: str) -> None:
    """DPM "Online and offline backup": from 2012 R2 the VM keeps running; read as crash-consistent."""
    fields: dict[str, object] = {"state": VMState.RUNNING, **changed}
    disks = cast("list[Disk]", fields.pop("disks", []))
    target = host(vm(*disks, **fields))
    found = only(check(target), "HVB602")
    assert_finding(found, "HVB602", Severity.WARNING, subject, host=HOST, vm="VM1")
    outcome = backup_outcome(target.vms[0], target)
    assert outcome.consistency is Consistency.CRASH_CONSISTENT
    assert not outcome.causes_downtime
    assert "HVB308" not in fired(target)


def test_hvb602_near_miss() -> None:
    """A guest that takes part, with ReFS accepted beside NTFS, is application-consistent."""
    refs = Volume(name="D:", file_system=FileSystem.REFS)
    target = host(vm(vhd(volumes=(ntfs(), refs))))
    assert fired(target) == []
    assert backup_outcome(target.vms[0], target).consistency is Consistency.APPLICATION_CONSISTENT
    # VSS off and shadow copies elsewhere are the guidance's only: HVB312, not HVB602.
    off = Volume(name="C:", file_system=FileSystem.NTFS, vss_enabled=False)
    assert fired(host(vm(vhd(volumes=(off,))))) == ["HVB312"]


def test_hvb602_on_a_vm_that_is_off_says_what_it_would_be() -> None:
    """An obstacle is reported on a VM that is off too, with what its copy would be once it runs."""
    target = host(vm(state=VMState.OFF, integration_services=False))
    found = only(check(target), "HVB602")
    assert "once it runs" in found.message
    assert backup_outcome(target.vms[0], target).consistency is Consistency.NOT_RUNNING


def test_hvb603_production_only_may_fail() -> None:
    """Page "Choose between standard or production checkpoints": no fallback, no checkpoint (inferred)."""
    target = host(vm(integration_services=False, checkpoint_type=CheckpointType.PRODUCTION_ONLY))
    found = only(check(target), "HVB603")
    assert_finding(found, "HVB603", Severity.WARNING, "VM1", host=HOST, vm="VM1")
    assert "if its backup's checkpoint honours the setting" in found.message
    # Whether the backup fails is not documented: the copy is answered as HVB602 says.
    assert backup_outcome(target.vms[0], target).consistency is Consistency.CRASH_CONSISTENT


@pytest.mark.parametrize(
    ("target"),
    [
        # The guest takes part: the production checkpoint is taken.
        host(vm(checkpoint_type=CheckpointType.PRODUCTION_ONLY)),
        # The fallback to a standard checkpoint is allowed.
        host(vm(integration_services=False, checkpoint_type=CheckpointType.PRODUCTION)),
        # 2012 R2 has no production checkpoints.
        host(vm(integration_services=False, checkpoint_type=CheckpointType.PRODUCTION_ONLY), os=R2),
    ],
)
def test_hvb603_near_miss(target: Host) -> None:
    assert "HVB603" not in fired(target)


def test_hvb604_linux_file_system_consistent() -> None:
    """DPM "Backup prerequisites": Linux VMs get file-consistent snapshots only."""
    target = host(linux())
    assert_finding(
        only(check(target), "HVB604"), "HVB604", Severity.INFO, "VM1", host=HOST, vm="VM1"
    )
    assert backup_outcome(target.vms[0], target).consistency is Consistency.FILE_SYSTEM_CONSISTENT


def test_hvb604_near_miss() -> None:
    """A Windows guest, or a Linux guest whose daemon does not run, gets no HVB604."""
    assert "HVB604" not in fired(host(vm()))
    assert "HVB604" not in fired(host(linux(vss_daemon=False)))


@pytest.mark.parametrize(("daemon", "words"), [(False, "is not running"), (None, "not seen")])
def test_hvb605_vss_daemon_not_running(daemon: bool | None, words: str) -> None:
    """Manage integration services, "from a Linux guest": hv_vss_daemon makes live backups."""
    target = host(linux(vss_daemon=daemon))
    found = only(check(target), "HVB605")
    assert_finding(found, "HVB605", Severity.WARNING, "VM1", host=HOST, vm="VM1")
    assert words in found.message
    assert backup_outcome(target.vms[0], target).consistency is Consistency.CRASH_CONSISTENT


def test_hvb605_near_miss() -> None:
    """A running daemon, or a FreeBSD guest with one, gets no HVB605."""
    assert "HVB605" not in fired(host(linux()))
    freebsd = vm(vhd(), guest_os=GuestOS.FREEBSD, vss_daemon=True)
    assert "HVB605" not in fired(host(freebsd))


def test_hvb605_with_production_only_may_fail() -> None:
    """A Linux guest that cannot freeze, with production checkpoints only, is warned like HVB603."""
    target = host(linux(vss_daemon=False, checkpoint_type=CheckpointType.PRODUCTION_ONLY))
    assert {"HVB603", "HVB605"} <= set(fired(target))
    assert backup_outcome(target.vms[0], target).consistency is Consistency.CRASH_CONSISTENT


# --- HVB606-HVB608: storage and controllers of the guest ---------------------------------


@pytest.mark.parametrize("storage", [HostStorage.SMB, HostStorage.HOST_ISCSI])
def test_hvb606_linux_disk_on_remote_storage(storage: HostStorage) -> None:
    """Feature Descriptions for Linux, "Storage": no live backup from SMB or iSCSI storage."""
    root = Volume(name="/", file_system=FileSystem.OTHER, vss_enabled=False)
    target = host(linux(vhd("Data", volumes=(root,), storage=storage)), agent=True)
    found = only(check(target), "HVB606")
    assert_finding(found, "HVB606", Severity.ERROR, "Data", host=HOST, vm="VM1")
    assert backup_outcome(target.vms[0], target).consistency is Consistency.FAILS


def test_hvb606_near_miss() -> None:
    """A Windows guest on SMB, or a Linux guest on a CSV, gets no HVB606."""
    assert "HVB606" not in fired(host(vm(vhd(storage=HostStorage.SMB)), agent=True))
    root = Volume(name="/", file_system=FileSystem.OTHER, vss_enabled=False)
    on_csv = vhd(volumes=(root,), storage=HostStorage.CLUSTER_SHARED_VOLUME)
    assert "HVB606" not in fired(host(linux(on_csv)))


def test_hvb606_and_hvb607_not_for_a_vm_that_is_off() -> None:
    """A VM that is off has no live backup: its copy is taken as it is on disk."""
    root = Volume(name="/", file_system=FileSystem.OTHER, vss_enabled=False)
    remote = vhd("Data", volumes=(root,), storage=HostStorage.SMB)
    hidden = Disk(name="Extra", attachment=Attachment.PASS_THROUGH)
    target = host(linux(remote, hidden, state=VMState.OFF), agent=True)
    assert not {"HVB606", "HVB607"} & set(fired(target))
    assert backup_outcome(target.vms[0], target).consistency is Consistency.NOT_RUNNING


@pytest.mark.parametrize("attachment", [Attachment.PASS_THROUGH, Attachment.GUEST_ISCSI])
def test_hvb607_linux_with_hidden_storage(attachment: Attachment) -> None:
    """Supported Ubuntu VMs, notes: live backup can fail silently with such storage."""
    root = Volume(name="/", file_system=FileSystem.OTHER, vss_enabled=False)
    target = host(linux(vhd(volumes=(root,)), Disk(name="Extra", attachment=attachment)))
    assert_finding(
        only(check(target), "HVB607"), "HVB607", Severity.WARNING, "Extra", host=HOST, vm="VM1"
    )


def test_hvb607_near_miss() -> None:
    """A Windows guest with a pass-through disk gets HVB201 only."""
    target = host(vm(vhd(), Disk(name="Extra", attachment=Attachment.PASS_THROUGH)))
    assert fired(target) == ["HVB201"]


def test_hvb608_generation_1_without_scsi_on_2012_r2() -> None:
    """DPM "Backup prerequisites": 2012 R2 online backup needs a SCSI controller (event 10103)."""
    target = host(vm(generation=1, scsi_controller=False), os=R2)
    assert_finding(
        only(check(target), "HVB608"), "HVB608", Severity.ERROR, "VM1", host=HOST, vm="VM1"
    )
    assert backup_outcome(target.vms[0], target).consistency is Consistency.FAILS


@pytest.mark.parametrize(
    "target",
    [
        host(vm(generation=1, scsi_controller=True), os=R2),
        host(vm(generation=2, scsi_controller=False), os=R2),
        host(vm(generation=1, scsi_controller=None), os=R2),
        host(vm(generation=1, scsi_controller=False)),
        host(vm(generation=1, scsi_controller=False, state=VMState.OFF), os=R2),
    ],
)
def test_hvb608_near_miss(target: Host) -> None:
    """A controller, generation 2, an unknown controller, 2016+, or a VM that is off."""
    assert "HVB608" not in fired(target)


# --- HVB609-HVB610: configuration versions ------------------------------------------------


@pytest.mark.parametrize(
    ("os", "version"), [(WS2022, "5.0"), (WS2022, "7.1"), (WS2019, "10.0"), (R2, "8.0")]
)
def test_hvb609_configuration_version_not_supported(os: HostOS, version: str) -> None:
    """Page "Upgrade virtual machine version": the table of versions each release runs."""
    target = host(vm(configuration_version=version), os=os)
    assert_finding(
        only(check(target), "HVB609"), "HVB609", Severity.ERROR, "VM1", host=HOST, vm="VM1"
    )
    assert backup_outcome(target.vms[0], target).consistency is Consistency.FAILS


@pytest.mark.parametrize(
    ("os", "version"),
    [
        (WS2022, "8.0"),
        (WS2022, "10.0"),
        (WS2019, "9.0"),
        (WS2019, "5.0"),
        (R2, "5.0"),
        (WS2012, "4.0"),
    ],
)
def test_hvb609_near_miss(os: HostOS, version: str) -> None:
    """The ends of each range are supported; 2012 is not in the table and not checked."""
    assert "HVB609" not in fired(host(vm(configuration_version=version), os=os))


def test_hvb610_version_too_old_for_production_checkpoints() -> None:
    """Page "Upgrade virtual machine version": production checkpoints need 6.2."""
    target = host(vm(configuration_version="5.0"), os=WS2019)
    assert_finding(
        only(check(target), "HVB610"), "HVB610", Severity.WARNING, "VM1", host=HOST, vm="VM1"
    )


@pytest.mark.parametrize(("os", "version"), [(WS2019, "6.2"), (R2, "5.0")])
def test_hvb610_near_miss(os: HostOS, version: str) -> None:
    """Version 6.2, or a 2012 R2 host (no production checkpoints at all)."""
    assert "HVB610" not in fired(host(vm(configuration_version=version), os=os))


# --- HVB611-HVB614: shared disks and SMB ----------------------------------------------------


def test_hvb611_shared_vhdx_fails() -> None:
    """Page "Create Hyper-V VHD Set files": only VHD Sets are part of checkpoints."""
    shared = vhd("Quorum", path="C:\\ClusterStorage\\V1\\GC\\quorum.vhdx", shared=True)
    target = host(vm(vhd(), shared))
    assert_finding(
        only(check(target), "HVB611"), "HVB611", Severity.ERROR, "Quorum", host=HOST, vm="VM1"
    )
    assert backup_outcome(target.vms[0], target).consistency is Consistency.FAILS


def test_hvb611_near_miss() -> None:
    """A .vhdx that is not shared, or a shared VHD Set."""
    assert "HVB611" not in fired(host(vm(vhd(path="C:\\VMs\\data.vhdx"))))
    vhds = vhd("Quorum", path="C:\\ClusterStorage\\V1\\GC\\quorum.VHDS", shared=True)
    assert "HVB611" not in fired(host(vm(vhd(), vhds)))


def test_hvb612_vhd_set_conditions() -> None:
    """KB4230569, "Cause and resolution": a VHD Set's host backup needs a healthy guest cluster."""
    vhds = vhd("Quorum", path="C:\\ClusterStorage\\V1\\GC\\quorum.vhds", shared=True)
    target = host(vm(vhd(), vhds))
    assert_finding(
        only(check(target), "HVB612"), "HVB612", Severity.WARNING, "Quorum", host=HOST, vm="VM1"
    )
    assert backup_outcome(target.vms[0], target).consistency is Consistency.APPLICATION_CONSISTENT


def test_hvb612_on_2012_r2_fails() -> None:
    """KB4230569: VHD Sets are not supported as shared storage on 2012 R2 and earlier."""
    vhds = vhd("Quorum", path="C:\\ClusterStorage\\V1\\GC\\quorum.vhds", shared=True)
    target = host(vm(vhd(), vhds), os=R2)
    found = only(check(target), "HVB612")
    assert found.severity is Severity.ERROR
    assert "Windows Server 2012 R2" in found.message
    assert backup_outcome(target.vms[0], target).consistency is Consistency.FAILS


def test_hvb612_near_miss() -> None:
    """A .vhds path on a disk that is not shared is no guest cluster disk."""
    assert "HVB612" not in fired(host(vm(vhd(path="C:\\VMs\\x.vhds"))))


def test_shared_is_only_for_virtual_hard_disks() -> None:
    with pytest.raises(ValueError, match="only a virtual hard disk can be shared"):
        Disk(name="P", attachment=Attachment.PASS_THROUGH, shared=True)


@pytest.mark.parametrize(("agent", "severity"), [(False, Severity.ERROR), (None, Severity.WARNING)])
def test_hvb613_smb_without_vss_agent(agent: bool | None, severity: Severity) -> None:
    """DPM "Backup prerequisites": each SMB file server runs the File Server VSS Agent."""
    target = host(vm(vhd(storage=HostStorage.SMB)), agent=agent)
    found = only(check(target), "HVB613")
    assert_finding(found, "HVB613", severity, "System", host=HOST, vm="VM1")
    consistency = backup_outcome(target.vms[0], target).consistency
    assert consistency is (
        Consistency.FAILS if agent is False else Consistency.APPLICATION_CONSISTENT
    )


def test_hvb613_near_miss() -> None:
    """The agent runs, or the VM is not on SMB storage."""
    assert fired(host(vm(vhd(storage=HostStorage.SMB)), agent=True)) == []
    assert fired(host(vm(), agent=False)) == []


def test_hvb613_file_server_by_file_server() -> None:
    """DPM "Backup prerequisites": the agent runs on *each* SMB server; a listed server answers for itself."""
    disks = [
        vhd(storage=HostStorage.SMB, path="\\\\FS01\\VMs\\VM1.vhdx"),
        vhd("Data", storage=HostStorage.SMB, path="\\\\FS02\\VMs\\VM1-data.vhdx"),
        vhd("Logs", storage=HostStorage.SMB, path="\\\\fs02\\VMs\\VM1-logs.vhdx"),
    ]
    servers = [FileServer(name="fs01", vss_agent=True), FileServer(name="FS02", vss_agent=False)]
    target = attrs.evolve(host(vm(*disks), agent=None), file_servers=servers)
    found = only(check(target), "HVB613")
    assert_finding(found, "HVB613", Severity.ERROR, "Data", host=HOST, vm="VM1")
    assert "'FS02'" in found.message
    # A server not listed is answered by the host's flag, once for all of them.
    other = attrs.evolve(target, file_servers=servers[:1])
    [unknown] = [f for f in check(other) if f.rule.id == "HVB613"]
    assert (unknown.subject, unknown.severity) == ("Data", Severity.WARNING)
    assert "file server runs" in unknown.message


def test_hvb614_split_between_local_and_smb() -> None:
    """DPM "Backup prerequisites": VMs split between local and remote volumes are not supported."""
    target = host(vm(vhd(), vhd("Data", storage=HostStorage.SMB)), agent=True)
    assert_finding(
        only(check(target), "HVB614"), "HVB614", Severity.WARNING, "VM1", host=HOST, vm="VM1"
    )


def test_hvb614_near_miss() -> None:
    """Every virtual hard disk on the share."""
    target = host(
        vm(vhd(storage=HostStorage.SMB), vhd("Data", storage=HostStorage.SMB)), agent=True
    )
    assert "HVB614" not in fired(target)


# --- HVB615-HVB616: Cluster Shared Volumes --------------------------------------------------


def csv_vm(**fields: object) -> VM:
    group = ClusterGroup(
        name="VM1",
        owner_node=HOST,
        cluster_resource=ON,
        configuration_resource=ON,
        storage_resource=ON,
    )
    return vm(vhd(storage=HostStorage.CLUSTER_SHARED_VOLUME), cluster_group=group, **fields)


def test_hvb615_wsb_on_csv_is_crash_consistent() -> None:
    """Page "Use Cluster Shared Volumes", "Back up CSV": WSB copies VMs on CSV crash-consistent."""
    target = host(csv_vm(), app=WSB)
    assert_finding(
        only(check(target), "HVB615"), "HVB615", Severity.WARNING, "VM1", host=HOST, vm="VM1"
    )
    assert backup_outcome(target.vms[0], target).consistency is Consistency.CRASH_CONSISTENT


def test_hvb615_near_miss() -> None:
    """Another application on CSV, or WSB on local storage; a failing VM stays failing."""
    assert "HVB615" not in fired(host(csv_vm(), app=BackupApplication(name="Other")))
    assert "HVB615" not in fired(host(vm(), app=WSB))
    failing = host(csv_vm(configuration_version="5.0"), app=WSB)
    assert backup_outcome(failing.vms[0], failing).consistency is Consistency.FAILS


def test_hvb616_csv_backed_up_from_any_node() -> None:
    """Page "Back up CSV": from 2012 on, volume-level CSV backup runs from any node; no HVB505."""
    target = host(csv_vm())
    assert_finding(
        only(check(target), "HVB616"), "HVB616", Severity.INFO, "VM1", host=HOST, vm="VM1"
    )
    assert "HVB505" not in fired(target)


def test_hvb616_near_miss() -> None:
    """Local storage, or the 2008 profile (which says HVB505 instead)."""
    assert "HVB616" not in fired(host(vm()))
    assert "HVB616" not in ids(check(host(csv_vm()), profile="2008"))


# --- HVB617-HVB620: replicas, Fibre Channel, no visible disk ------------------------------


def test_hvb617_replica_is_crash_consistent() -> None:
    """DPM "Back up replica virtual machines": a replica VM's backup is crash-consistent."""
    target = host(vm(state=VMState.OFF, replication_role=ReplicationRole.REPLICA))
    assert_finding(
        only(check(target), "HVB617"), "HVB617", Severity.WARNING, "VM1", host=HOST, vm="VM1"
    )
    assert backup_outcome(target.vms[0], target).consistency is Consistency.CRASH_CONSISTENT


def test_hvb617_near_miss() -> None:
    """A primary VM is answered as any other."""
    target = host(vm(replication_role=ReplicationRole.PRIMARY))
    assert fired(target) == []


@pytest.mark.parametrize(("os", "ready"), [(WS2022, False), (R2, False), (WS2012, True)])
def test_hvb618_replica_cannot_be_backed_up(os: HostOS, ready: bool) -> None:
    """DPM: a replica not in a normal state fails; so does any replica on 2012."""
    replica = vm(
        state=VMState.OFF, replication_role=ReplicationRole.REPLICA, replication_ready=ready
    )
    target = host(replica, os=os)
    assert_finding(
        only(check(target), "HVB618"), "HVB618", Severity.ERROR, "VM1", host=HOST, vm="VM1"
    )
    assert backup_outcome(target.vms[0], target).consistency is Consistency.FAILS


def test_hvb618_near_miss() -> None:
    """A ready replica on 2012 R2 is backed up (HVB617), and a not-ready primary is not a replica."""
    ready = vm(state=VMState.OFF, replication_role=ReplicationRole.REPLICA)
    assert fired(host(ready, os=R2)) == ["HVB617"]
    primary = vm(replication_role=ReplicationRole.PRIMARY, replication_ready=False)
    assert fired(host(primary)) == []


def test_hvb619_virtual_fibre_channel() -> None:
    """Msvm_VirtualSystemSnapshotSettingData "Properties": Fibre Channel storage is left out, as pass-through disks."""
    target = host(vm(fibre_channel_adapters=["FC A"]))
    assert_finding(
        only(check(target), "HVB619"), "HVB619", Severity.WARNING, "FC A", host=HOST, vm="VM1"
    )


def test_hvb619_near_miss() -> None:
    assert "HVB619" not in fired(host(vm()))


def test_hvb620_no_disk_the_host_holds() -> None:
    """Hyper-V WMI "Backing up the virtual machines": pass-through and iSCSI disks are not backed up."""
    target = host(vm(Disk(name="P", attachment=Attachment.PASS_THROUGH)))
    assert_finding(
        only(check(target), "HVB620"), "HVB620", Severity.ERROR, "VM1", host=HOST, vm="VM1"
    )
    assert backup_outcome(target.vms[0], target).consistency is Consistency.NOT_BACKED_UP


def test_hvb620_near_miss() -> None:
    """One virtual hard disk beside it, or no disk at all."""
    assert "HVB620" not in fired(
        host(vm(vhd(), Disk(name="P", attachment=Attachment.PASS_THROUGH)))
    )
    assert "HVB620" not in fired(host(VM(name="VM1", state=VMState.RUNNING)))


# --- HVB621: FreeBSD guests --------------------------------------------------------------------


def freebsd(*systems: str, daemon: bool | None = True) -> VM:
    root = Volume(name="/", file_system=FileSystem.OTHER, vss_enabled=False)
    return vm(
        vhd(volumes=(root,)),
        guest_os=GuestOS.FREEBSD,
        vss_daemon=daemon,
        writable_file_systems=systems,
    )


@pytest.mark.parametrize("os", [R2, WS2022])
def test_hvb621_freebsd_with_a_file_system_other_than_ufs(os: HostOS) -> None:
    """FreeBSD's hv_vss_daemon, check(): a writable file system other than UFS refuses the freeze."""
    target = host(freebsd("ufs", "zfs", "tmpfs"), os=os)
    found = only(check(target), "HVB621")
    assert_finding(found, "HVB621", Severity.WARNING, "VM1", host=HOST, vm="VM1")
    assert "tmpfs, zfs" in found.message
    outcome = backup_outcome(target.vms[0], target)
    assert outcome.consistency is Consistency.CRASH_CONSISTENT
    assert "HVB604" not in fired(target)


@pytest.mark.parametrize(
    "target",
    [
        host(freebsd("ufs")),
        host(freebsd()),  # not collected
        host(freebsd("zfs", daemon=False)),  # HVB605 says it
        host(linux(writable_file_systems=("ext4",))),
        host(freebsd("zfs"), os=WS2012),  # saved on 2012 (HVB601)
    ],
)
def test_hvb621_near_miss(target: Host) -> None:
    """UFS only, not collected, no daemon, a Linux guest, or Windows Server 2012: no HVB621."""
    assert "HVB621" not in fired(target)


def test_hvb603_and_hvb608_say_what_a_backup_through_hyperv_would_do() -> None:
    """A copy taken without Hyper-V (HVB109) does not fail for them; Hyper-V's own backup would."""
    copier = BackupApplication(name="FileCopy", uses_hyperv_vss_writer=False, uses_wmi_backup=False)
    no_scsi = host(vm(generation=1, scsi_controller=False), os=R2, app=copier)
    found = only(check(no_scsi), "HVB608")
    assert "a backup through Hyper-V would fail" in found.message
    assert "its backup fails" not in found.message
    outcome = backup_outcome(no_scsi.vms[0], no_scsi)
    assert outcome.consistency is Consistency.NOT_APPLICATION_CONSISTENT
    assert (
        "its backup fails"
        in only(check(host(vm(generation=1, scsi_controller=False), os=R2)), "HVB608").message
    )
    only_production = vm(integration_services=False, checkpoint_type=CheckpointType.PRODUCTION_ONLY)
    found = only(check(host(only_production, app=copier)), "HVB603")
    assert "would take none and fail" in found.message
    found = only(check(host(only_production)), "HVB603")
    assert "none is taken and the backup fails" in found.message


def test_hvb604_gives_way_to_hvb615() -> None:
    """A Linux guest on a CSV copied by Windows Server Backup is crash-consistent, not file-system."""
    root = Volume(name="/", file_system=FileSystem.OTHER, vss_enabled=False)
    on_csv = vhd(volumes=(root,), storage=HostStorage.CLUSTER_SHARED_VOLUME)
    target = host(linux(on_csv), app=WSB)
    assert "HVB615" in fired(target)
    assert "HVB604" not in fired(target)
    outcome = backup_outcome(target.vms[0], target)
    assert outcome.consistency is Consistency.CRASH_CONSISTENT
    assert "HVB604" not in [r.rule.id for r in outcome.reasons]
    assert "HVB604" in fired(host(linux(on_csv)))


def test_hvb604_is_no_reason_of_a_copy_that_fails() -> None:
    """A Linux guest that freezes its file systems, on SMB storage its live backup fails from (HVB606)."""
    root = Volume(name="/", file_system=FileSystem.OTHER, vss_enabled=False)
    target = host(linux(vhd("Data", volumes=(root,), storage=HostStorage.SMB)), agent=True)
    assert "HVB604" in fired(target)
    outcome = backup_outcome(target.vms[0], target)
    assert outcome.consistency is Consistency.FAILS
    assert [r.rule.id for r in outcome.reasons] == ["HVB606"]
