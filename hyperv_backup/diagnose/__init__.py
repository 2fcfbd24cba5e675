"""Diagnosis: why a backup failed or was degraded, from what the host recorded.

:func:`diagnose` reads the events of exported logs (see
:mod:`hyperv_backup.readers`) and a ``vssadmin list writers`` listing, and
matches them against the signature catalogue of the HVB7xx rules.
"""

from __future__ import annotations

from hyperv_backup._base import public_dir
from hyperv_backup.diagnose.diagnosis import Diagnosis, LogFinding, diagnose, is_backup_log

__all__ = ["Diagnosis", "LogFinding", "diagnose", "is_backup_log"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)
