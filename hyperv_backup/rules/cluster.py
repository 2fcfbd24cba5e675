"""Failover clusters (HVB5xx): the guidance's two cluster tables, and the rules they give.

The tables of the source section "Considerations about clustered virtual
machines" are kept here as data: one row per line of the source (provenance
``SOURCE``) plus the rows this package adds and derives from them
(``DERIVED``). A field of ``None`` in a row matches any value. Each table is
expanded once into a dictionary, so a decision is a lookup; a combination no
row matches is ``NOT_COVERED``, never a guess. The tables speak of "node 1",
the node the backup or restore runs on; any other owner of the VM's cluster
group is "node 2".

The evaluation asks the backup table what a node must do before each
clustered VM is backed up; the checks of HVB502 and HVB504 say so. The
restore table gives the steps of :func:`~hyperv_backup.restore_steps`.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable, Mapping
from typing import TypeVar

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup._base.quoting import quoted
from hyperv_backup.model import (
    VM,
    BackupMode,
    ClusterAction,
    ClusterGroup,
    Disk,
    Host,
    ResourceState,
    computer_key,
)
from hyperv_backup.rules import pages
from hyperv_backup.rules.check import (
    LEVEL_2016,
    Check,
    CheckResult,
    Context,
    Effect,
    Phase,
    Scope,
)
from hyperv_backup.rules.pages import GUIDANCE, HYPERV_WHATS_NEW, WMI_BACKUP
from hyperv_backup.rules.profiles import ALL_PROFILES, Profile
from hyperv_backup.rules.rule import Finding, Rule, Severity, finding
from hyperv_backup.rules.source import Claim, Source

__all__ = [
    "BACKUP_PREPARATION",
    "BACKUP_TABLE",
    "CLUSTER_CHECKS",
    "CLUSTER_LEVEL",
    "CLUSTER_RULES",
    "CSV_GUIDANCE",
    "GUID_PATH_VOLUME",
    "RESTORE_CLUSTERED",
    "RESTORE_PREPARATION",
    "RESTORE_TABLE",
    "STATES_NOT_COVERED",
    "BackupRow",
    "ClusterAction",
    "Owner",
    "Provenance",
    "Resource",
    "RestoreRow",
    "action_text",
    "backup_action",
    "backup_action_row",
    "cluster_restore_action",
    "node_key",
    "not_covered_finding",
    "resources_taken_offline",
    "restore_row",
    "states_text",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


#: What each cluster action asks, as the tail of a sentence about one VM.
_ACTION_TEXT = {
    ClusterAction.TAKE_CLUSTER_RESOURCE_OFFLINE: "put its cluster resource offline through "
    "the Cluster service",
    ClusterAction.MOVE_TO_NODE: "move it from {owner} to {node} first, since only the "
    "owning node reports it for backup",
    ClusterAction.TAKE_CONFIGURATION_RESOURCE_OFFLINE: "put its configuration resource offline",
    ClusterAction.TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE: "put its cluster and "
    "configuration resources offline",
    ClusterAction.TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE_ON_OWNER: "put its cluster "
    "and configuration resources offline on {owner}, which owns it, so that two nodes do "
    "not both hold it",
}


def action_text(action: ClusterAction, owner: str, node: str) -> str:
    """Say what ``action`` asks of a VM owned by ``owner``, for work on ``node``."""
    return _ACTION_TEXT[action].format(owner=quoted(owner), node=quoted(node))


def states_text(vm: VM) -> str:
    """Describe the resource states of a clustered VM's group."""
    group = vm.cluster_group
    assert group is not None  # noqa: S101 - callers pass clustered VMs only
    return (
        f"cluster resource {group.cluster_resource.value}, configuration resource "
        f"{group.configuration_resource.value}, storage resource "
        f"{group.storage_resource.value}"
    )


# --- the tables of "Considerations about clustered virtual machines" ----------------


class Owner(enum.StrEnum):
    """Where the VM's cluster group is, seen from the node the work runs on."""

    THIS_NODE = "this_node"
    OTHER_NODE = "other_node"


