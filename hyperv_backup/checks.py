"""Findings about an inventory as it stands, and the storage the host backup misses.

:func:`check` evaluates every rule that applies before a backup: the host and
its backup application (HVB1xx), storage outside the host backup (HVB2xx),
the online conditions (HVB3xx) and the cluster rules (HVB501, HVB502, HVB504
on each VM's owner node, HVB505). Restore-time rules come from
:func:`~hyperv_backup.restore_steps`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import attrs

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
)
from hyperv_backup.rules import RULES, Finding, Findings, Rule, Severity, finding

__all__ = ["UncoveredStorage", "check", "uncovered_storage"]


@attrs.frozen(kw_only=True)
class UncoveredStorage:
    """A disk of ``vm`` that a host-level backup does not hold, and the rule that says so."""

    vm: str
    disk: str
    rule: Rule


#: Releases the guidance was written for; anything else is newer (HVB100).
_GUIDANCE_RELEASES = frozenset({HostOS.WINDOWS_SERVER_2008, HostOS.WINDOWS_SERVER_2008_R2})

#: How a disk is missed by the host backup, by attachment.
_UNCOVERED_RULE = {Attachment.PASS_THROUGH: "HVB201", Attachment.GUEST_ISCSI: "HVB202"}

#: The prefix of a volume mounted by GUID path rather than a drive letter or folder.
_GUID_VOLUME_PREFIX = "\\\\?\\volume{"

#: Cluster backup actions that are a preparation step (HVB502).
BACKUP_PREPARATIONS = frozenset(
    {ClusterAction.TAKE_CLUSTER_RESOURCE_OFFLINE, ClusterAction.MOVE_TO_NODE}
)


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


def uncovered_rule(disk: Disk) -> str | None:
    """Return the rule ID that says the host backup misses ``disk``, or ``None``."""
    return _UNCOVERED_RULE.get(disk.attachment)


def uncovered_storage(target: Host | Cluster) -> tuple[UncoveredStorage, ...]:
    """Return every disk the host-level backup misses, in inventory order.

    >>> from hyperv_backup.model import VM, Disk, Attachment, VMState, HostOS
    >>> vm = VM(name="FS01", state=VMState.RUNNING, disks=[
    ...     Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK),
    ...     Disk(name="Archive", attachment=Attachment.PASS_THROUGH)])
    >>> [(u.vm, u.disk, u.rule.id) for u in uncovered_storage(
    ...     Host(name="HV01", os=HostOS.WINDOWS_SERVER_2008_R2, vms=[vm]))]
    [('FS01', 'Archive', 'HVB201')]
    """
    return tuple(
        UncoveredStorage(vm=vm.name, disk=disk.name, rule=RULES[rule_id])
        for host in hosts_of(target)
        for vm in host.vms
        for disk in vm.disks
        if (rule_id := uncovered_rule(disk)) is not None
    )


def check(target: Host | Cluster) -> Findings:
    """Return every finding about ``target``, most severe first, then in inventory order."""
    return sort_findings(
        f for host in hosts_of(target) for f in host_findings(host, _decisions(host))
    )


def sort_findings(findings: Iterator[Finding] | list[Finding]) -> Findings:
    """Sort by severity; the sort is stable, so inventory order is kept within one."""
    return Findings(sorted(findings, key=_severity_rank))


def _severity_rank(item: Finding) -> int:
    return item.severity.rank


def _decisions(host: Host) -> dict[str, BackupModeDecision]:
    return {vm.name: decide_mode(vm, host.name) for vm in host.vms}


def host_findings(
    host: Host, decisions: Mapping[str, BackupModeDecision], backup_node: Host | None = None
) -> Iterator[Finding]:
    """Yield the findings about ``host`` and its VMs, in inventory order.

    ``backup_node`` is the node clustered VMs are backed up on when it is not
    their owner: their cluster findings name it, and HVB501 asks it for
    KB958184.
    """
    yield from _host_level(host)
    for vm in host.vms:
        node = backup_node if backup_node is not None and vm.cluster_group else host
        yield from _vm_level(host, vm, decisions[vm.name], node)


def _has_update(host: Host, kb: str) -> bool:
    return kb in host.installed_updates


def _host_level(host: Host) -> Iterator[Finding]:
    name = host.name
    if host.os not in _GUIDANCE_RELEASES:
        yield finding(
            "HVB100",
            name,
            f"Host {name!r} runs {os_label(host.os)}, later than the 2008 R2 the guidance was "
            "written for; treat its downtime figures as an upper bound.",
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
    if host.os is HostOS.WINDOWS_SERVER_2008_R2 and not _has_update(host, "KB982210"):
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


def on_shared_volume(vm: VM) -> bool:
    """Tell whether any disk of the VM's configuration lives on a Cluster Shared Volume."""
    return any(
        disk.host_storage is HostStorage.CLUSTER_SHARED_VOLUME
        and disk.attachment is not Attachment.GUEST_ISCSI
        for disk in vm.disks
    )


def _uses_wsb(host: Host) -> bool:
    app = host.backup_application
    return app is not None and app.is_windows_server_backup


