"""Windows Server 2012 and later (HVB6xx): what a host-level backup does on the later releases.

Each rule cites the Microsoft page and heading it comes from. How each source
is read is written down in ``docs/interpretation.md``; behaviours no page was
found for are not rules.
"""

from __future__ import annotations

from hyperv_backup.rules.rule import Rule, Severity
from hyperv_backup.rules.sources import (
    CHECKPOINTS,
    CSV_PAGE,
    DPM_HYPERV,
    GUEST_CLUSTER_KB,
    INTEGRATION_SERVICES,
    LINUX_FEATURES,
    LINUX_UBUNTU,
    VHD_SET,
    VIRTUAL_FIBRE_CHANNEL,
    VM_VERSION,
    WMI_BACKUP,
    cite,
)

__all__ = ["MODERN_RULES"]

#: The rules of this family, in ID order.
MODERN_RULES: tuple[Rule, ...] = (
    Rule(
        id="HVB601",
        title="Linux guest is saved for the backup on Windows Server 2012",
        severity=Severity.WARNING,
        section=cite("Online and offline backup", DPM_HYPERV),
        description=(
            "On a Windows Server 2012 host a Linux or FreeBSD guest cannot take part in an "
            "online backup, so the running VM is saved while it is backed up (downtime)."
        ),
        remedy=(
            "Plan the downtime, or move the VM to a Windows Server 2012 R2 or later host, "
            "where Linux guests are backed up while they run."
        ),
    ),
    Rule(
        id="HVB602",
        title="Guest cannot take part: crash-consistent backup",
        severity=Severity.WARNING,
        section=cite("Online and offline backup", DPM_HYPERV),
        description=(
            "From Windows Server 2012 R2 on, a VM keeps running while it is backed up. When "
            "its guest cannot take part (no integration services, the backup service "
            "disabled, a dynamic disk, a volume that is neither NTFS nor ReFS, VSS off on a "
            "volume, shadow copies kept on another volume, or guest facts not collected), "
            "its applications are not quiesced and the copy is crash-consistent: restored, "
            "it starts as after a power loss."
        ),
        remedy=(
            "Remove the named obstacle (the same conditions the guest's Volume Shadow Copy "
            "Service needs) to get an application-consistent backup."
        ),
    ),
    Rule(
        id="HVB603",
        title="Production-only checkpoints and a guest that cannot take part: backup fails",
        severity=Severity.ERROR,
        section=cite("Change checkpoints to production or standard checkpoints", CHECKPOINTS),
        description=(
            "The VM is set to production checkpoints with no fallback to a standard "
            "checkpoint, and its guest cannot be quiesced. Hyper-V then takes no checkpoint "
            "at all, and a backup, which is taken through a checkpoint from Windows Server "
            "2016 on, fails."
        ),
        remedy=(
            "Fix what keeps the guest from taking part, or allow the fallback to a standard "
            "checkpoint (Set-VM -CheckpointType Production) and accept a crash-consistent "
            "backup."
        ),
    ),
    Rule(
        id="HVB604",
        title="Linux guest: file-system-consistent backup",
        severity=Severity.INFO,
        section=cite("Backup prerequisites", DPM_HYPERV),
        description=(
            "A Linux or FreeBSD guest takes part in a backup by freezing its file systems "
            "through its VSS daemon. The copy is consistent at file-system level; there are "
            "no application writers to quiesce the applications inside."
        ),
        remedy=(
            "For application-consistent copies of a Linux workload, add a backup inside the "
            "guest that the application supports."
        ),
    ),
    Rule(
        id="HVB605",
        title="Linux VSS daemon not running: crash-consistent backup",
        severity=Severity.WARNING,
        section=cite("Hyper-V Volume Shadow Copy Requestor", INTEGRATION_SERVICES),
        description=(
            "The VSS daemon of a Linux or FreeBSD guest (hv_vss_daemon, packaged as "
            "hypervvssd) is not running, or was not seen running. Without it the guest "
            "cannot freeze its file systems for the backup, and Hyper-V falls back to a "
            "checkpoint the guest takes no part in: the copy is crash-consistent."
        ),
        remedy=(
            "Install the Hyper-V daemons package of the distribution and enable the VSS "
            "daemon (for example systemctl enable --now hypervvssd)."
        ),
    ),
    Rule(
        id="HVB606",
        title="Linux guest with disks on remote storage: live backup fails",
        severity=Severity.ERROR,
        section=cite("Storage", LINUX_FEATURES),
        description=(
            "A Linux or FreeBSD guest has virtual hard disks on remote storage (an SMB share "
            "or an iSCSI volume of the host). A live backup of such a VM does not succeed."
        ),
        remedy=(
            "Move the VM's virtual hard disks to local, SAN or Cluster Shared Volume "
            "storage, or back it up from inside the guest."
        ),
    ),
    Rule(
        id="HVB607",
        title="Linux guest with pass-through or iSCSI storage: backup can fail silently",
        severity=Severity.WARNING,
        section=cite("Notes", LINUX_UBUNTU),
        description=(
            "A Linux or FreeBSD guest has a pass-through disk or storage of its own iSCSI "
            "initiator attached. Microsoft notes that a live backup of such a VM can fail "
            "without saying so."
        ),
        remedy=(
            "Check each backup of this VM by restoring it, or back the VM up from inside the guest."
        ),
    ),
    Rule(
        id="HVB608",
        title="Generation 1 VM without a SCSI controller on Windows Server 2012 R2",
        severity=Severity.ERROR,
        section=cite("Backup prerequisites", DPM_HYPERV),
        description=(
            "On Windows Server 2012 R2 the host attaches a disk to the VM through a SCSI "
            "controller during an online backup. A generation 1 VM without one cannot be "
            "backed up online: the backup fails with event 10103."
        ),
        remedy="Add a SCSI controller to the VM; it need not have a disk attached.",
    ),
    Rule(
        id="HVB609",
        title="Configuration version not supported by the host",
        severity=Severity.ERROR,
        section=cite(
            "Supported VM configuration versions for long-term servicing hosts", VM_VERSION
        ),
        description=(
            "The VM's configuration version is not one the host's release supports, so the "
            "VM cannot be started there; the host cannot back it up as a working VM."
        ),
        remedy=(
            "Upgrade the configuration version (Update-VMVersion) on a host that supports "
            "both versions, or recreate the VM from its virtual hard disks."
        ),
    ),
    Rule(
        id="HVB610",
        title="Configuration version too old for production checkpoints",
        severity=Severity.WARNING,
        section=cite(
            "What happens if I don't upgrade the virtual machine configuration version?",
            VM_VERSION,
        ),
        description=(
            "Production checkpoints need configuration version 6.2 or later; this VM's "
            "version is older, so it cannot have the checkpoints a Windows Server 2016 or "
            "later backup takes through the guest."
        ),
        remedy=(
            "Upgrade the configuration version (Update-VMVersion) once the VM no longer "
            "needs to move back to an older host."
        ),
    ),
    Rule(
        id="HVB611",
        title="Shared VHDX cannot be checkpointed: host backup fails",
        severity=Severity.ERROR,
        section=cite("Create Hyper-V VHD Set files", VHD_SET),
        description=(
            "A disk is a shared VHDX (a .vhdx shared by a guest cluster). Only the VHD Set "
            "format of Windows Server 2016 can be part of a checkpoint, so a host-level "
            "backup of this VM cannot be taken."
        ),
        remedy=(
            "Convert the shared disk to a VHD Set (.vhds) on Windows Server 2016 or later, or "
            "back the guest cluster up from inside its guests."
        ),
    ),
    Rule(
        id="HVB612",
        title="VHD Set of a guest cluster: conditions for a host backup",
        severity=Severity.WARNING,
        section=cite("Cause and resolution", GUEST_CLUSTER_KB),
        description=(
            "A disk is a VHD Set shared by a guest cluster. Its host backup works only when "
            "the Cluster service runs in every guest, the shared disk is not a Cluster Shared "
            "Volume inside the guest cluster, every shared disk is online in it, and the VM "
            "worker processes may write the folder of the .vhds files. VHD Sets are not "
            "supported as shared storage on Windows Server 2012 R2 and earlier."
        ),
        remedy=(
            "Check the four conditions before the backup; on Windows Server 2012 R2 use a "
            "guest-level backup."
        ),
    ),
    Rule(
        id="HVB613",
        title="SMB file server without the File Server VSS Agent",
        severity=Severity.ERROR,
        section=cite("Backup prerequisites", DPM_HYPERV),
        description=(
            "The VM's files are on an SMB 3 share, and the File Server VSS Agent Service does "
            "not run on the file server (or that was not seen). Without it the share cannot "
            "take part in the backup's shadow copy."
        ),
        remedy=(
            "Install the File Server VSS Agent Service role service on every SMB file server "
            "that holds VM files."
        ),
    ),
    Rule(
        id="HVB614",
        title="VM files split between local volumes and an SMB share",
        severity=Severity.WARNING,
        section=cite("Backup prerequisites", DPM_HYPERV),
        description=(
            "Some of the VM's virtual hard disks are on the host's own volumes and some on an "
            "SMB share. Backing up a VM split this way is not supported."
        ),
        remedy="Move all of the VM's files to the share, or all of them to local storage.",
    ),
    Rule(
        id="HVB615",
        title="Windows Server Backup on a Cluster Shared Volume: crash-consistent only",
        severity=Severity.WARNING,
        section=cite("Back up CSV", CSV_PAGE),
        description=(
            "Windows Server Backup backs up a VM on a Cluster Shared Volume only as a "
            "crash-consistent volume-level copy; the backup succeeds, and an error event says "
            "that an application-consistent one is not supported."
        ),
        remedy=(
            "Use a backup application that supports application-consistent backup of VMs "
            "on Cluster Shared Volumes."
        ),
    ),
    Rule(
        id="HVB616",
        title="VM on a Cluster Shared Volume: backed up from any node",
        severity=Severity.INFO,
        section=cite("Back up CSV", CSV_PAGE),
        description=(
            "Files of the VM live on a Cluster Shared Volume. From Windows Server 2012 on, a "
            "volume-level backup of a CSV runs from any node that reaches it, and CSV needs "
            "no backup steps beyond those of other cluster storage: no owner move is planned."
        ),
        remedy="Nothing to prepare; the backup application picks the node.",
    ),
    Rule(
        id="HVB617",
        title="Replica VM: crash-consistent backup only",
        severity=Severity.WARNING,
        section=cite("Back up replica virtual machines", DPM_HYPERV),
        description=(
            "The VM is a Hyper-V Replica copy. It is off until a failover, so its backup "
            "cannot be application-consistent: it is crash-consistent."
        ),
        remedy=(
            "Back up the primary VM for application-consistent copies; keep replica backups "
            "for offloaded or long-term copies."
        ),
    ),
    Rule(
        id="HVB618",
        title="Replica VM cannot be backed up now",
        severity=Severity.ERROR,
        section=cite("Back up replica virtual machines", DPM_HYPERV),
        description=(
            "The VM is a Hyper-V Replica copy that is not in a normal state (critical health, "
            "initial replication or resynchronisation, log apply, failover or migration under "
            "way), or the host runs Windows Server 2012, where replica VMs cannot be backed "
            "up. The backup of this VM fails."
        ),
        remedy=(
            "Back up the primary VM, or wait until replication is back to normal (on a "
            "Windows Server 2012 R2 or later replica host)."
        ),
    ),
    Rule(
        id="HVB619",
        title="Virtual Fibre Channel storage is not in the host backup",
        severity=Severity.WARNING,
        section=cite("How Virtual Fibre Channel works", VIRTUAL_FIBRE_CHANNEL),
        description=(
            "The VM has virtual Fibre Channel adapters: the guest reaches SAN LUNs directly. "
            "Like pass-through and guest iSCSI disks, that storage is not visible to the "
            "host, so the host backup leaves it out."
        ),
        remedy="Back up the data on those LUNs from inside the guest, or on the SAN.",
    ),
    Rule(
        id="HVB620",
        title="No disk the host backup can hold",
        severity=Severity.ERROR,
        section=cite("Backing up the virtual machines", WMI_BACKUP),
        description=(
            "Every disk of the VM is a pass-through disk or guest iSCSI storage, which the "
            "host cannot see; the host backup holds the VM's configuration but none of its "
            "data."
        ),
        remedy="Back up the VM from inside the guest.",
    ),
)