class Provenance(enum.StrEnum):
    """Where a table row comes from."""

    #: A row of the source guidance's table.
    SOURCE = "source"
    #: A row this package adds, derived from the source rows (its note says how).
    DERIVED = "derived"


class Resource(enum.StrEnum):
    """The three cluster resources of a clustered VM that the tables look at."""

    CLUSTER = "cluster_resource"
    CONFIGURATION = "configuration_resource"
    STORAGE = "storage_resource"


@attrs.frozen(kw_only=True)
class BackupRow:
    """A row of the backup table; ``None`` in a state or mode matches anything."""

    owner: Owner
    cluster_resource: ResourceState | None
    configuration_resource: ResourceState | None
    storage_resource: ResourceState | None
    mode: BackupMode | None
    action: ClusterAction
    provenance: Provenance
    note: str = ""


@attrs.frozen(kw_only=True)
class RestoreRow:
    """A row of the restore table; ``None`` in a state matches anything."""

    owner: Owner
    cluster_resource: ResourceState | None
    configuration_resource: ResourceState | None
    storage_resource: ResourceState | None
    action: ClusterAction
    provenance: Provenance
    note: str = ""


_ON, _OFF = ResourceState.ONLINE, ResourceState.OFFLINE
_HERE, _ELSEWHERE = Owner.THIS_NODE, Owner.OTHER_NODE
_NOT_COVERED = ClusterAction.NOT_COVERED
_SOURCE, _DERIVED = Provenance.SOURCE, Provenance.DERIVED

#: The backup table, in the order of the source.
BACKUP_TABLE: tuple[BackupRow, ...] = (
    BackupRow(
        owner=_HERE, cluster_resource=_ON, configuration_resource=_ON, storage_resource=_ON,
        mode=BackupMode.ONLINE, action=ClusterAction.NONE, provenance=_SOURCE,
    ),
    BackupRow(
        owner=_HERE, cluster_resource=_ON, configuration_resource=_ON, storage_resource=_ON,
        mode=BackupMode.OFFLINE, action=ClusterAction.TAKE_CLUSTER_RESOURCE_OFFLINE,
        provenance=_SOURCE,
        note="Through the Cluster service. The source names an offline backup due to the "
        "VM's storage configuration; any offline backup matches, since the cluster resource "
        "is online either way.",
    ),
    BackupRow(
        owner=_HERE, cluster_resource=_OFF, configuration_resource=_OFF, storage_resource=_ON,
        mode=None, action=ClusterAction.NONE, provenance=_SOURCE,
        note="The source lists this row for an offline backup, the only kind a VM whose "
        "cluster resource is offline can have.",
    ),
    BackupRow(
        owner=_HERE, cluster_resource=_OFF, configuration_resource=_ON, storage_resource=_ON,
        mode=None, action=ClusterAction.NONE, provenance=_SOURCE,
        note="The source lists this row for an offline backup, the only kind a VM whose "
        "cluster resource is offline can have.",
    ),
    BackupRow(
        owner=_ELSEWHERE, cluster_resource=None, configuration_resource=None,
        storage_resource=None, mode=None, action=ClusterAction.MOVE_TO_NODE,
        provenance=_SOURCE,
        note="The VM is not reported for backup on this node.",
    ),
)  # fmt: skip

#: The restore table, in the order of the source.
RESTORE_TABLE: tuple[RestoreRow, ...] = (
    RestoreRow(
        owner=_HERE, cluster_resource=_ON, configuration_resource=_ON, storage_resource=_ON,
        action=ClusterAction.TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE,
        provenance=_SOURCE,
    ),
    RestoreRow(
        owner=_HERE, cluster_resource=_OFF, configuration_resource=_ON, storage_resource=_ON,
        action=ClusterAction.TAKE_CONFIGURATION_RESOURCE_OFFLINE, provenance=_SOURCE,
    ),
    RestoreRow(
        owner=_HERE, cluster_resource=_OFF, configuration_resource=_OFF, storage_resource=_OFF,
        action=ClusterAction.NONE, provenance=_SOURCE,
    ),
    RestoreRow(
        owner=_HERE, cluster_resource=_OFF, configuration_resource=_OFF, storage_resource=_ON,
        action=ClusterAction.NONE, provenance=_DERIVED,
        note="The state the two rows above lead to once their action is carried out.",
    ),
    RestoreRow(
        owner=_ELSEWHERE, cluster_resource=None, configuration_resource=None,
        storage_resource=None,
        action=ClusterAction.TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE_ON_OWNER,
        provenance=_SOURCE,
        note="On the owning node, so that two nodes do not both hold the VM.",
    ),
)  # fmt: skip

