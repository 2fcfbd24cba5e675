"""Online and offline backups (HVB3xx): what blocks an online backup, and what an offline one costs."""

from __future__ import annotations

from hyperv_backup._base import public_dir
from hyperv_backup._base.quoting import quoted
from hyperv_backup.model import (
    VM,
    Attachment,
    Disk,
    FileSystem,
    GuestDiskType,
    VMState,
    Volume,
    computer_key,
)
from hyperv_backup.rules import pages
from hyperv_backup.rules._paths import host_volume
from hyperv_backup.rules.check import Check, CheckResult, Context, Effect, Phase, Scope
from hyperv_backup.rules.pages import DPM_HYPERV, GUIDANCE, WMI_BACKUP
from hyperv_backup.rules.profiles import ALL_PROFILES, Profile, ReleaseFacts
from hyperv_backup.rules.rule import Rule, Severity
from hyperv_backup.rules.source import Source

_RUNNING, _STATES_SAVED = VMState.RUNNING, frozenset({VMState.RUNNING, VMState.PAUSED})
_NTFS, _REFS, _DYNAMIC = FileSystem.NTFS, FileSystem.REFS, GuestDiskType.DYNAMIC
_GUEST_ISCSI = Attachment.GUEST_ISCSI

# How the guidance's online conditions are read:
#
# * "All disks used by the virtual machine" are the disks of its configuration:
#   virtual hard disks and pass-through disks. Storage the guest reaches through
#   its own iSCSI initiator is outside the host backup; it blocks nothing here
#   and is reported by HVB202. (The walk of volumes leaves those disks out.)
# * A disk with no volume blocks nothing; a dynamically expanding virtual hard
#   disk is never a reason, only the guest's dynamic disk is.
# * HVB302 is about a service that is installed but disabled; when the
#   integration services are not installed at all, HVB301 says so alone.
# * When the guest was not inventoried, HVB303-HVB306 cannot be evaluated; the
#   VM is planned offline with HVB309 instead of being assumed fine.
# * Every blocking condition is reported, also for a VM that is off, so the
#   reasons show what would block it once it runs.
# * The conditions on the guest's Volume Shadow Copy Service (HVB303-HVB306,
#   and HVB309, whose facts are those of a Windows guest) are not asked of a
#   Linux or FreeBSD guest, which takes part through its VSS daemon; none is
#   asked of a Hyper-V Replica copy, which its own rules answer for.
# * From Windows Server 2012 R2 on, only the conditions that the WMI page
#   "Backing up and restoring virtual machines" gives for the guest to take
#   part keep it out: the integration service, a running VM, the checkpoint
#   files beside the virtual hard disks (HVB311), basic disks and file systems
#   that take shadow copies. VSS turned off on a volume and shadow copies kept
#   on another volume are the guidance's (and, for the second, DPM's of 2012)
#   only, and their effect from 2012 R2 on is not documented (HVB312).


def _guest_facts_known(ctx: Context) -> bool:
    """Whether the conditions on the guest's own facts are asked of this VM."""
    return ctx.vm.guest_inventoried and not ctx.unix and not ctx.replica


__all__ = [
    "BACKUP_SERVICE_DISABLED",
    "CHECKPOINTS_ELSEWHERE",
    "DYNAMIC_GUEST_DISK",
    "EARLIER_CONDITION",
    "GUEST_NOT_INVENTORIED",
    "NOT_NTFS",
    "NOT_RUNNING",
    "NO_INTEGRATION_SERVICES",
    "ONLINE_CHECKS",
    "ONLINE_CONDITIONS",
    "ONLINE_RULES",
    "SAVED_FOR_BACKUP",
    "SHADOW_STORAGE_ELSEWHERE",
    "VSS_DISABLED",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: HVB301.
NO_INTEGRATION_SERVICES = Rule(
    id="HVB301",
    title="Integration services not installed",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2008, Profile.WS2012}),
    source=Source(page=GUIDANCE, heading=pages.ONLINE),
    description=(
        "Integration services are not installed in the guest, so it cannot take part in "
        "an online backup."
    ),
    remedy="Install the integration services in the guest.",
)


def _no_integration_services(vm: VM, ctx: Context) -> CheckResult:
    if vm.integration_services or ctx.replica:
        return None
    return ctx.finding(
        NO_INTEGRATION_SERVICES,
        vm.name,
        f"VM {quoted(vm.name)} has no integration services installed, so it cannot be backed up online.",
    )


