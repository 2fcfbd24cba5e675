"""HVB3xx, online or offline: one trigger and one near miss per rule.

Each ``test_hvbNNN_*`` builds the smallest inventory (or VM and node, or
restore call) that makes the rule fire and checks the finding it produces;
its ``*_near_miss`` companion changes one fact so that the rule must stay
silent. Docstrings restate the clause of the source guidance ("Planning for
Backup") or of the specification that the test checks, with the heading it comes from.
"""

from __future__ import annotations

import attrs
import pytest

from hyperv_backup import (
    VM,
    Attachment,
    Consistency,
    Disk,
    FileSystem,
    GuestDiskType,
    Host,
    HostOS,
    Severity,
    VhdType,
    VMState,
    Volume,
    backup_outcome,
    check,
)
from hyperv_backup.model import HostVolume
from tests.builders import (
    HOST,
    assert_finding,
    ids,
    make_host,
    ntfs,
    only,
)
from tests.rules._shared_rules import (
    iscsi_vm,
)

# --- HVB3xx: online or offline -----------------------------------------------------


def test_hvb301_integration_services_missing() -> None:
    """Understanding online and offline backups: integration services must be installed."""
    vm = VM(name="VM1", state=VMState.RUNNING, integration_services=False)
    findings = check(make_host(vm))
    assert ids(findings) == ["HVB301", "HVB308"]
    assert_finding(only(findings, "HVB301"), "HVB301", Severity.WARNING, "VM1", host=HOST, vm="VM1")


def test_hvb301_near_miss() -> None:
    """Understanding online and offline backups: installed integration services block nothing."""
    assert check(make_host(VM(name="VM1", state=VMState.RUNNING, integration_services=True))) == ()


def test_hvb302_backup_service_disabled() -> None:
    """Understanding online and offline backups: the backup integration service must not be disabled."""
    vm = VM(name="VM1", state=VMState.RUNNING, backup_integration_service=False)
    findings = check(make_host(vm))
    assert ids(findings) == ["HVB302", "HVB308"]
    assert_finding(only(findings, "HVB302"), "HVB302", Severity.WARNING, "VM1", host=HOST, vm="VM1")


def test_hvb302_near_miss() -> None:
    """Understanding online and offline backups: with no integration services at all, HVB301 says so alone."""
    vm = VM(
        name="VM1", state=VMState.OFF, integration_services=False, backup_integration_service=False
    )
    assert ids(check(make_host(vm))) == ["HVB301", "HVB307"]


def test_hvb303_dynamic_guest_disk() -> None:
    """Understanding online and offline backups: a disk configured as dynamic in the guest blocks online."""
    vm = VM(
        name="VM1",
        state=VMState.RUNNING,
        disks=[
            Disk(
                name="Data",
                attachment=Attachment.VIRTUAL_HARD_DISK,
                guest_disk_type=GuestDiskType.DYNAMIC,
            )
        ],
    )
    findings = check(make_host(vm))
    assert ids(findings) == ["HVB303", "HVB308"]
    assert_finding(
        only(findings, "HVB303"), "HVB303", Severity.WARNING, "Data", host=HOST, vm="VM1"
    )
    # "All disks" are those of the VM's configuration, pass-through disks included.
    pass_through = VM(
        name="VM1",
        state=VMState.RUNNING,
        disks=[
            Disk(
                name="Archive",
                attachment=Attachment.PASS_THROUGH,
                guest_disk_type=GuestDiskType.DYNAMIC,
            )
        ],
    )
    assert ids(check(make_host(pass_through))) == ["HVB201", "HVB303", "HVB308"]


def test_hvb303_near_miss() -> None:
    """Online and offline backups: a dynamically expanding VHD is fully supported; guest iSCSI is HVB202's."""
    expanding = VM(
        name="VM1",
        state=VMState.RUNNING,
        disks=[
            Disk(
                name="Data",
                attachment=Attachment.VIRTUAL_HARD_DISK,
                vhd_type=VhdType.DYNAMICALLY_EXPANDING,
                volumes=[ntfs("D:")],
            )
        ],
    )
    assert check(make_host(expanding)) == ()
    assert ids(check(make_host(iscsi_vm(GuestDiskType.DYNAMIC)))) == ["HVB202"]


