"""HVB3xx, online or offline: one trigger and one near miss per rule.

Each ``test_hvbNNN_*`` builds the smallest inventory (or VM and node, or
restore call) that makes the rule fire and checks the finding it produces;
its ``*_near_miss`` companion changes one fact so that the rule must stay
silent. Docstrings restate the clause of the source guidance ("Planning for
Backup") or of the specification that the test checks, with the heading it comes from.
"""

from __future__ import annotations

import pytest

from hyperv_backup import (
    VM,
    Attachment,
    Disk,
    FileSystem,
    GuestDiskType,
    HostOS,
    Severity,
    VhdType,
    VMState,
    Volume,
    check,
)
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
