"""What the host-level backup of a VM will be, under the profile of its host's release.

:func:`backup_outcome` answers for every profile. For the 2008 profile it
restates :func:`~hyperv_backup.backup_mode` (online is application-consistent,
offline saves a running VM); for the later profiles it follows Microsoft's
documentation of Windows Server 2012 and later (rules HVB6xx):

* Windows Server 2012 still saves a VM that cannot be backed up online, as
  2008 R2 does, but accepts ReFS volumes, and cannot back up a Linux guest
  online (HVB601).
* From Windows Server 2012 R2 on, a running VM keeps running. Its copy is
  application-consistent when the guest takes part (Windows: its Volume Shadow
  Copy Service), file-system-consistent for a Linux or FreeBSD guest whose VSS
  daemon freezes its file systems (HVB604), and crash-consistent otherwise
  (HVB602, HVB605); a VM that allows production checkpoints only may then
  fail its backup (HVB603, 2016 and later, a warning that leaves the
  outcome as it is).
* Whatever the guest, some facts make the backup fail (HVB606, HVB608, HVB609,
  HVB611, HVB612 on 2012 R2, HVB613, HVB618), leave it with no data
  (HVB620) or crash-consistent at best (HVB615, HVB617).

Each of these is the effect of a rule's check (:class:`~hyperv_backup.rules.Effect`);
the outcome is the worst of them. Every reason is a finding naming the disk,
volume or setting it is about.

>>> from hyperv_backup.model import VM, Host, HostOS, VMState, GuestOS
>>> host = Host(name="HV01", os=HostOS.WINDOWS_SERVER_2022)
>>> outcome = backup_outcome(VM(name="WEB01", state=VMState.RUNNING), host)
>>> outcome.consistency, outcome.causes_downtime, outcome.profile
(<Consistency.APPLICATION_CONSISTENT: 'application_consistent'>, False, <Profile.WS2016: '2016'>)
>>> linux = VM(name="DB01", state=VMState.RUNNING, guest_os=GuestOS.LINUX, vss_daemon=False)
>>> outcome = backup_outcome(linux, host)
>>> outcome.consistency, [r.rule.id for r in outcome.reasons]
(<Consistency.CRASH_CONSISTENT: 'crash_consistent'>, ['HVB605'])
"""

from __future__ import annotations

from hyperv_backup._base import public_dir
from hyperv_backup.decide.evaluate import evaluate_vm
from hyperv_backup.decide.results import BackupOutcome, Consistency
from hyperv_backup.model import VM, Host
from hyperv_backup.rules import DEFAULT_SETTINGS, HygieneSettings, Profile, as_profile

__all__ = ["BackupOutcome", "Consistency", "backup_outcome"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


def backup_outcome(
    vm: VM,
    host: Host,
    *,
    profile: Profile | str | None = None,
    settings: HygieneSettings | None = None,
) -> BackupOutcome:
    """Return what the host-level backup of ``vm`` on ``host`` will be.

    ``host`` is the host or node that backs the VM up: its release chooses the
    profile unless ``profile`` names one (``"2008"``, ``"2012"``, ``"2016"``
    or a :class:`~hyperv_backup.rules.Profile`), and its backup application
    and file servers count. ``settings`` are the limits and estimates of the
    checkpoint and space rules (their defaults unless given); the outcome's
    ``incremental`` says whether the next backup can be incremental through
    resilient change tracking. An unknown ``profile`` raises
    :class:`~hyperv_backup.HypervBackupError`; a ``vm`` or ``host`` that is
    not a model object raises :class:`TypeError`.
    """
    checked: tuple[object, object] = (vm, host)  # callers without type checking may pass anything
    if not isinstance(checked[0], VM):
        msg = f"backup_outcome() takes a VM, got {type(checked[0]).__name__}"
        raise TypeError(msg)
    if not isinstance(checked[1], Host):
        msg = (
            f"backup_outcome() takes the Host that backs the VM up, got {type(checked[1]).__name__}"
        )
        raise TypeError(msg)
    chosen = DEFAULT_SETTINGS if settings is None else settings
    return evaluate_vm(vm, host, as_profile(profile), settings=chosen).outcome
