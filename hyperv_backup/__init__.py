"""Hyper-V backup planning as typed, explained decisions.

Feed an inventory of a Hyper-V host or failover cluster; get back whether each
VM is backed up online or saved (and why), which disks the host backup misses,
what to do on a cluster node before a backup or a restore, and in what order.

>>> import hyperv_backup as hb
>>> cluster = hb.load_example("cluster")
>>> decision = hb.backup_mode(cluster.nodes[0].vms[0])
>>> decision.mode
<BackupMode.ONLINE: 'online'>
"""

from hyperv_backup._errors import HypervBackupError
from hyperv_backup._version import __version__
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
from hyperv_backup.mode import ONLINE_CONDITIONS, BackupModeDecision, OnlineCondition, backup_mode
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
