"""One walk over an inventory: every check of the answering profile, over every scope.

:func:`~hyperv_backup.check`, :func:`~hyperv_backup.backup_plan`,
:func:`~hyperv_backup.backup_mode` and :func:`~hyperv_backup.backup_outcome`
all come from this walk, so a plan's findings, its steps and each VM's
outcome come from the same evaluation and nothing is computed twice.

For each host, the profile of its release answers (or the one the caller
names). The walk runs the host's checks, then, for each VM on the node that
backs it up, the checks of each phase in turn (:class:`~hyperv_backup.rules.Phase`):
the checks of one scope that follow each other run subject by subject (each
disk in turn asked all of them, then its volumes). The effects of a VM's
findings give its outcome; the outcome gives the online/offline decision, and
the decision what the cluster backup table asks of the node, which the
checks of the cluster phase read. A VM is evaluated on the node that backs
it up: its owner, or the node a plan names (then that node's release,
backup application and hotfixes count).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import attrs

from hyperv_backup.decide.results import BackupModeDecision, BackupOutcome, Consistency
from hyperv_backup.model import (
    VM,
    Attachment,
    BackupMode,
    Cluster,
    Host,
    HostStorage,
    VMState,
    computer_key,
    hosts_of,
)
from hyperv_backup.rules import (
    CHECKS,
    Check,
    Context,
    Effect,
    Finding,
    Phase,
    Profile,
    ReleaseFacts,
    Scope,
    profile_for,
    release_facts,
)
from hyperv_backup.rules.check import Obstacle
from hyperv_backup.rules.cluster import ClusterAction, backup_action

__all__ = ["Evaluation", "VMView", "evaluate", "evaluate_vm"]


class VMView(NamedTuple):
    """Everything decided about one VM for one backup.

    ``host`` lists the VM (its owner, for a clustered VM); ``node`` backs it
    up. ``action`` is the backup table's answer once the VM is on ``node``
    (the owner's row: a move keeps the resource states); ``moved`` says it is
    moved there first. ``findings`` are this VM's, in the order of the walk.

    A named tuple rather than an attrs class: one is built for every VM, and a
    tuple is built several times faster.
    """

    host: Host
    node: Host
    vm: VM
    decision: BackupModeDecision
    action: ClusterAction
    moved: bool
    findings: tuple[Finding, ...]
    outcome: BackupOutcome


@attrs.frozen(kw_only=True)
class Evaluation:
    """The findings of a target in the order of the walk, and a view of each VM."""

    findings: tuple[Finding, ...]
    vms: tuple[VMView, ...]


# --- the order of the walk ----------------------------------------------------------------

#: The checks that run on one kind of subject, one after the other.
_Group = tuple[Scope, tuple[Check, ...], tuple[Check, ...]]


def _groups(checks: Sequence[Check]) -> tuple[_Group, ...]:
    """Join the checks that follow each other and look at the same kind of subject.

    Each group is (scope, checks, volume checks): disk checks followed by
    volume checks make one group, so that each disk is asked its checks and
    then its volumes theirs.
    """
    groups: list[tuple[Scope, list[Check], list[Check]]] = []
    for check in checks:
        scope = check.scope
        last = groups[-1] if groups else None
        if scope is Scope.VOLUME:
            if last is not None and last[0] is Scope.DISK:
                last[2].append(check)
            else:
                groups.append((Scope.DISK, [], [check]))
        elif last is not None and last[0] is scope and not last[2]:
            last[1].append(check)
        else:
            groups.append((scope, [check], []))
    return tuple((scope, tuple(own), tuple(volumes)) for scope, own, volumes in groups)


class _Walk(NamedTuple):
    """The checks one profile runs under one release's facts, grouped phase by phase."""

    host: tuple[Check, ...]
    #: The phases before the cluster's, each its groups.
    vm: tuple[tuple[Phase, tuple[_Group, ...]], ...]
    cluster: tuple[_Group, ...]


def _walk(checks: tuple[Check, ...], profile: Profile, facts: ReleaseFacts) -> _Walk:
    # The conditions that keep the guest out are asked under every profile: a
    # profile that does not report them has a rule of its own that restates them.
    mine = [
        c
        for c in checks
        if (profile in c.rule.profiles or c.effect is _GUEST_OUT) and c.applies(facts)
    ]

    def of(phase: Phase) -> list[Check]:
        return [c for c in mine if c.phase is phase]

    return _Walk(
        host=tuple(of(Phase.HOST)),
        vm=tuple(
            (phase, _groups(of(phase)))
            for phase in Phase
            if phase not in (Phase.HOST, Phase.CLUSTER) and of(phase)
        ),
        cluster=_groups(of(Phase.CLUSTER)),
    )


class _Walks:
    """The walks of one evaluation, worked out once per profile and release."""

    def __init__(self, checks: tuple[Check, ...]) -> None:
        self.checks = checks
        self.cache: dict[tuple[Profile, ReleaseFacts], _Walk] = {}

    def of(self, profile: Profile, facts: ReleaseFacts) -> _Walk:
        key = (profile, facts)
        walk = self.cache.get(key)
        if walk is None:
            walk = self.cache[key] = _walk(self.checks, profile, facts)
        return walk


# --- one VM ------------------------------------------------------------------------------

# Enum members read for every VM or disk, under module names. Python 3.11
# gives each enum class a ``__getattr__`` hook, which makes reading a member
# from its class (``Attachment.GUEST_ISCSI``) ten times as slow as a name.
_GUEST_ISCSI, _ON_CSV = Attachment.GUEST_ISCSI, HostStorage.CLUSTER_SHARED_VOLUME
_RUNNING, _SAVED = VMState.RUNNING, VMState.SAVED
_ONLINE, _OFFLINE = BackupMode.ONLINE, BackupMode.OFFLINE
_NOT_CLUSTERED, _NONE = ClusterAction.NOT_CLUSTERED, ClusterAction.NONE
_APPLICATION, _NOT_RUNNING = Consistency.APPLICATION_CONSISTENT, Consistency.NOT_RUNNING
_VM, _DISK, _VHD = Scope.VM, Scope.DISK, Scope.VIRTUAL_HARD_DISK

#: What each effect does to the copy: the consistency it caps the copy at,
#: and whether only the copy of a running VM.
_CAPS: dict[Effect, tuple[Consistency, bool]] = {
    Effect.NOT_QUIESCED: (Consistency.CRASH_CONSISTENT, True),
    Effect.FREEZES_FILE_SYSTEMS: (Consistency.FILE_SYSTEM_CONSISTENT, True),
    Effect.CRASH_CONSISTENT: (Consistency.CRASH_CONSISTENT, False),
    Effect.SAVES: (Consistency.SAVED_STATE, False),
    Effect.HOLDS_NO_DATA: (Consistency.NOT_BACKED_UP, False),
    Effect.FAILS: (Consistency.FAILS, False),
}
#: The effects that keep a VM from being backed up online.
_OFFLINE_EFFECTS = frozenset({Effect.SAVES, Effect.HOLDS_NO_DATA, Effect.FAILS})
_GUEST_OUT = Effect.GUEST_CANNOT_TAKE_PART


class _Answer:
    """What the walk of one VM gathers: its findings, the reasons of its outcome, the effects."""

    __slots__ = ("blocked", "consistency", "ctx", "downtime", "found", "offline", "reasons")

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.found: list[Finding] = []
        self.reasons: list[Finding] = []
        #: The findings of the conditions that keep the guest out, where the release reports them.
        self.blocked: list[Finding] = []
        self.consistency = _APPLICATION if ctx.running else _NOT_RUNNING
        self.downtime = False
        self.offline = False

    def take(self, check: Check, phase: Phase, subject: object, result: object) -> None:
        """Take what ``check`` found about ``subject``."""
        found = (result,) if isinstance(result, Finding) else result
        ctx = self.ctx
        effect = check.effect
        for item in found:  # type: ignore[union-attr]  # a sequence of findings
            if effect is _GUEST_OUT:
                ctx.obstacles.append(Obstacle(check, subject, item))  # type: ignore[arg-type]
                if not ctx.facts.saves_vm_guest_cannot_quiesce:
                    continue  # restated by the rule that says what the copy then holds
                self.blocked.append(item)
                self.offline = True
            elif effect in _CAPS:
                self._cap(effect)
            self.found.append(item)
            if phase.shapes_outcome:
                self.reasons.append(item)

    def _cap(self, effect: Effect) -> None:
        consistency, running_only = _CAPS[effect]
        ctx = self.ctx
        if effect is Effect.NOT_QUIESCED:
            ctx.quiesced = False
        if effect is Effect.SAVES:
            self.downtime = True
        if effect in _OFFLINE_EFFECTS:
            self.offline = True
        if (ctx.running or not running_only) and consistency.rank < self.consistency.rank:
            self.consistency = consistency


def _ask(checks: tuple[Check, ...], subject: object, phase: Phase, answer: _Answer) -> None:
    ctx = answer.ctx
    for check in checks:
        result = check.findings(subject, ctx)
        if result is not None:
            answer.take(check, phase, subject, result)


def _run(groups: tuple[_Group, ...], phase: Phase, vm: VM, answer: _Answer) -> None:
    for scope, checks, volume_checks in groups:
        if scope is _VM:
            _ask(checks, vm, phase, answer)
        elif scope is _DISK:
            for disk in vm.disks:
                if checks:
                    _ask(checks, disk, phase, answer)
                # Volumes are those of the disks of the VM's configuration: storage
                # the guest reaches through its own iSCSI initiator is not one.
                if volume_checks and disk.attachment is not _GUEST_ISCSI:
                    for volume in disk.volumes:
                        _ask(volume_checks, volume, phase, answer)
        elif scope is _VHD:
            for disk in answer.ctx.visible:
                _ask(checks, disk, phase, answer)
        elif vm.cluster_group is not None:
            _ask(checks, vm.cluster_group, phase, answer)


def _on_shared_volume(vm: VM) -> bool:
    # Only the disks of the VM's configuration are its files on the host.
    for disk in vm.disks:
        if disk.host_storage is _ON_CSV and disk.attachment is not _GUEST_ISCSI:
            return True
    return False


def _vm(host: Host, node: Context, vm: VM, walk: _Walk, *, owner_key: str) -> VMView:
    """Walk the checks of ``vm``, listed by ``host``, on the node of context ``node``."""
    csv = _on_shared_volume(vm)
    ctx = node.on(vm, csv=csv)
    answer = _Answer(ctx)
    for phase, groups in walk.vm:
        _run(groups, phase, vm, answer)
    consistency = answer.consistency
    # A VM whose every disk the host cannot see has no data in the host backup,
    # whether or not a rule of the profile says so.
    if vm.disks and not ctx.visible:
        consistency = min(consistency, Consistency.NOT_BACKED_UP, key=lambda c: c.rank)
    facts, profile = ctx.facts, ctx.profile
    state = vm.state
    downtime = answer.downtime
    during = _SAVED if downtime else state
    reasons = tuple(answer.reasons)
    outcome = BackupOutcome(
        vm=vm.name,
        profile=profile,
        consistency=consistency,
        causes_downtime=downtime,
        state_during_backup=during,
        state_after=state,
        reasons=reasons,
    )
    online = ctx.running and not answer.offline
    decision = BackupModeDecision(
        vm=vm.name,
        mode=_ONLINE if online else _OFFLINE,
        reasons=reasons if profile.states_outcomes else tuple(answer.blocked),
        causes_downtime=downtime,
        state_during_backup=during,
        state_after=state,
    )
    group = vm.cluster_group
    any_node = csv and facts.csv_backed_up_from_any_node
    moved = node.node is not host and not any_node and group is not None
    if group is None:
        action = _NOT_CLUSTERED
    elif any_node:
        action = _NONE
    else:
        # A release that keeps the VM running never takes the offline rows of the
        # table (saving through the Cluster service).
        saved = facts.saves_vm_guest_cannot_quiesce
        action = backup_action(group, owner_key, decision.mode if saved else _ONLINE)
    if walk.cluster:
        ctx.action, ctx.moved = action, moved
        _run(walk.cluster, Phase.CLUSTER, vm, answer)
    return VMView(host, node.node, vm, decision, action, moved, tuple(answer.found), outcome)


# --- the walk -------------------------------------------------------------------------------


def evaluate(
    target: Host | Cluster,
    backup_node: Host | None = None,
    *,
    views: bool = True,
    profile: Profile | None = None,
    checks: tuple[Check, ...] = CHECKS,
) -> Evaluation:
    """Evaluate every host and VM of ``target``, clustered VMs on ``backup_node`` if given.

    Each host is answered by the profile of its release, or by ``profile``
    for all of them. With ``views=False`` only the findings are kept (``vms``
    is empty), for callers that need no more. ``checks`` are the checks to run
    (the catalogue's unless given).
    """
    walks = _Walks(checks)
    findings: list[Finding] = []
    vms: list[VMView] = []
    for host in hosts_of(target):
        answering = profile_for(host.os) if profile is None else profile
        own = Context(host, host, answering, release_facts(answering, host.os))
        walk = walks.of(answering, own.facts)
        for check in walk.host:
            result = check.findings(host, own)
            if result is not None:
                findings.extend((result,) if isinstance(result, Finding) else result)
        # Clustered VMs are backed up on the chosen node (moved there when it is
        # not this one); the others stay on their host.
        chosen = own
        if backup_node is not None and backup_node is not host:
            facts = release_facts(answering, backup_node.os)
            chosen = Context(host, backup_node, answering, facts)
        owner_key = computer_key(host.name)
        for vm in host.vms:
            node = own if vm.cluster_group is None else chosen
            view = _vm(host, node, vm, walk if node is own else walks.of(answering, node.facts),
                       owner_key=owner_key)  # fmt: skip
            findings.extend(view.findings)
            if views:
                vms.append(view)
    return Evaluation(findings=tuple(findings), vms=tuple(vms))


def evaluate_vm(
    vm: VM, host: Host, profile: Profile | None = None, *, at: Host | None = None
) -> VMView:
    """Evaluate ``vm`` alone, listed by ``host`` and backed up on ``at`` (``host`` if not given)."""
    node_host = host if at is None else at
    answering = profile_for(host.os) if profile is None else profile
    node = Context(host, node_host, answering, release_facts(answering, node_host.os))
    walk = _walk(CHECKS, answering, node.facts)
    return _vm(host, node, vm, walk, owner_key=computer_key(host.name))
