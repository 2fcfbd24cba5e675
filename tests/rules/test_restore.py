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
    Host,
    HostOS,
    NetworkAdapter,
    NetworkKind,
    StepKind,
    VirtualNetwork,
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


# --- HVB407-HVB409: restores under the profiles of Windows Server 2012 and later ------------

LATER = [HostOS.WINDOWS_SERVER_2012_R2, HostOS.WINDOWS_SERVER_2022]
SWITCH = VirtualNetwork(name="Production", kind=NetworkKind.EXTERNAL)


def _node(os: HostOS, *switches: VirtualNetwork) -> Host:
    return Host(name=HOST, os=os, virtual_networks=switches)


def _online(vm: VM) -> Backup:
    return Backup(vm=vm.name, node=HOST, level=BackupLevel.HOST, mode=BackupMode.ONLINE)


@pytest.mark.parametrize("os", LATER)
def test_hvb407_first_start_after_an_online_backup(os: HostOS) -> None:
    """Backing up and restoring VMs: a copy taken while the VM ran starts from a running system."""
    vm = VM(name="VM1", state=VMState.RUNNING)
    steps = restore_steps(vm, _node(os), _online(vm))
    [first_start] = steps_with(steps, "HVB407")
    assert first_start.action is StepKind.FIRST_START
    assert first_start is steps[-1]
    assert "not shut down properly" in first_start.text
    assert steps_with(steps, "HVB402") == []


@pytest.mark.parametrize("profile", [None, "2008"])
def test_hvb407_near_miss(profile: str | None) -> None:
    """An offline backup carries no HVB407; the 2008 profile answers with the guidance's HVB402."""
    vm = VM(name="VM1", state=VMState.RUNNING)
    offline = Backup(vm="VM1", node=HOST, level=BackupLevel.HOST, mode=BackupMode.OFFLINE)
    assert steps_with(restore_steps(vm, _node(HostOS.WINDOWS_SERVER_2022), offline), "HVB407") == []
    guidance = restore_steps(vm, _node(HostOS.WINDOWS_SERVER_2022), _online(vm), profile="2008")
    assert steps_with(guidance, "HVB407") == []
    assert len(steps_with(guidance, "HVB402")) == 1


@pytest.mark.parametrize("os", LATER)
def test_hvb408_whole_vm(os: HostOS) -> None:
    """Backing up and restoring VMs, "Restoring the virtual machines": the writer restores VMs."""
    [restore] = steps_with(restore_steps(VM(name="VM1", state=VMState.OFF), _node(os)), "HVB408")
    assert restore.action is StepKind.RESTORE_VM
    assert "item-level recovery" in restore.text


def test_hvb408_near_miss() -> None:
    """The 2008 profile (a node known by name only) answers with HVB404, the guidance's."""
    steps = restore_steps(VM(name="VM1", state=VMState.OFF), HOST)
    assert steps_with(steps, "HVB408") == []
    assert len(steps_with(steps, "HVB404")) == 1


def _adapter_vm() -> VM:
    return VM(
        name="VM1",
        state=VMState.OFF,
        network_adapters=[
            NetworkAdapter(name="Nic", virtual_network="Production"),
            NetworkAdapter(name="Spare"),
        ],
    )


@pytest.mark.parametrize("os", LATER)
def test_hvb409_switch_created_before_the_restore(os: HostOS) -> None:
    """Restoring the virtual machines, step 6: ports are made only on switches that still exist."""
    steps = restore_steps(_adapter_vm(), _node(os))
    before, after = steps_with(steps, "HVB409")
    assert [s.action for s in (before, after)] == [StepKind.RECONNECT_NETWORK] * 2
    restore = next(s for s in steps if s.action is StepKind.RESTORE_VM)
    assert before.order < restore.order < after.order
    assert before.text.startswith("Before the restore, create virtual switch 'Production'")
    assert after.text.startswith("Check that adapter 'Nic'")


def test_hvb409_switch_that_exists_is_checked_only() -> None:
    """A node with the switch needs only the check; a node known by name is told both cases."""
    [check_only] = steps_with(restore_steps(_adapter_vm(), _node(LATER[1], SWITCH)), "HVB409")
    assert "the restore connects it to the switch" in check_only.text
    [by_name] = steps_with(restore_steps(_adapter_vm(), "HV02", profile="2016"), "HVB409")
    assert "where 'HV02' has no switch of that name" in by_name.text


def test_hvb409_near_miss() -> None:
    """An adapter on no switch needs nothing; the 2008 profile answers with HVB405."""
    vm = VM(name="VM1", state=VMState.OFF, network_adapters=[NetworkAdapter(name="Nic")])
    assert steps_with(restore_steps(vm, _node(LATER[1])), "HVB409") == []
    assert steps_with(restore_steps(_adapter_vm(), HOST), "HVB409") == []
    assert len(steps_with(restore_steps(_adapter_vm(), HOST), "HVB405")) == 1
