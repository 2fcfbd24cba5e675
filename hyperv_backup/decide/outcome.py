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
  (HVB602, HVB605), or the backup fails when the VM allows production
  checkpoints only (HVB603, 2016 and later).
* Whatever the guest, some facts make the backup fail (HVB606, HVB608, HVB609,
  HVB611, HVB612 on 2012 R2, HVB613, HVB618), leave it with no data
  (HVB620) or crash-consistent at best (HVB615, HVB617).

Every reason is a finding naming the disk, volume or setting it is about.

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

import enum
from collections.abc import Mapping

import attrs

from hyperv_backup._base.display import NotebookDisplay
from hyperv_backup.decide.mode import BackupModeDecision, decide_mode
from hyperv_backup.model import (
    VM,
    Attachment,
    BackupMode,
    CheckpointType,
    Disk,
    FileSystem,
    GuestOS,
    Host,
    HostOS,
    HostStorage,
    ReplicationRole,
    VMState,
    os_label,
)
from hyperv_backup.rules import Finding, Profile, Severity, as_profile, finding, profile_for

__all__ = [
    "SUPPORTED_CONFIGURATION_VERSIONS",
    "BackupOutcome",
    "Consistency",
    "backup_outcome",
    "decide_outcome",
    "outcome_decision",
]


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
    #: The backup of this VM fails.
    FAILS = "fails"

    @property
    def label(self) -> str:
        """The consistency in words, as reports show it."""
        return _LABELS[self]


_LABELS = {
    Consistency.APPLICATION_CONSISTENT: "application-consistent",
    Consistency.FILE_SYSTEM_CONSISTENT: "file-system-consistent",
    Consistency.CRASH_CONSISTENT: "crash-consistent",
    Consistency.SAVED_STATE: "saved",
    Consistency.NOT_RUNNING: "not running",
    Consistency.NOT_BACKED_UP: "not backed up",
    Consistency.FAILS: "fails",
}


@attrs.frozen(kw_only=True)
class BackupOutcome(NotebookDisplay):
    """What the host-level backup of one VM will be, and why.

    ``profile`` is the profile that answered. ``reasons`` holds every finding
    that shapes the outcome, each naming its disk, volume or setting.
    ``state_during_backup`` is the VM's state while it is backed up;
    ``state_after`` the state it is left in.
    """

    vm: str
    profile: Profile
    consistency: Consistency
    causes_downtime: bool
    state_during_backup: VMState
    state_after: VMState
    reasons: tuple[Finding, ...]


#: The configuration versions each release runs, lowest and highest, from the
#: table of long-term servicing hosts of "Upgrade virtual machine version".
#: Windows Server 2012 is not in the table and is not checked.
SUPPORTED_CONFIGURATION_VERSIONS: Mapping[HostOS, tuple[tuple[int, int], tuple[int, int]]] = {
    HostOS.WINDOWS_SERVER_2012_R2: ((5, 0), (5, 0)),
    HostOS.WINDOWS_SERVER_2016: ((5, 0), (8, 0)),
    HostOS.WINDOWS_SERVER_2019: ((5, 0), (9, 0)),
    HostOS.WINDOWS_SERVER_2022: ((8, 0), (10, 0)),
    HostOS.WINDOWS_SERVER_2025: ((8, 0), (12, 0)),
}

#: Production checkpoints need this configuration version or later.
_PRODUCTION_CHECKPOINTS = (6, 2)

_VHD, _PASS_THROUGH, _GUEST_ISCSI = (
    Attachment.VIRTUAL_HARD_DISK,
    Attachment.PASS_THROUGH,
    Attachment.GUEST_ISCSI,
)
_RUNNING, _SAVED = VMState.RUNNING, VMState.SAVED
_UNIX = frozenset({GuestOS.LINUX, GuestOS.FREEBSD})
#: How messages name a guest family, a remote storage and a hidden disk.
_FAMILY = {GuestOS.LINUX: "Linux", GuestOS.FREEBSD: "FreeBSD"}
_REMOTE_TEXT = {
    HostStorage.SMB: "an SMB share",
    HostStorage.HOST_ISCSI: "iSCSI storage of the host",
}
_HIDDEN_TEXT = {_PASS_THROUGH: "a pass-through disk", _GUEST_ISCSI: "guest iSCSI storage"}
#: Host storage a Linux guest's live backup cannot use (HVB606).
_REMOTE = frozenset({HostStorage.SMB, HostStorage.HOST_ISCSI})
#: The online conditions that are about the guest's Volume Shadow Copy Service,
#: which a Linux guest does not have: its VSS daemon is asked instead. HVB309
#: (the Windows guest facts were not collected) is among them: what a Linux
#: guest is asked is its VSS daemon, unknown when ``vss_daemon`` is null.
_WINDOWS_GUEST_RULES = frozenset({"HVB303", "HVB304", "HVB305", "HVB306", "HVB309"})

