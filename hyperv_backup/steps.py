"""Ordered steps: the backup plan of a host or cluster, and the restore of one VM.

The order follows the source guidance: guest-level backups of storage the
host backup misses come before the host backup ("Storage considerations");
the virtual networks are recorded before it ("Understanding backup options
and considerations"); a restore gathers its media, restores the whole VM,
then the guest-level storage ("Understanding the restore process"); clustered
VMs are prepared by the tables of "Considerations about clustered virtual
machines", and whatever was taken offline for a backup is returned after it.
"""

from __future__ import annotations

import enum
import types
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime

import attrs

from hyperv_backup._errors import HypervBackupError
from hyperv_backup._evaluate import (
    VMView,
    action_text,
    evaluate,
    hosts_of,
    lacks_update,
    node_name,
    resolve_node,
    sort_findings,
    states_text,
    uncovered_rule,
)
from hyperv_backup._notebook import NotebookDisplay
from hyperv_backup.cluster import (
    ClusterAction,
    cluster_restore_action,
)
from hyperv_backup.mode import BackupModeDecision, decide_mode
from hyperv_backup.model import (
    VM,
    Backup,
    BackupLevel,
    BackupMode,
    Cluster,
    Host,
    VMState,
    computer_key,
)
from hyperv_backup.rules import Finding, Severity, slot_setters

__all__ = ["Plan", "Step", "StepKind", "Steps", "backup_plan", "restore_steps"]


class StepKind(enum.StrEnum):
    """What a step does."""

    PREREQUISITE = "prerequisite"
    RECORD_NETWORKS = "record_networks"
    GUEST_BACKUP = "guest_backup"
    PREPARE_CLUSTER = "prepare_cluster"
    MOVE_VM = "move_vm"
    HOST_BACKUP = "host_backup"
    RETURN_CLUSTER_STATE = "return_cluster_state"
    GATHER_MEDIA = "gather_media"
    WARN_VM_DELETED = "warn_vm_deleted"
    RESTORE_VM = "restore_vm"
    GUEST_RESTORE = "guest_restore"
    RECONNECT_NETWORK = "reconnect_network"
    FIRST_START = "first_start"


@attrs.frozen(kw_only=True)
class Step:
    """One step of a plan or a restore.

    ``target`` is the VM, disk or network the step acts on; ``where`` the
    host, guest (VM name) or cluster node it is carried out on; ``text`` one
    imperative sentence; ``rules`` the IDs of the rules behind it.
    """

    order: int
    action: StepKind
    target: str
    where: str
    text: str
    rules: tuple[str, ...] = ()


class Steps(tuple[Step, ...], NotebookDisplay):
    """A tuple of ordered steps, as :func:`restore_steps` returns them.

    It is an ordinary tuple that a notebook also shows as a numbered list.
    """

    __slots__ = ()


@attrs.frozen(kw_only=True)
class Plan(NotebookDisplay):
    """The backup plan of a host or a cluster.

    ``decisions`` maps each VM's name to how it is backed up.
    """

    steps: tuple[Step, ...]
    findings: tuple[Finding, ...]
    # A read-only mapping is not hashable; leave it out of the hash, keep it in ==.
    decisions: Mapping[str, BackupModeDecision] = attrs.field(hash=False)


# A step before it is numbered: (action, target, where, text, rules).
_Draft = tuple[StepKind, str, str, str, tuple[str, ...]]


_STEP_SLOTS = slot_setters(Step, "order", "action", "target", "where", "text", "rules")


def _numbered(drafts: Iterable[_Draft]) -> Steps:
    # Each step is built by setting its slots directly: see slot_setters.
    set_order, set_action, set_target, set_where, set_text, set_rules = _STEP_SLOTS
    steps: list[Step] = []
    for order, (action, target, where, text, rules) in enumerate(drafts, start=1):
        step: Step = object.__new__(Step)
        set_order(step, order)
        set_action(step, action)
        set_target(step, target)
        set_where(step, where)
        set_text(step, text)
        set_rules(step, rules)
        steps.append(step)
    return Steps(steps)


