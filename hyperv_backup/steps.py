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
from hyperv_backup._notebook import NotebookDisplay
from hyperv_backup.checks import (
    BACKUP_PREPARATIONS,
    host_findings,
    hosts_of,
    preparation_finding,
    sort_findings,
    states_text,
    uncovered_rule,
)
from hyperv_backup.cluster import (
    ClusterAction,
    cluster_backup_action,
    cluster_restore_action,
    resources_taken_offline,
)
from hyperv_backup.mode import BackupModeDecision, decide_mode
from hyperv_backup.model import (
    VM,
    Backup,
    BackupLevel,
    BackupMode,
    Cluster,
    Host,
    HostOS,
    VMState,
    computer_key,
)
from hyperv_backup.rules import Finding, Severity

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


def _numbered(drafts: Iterable[_Draft]) -> Steps:
    return Steps(
        Step(order=i, action=action, target=target, where=where, text=text, rules=rules)
        for i, (action, target, where, text, rules) in enumerate(drafts, start=1)
    )


def _resource_words(action: ClusterAction) -> str:
    resources = resources_taken_offline(action)
    return " and ".join(r.value.replace("_", " ") for r in resources)


# --- the backup plan -----------------------------------------------------------------


_PREREQUISITE_TEXT = {
    "HVB101": "Switch {host} to a backup application that uses the Hyper-V VSS writer.",
    "HVB102": "Register the Hyper-V VSS writer with Windows Server Backup on {host} (KB958662).",
    "HVB103": "Install KB982210 on {host}.",
}


