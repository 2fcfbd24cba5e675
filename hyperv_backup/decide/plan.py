"""The backup plan of a host or a cluster.

The order follows the source guidance: the prerequisites first; the virtual
networks are recorded ("Understanding backup options and considerations");
guest-level backups of storage the host backup misses come before the host
backup ("Storage considerations"); clustered VMs are prepared by the backup
table of "Considerations about clustered virtual machines", and whatever was
taken offline or moved for the backup is returned after it.
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup._base.display import NotebookDisplay
from hyperv_backup._base.quoting import quoted
from hyperv_backup.decide.evaluate import Evaluation, VMView, evaluate, left_out_text
from hyperv_backup.decide.protection import (
    ProtectionSummary,
    apply_policy,
    protection_facts,
    protection_statuses,
)
from hyperv_backup.decide.results import BackupModeDecision, BackupOutcome, Consistency
from hyperv_backup.decide.steps import Draft, Step, StepKind, numbered
from hyperv_backup.decide.targets import require_target, resolve_node
from hyperv_backup.model import (
    BackupMode,
    Catalogue,
    Cluster,
    Host,
    ProtectionPolicy,
    VMState,
    hosts_of,
)
from hyperv_backup.rules import (
    DEFAULT_SETTINGS,
    Finding,
    HygieneSettings,
    Profile,
    Severity,
    as_profile,
    profile_for,
    sort_findings,
)
from hyperv_backup.rules.cluster import (
    BACKUP_PREPARATION,
    GUID_PATH_VOLUME,
    STATES_NOT_COVERED,
    ClusterAction,
    states_text,
)
from hyperv_backup.rules.host import VIRTUAL_NETWORKS, VIRTUAL_SWITCHES, WSB_ON_CSV
from hyperv_backup.rules.online import SAVED_FOR_BACKUP
from hyperv_backup.rules.restore_points import Protection
from hyperv_backup.rules.storage import GUEST_ISCSI, LACKS_KB975354

__all__ = ["Plan", "backup_plan", "plan_of"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


@attrs.frozen(kw_only=True)
class Plan(NotebookDisplay):
    """The backup plan of a host or a cluster.

    ``decisions`` maps each VM's name to how it is backed up; ``outcomes``
    what its backup will be, under the profiles of 2012 and later.
    ``protection`` says how a backup catalogue protects each VM, when one was
    given.
    """

    steps: tuple[Step, ...]
    findings: tuple[Finding, ...]
    # A read-only mapping is not hashable; leave it out of the hash, keep it in ==.
    decisions: Mapping[str, BackupModeDecision] = attrs.field(hash=False)
    #: What each VM's backup will be, for the VMs answered by the profiles of
    #: Windows Server 2012 and later (those of the 2008 profile are not listed).
    outcomes: Mapping[str, BackupOutcome] = attrs.field(
        hash=False, factory=lambda: types.MappingProxyType({})
    )
    protection: ProtectionSummary | None = None


def backup_plan(
    target: Host | Cluster,
    node: str | Host | None = None,
    *,
    profile: Profile | str | None = None,
    backups: Catalogue | None = None,
    now: datetime | None = None,
    max_age: timedelta | None = None,
    policy: ProtectionPolicy | None = None,
    settings: HygieneSettings | None = None,
) -> Plan:
    """Return the ordered backup plan of ``target``, with its findings and decisions.

    With ``node=None`` each clustered VM is backed up on the node that owns
    it. With a node (a name, in any case, or a :class:`~hyperv_backup.Host`),
    every clustered VM is backed up on that node: a VM owned elsewhere is
    moved there first and moved back afterwards, and the node's own backup
    application and hotfixes are the ones that count. VMs that are not
    clustered stay on their host.

    Each host is answered by the profile of its release, or by ``profile``
    (``"2008"``, ``"2012"`` or ``"2016"``) for all of them. Under the profiles
    of 2012 and later a VM is never saved unless its release saves it, a VM
    on a Cluster Shared Volume is not moved, and each host backup step says
    what the copy will be. ``settings`` are the limits of the checkpoint
    rules and the estimate of the space rule (its defaults unless given).

    Given ``backups``, a backup catalogue, the plan's findings hold the
    rules of HVB8xx and its ``protection`` how the catalogue protects each
    VM, with ages measured at ``now`` against ``max_age``; ``policy`` sets
    maximum ages of single VMs and exceptions, as for :func:`~hyperv_backup.check`.

    Raises :class:`~hyperv_backup.HypervBackupError` (a ``ValueError``) when
    ``node`` is not a node of ``target`` (naming the nodes it has), or
    ``profile`` is unknown; :class:`TypeError` when ``target`` is not a
    :class:`Host` or :class:`Cluster` (a path, a name).
    """
    require_target("backup_plan", target)
    chosen = resolve_node(target, node)
    answering = as_profile(profile)
    limits = DEFAULT_SETTINGS if settings is None else settings
    if backups is None and policy is None:
        return _backup_plan(target, chosen, answering, limits)
    facts = None
    if backups is not None:
        facts = protection_facts(target, backups, now=now, max_age=max_age, policy=policy)
    evaluation = evaluate(target, chosen, profile=answering, protection=facts, settings=limits)
    return plan_of(target, evaluation, answering, policy=policy, protection=facts, now=now)


def _backup_plan(
    target: Host | Cluster,
    node: Host | None,
    profile: Profile | None,
    settings: HygieneSettings = DEFAULT_SETTINGS,
) -> Plan:
    return plan_of(target, evaluate(target, node, profile=profile, settings=settings), profile)


def plan_of(
    target: Host | Cluster,
    evaluation: Evaluation,
    profile: Profile | None = None,
    *,
    policy: ProtectionPolicy | None = None,
    protection: Protection | None = None,
    now: datetime | None = None,
) -> Plan:
    """Return the plan of ``target`` from its ``evaluation``, which must keep its VM views.

    ``profile`` is the one the evaluation was made with (``None``: each host's
    own). For a caller that needs the evaluation itself too (each VM's
    outcome, as the reports of many inventories do): :func:`backup_plan` is
    this, with the evaluation made for it. ``protection`` is the catalogue
    the evaluation read, if any; ``policy``'s exceptions leave findings out
    on the day of ``protection``'s time, else of ``now`` (the current time
    when ``None``).
    """
    prerequisites = [
        (
            StepKind.PREREQUISITE,
            f.subject,
            f.subject,
            f.rule.prerequisite.format(host=quoted(f.subject)),
            (f.rule.id,),
        )
        for f in evaluation.findings
        if f.rule.prerequisite is not None
    ]
    networks = [
        d
        for host in hosts_of(target)
        for d in _record_network_drafts(host, profile_for(host.os) if profile is None else profile)
    ]
    guest_backups: list[Draft] = []
    preparations: list[Draft] = []
    host_backups: list[Draft] = []
    undo: list[list[Draft]] = []
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
    findings: tuple[Finding, ...] = evaluation.findings
    summary = None
    if policy is not None or protection is not None:
        if protection is not None:
            now = protection.now
        elif now is None:
            now = datetime.now(UTC)
        applied = apply_policy(findings, policy, now.date())
        findings = applied.kept
        if protection is not None:
            summary = ProtectionSummary(
                now=now,
                statuses=protection_statuses(evaluation.vms, protection, excepted=applied.excepted),
                excepted=applied.excepted,
                expired=applied.expired,
            )
    return Plan(
        steps=numbered(
            [*prerequisites, *networks, *guest_backups, *preparations, *host_backups, *returns]
        ),
        findings=sort_findings(findings),
        decisions=types.MappingProxyType({v.vm.name: v.decision for v in evaluation.vms}),
        outcomes=types.MappingProxyType(
            {v.vm.name: v.outcome for v in evaluation.vms if v.outcome.profile.states_outcomes}
        ),
        protection=summary,
    )


def _record_network_drafts(host: Host, profile: Profile) -> Iterable[Draft]:
    # The guidance speaks of virtual networks a full server backup leaves out;
    # the later pages of virtual switches a restore needs to find.
    later = profile.states_outcomes
    noun = "virtual switch" if later else "virtual network"
    rule = VIRTUAL_SWITCHES if later else VIRTUAL_NETWORKS
    for network in host.virtual_networks:
        details = [f"kind {network.kind.value}"]
        if network.physical_adapter is not None:
            details.append(f"physical adapter {quoted(network.physical_adapter)}")
        if network.vlan_id is not None:
            details.append(f"VLAN {network.vlan_id}")
        yield (
            StepKind.RECORD_NETWORKS,
            network.name,
            host.name,
            f"Record the configuration of {noun} {quoted(network.name)} on "
            f"{quoted(host.name)} ({', '.join(details)}).",
            (rule.id,),
        )


def _add_guest_backups(view: VMView, drafts: list[Draft]) -> None:
    """Add a guest-level backup of each disk or SAN connection of the VM the host backup misses."""
    # Drafts are added to the plan's list directly rather than yielded: this
    # runs for every VM and most have no such storage.
    if not view.left_out:
        return
    vm = view.vm
    # HVB203 names the guest iSCSI disks that lengthen the backup of this node.
    slow = {f.subject for f in view.findings if f.rule is LACKS_KB975354}
    for item in view.left_out:
        rules: tuple[str, ...] = (item.rule.id,)
        if item.subject in slow and item.rule is GUEST_ISCSI:
            rules = (item.rule.id, LACKS_KB975354.id)
        what = left_out_text(item)
        drafts.append(
            (
                StepKind.GUEST_BACKUP,
                item.subject,
                vm.name,
                f"From inside the guest of VM {quoted(vm.name)}, back up {what} before the host backup.",
                rules,
            )
        )


#: The cluster actions that add a preparation step (a move adds one too).
_PREPARED_ACTIONS = frozenset(
    {ClusterAction.NOT_COVERED, ClusterAction.TAKE_CLUSTER_RESOURCE_OFFLINE}
)


def _cluster_drafts(view: VMView) -> tuple[list[Draft], list[Draft]]:
    """Return the preparation steps of a clustered VM, and the steps that undo them."""
    vm, owner, node = view.vm, view.host.name, view.node.name
    prepare: list[Draft] = []
    undo: list[Draft] = []
    if view.action is ClusterAction.NOT_COVERED:
        # Fixed where the VM is, before anything else is done with it.
        prepare.append(
            (
                StepKind.PREPARE_CLUSTER,
                vm.name,
                owner,
                f"Bring the resources of VM {quoted(vm.name)} ({states_text(vm)}), a combination the "
                "guidance does not cover, into a covered state before backing it up.",
                (STATES_NOT_COVERED.id,),
            )
        )
    if view.moved:
        prepare.append(
            (
                StepKind.MOVE_VM,
                vm.name,
                owner,
                f"Move VM {quoted(vm.name)} from {quoted(owner)} to {quoted(node)}, since only the owning node "
                "reports it for backup.",
                (BACKUP_PREPARATION.id,),
            )
        )
        undo.append(
            (
                StepKind.RETURN_CLUSTER_STATE,
                vm.name,
                node,
                f"Move VM {quoted(vm.name)} back to {quoted(owner)}.",
                (BACKUP_PREPARATION.id,),
            )
        )
    if view.action is ClusterAction.TAKE_CLUSTER_RESOURCE_OFFLINE:
        prepare.append(
            (
                StepKind.PREPARE_CLUSTER,
                vm.name,
                node,
                f"Put the cluster resource of VM {quoted(vm.name)} offline through the Cluster service.",
                (BACKUP_PREPARATION.id,),
            )
        )
        undo.insert(
            0,
            (
                StepKind.RETURN_CLUSTER_STATE,
                vm.name,
                node,
                f"Bring the cluster resource of VM {quoted(vm.name)} back online.",
                (BACKUP_PREPARATION.id,),
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

#: The rules whose findings change a VM's host backup step under the 2008 profile.
_CHANGES_HOST_BACKUP = frozenset({WSB_ON_CSV, GUID_PATH_VOLUME})


#: How a VM is backed up under a profile that states outcomes, the tail of its
#: host backup step, by what the copy will be.
_COPY_HOW = {
    Consistency.APPLICATION_CONSISTENT: "application-consistent",
    Consistency.FILE_SYSTEM_CONSISTENT: "file-system-consistent (its guest freezes its file "
    "systems)",
    Consistency.CRASH_CONSISTENT: "crash-consistent only",
}


def _outcome_host_backup_draft(view: VMView, outcome: BackupOutcome) -> Draft:
    vm, where = view.vm, view.node.name
    name = vm.name
    rules = tuple(dict.fromkeys(r.rule.id for r in outcome.reasons))
    consistency = outcome.consistency
    if consistency is Consistency.FAILS:
        text = (
            f"Fix VM {quoted(name)} before its backup on {quoted(where)}, which would fail as it stands "
            "(see the findings)."
        )
    elif consistency is Consistency.NOT_BACKED_UP:
        text = (
            f"Back up VM {quoted(name)} from inside its guest: the host backup on {quoted(where)} holds "
            "none of its disks."
        )
    elif consistency is Consistency.NOT_APPLICATION_CONSISTENT:
        text = (
            f"Back up VM {quoted(name)} with a backup application that goes through Hyper-V: the "
            f"one on {quoted(where)} copies it without Hyper-V, so the copy is not "
            "application-consistent and what it holds is not documented."
        )
    elif consistency is Consistency.SAVED_STATE:
        text = f"Back up VM {quoted(name)} on {quoted(where)} {_SAVED_HOW[outcome.state_after]}."
    elif consistency is Consistency.NOT_RUNNING:
        text = f"Back up VM {quoted(name)} on {quoted(where)} as it is; it stays {vm.state.value}."
    elif vm.state is VMState.RUNNING:
        how = _COPY_HOW[consistency]
        text = f"Back up VM {quoted(name)} on {quoted(where)} while it runs: {how}, no downtime."
    else:
        how = _COPY_HOW[consistency]
        text = f"Back up VM {quoted(name)} on {quoted(where)}: {how}; it stays {vm.state.value}."
    return (_HOST_BACKUP, name, where, text, rules)


def _host_backup_draft(view: VMView) -> Draft:
    if view.outcome.profile.states_outcomes:
        return _outcome_host_backup_draft(view, view.outcome)
    vm, where, decision = view.vm, view.node.name, view.decision
    name = vm.name
    rules = [r.rule.id for r in decision.reasons]
    if decision.mode is _ONLINE:
        how = _ONLINE_HOW
    elif decision.causes_downtime:
        how = _SAVED_HOW[decision.state_after]
        rules.append(SAVED_FOR_BACKUP.id)
    else:
        how = _STAYS_HOW[vm.state]
    text = f"Back up VM {quoted(name)} on {quoted(where)} {how}."
    # Findings that keep the host backup from holding this VM change the step.
    for f in view.findings:
        rule = f.rule
        if rule not in _CHANGES_HOST_BACKUP:
            continue
        if rule is WSB_ON_CSV:
            text = (
                f"Back up VM {quoted(name)} with an application other than Windows Server Backup, "
                f"which does not support its Cluster Shared Volume; on {quoted(where)} it would be "
                f"backed up {how}."
            )
        elif f.severity is Severity.WARNING:
            text = (
                f"Expect VM {quoted(name)} to be left out of the backup on {quoted(where)}: a disk is on a "
                "volume mounted by GUID path; mount it at a drive letter or folder to include "
                "the VM."
            )
        else:
            text = (
                f"Back up VM {quoted(name)} on {quoted(where)} {how}; without KB958184 on {quoted(where)}, its "
                "disk on a volume mounted by GUID path can make the whole backup fail."
            )
        rules.append(rule.id)
    return (_HOST_BACKUP, name, where, text, tuple(dict.fromkeys(rules)))