#: What each of the guidance's online conditions says, in an HVB602 message.
_OBSTACLES = {
    "HVB301": "no integration services are installed",
    "HVB302": "its backup integration service is disabled",
    "HVB303": "disk {subject!r} is a dynamic disk in the guest",
    "HVB305": "volume {subject!r} does not have VSS enabled",
    "HVB306": "volume {subject!r} keeps its shadow copies on another volume",
    "HVB309": "its guest was not inventoried, so it cannot be confirmed",
}

#: The consistencies from worst to best; an outcome is the worst that applies.
#: NOT_RUNNING comes last: it is the answer when nothing else applies to a VM
#: that is not running.
_WORSE = (
    Consistency.FAILS,
    Consistency.NOT_BACKED_UP,
    Consistency.SAVED_STATE,
    Consistency.CRASH_CONSISTENT,
    Consistency.FILE_SYSTEM_CONSISTENT,
    Consistency.APPLICATION_CONSISTENT,
    Consistency.NOT_RUNNING,
)
_RANK = {c: i for i, c in enumerate(_WORSE)}


def backup_outcome(vm: VM, host: Host, *, profile: Profile | str | None = None) -> BackupOutcome:
    """Return what the host-level backup of ``vm`` on ``host`` will be.

    ``host`` is the host or node that backs the VM up: its release chooses the
    profile unless ``profile`` names one (``"2008"``, ``"2012"``, ``"2016"``
    or a :class:`~hyperv_backup.rules.Profile`), and its backup application
    and file servers count. An unknown ``profile`` raises
    :class:`~hyperv_backup.HypervBackupError`.
    """
    chosen = as_profile(profile)
    return decide_outcome(vm, host, profile_for(host.os) if chosen is None else chosen)


def decide_outcome(vm: VM, host: Host, profile: Profile) -> BackupOutcome:
    """Like :func:`backup_outcome`, with the profile already chosen."""
    if profile is Profile.WS2008:
        return _from_decision(vm, decide_mode(vm, host.name), profile)
    return _Later(vm, host, profile).outcome()


def outcome_decision(outcome: BackupOutcome, vm: VM) -> BackupModeDecision:
    """Restate ``outcome`` as an online/offline decision, for the plan's steps.

    A VM copied while it runs (whatever its consistency) is online; one that
    is saved, off, failing or holding no data is offline.
    """
    online = outcome.consistency in _WHILE_RUNNING and vm.state is _RUNNING
    return BackupModeDecision(
        vm=outcome.vm,
        mode=BackupMode.ONLINE if online else BackupMode.OFFLINE,
        reasons=outcome.reasons,
        causes_downtime=outcome.causes_downtime,
        state_during_backup=outcome.state_during_backup,
        state_after=vm.state,
    )


_WHILE_RUNNING = frozenset(
    {
        Consistency.APPLICATION_CONSISTENT,
        Consistency.FILE_SYSTEM_CONSISTENT,
        Consistency.CRASH_CONSISTENT,
    }
)


def _from_decision(vm: VM, decision: BackupModeDecision, profile: Profile) -> BackupOutcome:
    if decision.mode is BackupMode.ONLINE:
        consistency = Consistency.APPLICATION_CONSISTENT
    elif decision.causes_downtime:
        consistency = Consistency.SAVED_STATE
    else:
        consistency = Consistency.NOT_RUNNING
    reasons = decision.reasons
    if vm.disks and not any(d.attachment is _VHD for d in vm.disks):
        consistency = Consistency.NOT_BACKED_UP
    return BackupOutcome(
        vm=vm.name,
        profile=profile,
        consistency=consistency,
        causes_downtime=decision.causes_downtime,
        state_during_backup=decision.state_during_backup,
        state_after=decision.state_after,
        reasons=reasons,
    )


