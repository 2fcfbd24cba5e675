"""HVB4xx, restores: one trigger and one near miss per rule.

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
    Backup,
    BackupLevel,
    BackupMode,
    Disk,
    NetworkAdapter,
    StepKind,
    VMState,
    check,
    restore_steps,
)
from tests.builders import (
    HOST,
    group,
    ids,
    make_host,
    steps_with,
)

# --- HVB4xx: restore -----------------------------------------------------------------


@pytest.mark.parametrize("state", [VMState.RUNNING, VMState.PAUSED, VMState.SAVED])
def test_hvb401_restore_replaces_existing_vm(state: VMState) -> None:
    """Understanding the restore process (note): a VM that is not off is turned off and deleted first."""
    steps = restore_steps(VM(name="VM1", state=state), HOST)
    [warning] = steps_with(steps, "HVB401")
    assert warning.action is StepKind.WARN_VM_DELETED
    assert warning.rules == ("HVB401",)
    assert warning.target == "VM1"
    assert "VM1" in warning.text
    assert state.value in warning.text


def test_hvb401_near_miss() -> None:
    """HVB401 fires only for a VM in a state other than off."""
    steps = restore_steps(VM(name="VM1", state=VMState.OFF), HOST)
    assert steps_with(steps, "HVB401") == []
    assert StepKind.WARN_VM_DELETED not in [s.action for s in steps]


def test_hvb402_restore_from_online_backup() -> None:
    """Understanding the restore process (note): after an online backup, ignore the unclean-shutdown message."""
    record = Backup(vm="VM1", node=HOST, level=BackupLevel.HOST, mode=BackupMode.ONLINE)
    steps = restore_steps(VM(name="VM1", state=VMState.RUNNING), HOST, record)
    [first_start] = steps_with(steps, "HVB402")
    assert first_start.action is StepKind.FIRST_START
    assert first_start.rules == ("HVB402",)
    assert first_start is steps[-1]


def test_hvb402_near_miss() -> None:
    """Understanding the restore process: a restore from an offline backup carries no HVB402."""
    record = Backup(vm="VM1", node=HOST, level=BackupLevel.HOST, mode=BackupMode.OFFLINE)
    steps = restore_steps(VM(name="VM1", state=VMState.RUNNING), HOST, record)
    assert steps_with(steps, "HVB402") == []
    assert steps[-1].action is StepKind.FIRST_START


def test_hvb403_uncovered_storage_restored_from_guest() -> None:
    """Understanding the restore process: restore the VM, then the unsupported media from the guest."""
    vm = VM(
        name="VM1",
        state=VMState.OFF,
        disks=[Disk(name="Archive", attachment=Attachment.PASS_THROUGH)],
    )
    steps = restore_steps(vm, HOST)
    [guest] = steps_with(steps, "HVB403")
    assert guest.action is StepKind.GUEST_RESTORE
    assert guest.rules == ("HVB403",)
    assert guest.target == "Archive"
    assert guest.where == "VM1"
    assert [s.action for s in steps].index(StepKind.RESTORE_VM) < steps.index(guest)


def test_hvb403_near_miss() -> None:
    """Understanding the restore process: with all storage covered by the writer there is no guest restore."""
    vm = VM(
        name="VM1",
        state=VMState.OFF,
        disks=[Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK)],
    )
    steps = restore_steps(vm, HOST)
    assert steps_with(steps, "HVB403") == []
    assert StepKind.GUEST_RESTORE not in [s.action for s in steps]


def test_hvb404_whole_vm_only() -> None:
    """Understanding the restore process: the writer restores whole VMs, never part of one."""
    steps = restore_steps(VM(name="VM1", state=VMState.OFF), HOST)
    [restore] = steps_with(steps, "HVB404")
    assert restore.action is StepKind.RESTORE_VM
    assert restore.target == "VM1"


def test_hvb404_near_miss() -> None:
    """restore-time rules (HVB401-406, HVB503) never come from check()."""
    vm = VM(
        name="VM1",
        state=VMState.RUNNING,
        disks=[Disk(name="Archive", attachment=Attachment.PASS_THROUGH)],
        network_adapters=[NetworkAdapter(name="Nic", virtual_network="Production")],
        cluster_group=group(),
    )
    restore_ids = {"HVB401", "HVB402", "HVB403", "HVB404", "HVB405", "HVB406", "HVB503"}
    assert restore_ids.isdisjoint(ids(check(make_host(vm))))


def test_hvb405_reattach_network_adapters() -> None:
    """Understanding backup options: recreate the virtual networks and reattach each adapter after a restore."""
    vm = VM(
        name="VM1",
        state=VMState.OFF,
        network_adapters=[NetworkAdapter(name="Nic", virtual_network="Production")],
    )
    [reconnect] = steps_with(restore_steps(vm, HOST), "HVB405")
    assert reconnect.action is StepKind.RECONNECT_NETWORK
    assert reconnect.target == "Production"
    assert "Nic" in reconnect.text
    assert "Production" in reconnect.text


def test_hvb405_near_miss() -> None:
    """Understanding backup options: an adapter attached to no network has nothing to reattach."""
    vm = VM(name="VM1", state=VMState.OFF, network_adapters=[NetworkAdapter(name="Nic")])
    assert steps_with(restore_steps(vm, HOST), "HVB405") == []


def archive_vm(name: str = "VM1") -> VM:
    return VM(
        name=name,
        state=VMState.OFF,
        disks=[Disk(name="Archive", attachment=Attachment.PASS_THROUGH)],
    )


def test_hvb406_no_guest_backup_of_uncovered_storage() -> None:
    """Given a backup set, an uncovered disk no GUEST record of this VM covers gets HVB406."""
    vm = archive_vm()
    other_vm = Backup(
        vm="VM2", node=HOST, level=BackupLevel.GUEST, mode=BackupMode.OFFLINE, covers=["Archive"]
    )
    host_level = Backup(
        vm="VM1", node=HOST, level=BackupLevel.HOST, mode=BackupMode.OFFLINE, covers=["Archive"]
    )
    other_disk = Backup(
        vm="VM1", node=HOST, level=BackupLevel.GUEST, mode=BackupMode.OFFLINE, covers=["System"]
    )
    for backup_set in ([], [other_vm], [host_level], [other_disk], (host_level, other_vm)):
        [guest] = steps_with(restore_steps(vm, HOST, backup_set), "HVB406")
        assert guest.action is StepKind.GUEST_RESTORE
        assert guest.rules == ("HVB403", "HVB406")
        assert guest.target == "Archive"


def test_hvb406_near_miss() -> None:
    """No HVB406 without a backup set, or when a GUEST record of this VM covers the disk."""
    vm = archive_vm()
    assert steps_with(restore_steps(vm, HOST), "HVB406") == []
    assert steps_with(restore_steps(vm, HOST, None), "HVB406") == []
    guest = Backup(
        vm="VM1", node=HOST, level=BackupLevel.GUEST, mode=BackupMode.OFFLINE, covers=["Archive"]
    )
    assert steps_with(restore_steps(vm, HOST, guest), "HVB406") == []
    assert steps_with(restore_steps(vm, HOST, [guest]), "HVB406") == []
    [step] = steps_with(restore_steps(vm, HOST, [guest]), "HVB403")
    assert step.rules == ("HVB403",)
