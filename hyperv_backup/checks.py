"""Deprecated: the old home of these names; import them from ``hyperv_backup.decide.checks``.

Kept so that code written for version 0.1 keeps working; importing it warns.
It will be removed in version 0.3.
"""

from __future__ import annotations

import warnings

from hyperv_backup.decide.checks import (
    UncoveredStorage,
    check,
    uncovered_storage,
)
from hyperv_backup.model import hosts_of

__all__ = ["UncoveredStorage", "check", "hosts_of", "uncovered_storage"]

warnings.warn(
    "hyperv_backup.checks is deprecated; import from hyperv_backup.decide.checks (or from hyperv_backup)",
    DeprecationWarning,
    stacklevel=2,
)