_K = TypeVar("_K")
_R = TypeVar("_R")


def _index(entries: Iterable[tuple[_K, _R]]) -> dict[_K, _R]:
    """Expand rows into a dictionary of every combination they match."""
    rows: dict[_K, _R] = {}
    for key, row in entries:
        if key in rows:
            # Two rows for one situation would make the answer depend on row order.
            msg = f"table rows overlap at {quoted(key)}: {quoted(rows[key])} and {quoted(row)}"
            raise ValueError(msg)
        rows[key] = row
    return rows


def _choices(value: _K | None, every: Iterable[_K]) -> tuple[_K, ...]:
    return tuple(every) if value is None else (value,)


_BackupKey = tuple[Owner, ResourceState, ResourceState, ResourceState, BackupMode]
_RestoreKey = tuple[Owner, ResourceState, ResourceState, ResourceState]


def _backup_index(rows: Iterable[BackupRow]) -> dict[_BackupKey, BackupRow]:
    return _index(
        (key, row)
        for row in rows
        for key in itertools.product(
            (row.owner,),
            _choices(row.cluster_resource, ResourceState),
            _choices(row.configuration_resource, ResourceState),
            _choices(row.storage_resource, ResourceState),
            _choices(row.mode, BackupMode),
        )
    )


def _restore_index(rows: Iterable[RestoreRow]) -> dict[_RestoreKey, RestoreRow]:
    return _index(
        (key, row)
        for row in rows
        for key in itertools.product(
            (row.owner,),
            _choices(row.cluster_resource, ResourceState),
            _choices(row.configuration_resource, ResourceState),
            _choices(row.storage_resource, ResourceState),
        )
    )


_BACKUP_INDEX = _backup_index(BACKUP_TABLE)
_RESTORE_INDEX = _restore_index(RESTORE_TABLE)

#: The resources each action takes offline.
_TAKES_OFFLINE: Mapping[ClusterAction, tuple[Resource, ...]] = {
    ClusterAction.TAKE_CLUSTER_RESOURCE_OFFLINE: (Resource.CLUSTER,),
    ClusterAction.TAKE_CONFIGURATION_RESOURCE_OFFLINE: (Resource.CONFIGURATION,),
    ClusterAction.TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE: (
        Resource.CLUSTER,
        Resource.CONFIGURATION,
    ),
    ClusterAction.TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE_ON_OWNER: (
        Resource.CLUSTER,
        Resource.CONFIGURATION,
    ),
}


def resources_taken_offline(action: ClusterAction) -> tuple[Resource, ...]:
    """Return the resources ``action`` takes offline (none for the other actions).

    >>> resources_taken_offline(ClusterAction.TAKE_CONFIGURATION_RESOURCE_OFFLINE)
    (<Resource.CONFIGURATION: 'configuration_resource'>,)
    """
    return _TAKES_OFFLINE.get(action, ())


def node_key(node: str | Host) -> str:
    """Return the key of ``node``, a host or a host's name, as the tables compare it."""
    return computer_key(node.name if isinstance(node, Host) else node)


def _owner(group: ClusterGroup, node_key: str) -> Owner:
    here = computer_key(group.owner_node) == node_key
    # Short names for the members: reading one from its enum class is slow in
    # Python 3.11 (the class has a ``__getattr__`` hook), and this runs for
    # every clustered VM.
    return _HERE if here else _ELSEWHERE


def backup_action_row(group: ClusterGroup, node_key: str, mode: BackupMode) -> BackupRow | None:
    """Return the backup-table row for ``group`` on the node of ``node_key``, or ``None``."""
    key = (
        _owner(group, node_key),
        group.cluster_resource,
        group.configuration_resource,
        group.storage_resource,
        mode,
    )
    return _BACKUP_INDEX.get(key)


