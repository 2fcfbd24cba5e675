"""The limits and estimates the checkpoint and space rules are given (HVB901-HVB909).

No page says how old or how many checkpoints are too many, nor how much of a
disk is written while its backup runs: these are the user's to set, and the
defaults are the project's, documented in ``docs/interpretation.md``
("Checkpoint limits and the estimate of a backup's writes"). The walk gives
them to every check through its :class:`~hyperv_backup.rules.Context`;
:func:`~hyperv_backup.check`, :func:`~hyperv_backup.backup_plan` and
:func:`~hyperv_backup.backup_outcome` take them as ``settings``, and the
command line as ``--checkpoint-age``, ``--checkpoint-count``, ``--churn`` and
``--window``.

>>> settings = HygieneSettings(checkpoint_count=5)
>>> settings.checkpoint_age.days, settings.checkpoint_count, settings.churn, settings.window
(7, 5, 1.0, 8.0)
>>> settings.written_share
8.0
>>> HygieneSettings(churn=0)
Traceback (most recent call last):
...
hyperv_backup.model.ModelError: churn: expected a percentage of a disk an hour, above 0 and at most 100, got 0
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.model import ModelError
from hyperv_backup.model._checks import shown

__all__ = ["DEFAULT_SETTINGS", "HygieneSettings"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: The longest backup window taken: a week, the longest interval the Best
#: Practices Analyzer lets pass between two backups of a VM.
_LONGEST_WINDOW = 7 * 24


def _number(value: object) -> bool:
    return type(value) in (int, float)


@attrs.frozen(kw_only=True)
class HygieneSettings:
    """The limits of the checkpoint rules and the estimate of the space rule.

    ``checkpoint_age``: a checkpoint older than this is reported (HVB901).
    ``checkpoint_count``: a VM with more checkpoints than this is reported
    (HVB902). ``churn``: the share of a virtual hard disk written in an hour
    while its backup runs, in percent; ``window``: how many hours a backup
    runs (HVB909 estimates the space of a backup's differencing disks as a
    disk's size times both, where the backup application gives no
    ``churn_percent`` of its own; a recovery checkpoint younger than the window
    may belong to a backup still running, HVB903). ``at``: the time checkpoint
    ages are measured at; ``None``: when each host's facts were collected
    (``Host.collected_at``), and a host that does not say has no ages.
    """

    checkpoint_age: timedelta = timedelta(days=7)
    checkpoint_count: int = 3
    churn: float = 1.0
    window: float = 8.0
    at: datetime | None = None

    def __attrs_post_init__(self) -> None:
        age: object = self.checkpoint_age
        if not isinstance(age, timedelta) or age <= timedelta(0):
            raise ModelError(
                "checkpoint_age", age, f"expected a duration above 0, got {shown(age)}"
            )
        count: object = self.checkpoint_count
        if type(count) is not int or count < 0:
            raise ModelError(
                "checkpoint_count",
                count,
                f"expected a number of checkpoints, 0 or more, got {shown(count)}",
            )
        churn: object = self.churn
        if not _number(churn) or not 0 < churn <= 100:  # type: ignore[operator]
            raise ModelError(
                "churn",
                churn,
                "expected a percentage of a disk an hour, above 0 and at most 100, "
                f"got {shown(churn)}",
            )
        window: object = self.window
        if not _number(window) or not 0 < window <= _LONGEST_WINDOW:  # type: ignore[operator]
            raise ModelError(
                "window",
                window,
                f"expected a number of hours above 0 and at most {_LONGEST_WINDOW}, "
                f"got {shown(window)}",
            )
        at: object = self.at
        if at is not None and not isinstance(at, datetime):
            raise ModelError("at", at, f"expected a date and time, got {shown(at)}")
        if isinstance(at, datetime) and at.tzinfo is None:
            # As the model reads times: one without a zone is UTC.
            object.__setattr__(self, "at", at.replace(tzinfo=UTC))

    @property
    def written_share(self) -> float:
        """The percentage of a disk written while its backup runs: the churn times the window."""
        return min(100.0, self.churn * self.window)


#: The settings a caller who gives none gets.
DEFAULT_SETTINGS = HygieneSettings()
