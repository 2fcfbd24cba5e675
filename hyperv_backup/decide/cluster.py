"""What to do with a clustered VM before it is backed up or restored on a node.

The two tables of the source section "Considerations about clustered virtual
machines" are data of the cluster rules (:mod:`hyperv_backup.rules.cluster`):
one row per line of the source plus the rows this package derives from them.
This module asks them for one VM, with the mode the guidance decides when the
caller gives none.

>>> from hyperv_backup.model import VM, ClusterGroup, ResourceState, VMState
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

from hyperv_backup._base import public_dir
from hyperv_backup.decide.evaluate import VMView, evaluate_vm
from hyperv_backup.decide.mode import backup_mode
from hyperv_backup.decide.targets import node_name, require_vm
from hyperv_backup.model import VM, BackupMode, Host
from hyperv_backup.rules import cluster as _tables
from hyperv_backup.rules.cluster import (
    BACKUP_TABLE,
    RESTORE_TABLE,
    BackupRow,
    ClusterAction,
    Owner,
    Provenance,
    Resource,
    RestoreRow,
    backup_action_row,
    node_key,
    resources_taken_offline,
    restore_row,
)

__all__ = [
    "BACKUP_TABLE",
    "RESTORE_TABLE",
    "BackupRow",
    "ClusterAction",
    "Owner",
    "Provenance",
    "Resource",
    "RestoreRow",
    "backup_row",
    "cluster_backup_action",
    "cluster_restore_action",
    "resources_taken_offline",
    "restore_row",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


def backup_row(vm: VM, node: str | Host, mode: BackupMode | None = None) -> BackupRow | None:
    """Return the backup-table row for ``vm`` backed up on ``node``.

    ``None`` when the VM is not clustered or no row covers its states.
    ``mode`` chooses the online or offline rows. Without it, a ``node`` given
    as a :class:`~hyperv_backup.Host` is asked as a plan asks it: the rows are
    those of the backup its release takes (a VM that keeps running takes the
    online rows); a node known by name only takes the mode
    :func:`~hyperv_backup.backup_mode` decides under the guidance.
    """
    group = vm.cluster_group
    if group is None:
        return None
    if mode is None:
        mode = _on_node(vm, node).row_mode if isinstance(node, Host) else backup_mode(vm).mode
    return backup_action_row(group, node_key(node), mode)


def _on_node(vm: VM, node: Host) -> VMView:
    """Return the evaluation of clustered ``vm`` backed up on ``node``, listed by its owner."""
    group = vm.cluster_group
    assert group is not None  # noqa: S101 - asked of clustered VMs only
    # Only the owner's name counts in the tables; it runs the node's release.
    owner = Host(name=group.owner_node, os=node.os)
    return evaluate_vm(vm, owner, at=node)


def cluster_backup_action(
    vm: VM, node: str | Host, mode: BackupMode | None = None
) -> ClusterAction:
    """Return what to do before backing up ``vm`` on ``node``.

    ``NOT_CLUSTERED`` for a VM with no cluster group; ``NOT_COVERED`` for
    resource states the guidance does not cover (reported as HVB504). ``mode``
    chooses the rows of the table as :func:`backup_row` says.
    ``vm`` must be a :class:`~hyperv_backup.VM` and ``node`` a host or a
    host's name, or :class:`TypeError` says which was not.
    """
    require_vm("cluster_backup_action", vm)
    node_name(node)
    if vm.cluster_group is None:
        return ClusterAction.NOT_CLUSTERED
    row = backup_row(vm, node, mode)
    return ClusterAction.NOT_COVERED if row is None else row.action


def cluster_restore_action(vm: VM, node: str | Host) -> ClusterAction:
    """Return what to do before restoring ``vm`` on ``node``.

    ``NOT_CLUSTERED`` for a VM with no cluster group; ``NOT_COVERED`` for
    resource states the guidance does not cover (reported as HVB504). The
    arguments are checked as :func:`cluster_backup_action` checks them.
    """
    require_vm("cluster_restore_action", vm)
    node_name(node)
    return _tables.cluster_restore_action(vm, node)
