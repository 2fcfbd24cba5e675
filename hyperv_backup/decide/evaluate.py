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
backup application and hotfixes count). When a backup catalogue is given
(:class:`~hyperv_backup.rules.protection.Protection`), the checks that read
it run too: the host's with the host's, and each VM's last, once its outcome
is known, which they never change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup._base.quoting import quoted
from hyperv_backup._base.slots import slot_setters
from hyperv_backup.decide.results import BackupModeDecision, BackupOutcome, Consistency
from hyperv_backup.decide.targets import require_target
from hyperv_backup.model import (
    VM,
    Attachment,
    BackupMode,
    Cluster,
    ClusterAction,
    Host,
    HostStorage,
    VMState,
    computer_key,
    hosts_of,
)
from hyperv_backup.rules import (
    CHECKS,
    DEFAULT_SETTINGS,
    Check,
    CheckResult,
    Context,
    Effect,
    Finding,
    HygieneSettings,
    Phase,
    Profile,
    ReleaseFacts,
    Scope,
    as_profile,
    profile_for,
    release_facts,
)
from hyperv_backup.rules.check import Obstacle, Subject
from hyperv_backup.rules.cluster import backup_action
from hyperv_backup.rules.modern import FIBRE_CHANNEL_STORAGE
from hyperv_backup.rules.restore_points import Protection

