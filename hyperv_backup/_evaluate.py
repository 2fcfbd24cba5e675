"""One pass over an inventory: every VM's decision, cluster action and findings.

:func:`~hyperv_backup.check` and :func:`~hyperv_backup.backup_plan` share this
pass, so a plan's findings and its steps come from the same evaluation and
nothing is computed twice. A VM is evaluated on the node that backs it up:
its owner, or the node a plan names (then HVB106, HVB107, HVB203 and HVB501
ask that node about its backup application and hotfixes).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs

from hyperv_backup._errors import HypervBackupError
from hyperv_backup._gc import paused_collector
from hyperv_backup.cluster import ClusterAction, cluster_backup_action
from hyperv_backup.mode import BackupModeDecision, decide_mode
from hyperv_backup.model import (
    VM,
    Attachment,
    Cluster,
    Disk,
    Host,
    HostOS,
    HostStorage,
    computer_key,
)
from hyperv_backup.rules import Finding, Findings, Severity, finding

__all__ = [
    "Evaluation",
    "VMView",
    "action_text",
    "evaluate",
    "hosts_of",
    "lacks_update",
    "node_name",
    "os_label",
    "resolve_node",
    "sort_findings",
    "states_text",
    "uncovered_rule",
]

#: Releases the guidance was written for (HVB100 fires for the others).
_GUIDANCE_RELEASES = frozenset({HostOS.WINDOWS_SERVER_2008, HostOS.WINDOWS_SERVER_2008_R2})

#: Releases that take a checkpoint of a VM that cannot be backed up online,
#: instead of saving it.
_CHECKPOINT_RELEASES = frozenset(HostOS) - _GUIDANCE_RELEASES - {HostOS.WINDOWS_SERVER_2012}

#: How a disk is missed by the host backup, by attachment.
_UNCOVERED_RULE = {Attachment.PASS_THROUGH: "HVB201", Attachment.GUEST_ISCSI: "HVB202"}

#: The prefix of a volume mounted by GUID path rather than a drive letter or folder.
_GUID_VOLUME_PREFIX = "\\\\?\\volume{"

#: What each cluster action asks, as the tail of a sentence about one VM.
_ACTION_TEXT = {
    ClusterAction.TAKE_CLUSTER_RESOURCE_OFFLINE: "put its cluster resource offline through "
    "the Cluster service",
    ClusterAction.MOVE_TO_NODE: "move it from {owner!r} to {node!r} first, since only the "
    "owning node reports it for backup",
    ClusterAction.TAKE_CONFIGURATION_RESOURCE_OFFLINE: "put its configuration resource offline",
    ClusterAction.TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE: "put its cluster and "
    "configuration resources offline",
    ClusterAction.TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE_ON_OWNER: "put its cluster "
    "and configuration resources offline on {owner!r}, which owns it, so that two nodes do "
    "not both hold it",
}


def action_text(action: ClusterAction, owner: str, node: str) -> str:
    """Say what ``action`` asks of a VM owned by ``owner``, for work on ``node``."""
    return _ACTION_TEXT[action].format(owner=owner, node=node)


def os_label(os: HostOS) -> str:
    """Return the release name of ``os`` as people write it.

    >>> os_label(HostOS.WINDOWS_SERVER_2012_R2)
    'Windows Server 2012 R2'
    """
    words = os.value.split("_")
    return " ".join(w.upper() if w == "r2" else w.capitalize() for w in words)


def hosts_of(target: Host | Cluster) -> tuple[Host, ...]:
    """Return the hosts of ``target``: itself, or the nodes of a cluster."""
    return target.nodes if isinstance(target, Cluster) else (target,)


def node_name(node: str | Host) -> str:
    """Return the name of ``node``, a host or a host's name.

    Raises :class:`TypeError` for anything else and
    :class:`~hyperv_backup.HypervBackupError` for an empty name.
    """
    value: object = node  # callers without type checking may pass anything
    if isinstance(value, Host):
        return value.name
    if not isinstance(value, str):
        msg = f"node must be a Host or a host's name, got {type(value).__name__}"
        raise TypeError(msg)
    if not value.strip():
        msg = f"node must be a non-empty name, got {value!r}"
        raise HypervBackupError(msg)
    return value


def resolve_node(target: Host | Cluster, node: str | Host | None) -> Host | None:
    """Return the host of ``target`` that ``node`` names (in any case), or ``None``.

    Raises :class:`~hyperv_backup.HypervBackupError` when it names none of them.
    """
    if node is None:
        return None
    name = node_name(node)
    for host in hosts_of(target):
        if computer_key(host.name) == computer_key(name):
            return host
    kind = "cluster" if isinstance(target, Cluster) else "host"
    msg = f"node {name!r} is not a node of {kind} {target.name!r}"
    raise HypervBackupError(msg)


def uncovered_rule(disk: Disk) -> str | None:
    """Return the rule ID that says the host backup misses ``disk``, or ``None``."""
    return _UNCOVERED_RULE.get(disk.attachment)


def lacks_update(host: Host, kb: str) -> bool:
    """Tell whether a Windows Server 2008 R2 ``host`` lacks the hotfix ``kb``.

    The hotfixes the guidance names (KB982210, KB975354) are for 2008 R2 only.
    """
    return host.os is HostOS.WINDOWS_SERVER_2008_R2 and kb not in host.installed_updates


def sort_findings(findings: Iterable[Finding]) -> Findings:
    """Sort by severity; the sort is stable, so inventory order is kept within one."""
    return Findings(sorted(findings, key=_severity_rank))


def _severity_rank(item: Finding) -> int:
    return item.severity.rank


def states_text(vm: VM) -> str:
    """Describe the resource states of a clustered VM's group."""
    group = vm.cluster_group
    assert group is not None  # noqa: S101 - callers pass clustered VMs only
    return (
        f"cluster resource {group.cluster_resource.value}, configuration resource "
        f"{group.configuration_resource.value}, storage resource "
        f"{group.storage_resource.value}"
    )


