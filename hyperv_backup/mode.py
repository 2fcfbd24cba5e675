"""Deprecated: the old home of these names; import them from ``hyperv_backup.decide.mode``.

Kept so that code written for version 0.1 keeps working; importing it warns.
It will be removed in version 0.3.
"""

from __future__ import annotations

import warnings

from hyperv_backup.decide.mode import (
    ONLINE_CONDITIONS,
    BackupModeDecision,
    OnlineCondition,
    backup_mode,
)

__all__ = ["ONLINE_CONDITIONS", "BackupModeDecision", "OnlineCondition", "backup_mode"]

warnings.warn(
    "hyperv_backup.mode is deprecated; import from hyperv_backup.decide.mode (or from hyperv_backup)",
    DeprecationWarning,
    stacklevel=2,
)
