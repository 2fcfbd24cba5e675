"""Properties of the decisions that hold for every valid inventory."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from hyperv_backup import (
    RULES,
    VM,
    Attachment,
    Backup,
    BackupLevel,
    BackupMode,
    Cluster,
    ClusterAction,
    ClusterGroup,
    Disk,
    FileSystem,
    GuestDiskType,
    Host,
    ResourceState,
    StepKind,
    VMState,
    Volume,
    backup_mode,
    backup_plan,
    check,
    cluster_backup_action,
    cluster_restore_action,
    dump_inventory,
    parse_inventory,
    restore_steps,
    to_dict,
    uncovered_storage,
)
from hyperv_backup.decide.cluster import resources_taken_offline
from hyperv_backup.model import computer_key
from tests.strategies import cluster_groups, inventories, vms

_BLOCKING = frozenset({"HVB301", "HVB302", "HVB303", "HVB304", "HVB305", "HVB306"})


def _all_vms(target: Host | Cluster) -> list[tuple[Host, VM]]:
    hosts = target.nodes if isinstance(target, Cluster) else (target,)
    return [(host, vm) for host in hosts for vm in host.vms]


@given(vms())
def test_online_implies_running(vm: VM) -> None:
    """An online backup needs a running VM ("Understanding online and offline backups")."""
    decision = backup_mode(vm)
    if decision.mode is BackupMode.ONLINE:
        assert vm.state is VMState.RUNNING
        assert decision.reasons == ()


@given(vms())
def test_online_exactly_when_running_inventoried_and_unblocked(vm: VM) -> None:
    """ONLINE exactly when the VM runs, its guest was inventoried and HVB301-306 are silent."""
    decision = backup_mode(vm)
    blocked = any(r.rule.id in _BLOCKING for r in decision.reasons)
    expected = vm.state is VMState.RUNNING and vm.guest_inventoried and not blocked
    assert (decision.mode is BackupMode.ONLINE) == expected


@given(vms())
def test_downtime_iff_offline_and_running_or_paused(vm: VM) -> None:
    """An offline backup saves a running or paused VM and returns it to its state after."""
    decision = backup_mode(vm)
    saved = decision.mode is BackupMode.OFFLINE and vm.state in (VMState.RUNNING, VMState.PAUSED)
    assert decision.causes_downtime == saved
    assert decision.state_during_backup is (VMState.SAVED if saved else vm.state)
    assert decision.state_after is vm.state


def _fresh(existing: set[str], stem: str) -> str:
    name = stem
    while computer_key(name) in existing:
        name += "+"
    return name


def _with_disk(vm: VM, disk: Callable[[str, str], Disk]) -> VM:
    disk_names = {computer_key(d.name) for d in vm.disks}
    volume_names = {computer_key(v.name) for d in vm.disks for v in d.volumes}
    added = disk(_fresh(disk_names, "Blocker"), _fresh(volume_names, "Z:"))
    return attrs.evolve(vm, disks=(*vm.disks, added))


def _two_volumes(vm: VM) -> VM:
    volume_names = {computer_key(v.name) for d in vm.disks for v in d.volumes}
    first = _fresh(volume_names, "Y:")
    second = _fresh(volume_names | {computer_key(first)}, "X:")
    disk_names = {computer_key(d.name) for d in vm.disks}
    added = Disk(
        name=_fresh(disk_names, "Blocker"),
        attachment=Attachment.VIRTUAL_HARD_DISK,
        volumes=[
            Volume(name=first, file_system=FileSystem.NTFS, shadow_storage=second),
            Volume(name=second, file_system=FileSystem.NTFS),
        ],
    )
    return attrs.evolve(vm, disks=(*vm.disks, added))


#: Ways to add one condition that blocks an online backup.
_BLOCKERS: dict[str, Callable[[VM], VM]] = {
    "no integration services": lambda vm: attrs.evolve(vm, integration_services=False),
    "backup service disabled": lambda vm: attrs.evolve(
        vm, integration_services=True, backup_integration_service=False
    ),
    "not running": lambda vm: attrs.evolve(
        vm, state=VMState.OFF if vm.state is VMState.RUNNING else vm.state
    ),
    "guest not inventoried": lambda vm: attrs.evolve(vm, guest_inventoried=False),
    "dynamic disk": lambda vm: _with_disk(
        vm,
        lambda disk, _: Disk(
            name=disk,
            attachment=Attachment.VIRTUAL_HARD_DISK,
            guest_disk_type=GuestDiskType.DYNAMIC,
        ),
    ),
    "fat32 volume": lambda vm: _with_disk(
        vm,
        lambda disk, volume: Disk(
            name=disk,
            attachment=Attachment.PASS_THROUGH,
            volumes=[Volume(name=volume, file_system=FileSystem.FAT32)],
        ),
    ),
    "vss disabled": lambda vm: _with_disk(
        vm,
        lambda disk, volume: Disk(
            name=disk,
            attachment=Attachment.VIRTUAL_HARD_DISK,
            volumes=[Volume(name=volume, file_system=FileSystem.NTFS, vss_enabled=False)],
        ),
    ),
    "shadow storage elsewhere": _two_volumes,
}


@given(vms(), st.sampled_from(sorted(_BLOCKERS)))
def test_adding_a_blocking_condition_never_turns_offline_into_online(vm: VM, blocker: str) -> None:
    """Monotonicity: a VM with one more blocking condition is backed up offline."""
    after = backup_mode(_BLOCKERS[blocker](vm))
    assert after.mode is BackupMode.OFFLINE
    assert after.reasons


def _apply(group: ClusterGroup, action: ClusterAction) -> ClusterGroup:
    offline = {r.value: ResourceState.OFFLINE for r in resources_taken_offline(action)}
    return attrs.evolve(group, **offline)


@given(cluster_groups(owner="HV-NODE1"), st.sampled_from(BackupMode))
def test_carrying_out_a_backup_preparation_leads_to_none(
    group: ClusterGroup, mode: BackupMode
) -> None:
    """On the owner node, once the backup table's action is done nothing more is needed."""
    vm = VM(name="VM", state=VMState.RUNNING, cluster_group=group)
    action = cluster_backup_action(vm, "HV-NODE1", mode)
    if action is ClusterAction.NOT_COVERED:
        return
    done = attrs.evolve(vm, cluster_group=_apply(group, action))
    assert cluster_backup_action(done, "HV-NODE1", mode) is ClusterAction.NONE