__all__ = ["Evaluation", "VMView", "evaluate", "evaluate_vm"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


class VMView(NamedTuple):
    """Everything decided about one VM for one backup.

    ``host`` lists the VM (its owner, for a clustered VM); ``node`` backs it
    up. ``action`` is the backup table's answer once the VM is on ``node``
    (the owner's row: a move keeps the resource states); ``moved`` says it is
    moved there first. ``findings`` are this VM's, in the order of the walk;
    ``left_out`` those of them that name storage the host backup does not
    hold (a pass-through or guest iSCSI disk, a virtual Fibre Channel
    adapter). ``row_mode`` is the mode whose rows of the cluster backup table
    the VM takes.

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
    left_out: tuple[Finding, ...]
    row_mode: BackupMode


@attrs.frozen(kw_only=True)
class Evaluation:
    """The findings of a target in the order of the walk, and a view of each VM."""

    findings: tuple[Finding, ...]
    vms: tuple[VMView, ...]


# --- the order of the walk ----------------------------------------------------------------

#: A check and its function, read once.
_Pair = tuple[Check, Callable[[Any, Context], CheckResult]]


class _Group(NamedTuple):
    """Checks of one phase that run on one kind of subject, one after the other.

    Disk checks followed by volume checks make one group, so that each disk is
    asked its checks and then its volumes theirs.
    """

    scope: Scope
    #: Whether the findings are reasons of the VM's outcome.
    shapes_outcome: bool
    checks: tuple[_Pair, ...]
    volume_checks: tuple[_Pair, ...] = ()


def _groups(checks: Sequence[Check]) -> tuple[_Group, ...]:
    """Join the checks that follow each other, of one phase and one kind of subject."""
    groups: list[tuple[Scope, Phase, list[Check], list[Check]]] = []
    for check in checks:
        scope, phase = check.scope, check.phase
        last = groups[-1] if groups and groups[-1][1] is phase else None
        if scope is Scope.VOLUME:
            if last is not None and last[0] is Scope.DISK:
                last[3].append(check)
            else:
                groups.append((Scope.DISK, phase, [], [check]))
        elif last is not None and last[0] is scope and not last[3]:
            last[2].append(check)
        else:
            groups.append((scope, phase, [check], []))
    return tuple(
        _Group(
            scope,
            phase.shapes_outcome,
            tuple((c, c.findings) for c in own),
            tuple((c, c.findings) for c in volumes),
        )
        for scope, phase, own, volumes in groups
    )


class _Walk(NamedTuple):
    """The checks one profile runs under one release's facts, in the order of the walk."""

    host: tuple[Check, ...]
    #: The groups of the phases before the cluster's, phase by phase.
    vm: tuple[_Group, ...]
    cluster: tuple[_Group, ...]
    #: The groups of the protection phase: empty without a catalogue.
    protection: tuple[_Group, ...] = ()


def _walk(
    checks: tuple[Check, ...], profile: Profile, facts: ReleaseFacts, *, catalogued: bool = False
) -> _Walk:
    # The conditions that keep the guest out are asked under every profile: a
    # profile that does not report them has a rule of its own that restates them.
    mine = [
        c
        for c in checks
        if (profile in c.rule.profiles or c.effect is _GUEST_OUT)
        and c.applies(facts)
        and (catalogued or not c.needs_catalogue)
    ]
    in_order = sorted(mine, key=lambda c: c.phase)  # a stable sort keeps the catalogue order
    return _Walk(
        host=tuple(c for c in in_order if c.phase is Phase.HOST),
        vm=_groups([c for c in in_order if Phase.HOST < c.phase < Phase.CLUSTER]),
        cluster=_groups([c for c in in_order if c.phase is Phase.CLUSTER]),
        protection=_groups([c for c in in_order if c.phase is Phase.PROTECTION]),
    )


class _Walks:
    """The walks of a set of checks, worked out once per profile and release."""

    def __init__(self, checks: tuple[Check, ...], *, catalogued: bool = False) -> None:
        self.checks = checks
        self.catalogued = catalogued
        self.cache: dict[tuple[Profile, ReleaseFacts], _Walk] = {}

    def of(self, profile: Profile, facts: ReleaseFacts) -> _Walk:
        key = (profile, facts)
        walk = self.cache.get(key)
        if walk is None:
            walk = self.cache[key] = _walk(self.checks, profile, facts, catalogued=self.catalogued)
        return walk


#: The walks of the catalogue's checks, kept for every evaluation: without a
#: backup catalogue, and with one (the checks that read it too).
_WALKS = _Walks(CHECKS)
_CATALOGUED_WALKS = _Walks(CHECKS, catalogued=True)


# --- one VM ------------------------------------------------------------------------------

# Enum members read for every VM or disk, under module names. Python 3.11
# gives each enum class a ``__getattr__`` hook, which makes reading a member
# from its class (``Attachment.GUEST_ISCSI``) ten times as slow as a name.
_GUEST_ISCSI, _ON_CSV = Attachment.GUEST_ISCSI, HostStorage.CLUSTER_SHARED_VOLUME
_RUNNING, _SAVED = VMState.RUNNING, VMState.SAVED
_ONLINE, _OFFLINE = BackupMode.ONLINE, BackupMode.OFFLINE
_NOT_CLUSTERED, _NONE = ClusterAction.NOT_CLUSTERED, ClusterAction.NONE
_APPLICATION, _NOT_RUNNING = Consistency.APPLICATION_CONSISTENT, Consistency.NOT_RUNNING
_NOT_BACKED_UP = Consistency.NOT_BACKED_UP
_NOT_APPLICATION = Consistency.NOT_APPLICATION_CONSISTENT
_VM, _DISK, _VHD = Scope.VM, Scope.DISK, Scope.VIRTUAL_HARD_DISK

#: What each effect does to the copy: the consistency it caps the copy at,
#: and whether only the copy of a running VM.
_CAPS: dict[Effect, tuple[Consistency, bool]] = {
    Effect.NOT_QUIESCED: (Consistency.CRASH_CONSISTENT, True),
    Effect.FREEZES_FILE_SYSTEMS: (Consistency.FILE_SYSTEM_CONSISTENT, True),
    Effect.CRASH_CONSISTENT: (Consistency.CRASH_CONSISTENT, False),
    Effect.SAVES: (Consistency.SAVED_STATE, False),
    Effect.HOLDS_NO_DATA: (Consistency.NOT_BACKED_UP, False),
    Effect.WITHOUT_HYPERV: (Consistency.NOT_APPLICATION_CONSISTENT, True),
    Effect.FAILS: (Consistency.FAILS, False),
}
#: The effects that keep a VM from being backed up online. A copy taken
#: without Hyper-V is not an online backup in the guidance's sense either.
_OFFLINE_EFFECTS = frozenset(
    {Effect.SAVES, Effect.HOLDS_NO_DATA, Effect.WITHOUT_HYPERV, Effect.FAILS}
)
_GUEST_OUT = Effect.GUEST_CANNOT_TAKE_PART
_NOT_INCREMENTAL = Effect.NOT_INCREMENTAL
_LEAVES_OUT = Effect.LEAVES_OUT
_FREEZES = Effect.FREEZES_FILE_SYSTEMS
_FILE_SYSTEM = Consistency.FILE_SYSTEM_CONSISTENT


class _Answer:
    """What the walk of one VM gathers: its findings, the reasons of its outcome, the effects."""

    __slots__ = (
        "blocked",
        "consistency",
        "ctx",
        "downtime",
        "found",
        "froze",
        "incremental",
        "left_out",
        "not_incremental",
        "offline",
        "online",
        "reasons",
        "row_mode",
    )

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.found: list[Finding] = []
        self.reasons: list[Finding] = []
        #: The findings of the conditions that keep the guest out, where the release reports them.
        self.blocked: list[Finding] = []
        self.consistency = _APPLICATION if ctx.running else _NOT_RUNNING
        self.downtime = False
        self.offline = False
        self.online = False
        #: The findings that keep the next backup from being incremental.
        self.not_incremental: list[Finding] = []
        self.incremental: bool | None = None
        #: The findings of storage the host backup does not hold.
        self.left_out: list[Finding] = []
        #: The findings that say the guest freezes its file systems for the copy.
        self.froze: list[Finding] = []
        self.row_mode = _OFFLINE

    def take(self, check: Check, shapes: bool, subject: Subject, result: CheckResult) -> None:
        """Take what ``check`` found about ``subject``."""
        found: Sequence[Finding] = (result,) if isinstance(result, Finding) else result or ()
        ctx = self.ctx
        effect = check.effect
        for item in found:
            if effect is _GUEST_OUT:
                ctx.obstacles.append(Obstacle(check, subject, item))
                if not ctx.facts.saves_vm_guest_cannot_quiesce:
                    continue  # restated by the rule that says what the copy then holds
                self.blocked.append(item)
                self.offline = True
            elif effect in _CAPS:
                self._cap(effect)
            elif effect is _NOT_INCREMENTAL:
                self.not_incremental.append(item)
            elif effect is _LEAVES_OUT:
                self.left_out.append(item)
            if effect is _FREEZES:
                self.froze.append(item)
            self.found.append(item)
            if shapes:
                self.reasons.append(item)

    def _cap(self, effect: Effect) -> None:
        consistency, running_only = _CAPS[effect]
        ctx = self.ctx
        if effect is Effect.NOT_QUIESCED:
            ctx.quiesced = False
        elif effect is Effect.WITHOUT_HYPERV:
            ctx.through_hyperv = False
        if effect is Effect.SAVES:
            self.downtime = True
        if effect in _OFFLINE_EFFECTS:
            self.offline = True
        if (ctx.running or not running_only) and consistency.rank < self.consistency.rank:
            self.consistency = consistency


def _run(groups: tuple[_Group, ...], vm: VM, answer: _Answer) -> None:  # noqa: PLR0912 - a loop per kind of subject
    """Ask each group's checks of the subjects of its scope, in order."""
    # The innermost loops of the evaluation, written out for each kind of subject.
    ctx, take = answer.ctx, answer.take
    for scope, shapes, checks, volume_checks in groups:
        if scope is _VM:
            for check, ask in checks:
                if (result := ask(vm, ctx)) is not None:
                    take(check, shapes, vm, result)
        elif scope is _DISK:
            for disk in vm.disks:
                for check, ask in checks:
                    if (result := ask(disk, ctx)) is not None:
                        take(check, shapes, disk, result)
                # Volumes are those of the disks of the VM's configuration: storage
                # the guest reaches through its own iSCSI initiator is not one.
                if volume_checks and disk.attachment is not _GUEST_ISCSI:
                    for volume in disk.volumes:
                        for check, ask in volume_checks:
                            if (result := ask(volume, ctx)) is not None:
                                take(check, shapes, volume, result)
        elif scope is _VHD:
            for disk in ctx.visible:
                for check, ask in checks:
                    if (result := ask(disk, ctx)) is not None:
                        take(check, shapes, disk, result)
        elif (group := vm.cluster_group) is not None:
            for check, ask in checks:
                if (result := ask(group, ctx)) is not None:
                    take(check, shapes, group, result)


def on_shared_volume(vm: VM) -> bool:
    """Whether files of ``vm`` are on a Cluster Shared Volume (not its guest's iSCSI disks)."""
    # Only the disks of the VM's configuration are its files on the host.
    for disk in vm.disks:
        if disk.host_storage is _ON_CSV and disk.attachment is not _GUEST_ISCSI:
            return True
    return False


def _vm(host: Host, at: Context, vm: VM, walk: _Walk, *, owner_key: str, moved: bool) -> _Answer:
    """Walk the checks of ``vm``, listed by ``host``, on the node of context ``at``.

    ``moved``: the node is another computer than ``host``, so a clustered VM is moved there first.
    """
    csv = on_shared_volume(vm)
    ctx = at.on(vm, csv=csv)
    answer = _Answer(ctx)
    _run(walk.vm, vm, answer)
    # A VM whose every disk the host cannot see has no data in the host backup,
    # whether or not a rule of the profile says so, and whatever application
    # takes it: not even one that goes around Hyper-V sees those disks.
    if (
        vm.disks
        and not ctx.visible
        and (
            _NOT_BACKED_UP.rank < answer.consistency.rank or answer.consistency is _NOT_APPLICATION
        )
    ):
        answer.consistency = _NOT_BACKED_UP
    answer.online = ctx.running and not answer.offline
    # That the guest freezes its file systems explains a file-system-consistent
    # copy, not one that fails or holds less: it is then no reason of the outcome.
    if answer.froze and answer.consistency.rank < _FILE_SYSTEM.rank:
        froze = answer.froze
        answer.reasons = [r for r in answer.reasons if r not in froze]
    # A backup that saves the VM takes the offline rows of the cluster backup
    # table (saving through the Cluster service); a running VM that keeps
    # running, the online rows. A VM that is not running is backed up as it
    # is: offline, unless its release never saves VMs or the copy does not go
    # through Hyper-V, whose writer would be the one to save it.
    if answer.downtime:
        row_mode = _OFFLINE
    elif ctx.running or not ctx.facts.saves_vm_guest_cannot_quiesce or not ctx.through_hyperv:
        row_mode = _ONLINE
    else:
        row_mode = _OFFLINE
    answer.row_mode = row_mode
    group = vm.cluster_group
    if group is None:
        action = _NOT_CLUSTERED
    elif csv and ctx.facts.csv_backed_up_from_any_node:
        action = _NONE
    else:
        ctx.moved = moved
        action = backup_action(group, owner_key, row_mode)
    ctx.action = action
    _run(walk.cluster, vm, answer)
    answer.incremental = _incremental(vm, answer)
    if walk.protection:
        # The catalogue's checks compare what the VM's restore points hold with
        # the outcome, final once the cluster's checks have run.
        ctx.predicted = answer.consistency
        _run(walk.protection, vm, answer)
    return answer


def _incremental(vm: VM, answer: _Answer) -> bool | None:
    """Tell whether the next backup of ``vm`` can be incremental through resilient change tracking.

    ``False`` when the rules of the change tracking (HVB907, HVB908) say the
    VM's disks do not track their changes; they are the reasons. ``None`` where
    that is not Hyper-V's to say: a release without it (each backup
    application tracks changes its own way there, if at all), a VM with no
    disk the host sees, a copy taken without Hyper-V, or a configuration
    version not known.
    """
    ctx = answer.ctx
    if not ctx.facts.resilient_change_tracking:
        return None
    # What keeps the VM's disks from tracking their changes holds whatever copies them.
    if answer.not_incremental:
        return False
    if not ctx.visible or not ctx.through_hyperv or vm.configuration_version is None:
        return None
    return True


# Outcomes and decisions are built for every VM of a plan: setting their slots
# directly halves the cost of calling their classes (see slot_setters).
_OUTCOME_SLOTS = slot_setters(
    BackupOutcome,
    "vm",
    "profile",
    "consistency",
    "causes_downtime",
    "state_during_backup",
    "state_after",
    "reasons",
    "incremental",
    "incremental_reasons",
)
_DECISION_SLOTS = slot_setters(
    BackupModeDecision,
    "vm",
    "mode",
    "reasons",
    "causes_downtime",
    "state_during_backup",
    "state_after",
)


def _view(host: Host, vm: VM, answer: _Answer) -> VMView:
    """Give what the walk of ``vm`` found as a view: its outcome and decision."""
    ctx = answer.ctx
    profile, state, downtime = ctx.profile, vm.state, answer.downtime
    during = _SAVED if downtime else state
    reasons = tuple(answer.reasons)
    (
        set_vm,
        set_profile,
        set_consistency,
        set_downtime,
        set_during,
        set_after,
        set_reasons,
        set_incremental,
        set_why_not,
    ) = _OUTCOME_SLOTS
    outcome: BackupOutcome = object.__new__(BackupOutcome)
    set_vm(outcome, vm.name)
    set_profile(outcome, profile)
    set_consistency(outcome, answer.consistency)
    set_downtime(outcome, downtime)
    set_during(outcome, during)
    set_after(outcome, state)
    set_reasons(outcome, reasons)
    set_incremental(outcome, answer.incremental)
    set_why_not(outcome, tuple(answer.not_incremental))
    set_vm, set_mode, set_reasons, set_downtime, set_during, set_after = _DECISION_SLOTS
    decision: BackupModeDecision = object.__new__(BackupModeDecision)
    set_vm(decision, vm.name)
    set_mode(decision, _ONLINE if answer.online else _OFFLINE)
    # The guidance's decision gives the conditions that block an online backup;
    # a profile that states outcomes gives every reason of the outcome.
    set_reasons(decision, reasons if profile.states_outcomes else tuple(answer.blocked))
    set_downtime(decision, downtime)
    set_during(decision, during)
    set_after(decision, state)
    action, moved = ctx.action, ctx.moved
    assert action is not None  # noqa: S101 - the walk of the VM set it
    found, left_out = tuple(answer.found), tuple(answer.left_out)
    return VMView(host, ctx.node, vm, decision, action, moved, found, outcome, left_out,
                  answer.row_mode)  # fmt: skip


def left_out_text(found: Finding) -> str:
    """Name what a finding of storage the host backup does not hold is about, for a step.

    ``disk 'Archive'``, or, for a virtual Fibre Channel adapter, the SAN
    storage reached through it.
    """
    if found.rule is FIBRE_CHANNEL_STORAGE:
        return (
            f"the SAN storage reached through virtual Fibre Channel adapter {quoted(found.subject)}"
        )
    return f"disk {quoted(found.subject)}"


# --- the walk -------------------------------------------------------------------------------


def evaluate(
    target: Host | Cluster,
    backup_node: Host | None = None,
    *,
    views: bool = True,
    profile: Profile | None = None,
    checks: tuple[Check, ...] = CHECKS,
    protection: Protection | None = None,
    settings: HygieneSettings = DEFAULT_SETTINGS,
) -> Evaluation:
    """Evaluate every host and VM of ``target``, clustered VMs on ``backup_node`` if given.

    Each host is answered by the profile of its release, or by ``profile``
    for all of them. With ``views=False`` only the findings are kept (``vms``
    is empty), for callers that need no more. ``checks`` are the checks to run
    (the catalogue's unless given); ``settings`` the limits and estimates of
    the checkpoint and space rules. With ``protection`` (a backup catalogue
    and the time ages are measured at), the checks that read a catalogue run
    too; without it, they do not.
    """
    require_target("evaluate", target)
    chosen_profile = as_profile(profile)
    if checks is CHECKS:
        walks = _WALKS if protection is None else _CATALOGUED_WALKS
    else:
        walks = _Walks(checks, catalogued=protection is not None)
    findings: list[Finding] = []
    vms: list[VMView] = []
    cluster = target if isinstance(target, Cluster) else None
    node_key = None if backup_node is None else computer_key(backup_node.name)
    for host in hosts_of(target):
        answering = profile_for(host.os) if chosen_profile is None else chosen_profile
        own = Context(
            host,
            host,
            answering,
            release_facts(answering, host.os),
            cluster,
            protection=protection,
            settings=settings,
        )
        walk = walks.of(answering, own.facts)
        for check in walk.host:
            result = check.findings(host, own)
            if result is not None:
                findings.extend((result,) if isinstance(result, Finding) else result)
        # Clustered VMs are backed up on the chosen node (moved there when it is
        # not this one), answered by the profile of that node's release, as
        # backup_outcome() of the VM on that node answers (but for what the
        # cluster's level decides, which a node alone does not tell); the
        # others stay on their host.
        owner_key = computer_key(host.name)
        chosen = own
        if backup_node is not None and node_key != owner_key:
            on_node = profile_for(backup_node.os) if chosen_profile is None else chosen_profile
            facts = release_facts(on_node, backup_node.os)
            chosen = Context(
                host, backup_node, on_node, facts, cluster, protection=protection, settings=settings
            )
        chosen_walk = walk if chosen is own else walks.of(chosen.profile, chosen.facts)
        for vm in host.vms:
            if vm.cluster_group is None:
                answer = _vm(host, own, vm, walk, owner_key=owner_key, moved=False)
            else:
                answer = _vm(host, chosen, vm, chosen_walk, owner_key=owner_key,
                             moved=chosen is not own)  # fmt: skip
            findings.extend(answer.found)
            if views:
                vms.append(_view(host, vm, answer))
    return Evaluation(findings=tuple(findings), vms=tuple(vms))


def evaluate_vm(
    vm: VM,
    host: Host,
    profile: Profile | None = None,
    *,
    at: Host | None = None,
    settings: HygieneSettings = DEFAULT_SETTINGS,
) -> VMView:
    """Evaluate ``vm`` alone, listed by ``host`` and backed up on ``at`` (``host`` if not given)."""
    node_host = host if at is None else at
    chosen = as_profile(profile)
    # The node that backs the VM up answers: its release, its backup application.
    answering = profile_for(node_host.os) if chosen is None else chosen
    facts = release_facts(answering, node_host.os)
    node = Context(host, node_host, answering, facts, settings=settings)
    owner_key = computer_key(host.name)
    moved = computer_key(node_host.name) != owner_key
    answer = _vm(host, node, vm, _WALKS.of(answering, facts), owner_key=owner_key, moved=moved)
    return _view(host, vm, answer)
