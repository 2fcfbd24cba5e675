"""Storage the host backup misses (HVB2xx)."""

from __future__ import annotations

from hyperv_backup._base import public_dir
from hyperv_backup._base.quoting import quoted
from hyperv_backup.model import VM, Attachment, Disk
from hyperv_backup.rules import pages
from hyperv_backup.rules._paths import names_by_address, smb_server
from hyperv_backup.rules.check import Check, CheckResult, Context, Effect, Phase, Scope
from hyperv_backup.rules.pages import DPM_HYPERV, GUIDANCE, SNAPSHOT_SETTINGS
from hyperv_backup.rules.profiles import ALL_PROFILES, Profile
from hyperv_backup.rules.rule import Rule, Severity
from hyperv_backup.rules.source import Claim, Source

__all__ = [
    "GUEST_ISCSI",
    "LACKS_KB975354",
    "NOT_SKIPPED_BY_CHECKPOINT",
    "PASS_THROUGH_DISK",
    "SHARE_BY_ADDRESS",
    "STORAGE_CHECKS",
    "STORAGE_RULES",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

_PASS_THROUGH, _GUEST_ISCSI = Attachment.PASS_THROUGH, Attachment.GUEST_ISCSI

#: HVB201.
PASS_THROUGH_DISK = Rule(
    id="HVB201",
    title="Pass-through disk is not in the host backup",
    severity=Severity.WARNING,
    profiles=ALL_PROFILES,
    source=Source(page=GUIDANCE, heading=pages.STORAGE),
    description=(
        "The disk is a physical disk attached directly to the VM; the Hyper-V VSS writer "
        "cannot back it up, so no host-level backup holds it. The guidance says so for "
        "2008 and 2008 R2; from 2012 on, the note under 'Backing up the virtual machines' "
        "of the Hyper-V WMI page 'Backing up and restoring virtual machines' says the same "
        "of pass-through and iSCSI disks, which the host cannot see."
    ),
    remedy="Back the disk up from inside the guest, in addition to the host backup.",
)


def _pass_through(disk: Disk, ctx: Context) -> CheckResult:
    if disk.attachment is not _PASS_THROUGH:
        return None
    return ctx.finding(
        PASS_THROUGH_DISK,
        disk.name,
        f"Disk {quoted(disk.name)} of VM {quoted(ctx.name)} is a pass-through disk; the host "
        "backup does not hold it.",
    )


#: HVB202.
GUEST_ISCSI = Rule(
    id="HVB202",
    title="Guest iSCSI storage is not in the host backup",
    severity=Severity.WARNING,
    profiles=ALL_PROFILES,
    source=Source(page=GUIDANCE, heading=pages.STORAGE),
    description=(
        "The guest reaches the disk through its own iSCSI initiator; a backup of the host "
        "does not include it. The guidance says so for 2008 and 2008 R2; from 2012 on, the "
        "Hyper-V WMI page 'Backing up and restoring virtual machines' says the same."
    ),
    remedy=("Back the disk up from inside the guest, before the full server backup runs."),
)


def _guest_iscsi(disk: Disk, ctx: Context) -> CheckResult:
    if disk.attachment is not _GUEST_ISCSI:
        return None
    return ctx.finding(
        GUEST_ISCSI,
        disk.name,
        f"Disk {quoted(disk.name)} of VM {quoted(ctx.name)} is reached through the guest's iSCSI "
        "initiator; the host backup does not hold it.",
    )


#: HVB203.
LACKS_KB975354 = Rule(
    id="HVB203",
    title="Guest iSCSI storage lengthens backups without KB975354",
    severity=Severity.INFO,
    profiles=frozenset({Profile.WS2008}),
    source=Source(page=GUIDANCE, heading=pages.STORAGE),
    description=(
        "A VM uses guest iSCSI storage on a Windows Server 2008 R2 host without "
        "KB975354: the iSCSI VSS provider may take a temporary snapshot of each LUN, "
        "which the writer does not use but which makes the full server backup longer."
    ),
    remedy="Install the KB975354 hotfix on the host.",
)


def _lacks_kb975354(disk: Disk, ctx: Context) -> CheckResult:
    if disk.attachment is not _GUEST_ISCSI or not ctx.release.lacks(ctx.node, "KB975354"):
        return None
    return ctx.finding(
        LACKS_KB975354,
        disk.name,
        f"Host {quoted(ctx.at)} lacks KB975354, so guest iSCSI disk {quoted(disk.name)} of VM "
        f"{quoted(ctx.name)} can lengthen the full server backup.",
    )


#: HVB204.
NOT_SKIPPED_BY_CHECKPOINT = Rule(
    id="HVB204",
    title="Disk a checkpoint cannot hold, not left out by the backup application: backup fails",
    severity=Severity.ERROR,
    profiles=frozenset({Profile.WS2016}),
    source=Source(
        page=SNAPSHOT_SETTINGS,
        heading="Properties",
        claim=Claim.INFERRED,
        inference=(
            "The settings a backup passes with its checkpoint say whether pass-through and "
            "Fibre Channel disks are ignored (IgnoreNonSnapshottableDisks), and the "
            "checkpoint troubleshooting guide says checkpoints of such disks are not "
            "supported: a checkpoint that does not ignore them is read as failing, and the "
            "backup with it."
        ),
        anchor="hvb204",
    ),
    description=(
        "From Windows Server 2016 on, a backup through the Hyper-V WMI API takes a "
        "checkpoint of the VM, and tells Hyper-V whether to leave out the disks a checkpoint "
        "cannot hold: pass-through disks and virtual Fibre Channel storage. The backup "
        "application of this node does not leave them out "
        "(ignores_non_snapshottable_disks: false), and the VM has such a disk, so its "
        "checkpoint, and its backup, fail. Left out, those disks are still not in the host "
        "backup (HVB201, HVB619)."
    ),
    remedy=(
        "Set the backup application to leave such disks out of its checkpoints and back "
        "their data up from inside the guest, or convert them to virtual hard disks."
    ),
)


def _fails_on_unsnapshottable(ctx: Context) -> bool:
    app = ctx.node.backup_application
    return (
        ctx.wmi_backup
        and app is not None
        and app.ignores_non_snapshottable_disks is False
        and app.uses_wmi_backup is not False
    )


def _pass_through_not_skipped(disk: Disk, ctx: Context) -> CheckResult:
    if disk.attachment is not _PASS_THROUGH or not _fails_on_unsnapshottable(ctx):
        return None
    return ctx.finding(
        NOT_SKIPPED_BY_CHECKPOINT,
        disk.name,
        f"Disk {quoted(disk.name)} of VM {quoted(ctx.name)} is a pass-through disk, which a checkpoint "
        "cannot hold, and the backup application does not leave it out: the backup fails.",
    )


def _fibre_channel_not_skipped(vm: VM, ctx: Context) -> CheckResult:
    if not vm.fibre_channel_adapters or not _fails_on_unsnapshottable(ctx):
        return None
    return [
        ctx.finding(
            NOT_SKIPPED_BY_CHECKPOINT,
            adapter,
            f"Virtual Fibre Channel adapter {quoted(adapter)} of VM {quoted(vm.name)} reaches storage a "
            "checkpoint cannot hold, and the backup application does not leave it out: the "
            "backup fails.",
        )
        for adapter in vm.fibre_channel_adapters
    ]


#: HVB205.
SHARE_BY_ADDRESS = Rule(
    id="HVB205",
    title="VM files on a share named by an IP address",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2012, Profile.WS2016}),
    source=Source(page=DPM_HYPERV, heading="Backup prerequisites"),
    description=(
        "A virtual hard disk of the VM is on an SMB 3 share whose file server the path "
        "names by an IPv4 or IPv6 address rather than by name. The prerequisites of a "
        "host-level backup of VMs on SMB storage list that among the scenarios that are "
        "not supported; no page says what the backup then does."
    ),
    remedy="Name the file server by its name in the VM's paths (move the storage again).",
)


