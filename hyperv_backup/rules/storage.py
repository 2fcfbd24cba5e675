"""Storage the host backup misses (HVB2xx)."""

from __future__ import annotations

from hyperv_backup._base import public_dir
from hyperv_backup.model import Attachment, Disk
from hyperv_backup.rules import pages
from hyperv_backup.rules.check import Check, CheckResult, Context, Effect, Phase, Scope
from hyperv_backup.rules.pages import GUIDANCE
from hyperv_backup.rules.profiles import ALL_PROFILES, Profile
from hyperv_backup.rules.rule import Rule, Severity
from hyperv_backup.rules.source import Source

__all__ = [
    "GUEST_ISCSI",
    "LACKS_KB975354",
    "PASS_THROUGH_DISK",
    "STORAGE_CHECKS",
    "STORAGE_RULES",
    "missed_by_host_backup",
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
        "cannot back it up, so no host-level backup holds it."
    ),
    remedy="Back the disk up from inside the guest, in addition to the host backup.",
)


def _pass_through(disk: Disk, ctx: Context) -> CheckResult:
    if disk.attachment is not _PASS_THROUGH:
        return None
    return ctx.finding(
        PASS_THROUGH_DISK,
        disk.name,
        f"Disk {disk.name!r} of VM {ctx.name!r} is a pass-through disk; the host "
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
        "does not include it."
    ),
    remedy=("Back the disk up from inside the guest, before the full server backup runs."),
)


def _guest_iscsi(disk: Disk, ctx: Context) -> CheckResult:
    if disk.attachment is not _GUEST_ISCSI:
        return None
    return ctx.finding(
        GUEST_ISCSI,
        disk.name,
        f"Disk {disk.name!r} of VM {ctx.name!r} is reached through the guest's iSCSI "
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
        f"Host {ctx.at!r} lacks KB975354, so guest iSCSI disk {disk.name!r} of VM "
        f"{ctx.name!r} can lengthen the full server backup.",
    )


#: The rules of this family, in ID order.
STORAGE_RULES: tuple[Rule, ...] = (
    PASS_THROUGH_DISK,
    GUEST_ISCSI,
    LACKS_KB975354,
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
)

#: The rule that says the host backup misses a disk, by how the disk is attached.
_MISSED = {Attachment.PASS_THROUGH: PASS_THROUGH_DISK, Attachment.GUEST_ISCSI: GUEST_ISCSI}


def missed_by_host_backup(disk: Disk) -> Rule | None:
    """Return the rule that says the host-level backup misses ``disk``, or ``None``."""
    return _MISSED.get(disk.attachment)