# --- the backup plan -----------------------------------------------------------------


_PREREQUISITE_TEXT = {
    "HVB101": "Switch {host} to a backup application that uses the Hyper-V VSS writer.",
    "HVB102": "Register the Hyper-V VSS writer with Windows Server Backup on {host} (KB958662).",
    "HVB103": "Install KB982210 on {host}.",
}


def backup_plan(target: Host | Cluster, node: str | Host | None = None) -> Plan:
    """Return the ordered backup plan of ``target``, with its findings and decisions.

    With ``node=None`` each clustered VM is backed up on the node that owns
    it. With a node (a name, in any case, or a :class:`~hyperv_backup.Host`),
    every clustered VM is backed up on that node: a VM owned elsewhere is
    moved there first and moved back afterwards, and the node's own backup
    application and hotfixes are the ones that count. VMs that are not
    clustered stay on their host.

    Raises :class:`~hyperv_backup.HypervBackupError` (a ``ValueError``) when
    ``node`` is not a node of ``target``.
    """
    evaluation = evaluate(target, resolve_node(target, node))
    prerequisites = [
        (
            StepKind.PREREQUISITE,
            f.subject,
            f.subject,
            _PREREQUISITE_TEXT[f.rule.id].format(host=repr(f.subject)),
            (f.rule.id,),
        )
        for f in evaluation.findings
        if f.rule.id in _PREREQUISITE_TEXT
    ]
    networks = [d for host in hosts_of(target) for d in _record_network_drafts(host)]
    guest_backups: list[_Draft] = []
    preparations: list[_Draft] = []
    host_backups: list[_Draft] = []
    undo: list[list[_Draft]] = []
    for view in evaluation.vms:
        _add_guest_backups(view, guest_backups)
        # Most VMs need no cluster preparation; only the others are asked for it.
        if view.moved or view.action in _PREPARED_ACTIONS:
            prepare, back = _cluster_drafts(view)
            preparations.extend(prepare)
            undo.append(back)
        host_backups.append(_host_backup_draft(view))
    # Whatever was done for the backup is undone in the reverse order.
    returns = [draft for back in reversed(undo) for draft in back]
    return Plan(
        steps=_numbered(
            [*prerequisites, *networks, *guest_backups, *preparations, *host_backups, *returns]
        ),
        findings=sort_findings(evaluation.findings),
        decisions=types.MappingProxyType({v.vm.name: v.decision for v in evaluation.vms}),
    )


def _record_network_drafts(host: Host) -> Iterable[_Draft]:
    for network in host.virtual_networks:
        details = [f"kind {network.kind.value}"]
        if network.physical_adapter is not None:
            details.append(f"physical adapter {network.physical_adapter!r}")
        if network.vlan_id is not None:
            details.append(f"VLAN {network.vlan_id}")
        yield (
            StepKind.RECORD_NETWORKS,
            network.name,
            host.name,
            f"Record the configuration of virtual network {network.name!r} on "
            f"{host.name!r} ({', '.join(details)}).",
            ("HVB104",),
        )


def _add_guest_backups(view: VMView, drafts: list[_Draft]) -> None:
    """Add a guest-level backup of each disk of the VM the host backup misses."""
    vm = view.vm
    # Drafts are added to the plan's list directly rather than yielded: this
    # runs for every VM and most have no such disk.
    for disk in vm.disks:
        rule_id = uncovered_rule(disk)
        if rule_id is None:
            continue
        rules: tuple[str, ...] = (rule_id,)
        if rule_id == "HVB202" and lacks_update(view.node, "KB975354"):
            rules = ("HVB202", "HVB203")
        drafts.append(
            (
                StepKind.GUEST_BACKUP,
                disk.name,
                vm.name,
                f"From inside the guest of VM {vm.name!r}, back up disk {disk.name!r} before "
                "the host backup.",
                rules,
            )
        )