@attrs.frozen(kw_only=True)
class VMView:
    """Everything decided about one VM for one backup.

    ``host`` lists the VM (its owner, for a clustered VM); ``node`` backs it
    up. ``action`` is the backup table's answer once the VM is on ``node``
    (the owner's row: a move keeps the resource states); ``moved`` says it is
    moved there first. ``findings`` are this VM's, in inventory order.
    """

    host: Host
    node: Host
    vm: VM
    decision: BackupModeDecision
    action: ClusterAction
    moved: bool
    findings: tuple[Finding, ...]


@attrs.frozen(kw_only=True)
class Evaluation:
    """The findings of a target in inventory order, and a view of each VM."""

    findings: tuple[Finding, ...]
    vms: tuple[VMView, ...]


def evaluate(target: Host | Cluster, backup_node: Host | None = None) -> Evaluation:
    """Evaluate every host and VM of ``target``, clustered VMs on ``backup_node`` if given."""
    with paused_collector():
        return _evaluate(target, backup_node)


def _evaluate(target: Host | Cluster, backup_node: Host | None) -> Evaluation:
    findings: list[Finding] = []
    views: list[VMView] = []
    for host in hosts_of(target):
        findings.extend(_host_level(host))
        for vm in host.vms:
            clustered = vm.cluster_group is not None
            node = backup_node if backup_node is not None and clustered else host
            decision = decide_mode(vm, node.name)
            action = (
                cluster_backup_action(vm, host, decision.mode)
                if clustered
                else ClusterAction.NOT_CLUSTERED
            )
            moved = clustered and node is not host
            own = tuple(_vm_level(host, vm, decision, node, action, moved=moved))
            findings.extend(own)
            views.append(
                VMView(
                    host=host,
                    node=node,
                    vm=vm,
                    decision=decision,
                    action=action,
                    moved=moved,
                    findings=own,
                )
            )
    return Evaluation(findings=tuple(findings), vms=tuple(views))


def _host_level(host: Host) -> Iterator[Finding]:
    name = host.name
    if host.os not in _GUIDANCE_RELEASES:
        later = (
            "; it takes a checkpoint instead of saving a VM, so treat the downtime figures as "
            "an upper bound"
            if host.os in _CHECKPOINT_RELEASES
            else ""
        )
        yield finding(
            "HVB100",
            name,
            f"Host {name!r} runs {os_label(host.os)}, later than the 2008 R2 the guidance was "
            f"written for{later}.",
            host=name,
        )
    app = host.backup_application
    if app is not None:
        if not app.uses_hyperv_vss_writer:
            yield finding(
                "HVB101",
                name,
                f"Backup application {app.name!r} on host {name!r} does not use the Hyper-V "
                "VSS writer.",
                host=name,
            )
        if app.is_windows_server_backup and not app.hyperv_writer_registered:
            yield finding(
                "HVB102",
                name,
                f"The Hyper-V VSS writer is not registered with Windows Server Backup on host "
                f"{name!r}.",
                host=name,
            )
    if lacks_update(host, "KB982210"):
        yield finding(
            "HVB103",
            name,
            f"Host {name!r} runs Windows Server 2008 R2 without KB982210.",
            host=name,
        )
    if host.virtual_networks:
        names = ", ".join(repr(n.name) for n in host.virtual_networks)
        yield finding(
            "HVB104",
            name,
            f"Host {name!r} has virtual networks ({names}) that a full server backup leaves "
            "out; record their configuration.",
            host=name,
        )