def single_volume_vm(*volumes: Volume, state: VMState = VMState.RUNNING) -> VM:
    return VM(
        name="VM1",
        state=state,
        disks=[Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK, volumes=volumes)],
    )


@pytest.mark.parametrize("fs", [f for f in FileSystem if f is not FileSystem.NTFS])
def test_hvb304_volume_not_ntfs(fs: FileSystem) -> None:
    """Understanding online and offline backups: every volume must be NTFS (FAT32 blocks online)."""
    findings = check(make_host(single_volume_vm(Volume(name="C:", file_system=fs))))
    assert ids(findings) == ["HVB304", "HVB308"]
    assert_finding(only(findings, "HVB304"), "HVB304", Severity.WARNING, "C:", host=HOST, vm="VM1")


def test_hvb304_near_miss() -> None:
    """Online and offline backups: NTFS passes; a FAT32 volume on guest iSCSI storage is HVB202's only."""
    assert check(make_host(single_volume_vm(ntfs()))) == ()
    fat = Volume(name="S:", file_system=FileSystem.FAT32)
    assert ids(check(make_host(iscsi_vm(volumes=[fat])))) == ["HVB202"]


def test_hvb305_vss_disabled() -> None:
    """Understanding online and offline backups: VSS must be enabled on every volume of the VM."""
    volume = Volume(name="C:", file_system=FileSystem.NTFS, vss_enabled=False)
    findings = check(make_host(single_volume_vm(volume)))
    assert ids(findings) == ["HVB305", "HVB308"]
    assert_finding(only(findings, "HVB305"), "HVB305", Severity.WARNING, "C:", host=HOST, vm="VM1")


def test_hvb305_near_miss() -> None:
    """Understanding online and offline backups: VSS enabled on the volume blocks nothing."""
    volume = Volume(name="C:", file_system=FileSystem.NTFS, vss_enabled=True)
    assert check(make_host(single_volume_vm(volume))) == ()


def test_hvb306_shadow_storage_elsewhere() -> None:
    """Online and offline backups: each volume must store its own shadow copies (C: on C:)."""
    c = Volume(name="C:", file_system=FileSystem.NTFS, shadow_storage="D:")
    findings = check(make_host(single_volume_vm(c, ntfs("D:"))))
    assert ids(findings) == ["HVB306", "HVB308"]
    assert_finding(only(findings, "HVB306"), "HVB306", Severity.WARNING, "C:", host=HOST, vm="VM1")
    assert "D:" in only(findings, "HVB306").message


@pytest.mark.parametrize("storage", [None, "C:", "c:"])
def test_hvb306_near_miss(storage: str | None) -> None:
    """Online and offline backups: shadow storage on the volume itself, in any case, is right."""
    c = Volume(name="C:", file_system=FileSystem.NTFS, shadow_storage=storage)
    assert check(make_host(single_volume_vm(c))) == ()


@pytest.mark.parametrize("state", [VMState.OFF, VMState.SAVED, VMState.PAUSED])
def test_hvb307_vm_not_running(state: VMState) -> None:
    """Understanding online and offline backups: only a running VM can be backed up online."""
    findings = check(make_host(VM(name="VM1", state=state)))
    expected = ["HVB307", "HVB308"] if state is VMState.PAUSED else ["HVB307"]
    assert ids(findings) == expected
    assert_finding(only(findings, "HVB307"), "HVB307", Severity.INFO, "VM1", host=HOST, vm="VM1")


def test_hvb307_near_miss() -> None:
    """Understanding online and offline backups: a running VM gets no HVB307."""
    assert check(make_host(VM(name="VM1", state=VMState.RUNNING))) == ()


@pytest.mark.parametrize("state", [VMState.RUNNING, VMState.PAUSED])
def test_hvb308_offline_backup_saves_vm(state: VMState) -> None:
    """Online and offline backups: a running or paused VM backed up offline is saved (downtime)."""
    vm = VM(name="VM1", state=state, integration_services=False)
    findings = check(make_host(vm))
    assert "HVB308" in ids(findings)
    assert_finding(only(findings, "HVB308"), "HVB308", Severity.WARNING, "VM1", host=HOST, vm="VM1")


