"""The host and its backup application (HVB1xx): prerequisites, and what a host backup leaves out."""

from __future__ import annotations

from hyperv_backup.rules import sources
from hyperv_backup.rules.rule import Rule, Severity

__all__ = ["HOST_RULES"]

#: The rules of this family, in ID order.
HOST_RULES: tuple[Rule, ...] = (
    Rule(
        id="HVB100",
        title="Host newer than the guidance",
        severity=Severity.INFO,
        section=sources.SCOPE,
        description=(
            "The host runs a Windows Server release later than 2008 R2 and is answered by "
            "the 2008 profile, because that profile was named. The guidance was written for "
            "2008 and 2008 R2; from 2012 R2 on, Hyper-V takes a checkpoint of a VM that "
            "cannot be backed up online instead of saving it."
        ),
        remedy=(
            "Read the downtime figures for this host as an upper bound, or let the profile "
            "of its own release answer (leave out the profile)."
        ),
    ),
    Rule(
        id="HVB101",
        title="Backup application does not use the Hyper-V VSS writer",
        severity=Severity.ERROR,
        section=sources.OPTIONS,
        description=(
            "The backup application does not work through the Hyper-V VSS writer, so it "
            "cannot take consistent backups of the VMs or the Hyper-V settings."
        ),
        remedy="Use a backup application that supports the Hyper-V VSS writer.",
    ),
    Rule(
        id="HVB102",
        title="Hyper-V VSS writer not registered with Windows Server Backup",
        severity=Severity.ERROR,
        section=sources.OPTIONS,
        description=(
            "Windows Server Backup is the backup application and the Hyper-V VSS writer has "
            "not been registered with it, so VMs are not backed up through the writer."
        ),
        remedy=(
            "Register the writer as KB958662 describes: under HKLM\\SOFTWARE\\Microsoft\\"
            "Windows NT\\CurrentVersion\\WindowsServerBackup\\Application Support\\"
            "{66841CD4-6DED-4F4B-8F17-FD23F8DDC3DE}, set the string value "
            "'Application Identifier' to 'Hyper-V'."
        ),
    ),
    Rule(
        id="HVB103",
        title="Windows Server 2008 R2 host lacks KB982210",
        severity=Severity.WARNING,
        section=sources.OPTIONS,
        description=(
            "On Windows Server 2008 R2 without KB982210, frequent VM backups can make the host "
            "start more and more slowly, or stop at the Welcome screen."
        ),
        remedy="Install the KB982210 hotfix on the host.",
    ),
    Rule(
        id="HVB104",
        title="Virtual networks are not in a full server backup",
        severity=Severity.INFO,
        section=sources.OPTIONS,
        description=(
            "The host has virtual networks; a full server backup leaves them out, so they "
            "must be recreated by hand after a full restore."
        ),
        remedy=(
            "Record each virtual network's configuration and settings (kind, physical "
            "adapter, VLAN) with the backup."
        ),
    ),
    Rule(
        id="HVB105",
        title="VM snapshots are no backup",
        severity=Severity.INFO,
        section=sources.SCOPE,
        description=(
            "The VM has VM snapshots. The host backup carries them, but they are meant for "
            "development and test and risk data loss when not managed."
        ),
        remedy="Do not rely on VM snapshots for recovery; keep regular backups instead.",
    ),
    Rule(
        id="HVB106",
        title="Windows Server Backup cannot back up VMs on a Cluster Shared Volume",
        severity=Severity.ERROR,
        section=sources.OPTIONS,
        description=(
            "Windows Server Backup is used and files of the VM live on a Cluster Shared "
            "Volume, which it does not support (KB958662)."
        ),
        remedy=("Back up this VM with a backup application that supports Cluster Shared Volumes."),
    ),
    Rule(
        id="HVB107",
        title="Windows Server Backup cannot restore a VM with several snapshots",
        severity=Severity.WARNING,
        section=sources.OPTIONS,
        description=(
            "Windows Server Backup is used and the VM has two or more VM snapshots; "
            "Windows Server Backup does not restore such a VM (KB958662)."
        ),
        remedy="Delete the snapshots that are not needed, or use another backup application.",
    ),
)