#: HVB302.
BACKUP_SERVICE_DISABLED = Rule(
    id="HVB302",
    title="Backup integration service disabled",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2008, Profile.WS2012}),
    source=Source(page=GUIDANCE, heading=pages.ONLINE),
    description=(
        "The backup integration service (the Hyper-V Volume Shadow Copy Requestor in the "
        "guest) is disabled, so the VM cannot be backed up online."
    ),
    remedy="Enable the backup (volume shadow copy) integration service for the VM.",
)


def _backup_service_disabled(vm: VM, ctx: Context) -> CheckResult:
    # Not installed at all is HVB301's case; this one is installed but disabled.
    if not vm.integration_services or vm.backup_integration_service or ctx.replica:
        return None
    return ctx.finding(
        BACKUP_SERVICE_DISABLED,
        vm.name,
        f"VM {quoted(vm.name)} has its backup integration service disabled, so it cannot be "
        "backed up online.",
    )


#: HVB303.
DYNAMIC_GUEST_DISK = Rule(
    id="HVB303",
    title="Dynamic disk in the guest",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2008, Profile.WS2012}),
    source=Source(page=GUIDANCE, heading=pages.ONLINE),
    description=(
        "The guest has configured the disk as a dynamic disk, which prevents an online "
        "backup. A dynamically expanding virtual hard disk is a different thing and is "
        "not a problem."
    ),
    remedy="Convert the disk to a basic disk inside the guest.",
)


def _dynamic_guest_disk(disk: Disk, ctx: Context) -> CheckResult:
    if (
        disk.guest_disk_type is not _DYNAMIC
        or disk.attachment is _GUEST_ISCSI
        or not _guest_facts_known(ctx)
    ):
        return None
    return ctx.finding(
        DYNAMIC_GUEST_DISK,
        disk.name,
        f"Disk {quoted(disk.name)} of VM {quoted(ctx.name)} is a dynamic disk inside the guest, which "
        "blocks an online backup.",
    )


#: HVB304.
NOT_NTFS = Rule(
    id="HVB304",
    title="Volume is not NTFS",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2008, Profile.WS2012}),
    source=Source(page=GUIDANCE, heading=pages.ONLINE),
    description=(
        "The volume is not formatted with NTFS (FAT32, for example), which prevents an "
        "online backup."
    ),
    remedy="Move the data to an NTFS volume, or reformat the volume as NTFS.",
)


def _not_ntfs(volume: Volume, ctx: Context) -> CheckResult:
    system = volume.file_system
    if system is _NTFS or not _guest_facts_known(ctx):
        return None
    # From Windows Server 2012 on, ReFS volumes take part as NTFS ones do.
    if system is _REFS and ctx.facts.refs_takes_part:
        return None
    return ctx.finding(
        NOT_NTFS,
        volume.name,
        f"Volume {quoted(volume.name)} of VM {quoted(ctx.name)} is {system.value}, not NTFS, which blocks "
        "an online backup.",
    )


#: HVB305.
VSS_DISABLED = Rule(
    id="HVB305",
    title="VSS not enabled on a volume",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2008, Profile.WS2012}),
    source=Source(page=GUIDANCE, heading=pages.ONLINE),
    description=(
        "The Volume Shadow Copy Service is not enabled on the volume, which prevents an "
        "online backup."
    ),
    remedy="Enable shadow copies on the volume inside the guest.",
)


def _vss_disabled(volume: Volume, ctx: Context) -> CheckResult:
    if volume.vss_enabled or not _guest_facts_known(ctx):
        return None
    return ctx.finding(
        VSS_DISABLED,
        volume.name,
        f"Volume {quoted(volume.name)} of VM {quoted(ctx.name)} does not have VSS enabled, which blocks "
        "an online backup.",
    )


#: HVB306.
SHADOW_STORAGE_ELSEWHERE = Rule(
    id="HVB306",
    title="Shadow copies stored on another volume",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2008, Profile.WS2012}),
    source=Source(page=GUIDANCE, heading=pages.ONLINE),
    description=(
        "The volume's shadow copies are stored on a different volume; for an online "
        "backup each volume must hold its own shadow copies."
    ),
    remedy=(
        "Make the volume its own shadow copy storage location (vssadmin resize "
        "shadowstorage /for=X: /on=X:)."
    ),
)


