"""The pages the rules cite, each with its public address and where its text is kept.

The rules of HVB1xx-HVB5xx come from Microsoft's Hyper-V "Planning for
Backup" (:data:`GUIDANCE`), written for Windows Server 2008 and 2008 R2; the
headings of that page are the constants at the top. The rules of HVB6xx,
HVB7xx, HVB8xx and HVB9xx cite other Microsoft pages, most of them kept in
Microsoft's public documentation repositories. A page's address on
learn.microsoft.com follows
from its repository path (``WindowsServerDocs/x.md`` is
``https://learn.microsoft.com/en-us/windows-server/x``); ``docs/interpretation.md``
says how each address was confirmed.
"""

from __future__ import annotations

from hyperv_backup._base import public_dir
from hyperv_backup.rules.source import Page, Source

__all__ = [
    "ACCESS_DENIED_KB",
    "BACKUP_APPROACHES",
    "BACKUP_TROUBLESHOOTING",
    "BPA_CHECKPOINTS",
    "BPA_RECOVERY_SNAPSHOTS",
    "BPA_WEEKLY_BACKUP",
    "CHECKPOINTS",
    "CHECKPOINT_TROUBLESHOOTING",
    "CLUSTER",
    "CSV_MANAGE",
    "CSV_PAGE",
    "DISK_SIGNATURE_KB",
    "DPM_HYPERV",
    "DPM_WHATS_NEW_2016",
    "FREEBSD_VSS_DAEMON",
    "GUEST_CLUSTER_KB",
    "GUIDANCE",
    "HYPERV_WHATS_NEW",
    "INTEGRATION_SERVICES_MANAGE",
    "LINUX_FEATURES",
    "LINUX_UBUNTU",
    "ONLINE",
    "OPTIONS",
    "RECOVERY_CHECKPOINT_KB",
    "REFERENCE_POINT",
    "RESTORE",
    "ROLLING_UPGRADE",
    "SCOPE",
    "SNAPSHOT_SETTINGS",
    "STORAGE",
    "VM_VERSION",
    "VSS_WRITER_STATE_PAGE",
    "WMI_BACKUP",
    "citation",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

_LEARN = "https://learn.microsoft.com/en-us/"


def _windows_server(path: str, title: str) -> Page:
    return Page(
        title=title,
        url=f"{_LEARN}windows-server/{path.lower()}",
        repository="MicrosoftDocs/windowsserverdocs",
        path=f"WindowsServerDocs/{path}.md",
    )


#: Hyper-V "Planning for Backup", Windows Server 2008 R2 (TechNet library dd252619).
GUIDANCE = Page(
    title="Planning for Backup",
    url=f"{_LEARN}previous-versions/windows/it-pro/windows-server-2008-R2-and-2008/dd252619(v=ws.10)",
)

# The headings of the guidance.
SCOPE = "Planning for Backup"
OPTIONS = "Understanding backup options and considerations"
STORAGE = "Storage considerations"
ONLINE = "Understanding online and offline backups"
RESTORE = "Understanding the restore process"
CLUSTER = "Considerations about clustered virtual machines"

# --- Microsoft's documentation of Windows Server 2012 and later --------------------

#: System Center DPM, "Back up Hyper-V virtual machines".
DPM_HYPERV = Page(
    title="Back up Hyper-V virtual machines",
    url=f"{_LEARN}system-center/dpm/back-up-hyper-v-virtual-machines",
    repository="MicrosoftDocs/SystemCenterDocs",
    path="SystemCenterDocs/dpm/back-up-hyper-v-virtual-machines.md",
)
#: "Choose between standard or production checkpoints in Hyper-V".
CHECKPOINTS = _windows_server(
    "virtualization/hyper-v/manage/Choose-between-standard-or-production-checkpoints-in-Hyper-V",
    "Choose between standard or production checkpoints in Hyper-V",
)
#: "Upgrade virtual machine version in Hyper-V on Windows or Windows Server".
VM_VERSION = _windows_server(
    "virtualization/hyper-v/deploy/"
    "Upgrade-virtual-machine-version-in-Hyper-V-on-Windows-or-Windows-Server",
    "Upgrade virtual machine version in Hyper-V on Windows or Windows Server",
)
#: "Feature Descriptions for Linux and FreeBSD virtual machines on Hyper-V".
LINUX_FEATURES = _windows_server(
    "virtualization/hyper-v/Feature-Descriptions-for-Linux-and-FreeBSD-virtual-machines-on-Hyper-V",
    "Feature Descriptions for Linux and FreeBSD virtual machines on Hyper-V",
)
#: "Supported Ubuntu virtual machines on Hyper-V" (its notes).
LINUX_UBUNTU = _windows_server(
    "virtualization/hyper-v/Supported-Ubuntu-virtual-machines-on-Hyper-V",
    "Supported Ubuntu virtual machines on Hyper-V",
)
#: "Hyper-V Backup Approaches".
BACKUP_APPROACHES = Page(
    title="Hyper-V Backup Approaches",
    url=f"{_LEARN}virtualization/hyper-v-on-windows/reference/hypervbackupapproaches",
    repository="MicrosoftDocs/Virtualization-Documentation",
    path="virtualization/hyper-v-on-windows/reference/HyperVBackupApproaches.md",
)
#: "Use Cluster Shared Volumes in a failover cluster".
CSV_PAGE = _windows_server(
    "failover-clustering/failover-cluster-csvs",
    "Use Cluster Shared Volumes in a failover cluster",
)
#: Support article KB4230569.
GUEST_CLUSTER_KB = Page(
    title="Errors when backing up VMs that belong to a guest cluster in Windows (KB4230569)",
    url=f"{_LEARN}troubleshoot/windows-server/virtualization/error-back-up-vms-in-guest-cluster",
    repository="MicrosoftDocs/SupportArticles-docs",
    path="support/windows-server/virtualization/error-back-up-vms-in-guest-cluster.md",
)
#: Hyper-V WMI "Backing up and restoring virtual machines".
WMI_BACKUP = Page(
    title="Backing up and restoring virtual machines",
    url=f"{_LEARN}windows/win32/hyperv_v2/backing-up-and-restoring-virtual-machines",
    repository="MicrosoftDocs/win32",
    path="desktop-src/HyperV_v2/backing-up-and-restoring-virtual-machines.md",
)

#: "Manage Cluster Shared Volumes" (2025): the same backup section as ``CSV_PAGE``,
#: for every release from 2012 on, naming no release of Windows Server Backup.
CSV_MANAGE = _windows_server(
    "failover-clustering/failover-cluster-manage-cluster-shared-volumes",
    "Manage Cluster Shared Volumes",
)
#: "Manage Hyper-V Integration Services".
INTEGRATION_SERVICES_MANAGE = _windows_server(
    "virtualization/hyper-v/manage/Manage-Hyper-V-integration-services",
    "Manage Hyper-V Integration Services",
)
#: "What's new in Hyper-V on Windows Server" (2016 and 2019).
HYPERV_WHATS_NEW = _windows_server(
    "virtualization/hyper-v/What-s-new-in-Hyper-V-on-Windows",
    "What's new in Hyper-V on Windows Server",
)
#: The Hyper-V WMI class of the settings a backup passes when it takes its checkpoint.
SNAPSHOT_SETTINGS = Page(
    title="Msvm_VirtualSystemSnapshotSettingData class",
    url=f"{_LEARN}windows/win32/hyperv_v2/msvm-virtualsystemsnapshotsettingdata",
    repository="MicrosoftDocs/win32",
    path="desktop-src/HyperV_v2/msvm-virtualsystemsnapshotsettingdata.md",
)
#: The troubleshooting guide of checkpoints and differencing disks.
CHECKPOINT_TROUBLESHOOTING = Page(
    title="Troubleshoot Hyper-V snapshots, checkpoints, and differencing disks (AVHDX)",
    url=f"{_LEARN}troubleshoot/windows-server/virtualization/"
    "hyper-v-snapshots-checkpoints-differencing-disks",
    repository="MicrosoftDocs/SupportArticles-docs",
    path="support/windows-server/virtualization/hyper-v-snapshots-checkpoints-differencing-disks.md",
)
#: The VSS daemon of FreeBSD guests, written by Microsoft, in FreeBSD's source tree.
FREEBSD_VSS_DAEMON = Page(
    title="hv_vss_daemon.c, the Hyper-V VSS daemon of FreeBSD",
    url="https://github.com/freebsd/freebsd-src/blob/main/contrib/hyperv/tools/hv_vss_daemon.c",
    repository="freebsd/freebsd-src",
    path="contrib/hyperv/tools/hv_vss_daemon.c",
)

# --- Pages the protection rules of HVB8xx cite ---------------------------------------

#: The Hyper-V Best Practices Analyzer rule of a weekly backup (Windows Server 2016 to 2022).
BPA_WEEKLY_BACKUP = _windows_server(
    "virtualization/hyper-v/best-practices-analyzer/"
    "Virtual-machines-should-be-backed-up-at-least-once-every-week",
    "Virtual machines should be backed up at least once every week",
)
#: The Hyper-V WMI class of a backup's reference point, which records its consistency.
REFERENCE_POINT = Page(
    title="Msvm_VirtualSystemReferencePoint class",
    url=f"{_LEARN}windows/win32/hyperv_v2/msvm-virtualsystemreferencepoint",
    repository="MicrosoftDocs/win32",
    path="desktop-src/HyperV_v2/msvm-virtualsystemreferencepoint.md",
)

# --- Pages the checkpoint and change tracking rules of HVB9xx cite ---------------------

#: Best Practices Analyzer rule: checkpoints on a VM that runs a server workload.
BPA_CHECKPOINTS = _windows_server(
    "virtualization/hyper-v/best-practices-analyzer/"
    "Avoid-using-checkpoints-on-a-virtual-machine-server-workload-production",
    "Avoid using checkpoints on a virtual machine that runs a server workload in a "
    "production environment",
)
#: Best Practices Analyzer rule: the recovery snapshots of a failed-over Replica VM.
BPA_RECOVERY_SNAPSHOTS = _windows_server(
    "virtualization/hyper-v/best-practices-analyzer/Recovery-snapshots-should-be-removed-after-failover",
    "Recovery snapshots should be removed after failover",
)
#: Support article KB3059372: the recovery checkpoints a failed backup leaves.
RECOVERY_CHECKPOINT_KB = Page(
    title=(
        "You can't delete a recovery checkpoint for a virtual machine in Data Protection "
        "Manager (KB3059372)"
    ),
    url=f"{_LEARN}troubleshoot/windows-server/virtualization/cannot-delete-recovery-checkpoint-vm",
    repository="MicrosoftDocs/SupportArticles-docs",
    path="support/windows-server/virtualization/cannot-delete-recovery-checkpoint-vm.md",
)
#: "Cluster operating system rolling upgrade".
ROLLING_UPGRADE = _windows_server(
    "failover-clustering/Cluster-Operating-System-Rolling-Upgrade",
    "Cluster operating system rolling upgrade",
)
#: System Center DPM, "What's new" of DPM 2016 (now a version of "What's new in
#: System Center DPM"; the repository keeps the 2016 text under its own name).
DPM_WHATS_NEW_2016 = Page(
    title="What's new in System Center DPM 2016",
    url=f"{_LEARN}system-center/dpm/whats-new-in-dpm?view=sc-dpm-2016",
    repository="MicrosoftDocs/SystemCenterDocs",
    path="SystemCenterDocs/dpm/what-s-new-in-dpm-2016.md",
)

# --- Pages the signatures of HVB7xx cite ---------------------------------------------

#: The troubleshooting guide of Hyper-V backup, checkpoint and storage failures (2016 to 2025).
BACKUP_TROUBLESHOOTING = Page(
    title="Troubleshoot Hyper-V virtual machine backup, checkpoint, and storage issues",
    url=f"{_LEARN}troubleshoot/windows-server/virtualization/"
    "hyper-v-virtual-machine-backup-checkpoint-storage",
    repository="MicrosoftDocs/SupportArticles-docs",
    path="support/windows-server/virtualization/hyper-v-virtual-machine-backup-checkpoint-storage.md",
)
#: The VSS_WRITER_STATE enumeration (vss.h).
VSS_WRITER_STATE_PAGE = Page(
    title="VSS_WRITER_STATE enumeration (vss.h)",
    url=f"{_LEARN}windows/win32/api/vss/ne-vss-vss_writer_state",
    repository="MicrosoftDocs/sdk-api",
    path="sdk-api-src/content/vss/ne-vss-vss_writer_state.md",
)
#: KB2249906: error 0x80070005 when the VM's SID is missing from a .vhd or .avhd file.
ACCESS_DENIED_KB = Page(
    title="Virtual machine fails to start with error 0x80070005 (KB2249906)",
    url=f"{_LEARN}troubleshoot/windows-server/virtualization/"
    "hyper-v-virtual-machine-not-start-0x80070005",
    repository="MicrosoftDocs/SupportArticles-docs",
    path="support/windows-server/virtualization/hyper-v-virtual-machine-not-start-0x80070005.md",
)
#: KB975695: backup fails with 0x800423f4 when a virtual disk has a host disk's signature.
DISK_SIGNATURE_KB = Page(title="KB975695", url="https://mskb.pkisolutions.com/kb/975695")


def citation(source: Source) -> str:
    """Return ``source`` as one line: the heading, then where its page is kept.

    The guidance's own headings stand alone, as its rules have always been cited.

    >>> citation(Source(page=GUIDANCE, heading=STORAGE))
    'Storage considerations'
    >>> citation(Source(page=CSV_PAGE, heading="Back up CSV"))
    'Back up CSV (MicrosoftDocs/windowsserverdocs: WindowsServerDocs/failover-clustering/failover-cluster-csvs.md)'
    """
    return source.heading if source.page == GUIDANCE else source.citation