def backup_action(group: ClusterGroup, node_key: str, mode: BackupMode) -> ClusterAction:
    """Return what to do before backing up the VM of ``group`` in ``mode``.

    Like :func:`cluster_backup_action`, for the node whose
    :func:`~hyperv_backup.model.computer_key` is ``node_key``: a caller that
    asks about many VMs on one node works the key out once.
    """
    row = backup_action_row(group, node_key, mode)
    return _NOT_COVERED if row is None else row.action


def restore_row(vm: VM, node: str | Host) -> RestoreRow | None:
    """Return the restore-table row for ``vm`` restored on ``node``.

    ``None`` when the VM is not clustered or no row covers its states.
    """
    group = vm.cluster_group
    if group is None:
        return None
    key = (
        _owner(group, node_key(node)),
        group.cluster_resource,
        group.configuration_resource,
        group.storage_resource,
    )
    return _RESTORE_INDEX.get(key)


def cluster_restore_action(vm: VM, node: str | Host) -> ClusterAction:
    """Return what to do before restoring ``vm`` on ``node``.

    ``NOT_CLUSTERED`` for a VM with no cluster group; ``NOT_COVERED`` for
    resource states the guidance does not cover (reported as HVB504).
    """
    if vm.cluster_group is None:
        return ClusterAction.NOT_CLUSTERED
    row = restore_row(vm, node)
    return ClusterAction.NOT_COVERED if row is None else row.action


#: The prefix of a volume mounted by GUID path rather than a drive letter or folder.
_GUID_VOLUME_PREFIX = "\\\\?\\volume{"


#: HVB501.
GUID_PATH_VOLUME = Rule(
    id="HVB501",
    title="Clustered VM on a volume mounted by GUID path",
    severity=Severity.ERROR,
    profiles=frozenset({Profile.WS2008}),
    source=Source(page=GUIDANCE, heading=pages.CLUSTER),
    description=(
        "A clustered VM uses a volume mounted by a GUID path. Without KB958184 the whole "
        "backup on the node can fail; with it, only this VM is left out of the backup."
    ),
    remedy=(
        "Install KB958184 on every node, and mount the volume at a drive letter or "
        "folder so that the VM is backed up."
    ),
    severity_note="warning where KB958184 is installed",
)


def _on_guid_path(disk: Disk, ctx: Context) -> bool:
    path = disk.path
    # A path on a volume mounted by GUID starts with a backslash. Case folding
    # keeps a backslash and makes none from other characters, so the other
    # paths are passed over without being case-folded.
    return (
        ctx.vm.cluster_group is not None
        and path is not None
        and path.startswith("\\")
        and path.casefold().startswith(_GUID_VOLUME_PREFIX)
    )


def _guid_path(disk: Disk, ctx: Context) -> CheckResult:
    if not _on_guid_path(disk, ctx):
        return None
    if "KB958184" in ctx.node.installed_updates:
        return ctx.finding(
            GUID_PATH_VOLUME,
            disk.name,
            f"Disk {quoted(disk.name)} of clustered VM {quoted(ctx.name)} is on a volume mounted by GUID "
            f"path; only this VM is left out of the backup on {quoted(ctx.at)}.",
            Severity.WARNING,
        )
    return ctx.finding(
        GUID_PATH_VOLUME,
        disk.name,
        f"Disk {quoted(disk.name)} of clustered VM {quoted(ctx.name)} is on a volume mounted by GUID path; "
        f"the whole backup on {quoted(ctx.at)} can fail (KB958184 is not installed).",
    )


#: HVB502.
BACKUP_PREPARATION = Rule(
    id="HVB502",
    title="Cluster preparation before the backup",
    severity=Severity.WARNING,
    profiles=ALL_PROFILES,
    source=Source(page=GUIDANCE, heading=pages.CLUSTER),
    description=(
        "The cluster backup table asks for an action before this VM is backed up on "
        "this node (take its cluster resource offline, or move it here)."
    ),
    remedy="Carry out the preparation step, and undo it after the backup.",
)


