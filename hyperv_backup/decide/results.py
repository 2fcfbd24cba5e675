"""What the evaluation answers for one VM: how it is backed up, and what its copy holds.

Two views of one answer. :class:`BackupModeDecision` says whether the VM is
backed up online or offline, the guidance's own question; :class:`BackupOutcome`
says what the copy will hold (application-consistent, crash-consistent, saved,
failing, ...) under the profile of its host's release.
"""

from __future__ import annotations

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup._base.display import NotebookDisplay
from hyperv_backup.model import BackupMode, Consistency, VMState
from hyperv_backup.rules import Finding, Profile

__all__ = ["BackupModeDecision", "BackupOutcome", "Consistency"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


@attrs.frozen(kw_only=True)
class BackupModeDecision(NotebookDisplay):
    """How a VM will be backed up, and why.

    ``reasons`` holds every condition that blocks an online backup, each
    naming the disk or volume it is about (under the profiles of 2012 and
    later, every reason of the outcome). ``state_during_backup`` is the state
    the VM is in while it is backed up; ``state_after`` the state it is
    returned to.
    """

    vm: str
    mode: BackupMode
    reasons: tuple[Finding, ...]
    causes_downtime: bool
    state_during_backup: VMState
    state_after: VMState

    def __str__(self) -> str:
        """Return the VM, its mode and why: ``WEB01: offline, saved for the backup (HVB306, HVB305)``."""
        downtime = ", saved for the backup" if self.causes_downtime else ""
        return f"{self.vm}: {self.mode.value}{downtime}{_rule_ids(self.reasons)}"


@attrs.frozen(kw_only=True)
class BackupOutcome(NotebookDisplay):
    """What the host-level backup of one VM will be, and why.

    ``profile`` is the profile that answered. ``reasons`` holds every finding
    that shapes the outcome, each naming its disk, volume or setting.
    ``state_during_backup`` is the VM's state while it is backed up;
    ``state_after`` the state it is left in.

    ``incremental`` says whether the next backup can copy only what changed
    since the last one through resilient change tracking (Windows Server 2016
    and later): ``False`` with the findings that keep it from it in
    ``incremental_reasons`` (HVB907, HVB908), whatever copies the VM; ``None``
    where it is not Hyper-V's to say (an earlier release, whose backup applications track changes their
    own way if at all; no disk the host sees; a copy taken without Hyper-V) or
    the configuration version is not known. Whether a backup that cannot be
    incremental this way reads every block, or falls back to a tracking of its
    own, is the backup application's.
    """

    vm: str
    profile: Profile
    consistency: Consistency
    causes_downtime: bool
    state_during_backup: VMState
    state_after: VMState
    reasons: tuple[Finding, ...]
    incremental: bool | None = None
    incremental_reasons: tuple[Finding, ...] = ()

    def __str__(self) -> str:
        """Return the VM, what its backup will be and why: ``APP01: crash-consistent (HVB602, HVB603)``."""
        downtime = ", with downtime" if self.causes_downtime else ""
        return f"{self.vm}: {self.consistency.label}{downtime}{_rule_ids(self.reasons)}"


def _rule_ids(reasons: tuple[Finding, ...]) -> str:
    """Return `` (HVB306, HVB305)``: the rules of ``reasons``, once each, in order; or nothing."""
    ids = dict.fromkeys(reason.rule.id for reason in reasons)
    return f" ({', '.join(ids)})" if ids else ""
