"""Deprecated: the old home of these names; import them from ``hyperv_backup.decide.cluster``.

Kept so that code written for version 0.1 keeps working; importing it warns.
It will be removed in version 0.3.
"""

from __future__ import annotations

import warnings

from hyperv_backup.decide.cluster import (
    BACKUP_TABLE,
    RESTORE_TABLE,
    BackupRow,
    ClusterAction,
    Owner,
    Provenance,
    Resource,
    RestoreRow,
    backup_row,
    cluster_backup_action,
    cluster_restore_action,
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

warnings.warn(
    "hyperv_backup.cluster is deprecated; import from hyperv_backup.decide.cluster (or from hyperv_backup)",
    DeprecationWarning,
    stacklevel=2,
)