def backup_plan(target: Host | Cluster, node: str | None = None) -> Plan:
    """Return the ordered backup plan of ``target``, with its findings and decisions.

    With ``node=None`` each clustered VM is backed up on the node that owns
    it. With a node name, every clustered VM is backed up on that node: a VM
    owned elsewhere is moved there first and moved back afterwards. VMs that
    are not clustered stay on their host.

    Raises :class:`~hyperv_backup.HypervBackupError` (a ``ValueError``) when
    ``node`` is not a node of ``target``.
    """
    hosts = hosts_of(target)
    backup_host = _resolve_node(target, node)
    backup_node = None if backup_host is None else backup_host.name
    decisions: dict[str, BackupModeDecision] = {}
    findings: list[Finding] = []
    for host in hosts:
        per_host = {vm.name: decide_mode(vm, host.name) for vm in host.vms}
        decisions.update(per_host)
        findings.extend(host_findings(host, per_host, backup_host))
    # Findings that leave a VM out of the host backup, told again at its backup step.
    exclusions: dict[str, list[Finding]] = {}
    for f in findings:
        if (f.rule.id, f.severity) in _EXCLUSION_TEXT and f.vm is not None:
            exclusions.setdefault(f.vm, []).append(f)

    prerequisites: list[_Draft] = [
        (
            StepKind.PREREQUISITE,
            f.subject,
            f.subject,
            _PREREQUISITE_TEXT[f.rule.id].format(host=repr(f.subject)),
            (f.rule.id,),
        )
        for f in findings
        if f.rule.id in _PREREQUISITE_TEXT
    ]
    networks: list[_Draft] = []
    guest_backups: list[_Draft] = []
    preparations: list[_Draft] = []
    host_backups: list[_Draft] = []
    returns: list[_Draft] = []
    for host in hosts:
        networks.extend(_record_network_drafts(host))
        for vm in host.vms:
            guest_backups.extend(_guest_backup_drafts(host, vm))
            where = host.name
            if vm.cluster_group is not None and backup_node is not None:
                where = backup_node
            decision = decisions[vm.name]
            prep, back, moved_finding = _cluster_drafts(host, vm, where, decision)
            preparations.extend(prep)
            returns[:0] = back  # undo in the reverse order of the preparations
            if moved_finding is not None:
                findings.append(moved_finding)
            host_backups.append(
                _host_backup_draft(vm, where, decision, exclusions.get(vm.name, ()))
            )

    return Plan(
        steps=_numbered(
            [*prerequisites, *networks, *guest_backups, *preparations, *host_backups, *returns]
        ),
        findings=sort_findings(findings),
        decisions=types.MappingProxyType(decisions),
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


def _resolve_node(target: Host | Cluster, node: str | None) -> Host | None:
    """Return the host of ``target`` named ``node`` (in any case), or ``None``."""
    if node is None:
        return None
    for host in hosts_of(target):
        if computer_key(host.name) == computer_key(node):
            return host
    kind = "cluster" if isinstance(target, Cluster) else "host"
    msg = f"node {node!r} is not a node of {kind} {target.name!r}"
    raise HypervBackupError(msg)


def _lacks_975354(host: Host) -> bool:
    return host.os is HostOS.WINDOWS_SERVER_2008_R2 and "KB975354" not in host.installed_updates


def _guest_backup_drafts(host: Host, vm: VM) -> Iterable[_Draft]:
    for disk in vm.disks:
        rule_id = uncovered_rule(disk)
        if rule_id is None:
            continue
        rules: tuple[str, ...] = (rule_id,)
        if rule_id == "HVB202" and _lacks_975354(host):
            rules = ("HVB202", "HVB203")
        yield (
            StepKind.GUEST_BACKUP,
            disk.name,
            vm.name,
            f"From inside the guest of VM {vm.name!r}, back up disk {disk.name!r} before the "
            "host backup.",
            rules,
        )


def _cluster_drafts(
    host: Host, vm: VM, where: str, decision: BackupModeDecision
) -> tuple[list[_Draft], list[_Draft], Finding | None]:
    """Return the preparation and return steps of a clustered VM backed up on ``where``."""
    group = vm.cluster_group
    if group is None:
        return [], [], None
    prepare: list[_Draft] = []
    undo: list[_Draft] = []
    moved: Finding | None = None
    owner = host.name  # the VM is listed under its owner; use the node's own spelling
    if cluster_backup_action(vm, where, decision.mode) is ClusterAction.MOVE_TO_NODE:
        moved = preparation_finding("HVB502", vm, where, ClusterAction.MOVE_TO_NODE)
        prepare.append(
            (
                StepKind.MOVE_VM,
                vm.name,
                owner,
                f"Move VM {vm.name!r} from {owner!r} to {where!r}: it is not reported for "
                f"backup on {where!r} while another node owns it.",
                ("HVB502",),
            )
        )
        undo.append(
            (
                StepKind.RETURN_CLUSTER_STATE,
                vm.name,
                where,
                f"Move VM {vm.name!r} back to {owner!r}.",
                ("HVB502",),
            )
        )
    # After a move the VM is owned here in the same resource states, so the
    # table is read for its owner.
    action = cluster_backup_action(vm, owner, decision.mode)
    if action is ClusterAction.NOT_COVERED:
        prepare.append(
            (
                StepKind.PREPARE_CLUSTER,
                vm.name,
                where,
                f"Bring the resources of VM {vm.name!r} ({states_text(vm)}), a combination the "
                "guidance does not cover, into a covered state before backing it up.",
                ("HVB504",),
            )
        )
    elif action in BACKUP_PREPARATIONS:
        words = _resource_words(action)
        prepare.append(
            (
                StepKind.PREPARE_CLUSTER,
                vm.name,
                where,
                f"Use the Cluster service to take the {words} of VM {vm.name!r} offline.",
                ("HVB502",),
            )
        )
        undo.insert(
            0,
            (
                StepKind.RETURN_CLUSTER_STATE,
                vm.name,
                where,
                f"Bring the {words} of VM {vm.name!r} back online.",
                ("HVB502",),
            ),
        )
    return prepare, undo, moved


#: What each finding that leaves a VM out of the host backup adds to its backup step.
_EXCLUSION_TEXT = {
    ("HVB106", Severity.ERROR): "Windows Server Backup does not support its Cluster Shared "
    "Volume, so back it up with another application",
    ("HVB501", Severity.ERROR): "a disk on a volume mounted by GUID path can make the whole "
    "backup on the node fail, since KB958184 is not installed there",
    ("HVB501", Severity.WARNING): "a disk on a volume mounted by GUID path leaves this VM "
    "out of the backup",
}


def _host_backup_draft(
    vm: VM, where: str, decision: BackupModeDecision, exclusions: Iterable[Finding]
) -> _Draft:
    rules = tuple(r.rule.id for r in decision.reasons)
    if decision.mode is BackupMode.ONLINE:
        clauses = [f"Back up VM {vm.name!r} on {where!r} online, with no downtime"]
    elif decision.causes_downtime:
        clauses = [
            f"Back up VM {vm.name!r} on {where!r} offline: it is saved for the backup "
            f"(downtime) and returned to {decision.state_after.value} afterwards"
        ]
        rules = (*rules, "HVB308")
    else:
        clauses = [f"Back up VM {vm.name!r} on {where!r} offline; it stays {vm.state.value}"]
    # One clause and one rule ID per kind of exclusion, however many disks it concerns.
    for rule_id, severity in dict.fromkeys((f.rule.id, f.severity) for f in exclusions):
        clauses.append(_EXCLUSION_TEXT[rule_id, severity])
        if rule_id not in rules:
            rules = (*rules, rule_id)
    return (StepKind.HOST_BACKUP, vm.name, where, "; ".join(clauses) + ".", rules)


# --- restoring one VM ----------------------------------------------------------------


def _records(backup: Backup | Sequence[Backup] | None, vm: VM) -> list[Backup] | None:
    if backup is None:
        return None
    given = [backup] if isinstance(backup, Backup) else list(backup)
    return [b for b in given if b.vm == vm.name]


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
    node_name = node.name if isinstance(node, Host) else node
    records = _records(backup, vm)
    host_record = latest_host_backup(records or ())
    state_then = vm.state
    if host_record is not None:
        mode = host_record.mode
        state_then = host_record.vm_state or vm.state
    elif mode is None:
        mode = decide_mode(vm, node_name).mode
    else:
        mode = BackupMode(mode)
    drafts: list[_Draft] = [
        (
            StepKind.GATHER_MEDIA,
            vm.name,
            node_name,
            f"Have the backup media and equipment for VM {vm.name!r} at hand on {node_name!r}.",
            (),
        )
    ]
    drafts.extend(_restore_preparation(vm, node_name))
    if vm.state is not VMState.OFF:
        drafts.append(
            (
                StepKind.WARN_VM_DELETED,
                vm.name,
                node_name,
                f"Expect VM {vm.name!r}, now {vm.state.value}, to be turned off and deleted "
                "before the backed-up version is restored; its current state is lost.",
                ("HVB401",),
            )
        )
    drafts.append(
        (
            StepKind.RESTORE_VM,
            vm.name,
            node_name,
            f"Restore the whole of VM {vm.name!r} on {node_name!r} from the {mode.value} "
            "host-level backup.",
            ("HVB404",),
        )
    )
    drafts.extend(_guest_restore_drafts(vm, records))
    drafts.extend(_reconnect_drafts(vm, node))
    drafts.append(_first_start_draft(vm, node_name, mode, state_then))
    return _numbered(drafts)


def _restore_preparation(vm: VM, node_name: str) -> Iterable[_Draft]:
    action = cluster_restore_action(vm, node_name)
    if action in (ClusterAction.NOT_CLUSTERED, ClusterAction.NONE):
        return
    group = vm.cluster_group
    assert group is not None  # noqa: S101 - a clustered action implies a group
    if action is ClusterAction.NOT_COVERED:
        yield (
            StepKind.PREPARE_CLUSTER,
            vm.name,
            node_name,
            f"Bring the resources of VM {vm.name!r} ({states_text(vm)}), a combination the "
            "guidance does not cover, into a covered state before restoring it.",
            ("HVB504",),
        )
        return
    words = _resource_words(action)
    if action is ClusterAction.TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE_ON_OWNER:
        yield (
            StepKind.PREPARE_CLUSTER,
            vm.name,
            group.owner_node,
            f"On {group.owner_node!r}, which owns VM {vm.name!r}, take its {words} offline "
            "to avoid a conflict.",
            ("HVB503",),
        )
        return
    yield (
        StepKind.PREPARE_CLUSTER,
        vm.name,
        node_name,
        f"Take the {words} of VM {vm.name!r} offline.",
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


def _reconnect_drafts(vm: VM, node: str | Host) -> Iterable[_Draft]:
    node_name = node.name if isinstance(node, Host) else node
    existing = (
        {computer_key(n.name) for n in node.virtual_networks} if isinstance(node, Host) else None
    )
    for adapter in vm.network_adapters:
        network = adapter.virtual_network
        if network is None:
            continue
        if existing is not None and computer_key(network) not in existing:
            text = (
                f"Recreate virtual network {network!r} on {node_name!r} from its recorded "
                f"configuration, then connect adapter {adapter.name!r} of VM {vm.name!r} to it."
            )
        else:
            text = (
                f"Connect adapter {adapter.name!r} of VM {vm.name!r} to virtual network "
                f"{network!r}."
            )
        yield (StepKind.RECONNECT_NETWORK, adapter.name, node_name, text, ("HVB405",))


def _first_start_draft(vm: VM, node_name: str, mode: BackupMode, state_then: VMState) -> _Draft:
    if mode is BackupMode.ONLINE:
        return (
            StepKind.FIRST_START,
            vm.name,
            node_name,
            f"Start VM {vm.name!r}, which comes back off, and ignore any message from the "
            "guest that it was not shut down properly.",
            ("HVB402",),
        )
    saved = state_then in (VMState.RUNNING, VMState.PAUSED)
    comes_back = VMState.SAVED if saved else state_then
    return (
        StepKind.FIRST_START,
        vm.name,
        node_name,
        f"Start VM {vm.name!r}, which comes back {comes_back.value}.",
        (),
    )
