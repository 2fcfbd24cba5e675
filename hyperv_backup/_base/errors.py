"""The one base class of every error this package raises on bad input."""

from __future__ import annotations

__all__ = ["HypervBackupError"]


class HypervBackupError(ValueError):
    """Base class of the errors raised for input this package cannot accept.

    It is a :class:`ValueError`, so callers that already catch ``ValueError``
    keep working; catch this class to tell this package's errors apart.
    """


# Shown where users meet it: the package's top level, not this private module.
HypervBackupError.__module__ = "hyperv_backup"