#: The cluster actions that add a preparation step (a move adds one too).
_PREPARED_ACTIONS = frozenset(
    {ClusterAction.NOT_COVERED, ClusterAction.TAKE_CLUSTER_RESOURCE_OFFLINE}
)


def _cluster_drafts(view: VMView) -> tuple[list[_Draft], list[_Draft]]:
    """Return the preparation steps of a clustered VM, and the steps that undo them."""
    vm, owner, node = view.vm, view.host.name, view.node.name
    prepare: list[_Draft] = []
    undo: list[_Draft] = []
    if view.action is ClusterAction.NOT_COVERED:
        # Fixed where the VM is, before anything else is done with it.
        prepare.append(
            (
                StepKind.PREPARE_CLUSTER,
                vm.name,
                owner,
                f"Bring the resources of VM {vm.name!r} ({states_text(vm)}), a combination the "
                "guidance does not cover, into a covered state before backing it up.",
                ("HVB504",),
            )
        )
    if view.moved:
        prepare.append(
            (
                StepKind.MOVE_VM,
                vm.name,
                owner,
                f"Move VM {vm.name!r} from {owner!r} to {node!r}, since only the owning node "
                "reports it for backup.",
                ("HVB502",),
            )
        )
        undo.append(
            (
                StepKind.RETURN_CLUSTER_STATE,
                vm.name,
                node,
                f"Move VM {vm.name!r} back to {owner!r}.",
                ("HVB502",),
            )
        )
    if view.action is ClusterAction.TAKE_CLUSTER_RESOURCE_OFFLINE:
        prepare.append(
            (
                StepKind.PREPARE_CLUSTER,
                vm.name,
                node,
                f"Put the cluster resource of VM {vm.name!r} offline through the Cluster service.",
                ("HVB502",),
            )
        )
        undo.insert(
            0,
            (
                StepKind.RETURN_CLUSTER_STATE,
                vm.name,
                node,
                f"Bring the cluster resource of VM {vm.name!r} back online.",
                ("HVB502",),
            ),
        )
    return prepare, undo


#: How a VM is backed up, the tail of its host backup step. The text depends
#: only on the mode and the VM's state, so it is written once here for every
#: state rather than once for every VM.
_ONLINE_HOW = "online, with no downtime"
_SAVED_HOW = {
    state: f"offline: it is saved while the backup runs (downtime) and set back to "
    f"{state.value} afterwards"
    for state in VMState
}
_STAYS_HOW = {state: f"offline; it stays {state.value}" for state in VMState}

# Enum members read for every VM, under module names. Python 3.11 gives each
# enum class a ``__getattr__`` hook, which makes reading a member from its
# class (``BackupMode.ONLINE``) ten times as slow as a name.
_ONLINE, _HOST_BACKUP = BackupMode.ONLINE, StepKind.HOST_BACKUP

#: The findings that change a VM's host backup step.
_CHANGES_HOST_BACKUP = frozenset({"HVB106", "HVB501"})


def _host_backup_draft(view: VMView) -> _Draft:
    vm, where, decision = view.vm, view.node.name, view.decision
    name = vm.name
    rules = [r.rule.id for r in decision.reasons]
    if decision.mode is _ONLINE:
        how = _ONLINE_HOW
    elif decision.causes_downtime:
        how = _SAVED_HOW[decision.state_after]
        rules.append("HVB308")
    else:
        how = _STAYS_HOW[vm.state]
    text = f"Back up VM {name!r} on {where!r} {how}."
    # Findings that keep the host backup from holding this VM change the step.
    for f in view.findings:
        rule_id = f.rule.id
        if rule_id not in _CHANGES_HOST_BACKUP:
            continue
        if rule_id == "HVB106":
            text = (
                f"Back up VM {name!r} with an application other than Windows Server Backup, "
                f"which does not support its Cluster Shared Volume; on {where!r} it would be "
                f"backed up {how}."
            )
        elif f.severity is Severity.WARNING:
            text = (
                f"Expect VM {name!r} to be left out of the backup on {where!r}: a disk is on a "
                "volume mounted by GUID path; mount it at a drive letter or folder to include "
                "the VM."
            )
        else:
            text = (
                f"Back up VM {name!r} on {where!r} {how}; without KB958184 on {where!r}, its "
                "disk on a volume mounted by GUID path can make the whole backup fail."
            )
        rules.append(rule_id)
    return (_HOST_BACKUP, name, where, text, tuple(dict.fromkeys(rules)))


