"""Deprecated: the old home of these names; import them from ``hyperv_backup.render.json``.

Kept so that code written for version 0.1 keeps working; importing it warns.
It will be removed in version 0.3.
"""

from __future__ import annotations

import warnings

from hyperv_backup.render.json import (
    to_dict,
)

__all__ = ["to_dict"]

warnings.warn(
    "hyperv_backup.serialize is deprecated; import from hyperv_backup.render.json (or from hyperv_backup)",
    DeprecationWarning,
    stacklevel=2,
)