def _shadow_storage_elsewhere(volume: Volume, ctx: Context) -> CheckResult:
    storage = volume.shadow_storage
    if (
        storage is None
        or computer_key(storage) == computer_key(volume.name)
        or not _guest_facts_known(ctx)
    ):
        return None
    return ctx.finding(
        SHADOW_STORAGE_ELSEWHERE,
        volume.name,
        f"Volume {quoted(volume.name)} of VM {quoted(ctx.name)} keeps its shadow copies on {quoted(storage)}, "
        "not on itself, which blocks an online backup.",
    )


#: HVB307.
NOT_RUNNING = Rule(
    id="HVB307",
    title="VM is not running",
    severity=Severity.INFO,
    profiles=ALL_PROFILES,
    source=Source(page=GUIDANCE, heading=pages.ONLINE),
    description=("The VM is paused, saved or off; only a running VM can be backed up online."),
    remedy="Nothing is required; start the VM before the backup if an online backup is wanted.",
)


def _not_running_offline(vm: VM, ctx: Context) -> CheckResult:
    """HVB307 where the release saves a VM that cannot be backed up online."""
    if ctx.running or ctx.replica:
        return None
    return ctx.finding(
        NOT_RUNNING,
        vm.name,
        f"VM {quoted(vm.name)} is {vm.state.value}; only a running VM can be backed up online.",
    )


def _not_running_as_is(vm: VM, ctx: Context) -> CheckResult:
    """HVB307 where the release keeps a VM running for its backup: it is copied as it is."""
    if ctx.running or ctx.replica:
        return None
    state = vm.state.value
    return ctx.finding(
        NOT_RUNNING,
        vm.name,
        f"VM {quoted(vm.name)} is {state}; its files are copied as they are, and it stays {state}.",
    )


#: HVB308.
SAVED_FOR_BACKUP = Rule(
    id="HVB308",
    title="Offline backup saves the running VM",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2008, Profile.WS2012}),
    source=Source(page=GUIDANCE, heading=pages.ONLINE),
    description=(
        "The VM is running or paused and will be backed up offline: it is saved while "
        "the backup runs, which is downtime, and resumes its previous state afterwards."
    ),
    remedy=(
        "Schedule the backup in a maintenance window, or remove the conditions that "
        "block an online backup."
    ),
)


def _saved_for_backup(vm: VM, ctx: Context) -> CheckResult:
    if vm.state not in _STATES_SAVED or ctx.replica or (ctx.running and not ctx.obstacles):
        return None
    if not ctx.through_hyperv:
        return None  # the Hyper-V VSS writer saves the VM; this backup does not go through it
    state = vm.state.value
    return ctx.finding(
        SAVED_FOR_BACKUP,
        vm.name,
        f"VM {quoted(vm.name)} is {state} and will be backed up offline: it is saved while the "
        f"backup runs (downtime), then set back to {state}.",
    )


#: HVB309.
GUEST_NOT_INVENTORIED = Rule(
    id="HVB309",
    title="Guest not inventoried",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2008, Profile.WS2012}),
    source=Source(page=GUIDANCE, heading=pages.ONLINE),
    description=(
        "The facts seen from inside the guest (disk types, volumes, file systems, VSS "
        "settings, guest iSCSI) were not collected, so an online backup cannot be "
        "confirmed; the VM is planned as offline."
    ),
    remedy="Collect the guest's disks and volumes and check again.",
)


def _guest_not_inventoried(vm: VM, ctx: Context) -> CheckResult:
    if vm.guest_inventoried or ctx.unix or ctx.replica:
        return None
    return ctx.finding(
        GUEST_NOT_INVENTORIED,
        vm.name,
        f"VM {quoted(vm.name)} was not inventoried from inside the guest, so an online backup "
        "cannot be confirmed; it is planned as offline.",
    )


#: HVB311.
CHECKPOINTS_ELSEWHERE = Rule(
    id="HVB311",
    title="Checkpoint files on another volume than the virtual hard disks",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2012}),
    source=Source(page=WMI_BACKUP, heading="Backing up the virtual machines"),
    description=(
        "The VM's checkpoint (snapshot) file location is on another host volume than its "
        "virtual hard disks. The Hyper-V WMI page lists that location on the volume of the "
        "virtual hard disks among the conditions for the guest to take part in the backup "
        "through its own VSS (the 'Child VM Snapshot' method); where a condition fails, "
        "Windows Server 2012 saves the running VM for the backup instead."
    ),
    remedy=(
        "Set the VM's checkpoint file location to a folder on the volume of its virtual hard "
        "disks (Set-VM -SnapshotFileLocation)."
    ),
)


