"""One pass over an inventory: every VM's decision, cluster action and findings.

:func:`~hyperv_backup.check` and :func:`~hyperv_backup.backup_plan` share this
pass, so a plan's findings and its steps come from the same evaluation and
nothing is computed twice. A VM is evaluated on the node that backs it up:
its owner, or the node a plan names (then HVB106, HVB107, HVB203 and HVB501
ask that node about its backup application and hotfixes).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import attrs

from hyperv_backup._base.gc import paused_collector
from hyperv_backup.decide.cluster import ClusterAction, action_text, backup_action, states_text
from hyperv_backup.decide.mode import BackupModeDecision, decide_mode
from hyperv_backup.decide.outcome import BackupOutcome, decide_outcome, outcome_decision
from hyperv_backup.model import (
    VM,
    Attachment,
    BackupMode,
    Cluster,
    Host,
    HostOS,
    HostStorage,
    VMState,
    computer_key,
    hosts_of,
    os_label,
)
from hyperv_backup.rules import Finding, Profile, Severity, finding, profile_for

__all__ = ["Evaluation", "VMView", "evaluate", "lacks_update", "not_covered_finding"]

#: Releases the guidance was written for (HVB100 fires for the others).
_GUIDANCE_RELEASES = frozenset({HostOS.WINDOWS_SERVER_2008, HostOS.WINDOWS_SERVER_2008_R2})

#: Releases that take a checkpoint of a VM that cannot be backed up online,
#: instead of saving it.
_CHECKPOINT_RELEASES = frozenset(HostOS) - _GUIDANCE_RELEASES - {HostOS.WINDOWS_SERVER_2012}

# Enum members read for every VM or disk, under module names. Python 3.11
# gives each enum class a ``__getattr__`` hook, which makes reading a member
# from its class (``Attachment.GUEST_ISCSI``) ten times as slow as a name.
_PASS_THROUGH, _GUEST_ISCSI = Attachment.PASS_THROUGH, Attachment.GUEST_ISCSI
_ON_CSV = HostStorage.CLUSTER_SHARED_VOLUME
_NOT_CLUSTERED, _NOT_COVERED = ClusterAction.NOT_CLUSTERED, ClusterAction.NOT_COVERED
_TAKE_OFFLINE = ClusterAction.TAKE_CLUSTER_RESOURCE_OFFLINE

#: The text of each VM state. Looked up here because reading ``.value`` of an
#: enum member runs Python code each time, and this is read for many VMs.
_STATE_TEXT = {state: state.value for state in VMState}

#: The prefix of a volume mounted by GUID path rather than a drive letter or folder.
_GUID_VOLUME_PREFIX = "\\\\?\\volume{"


def lacks_update(host: Host, kb: str) -> bool:
    """Tell whether a Windows Server 2008 R2 ``host`` lacks the hotfix ``kb``.

    The hotfixes the guidance names (KB982210, KB975354) are for 2008 R2 only.
    """
    return host.os is HostOS.WINDOWS_SERVER_2008_R2 and kb not in host.installed_updates


class VMView(NamedTuple):
    """Everything decided about one VM for one backup.

    ``host`` lists the VM (its owner, for a clustered VM); ``node`` backs it
    up. ``action`` is the backup table's answer once the VM is on ``node``
    (the owner's row: a move keeps the resource states); ``moved`` says it is
    moved there first. ``findings`` are this VM's, in inventory order.

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
    #: What the backup will be; set under the profiles of 2012 and later only,
    #: where the plan's steps are written from it.
    outcome: BackupOutcome | None = None


@attrs.frozen(kw_only=True)
class Evaluation:
    """The findings of a target in inventory order, and a view of each VM."""

    findings: tuple[Finding, ...]
    vms: tuple[VMView, ...]


def evaluate(
    target: Host | Cluster,
    backup_node: Host | None = None,
    *,
    views: bool = True,
    profile: Profile | None = None,
) -> Evaluation:
    """Evaluate every host and VM of ``target``, clustered VMs on ``backup_node`` if given.

    Each host is answered by the profile of its release, or by ``profile``
    for all of them. With ``views=False`` only the findings are kept (``vms``
    is empty), for callers that need no more.
    """
    # A large evaluation makes no cycles; pausing the collector saves its walks.
    with paused_collector():
        return _evaluate(target, backup_node, views=views, profile=profile)


class _Node(NamedTuple):
    """What the rules about a VM ask of the node that backs it up.

    Worked out once per node rather than once per VM.
    """

    host: Host
    name: str
    key: str
    windows_server_backup: bool
    lacks_975354: bool

    @classmethod
    def of(cls, host: Host) -> _Node:
        app = host.backup_application
        return cls(
            host=host,
            name=host.name,
            key=computer_key(host.name),
            windows_server_backup=app is not None and app.is_windows_server_backup,
            lacks_975354=lacks_update(host, "KB975354"),
        )


def _evaluate(
    target: Host | Cluster, backup_node: Host | None, *, views: bool, profile: Profile | None
) -> Evaluation:
    findings: list[Finding] = []
    vms: list[VMView] = []
    chosen = None if backup_node is None else _Node.of(backup_node)
    for host in hosts_of(target):
        answering = profile_for(host.os) if profile is None else profile
        if answering is not _WS2008:
            _evaluate_later(
                host, chosen, backup_node, answering, findings=findings, vms=vms, views=views
            )
            continue
        findings.extend(_host_level(host))
        own = _Node.of(host)
        # Clustered VMs are backed up on the chosen node (moved there when it is
        # not this one); the others stay on their host.
        clustered_on = own if chosen is None or backup_node is host else chosen
        for vm in host.vms:
            group = vm.cluster_group
            node = own if group is None else clustered_on
            decision = decide_mode(vm, node.name)
            # Asked on the host that lists the VM, its owner (see VMView).
            action = (
                _NOT_CLUSTERED if group is None else backup_action(group, own.key, decision.mode)
            )
            moved = node is not own
            found = _vm_level(host, vm, decision, node, action, moved=moved)
            findings.extend(found)
            if views:
                vms.append(VMView(host, node.host, vm, decision, action, moved, found))
    return Evaluation(findings=tuple(findings), vms=tuple(vms))


_WS2008 = Profile.WS2008


def _evaluate_later(
    host: Host,
    chosen: _Node | None,
    backup_node: Host | None,
    profile: Profile,
    *,
    findings: list[Finding],
    vms: list[VMView],
    views: bool,
) -> None:
    """Evaluate ``host`` under the profile of Windows Server 2012 or 2016 and later."""
    findings.extend(_later_host_level(host, profile))
    own = _Node.of(host)
    clustered_on = own if chosen is None or backup_node is host else chosen
    for vm in host.vms:
        group = vm.cluster_group
        node = own if group is None else clustered_on
        saves = profile is Profile.WS2012 and node.host.os is HostOS.WINDOWS_SERVER_2012
        outcome = decide_outcome(vm, node.host, profile)
        decision = outcome_decision(outcome, vm)
        csv = _on_shared_volume(vm)
        if group is None:
            action = _NOT_CLUSTERED
        else:
            # Only Windows Server 2012 still saves a VM for its backup; from
            # 2012 R2 on the offline rows of the table (saving through the
            # Cluster service) never apply.
            mode = decision.mode if saves else BackupMode.ONLINE
            action = ClusterAction.NONE if csv else backup_action(group, own.key, mode)
        # A VM on a Cluster Shared Volume is backed up from any node (HVB616).
        moved = node is not own and not csv
        found: list[Finding] = []
        _snapshot_findings(vm, node.name, found)
        _disk_level(vm, node, found, later=True)
        found.extend(outcome.reasons)
        if group is not None:
            if moved:
                found.append(
                    _preparation("HVB502", vm, node.name, ClusterAction.MOVE_TO_NODE, host.name)
                )
            if action is _NOT_COVERED:
                found.append(not_covered_finding(vm, node.name))
            elif action is _TAKE_OFFLINE:
                found.append(_preparation("HVB502", vm, node.name, action, host.name))
        findings.extend(found)
        if views:
            vms.append(VMView(host, node.host, vm, decision, action, moved, tuple(found), outcome))


def _later_host_level(host: Host, profile: Profile) -> Iterator[Finding]:
    app = host.backup_application
    # From 2016 a backup application may use the WMI backup API instead of the
    # Hyper-V VSS writer ("Hyper-V Backup Approaches"), so HVB101 stops at 2012 R2.
    if profile is Profile.WS2012 and app is not None and not app.uses_hyperv_vss_writer:
        yield _no_writer(host)
    if host.virtual_networks:
        yield _networks(host)


def _no_writer(host: Host) -> Finding:
    name = host.name
    app = host.backup_application
    assert app is not None  # noqa: S101 - callers check it
    return finding(
        "HVB101",
        name,
        f"Backup application {app.name!r} on host {name!r} does not use the Hyper-V VSS writer.",
        host=name,
    )


def _networks(host: Host) -> Finding:
    name = host.name
    names = ", ".join(repr(n.name) for n in host.virtual_networks)
    return finding(
        "HVB104",
        name,
        f"Host {name!r} has virtual networks ({names}) that a full server backup leaves "
        "out; record their configuration.",
        host=name,
    )


def _snapshot_findings(vm: VM, at: str, found: list[Finding]) -> None:
    snapshots = len(vm.snapshots)
    if snapshots:
        found.append(
            finding(
                "HVB105",
                vm.name,
                f"VM {vm.name!r} has {_plural(snapshots, 'VM snapshot')}; they are no backup.",
                host=at,
                vm=vm.name,
            )
        )


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
            yield _no_writer(host)
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
        yield _networks(host)


def _on_shared_volume(vm: VM) -> bool:
    # Only the disks of the VM's configuration are its files on the host.
    for disk in vm.disks:
        if disk.host_storage is _ON_CSV and disk.attachment is not _GUEST_ISCSI:
            return True
    return False


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _vm_level(
    host: Host,
    vm: VM,
    decision: BackupModeDecision,
    node: _Node,
    action: ClusterAction,
    *,
    moved: bool,
) -> tuple[Finding, ...]:
    # The findings are gathered in a list rather than yielded: this runs for
    # every VM, and a list is cheaper than a generator to fill and read back.
    found: list[Finding] = []
    at, name = node.name, vm.name
    wsb = node.windows_server_backup
    csv = _on_shared_volume(vm)
    snapshots = len(vm.snapshots)
    _snapshot_findings(vm, at, found)
    if wsb and csv:
        found.append(
            finding(
                "HVB106",
                name,
                f"VM {name!r} has files on a Cluster Shared Volume, which Windows Server "
                f"Backup on {at!r} does not support.",
                host=at,
                vm=name,
            )
        )
    if wsb and snapshots >= 2:
        found.append(
            finding(
                "HVB107",
                name,
                f"VM {name!r} has {snapshots} VM snapshots; Windows Server Backup does not "
                "restore such a VM.",
                host=at,
                vm=name,
            )
        )
    _disk_level(vm, node, found)
    found.extend(decision.reasons)
    if decision.causes_downtime:
        state = _STATE_TEXT[vm.state]
        found.append(
            finding(
                "HVB308",
                name,
                f"VM {name!r} is {state} and will be backed up offline: it is saved while the "
                f"backup runs (downtime), then set back to {state}.",
                host=at,
                vm=name,
            )
        )
    if vm.cluster_group is not None:
        owner = host.name
        if moved:
            found.append(_preparation("HVB502", vm, at, ClusterAction.MOVE_TO_NODE, owner))
        if action is _NOT_COVERED:
            found.append(not_covered_finding(vm, at))
        elif action is _TAKE_OFFLINE:
            found.append(_preparation("HVB502", vm, at, action, owner))
    if csv:
        found.append(
            finding(
                "HVB505",
                name,
                f"VM {name!r} has files on a Cluster Shared Volume; follow the CSV backup "
                "guidance.",
                host=at,
                vm=name,
            )
        )
    return tuple(found)


def _disk_level(vm: VM, node: _Node, found: list[Finding], *, later: bool = False) -> None:
    """Add the findings about the disks of ``vm`` to ``found``.

    ``later`` leaves out the fixes of 2008 R2 (HVB203, HVB501), for the
    profiles of Windows Server 2012 and later.
    """
    at, name = node.name, vm.name
    clustered = vm.cluster_group is not None
    for disk in vm.disks:
        attachment = disk.attachment
        if attachment is _PASS_THROUGH:
            found.append(
                finding(
                    "HVB201",
                    disk.name,
                    f"Disk {disk.name!r} of VM {name!r} is a pass-through disk; the host "
                    "backup does not hold it.",
                    host=at,
                    vm=name,
                )
            )
        elif attachment is _GUEST_ISCSI:
            found.append(
                finding(
                    "HVB202",
                    disk.name,
                    f"Disk {disk.name!r} of VM {name!r} is reached through the guest's iSCSI "
                    "initiator; the host backup does not hold it.",
                    host=at,
                    vm=name,
                )
            )
            if node.lacks_975354 and not later:
                found.append(
                    finding(
                        "HVB203",
                        disk.name,
                        f"Host {at!r} lacks KB975354, so guest iSCSI disk {disk.name!r} of VM "
                        f"{name!r} can lengthen the full server backup.",
                        host=at,
                        vm=name,
                    )
                )
        path = disk.path
        # A path on a volume mounted by GUID starts with a backslash. Case
        # folding keeps a backslash and makes none from other characters, so
        # the other paths are passed over without being case-folded.
        if (
            clustered
            and not later
            and path is not None
            and path.startswith("\\")
            and path.casefold().startswith(_GUID_VOLUME_PREFIX)
        ):
            patched = "KB958184" in node.host.installed_updates
            outcome = (
                f"only this VM is left out of the backup on {at!r}"
                if patched
                else f"the whole backup on {at!r} can fail (KB958184 is not installed)"
            )
            found.append(
                finding(
                    "HVB501",
                    disk.name,
                    f"Disk {disk.name!r} of clustered VM {name!r} is on a volume mounted by "
                    f"GUID path; {outcome}.",
                    host=at,
                    vm=name,
                    severity=Severity.WARNING if patched else Severity.ERROR,
                )
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