def _vm_level(host: Host, vm: VM, decision: BackupModeDecision, node: Host) -> Iterator[Finding]:
    h, name = host.name, vm.name
    wsb = _uses_wsb(host)
    csv = on_shared_volume(vm)
    if vm.snapshots:
        yield finding(
            "HVB105",
            name,
            f"VM {name!r} has {len(vm.snapshots)} VM snapshot(s); they are no backup.",
            host=h,
            vm=name,
        )
    if wsb and csv:
        yield finding(
            "HVB106",
            name,
            f"VM {name!r} has files on a Cluster Shared Volume, which Windows Server Backup "
            "does not support.",
            host=h,
            vm=name,
        )
    if wsb and len(vm.snapshots) >= 2:
        yield finding(
            "HVB107",
            name,
            f"VM {name!r} has {len(vm.snapshots)} VM snapshots; Windows Server Backup does "
            "not restore such a VM.",
            host=h,
            vm=name,
        )
    yield from _disk_level(host, vm, node)
    yield from decision.reasons
    if decision.causes_downtime:
        yield finding(
            "HVB308",
            name,
            f"VM {name!r} is {vm.state.value} and will be backed up offline: it is saved for "
            f"the backup (downtime), then returned to {vm.state.value}.",
            host=h,
            vm=name,
        )
    yield from _cluster_level(host, vm, decision, node.name)
    if csv:
        yield finding(
            "HVB505",
            name,
            f"VM {name!r} has files on a Cluster Shared Volume; follow the CSV backup guidance.",
            host=h,
            vm=name,
        )


def _disk_level(host: Host, vm: VM, node: Host) -> Iterator[Finding]:
    h, name = host.name, vm.name
    lacks_975354 = host.os is HostOS.WINDOWS_SERVER_2008_R2 and not _has_update(host, "KB975354")
    for disk in vm.disks:
        if disk.attachment is Attachment.PASS_THROUGH:
            yield finding(
                "HVB201",
                disk.name,
                f"Disk {disk.name!r} of VM {name!r} is a pass-through disk; the host backup "
                "does not hold it.",
                host=h,
                vm=name,
            )
        elif disk.attachment is Attachment.GUEST_ISCSI:
            yield finding(
                "HVB202",
                disk.name,
                f"Disk {disk.name!r} of VM {name!r} is reached through the guest's iSCSI "
                "initiator; the host backup does not hold it.",
                host=h,
                vm=name,
            )
            if lacks_975354:
                yield finding(
                    "HVB203",
                    disk.name,
                    f"Host {h!r} lacks KB975354, so guest iSCSI disk {disk.name!r} of VM "
                    f"{name!r} can lengthen the full server backup.",
                    host=h,
                    vm=name,
                )
        if (
            vm.cluster_group is not None
            and disk.path is not None
            and disk.path.casefold().startswith(_GUID_VOLUME_PREFIX)
        ):
            # The hotfix matters on the node that runs the backup.
            patched = _has_update(node, "KB958184")
            outcome = (
                f"only this VM is left out of the backup on {node.name!r}"
                if patched
                else f"the whole backup on {node.name!r} can fail (KB958184 is not installed)"
            )
            yield finding(
                "HVB501",
                disk.name,
                f"Disk {disk.name!r} of clustered VM {name!r} is on a volume mounted by GUID "
                f"path; {outcome}.",
                host=node.name,
                vm=name,
                severity=Severity.WARNING if patched else Severity.ERROR,
            )


def _cluster_level(
    host: Host, vm: VM, decision: BackupModeDecision, node: str
) -> Iterator[Finding]:
    if vm.cluster_group is None:
        return
    # Read on the owner: a VM moved to another node for the backup keeps its
    # resource states, so the owner's row is the one that applies there too.
    action = cluster_backup_action(vm, host, decision.mode)
    if action is ClusterAction.NOT_COVERED:
        yield not_covered_finding(vm, node)
    elif action in BACKUP_PREPARATIONS:
        yield preparation_finding("HVB502", vm, node, action)


def states_text(vm: VM) -> str:
    """Describe the resource states of a clustered VM's group."""
    group = vm.cluster_group
    assert group is not None  # noqa: S101 - callers pass clustered VMs only
    return (
        f"cluster resource {group.cluster_resource.value}, configuration resource "
        f"{group.configuration_resource.value}, storage resource "
        f"{group.storage_resource.value}"
    )


def not_covered_finding(vm: VM, node: str) -> Finding:
    """HVB504 for ``vm`` on ``node``."""
    return finding(
        "HVB504",
        vm.name,
        f"Clustered VM {vm.name!r} on {node!r} has {states_text(vm)}, a combination the "
        "guidance does not cover.",
        host=node,
        vm=vm.name,
    )


def preparation_finding(rule_id: str, vm: VM, node: str, action: ClusterAction) -> Finding:
    """HVB502 or HVB503: ``action`` is needed for ``vm`` on ``node``."""
    when = "backed up" if rule_id == "HVB502" else "restored"
    return finding(
        rule_id,
        vm.name,
        f"Before clustered VM {vm.name!r} is {when} on {node!r}: {action.value.replace('_', ' ')}.",
        host=node,
        vm=vm.name,
    )
