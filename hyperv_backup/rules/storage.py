"""Storage the host backup misses (HVB2xx)."""

from __future__ import annotations

from hyperv_backup.rules import sources
from hyperv_backup.rules.rule import Rule, Severity

__all__ = ["STORAGE_RULES"]

#: The rules of this family, in ID order.
STORAGE_RULES: tuple[Rule, ...] = (
    Rule(
        id="HVB201",
        title="Pass-through disk is not in the host backup",
        severity=Severity.WARNING,
        section=sources.STORAGE,
        description=(
            "The disk is a physical disk attached directly to the VM; the Hyper-V VSS writer "
            "cannot back it up, so no host-level backup holds it."
        ),
        remedy="Back the disk up from inside the guest, in addition to the host backup.",
    ),
    Rule(
        id="HVB202",
        title="Guest iSCSI storage is not in the host backup",
        severity=Severity.WARNING,
        section=sources.STORAGE,
        description=(
            "The guest reaches the disk through its own iSCSI initiator; a backup of the host "
            "does not include it."
        ),
        remedy=("Back the disk up from inside the guest, before the full server backup runs."),
    ),
    Rule(
        id="HVB203",
        title="Guest iSCSI storage lengthens backups without KB975354",
        severity=Severity.INFO,
        section=sources.STORAGE,
        description=(
            "A VM uses guest iSCSI storage on a Windows Server 2008 R2 host without "
            "KB975354: the iSCSI VSS provider may take a temporary snapshot of each LUN, "
            "which the writer does not use but which makes the full server backup longer."
        ),
        remedy="Install the KB975354 hotfix on the host.",
    ),
)