def _checkpoints_elsewhere(disk: Disk, ctx: Context) -> CheckResult:
    location = ctx.vm.snapshot_file_location
    if location is None or disk.path is None or ctx.replica:
        return None
    volumes = ctx.node.host_volumes
    where, here = host_volume(location, volumes), host_volume(disk.path, volumes)
    if where is None or here is None or where == here:
        return None
    return ctx.finding(
        CHECKPOINTS_ELSEWHERE,
        disk.name,
        f"Disk {quoted(disk.name)} of VM {quoted(ctx.name)} is on another host volume than the VM's "
        f"checkpoint files ({quoted(location)}), which keeps its guest from taking part.",
    )


#: HVB312.
EARLIER_CONDITION = Rule(
    id="HVB312",
    title="Condition of Windows Server 2012 and earlier, not documented from 2012 R2 on",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2012, Profile.WS2016}),
    source=Source(page=DPM_HYPERV, heading="Online and offline backup"),
    description=(
        "The volume has the Volume Shadow Copy Service turned off, or keeps its shadow "
        "copies on another volume. The guidance of 2008 R2 lists both among the conditions "
        "that block an online backup, and System Center DPM's section 'Online and offline "
        "backup' lists the second for Windows Server 2012; that section says it does not "
        "apply from Windows Server 2012 R2 on, where VMs keep running, and the Hyper-V WMI "
        "page's conditions for the guest to take part name neither. No page says what they "
        "do to a backup from 2012 R2 on: the copy may not be application-consistent."
    ),
    remedy=(
        "Turn VSS on for the volume and keep its shadow copies on itself, as the earlier "
        "releases require, or check a restored copy of the VM."
    ),
)


def _earlier_condition(volume: Volume, ctx: Context) -> CheckResult:
    if not _guest_facts_known(ctx):
        return None
    found = []
    tail = (
        "this blocked an online backup up to Windows Server 2012, and no page says what it "
        "does from 2012 R2 on: the copy may not be application-consistent."
    )
    if not volume.vss_enabled:
        found.append(
            ctx.finding(
                EARLIER_CONDITION,
                volume.name,
                f"Volume {quoted(volume.name)} of VM {quoted(ctx.name)} does not have VSS enabled; {tail}",
            )
        )
    storage = volume.shadow_storage
    if storage is not None and computer_key(storage) != computer_key(volume.name):
        found.append(
            ctx.finding(
                EARLIER_CONDITION,
                volume.name,
                f"Volume {quoted(volume.name)} of VM {quoted(ctx.name)} keeps its shadow copies on "
                f"{quoted(storage)}; {tail}",
            )
        )
    return found or None


#: The rules of this family, in ID order.
ONLINE_RULES: tuple[Rule, ...] = (
    NO_INTEGRATION_SERVICES,
    BACKUP_SERVICE_DISABLED,
    DYNAMIC_GUEST_DISK,
    NOT_NTFS,
    VSS_DISABLED,
    SHADOW_STORAGE_ELSEWHERE,
    NOT_RUNNING,
    SAVED_FOR_BACKUP,
    GUEST_NOT_INVENTORIED,
    CHECKPOINTS_ELSEWHERE,
    EARLIER_CONDITION,
)


def _saves(facts: ReleaseFacts) -> bool:
    return facts.saves_vm_guest_cannot_quiesce


def _keeps_running(facts: ReleaseFacts) -> bool:
    return not facts.saves_vm_guest_cannot_quiesce


def _child_vm_snapshot(facts: ReleaseFacts) -> bool:
    return facts.child_vm_snapshot_conditions