def _preparation(ctx: Context, action: ClusterAction) -> CheckResult:
    return ctx.finding(
        BACKUP_PREPARATION,
        ctx.vm.name,
        f"Before clustered VM {quoted(ctx.name)} is backed up on {quoted(ctx.at)}, "
        f"{action_text(action, ctx.host.name, ctx.at)}.",
    )


def _moved(group: ClusterGroup, ctx: Context) -> CheckResult:
    return _preparation(ctx, ClusterAction.MOVE_TO_NODE) if ctx.moved else None


def _taken_offline(group: ClusterGroup, ctx: Context) -> CheckResult:
    action = ClusterAction.TAKE_CLUSTER_RESOURCE_OFFLINE
    return _preparation(ctx, action) if ctx.action is action else None


#: HVB503.
RESTORE_PREPARATION = Rule(
    id="HVB503",
    title="Cluster preparation before the restore",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2008}),
    source=Source(page=GUIDANCE, heading=pages.CLUSTER),
    description=(
        "The cluster restore table asks for resources to be taken offline before this VM "
        "is restored on this node."
    ),
    remedy="Take the named cluster resources offline before the restore.",
)


#: HVB504.
STATES_NOT_COVERED = Rule(
    id="HVB504",
    title="Cluster resource states not covered by the guidance",
    severity=Severity.ERROR,
    profiles=ALL_PROFILES,
    source=Source(page=GUIDANCE, heading=pages.CLUSTER),
    description=(
        "The VM's cluster, configuration and storage resources are in a combination of "
        "states that the guidance's tables do not cover, so no safe preparation is known."
    ),
    remedy=("Bring the resources into a covered state (for example all online) and plan again."),
)


def not_covered_finding(vm: VM, node: str) -> Finding:
    """Return HVB504 for ``vm``, whose resource states the tables do not cover, on ``node``."""
    return finding(
        STATES_NOT_COVERED,
        vm.name,
        f"Clustered VM {quoted(vm.name)} on {quoted(node)} has {states_text(vm)}, a combination the "
        "guidance does not cover.",
        host=node,
        vm=vm.name,
    )


def _not_covered(group: ClusterGroup, ctx: Context) -> CheckResult:
    if ctx.action is not ClusterAction.NOT_COVERED:
        return None
    return not_covered_finding(ctx.vm, ctx.at)


#: HVB505.
CSV_GUIDANCE = Rule(
    id="HVB505",
    title="VM on a Cluster Shared Volume",
    severity=Severity.INFO,
    profiles=frozenset({Profile.WS2008}),
    source=Source(page=GUIDANCE, heading=pages.CLUSTER),
    description=(
        "Files of the VM live on a Cluster Shared Volume, which has its own backup considerations."
    ),
    remedy=(
        "Plan this VM's backup with Microsoft's separate Cluster Shared Volume guidance "
        "for Windows Server 2008 R2 failover clusters."
    ),
)


def _csv_guidance(vm: VM, ctx: Context) -> CheckResult:
    if not ctx.csv:
        return None
    return ctx.finding(
        CSV_GUIDANCE,
        vm.name,
        f"VM {quoted(vm.name)} has files on a Cluster Shared Volume; follow the CSV backup guidance.",
    )


#: HVB506.
RESTORE_CLUSTERED = Rule(
    id="HVB506",
    title="Clustered VM: the cluster before a restore",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2012, Profile.WS2016}),
    source=Source(page=WMI_BACKUP, heading="Failover clustering and Hyper-V VSS"),
    description=(
        "The VM to be restored is clustered. The Hyper-V VSS writer takes no account of "
        "failover clustering: every restore through it deletes the VM, which the cluster "
        "would see as a failure and fail over, so the VM's cluster resources are taken "
        "offline first (which ones, and on which node, as the guidance's restore table "
        "says). A backup application that recovers clustered VMs itself may do that for you: "
        "System Center DPM's recovery to the original instance keeps the VM highly "
        "available when its cluster group still exists, and a VM it recovers to another "
        "host is not highly available until it is added to the cluster again ('Recover "
        "backed up virtual machines')."
    ),
    remedy=(
        "Take the named resources offline before a restore through the Hyper-V VSS writer, "
        "or follow the backup application's recovery of clustered VMs; make the VM highly "
        "available again if it comes back outside the cluster."
    ),
)


