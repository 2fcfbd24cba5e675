"""What a backup of a VM holds: the consistency of its copy, from worst to best.

The evaluation answers what tonight's host-level backup of each VM will hold
(:class:`~hyperv_backup.BackupOutcome`); a backup product's catalogue records
what each restore point holds (:class:`~hyperv_backup.model.RestorePoint`).
Both speak of it in these words, so that the two can be compared.
"""

from __future__ import annotations

import enum

from hyperv_backup._base import public_dir

__all__ = ["Consistency"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


class Consistency(enum.StrEnum):
    """What the host-level backup of a VM holds."""

    #: The guest's applications were quiesced (VSS inside a Windows guest).
    APPLICATION_CONSISTENT = "application_consistent"
    #: A Linux or FreeBSD guest froze its file systems; no application writers.
    FILE_SYSTEM_CONSISTENT = "file_system_consistent"
    #: Copied while running with no help from the guest: as after a power loss.
    CRASH_CONSISTENT = "crash_consistent"
    #: The running VM is saved for the backup (downtime) and copied saved.
    SAVED_STATE = "saved_state"
    #: The VM is off or saved; its files are copied as they are, with no downtime.
    NOT_RUNNING = "not_running"
    #: The host backup holds none of the VM's data.
    NOT_BACKED_UP = "not_backed_up"
    #: The backup application copies the running VM without Hyper-V: its guest
    #: takes no part, so the copy is not application-consistent, and no page
    #: says what it holds (whether even crash-consistent, or with downtime).
    NOT_APPLICATION_CONSISTENT = "not_application_consistent"
    #: The backup of this VM fails.
    FAILS = "fails"

    @property
    def label(self) -> str:
        """The consistency in words, as reports show it."""
        return _LABELS[self]

    @property
    def rank(self) -> int:
        """Order from worst (0) to best; ``not_running`` ranks last."""
        return _RANK[self]


_LABELS = {
    Consistency.APPLICATION_CONSISTENT: "application-consistent",
    Consistency.FILE_SYSTEM_CONSISTENT: "file-system-consistent",
    Consistency.CRASH_CONSISTENT: "crash-consistent",
    Consistency.SAVED_STATE: "saved",
    Consistency.NOT_RUNNING: "not running",
    Consistency.NOT_BACKED_UP: "not backed up",
    Consistency.NOT_APPLICATION_CONSISTENT: "not application-consistent",
    Consistency.FAILS: "fails",
}

#: The consistencies from worst to best; an outcome is the worst that applies.
#: NOT_RUNNING comes last: it is the answer when nothing else applies to a VM
#: that is not running. NOT_APPLICATION_CONSISTENT comes first: every other
#: outcome is that of a backup through Hyper-V, and a copy taken without it is
#: none of them (what Hyper-V's route would do is still listed in the reasons).
#: The walk answers NOT_BACKED_UP before it for a VM with no disk the host sees.
_RANK = {
    consistency: rank
    for rank, consistency in enumerate(
        (
            Consistency.NOT_APPLICATION_CONSISTENT,
            Consistency.FAILS,
            Consistency.NOT_BACKED_UP,
            Consistency.SAVED_STATE,
            Consistency.CRASH_CONSISTENT,
            Consistency.FILE_SYSTEM_CONSISTENT,
            Consistency.APPLICATION_CONSISTENT,
            Consistency.NOT_RUNNING,
        )
    )
}
