"""Restore steps: their order, texts and rules.

The order of the steps comes from the source guidance: guest-level backups
before the host backup ("Storage considerations"), media first and guest
storage after the whole VM on restore ("Understanding the restore process"),
cluster preparation by the tables of "Considerations about clustered virtual
machines".
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import attrs
import pytest

from hyperv_backup import (
    VM,
    Backup,
    BackupLevel,
    BackupMode,
    Host,
    HostOS,
    ModelError,
    NetworkKind,
    Step,
    VirtualNetwork,
    VMState,
    backup_mode,
    restore_steps,
)
from tests.builders import (
    HOST,
    actions,
    assert_numbered,
    fat32_disk,
    group,
    host_record,
    of_kind,
)
from tests.decide._shared_steps import (
    OFF,
    ONLINE_VM,
    K,
    full_restore_vm,
)

T0 = datetime(2024, 3, 1, 22, 0)


# --- restore_steps -----------------------------------------------------------------


def test_restore_step_order() -> None:
    """media, cluster preparation, deletion warning, whole VM, guest storage, networks, first start."""
    steps = restore_steps(full_restore_vm(), HOST)
    assert [(s.action, s.target, s.rules) for s in steps] == [
        (K.GATHER_MEDIA, "VM1", ()),
        (K.PREPARE_CLUSTER, "VM1", ("HVB503",)),
        (K.WARN_VM_DELETED, "VM1", ("HVB401",)),
        (K.RESTORE_VM, "VM1", ("HVB404",)),
        (K.GUEST_RESTORE, "Archive", ("HVB403",)),
        (K.GUEST_RESTORE, "LUN1", ("HVB403",)),
        (K.RECONNECT_NETWORK, "Production", ("HVB405",)),
        (K.RECONNECT_NETWORK, "Storage", ("HVB405",)),
        (K.FIRST_START, "VM1", ("HVB402",)),
    ]
    assert_numbered(steps)
    assert [s.where for s in of_kind(steps, K.GUEST_RESTORE)] == ["VM1", "VM1"]
    assert steps[0].where == HOST


def test_restore_minimal_vm() -> None:
    """An off, unclustered VM with nothing uncovered needs media, the restore and a start."""
    steps = restore_steps(VM(name="VM1", state=VMState.OFF), HOST)
    assert actions(steps) == [K.GATHER_MEDIA, K.RESTORE_VM, K.FIRST_START]
    assert_numbered(steps)


@pytest.mark.parametrize("state", list(VMState))
def test_restore_warns_of_deletion_unless_off(state: VMState) -> None:
    """Understanding the restore process (note): a VM that is not off is turned off and deleted."""
    steps = restore_steps(VM(name="VM1", state=state), HOST)
    warned = K.WARN_VM_DELETED in actions(steps)
    assert warned is (state is not VMState.OFF)


def test_restore_preparation_on_another_node() -> None:
    """Clustered VMs (restore table): node 2 owns the VM: take its resources offline there."""
    vm = VM(name="VM1", state=VMState.OFF, cluster_group=group("HV02"))
    [prepare] = of_kind(restore_steps(vm, HOST), K.PREPARE_CLUSTER)
    assert prepare.where == "HV02"
    assert prepare.rules == ("HVB503",)


def test_restore_preparation_takes_configuration_resource_offline() -> None:
    """Clustered VMs (restore table): cluster resource offline, configuration online: take it offline."""
    vm = VM(name="VM1", state=VMState.OFF, cluster_group=group(HOST, cluster=OFF))
    [prepare] = of_kind(restore_steps(vm, HOST.lower()), K.PREPARE_CLUSTER)
    assert prepare.rules == ("HVB503",)
    assert "configuration resource" in prepare.text
    assert "cluster resource" not in prepare.text
    assert "cluster and" not in prepare.text


def test_reconnect_with_a_host_names_missing_networks() -> None:
    """Given a Host, an adapter whose network it lacks is told to recreate that network."""
    node = Host(
        name=HOST,
        os=HostOS.WINDOWS_SERVER_2008_R2,
        virtual_networks=[VirtualNetwork(name="PRODUCTION", kind=NetworkKind.EXTERNAL)],
    )
    vm = attrs.evolve(full_restore_vm(), cluster_group=None)
    steps = of_kind(restore_steps(vm, node), K.RECONNECT_NETWORK)
    assert [s.target for s in steps] == ["Production", "Storage"]
    present, missing = steps
    assert "recreate" not in present.text.lower()
    assert "Nic1" in present.text
    assert "Production" in present.text
    assert "recreate" in missing.text.lower()
    assert "Storage" in missing.text
    assert "Nic3" in missing.text
    assert {s.where for s in restore_steps(vm, node)} <= {HOST, "VM1"}


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


@pytest.mark.parametrize(
    ("record", "now", "comes_back", "hvb402"),
    [
        # online backup: the VM comes back off
        (
            host_record(BackupMode.ONLINE, vm_state=VMState.RUNNING),
            VMState.RUNNING,
            VMState.OFF,
            True,
        ),
        (host_record(BackupMode.ONLINE), VMState.SAVED, VMState.OFF, True),
        # offline backup of a running or paused VM: it comes back saved
        (
            host_record(BackupMode.OFFLINE, vm_state=VMState.RUNNING),
            VMState.OFF,
            VMState.SAVED,
            False,
        ),
        (
            host_record(BackupMode.OFFLINE, vm_state=VMState.PAUSED),
            VMState.OFF,
            VMState.SAVED,
            False,
        ),
        # offline backup of an off or saved VM: as it was
        (
            host_record(BackupMode.OFFLINE, vm_state=VMState.OFF),
            VMState.RUNNING,
            VMState.OFF,
            False,
        ),
        (
            host_record(BackupMode.OFFLINE, vm_state=VMState.SAVED),
            VMState.OFF,
            VMState.SAVED,
            False,
        ),
        # no state in the record: its state now
        (host_record(BackupMode.OFFLINE), VMState.PAUSED, VMState.SAVED, False),
        (host_record(BackupMode.OFFLINE), VMState.OFF, VMState.OFF, False),
        (host_record(BackupMode.OFFLINE), VMState.SAVED, VMState.SAVED, False),
        # no record: the mode backup_mode() gives today
        (None, VMState.RUNNING, VMState.OFF, True),
        (None, VMState.SAVED, VMState.SAVED, False),
        (None, VMState.OFF, VMState.OFF, False),
        (None, VMState.PAUSED, VMState.SAVED, False),
    ],
)
def test_first_start_states_how_the_vm_comes_back(
    record: Backup | None, now: VMState, comes_back: VMState, hvb402: bool
) -> None:
    """Off after an online backup, saved after an offline one of a running VM, else as it was."""
    steps = restore_steps(VM(name="VM1", state=now), HOST, record)
    last = steps[-1]
    assert last.action is K.FIRST_START
    assert ("HVB402" in last.rules) is hvb402
    stated = words(last.text) & {s.value for s in VMState}
    assert stated == {comes_back.value}


def test_first_start_after_offline_backup_of_blocked_running_vm() -> None:
    """Online and offline backups: with no record, a blocked running VM was saved for its backup."""
    vm = VM(name="VM1", state=VMState.RUNNING, disks=[fat32_disk()])
    last = restore_steps(vm, HOST)[-1]
    assert last.rules == ()
    assert words(last.text) & {s.value for s in VMState} == {"saved"}


def uses_online(steps: tuple[Step, ...]) -> bool:
    """Whether the restore used an online backup (the first start carries HVB402)."""
    return "HVB402" in steps[-1].rules


BLOCKED_VM = VM(name="VM1", state=VMState.RUNNING, disks=[fat32_disk()])


def test_latest_host_record_by_time_not_position() -> None:
    """The host-level record used is the latest by taken_at."""
    older = host_record(BackupMode.ONLINE, T0)
    newer = host_record(BackupMode.OFFLINE, T0 + timedelta(days=1))
    assert not uses_online(restore_steps(ONLINE_VM, HOST, [newer, older]))
    assert not uses_online(restore_steps(ONLINE_VM, HOST, [older, newer]))
    assert uses_online(
        restore_steps(
            BLOCKED_VM, HOST, [attrs.evolve(older, taken_at=T0 + timedelta(days=2)), newer]
        )
    )


def test_records_without_time_are_oldest() -> None:
    """A record without a time counts as older than any timed record."""
    untimed = host_record(BackupMode.ONLINE)
    timed = host_record(BackupMode.OFFLINE, T0)
    assert not uses_online(restore_steps(ONLINE_VM, HOST, [timed, untimed]))
    assert not uses_online(restore_steps(ONLINE_VM, HOST, [untimed, timed]))


@pytest.mark.parametrize("when", [None, T0, T0.replace(tzinfo=UTC)])
def test_equal_times_last_given_wins(when: datetime | None) -> None:
    """Among records with equal times (or none), the last given is used."""
    online = host_record(BackupMode.ONLINE, when)
    offline = host_record(BackupMode.OFFLINE, when)
    assert uses_online(restore_steps(BLOCKED_VM, HOST, [offline, online]))
    assert not uses_online(restore_steps(ONLINE_VM, HOST, [online, offline]))


def test_naive_and_aware_times_mix() -> None:
    """Naive and aware times in one set are compared, not refused."""
    naive_old = host_record(BackupMode.ONLINE, T0)
    aware_new = host_record(
        BackupMode.OFFLINE, datetime(2024, 3, 5, tzinfo=timezone(timedelta(hours=2)))
    )
    assert not uses_online(restore_steps(ONLINE_VM, HOST, [aware_new, naive_old]))
    aware_old = host_record(BackupMode.OFFLINE, datetime(2024, 2, 1, tzinfo=UTC))
    naive_new = host_record(BackupMode.ONLINE, T0)
    assert uses_online(restore_steps(BLOCKED_VM, HOST, [naive_new, aware_old]))


def test_untimed_records_are_older_than_the_earliest_time() -> None:
    """Records without a time count as oldest, older even than the earliest possible time."""
    earliest = host_record(BackupMode.OFFLINE, datetime.min)
    untimed = host_record(BackupMode.ONLINE)
    assert not uses_online(restore_steps(ONLINE_VM, HOST, [earliest, untimed]))
    east = host_record(
        BackupMode.OFFLINE, datetime.min.replace(tzinfo=timezone(timedelta(hours=1)))
    )
    assert not uses_online(restore_steps(ONLINE_VM, HOST, [east, untimed]))


def test_guest_records_are_not_host_records() -> None:
    """Only HOST records decide the backup used; a later GUEST record does not."""
    host_level = host_record(BackupMode.OFFLINE, T0)
    guest_level = Backup(
        vm="VM1",
        node=HOST,
        level=BackupLevel.GUEST,
        mode=BackupMode.ONLINE,
        taken_at=T0 + timedelta(days=1),
    )
    assert not uses_online(restore_steps(ONLINE_VM, HOST, [host_level, guest_level]))
    # With only a guest record, the mode is the one decided today.
    assert uses_online(restore_steps(ONLINE_VM, HOST, [guest_level]))
    offline_guest = attrs.evolve(guest_level, mode=BackupMode.OFFLINE)
    assert uses_online(restore_steps(ONLINE_VM, HOST, [offline_guest]))


def test_records_of_other_vms_are_ignored() -> None:
    """Records for other VMs are ignored, however recent."""
    mine = host_record(BackupMode.OFFLINE, T0)
    theirs = host_record(BackupMode.ONLINE, T0 + timedelta(days=1), vm="VM2")
    assert not uses_online(restore_steps(ONLINE_VM, HOST, [mine, theirs]))
    assert uses_online(restore_steps(ONLINE_VM, HOST, [theirs]))
    assert not uses_online(restore_steps(BLOCKED_VM, HOST, [theirs]))
    # VM names compare exactly.
    other_case = host_record(BackupMode.OFFLINE, T0, vm="vm1")
    assert uses_online(restore_steps(ONLINE_VM, HOST, [other_case]))


def test_no_host_record_uses_todays_mode() -> None:
    """With no host-level record, the backup has the mode backup_mode(vm) gives today."""
    assert backup_mode(ONLINE_VM).mode is BackupMode.ONLINE
    assert backup_mode(BLOCKED_VM).mode is BackupMode.OFFLINE
    assert uses_online(restore_steps(ONLINE_VM, HOST))
    assert uses_online(restore_steps(ONLINE_VM, HOST, []))
    assert not uses_online(restore_steps(BLOCKED_VM, HOST))


def test_a_single_record_is_accepted() -> None:
    """``backup`` may be one Backup as well as a sequence of them."""
    record = host_record(BackupMode.OFFLINE, T0)
    assert restore_steps(ONLINE_VM, HOST, record) == restore_steps(ONLINE_VM, HOST, [record])
    assert restore_steps(ONLINE_VM, HOST, record) == restore_steps(ONLINE_VM, HOST, (record,))


@pytest.mark.parametrize("state", [VMState.OFF, VMState.SAVED, VMState.PAUSED])
def test_online_record_of_a_vm_not_running_is_refused(state: VMState) -> None:
    """A Backup with mode ONLINE and a vm_state other than RUNNING is rejected."""
    with pytest.raises(ModelError, match="vm_state"):
        host_record(BackupMode.ONLINE, vm_state=state)
    assert host_record(BackupMode.OFFLINE, vm_state=state).vm_state is state


def test_restore_node_may_be_a_host() -> None:
    """The node is a name or a Host; without missing networks both give the same steps."""
    vm = VM(name="VM1", state=VMState.OFF, cluster_group=group(HOST))
    node = Host(name=HOST, os=HostOS.WINDOWS_SERVER_2008_R2)
    assert restore_steps(vm, node) == restore_steps(vm, HOST)


def test_first_start_when_todays_backup_would_not_save_the_vm() -> None:
    """Assumed from today's backup, which fails on 2012 R2 (HVB608), a running VM was not saved."""
    vm = VM(name="VM1", state=VMState.RUNNING, generation=1, scsi_controller=False)
    node = Host(name="N2", os=HostOS.WINDOWS_SERVER_2012_R2)
    last = restore_steps(vm, node)[-1]
    assert last.action is K.FIRST_START
    assert "saved" not in words(last.text)
    assert "fails" in words(last.text)
    # A paused VM is copied as it is, not saved, under the later profiles: an
    # ordinary first start.
    paused = VM(name="VM2", state=VMState.PAUSED)
    assert "would not save" not in restore_steps(paused, node)[-1].text


def test_storage_of_virtual_fibre_channel_is_restored_from_the_guest() -> None:
    """Under the later profiles, SAN storage of a virtual Fibre Channel adapter is the guest's to restore."""
    vm = VM(name="VM1", state=VMState.RUNNING, fibre_channel_adapters=["FC A"])
    node = Host(name="N2", os=HostOS.WINDOWS_SERVER_2022)
    guest = of_kind(restore_steps(vm, node, [host_record(BackupMode.ONLINE, T0)]), K.GUEST_RESTORE)
    assert [(s.target, s.rules) for s in guest] == [("FC A", ("HVB403", "HVB406"))]
    assert "virtual Fibre Channel adapter 'FC A'" in guest[0].text
    # The guidance of 2008 R2 knows no virtual Fibre Channel.
    assert not of_kind(restore_steps(vm, "N2", profile="2008"), K.GUEST_RESTORE)