#: HVB507.
CLUSTER_LEVEL = Rule(
    id="HVB507",
    title="Node of 2016 or later in a cluster at the Windows Server 2012 R2 level",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2016}),
    source=Source(
        page=HYPERV_WHATS_NEW,
        heading="Rolling Hyper-V Cluster upgrade (new)",
        claim=Claim.INFERRED,
        inference=(
            "The page says a cluster with Windows Server 2012 R2 nodes, or not yet raised "
            "with Update-ClusterFunctionalLevel, runs at the 2012 R2 feature level; the "
            "backup features of 2016 (the WMI backup API, production checkpoints of "
            "configuration version 6.2, resilient change tracking) are read as among the "
            "features it does not have."
        ),
        anchor="hvb507",
    ),
    description=(
        "The node runs Windows Server 2016 or later in a cluster that still runs at the "
        "Windows Server 2012 R2 level: a node runs 2012 R2, or the cluster functional "
        "level was not raised. Until every node runs 2016 or later and the level is raised, "
        "the cluster has the features of 2012 R2 only, and its VMs cannot have their "
        "configuration version upgraded: the backups of 2016 (through the WMI API, with "
        "production checkpoints and resilient change tracking) are read as not available, "
        "and the node is answered for the rest as a 2016 node."
    ),
    remedy=(
        "Finish the rolling upgrade: upgrade every node, run Update-ClusterFunctionalLevel, "
        "then upgrade the VMs' configuration versions (Update-VMVersion)."
    ),
)


def _below_level(host: Host, ctx: Context) -> CheckResult:
    # A node of an earlier release answered by the 2016 profile is no node of
    # 2016 or later: its cluster's level holds for its VMs all the same.
    if not ctx.below_2016_level or ctx.release.backs_up_through_vss_writer_only:
        return None
    cluster = ctx.cluster
    assert cluster is not None  # noqa: S101 - a level below 2016 is a cluster's
    level = cluster.functional_level
    why = (
        f"its functional level is {level}"
        if level is not None and level < LEVEL_2016
        else "a node still runs an earlier release"
    )
    return ctx.finding(
        CLUSTER_LEVEL,
        host.name,
        f"Node {quoted(host.name)} runs a release of 2016 or later, but cluster {quoted(cluster.name)} "
        f"runs at the Windows Server 2012 R2 level ({why}): its backups are read as having "
        "the features of 2012 R2 only.",
    )


#: The rules of this family, in ID order.
CLUSTER_RULES: tuple[Rule, ...] = (
    GUID_PATH_VOLUME,
    BACKUP_PREPARATION,
    RESTORE_PREPARATION,
    STATES_NOT_COVERED,
    CSV_GUIDANCE,
    RESTORE_CLUSTERED,
    CLUSTER_LEVEL,
)


#: When the rules of this family fire, in the order their findings are listed.
CLUSTER_CHECKS: tuple[Check, ...] = (
    Check(
        rule=CLUSTER_LEVEL,
        scope=Scope.HOST,
        phase=Phase.HOST,
        effect=Effect.NONE,
        findings=_below_level,
    ),
    Check(
        rule=GUID_PATH_VOLUME,
        scope=Scope.DISK,
        phase=Phase.DISKS,
        effect=Effect.NONE,
        findings=_guid_path,
    ),
    Check(
        rule=BACKUP_PREPARATION,
        scope=Scope.CLUSTER_GROUP,
        phase=Phase.CLUSTER,
        effect=Effect.NONE,
        findings=_moved,
    ),
    Check(
        rule=STATES_NOT_COVERED,
        scope=Scope.CLUSTER_GROUP,
        phase=Phase.CLUSTER,
        effect=Effect.NONE,
        findings=_not_covered,
    ),
    Check(
        rule=BACKUP_PREPARATION,
        scope=Scope.CLUSTER_GROUP,
        phase=Phase.CLUSTER,
        effect=Effect.NONE,
        findings=_taken_offline,
    ),
    Check(
        rule=CSV_GUIDANCE,
        scope=Scope.VM,
        phase=Phase.CLUSTER,
        effect=Effect.NONE,
        findings=_csv_guidance,
    ),
)
