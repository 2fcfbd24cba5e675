"""The pages the signatures of recorded failures cite beyond Microsoft's reference pages.

Each is where a failure was published with its event and its cause: a
Microsoft support article (kept in ``MicrosoftDocs/SupportArticles-docs``), a
page of Microsoft's event catalogues, or a backup vendor's knowledge base, an
issue of a public project, a blog post or a forum thread. The event as the page
published it is a fixture of the tests (``tests/fixtures/events/corpus/``,
whose ``PROVENANCE.md`` names the page again); a page kept nowhere else has no
repository. Titles of support articles are their subjects as the addresses
name them.
"""

from __future__ import annotations

from hyperv_backup._base import public_dir
from hyperv_backup.rules.source import Page

__all__ = [
    "BAREOS_REFERENCE_POINT",
    "CHECKPOINT_AUTORECOVERY_MIRROR",
    "CLUSTER_SYSTEM_EVENTS",
    "CLUSTER_VSS_CATASTROPHIC",
    "DPM_BMR",
    "DPM_HARDWARE_PROVIDER",
    "EVENT_32_STORAGE_ABSENT",
    "EVENT_513_SYSTEM_WRITER",
    "EVENT_8193_XML",
    "EVENT_12289_SESSIONS",
    "EVENT_19050_REPLICA",
    "EVENT_KVP_4096",
    "EXCHANGE_PASSIVE_COPY",
    "FCI_SHADOW_COPIES",
    "NETAPP_5121",
    "NETAPP_ISCSI_TARGET",
    "NETAPP_PARTIAL_WRITER",
    "NO_WRITERS_LISTED",
    "PAUSED_LOW_DISK",
    "REPLICA_MERGE_BLOG",
    "RESTIC_8194",
    "SBS_VSS_WARNINGS",
    "SET_WRITER_FAILURE",
    "SITE_RECOVERY_HYPERV",
    "SMB_LIVE_MIGRATION_BLOG",
    "SQL_BACKUP_3041_BLOG",
    "SQL_DIFFERENTIAL_KB",
    "SWPRV_12292",
    "SYSTEM_STATE_IMAGEPATH",
    "SYSTEM_WRITER_NOT_FOUND",
    "TXFLOG_ACCESS_DENIED",
    "VDS_EVENT_1",
    "VISTA_12293_BLOG",
    "VOLSNAP_24_KB",
    "VOLSNAP_25_KB",
    "VOLSNAP_BUG",
    "VSSADMIN_8000FFFF",
    "VSS_CREATION_PERIOD_KB",
    "VSS_DIAG_8193",
    "VSS_DIFF_AREA_KB",
    "VSS_EVENTS_2003",
    "VSS_ROLLUP_BLOG",
    "WSB_NO_SPACE_PASTE",
    "WSB_SQL_WRITER",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

_LEARN = "https://learn.microsoft.com/en-us/troubleshoot/"
_SUPPORT = "MicrosoftDocs/SupportArticles-docs"


def _support(path: str, title: str) -> Page:
    """Return a support article's page: ``windows-server/x`` is kept as ``support/windows-server/x.md``."""
    return Page(title=title, url=f"{_LEARN}{path}", repository=_SUPPORT, path=f"support/{path}.md")


def _backup(name: str, title: str) -> Page:
    return _support(f"windows-server/backup-and-storage/{name}", title)


SWPRV_12292 = _backup(
    "backup-fails-event-12292-11", "Backup fails with VSS events 12292 and 11 (support article)"
)
WSB_SQL_WRITER = _backup(
    "backup-fails-vss-writer", "Windows Server Backup fails because of a VSS writer"
)
EVENT_12289_SESSIONS = _backup(
    "event-12289-vss-backup-restore", "VSS event 12289 during backup or restore"
)
EVENT_32_STORAGE_ABSENT = _backup(
    "event-id-32-shadow-copies-are-unexpectedly-deleted",
    "Event ID 32: shadow copies are unexpectedly deleted",
)
EVENT_8193_XML = _backup(
    "event-id-8193-when-you-perform-backup", "Event ID 8193 when you perform a backup"
)
EVENT_513_SYSTEM_WRITER = _backup(
    "event-id-513-vss-windows-server", "Event ID 513 of VSS on Windows Server"
)
TXFLOG_ACCESS_DENIED = _backup(
    "cannot-back-up-server-error-0x80070005", "Cannot back up the server: error 0x80070005"
)
VSS_EVENTS_2003 = _backup(
    "volume-shadow-copy-service-events", "Volume Shadow Copy Service events (Windows Server 2003)"
)
SBS_VSS_WARNINGS = _backup("vss-warnings-sbs-2011", "VSS warnings on Small Business Server 2011")
VSS_DIAG_8193 = _backup(
    "vss-error-8193-restart-cryptographic-services",
    "VSS error 8193 when Cryptographic Services restarts",
)
SYSTEM_WRITER_NOT_FOUND = _backup(
    "system-writer-not-found-in-backup", "System writer is not found in the backup"
)
FCI_SHADOW_COPIES = _backup(
    "shadow-copies-deleted-run-file-classification-infrastructure",
    "Shadow copies are deleted when File Classification Infrastructure runs",
)
NO_WRITERS_LISTED = _backup(
    "no-vss-writers-listed-run-vssadmin-list",
    "No VSS writers are listed when you run vssadmin list writers",
)
SYSTEM_STATE_IMAGEPATH = _backup(
    "system-state-backup-fails-invalid-imagepath",
    "System state backup fails because of an invalid ImagePath",
)
CLUSTER_VSS_CATASTROPHIC = _support(
    "windows-server/high-availability/error-0x8000ffff-catastrophic-failure",
    "Error 0x8000ffff (Catastrophic failure) on a failover cluster",
)
EVENT_KVP_4096 = _support(
    "windows-server/virtualization/event-id-4096", "Hyper-V event ID 4096 (Data Exchange)"
)
PAUSED_LOW_DISK = _support(
    "windows-server/virtualization/virtual-machines-enter-paused-state-low-disk-free",
    "Virtual machines enter a paused state when disk space is low",
)
EVENT_19050_REPLICA = _support(
    "windows-server/virtualization/event-19050-32022-32032-32056-32315-32546-33680",
    "Events 19050, 32022, 32032, 32056, 32315, 32546 and 33680 during a backup on a Replica server",
)
VDS_EVENT_1 = _support(
    "windows-server/virtualization/vds-basic-provider-event-id-1",
    "VDS Basic Provider event ID 1 in a Hyper-V guest",
)
DPM_HARDWARE_PROVIDER = _support(
    "system-center/dpm/hyper-v-backup-fails-error-30112",
    "Hyper-V backup fails with DPM error 30112",
)
DPM_BMR = _support(
    "system-center/dpm/bare-metal-recovery-backup-fails", "Bare metal recovery backup fails (DPM)"
)
EXCHANGE_PASSIVE_COPY = Page(
    title="VSS_E_WRITERERROR_RETRYABLE when backing up a passive database copy in an Exchange DAG",
    url="https://support.microsoft.com/help/4037535",
)
VOLSNAP_25_KB = Page(
    title="Shadow copies of shared folders are lost under high I/O (KB826936)",
    url="https://support.microsoft.com/kb/826936",
)
VOLSNAP_24_KB = Page(
    title="Shadow copies may be lost when you defragment a volume (KB312067, read in a copy)",
    url="https://support.microsoft.com/kb/312067",
)
CLUSTER_SYSTEM_EVENTS = Page(
    title="Failover Clustering system log events",
    url="https://learn.microsoft.com/en-us/windows-server/failover-clustering/system-events",
    repository="MicrosoftDocs/windowsserverdocs",
    path="WindowsServerDocs/failover-clustering/system-events.md",
)
#: A third-party archive of KB3175561; Microsoft no longer publishes the article.
CHECKPOINT_AUTORECOVERY_MIRROR = Page(
    title="KB3175561 (third-party archive copy)", url="https://mskb.pkisolutions.com/kb/3175561"
)

# --- Vendors, projects and forums ---------------------------------------------------

VSS_CREATION_PERIOD_KB = Page(
    title="Shadow copy creation period is exceeded (MSP360 knowledge base)",
    url="https://kb.msp360.com/standalone-backup/general/errors-and-warnings/"
    "shadow-copy-creation-period-is-exceeded",
)
VSS_DIFF_AREA_KB = Page(
    title="VSS error 8193 from the event log (CloudBerry knowledge base)",
    url="https://kb.cloudberrylab.com/standalone-backup/general/VSS-Error-EventID:-8193-from-the-Event-Log",
)
SQL_DIFFERENTIAL_KB = Page(
    title="MS-SQL backups fail with error SQL49 due to a missing full backup (Druva)",
    url="https://help.druva.com/en/articles/"
    "11640087-ms-sql-backups-fail-with-error-sql49-due-to-a-missing-full-backup",
)
REPLICA_MERGE_BLOG = Page(
    title="Background disk merge failed to complete (0x80070299)",
    url="https://charbelnemnom.com/2016/03/background-disk-merge-failed-to-complete-the-requested-"
    "operation-could-not-be-completed-due-to-a-file-system-limitation-0x80070299-hyperv/",
)
SMB_LIVE_MIGRATION_BLOG = Page(
    title="How to avoid NTFS permissions problems during Hyper-V live migration",
    url="https://virtualizationdojo.com/hyper-v/?p=21696",
)
VSS_ROLLUP_BLOG = Page(
    title="November 2014 update rollup for Windows RT/8/2012 breaks VSS backup",
    url="https://superwidgets.wordpress.com/category/backup-and-data-protection/vss/",
)
WSB_NO_SPACE_PASTE = Page(
    title="Windows Server Backup event 50 (paste)", url="https://pastebin.com/9NKVcm4v"
)
RESTIC_8194 = Page(
    title="Windows VSS event ID 8194 (restic issue 5169)",
    url="https://github.com/restic/restic/issues/5169",
)
_NETAPP = "https://github.com/NetAppDocs/snapmanager-hyper-v/blob/"
NETAPP_5121 = Page(
    title="Failover clustering event ID 5121 (SnapManager for Hyper-V)",
    url=f"{_NETAPP}26b50dc09066f39cacf33b5ac5b23939a724867e/reference-failover-clustering-event-id-5121.adoc",
)
NETAPP_ISCSI_TARGET = Page(
    title="VSS returns errors against the Microsoft iSCSI Target VSS Hardware Provider during NAS backup",
    url=f"{_NETAPP}e394069968aa10fe583b895b56a40760fc1819e4/reference-vss-returns-errors-against-"
    "microsoft-iscsi-target-vss-hardware-provider-during-nas-backup.adoc",
)
NETAPP_PARTIAL_WRITER = Page(
    title="Dataset backup might fail with a partial writer error (SnapManager for Hyper-V)",
    url=f"{_NETAPP}26b50dc09066f39cacf33b5ac5b23939a724867e/"
    "reference-dataset-backup-might-fail-with-a-partial-writer-error.adoc",
)

# --- Microsoft's reference of the VSS writer interface -------------------------------

#: ``CVssWriter::SetWriterFailure``: what each failure a writer reports means.
SET_WRITER_FAILURE = Page(
    title="CVssWriter::SetWriterFailure method (vswriter.h)",
    url="https://learn.microsoft.com/en-us/windows/win32/api/vswriter/"
    "nf-vswriter-cvsswriter-setwriterfailure",
    repository="MicrosoftDocs/sdk-api",
    path="sdk-api-src/content/vswriter/nf-vswriter-cvsswriter-setwriterfailure.md",
)

VSSADMIN_8000FFFF = _backup(
    "error-0x8000ffff-run-vssadmin-list-writers-command",
    "Error 0x8000FFFF when you run vssadmin list writers",
)
SITE_RECOVERY_HYPERV = Page(
    title="Troubleshoot Hyper-V to Azure replication and failover",
    url="https://learn.microsoft.com/en-us/azure/site-recovery/hyper-v-azure-troubleshoot",
    repository="MicrosoftDocs/azure-docs",
    path="articles/site-recovery/hyper-v-azure-troubleshoot.md",
)
VOLSNAP_BUG = Page(
    title="Volsnap bug content (sample exports of the errors logged)",
    url="https://github.com/jschicht/Volsnap-Bug-Content",
)
VISTA_12293_BLOG = Page(
    title="Fix for failed backups, event ID 12293 in Windows Vista",
    url="https://www.thewindowsclub.com/fix-for-failed-backups-event-id-12293-in-windows-vista",
)
BAREOS_REFERENCE_POINT = Page(
    title="Hyper-V plugin: first incremental after full leaves a reference point (bareos issue 2624)",
    url="https://github.com/bareos/bareos/issues/2624",
)
SQL_BACKUP_3041_BLOG = Page(
    title="Troubleshooting that darn backup error",
    url="https://troubleshootingsql.com/2011/02/09/troubleshooting-that-darn-backup-error/",
)