# --- restoring one VM ----------------------------------------------------------------


def _records(backup: Backup | Sequence[Backup] | None, vm: VM) -> list[Backup] | None:
    """Return the records of ``vm`` in the backup set, or ``None`` when no set is given."""
    value: object = backup  # callers without type checking may pass anything
    if value is None:
        return None
    if isinstance(value, Backup):
        given: Sequence[object] = [value]
    elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
        given = value
    else:
        msg = f"backup must be a Backup or a sequence of them, got {type(value).__name__}"
        raise TypeError(msg)
    records = []
    for index, record in enumerate(given):
        if not isinstance(record, Backup):
            msg = f"backup[{index}] must be a Backup, got {type(record).__name__}"
            raise TypeError(msg)
        if record.vm == vm.name:
            records.append(record)
    return records


def _mode(value: object) -> BackupMode:
    """Accept a backup mode or its spelling; refuse the rest with the package's error."""
    try:
        return value if isinstance(value, BackupMode) else BackupMode(str(value))
    except ValueError:
        msg = f"mode must be 'online' or 'offline', got {value!r}"
        raise HypervBackupError(msg) from None


def _when(record: Backup) -> tuple[bool, datetime]:
    # Records without a time sort before every timed one; a naive time is read as
    # UTC so that naive and aware times can be compared.
    taken = record.taken_at
    if taken is None:
        return (False, datetime.min.replace(tzinfo=UTC))
    return (True, taken if taken.tzinfo is not None else taken.replace(tzinfo=UTC))


def latest_host_backup(records: Iterable[Backup]) -> Backup | None:
    """Return the latest host-level record; among equal times the last given."""
    latest: Backup | None = None
    for record in records:
        if record.level is BackupLevel.HOST and (latest is None or _when(record) >= _when(latest)):
            latest = record
    return latest


def restore_steps(
    vm: VM,
    node: str | Host,
    backup: Backup | Sequence[Backup] | None = None,
    *,
    mode: BackupMode | None = None,
) -> Steps:
    """Return the ordered steps to restore ``vm`` on ``node``.

    ``backup`` is the backup set: one record or several (records of other VMs
    are ignored). The host-level record used is the latest; without one, the
    backup is assumed to have ``mode`` when it is given, else the mode
    :func:`~hyperv_backup.backup_mode` gives today. When a backup set is given,
    every disk outside the host backup that no guest-level record of this VM
    covers is flagged (HVB406).
    """
    where = node_name(node)
    records = _records(backup, vm)
    host_record = latest_host_backup(records or ())
    state_then = vm.state
    if host_record is not None:
        mode = host_record.mode
        state_then = host_record.vm_state or vm.state
    elif mode is None:
        mode = decide_mode(vm, where).mode
    else:
        mode = _mode(mode)
    drafts: list[_Draft] = [
        (
            StepKind.GATHER_MEDIA,
            vm.name,
            where,
            f"Have the backup media and equipment for VM {vm.name!r} at hand on {where!r}.",
            (),
        )
    ]
    drafts.extend(_restore_preparation(vm, where))
    if vm.state is not VMState.OFF:
        drafts.append(
            (
                StepKind.WARN_VM_DELETED,
                vm.name,
                where,
                f"Know that the restore removes VM {vm.name!r}, now {vm.state.value}, and puts "
                "the backed-up copy in its place; its current state is lost.",
                ("HVB401",),
            )
        )
    drafts.append(
        (
            StepKind.RESTORE_VM,
            vm.name,
            where,
            f"Restore the whole of VM {vm.name!r} on {where!r} from the {mode.value} "
            "host-level backup.",
            ("HVB404",),
        )
    )
    drafts.extend(_guest_restore_drafts(vm, records))
    drafts.extend(_reconnect_drafts(vm, node, where))
    drafts.append(_first_start_draft(vm, where, mode, state_then))
    return _numbered(drafts)


