"""Hyper-V backup planning as typed, explained decisions.

Feed an inventory of a Hyper-V host or failover cluster; get back whether each
VM is backed up online or saved (and why), which disks the host backup misses,
what to do on a cluster node before a backup or a restore, and in what order.

>>> import hyperv_backup as hb
>>> cluster = hb.load_example("cluster")
>>> decision = hb.backup_mode(cluster.nodes[0].vms[0])
>>> decision.mode
<BackupMode.ONLINE: 'online'>

Names are imported from their modules on first use, so ``import hyperv_backup``
is quick and the command line loads only what its command needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hyperv_backup._base import HypervBackupError, LazyNames, use_renderers
from hyperv_backup._version import __version__

if TYPE_CHECKING:
    from hyperv_backup._base.gc import paused_collector
    from hyperv_backup.decide.checks import UncoveredStorage, check, uncovered_storage
    from hyperv_backup.decide.cluster import (
        cluster_backup_action,
        cluster_restore_action,
    )
    from hyperv_backup.decide.mode import backup_mode
    from hyperv_backup.decide.outcome import backup_outcome
    from hyperv_backup.decide.plan import Plan, backup_plan
    from hyperv_backup.decide.restore import restore_steps
    from hyperv_backup.decide.results import BackupModeDecision, BackupOutcome, Consistency
    from hyperv_backup.decide.steps import Step, StepKind, Steps
    from hyperv_backup.examples import example_names, load_example
    from hyperv_backup.inventory import (
        InventoryError,
        InventoryLimits,
        dump_inventory,
        parse_inventory,
        read_inventory,
    )
    from hyperv_backup.model import (
        VM,
        Attachment,
        Backup,
        BackupApplication,
        BackupLevel,
        BackupMode,
        Checkpoint,
        CheckpointType,
        Cluster,
        ClusterAction,
        ClusterGroup,
        Disk,
        FileSystem,
        GuestDiskType,
        GuestOS,
        Host,
        HostOS,
        HostStorage,
        ModelError,
        NetworkAdapter,
        NetworkKind,
        ReplicationRole,
        ResourceState,
        SnapshotType,
        VhdType,
        VirtualNetwork,
        VMState,
        Volume,
    )
    from hyperv_backup.render.json import to_dict
    from hyperv_backup.rules import (
        RULES,
        Finding,
        Findings,
        HygieneSettings,
        Profile,
        Rule,
        Severity,
        profile_for,
    )

__all__ = [
    "RULES",
    "VM",
    "Attachment",
    "Backup",
    "BackupApplication",
    "BackupLevel",
    "BackupMode",
    "BackupModeDecision",
    "BackupOutcome",
    "Checkpoint",
    "CheckpointType",
    "Cluster",
    "ClusterAction",
    "ClusterGroup",
    "Consistency",
    "Disk",
    "FileSystem",
    "Finding",
    "Findings",
    "GuestDiskType",
    "GuestOS",
    "Host",
    "HostOS",
    "HostStorage",
    "HygieneSettings",
    "HypervBackupError",
    "InventoryError",
    "InventoryLimits",
    "ModelError",
    "NetworkAdapter",
    "NetworkKind",
    "Plan",
    "Profile",
    "ReplicationRole",
    "ResourceState",
    "Rule",
    "Severity",
    "SnapshotType",
    "Step",
    "StepKind",
    "Steps",
    "UncoveredStorage",
    "VMState",
    "VhdType",
    "VirtualNetwork",
    "Volume",
    "__version__",
    "backup_mode",
    "backup_outcome",
    "backup_plan",
    "check",
    "cluster_backup_action",
    "cluster_restore_action",
    "dump_inventory",
    "example_names",
    "load_example",
    "parse_inventory",
    "paused_collector",
    "profile_for",
    "read_inventory",
    "restore_steps",
    "to_dict",
    "uncovered_storage",
]


#: Where each other public name lives, by module. Importing them all up front
#: would load every module (the model's attrs classes, the decision tables, the
#: inventory reader) even for a command that needs none of them.
_HOMES: dict[str, tuple[str, ...]] = {
    "_base.gc": ("paused_collector",),
    "decide.checks": ("UncoveredStorage", "check", "uncovered_storage"),
    "decide.cluster": (
        "cluster_backup_action",
        "cluster_restore_action",
    ),
    "decide.mode": ("backup_mode",),
    "decide.outcome": ("backup_outcome",),
    "decide.results": ("BackupModeDecision", "BackupOutcome", "Consistency"),
    "decide.plan": ("Plan", "backup_plan"),
    "decide.restore": ("restore_steps",),
    "decide.steps": ("Step", "StepKind", "Steps"),
    "examples": ("example_names", "load_example"),
    "inventory": (
        "InventoryError",
        "InventoryLimits",
        "dump_inventory",
        "parse_inventory",
        "read_inventory",
    ),
    "model": (
        "VM",
        "Attachment",
        "Backup",
        "BackupApplication",
        "BackupLevel",
        "BackupMode",
        "Checkpoint",
        "CheckpointType",
        "Cluster",
        "ClusterAction",
        "ClusterGroup",
        "Disk",
        "FileSystem",
        "GuestDiskType",
        "GuestOS",
        "Host",
        "HostOS",
        "HostStorage",
        "ModelError",
        "NetworkAdapter",
        "NetworkKind",
        "ReplicationRole",
        "ResourceState",
        "SnapshotType",
        "VhdType",
        "VirtualNetwork",
        "VMState",
        "Volume",
    ),
    "render.json": ("to_dict",),
    "rules": (
        "RULES",
        "Finding",
        "Findings",
        "HygieneSettings",
        "Profile",
        "Rule",
        "Severity",
        "profile_for",
    ),
}

#: The public modules and packages, reachable as attributes too (``hyperv_backup.collect``).
_SUBMODULES = (
    "cli",
    "collect",
    "decide",
    "examples",
    "inventory",
    "model",
    "readers",
    "render",
    "rules",
    "schemas",
)

_NAMES = LazyNames(__name__, globals(), _HOMES, _SUBMODULES)

#: Public name -> the module it is imported from on first use.
_LAZY = _NAMES.names


# The package root sees every layer, so it is the one place that tells the
# display hooks of the model and results (in the lowest layer) where the
# renderers are: loaded on the first display, never on import.
if TYPE_CHECKING:  # the display hooks' protocol, for the function below
    from hyperv_backup._base import Renderers


def _renderers() -> Renderers:
    from hyperv_backup.render import notebook  # noqa: PLC0415 - on the first display only

    return notebook


use_renderers(_renderers)

# For the interpreter only: type checkers read the imports above instead, and
# with a module __getattr__ in sight they would take a misspelt name for a lazy one.
if not TYPE_CHECKING:  # pragma: no branch

    def __getattr__(name: str) -> object:
        """Import a public name, or a public module, the first time it is asked for."""
        return _NAMES.load(name)


def __dir__() -> list[str]:
    """List the public names and modules too, imported or not yet."""
    return _NAMES.listing(__all__)
