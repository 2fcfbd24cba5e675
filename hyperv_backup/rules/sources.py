"""The sources the rules cite.

The rules of HVB1xx-HVB5xx come from Microsoft's Hyper-V "Planning for
Backup", written for Windows Server 2008 and 2008 R2: their ``section`` is one
of its headings. The rules of HVB6xx, for Windows Server 2012 and later, cite a
heading of another Microsoft page with :func:`cite`.
"""

from __future__ import annotations

__all__ = [
    "ACCESS_DENIED_KB",
    "BACKUP_APPROACHES",
    "BACKUP_TROUBLESHOOTING",
    "CHECKPOINTS",
    "CLUSTER",
    "CSV_PAGE",
    "DISK_SIGNATURE_KB",
    "DPM_HYPERV",
    "GUEST_CLUSTER_KB",
    "INTEGRATION_SERVICES",
    "LINUX_FEATURES",
    "LINUX_UBUNTU",
    "ONLINE",
    "OPTIONS",
    "RESTORE",
    "SCOPE",
    "STORAGE",
    "VHD_SET",
    "VIRTUAL_FIBRE_CHANNEL",
    "VM_VERSION",
    "VSS_WRITER_STATE_PAGE",
    "WMI_BACKUP",
    "cite",
]

SCOPE = "Planning for Backup"
OPTIONS = "Understanding backup options and considerations"
STORAGE = "Storage considerations"
ONLINE = "Understanding online and offline backups"
RESTORE = "Understanding the restore process"
CLUSTER = "Considerations about clustered virtual machines"

# --- Microsoft's documentation of Windows Server 2012 and later --------------------
#
# The rules of the later profiles (HVB6xx) cite a page and its heading. Each page
# is named by its repository and path in Microsoft's public documentation.

#: System Center DPM, "Back up Hyper-V virtual machines".
DPM_HYPERV = (
    "MicrosoftDocs/SystemCenterDocs: SystemCenterDocs/dpm/back-up-hyper-v-virtual-machines.md"
)
#: "Choose between standard or production checkpoints in Hyper-V".
CHECKPOINTS = (
    "MicrosoftDocs/windowsserverdocs: WindowsServerDocs/virtualization/hyper-v/manage/"
    "Choose-between-standard-or-production-checkpoints-in-Hyper-V.md"
)
#: "Upgrade virtual machine version in Hyper-V on Windows or Windows Server".
VM_VERSION = (
    "MicrosoftDocs/windowsserverdocs: WindowsServerDocs/virtualization/hyper-v/deploy/"
    "Upgrade-virtual-machine-version-in-Hyper-V-on-Windows-or-Windows-Server.md"
)
#: "Feature Descriptions for Linux and FreeBSD virtual machines on Hyper-V".
LINUX_FEATURES = (
    "MicrosoftDocs/windowsserverdocs: WindowsServerDocs/virtualization/hyper-v/"
    "Feature-Descriptions-for-Linux-and-FreeBSD-virtual-machines-on-Hyper-V.md"
)
#: "Supported Ubuntu virtual machines on Hyper-V" (its notes).
LINUX_UBUNTU = (
    "MicrosoftDocs/windowsserverdocs: WindowsServerDocs/virtualization/hyper-v/"
    "Supported-Ubuntu-virtual-machines-on-Hyper-V.md"
)
#: "Hyper-V Integration Services" reference.
INTEGRATION_SERVICES = (
    "MicrosoftDocs/Virtualization-Documentation: "
    "virtualization/hyper-v-on-windows/reference/integration-services.md"
)
#: "Hyper-V Backup Approaches".
BACKUP_APPROACHES = (
    "MicrosoftDocs/Virtualization-Documentation: "
    "virtualization/hyper-v-on-windows/reference/HyperVBackupApproaches.md"
)
#: "Use Cluster Shared Volumes in a failover cluster".
CSV_PAGE = "MicrosoftDocs/windowsserverdocs: WindowsServerDocs/failover-clustering/failover-cluster-csvs.md"
#: "Create Hyper-V VHD Set files".
VHD_SET = (
    "MicrosoftDocs/windowsserverdocs: WindowsServerDocs/virtualization/hyper-v/manage/"
    "Create-VHDSet-file.md"
)
#: Support article KB4230569.
GUEST_CLUSTER_KB = (
    "MicrosoftDocs/SupportArticles-docs: KB4230569, "
    "Errors when backing up VMs that belong to a guest cluster in Windows"
)
#: "Hyper-V Virtual Fibre Channel".
VIRTUAL_FIBRE_CHANNEL = (
    "MicrosoftDocs/windowsserverdocs: WindowsServerDocs/virtualization/hyper-v/plan/"
    "virtual-fibre-channel-for-hyper-v.md"
)
#: Hyper-V WMI "Backing up and restoring virtual machines".
WMI_BACKUP = (
    "MicrosoftDocs/win32: desktop-src/HyperV_v2/backing-up-and-restoring-virtual-machines.md"
)


def cite(heading: str, page: str) -> str:
    """Return the ``section`` of a rule from a later page: its heading, then the page.

    >>> cite("Back up CSV", CSV_PAGE)
    'Back up CSV (MicrosoftDocs/windowsserverdocs: WindowsServerDocs/failover-clustering/failover-cluster-csvs.md)'
    """
    return f"{heading} ({page})"


# --- Pages the signatures of HVB7xx cite ---------------------------------------------
#: The troubleshooting guide of Hyper-V backup, checkpoint and storage failures (2016 to 2025).
BACKUP_TROUBLESHOOTING = (
    "MicrosoftDocs/SupportArticles-docs: "
    "support/windows-server/virtualization/hyper-v-virtual-machine-backup-checkpoint-storage.md"
)
#: The VSS_WRITER_STATE enumeration (vss.h).
VSS_WRITER_STATE_PAGE = "MicrosoftDocs/sdk-api: sdk-api-src/content/vss/ne-vss-vss_writer_state.md"
#: KB2249906: error 0x80070005 when the VM's SID is missing from a .vhd or .avhd file.
ACCESS_DENIED_KB = (
    "MicrosoftDocs/SupportArticles-docs: "
    "support/windows-server/virtualization/hyper-v-virtual-machine-not-start-0x80070005.md"
)
#: KB975695: backup fails with 0x800423f4 when a virtual disk has a host disk's signature.
DISK_SIGNATURE_KB = "https://mskb.pkisolutions.com/kb/975695 (KB975695)"