def _on_shared_volume(vm: VM) -> bool:
    # Only the disks of the VM's configuration are its files on the host.
    return any(
        disk.host_storage is HostStorage.CLUSTER_SHARED_VOLUME
        and disk.attachment is not Attachment.GUEST_ISCSI
        for disk in vm.disks
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _vm_level(
    host: Host,
    vm: VM,
    decision: BackupModeDecision,
    node: Host,
    action: ClusterAction,
    *,
    moved: bool,
) -> Iterator[Finding]:
    at, name = node.name, vm.name
    app = node.backup_application
    wsb = app is not None and app.is_windows_server_backup
    csv = _on_shared_volume(vm)
    if vm.snapshots:
        yield finding(
            "HVB105",
            name,
            f"VM {name!r} has {_plural(len(vm.snapshots), 'VM snapshot')}; they are no backup.",
            host=at,
            vm=name,
        )
    if wsb and csv:
        yield finding(
            "HVB106",
            name,
            f"VM {name!r} has files on a Cluster Shared Volume, which Windows Server Backup "
            f"on {at!r} does not support.",
            host=at,
            vm=name,
        )
    if wsb and len(vm.snapshots) >= 2:
        yield finding(
            "HVB107",
            name,
            f"VM {name!r} has {len(vm.snapshots)} VM snapshots; Windows Server Backup does "
            "not restore such a VM.",
            host=at,
            vm=name,
        )
    yield from _disk_level(vm, node)
    yield from decision.reasons
    if decision.causes_downtime:
        yield finding(
            "HVB308",
            name,
            f"VM {name!r} is {vm.state.value} and will be backed up offline: it is saved while "
            f"the backup runs (downtime), then set back to {vm.state.value}.",
            host=at,
            vm=name,
        )
    if vm.cluster_group is not None:
        owner = host.name
        if moved:
            yield _preparation("HVB502", vm, at, ClusterAction.MOVE_TO_NODE, owner)
        if action is ClusterAction.NOT_COVERED:
            yield not_covered_finding(vm, at)
        elif action is ClusterAction.TAKE_CLUSTER_RESOURCE_OFFLINE:
            yield _preparation("HVB502", vm, at, action, owner)
    if csv:
        yield finding(
            "HVB505",
            name,
            f"VM {name!r} has files on a Cluster Shared Volume; follow the CSV backup guidance.",
            host=at,
            vm=name,
        )


def _disk_level(vm: VM, node: Host) -> Iterator[Finding]:
    at, name = node.name, vm.name
    lacks_975354 = lacks_update(node, "KB975354")
    for disk in vm.disks:
        if disk.attachment is Attachment.PASS_THROUGH:
            yield finding(
                "HVB201",
                disk.name,
                f"Disk {disk.name!r} of VM {name!r} is a pass-through disk; the host backup "
                "does not hold it.",
                host=at,
                vm=name,
            )
        elif disk.attachment is Attachment.GUEST_ISCSI:
            yield finding(
                "HVB202",
                disk.name,
                f"Disk {disk.name!r} of VM {name!r} is reached through the guest's iSCSI "
                "initiator; the host backup does not hold it.",
                host=at,
                vm=name,
            )
            if lacks_975354:
                yield finding(
                    "HVB203",
                    disk.name,
                    f"Host {at!r} lacks KB975354, so guest iSCSI disk {disk.name!r} of VM "
                    f"{name!r} can lengthen the full server backup.",
                    host=at,
                    vm=name,
                )
        if (
            vm.cluster_group is not None
            and disk.path is not None
            and disk.path.casefold().startswith(_GUID_VOLUME_PREFIX)
        ):
            patched = "KB958184" in node.installed_updates
            outcome = (
                f"only this VM is left out of the backup on {at!r}"
                if patched
                else f"the whole backup on {at!r} can fail (KB958184 is not installed)"
            )
            yield finding(
                "HVB501",
                disk.name,
                f"Disk {disk.name!r} of clustered VM {name!r} is on a volume mounted by GUID "
                f"path; {outcome}.",
                host=at,
                vm=name,
                severity=Severity.WARNING if patched else Severity.ERROR,
            )


def not_covered_finding(vm: VM, node: str) -> Finding:
    """Return HVB504 for ``vm`` on ``node``."""
    return finding(
        "HVB504",
        vm.name,
        f"Clustered VM {vm.name!r} on {node!r} has {states_text(vm)}, a combination the "
        "guidance does not cover.",
        host=node,
        vm=vm.name,
    )


def _preparation(rule_id: str, vm: VM, node: str, action: ClusterAction, owner: str) -> Finding:
    return finding(
        rule_id,
        vm.name,
        f"Before clustered VM {vm.name!r} is backed up on {node!r}, "
        f"{action_text(action, owner, node)}.",
        host=node,
        vm=vm.name,
    )