@pytest.mark.parametrize(
    ("state", "integration_services"),
    [(VMState.OFF, False), (VMState.SAVED, False), (VMState.RUNNING, True)],
)
def test_hvb308_near_miss(state: VMState, integration_services: bool) -> None:
    """Online and offline backups: an off or saved VM stays as it is; an online backup has no downtime."""
    vm = VM(name="VM1", state=state, integration_services=integration_services)
    assert "HVB308" not in ids(check(make_host(vm)))


def test_hvb309_guest_not_inventoried() -> None:
    """A VM whose guest was not inventoried is planned offline with HVB309."""
    vm = VM(name="VM1", state=VMState.RUNNING, guest_inventoried=False)
    findings = check(make_host(vm))
    assert ids(findings) == ["HVB308", "HVB309"]
    assert_finding(only(findings, "HVB309"), "HVB309", Severity.WARNING, "VM1", host=HOST, vm="VM1")


def test_hvb309_near_miss() -> None:
    """An inventoried, running, unblocked VM is online and gets no HVB309."""
    assert check(make_host(VM(name="VM1", state=VMState.RUNNING, guest_inventoried=True))) == ()


def test_hvb303_to_306_not_evaluated_without_guest_facts() -> None:
    """Without guest facts HVB303-306 are not evaluated; HVB301/302/307 and HVB202/203 still are."""
    blocked_volumes = (
        Volume(name="C:", file_system=FileSystem.FAT32, vss_enabled=False, shadow_storage="D:"),
        ntfs("D:"),
    )
    disks = (
        Disk(
            name="Data",
            attachment=Attachment.VIRTUAL_HARD_DISK,
            guest_disk_type=GuestDiskType.DYNAMIC,
            volumes=blocked_volumes,
        ),
        Disk(name="LUN1", attachment=Attachment.GUEST_ISCSI),
    )
    running = VM(
        name="VM1",
        state=VMState.RUNNING,
        backup_integration_service=False,
        disks=disks,
        guest_inventoried=False,
    )
    off = VM(
        name="VM2", state=VMState.OFF, integration_services=False, disks=(), guest_inventoried=False
    )
    findings = check(
        make_host(running, off, os=HostOS.WINDOWS_SERVER_2008_R2, updates=["KB982210"])
    )
    by_vm = {name: ids(f for f in findings if f.vm == name) for name in ("VM1", "VM2")}
    assert by_vm["VM1"] == ["HVB202", "HVB203", "HVB302", "HVB308", "HVB309"]
    assert by_vm["VM2"] == ["HVB301", "HVB307", "HVB309"]
    # The same VM with its guest inventoried raises every one of them.
    inventoried = VM(
        name="VM1", state=VMState.RUNNING, backup_integration_service=False, disks=disks
    )
    assert {"HVB303", "HVB304", "HVB305", "HVB306"} <= set(ids(check(make_host(inventoried))))


# --- HVB311, HVB312: the conditions of the guest from Windows Server 2012 on -------------------

WS2012, R2, WS2022 = (
    HostOS.WINDOWS_SERVER_2012,
    HostOS.WINDOWS_SERVER_2012_R2,
    HostOS.WINDOWS_SERVER_2022,
)


def _checkpoints_vm(location: str | None, path: str = "D:\\VMs\\VM1.vhdx") -> VM:
    disk = Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK, path=path, volumes=[ntfs()])
    return VM(name="VM1", state=VMState.RUNNING, disks=[disk], snapshot_file_location=location)


#: (release, consistency, what reports the condition): 2012 saves the VM for it,
#: later releases copy it without the guest.
CHECKPOINT_ANSWERS = [
    (WS2012, Consistency.SAVED_STATE, ["HVB308", "HVB311"]),
    (R2, Consistency.CRASH_CONSISTENT, ["HVB602"]),
    (WS2022, Consistency.CRASH_CONSISTENT, ["HVB602"]),
]


@pytest.mark.parametrize(("os", "consistency", "reported"), CHECKPOINT_ANSWERS)
def test_hvb311_checkpoint_files_on_another_volume(
    os: HostOS, consistency: Consistency, reported: list[str]
) -> None:
    """Backing up and restoring VMs: the Child VM Snapshot method needs the checkpoint files beside the VHDs."""
    vm = _checkpoints_vm("E:\\Checkpoints")
    host = make_host(vm, os=os)
    findings = check(host)
    assert ids(findings) == reported
    assert backup_outcome(vm, host).consistency is consistency
    if os is WS2012:
        finding = only(findings, "HVB311")
        assert_finding(finding, "HVB311", Severity.WARNING, "System", host=HOST, vm="VM1")
    else:
        assert (
            "on another host volume than its checkpoint files" in only(findings, "HVB602").message
        )