#: When the rules of this family fire, in the order their findings are listed.
#: The checks that keep the guest out are the online conditions of "Understanding
#: online and offline backups": the VM's own, then each disk's and its volumes'.
ONLINE_CHECKS: tuple[Check, ...] = (
    Check(
        rule=NO_INTEGRATION_SERVICES,
        scope=Scope.VM,
        phase=Phase.GUEST,
        effect=Effect.GUEST_CANNOT_TAKE_PART,
        findings=_no_integration_services,
        obstacle="no integration services are installed",
        summary="integration services are installed",
    ),
    Check(
        rule=BACKUP_SERVICE_DISABLED,
        scope=Scope.VM,
        phase=Phase.GUEST,
        effect=Effect.GUEST_CANNOT_TAKE_PART,
        findings=_backup_service_disabled,
        obstacle="its backup integration service is disabled",
        summary="the backup integration service is enabled",
    ),
    Check(
        rule=NOT_RUNNING,
        scope=Scope.VM,
        phase=Phase.GUEST,
        effect=Effect.GUEST_CANNOT_TAKE_PART,
        findings=_not_running_offline,
        applies=_saves,
        obstacle="it is not running",
        summary="the VM is running",
    ),
    Check(
        rule=GUEST_NOT_INVENTORIED,
        scope=Scope.VM,
        phase=Phase.GUEST,
        effect=Effect.GUEST_CANNOT_TAKE_PART,
        findings=_guest_not_inventoried,
        obstacle="its guest was not inventoried, so it cannot be confirmed",
        summary="the guest was inventoried",
    ),
    Check(
        rule=CHECKPOINTS_ELSEWHERE,
        scope=Scope.VIRTUAL_HARD_DISK,
        phase=Phase.GUEST,
        effect=Effect.GUEST_CANNOT_TAKE_PART,
        findings=_checkpoints_elsewhere,
        applies=_child_vm_snapshot,
        obstacle="disk {subject} is on another host volume than its checkpoint files",
        summary="the checkpoint files are on the volume of the virtual hard disks",
    ),
    Check(
        rule=DYNAMIC_GUEST_DISK,
        scope=Scope.DISK,
        phase=Phase.GUEST,
        effect=Effect.GUEST_CANNOT_TAKE_PART,
        findings=_dynamic_guest_disk,
        obstacle="disk {subject} is a dynamic disk in the guest",
        summary="every disk is a basic disk inside the guest",
    ),
    Check(
        rule=NOT_NTFS,
        scope=Scope.VOLUME,
        phase=Phase.GUEST,
        effect=Effect.GUEST_CANNOT_TAKE_PART,
        findings=_not_ntfs,
        obstacle="volume {subject} is {file_system}, neither NTFS nor ReFS",
        summary="every volume is NTFS",
    ),
    # The guidance's two conditions that no later page restates: they keep the
    # guest out where the release saves the VM, and are a warning elsewhere.
    Check(
        rule=VSS_DISABLED,
        scope=Scope.VOLUME,
        phase=Phase.GUEST,
        effect=Effect.GUEST_CANNOT_TAKE_PART,
        findings=_vss_disabled,
        applies=_saves,
        obstacle="volume {subject} does not have VSS enabled",
        summary="VSS is enabled on every volume",
    ),
    Check(
        rule=SHADOW_STORAGE_ELSEWHERE,
        scope=Scope.VOLUME,
        phase=Phase.GUEST,
        effect=Effect.GUEST_CANNOT_TAKE_PART,
        findings=_shadow_storage_elsewhere,
        applies=_saves,
        obstacle="volume {subject} keeps its shadow copies on another volume",
        summary="every volume stores its own shadow copies",
    ),
    Check(
        rule=EARLIER_CONDITION,
        scope=Scope.VOLUME,
        phase=Phase.GUEST,
        effect=Effect.NONE,
        findings=_earlier_condition,
        applies=_keeps_running,
    ),
    Check(
        rule=NOT_RUNNING,
        scope=Scope.VM,
        phase=Phase.STATE,
        effect=Effect.NONE,
        findings=_not_running_as_is,
        applies=_keeps_running,
    ),
    Check(
        rule=SAVED_FOR_BACKUP,
        scope=Scope.VM,
        phase=Phase.STATE,
        effect=Effect.SAVES,
        findings=_saved_for_backup,
        applies=_saves,
    ),
)

#: The online conditions of "Understanding online and offline backups", in rule order
#: (HVB311, of the later WMI page, is asked beside them from Windows Server 2012 on).
ONLINE_CONDITIONS: tuple[Check, ...] = tuple(
    sorted(
        (
            c
            for c in ONLINE_CHECKS
            if c.effect is Effect.GUEST_CANNOT_TAKE_PART and c.rule.source.page is GUIDANCE
        ),
        key=lambda c: c.rule.id,
    )
)
