"""What to do with a clustered VM before it is backed up or restored on a node.

The two tables of the source section "Considerations about clustered virtual
machines" are kept here as data: one row per line of the source (provenance
``SOURCE``) plus the rows this package adds and derives from them
(``DERIVED``). A field of ``None`` in a row matches any value. Each table is
expanded once into a dictionary, so a decision is a lookup; a combination no
row matches is ``NOT_COVERED``, never a guess.

The tables speak of "node 1", the node the backup or restore runs on; any
other owner of the VM's cluster group is "node 2".

>>> from hyperv_backup.model import VM, ClusterGroup, VMState
>>> on = ResourceState.ONLINE
>>> group = ClusterGroup(name="SQL01", owner_node="HV-NODE1", cluster_resource=on,
...                      configuration_resource=on, storage_resource=on)
>>> vm = VM(name="SQL01", state=VMState.RUNNING, cluster_group=group)
>>> cluster_backup_action(vm, "HV-NODE1")
<ClusterAction.NONE: 'none'>
>>> cluster_restore_action(vm, "hv-node2")
<ClusterAction.TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE_ON_OWNER: 'take_cluster_and_configuration_resources_offline_on_owner'>
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable, Mapping
from typing import TypeVar

import attrs

from hyperv_backup.decide.mode import backup_mode
from hyperv_backup.model import VM, BackupMode, ClusterGroup, Host, ResourceState, computer_key

__all__ = [
    "BACKUP_TABLE",
    "RESTORE_TABLE",
    "BackupRow",
    "ClusterAction",
    "Owner",
    "Provenance",
    "Resource",
    "RestoreRow",
    "action_text",
    "backup_action",
    "backup_row",
    "cluster_backup_action",
    "cluster_restore_action",
    "resources_taken_offline",
    "restore_row",
    "states_text",
]


class ClusterAction(enum.StrEnum):
    """The preparation a clustered VM needs before a backup or a restore."""

    #: The VM has no cluster group.
    NOT_CLUSTERED = "not_clustered"
    NONE = "none"
    TAKE_CLUSTER_RESOURCE_OFFLINE = "take_cluster_resource_offline"
    TAKE_CONFIGURATION_RESOURCE_OFFLINE = "take_configuration_resource_offline"
    TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE = (
        "take_cluster_and_configuration_resources_offline"
    )
    #: Another node owns the VM: it is not reported for backup on this node.
    MOVE_TO_NODE = "move_to_node"
    #: Another node owns the VM: take its resources offline there to avoid a conflict.
    TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE_ON_OWNER = (
        "take_cluster_and_configuration_resources_offline_on_owner"
    )
    #: The guidance does not cover this combination of resource states (HVB504).
    NOT_COVERED = "not_covered"


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
            msg = f"table rows overlap at {key!r}: {rows[key]!r} and {row!r}"
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


def _node_key(node: str | Host) -> str:
    return computer_key(node.name if isinstance(node, Host) else node)


def _owner(group: ClusterGroup, node_key: str) -> Owner:
    here = computer_key(group.owner_node) == node_key
    # Short names for the members: reading one from its enum class is slow in
    # Python 3.11 (the class has a ``__getattr__`` hook), and this runs for
    # every clustered VM.
    return _HERE if here else _ELSEWHERE


def _backup_row(group: ClusterGroup, node_key: str, mode: BackupMode) -> BackupRow | None:
    key = (
        _owner(group, node_key),
        group.cluster_resource,
        group.configuration_resource,
        group.storage_resource,
        mode,
    )
    return _BACKUP_INDEX.get(key)


def backup_row(vm: VM, node: str | Host, mode: BackupMode | None = None) -> BackupRow | None:
    """Return the backup-table row for ``vm`` backed up on ``node``.

    ``None`` when the VM is not clustered or no row covers its states.
    ``mode`` defaults to the one :func:`~hyperv_backup.backup_mode` decides.
    """
    group = vm.cluster_group
    if group is None:
        return None
    if mode is None:
        mode = backup_mode(vm).mode
    return _backup_row(group, _node_key(node), mode)


def backup_action(group: ClusterGroup, node_key: str, mode: BackupMode) -> ClusterAction:
    """Return what to do before backing up the VM of ``group`` in ``mode``.

    Like :func:`cluster_backup_action`, for the node whose
    :func:`~hyperv_backup.model.computer_key` is ``node_key``: a caller that
    asks about many VMs on one node works the key out once.
    """
    row = _backup_row(group, node_key, mode)
    return _NOT_COVERED if row is None else row.action


def restore_row(vm: VM, node: str | Host) -> RestoreRow | None:
    """Return the restore-table row for ``vm`` restored on ``node``.

    ``None`` when the VM is not clustered or no row covers its states.
    """
    group = vm.cluster_group
    if group is None:
        return None
    key = (
        _owner(group, _node_key(node)),
        group.cluster_resource,
        group.configuration_resource,
        group.storage_resource,
    )
    return _RESTORE_INDEX.get(key)


def cluster_backup_action(
    vm: VM, node: str | Host, mode: BackupMode | None = None
) -> ClusterAction:
    """Return what to do before backing up ``vm`` on ``node``.

    ``NOT_CLUSTERED`` for a VM with no cluster group; ``NOT_COVERED`` for
    resource states the guidance does not cover (reported as HVB504).
    """
    if vm.cluster_group is None:
        return ClusterAction.NOT_CLUSTERED
    row = backup_row(vm, node, mode)
    return ClusterAction.NOT_COVERED if row is None else row.action


def cluster_restore_action(vm: VM, node: str | Host) -> ClusterAction:
    """Return what to do before restoring ``vm`` on ``node``.

    ``NOT_CLUSTERED`` for a VM with no cluster group; ``NOT_COVERED`` for
    resource states the guidance does not cover (reported as HVB504).
    """
    if vm.cluster_group is None:
        return ClusterAction.NOT_CLUSTERED
    row = restore_row(vm, node)
    return ClusterAction.NOT_COVERED if row is None else row.action


# --- what the actions ask, in words ----------------------------------------------------

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


def states_text(vm: VM) -> str:
    """Describe the resource states of a clustered VM's group."""
    group = vm.cluster_group
    assert group is not None  # noqa: S101 - callers pass clustered VMs only
    return (
        f"cluster resource {group.cluster_resource.value}, configuration resource "
        f"{group.configuration_resource.value}, storage resource "
        f"{group.storage_resource.value}"
    )
