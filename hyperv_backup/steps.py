"""Deprecated: the old home of plans and restore steps; import them from ``hyperv_backup``.

They now live in :mod:`hyperv_backup.decide.steps`, :mod:`hyperv_backup.decide.plan`
and :mod:`hyperv_backup.decide.restore`. Kept so that code written for version
0.1 keeps working; importing it warns. It will be removed in version 0.3.
"""

from __future__ import annotations

import warnings

from hyperv_backup.decide.plan import Plan, backup_plan
from hyperv_backup.decide.restore import latest_host_backup, restore_steps
from hyperv_backup.decide.steps import Step, StepKind, Steps

__all__ = [
    "Plan",
    "Step",
    "StepKind",
    "Steps",
    "backup_plan",
    "latest_host_backup",
    "restore_steps",
]

warnings.warn(
    "hyperv_backup.steps is deprecated; import from hyperv_backup (or hyperv_backup.decide)",
    DeprecationWarning,
    stacklevel=2,
)