@pytest.mark.parametrize(
    ("location", "path", "volumes"),
    [
        ("D:\\Checkpoints", "D:\\VMs\\VM1.vhdx", ()),
        (None, "D:\\VMs\\VM1.vhdx", ()),
        ("E:\\Checkpoints", None, ()),
        ("relative", "D:\\VM1.vhdx", ()),
        # A folder mounted on D: is a volume of its own when the host lists it.
        (
            "D:\\Mount\\Checkpoints",
            "D:\\Mount\\VM1.vhdx",
            (HostVolume(name="D:\\Mount", free_space=1),),
        ),
    ],
)
def test_hvb311_near_miss(
    location: str | None, path: str | None, volumes: tuple[HostVolume, ...]
) -> None:
    """Checkpoint files on the volume of the VHDs, or a location or path not known: no HVB311."""
    vm = (
        _checkpoints_vm(location, path)
        if path
        else VM(name="VM1", state=VMState.RUNNING, snapshot_file_location=location)
    )
    host = Host(name=HOST, os=WS2012, vms=[vm], host_volumes=volumes)
    assert ids(check(host)) == []


def test_hvb311_near_miss_under_the_guidance() -> None:
    """The guidance of 2008 R2 does not name the condition: the 2008 profile does not ask it."""
    vm = _checkpoints_vm("E:\\Checkpoints")
    old = make_host(vm, os=HostOS.WINDOWS_SERVER_2008_R2, updates=["KB982210"])
    assert ids(check(old)) == []
    assert ids(check(make_host(vm, os=R2), profile="2008")) == ["HVB100"]


def _volume_vm(volume: Volume) -> VM:
    disk = Disk(
        name="System", attachment=Attachment.VIRTUAL_HARD_DISK, volumes=[volume, ntfs("L:")]
    )
    return VM(name="VM1", state=VMState.RUNNING, disks=[disk])


EARLIER = [
    Volume(name="C:", file_system=FileSystem.NTFS, vss_enabled=False),
    Volume(name="C:", file_system=FileSystem.NTFS, shadow_storage="L:"),
]


@pytest.mark.parametrize("volume", EARLIER)
@pytest.mark.parametrize("os", [R2, WS2022])
def test_hvb312_condition_not_documented_from_2012_r2(os: HostOS, volume: Volume) -> None:
    """DPM, "Online and offline backup": the section does not apply from 2012 R2; no effect is documented."""
    vm = _volume_vm(volume)
    host = make_host(vm, os=os)
    findings = check(host)
    assert ids(findings) == ["HVB312"]
    assert_finding(findings[0], "HVB312", Severity.WARNING, "C:", host=HOST, vm="VM1")
    assert "no page says what it does from 2012 R2 on" in findings[0].message
    outcome = backup_outcome(vm, host)
    assert outcome.consistency is Consistency.APPLICATION_CONSISTENT
    assert [r.rule.id for r in outcome.reasons] == ["HVB312"]


def test_hvb312_one_finding_per_condition() -> None:
    """A volume with both conditions gets one finding for each."""
    both = Volume(name="C:", file_system=FileSystem.NTFS, vss_enabled=False, shadow_storage="L:")
    assert ids(check(make_host(_volume_vm(both), os=R2))) == ["HVB312", "HVB312"]


@pytest.mark.parametrize("volume", EARLIER)
def test_hvb312_near_miss(volume: Volume) -> None:
    """On 2012, which saves the VM, the conditions are HVB305 and HVB306; a sound volume gets nothing."""
    found = ids(check(make_host(_volume_vm(volume), os=WS2012)))
    assert "HVB312" not in found
    assert found[0] in ("HVB305", "HVB306")
    assert ids(check(make_host(_volume_vm(ntfs()), os=R2))) == []
    unknown = attrs.evolve(_volume_vm(volume), guest_inventoried=False)
    assert "HVB312" not in ids(check(make_host(unknown, os=R2)))
