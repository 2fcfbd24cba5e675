"""Online and offline backups (HVB3xx): what blocks an online backup, and what an offline one costs."""

from __future__ import annotations

from hyperv_backup.rules import sources
from hyperv_backup.rules.rule import Rule, Severity

__all__ = ["ONLINE_RULES"]

#: The rules of this family, in ID order.
ONLINE_RULES: tuple[Rule, ...] = (
    Rule(
        id="HVB301",
        title="Integration services not installed",
        severity=Severity.WARNING,
        section=sources.ONLINE,
        description=(
            "Integration services are not installed in the guest, so it cannot take part in "
            "an online backup."
        ),
        remedy="Install the integration services in the guest.",
    ),
    Rule(
        id="HVB302",
        title="Backup integration service disabled",
        severity=Severity.WARNING,
        section=sources.ONLINE,
        description=(
            "The backup integration service (the Hyper-V Volume Shadow Copy Requestor in the "
            "guest) is disabled, so the VM cannot be backed up online."
        ),
        remedy="Enable the backup (volume shadow copy) integration service for the VM.",
    ),
    Rule(
        id="HVB303",
        title="Dynamic disk in the guest",
        severity=Severity.WARNING,
        section=sources.ONLINE,
        description=(
            "The guest has configured the disk as a dynamic disk, which prevents an online "
            "backup. A dynamically expanding virtual hard disk is a different thing and is "
            "not a problem."
        ),
        remedy="Convert the disk to a basic disk inside the guest.",
    ),
    Rule(
        id="HVB304",
        title="Volume is not NTFS",
        severity=Severity.WARNING,
        section=sources.ONLINE,
        description=(
            "The volume is not formatted with NTFS (FAT32, for example), which prevents an "
            "online backup."
        ),
        remedy="Move the data to an NTFS volume, or reformat the volume as NTFS.",
    ),
    Rule(
        id="HVB305",
        title="VSS not enabled on a volume",
        severity=Severity.WARNING,
        section=sources.ONLINE,
        description=(
            "The Volume Shadow Copy Service is not enabled on the volume, which prevents an "
            "online backup."
        ),
        remedy="Enable shadow copies on the volume inside the guest.",
    ),
    Rule(
        id="HVB306",
        title="Shadow copies stored on another volume",
        severity=Severity.WARNING,
        section=sources.ONLINE,
        description=(
            "The volume's shadow copies are stored on a different volume; for an online "
            "backup each volume must hold its own shadow copies."
        ),
        remedy=(
            "Make the volume its own shadow copy storage location (vssadmin resize "
            "shadowstorage /for=X: /on=X:)."
        ),
    ),
    Rule(
        id="HVB307",
        title="VM is not running",
        severity=Severity.INFO,
        section=sources.ONLINE,
        description=("The VM is paused, saved or off; only a running VM can be backed up online."),
        remedy="Nothing is required; start the VM before the backup if an online backup is wanted.",
    ),
    Rule(
        id="HVB308",
        title="Offline backup saves the running VM",
        severity=Severity.WARNING,
        section=sources.ONLINE,
        description=(
            "The VM is running or paused and will be backed up offline: it is saved while "
            "the backup runs, which is downtime, and resumes its previous state afterwards."
        ),
        remedy=(
            "Schedule the backup in a maintenance window, or remove the conditions that "
            "block an online backup."
        ),
    ),
    Rule(
        id="HVB309",
        title="Guest not inventoried",
        severity=Severity.WARNING,
        section=sources.ONLINE,
        description=(
            "The facts seen from inside the guest (disk types, volumes, file systems, VSS "
            "settings, guest iSCSI) were not collected, so an online backup cannot be "
            "confirmed; the VM is planned as offline."
        ),
        remedy="Collect the guest's disks and volumes and check again.",
    ),
)