def _share_by_address(disk: Disk, ctx: Context) -> CheckResult:
    server = smb_server(disk.path)
    if server is None or not names_by_address(server):
        return None
    return ctx.finding(
        SHARE_BY_ADDRESS,
        disk.name,
        f"Disk {quoted(disk.name)} of VM {quoted(ctx.name)} is on a share of file server {quoted(server)}, "
        "named by its address, which a backup of VMs on SMB storage does not support.",
    )


#: The rules of this family, in ID order.
STORAGE_RULES: tuple[Rule, ...] = (
    PASS_THROUGH_DISK,
    GUEST_ISCSI,
    LACKS_KB975354,
    NOT_SKIPPED_BY_CHECKPOINT,
    SHARE_BY_ADDRESS,
)


#: When the rules of this family fire, in the order their findings are listed.
STORAGE_CHECKS: tuple[Check, ...] = (
    Check(
        rule=PASS_THROUGH_DISK,
        scope=Scope.DISK,
        phase=Phase.DISKS,
        effect=Effect.LEAVES_OUT,
        findings=_pass_through,
    ),
    Check(
        rule=GUEST_ISCSI,
        scope=Scope.DISK,
        phase=Phase.DISKS,
        effect=Effect.LEAVES_OUT,
        findings=_guest_iscsi,
    ),
    Check(
        rule=LACKS_KB975354,
        scope=Scope.DISK,
        phase=Phase.DISKS,
        effect=Effect.NONE,
        findings=_lacks_kb975354,
    ),
    # Where the VM's files are: these shape its outcome.
    Check(
        rule=NOT_SKIPPED_BY_CHECKPOINT,
        scope=Scope.DISK,
        phase=Phase.STORAGE,
        effect=Effect.FAILS,
        findings=_pass_through_not_skipped,
    ),
    Check(
        rule=NOT_SKIPPED_BY_CHECKPOINT,
        scope=Scope.VM,
        phase=Phase.STORAGE,
        effect=Effect.FAILS,
        findings=_fibre_channel_not_skipped,
    ),
    Check(
        rule=SHARE_BY_ADDRESS,
        scope=Scope.VIRTUAL_HARD_DISK,
        phase=Phase.STORAGE,
        effect=Effect.NONE,
        findings=_share_by_address,
    ),
)
