"""Deprecated: the old home of these names; import them from ``hyperv_backup.render.notebook``.

Kept so that code written for version 0.1 keeps working; importing it warns.
It will be removed in version 0.3.
"""

from __future__ import annotations

import warnings

from hyperv_backup.render.notebook import (
    to_html,
    to_markdown,
)

__all__ = ["to_html", "to_markdown"]

warnings.warn(
    "hyperv_backup.display is deprecated; import from hyperv_backup.render.notebook (or from hyperv_backup)",
    DeprecationWarning,
    stacklevel=2,
)