class _Later:
    """The outcome of one VM under the 2012 or 2016 profile."""

    def __init__(self, vm: VM, host: Host, profile: Profile) -> None:
        self.vm = vm
        self.host = host
        self.profile = profile
        self.at = host.name
        # Which release of the profile: 2012 saves, 2012 R2 has its own limits.
        self.saves = profile is Profile.WS2012 and host.os is HostOS.WINDOWS_SERVER_2012
        self.r2 = profile is Profile.WS2012 and not self.saves
        self.unix = vm.guest_os in _UNIX
        self.reasons: list[Finding] = []
        self.worst = Consistency.NOT_RUNNING

    def add(self, rule: str, subject: str, message: str, **extra: Severity) -> None:
        self.reasons.append(finding(rule, subject, message, host=self.at, vm=self.vm.name, **extra))

    def cap(self, consistency: Consistency) -> None:
        """Lower the outcome to ``consistency`` if that is worse."""
        if _RANK[consistency] < _RANK[self.worst]:
            self.worst = consistency

    def outcome(self) -> BackupOutcome:
        vm = self.vm
        downtime = False
        if vm.replication_role is ReplicationRole.REPLICA:
            self._replica()
        elif self.saves:
            downtime = self._saved_era()
        else:
            self._while_running()
        self._storage()
        self._configuration_version()
        # A VM 2012 saves for its backup is saved whatever else the backup
        # holds or meets, so the downtime stands beside a worse consistency.
        return BackupOutcome(
            vm=vm.name,
            profile=self.profile,
            consistency=self.worst,
            causes_downtime=downtime,
            state_during_backup=_SAVED if downtime else vm.state,
            state_after=vm.state,
            reasons=tuple(self.reasons),
        )

    # --- the guest -------------------------------------------------------------------

    def _saved_era(self) -> bool:
        """Windows Server 2012: the guidance's online conditions, with ReFS and Linux."""
        vm = self.vm
        reasons = [r for r in self._guest_obstacles() if r.rule.id != "HVB307"]
        if self.unix:
            reasons.append(
                finding(
                    "HVB601",
                    vm.name,
                    f"VM {vm.name!r} runs a {_FAMILY[vm.guest_os]} guest, which Windows Server "
                    "2012 cannot back up online.",
                    host=self.at,
                    vm=vm.name,
                )
            )
        self.reasons.extend(reasons)
        if vm.state is not _RUNNING:
            self.add(
                "HVB307",
                vm.name,
                f"VM {vm.name!r} is {vm.state.value}; only a running VM can be backed up online.",
            )
        if vm.state is _RUNNING and not reasons:
            self.cap(Consistency.APPLICATION_CONSISTENT)
            return False
        if vm.state in (VMState.RUNNING, VMState.PAUSED):
            state = vm.state.value
            self.add(
                "HVB308",
                vm.name,
                f"VM {vm.name!r} is {state} and will be backed up offline: it is saved while the "
                f"backup runs (downtime), then set back to {state}.",
            )
            self.cap(Consistency.SAVED_STATE)
            return True
        return False

    def _guest_obstacles(self) -> list[Finding]:
        """Return the guidance's online conditions that block the guest, read for this profile.

        ReFS counts as a file system that takes part from Windows Server 2012 on;
        the conditions on the guest's VSS are not asked of a Linux guest.
        """
        vm = self.vm
        refs = {v.name for d in vm.disks for v in d.volumes if v.file_system is FileSystem.REFS}
        found = []
        for reason in decide_mode(vm, self.at).reasons:
            rule = reason.rule.id
            if rule == "HVB304" and reason.subject in refs:
                continue
            if self.unix and rule in _WINDOWS_GUEST_RULES:
                continue
            found.append(reason)
        return found

    def _while_running(self) -> None:
        """Windows Server 2012 R2 and later: a running VM keeps running.

        Every obstacle is reported, also for a VM that is not running, so the
        reasons show what its copy would be once it runs.
        """
        vm = self.vm
        running = vm.state is _RUNNING
        then = (
            "it keeps running and is copied crash-consistent"
            if running
            else "once it runs, it would be copied crash-consistent"
        )
        obstacles = [r for r in self._guest_obstacles() if r.rule.id != "HVB307"]
        for reason in obstacles:
            self.add(
                "HVB602",
                reason.subject,
                f"VM {vm.name!r} cannot take part in its backup "
                f"({self._obstacle(reason)}); {then}.",
            )
        if self.unix and not obstacles and vm.vss_daemon is not True:
            seen = "is not running" if vm.vss_daemon is False else "was not seen running"
            self.add(
                "HVB605",
                vm.name,
                f"The VSS daemon of {_FAMILY[vm.guest_os]} VM {vm.name!r} {seen}; {then}.",
            )
            obstacles.append(self.reasons[-1])
        if not running:
            state = vm.state.value
            self.add(
                "HVB307",
                vm.name,
                f"VM {vm.name!r} is {state}; its files are copied as they are, and it stays "
                f"{state}.",
            )
            return
        if obstacles:
            if (
                self.profile is Profile.WS2016
                and vm.checkpoint_type is CheckpointType.PRODUCTION_ONLY
            ):
                self.add(
                    "HVB603",
                    vm.name,
                    f"VM {vm.name!r} allows production checkpoints only and its guest cannot "
                    "take part, so no checkpoint is taken and its backup fails.",
                )
                self.cap(Consistency.FAILS)
            else:
                self.cap(Consistency.CRASH_CONSISTENT)
        elif self.unix:
            self.add(
                "HVB604",
                vm.name,
                f"VM {vm.name!r} freezes its {_FAMILY[vm.guest_os]} file systems for the backup: "
                "the copy is file-system-consistent, with no downtime.",
            )
            self.cap(Consistency.FILE_SYSTEM_CONSISTENT)
        else:
            self.cap(Consistency.APPLICATION_CONSISTENT)
        if self.r2 and not obstacles and vm.generation != 2 and vm.scsi_controller is False:
            self.add(
                "HVB608",
                vm.name,
                f"Generation 1 VM {vm.name!r} has no SCSI controller, which an online backup "
                f"on Windows Server 2012 R2 host {self.at!r} needs; its backup fails.",
            )
            self.cap(Consistency.FAILS)

    def _obstacle(self, reason: Finding) -> str:
        """Say what blocks the guest, for an HVB602 message, from the guidance's reason."""
        subject = reason.subject
        rule = reason.rule.id
        if rule == "HVB304":
            systems = {v.name: v.file_system.value for d in self.vm.disks for v in d.volumes}
            return f"volume {subject!r} is {systems[subject]}, neither NTFS nor ReFS"
        return _OBSTACLES[rule].format(subject=subject)

    def _replica(self) -> None:
        vm = self.vm
        if self.saves or not vm.replication_ready:
            why = (
                f"Windows Server 2012 host {self.at!r} cannot back up a replica VM"
                if self.saves
                else "its replication is not in a normal state"
            )
            self.add("HVB618", vm.name, f"VM {vm.name!r} is a Hyper-V Replica copy and {why}; "
                     "its backup fails.")  # fmt: skip
            self.cap(Consistency.FAILS)
        else:
            self.add(
                "HVB617",
                vm.name,
                f"VM {vm.name!r} is a Hyper-V Replica copy, off until a failover: its backup is "
                "crash-consistent.",
            )
            self.cap(Consistency.CRASH_CONSISTENT)

    # --- storage and configuration -------------------------------------------------------

    def _storage(self) -> None:
        vm = self.vm
        disks = vm.disks
        visible = [d for d in disks if d.attachment is _VHD]
        self._hidden_storage(disks, visible)
        self._shared_disks(visible)
        self._smb(visible)
        if self.unix and not self.saves:
            self._linux_storage(disks, visible)
        if any(d.host_storage is HostStorage.CLUSTER_SHARED_VOLUME for d in visible):
            self._csv()

    def _hidden_storage(self, disks: tuple[Disk, ...], visible: list[Disk]) -> None:
        vm = self.vm
        for adapter in vm.fibre_channel_adapters:
            self.add(
                "HVB619",
                adapter,
                f"Virtual Fibre Channel adapter {adapter!r} of VM {vm.name!r} reaches SAN "
                "storage the host backup does not hold.",
            )
        if disks and not visible:
            self.add(
                "HVB620",
                vm.name,
                f"Every disk of VM {vm.name!r} is a pass-through or guest iSCSI disk; the host "
                "backup holds its configuration only.",
            )
            self.cap(Consistency.NOT_BACKED_UP)

    def _shared_disks(self, visible: list[Disk]) -> None:
        vm = self.vm
        for disk in visible:
            if not disk.shared:
                continue
            if not disk.is_vhd_set:
                self.add(
                    "HVB611",
                    disk.name,
                    f"Disk {disk.name!r} of VM {vm.name!r} is a shared VHDX, which cannot be "
                    "part of a checkpoint; the host backup of the VM fails.",
                )
                self.cap(Consistency.FAILS)
            elif self.profile is Profile.WS2012:
                self.add(
                    "HVB612",
                    disk.name,
                    f"Disk {disk.name!r} of VM {vm.name!r} is a VHD Set, not supported as shared "
                    f"storage on {os_label(self.host.os)}; its host backup fails.",
                    severity=Severity.ERROR,
                )
                self.cap(Consistency.FAILS)
            else:
                self.add(
                    "HVB612",
                    disk.name,
                    f"Disk {disk.name!r} of VM {vm.name!r} is a VHD Set of a guest cluster; its "
                    "host backup needs the guest cluster healthy (see the remedy).",
                )

    def _smb(self, visible: list[Disk]) -> None:
        vm = self.vm
        smb = [d for d in visible if d.host_storage is HostStorage.SMB]
        if smb:
            agent = self.host.file_server_vss_agent
            if agent is not True:
                if agent is False:
                    self.add(
                        "HVB613",
                        smb[0].name,
                        f"Disk {smb[0].name!r} of VM {vm.name!r} is on an SMB share whose file "
                        "server does not run the File Server VSS Agent; the backup fails.",
                    )
                    self.cap(Consistency.FAILS)
                else:
                    self.add(
                        "HVB613",
                        smb[0].name,
                        f"Disk {smb[0].name!r} of VM {vm.name!r} is on an SMB share; whether its "
                        "file server runs the File Server VSS Agent was not collected.",
                        severity=Severity.WARNING,
                    )
            if len(smb) < len(visible):
                self.add(
                    "HVB614",
                    vm.name,
                    f"VM {vm.name!r} has {len(smb)} of its {len(visible)} virtual hard disks on "
                    "an SMB share and the others on local volumes.",
                )

    def _linux_storage(self, disks: tuple[Disk, ...], visible: list[Disk]) -> None:
        vm = self.vm
        for disk in visible:
            if disk.host_storage in _REMOTE:
                self.add(
                    "HVB606",
                    disk.name,
                    f"Disk {disk.name!r} of {_FAMILY[vm.guest_os]} VM {vm.name!r} is on "
                    f"{_REMOTE_TEXT[disk.host_storage]}; its live backup does not succeed.",
                )
                self.cap(Consistency.FAILS)
        for disk in disks:
            if disk.attachment in (_PASS_THROUGH, _GUEST_ISCSI):
                self.add(
                    "HVB607",
                    disk.name,
                    f"Disk {disk.name!r} of {_FAMILY[vm.guest_os]} VM {vm.name!r} is "
                    f"{_HIDDEN_TEXT[disk.attachment]}; its backup can fail without saying so.",
                )

    def _csv(self) -> None:
        vm = self.vm
        app = self.host.backup_application
        if app is not None and app.is_windows_server_backup:
            self.add(
                "HVB615",
                vm.name,
                f"VM {vm.name!r} is on a Cluster Shared Volume, which Windows Server Backup "
                f"on {self.at!r} copies crash-consistent only.",
            )
            if self.worst in _WHILE_RUNNING:
                self.cap(Consistency.CRASH_CONSISTENT)
        self.add(
            "HVB616",
            vm.name,
            f"VM {vm.name!r} has files on a Cluster Shared Volume: it is backed up from any "
            "node, with no owner move.",
        )

    def _configuration_version(self) -> None:
        vm = self.vm
        version = vm.configuration_version_tuple
        if version is None:
            return
        supported = SUPPORTED_CONFIGURATION_VERSIONS.get(self.host.os)
        if supported is not None and not supported[0] <= version <= supported[1]:
            low, high = (f"{a}.{b}" for a, b in supported)
            self.add(
                "HVB609",
                vm.name,
                f"VM {vm.name!r} has configuration version {vm.configuration_version}; "
                f"{os_label(self.host.os)} runs {low} to {high}, so the VM cannot start there.",
            )
            self.cap(Consistency.FAILS)
        elif self.profile is Profile.WS2016 and version < _PRODUCTION_CHECKPOINTS:
            self.add(
                "HVB610",
                vm.name,
                f"VM {vm.name!r} has configuration version {vm.configuration_version}, older "
                "than the 6.2 production checkpoints need.",
            )
