"""The corpus of published events, what each should be recognised as, and the share that is.

Each event of ``tests/fixtures/events/corpus/`` (its provenance is in the
``PROVENANCE.md`` beside it) is listed here with the signature that should
recognise it and what kind of event it is:

- ``failure``: a backup failed, or was degraded, and the publisher gave the cause;
- ``harmless``: the publisher says the event does no harm;
- ``no cause``: the publisher gave no cause, or the thread never settled one;
- ``elsewhere``: logged on another server than the Hyper-V host or its guests
  (the backup server), or a general event that names no backup.

An expected rule of ``None`` is an event no signature recognises; ``NOT_EXPLAINED``
says why. Run ``python -m tests.diagnose.corpus`` to print the share of the
``failure`` events recognised with the published cause.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from hyperv_backup.diagnose import Diagnosis, diagnose
from hyperv_backup.readers import read_events
from tests.paths import FIXTURES

__all__ = ["CORPUS", "EXPECTED", "NOT_EXPLAINED", "corpus_diagnosis", "recognised_share"]

CORPUS = FIXTURES / "events" / "corpus"

F, H, N, E = "failure", "harmless", "no cause", "elsewhere"

#: Each event of the corpus: the rule that should recognise it, and its kind.
EXPECTED: dict[str, tuple[str | None, str]] = {
    "backupeducation-volsnap25-c": ("HVB712", F),
    "bareos2624-vmms19100-reference-point": ("HVB750", F),
    "blackmarble-vss8194-networkservice-whs2011": ("HVB726", F),
    "charbelnemnom-vmms19100-0x80070299-replica": ("HVB749", F),
    "cloudberry-vss8193-no-diff-area-candidates": ("HVB718", F),
    "druva-sqlwriter24583-no-full-backup": ("HVB738", F),
    "duplicati1297-vss8194-systemwriter-de-ws2012r2": ("HVB726", N),
    "duplicati1297-vss8194-systemwriter-en-ws2008r2": ("HVB726", N),
    "duplicati287-vss8194-systemwriter-2010": ("HVB726", N),
    "duplicati3236-vss8194-systemwriter-ws2016": ("HVB726", H),
    "gist-ducke-vmms1101-getbackupsnapshot": (None, N),
    "gist-ducke-vmms1102-getreplicatype": (None, N),
    "jschicht-volsnap15-paged-heap-win11": ("HVB716", F),
    "jschicht-volsnap27-control-file-win11": ("HVB716", F),
    "ms-backup-5-enumeration-failed-imagepath": ("HVB744", F),
    "ms-backup-5-remote-share-0x8078015b-bmr": ("HVB745", F),
    "ms-backup-517-enumeration-failed-imagepath": ("HVB744", F),
    "ms-backup-517-system-writer-not-found": ("HVB743", F),
    "ms-backup-521-vss-failed-sql-writer": ("HVB742", F),
    "ms-backup-547-txflog-access-denied": ("HVB747", F),
    "ms-capi2-513-addcorecsifiles-access-denied": ("HVB765", F),
    "ms-capi2-513-system-writer-mslldp-access-denied": ("HVB764", H),
    "ms-dpm-em-3106-replica-inconsistent-bmr": (None, E),
    "ms-ese-518-log-missing-dpm-replica-antivirus": (None, E),
    "ms-fc-1584-csv-snapshot-not-prepared-template": ("HVB758", F),
    "ms-fc-5156-csv-paused-snapshot-failure-template": ("HVB759", F),
    "ms-fc-5218-old-software-snapshot-deleted-template": ("HVB760", H),
    "ms-kvp-4096-data-exchange-not-enabled": ("HVB762", H),
    "ms-msexchangerepl-2153-log-copier-disconnected": ("HVB741", F),
    "ms-ntbackup-8019-warnings-or-errors": (None, F),
    "ms-scm-7000-service-path-not-found-imagepath": (None, E),
    "ms-scm-7023-swprv-file-missing": ("HVB723", F),
    "ms-smbclient-30809-request-timed-out-bmr": (None, E),
    "ms-smbserver-1020-fs-operation-slow-bmr": (None, E),
    "ms-sqlvdi-1-signalabort-sbsmonitoring": ("HVB740", F),
    "ms-sqlvdi-1-triggerabort-sbsmonitoring": ("HVB740", F),
    "ms-sqlwriter-24583-3271-io-aborted": ("HVB739", F),
    "ms-sqlwriter-24583-945-db-cannot-open": ("HVB739", F),
    "ms-srmsvc-12310-shadow-deleted-during-report": ("HVB717", F),
    "ms-vds-1-unexpected-failure-guest-scsi": ("HVB763", H),
    "ms-vmms-10103-revert-vss-snapshot-failed-template": ("HVB733", F),
    "ms-vmms-10111-failed-to-mount-vhd-hw-provider": ("HVB731", F),
    "ms-vmms-16050-about-to-run-out-of-disk-space-csv": ("HVB757", F),
    "ms-vmms-16060-paused-out-of-disk-space": ("HVB756", F),
    "ms-vmms-19050-not-valid-state-backup-on-replica-2012": ("HVB755", F),
    "ms-vmms-19050-not-valid-state-backup-on-replica-2012r2": ("HVB755", H),
    "ms-vmms-19100-merge-access-denied-vhds": ("HVB748", F),
    "ms-vmms-32022-replica-canceled-backup-on-replica": ("HVB755", F),
    "ms-vmms-32032-complete-apply-aborted-backup-on-replica": ("HVB755", H),
    "ms-vmms-32056-apply-aborted-backup-on-replica": ("HVB755", F),
    "ms-vmms-32315-replica-failed-retry-backup-on-replica": ("HVB755", F),
    "ms-vmms-32546-not-valid-state-backup-on-replica-2012": ("HVB755", F),
    "ms-vmms-32546-not-valid-state-backup-on-replica-2012r2": ("HVB755", H),
    "ms-vmms-33680-replication-operation-failed-backup-on-replica": ("HVB755", H),
    "ms-volsnap-24-insufficient-space-defrag-kb312067": ("HVB713", F),
    "ms-volsnap-25-could-not-grow-in-time-twblog": ("HVB712", F),
    "ms-volsnap-25-diff-area-could-not-grow-kb826936": ("HVB712", F),
    "ms-volsnap-32-storage-volume-not-present": ("HVB715", F),
    "ms-volsnap-33-oldest-deleted-user-limit-fci": ("HVB714", F),
    "ms-vss-11-swprv-com-server-cannot-start": ("HVB723", F),
    "ms-vss-12289-deviceiocontrol-iscsi-hw-provider": ("HVB730", F),
    "ms-vss-12289-older-writer-session-0x80042409": ("HVB729", H),
    "ms-vss-12290-ntds-esent-2402-kb826936": ("HVB737", F),
    "ms-vss-12292-swprv-com-class-0x80080005": ("HVB723", F),
    "ms-vss-12302-internal-inconsistency-eventsystem": ("HVB721", F),
    "ms-vss-12302-internal-inconsistency-unregistered": ("HVB721", F),
    "ms-vss-12311-cluster-disk-resource-no-disk-0x80070490": ("HVB735", F),
    "ms-vss-13-vssevent-com-server-0x80070057": ("HVB720", F),
    "ms-vss-20-vssevent-not-registered-0x80004002": ("HVB719", F),
    "ms-vss-20-vssevent-not-registered-0x80040154": ("HVB719", F),
    "ms-vss-34-event-class-not-registered": ("HVB720", F),
    "ms-vss-8193-cocreateinstance-0x80004002-2003": ("HVB719", F),
    "ms-vss-8193-cocreateinstance-0x80040154-2003": ("HVB719", F),
    # Microsoft gives the 2008 cause of HVB720 for this one; its code is that of HVB719.
    "ms-vss-8193-cocreateinstance-0x80040154-2008": ("HVB719", F),
    "ms-vss-8193-cocreateinstance-0x80070057-2008": ("HVB720", F),
    "ms-vss-8193-system-writer-vss-diag-access-denied": ("HVB725", H),
    "ms-vss-8193-xml-too-long-0x80070018": ("HVB724", F),
    "ms-vss-8213-sharepoint-writer-insufficient-rights": ("HVB727", F),
    "ms-vss-8213-system-writer-insufficient-rights": ("HVB727", F),
    "ms-vss-8230-failed-resolving-spsearch": ("HVB728", H),
    "msp360-vss12298-io-writes-cannot-be-held": ("HVB732", F),
    "netapp-smhv-failoverclustering5121-csv-redirected-harmless": ("HVB761", H),
    "netapp-smhv-vss12292-iscsi-target-provider-accessdenied-harmless": ("HVB722", H),
    "netapp-smhv-vss12293-reverttosnapshot": ("HVB733", F),
    "netapp-smhv-vss12302-internal-inconsistency-ws2003-guest": ("HVB721", F),
    "netapp-smhv-vss8193-revert-getoverlappedresult": ("HVB733", F),
    "netapp-smhv-vss8194-csv-partner-node-harmless": ("HVB726", H),
    "openzfs406-vss12289-createfilew-en": ("HVB730", F),
    "pastebin-vss20-critical-component-not-registered-tsm": ("HVB719", N),
    "pastebin-vss8193-cocreateinstance-classnotregistered": ("HVB719", N),
    "pastebin-wsb5-0x8078011e-accessdenied": (None, N),
    "pastebin-wsb50-no-space-sealab": ("HVB746", F),
    "restic3390-vss8194-systemwriter-de-win10": ("HVB726", N),
    "restic5169-vss8194-no-coinitializesecurity": ("HVB726", F),
    "superwidgets-msexchangerepl2034-nov2014-rollup": ("HVB736", F),
    "superwidgets-vss12366-nov2014-rollup": ("HVB736", F),
    "thewindowsclub-vss12293-provider-routine": ("HVB734", F),
    "troubleshootingsql-mssql3041-backup-device-path": ("HVB766", F),
    "virtiowin1505-vss8194-qga-ws2019": ("HVB726", F),
    "virtualizationdojo-vmms20100-smb-accessdenied": ("HVB751", F),
    "workinghardinit-vmms19100-vhdset-accessdenied": ("HVB748", F),
    "zfsin354-vss12289-createfilew-fr": ("HVB730", F),
}

#: Why no signature recognises an event of the corpus.
NOT_EXPLAINED: dict[str, str] = {
    "gist-ducke-vmms1101-getbackupsnapshot": (
        "VMMS could not read a VM's backup snapshot entry (0x80070002); the gist gives no cause"
    ),
    "gist-ducke-vmms1102-getreplicatype": (
        "VMMS could not read a snapshot's configuration value (0x80070002); no cause given"
    ),
    "pastebin-wsb5-0x8078011e-accessdenied": (
        "Windows Server Backup event 5 as XML only (0x8078011e, 0x80070005 on the EFI "
        "partition); no message and no cause published"
    ),
    "ms-ntbackup-8019-warnings-or-errors": (
        "NTBackup's 'warnings or errors were encountered' ends every failed job of Windows "
        "Server 2003; Microsoft's cause (unregistered VSS files) comes from the VSS events "
        "beside it, which HVB719 recognises"
    ),
    "ms-scm-7000-service-path-not-found-imagepath": (
        "a service that cannot start is not a backup event; the Backup 517 beside it is "
        "recognised (HVB744) and names this cause"
    ),
    "ms-dpm-em-3106-replica-inconsistent-bmr": "logged by DPM on the backup server",
    "ms-ese-518-log-missing-dpm-replica-antivirus": (
        "logged by eseutil on the DPM server when antivirus deleted replica log files"
    ),
    "ms-smbclient-30809-request-timed-out-bmr": (
        "an SMB time-out of the protected server; the Backup 5 of the same case is recognised "
        "(HVB745)"
    ),
    "ms-smbserver-1020-fs-operation-slow-bmr": "logged by the SMB server of the DPM server",
}


@cache
def corpus_diagnosis(key: str) -> Diagnosis:
    """Diagnose the one event of the corpus named ``key``."""
    return diagnose(read_events((CORPUS / f"{key}.xml").read_bytes()))


def recognised_share() -> tuple[int, int]:
    """Return how many ``failure`` events are recognised by their expected rule, and how many there are."""
    failures = [key for key, (_, kind) in EXPECTED.items() if kind == F]
    hits = 0
    for key in failures:
        expected = EXPECTED[key][0]
        found = [f.rule.id for f in corpus_diagnosis(key).findings]
        hits += expected is not None and found == [expected]
    return hits, len(failures)


def files() -> list[str]:
    """Return the names of the corpus's events, as ``EXPECTED`` keys them."""
    return sorted(path.stem for path in Path(CORPUS).glob("*.xml"))


if __name__ == "__main__":  # pragma: no cover - the command docs/diagnose.md gives
    recognised, total = recognised_share()
    print(f"{recognised} of {total} published backup failures recognised with the published cause")
    for key, reason in NOT_EXPLAINED.items():
        print(f"not explained: {key}: {reason}")