def _restore_preparation(vm: VM, where: str) -> Iterable[_Draft]:
    action = cluster_restore_action(vm, where)
    if action in (ClusterAction.NOT_CLUSTERED, ClusterAction.NONE):
        return
    group = vm.cluster_group
    assert group is not None  # noqa: S101 - a clustered action implies a group
    if action is ClusterAction.NOT_COVERED:
        yield (
            StepKind.PREPARE_CLUSTER,
            vm.name,
            where,
            f"Bring the resources of VM {vm.name!r} ({states_text(vm)}), a combination the "
            "guidance does not cover, into a covered state before restoring it.",
            ("HVB504",),
        )
        return
    on_owner = action is ClusterAction.TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE_ON_OWNER
    yield (
        StepKind.PREPARE_CLUSTER,
        vm.name,
        group.owner_node if on_owner else where,
        f"Before VM {vm.name!r} is restored on {where!r}, "
        f"{action_text(action, group.owner_node, where)}.",
        ("HVB503",),
    )


def _guest_restore_drafts(vm: VM, records: list[Backup] | None) -> Iterable[_Draft]:
    covered: set[str] = set()
    for record in records or ():
        if record.level is BackupLevel.GUEST:
            covered.update(record.covers)
    for disk in vm.disks:
        if uncovered_rule(disk) is None:
            continue
        text = f"After VM {vm.name!r} is restored, restore disk {disk.name!r} from inside the guest"
        rules: tuple[str, ...] = ("HVB403",)
        if records is not None and disk.name not in covered:
            rules = ("HVB403", "HVB406")
            text += "; no guest-level backup in the set holds it, so its data cannot be restored"
        yield (StepKind.GUEST_RESTORE, disk.name, vm.name, text + ".", rules)


def _reconnect_drafts(vm: VM, node: str | Host, where: str) -> Iterable[_Draft]:
    existing = (
        {computer_key(n.name) for n in node.virtual_networks} if isinstance(node, Host) else None
    )
    for adapter in vm.network_adapters:
        network = adapter.virtual_network
        if network is None:
            continue
        if existing is not None and computer_key(network) not in existing:
            text = (
                f"Recreate virtual network {network!r} on {where!r} from its recorded "
                f"configuration, then connect adapter {adapter.name!r} of VM {vm.name!r} to it."
            )
        else:
            text = (
                f"Connect adapter {adapter.name!r} of VM {vm.name!r} to virtual network "
                f"{network!r}."
            )
        yield (StepKind.RECONNECT_NETWORK, network, where, text, ("HVB405",))


def _first_start_draft(vm: VM, where: str, mode: BackupMode, state_then: VMState) -> _Draft:
    if mode is BackupMode.ONLINE:
        return (
            StepKind.FIRST_START,
            vm.name,
            where,
            f"Start VM {vm.name!r}, which comes back off, and ignore any report from the guest "
            "of an unexpected shutdown.",
            ("HVB402",),
        )
    saved = state_then in (VMState.RUNNING, VMState.PAUSED)
    comes_back = VMState.SAVED if saved else state_then
    return (
        StepKind.FIRST_START,
        vm.name,
        where,
        f"Start VM {vm.name!r}, which comes back {comes_back.value}.",
        (),
    )