@given(cluster_groups(owner="HV-NODE1"))
def test_carrying_out_a_restore_preparation_leads_to_none(group: ClusterGroup) -> None:
    """On the owner node, once the restore table's action is done nothing more is needed."""
    vm = VM(name="VM", state=VMState.RUNNING, cluster_group=group)
    action = cluster_restore_action(vm, "hv-node1")
    if action is ClusterAction.NOT_COVERED:
        return
    done = attrs.evolve(vm, cluster_group=_apply(group, action))
    assert cluster_restore_action(done, "HV-NODE1") is ClusterAction.NONE


_taken_at = st.one_of(
    st.none(),
    st.datetimes(min_value=datetime(2009, 1, 1), max_value=datetime(2030, 1, 1)),
    st.datetimes(
        min_value=datetime(2009, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
    ),
)


def _backup_sets(vm: VM) -> st.SearchStrategy[list[Backup] | None]:
    disks = [d.name for d in vm.disks]
    record = st.builds(
        Backup,
        vm=st.sampled_from([vm.name, "some other VM"]),
        node=st.just("HV-NODE1"),
        level=st.sampled_from(BackupLevel),
        mode=st.just(BackupMode.OFFLINE),
        taken_at=_taken_at,
        covers=st.lists(st.sampled_from(disks), max_size=3) if disks else st.just([]),
    )
    return st.one_of(st.none(), st.lists(record, max_size=3))


@settings(max_examples=60, deadline=None)
@given(inventories(), st.data())
def test_every_rule_named_is_in_the_catalogue(target: Host | Cluster, data: st.DataObject) -> None:
    """Findings, reasons and steps only ever cite rules of the catalogue."""
    cited: set[str] = {f.rule.id for f in check(target)}
    cited |= {u.rule.id for u in uncovered_storage(target)}
    nodes = [None, *(h.name for h in (target.nodes if isinstance(target, Cluster) else (target,)))]
    for node in nodes:
        plan = backup_plan(target, node)
        cited |= {f.rule.id for f in plan.findings}
        cited |= {rule for step in plan.steps for rule in step.rules}
        cited |= {r.rule.id for d in plan.decisions.values() for r in d.reasons}
        assert [s.order for s in plan.steps] == list(range(1, len(plan.steps) + 1))
    for host, vm in _all_vms(target):
        steps = restore_steps(vm, host, data.draw(_backup_sets(vm)))
        assert steps[0].action is StepKind.GATHER_MEDIA
        assert steps[-1].action is StepKind.FIRST_START
        cited |= {rule for step in steps for rule in step.rules}
    assert cited <= set(RULES)


@settings(max_examples=60, deadline=None)
@given(inventories())
def test_same_input_same_output(target: Host | Cluster) -> None:
    """Decisions depend on the data alone: an equal inventory gives byte-identical results."""
    copy = parse_inventory(json.dumps(dump_inventory(target)))
    assert check(copy) == check(target)
    first = json.dumps(to_dict(backup_plan(target)))
    assert json.dumps(to_dict(backup_plan(copy))) == first
    assert json.dumps(to_dict(backup_plan(target))) == first


@settings(max_examples=60, deadline=None)
@given(inventories())
def test_check_is_sorted_by_severity(target: Host | Cluster) -> None:
    """Findings come most severe first; every finding's severity is its rule's.

    The rules with a severity note (HVB108, HVB501, HVB612, HVB613) decide
    theirs case by case.
    """
    findings = check(target)
    ranks = [f.severity.rank for f in findings]
    assert ranks == sorted(ranks)
    for f in findings:
        if f.rule.severity_note is None:
            assert f.severity is f.rule.severity
