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

import importlib
from typing import TYPE_CHECKING

from hyperv_backup._errors import HypervBackupError
from hyperv_backup._version import __version__

if TYPE_CHECKING:
    from hyperv_backup.checks import UncoveredStorage, check, uncovered_storage
    from hyperv_backup.cluster import (
        BACKUP_TABLE,
        RESTORE_TABLE,
        BackupRow,
        ClusterAction,
        Owner,
        Provenance,
        RestoreRow,
        cluster_backup_action,
        cluster_restore_action,
    )
    from hyperv_backup.examples import example_names, load_example
    from hyperv_backup.inventory import (
        InventoryError,
        InventoryLimits,
        Problem,
        dump_inventory,
        parse_inventory,
        read_inventory,
    )
    from hyperv_backup.mode import (
        ONLINE_CONDITIONS,
        BackupModeDecision,
        OnlineCondition,
        backup_mode,
    )
    from hyperv_backup.model import (
        VM,
        Attachment,
        Backup,
        BackupApplication,
        BackupLevel,
        BackupMode,
        Cluster,
        ClusterGroup,
        Disk,
        FileSystem,
        GuestDiskType,
        Host,
        HostOS,
        HostStorage,
        ModelError,
        NetworkAdapter,
        NetworkKind,
        ResourceState,
        VhdType,
        VirtualNetwork,
        VMState,
        Volume,
    )
    from hyperv_backup.rules import RULES, Finding, Findings, Rule, Severity
    from hyperv_backup.serialize import to_dict
    from hyperv_backup.steps import Plan, Step, StepKind, Steps, backup_plan, restore_steps

__all__ = [
    "BACKUP_TABLE",
    "ONLINE_CONDITIONS",
    "RESTORE_TABLE",
    "RULES",
    "VM",
    "Attachment",
    "Backup",
    "BackupApplication",
    "BackupLevel",
    "BackupMode",
    "BackupModeDecision",
    "BackupRow",
    "Cluster",
    "ClusterAction",
    "ClusterGroup",
    "Disk",
    "FileSystem",
    "Finding",
    "Findings",
    "GuestDiskType",
    "Host",
    "HostOS",
    "HostStorage",
    "HypervBackupError",
    "InventoryError",
    "InventoryLimits",
    "ModelError",
    "NetworkAdapter",
    "NetworkKind",
    "OnlineCondition",
    "Owner",
    "Plan",
    "Problem",
    "Provenance",
    "ResourceState",
    "RestoreRow",
    "Rule",
    "Severity",
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
    "backup_plan",
    "check",
    "cluster_backup_action",
    "cluster_restore_action",
    "dump_inventory",
    "example_names",
    "load_example",
    "parse_inventory",
    "read_inventory",
    "restore_steps",
    "to_dict",
    "uncovered_storage",
]


#: Where each other public name lives, by module. Importing them all up front
#: would load every module (the model's attrs classes, the decision tables, the
#: inventory reader) even for a command that needs none of them.
_HOMES: dict[str, tuple[str, ...]] = {
    "checks": ("UncoveredStorage", "check", "uncovered_storage"),
    "cluster": (
        "BACKUP_TABLE",
        "RESTORE_TABLE",
        "BackupRow",
        "ClusterAction",
        "Owner",
        "Provenance",
        "RestoreRow",
        "cluster_backup_action",
        "cluster_restore_action",
    ),
    "examples": ("example_names", "load_example"),
    "inventory": (
        "InventoryError",
        "InventoryLimits",
        "Problem",
        "dump_inventory",
        "parse_inventory",
        "read_inventory",
    ),
    "mode": ("ONLINE_CONDITIONS", "BackupModeDecision", "OnlineCondition", "backup_mode"),
    "model": (
        "VM",
        "Attachment",
        "Backup",
        "BackupApplication",
        "BackupLevel",
        "BackupMode",
        "Cluster",
        "ClusterGroup",
        "Disk",
        "FileSystem",
        "GuestDiskType",
        "Host",
        "HostOS",
        "HostStorage",
        "ModelError",
        "NetworkAdapter",
        "NetworkKind",
        "ResourceState",
        "VhdType",
        "VirtualNetwork",
        "VMState",
        "Volume",
    ),
    "rules": ("RULES", "Finding", "Findings", "Rule", "Severity"),
    "serialize": ("to_dict",),
    "steps": ("Plan", "Step", "StepKind", "Steps", "backup_plan", "restore_steps"),
}

#: Public name -> the module it is imported from on first use.
_LAZY = {name: module for module, names in _HOMES.items() for name in names}

#: The public modules, reachable as attributes too (``hyperv_backup.collect``).
_SUBMODULES = frozenset(
    {
        "checks",
        "cli",
        "cluster",
        "collect",
        "display",
        "examples",
        "inventory",
        "mode",
        "model",
        "readers",
        "render",
        "rules",
        "schemas",
        "serialize",
        "steps",
    }
)

# For the interpreter only: type checkers read the imports above instead, and
# with a module __getattr__ in sight they would take a misspelt name for a lazy one.
if not TYPE_CHECKING:  # pragma: no branch

    def __getattr__(name: str) -> object:
        """Import a public name, or a public module, the first time it is asked for."""
        module = _LAZY.get(name)
        if module is not None:
            value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        elif name in _SUBMODULES:
            value = importlib.import_module(f"{__name__}.{name}")
        else:
            msg = f"module {__name__!r} has no attribute {name!r}"
            raise AttributeError(msg)
        globals()[name] = value  # later look-ups find it without coming here
        return value


def __dir__() -> list[str]:
    """List the public names and modules too, imported or not yet."""
    return sorted({*globals(), *__all__, *_SUBMODULES})
