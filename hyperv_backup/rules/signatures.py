"""Diagnosis (HVB7xx): what the host's logs and VSS writers say went wrong in a backup.

Each rule here is the cause and remedy of a failure that the host records,
and its signature says how the record is recognised. HVB700 stands for a
warning or error in a backup log that no signature recognises: it is reported,
never dropped. What each source says and how it is read is in
``docs/interpretation.md``; failures no page was found for have no signature.

The signatures after HVB711 were grown from events as administrators, Microsoft
and vendors published them (``tests/fixtures/events/corpus/``). Harmless events
that hosts log all the time have signatures of their own at info level, with
the reason they are harmless. The first signature that recognises a record
wins, so a specific one comes before a general one of the same event id.
"""

from __future__ import annotations

from hyperv_backup._base import public_dir
from hyperv_backup.rules import published as pub
from hyperv_backup.rules.pages import (
    ACCESS_DENIED_KB,
    BACKUP_TROUBLESHOOTING,
    DISK_SIGNATURE_KB,
    GUEST_CLUSTER_KB,
    VSS_WRITER_STATE_PAGE,
)
from hyperv_backup.rules.profiles import ALL_PROFILES
from hyperv_backup.rules.rule import Rule, Severity
from hyperv_backup.rules.signature import EventMatch, Place, Signature, WriterMatch
from hyperv_backup.rules.source import Claim, Page, Source

__all__ = ["DIAGNOSIS_RULES", "HYPERV_WRITER", "NOT_RECOGNISED", "SIGNATURES"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: The writer id of the Hyper-V VSS writer.
HYPERV_WRITER = "66841cd4-6ded-4f4b-8f17-fd23f8ddc3de"

#: The failed states of ``VSS_WRITER_STATE``: FAILED_AT_IDENTIFY (6) to FAILED_AT_BACKUPSHUTDOWN (15).
_FAILED = tuple(range(6, 16))
_HYPERV = ("Microsoft-Windows-Hyper-V-VMMS", "Microsoft-Windows-Hyper-V-Worker")
#: The VMMS provider, under its name and the short name older exports and pages give it.
_VMMS = ("Microsoft-Windows-Hyper-V-VMMS", "Hyper-V-VMMS")
_VOLSNAP = ("volsnap",)
_VSS = ("VSS",)
_BACKUP = ("Microsoft-Windows-Backup",)
_CLUSTER = ("Microsoft-Windows-FailoverClustering",)
_NOT_GUEST = (Place.HOST, Place.UNKNOWN)


def _rule(  # noqa: PLR0917 - one argument per field of a rule, in its order
    rule_id: str,
    title: str,
    severity: Severity,
    source: Source,
    description: str,
    remedy: str,
) -> Rule:
    return Rule(
        id=rule_id,
        title=title,
        severity=severity,
        profiles=ALL_PROFILES,
        source=source,
        description=description,
        remedy=remedy,
    )


def _at(page: Page, heading: str) -> Source:
    return Source(page=page, heading=heading)


def _ids(providers: tuple[str, ...], *event_ids: int, pattern: str | None = None) -> EventMatch:
    return EventMatch(providers=providers, event_ids=event_ids, pattern=pattern)


#: A warning or error in a backup log that no signature recognises.
NOT_RECOGNISED = Rule(
    id="HVB700",
    title="Warning or error in a backup log not in the catalogue",
    severity=Severity.WARNING,
    profiles=ALL_PROFILES,
    source=Source(page=BACKUP_TROUBLESHOOTING, heading="Data collection"),
    description=(
        "A Hyper-V log, or a VSS or backup event, recorded a warning, an error or a failed "
        "writer state that no signature of this catalogue recognises. It is listed so that "
        "nothing the host recorded is lost; its severity is the event's (an error or "
        "critical event is an error), but unless --strict is given it makes the exit status "
        "no worse than a warning would: an event nobody has explained is a question, not a "
        "verdict."
    ),
    remedy=(
        "Read the event's message in the report, and look the provider and event id up in "
        "Microsoft's documentation and the backup vendor's knowledge base."
    ),
)

#: The signatures of the reference pages of VSS and of Hyper-V's troubleshooting guide.
_REFERENCE: tuple[Signature, ...] = (
    Signature(
        rule=Rule(
            id="HVB701",
            title="Hyper-V VSS writer failed with a non-retryable error",
            severity=Severity.ERROR,
            profiles=ALL_PROFILES,
            source=Source(page=pub.SET_WRITER_FAILURE, heading="Parameters"),
            description=(
                "The Hyper-V VSS writer is in a failed state (6 to 15) with a non-retryable "
                "last error (0x800423F4): the VMs it was backing up were not captured, and "
                "running the backup again fails the same way until the cause is removed."
            ),
            remedy=(
                "Find the VM named by the Hyper-V events of the same minute and remove the "
                "cause they give; then restart the VSS service (or the host) to clear the "
                "writer's state, and check it with 'vssadmin list writers'."
            ),
        ),
        writers=(
            WriterMatch(states=_FAILED, writer_id=HYPERV_WRITER, last_error="non.?retryable"),
        ),
        explained_by=(
            "HVB201",
            "HVB202",
            "HVB303",
            "HVB304",
            "HVB305",
            "HVB306",
            "HVB611",
            "HVB620",
        ),
    ),
    Signature(
        rule=Rule(
            id="HVB702",
            title="Hyper-V VSS writer failed with a retryable error or timed out",
            severity=Severity.ERROR,
            profiles=ALL_PROFILES,
            source=Source(page=BACKUP_TROUBLESHOOTING, heading="Checkpoint and VSS-related issues"),
            description=(
                "The Hyper-V VSS writer is in a failed state with a retryable error "
                "(0x800423F3) or a timeout (0x800423F2). Overlapping backup jobs or other VSS "
                "operations are the usual cause; the next run may succeed."
            ),
            remedy=(
                "Restart the VSS services (vss and swprv) or the host to clear the writer, "
                "and stagger the backup schedules so that no two VSS operations overlap."
            ),
        ),
        writers=(
            WriterMatch(states=_FAILED, writer_id=HYPERV_WRITER, last_error="retryable|timed out"),
        ),
    ),
    Signature(
        rule=Rule(
            id="HVB703",
            title="Hyper-V VSS writer failed: inconsistent shadow copy",
            severity=Severity.ERROR,
            profiles=ALL_PROFILES,
            source=Source(page=pub.SET_WRITER_FAILURE, heading="Parameters"),
            description=(
                "The Hyper-V VSS writer failed with the last error 'Inconsistent shadow copy' "
                "(0x800423F0): the shadow copy set did not hold every volume the writer "
                "needed for the VMs selected."
            ),
            remedy=(
                "Include every volume that holds a VM's files (configuration, virtual hard "
                "disks, snapshots) in the backup, then run it again."
            ),
        ),
        writers=(WriterMatch(states=_FAILED, writer_id=HYPERV_WRITER, last_error="inconsistent"),),
        explained_by=("HVB306",),
    ),
    Signature(
        rule=Rule(
            id="HVB704",
            title="Hyper-V VSS writer in a failed state",
            severity=Severity.ERROR,
            profiles=ALL_PROFILES,
            source=Source(page=VSS_WRITER_STATE_PAGE, heading="VSS_WRITER_STATE enumeration"),
            description=(
                "The Hyper-V VSS writer is in a failed state (6 to 15) with a last error not "
                "named by HVB701 to HVB703: it vetoed the last shadow copy at the step the "
                "state names."
            ),
            remedy=(
                "Read the Hyper-V events of the backup's time for the VM and the cause; then "
                "restart the VSS service or the host to clear the writer."
            ),
        ),
        writers=(WriterMatch(states=_FAILED, writer_id=HYPERV_WRITER),),
    ),
    Signature(
        rule=Rule(
            id="HVB705",
            title="Another VSS writer in a failed state",
            severity=Severity.WARNING,
            profiles=ALL_PROFILES,
            source=Source(
                page=BACKUP_TROUBLESHOOTING,
                heading="Resolution: Backup/restore and VSS writer troubleshooting",
                claim=Claim.INFERRED,
                inference=(
                    "The guide says to clear failed writers before backing up; that a backup "
                    "holding the writer's data then fails or leaves it out is read from that."
                ),
                anchor="another-writers-failure-hvb705",
            ),
            description=(
                "A VSS writer other than Hyper-V's is in a failed state. A host backup that "
                "includes that writer's data fails or leaves it out."
            ),
            remedy=(
                "Restart the service that owns the writer, or the host, and check the writers "
                "again with 'vssadmin list writers' before the next backup."
            ),
        ),
        writers=(WriterMatch(states=_FAILED),),
    ),
    Signature(
        rule=Rule(
            id="HVB706",
            title="A VSS writer rejected an event on the host (VSS 8229)",
            severity=Severity.ERROR,
            profiles=ALL_PROFILES,
            source=Source(page=BACKUP_TROUBLESHOOTING, heading="Backup and restore failures"),
            description=(
                "VSS event 8229 on the host: a writer rejected a step of the shadow copy, so "
                "the backup of what it writes for (for Hyper-V, the VMs) failed."
            ),
            remedy=(
                "Read the writer's name and error in the event; check the writers with "
                "'vssadmin list writers', restart the VSS services and stagger backup jobs."
            ),
        ),
        events=(EventMatch(providers=("VSS",), event_ids=(8229,)),),
    ),
    Signature(
        rule=Rule(
            id="HVB707",
            title="VSS failed inside the guest (VSS 12293)",
            severity=Severity.ERROR,
            profiles=ALL_PROFILES,
            source=Source(page=BACKUP_TROUBLESHOOTING, heading="Backup and restore failures"),
            description=(
                "VSS event 12293 in a guest: the guest's shadow copy failed, so the VM could "
                "not take part in the host's backup."
            ),
            remedy=(
                "Fix VSS in the guest (the volumes, their shadow storage and the Hyper-V "
                "Volume Shadow Copy Requestor service), then run the backup again."
            ),
        ),
        events=(EventMatch(providers=("VSS",), event_ids=(12293,), places=(Place.GUEST,)),),
        explained_by=("HVB301", "HVB302", "HVB303", "HVB304", "HVB305", "HVB306", "HVB602"),
    ),
    Signature(
        rule=Rule(
            id="HVB708",
            title="Account of the VM has no access to a virtual hard disk (0x80070005)",
            severity=Severity.ERROR,
            profiles=ALL_PROFILES,
            source=Source(page=ACCESS_DENIED_KB, heading="Cause"),
            description=(
                "Hyper-V was denied access (0x80070005) to a .vhd(x) or .avhd(x) file: the "
                "file's permissions lack the VM's own account, NT VIRTUAL MACHINE\\<VM ID>, "
                "often after a restore or a copy of the files."
            ),
            remedy=(
                "Grant the VM's account full control of the file: icacls <file> /grant "
                '"NT VIRTUAL MACHINE\\<VM ID>":(F), with the VM ID from the event.'
            ),
        ),
        events=(
            EventMatch(
                providers=_HYPERV,
                event_ids=(),
                # The code and a disk file's name, in either order. Each half commits to
                # the first place its first part is found (an atomic group, anchored at
                # the start), so a message that repeats one part is searched in linear
                # time rather than once from every repeat.
                pattern=(
                    r"\A(?:(?>[\s\S]*?0x80070005)[\s\S]*?\.a?vhdx?"
                    r"|(?>[\s\S]*?\.a?vhdx?)[\s\S]*?0x80070005)"
                ),
            ),
        ),
    ),
    Signature(
        rule=Rule(
            id="HVB709",
            title="File of the VM in use by another process (0x80070020)",
            severity=Severity.ERROR,
            profiles=ALL_PROFILES,
            source=Source(page=BACKUP_TROUBLESHOOTING, heading="Checkpoint and snapshot issues"),
            description=(
                "A checkpoint, merge or restore failed because another process holds a file "
                "of the VM (0x80070020): an overlapping backup job, or an antivirus scan of "
                "the VM's files."
            ),
            remedy=(
                "Stagger backup jobs, exclude the VM files from antivirus scans as Microsoft's "
                "antivirus exclusions for Hyper-V hosts list them, and retry."
            ),
        ),
        events=(EventMatch(providers=_HYPERV, event_ids=(), pattern=r"0x80070020"),),
    ),
    Signature(
        rule=Rule(
            id="HVB710",
            title="Backup checkpoint of the VM could not be created",
            severity=Severity.ERROR,
            profiles=ALL_PROFILES,
            source=Source(page=BACKUP_TROUBLESHOOTING, heading="Backup and restore failures"),
            description=(
                "Hyper-V could not create the checkpoint a backup takes of the VM, so the VM "
                "was not backed up. Shared VHDX, a production-only checkpoint of a guest that "
                "cannot quiesce, or disks the checkpoint cannot hold are known causes."
            ),
            remedy=(
                "Remove the inventory cause named with this finding, if any; else clear "
                "orphaned checkpoints (Get-VMSnapshot), check the writers and retry."
            ),
        ),
        events=(
            EventMatch(
                providers=_HYPERV,
                event_ids=(),
                # "checkpoint operation for ... failed" within one line: tried from each
                # line's start only, committing to the line's first "checkpoint
                # operation for ", so that repeats of it cost linear time.
                pattern=(
                    r"could not create (the )?backup checkpoint"
                    r"|(?<![^\n])(?>[^\n]*?checkpoint operation for )[^\n]*? failed"
                    r"|cannot create the storage required for the checkpoint"
                    r"|failed to create (the )?(VM )?(recovery|production) checkpoint"
                ),
            ),
        ),
        explained_by=("HVB603", "HVB608", "HVB611", "HVB612", "HVB618", "HVB620"),
    ),
    Signature(
        rule=Rule(
            id="HVB711",
            title="Virtual disk has the signature of a host disk (0x800423F4)",
            severity=Severity.ERROR,
            profiles=ALL_PROFILES,
            source=Source(
                page=DISK_SIGNATURE_KB,
                heading="Symptoms",
                claim=Claim.INFERRED,
                inference=(
                    "Microsoft no longer publishes KB975695; its cause is read from a "
                    "third-party archive copy, so it is a likely cause, not a stated one."
                ),
                anchor="a-cause-only-an-archive-copy-gives-hvb711-hvb752",
            ),
            description=(
                "The host logged that the number of volumes reverted does not match the "
                "snapshot set, and the backup failed (0x800423F4). An archive copy of KB975695 "
                "gives as the cause a virtual hard disk of the VM that carries the same disk "
                "signature as a physical disk of the host; Microsoft's own copy was not found."
            ),
            remedy=(
                "Compare the disk signatures of the VM's virtual disks with the host's disks "
                "(diskpart, 'uniqueid disk'); if two match, give the virtual disk a new "
                "signature inside the guest, then run the backup again."
            ),
        ),
        events=(
            EventMatch(
                providers=(),
                event_ids=(),
                pattern=r"number of volumes reverted does not match",
            ),
        ),
    ),
)

#: The signatures grown from published failures, in ID order.
_FIELD: tuple[Signature, ...] = (
    # --- Shadow copy storage (volsnap) ---------------------------------------------
    Signature(
        rule=_rule(
            "HVB712",
            "Shadow copies deleted: their storage could not grow in time (volsnap 25)",
            Severity.ERROR,
            _at(pub.VOLSNAP_25_KB, "SYMPTOMS"),
            "The volume's writes came faster than the shadow copy storage could be extended, "
            "so the volume snapshot driver deleted the shadow copies, and with them the "
            "backup that was reading one. Time, not space, runs out: the volume is busy.",
            "Back up when the volume is quieter, or put its shadow copy storage on another "
            "volume that is not itself being shadow copied (vssadmin add/resize shadowstorage).",
        ),
        events=(_ids(_VOLSNAP, 25),),
    ),
    Signature(
        rule=_rule(
            "HVB713",
            "Not enough free space to grow the shadow copy storage (volsnap 24)",
            Severity.WARNING,
            _at(pub.VOLSNAP_24_KB, "SYMPTOMS"),
            "The volume holding the shadow copy storage had no room to grow it, so every shadow "
            "copy of the volume may be deleted, oldest first. A defragmentation run on a volume "
            "with shadow copies is one published way to fill it.",
            "Free space on the volume that holds the shadow copy storage, or move the storage "
            "to a larger volume; avoid defragmenting volumes that keep shadow copies.",
        ),
        events=(_ids(_VOLSNAP, 24),),
    ),
    Signature(
        rule=_rule(
            "HVB714",
            "Oldest shadow copy deleted to stay within the storage limit (volsnap 33)",
            Severity.WARNING,
            _at(pub.FCI_SHADOW_COPIES, "Symptoms"),
            "The shadow copy storage reached its maximum size, so the oldest shadow copy of the "
            "volume was deleted. A job that rewrites many files (File Classification, a "
            "defragmentation) can make VSS delete every shadow copy this way.",
            "Raise the storage limit of the volume (vssadmin resize shadowstorage) or schedule "
            "the job that rewrites files away from the backup.",
        ),
        events=(_ids(_VOLSNAP, 33),),
    ),
    Signature(
        rule=_rule(
            "HVB715",
            "Shadow copies aborted: their storage volume was not there (volsnap 32)",
            Severity.ERROR,
            _at(pub.EVENT_32_STORAGE_ABSENT, "Symptom"),
            "The shadow copies of a volume are kept on another volume, which was not present "
            "when the volume came online (for example still enumerating after a restart), so "
            "the shadow copies were deleted.",
            "Keep the shadow copy storage on the same volume, or make sure the storage volume "
            "comes online first; clear stale VolumeSnapshot device entries if there are many.",
        ),
        events=(_ids(_VOLSNAP, 32),),
    ),
    Signature(
        rule=_rule(
            "HVB716",
            "Shadow copies aborted by the volume snapshot driver (volsnap 15, 27)",
            Severity.ERROR,
            _at(pub.VOLSNAP_BUG, "error_1.xml and error_2.xml"),
            "The volume snapshot driver aborted every shadow copy of the volume: its paged heap "
            "ran out (15) or a critical control file could not be opened (27). The published "
            "case is a defect of volsnap.sys on Windows 11 after a small virtual disk holding "
            "shadow copies was mounted and dismounted many times.",
            "Take the shadow copies again after a restart and install the current updates; "
            "do not keep shadow copies on a volume that is mounted and dismounted often.",
        ),
        events=(_ids(_VOLSNAP, 15, 27),),
    ),
    Signature(
        rule=_rule(
            "HVB717",
            "Shadow copy deleted while a storage report ran (SRMSVC 12310)",
            Severity.WARNING,
            _at(pub.FCI_SHADOW_COPIES, "Symptoms"),
            "A shadow copy that File Server Resource Manager was reading was deleted because the "
            "volume's shadow copy storage is too small for the changes being made.",
            "Enlarge the shadow copy storage of the volume (vssadmin resize shadowstorage).",
        ),
        events=(_ids(("SRMSVC",), 12310),),
    ),
    Signature(
        rule=_rule(
            "HVB718",
            "No volume can hold the shadow copy storage (VSS 8193, diff area)",
            Severity.ERROR,
            _at(pub.VSS_DIFF_AREA_KB, "VSS Error EventID: 8193 from the Event Log"),
            "VSS looked for a volume to keep the shadow copy storage of a volume being copied "
            "and found none with room for it, so the shadow copy was not made.",
            "Free space on the volume, or give it shadow copy storage on a volume with room "
            "(vssadmin add shadowstorage), then run the backup again.",
        ),
        events=(_ids(_VSS, 8193, pattern=r"diff area candidates"),),
    ),
    # --- VSS itself: its components and the services it calls -----------------------
    Signature(
        rule=_rule(
            "HVB719",
            "VSS components are not registered (VSS 20; 8193 CoCreateInstance)",
            Severity.ERROR,
            _at(pub.VSS_EVENTS_2003, "Symptoms"),
            "A COM class VSS needs (VSSEvent) is not registered, so VSS cannot reach the writers "
            "and no shadow copy is made. Microsoft gives unregistered VSS system files as the "
            "cause on Windows Server 2003, and on Windows Server 2008 a damaged registration "
            "of the VSS event class (see HVB720).",
            "Register the VSS components again as the article lists them (regsvr32 of the VSS "
            "DLLs, then restart the VSS service); on 2008, correct the event class's registry "
            "values as HVB720 says; then run the backup again.",
        ),
        events=(
            _ids(_VSS, 20),
            _ids(_VSS, 8193, pattern=r"routine CoCreateInstance\.\s+hr = 0x80(?:040154|004002)"),
        ),
    ),
    Signature(
        rule=_rule(
            "HVB720",
            "The VSS event class is not registered (VSS 34, 13; 8193 0x80070057)",
            Severity.ERROR,
            _at(pub.NO_WRITERS_LISTED, "Symptoms"),
            "The registration of the VSS event class is damaged (the path to Eventcls.dll, or "
            "the type of its TypeLib value), so writers receive no events and 'vssadmin list "
            "writers' lists none (Windows Server 2008).",
            "Correct the registry values of the VSS event class as the article gives them, "
            "then restart the VSS service and check that the writers are listed.",
        ),
        events=(
            _ids(_VSS, 34, 13),
            _ids(_VSS, 8193, pattern=r"routine CoCreateInstance\.\s+hr = 0x80070057"),
        ),
    ),
    Signature(
        rule=_rule(
            "HVB721",
            "VSS could not contact the writers (VSS 12302)",
            Severity.ERROR,
            _at(pub.VSSADMIN_8000FFFF, "Symptoms"),
            "VSS found an internal inconsistency when it tried to contact the writers: the "
            "subscriptions of the COM+ Event System are damaged, or the VSS components are not "
            "registered. 'vssadmin list writers' then fails with 0x8000FFFF or lists nothing.",
            "Repair the COM+ Event System subscriptions (the article names the registry key) or "
            "register the VSS components again, restart the VSS and Event System services, and "
            "check the writers with 'vssadmin list writers'.",
        ),
        events=(_ids(_VSS, 12302),),
    ),
    Signature(
        rule=_rule(
            "HVB722",
            "A hardware provider was denied during a NAS backup (VSS 12292, harmless)",
            Severity.INFO,
            _at(pub.NETAPP_ISCSI_TARGET, "VSS returns errors against the Microsoft iSCSI Target"),
            "During an application-consistent backup of VMs on SMB storage, VSS logs that it "
            "could not create a hardware provider's class (the Microsoft iSCSI Target VSS "
            "Hardware Provider): access is denied. The backup itself does not fail.",
            "Nothing, if the backup succeeded; otherwise look at the other events of the run.",
        ),
        events=(_ids(_VSS, 12292, pattern=r"access is denied"),),
    ),
    Signature(
        rule=_rule(
            "HVB723",
            "The system shadow copy provider cannot start (VSS 12292, 11; SCM 7023)",
            Severity.ERROR,
            _at(pub.SWPRV_12292, "Symptoms"),
            "The Microsoft Software Shadow Copy Provider (swprv) cannot be started because the "
            "ServiceDll value of its service is missing or wrong, so no shadow copy can be made "
            "(the message of event 11 blames the CPU load; that is not the cause).",
            "Set HKLM\\SYSTEM\\CurrentControlSet\\Services\\swprv\\Parameters\\ServiceDll to "
            "%Systemroot%\\System32\\swprv.dll (an expandable string), then run the backup again.",
        ),
        events=(
            _ids(_VSS, 12292, 11, pattern=r"65ee1dba-8ff4-4a58-ac1c-3470ee2f376a"),
            _ids(
                ("Service Control Manager",),
                7023,
                pattern=r"Microsoft Software Shadow Copy Provider service terminated",
            ),
        ),
    ),
    Signature(
        rule=_rule(
            "HVB724",
            "A writer's metadata is too long (VSS 8193, 0x80070018)",
            Severity.ERROR,
            _at(pub.EVENT_8193_XML, "Symptoms"),
            "The document in which a writer lists its components grew beyond what VSS accepts, "
            "so the backup fails: the System Writer with too many files in a folder it reports "
            "(the .NET Temporary Internet Files), or a writer with too many components.",
            "Delete the surplus files the article names (or reduce the writer's components), "
            "then run the backup again.",
        ),
        events=(_ids(_VSS, 8193, pattern=r"0x80070018"),),
    ),
    Signature(
        rule=_rule(
            "HVB725",
            "The System Writer cannot open the VSS Diag key (VSS 8193, harmless)",
            Severity.INFO,
            _at(pub.VSS_DIAG_8193, "Symptoms"),
            "When Cryptographic Services starts, the System Writer logs that it was denied the "
            "registry key VSS\\Diag: installing the DHCP Server role rewrites that key's "
            "permissions without Network Service. The article treats the event as harmless to "
            "backups.",
            "Nothing is needed for the backup; to stop the event, give Network Service full "
            "control of the key again as the article shows.",
        ),
        events=(_ids(_VSS, 8193, pattern=r"Services\\VSS\\Diag"),),
    ),
    Signature(
        rule=_rule(
            "HVB726",
            "A writer could not call back into the backup application (VSS 8194)",
            Severity.WARNING,
            _at(pub.RESTIC_8194, "Windows VSS event ID 8194"),
            "A writer running under a service account was denied when it called back into the "
            "process that asked for the shadow copy (IVssWriterCallback, 0x80070005). The "
            "backup application did not set its COM security (CoInitializeSecurity) to let the "
            "writers in. The backup often completes: a file backup does not need the System "
            "Writer, and on a cluster the event is logged when a VM and its CSV have different "
            "owners.",
            "If the backup succeeded, the event can be left alone; if the writer's data was "
            "needed, update the backup application (the fix is in the requester) or run it "
            "under an account the writers may call.",
        ),
        events=(_ids(_VSS, 8194, pattern=r"IVssWriterCallback"),),
    ),
    Signature(
        rule=_rule(
            "HVB727",
            "A writer's process does not have the access rights VSS requires (VSS 8213)",
            Severity.ERROR,
            _at(pub.SYSTEM_WRITER_NOT_FOUND, "Resolution"),
            "The account that runs the writer named in the event (the System Writer runs as "
            "Network Service) is not allowed by the VssAccessControl registry key, so the "
            "writer does not start and its data is missing from the backup.",
            "Add the writer's account to HKLM\\SYSTEM\\CurrentControlSet\\Services\\VSS\\"
            "VssAccessControl with the value 1, restart the writer's service and check it with "
            "'vssadmin list writers'.",
        ),
        events=(_ids(_VSS, 8213),),
    ),
    Signature(
        rule=_rule(
            "HVB728",
            "VSS could not resolve an account it was told to trust (VSS 8230, harmless)",
            Severity.INFO,
            _at(pub.SBS_VSS_WARNINGS, "Symptoms"),
            "An account listed in the VssAccessControl registry key (on Small Business Server "
            "2011, a SharePoint service account) could not be resolved. Backups are not "
            "affected unless the writer of that account is needed.",
            "Nothing for the backup; remove the account from VssAccessControl, or check the "
            "connection to a domain controller, to stop the warning.",
        ),
        events=(_ids(_VSS, 8230),),
    ),
    Signature(
        rule=_rule(
            "HVB729",
            "VSS removed an old writer session (VSS 12289, 0x80042409, harmless)",
            Severity.INFO,
            _at(pub.EVENT_12289_SESSIONS, "Symptoms"),
            "A writer kept the state of a backup or restore session that its requester never "
            "closed; VSS removes such states after two days and logs one event for each. It "
            "says nothing about the current backup.",
            "Nothing; if many are logged, the backup application does not complete its "
            "sessions (BackupComplete or PostRestore), which its vendor can fix.",
        ),
        events=(_ids(_VSS, 12289, pattern=r"0x80042409"),),
    ),
    Signature(
        rule=_rule(
            "HVB730",
            "A provider or driver refused a step of the shadow copy (VSS 12289, 0x80070001)",
            Severity.ERROR,
            _at(pub.DPM_HARDWARE_PROVIDER, "Symptoms"),
            "A device call VSS made while exposing or recovering the shadow copy failed with "
            "'Incorrect function'. On a Hyper-V host Microsoft gives a hardware provider that "
            "does not support auto-recovery (the iSCSI Target VSS Hardware Provider) as the "
            "cause: the online backups of the VMs fail. A third-party file system driver has "
            "been reported to do the same.",
            "Make the backup use the system (software) provider for the host's volumes, or "
            "uninstall the provider or driver that cannot auto-recover, then run the backup again.",
        ),
        events=(_ids(_VSS, 12289, pattern=r"0x80070001"),),
    ),
    Signature(
        rule=_rule(
            "HVB731",
            "Hyper-V could not mount a VM's virtual disk from the shadow copy (VMMS 10111)",
            Severity.ERROR,
            _at(pub.DPM_HARDWARE_PROVIDER, "Symptoms"),
            "To back up a running VM, Hyper-V mounts its virtual disk from the host's shadow "
            "copy; the mount failed. A hardware provider without auto-recovery made the host's "
            "shadow copy read-only, so the VM's online backup fails.",
            "Use the system (software) provider for the volumes of the VMs, or a hardware "
            "provider that supports auto-recovery, then run the backup again.",
        ),
        events=(_ids(_VMMS, 10111),),
        explained_by=("HVB620",),
    ),
    Signature(
        rule=_rule(
            "HVB732",
            "The writes of a volume could not be held for the shadow copy (VSS 12298)",
            Severity.ERROR,
            _at(pub.VSS_CREATION_PERIOD_KB, "Shadow Copy Creation Period Is Exceeded"),
            "VSS holds the writes of every volume of the set while it takes the shadow copy; "
            "it could not get the resources to hold them for this volume long enough, so the "
            "shadow copy was not created.",
            "Run the backup when the volumes are quieter, take fewer volumes in one shadow copy "
            "set, and check the host's memory and disk load.",
        ),
        events=(_ids(_VSS, 12298),),
    ),
    Signature(
        rule=_rule(
            "HVB733",
            "Reverting a VM's disk to its shadow copy failed (VMMS 10103; VSS 12293, 8193)",
            Severity.ERROR,
            _at(pub.NETAPP_PARTIAL_WRITER, "Vss Requestor - Backup Components failed"),
            "After the host's shadow copy, the Hyper-V writer reverts each VM's virtual disk to "
            "the VM's own consistent copy; the revert failed for the VM or disk the event "
            "names, so the writer reports a partial failure (0x800423F3) and that VM's backup "
            "is not consistent.",
            "Run the backup of that VM again; if it fails again, check the storage provider "
            "of the volume (its revert support) and the other VSS events of the same minute.",
        ),
        events=(
            _ids(_VMMS, 10103),
            _ids(_VSS, 12293, pattern=r"RevertToSnapshot"),
            _ids(_VSS, 8193, pattern=r"Revert a Shadow Copy"),
        ),
    ),
    Signature(
        rule=_rule(
            "HVB734",
            "A shadow copy provider failed a routine (VSS 12293, not in a guest)",
            Severity.ERROR,
            _at(pub.VISTA_12293_BLOG, "Fix for failed backups, Event ID 12293"),
            "VSS called a routine of a shadow copy provider and it failed; the event names the "
            "provider and the routine. On Windows Vista and Windows Server 2008 a known defect "
            "made every backup stop right after it started with this event.",
            "Read the provider and routine in the event; on Windows Vista or Windows Server "
            "2008 install the update that fixes the defect; elsewhere, check the provider "
            "with 'vssadmin list providers' and its vendor.",
        ),
        events=(EventMatch(providers=_VSS, event_ids=(12293,), places=_NOT_GUEST),),
    ),
    Signature(
        rule=_rule(
            "HVB735",
            "A cluster disk resource has no disk behind it (VSS 12311, 0x80070490)",
            Severity.ERROR,
            _at(pub.CLUSTER_VSS_CATASTROPHIC, "Symptoms"),
            "A failover cluster still has a disk resource whose disk was taken out of the "
            "server, so VSS fails when it asks the cluster for the disk (0x80070490) and shadow "
            "copy operations fail with 0x8000FFFF.",
            "Delete the cluster disk resource that has no disk, then run the backup again.",
        ),
        events=(_ids(_VSS, 12311),),
    ),
    Signature(
        rule=_rule(
            "HVB736",
            "A writer crashed in a VSS callback (VSS 12366; MSExchangeRepl 2034)",
            Severity.ERROR,
            _at(pub.VSS_ROLLUP_BLOG, "November 2014 update rollup breaks VSS backup"),
            "An unhandled exception in a writer's event callback left the VSS writers unstable, "
            "so backups fail. The published case is the November 2014 update rollup of Windows "
            "8 and Windows Server 2012, which broke VSS backups (Exchange's writer too).",
            "Install the fix for the update that broke VSS (or remove that update), restart the "
            "writers' services and run the backup again.",
        ),
        events=(_ids(_VSS, 12366), _ids(("MSExchangeRepl",), 2034)),
    ),
    # --- The guests' and the host's applications as root causes ---------------------
    Signature(
        rule=_rule(
            "HVB737",
            "The Active Directory (NTDS) writer timed out (VSS 12290, ESENT)",
            Severity.ERROR,
            _at(pub.VOLSNAP_25_KB, "SYMPTOMS"),
            "The NTDS writer of a domain controller reported a database error (-2402) while a "
            "long shadow copy was being made: slow disks, little memory or CPU, or a disabled "
            "disk write cache make the writers time out, and the backup fails (0x800423F2 to "
            "0x800423F4).",
            "Back up the domain controller when it is quieter, enable the disk write cache, "
            "check that the NTDS writer is stable again (vssadmin list writers) and retry.",
        ),
        events=(_ids(_VSS, 12290, pattern=r"NTDS"),),
    ),
    Signature(
        rule=_rule(
            "HVB738",
            "SQL Server refused a differential backup without a full one (SQLWRITER 24583)",
            Severity.ERROR,
            _at(pub.SQL_DIFFERENTIAL_KB, "MS-SQL backups fail with error SQL49"),
            "The backup asked SQL Server's writer for a differential backup of a database that "
            "has no current full backup to build on, so the writer failed it on purpose.",
            "Take a full backup of the database named in the event, then go back to "
            "differential backups.",
        ),
        events=(_ids(("SQLWRITER",), 24583, pattern=r"differential backup"),),
    ),
    Signature(
        rule=_rule(
            "HVB739",
            "SQL Server's VSS writer failed for a database (SQLWRITER 24583)",
            Severity.ERROR,
            _at(pub.WSB_SQL_WRITER, "Resolution"),
            "The SQL Server writer could not back up the database the event names (its SQL "
            "errors are in the event: a database that cannot be opened, an I/O error), and a "
            "failed writer fails the whole shadow copy and backup.",
            "Fix the database the event names (or take it out of the SQL instance if it is no "
            "longer used), then run the backup again.",
        ),
        events=(_ids(("SQLWRITER",), 24583),),
    ),
    Signature(
        rule=_rule(
            "HVB740",
            "SQL Server's virtual device aborted the backup (SQLVDI 1)",
            Severity.ERROR,
            _at(pub.WSB_SQL_WRITER, "Resolution"),
            "The virtual device interface between the SQL Server writer and an instance "
            "aborted; the first such event names the instance whose databases failed the "
            "shadow copy.",
            "Find the instance named in the first SQLVDI event, fix or stop it (or its damaged "
            "database), then run the backup again.",
        ),
        events=(_ids(("SQLVDI",), 1),),
    ),
    Signature(
        rule=_rule(
            "HVB741",
            "An Exchange passive copy lost the active server (MSExchangeRepl 2153)",
            Severity.ERROR,
            _at(pub.EXCHANGE_PASSIVE_COPY, "Symptoms"),
            "A backup of a passive mailbox database copy needs a connection to the server with "
            "the active copy for the whole backup; it broke (network devices closing idle "
            "sessions, security software), so the Exchange writer reports a retryable error.",
            "Check the network path between the two Exchange servers (idle-session time-outs, "
            "security software) or back up the active copy, then run the backup again.",
        ),
        events=(_ids(("MSExchangeRepl",), 2153),),
    ),
    # --- Windows Server Backup ---------------------------------------------------------
    Signature(
        rule=_rule(
            "HVB742",
            "Windows Server Backup: a writer failed the shadow copy (Backup 521)",
            Severity.ERROR,
            _at(pub.WSB_SQL_WRITER, "Symptoms"),
            "The shadow copy of the backup's volumes failed because a VSS writer failed "
            "(2155348129 is 0x800423F4, a non-retryable writer error); any writer's failure "
            "fails the whole Windows Server Backup job.",
            "Find the writer with 'vssadmin list writers' and the events of its application "
            "(SQLWRITER, SQLVDI, ...), fix it, then run the backup again.",
        ),
        events=(_ids(_BACKUP, 521),),
    ),
    Signature(
        rule=_rule(
            "HVB743",
            "Windows Server Backup: the System Writer is not in the backup (Backup 517)",
            Severity.ERROR,
            _at(pub.SYSTEM_WRITER_NOT_FOUND, "Symptoms"),
            "A system state backup needs the System Writer and it was missing: it failed on the "
            "permissions of %windir%\\winsxs\\filemaps or %windir%\\winsxs\\temp\\PendingRenames, "
            "or it does not start because VssAccessControl lacks Network Service.",
            "Restore the permissions the article gives on those folders (or add Network "
            "Service to VssAccessControl), restart Cryptographic Services and check the writer.",
        ),
        events=(_ids(_BACKUP, 517, pattern=r"2155348226|System writer is not found"),),
    ),
    Signature(
        rule=_rule(
            "HVB744",
            "Windows Server Backup: enumeration of the files failed (Backup 517, 5)",
            Severity.ERROR,
            _at(pub.SYSTEM_STATE_IMAGEPATH, "Symptom"),
            "The System Writer could not enumerate a file of the system state: the ImagePath "
            "of a service points to a path or file that does not exist (2155348237, "
            "0x8078010D); the System log shows that service failing to start.",
            "Find the service whose ImagePath is wrong (Service Control Manager event 7000 "
            "names it), correct or remove it, then run the backup again.",
        ),
        events=(_ids(_BACKUP, 517, 5, pattern=r"2155348237"),),
    ),
    Signature(
        rule=_rule(
            "HVB745",
            "Windows Server Backup: the remote shared folder failed (Backup 5, 0x8078015B)",
            Severity.ERROR,
            _at(pub.DPM_BMR, "Symptoms"),
            "The backup wrote to a shared folder (a bare-metal backup to a DPM or Azure Backup "
            "Server share) and a write did not complete in time: the storage behind the share "
            "was slower than the SMB session allows.",
            "Reduce the storage latency of the server holding the share, or raise its SMB "
            "time-out as the article shows, then run the backup again.",
        ),
        events=(_ids(_BACKUP, 5, pattern=r"0x8078015B"),),
    ),
    Signature(
        rule=_rule(
            "HVB746",
            "Windows Server Backup: not enough space on the backup target (Backup 50)",
            Severity.ERROR,
            _at(pub.WSB_NO_SPACE_PASTE, "Windows Server Backup event 50"),
            "The backup failed because the target (the disk the event names) did not have the "
            "space the backup needed.",
            "Free space on the backup target, or give the backup a larger target.",
        ),
        events=(_ids(_BACKUP, 50),),
    ),
    Signature(
        rule=_rule(
            "HVB747",
            "Windows Server Backup could not back up some files (Backup 547)",
            Severity.WARNING,
            _at(pub.TXFLOG_ACCESS_DENIED, "Symptoms"),
            "The backup completed with errors for the volumes the event names; the log it "
            "names lists the files. A file-level backup of NTFS's own transaction log "
            "($Extend\\$RmMetadata\\$TxfLog) is denied (0x80070005) by design.",
            "Read the log named in the event; leave NTFS's internal files out of a file-level "
            "backup (back up the volume instead).",
        ),
        events=(_ids(_BACKUP, 547),),
    ),
    # --- Checkpoints and merges of the VMs ----------------------------------------------
    Signature(
        rule=_rule(
            "HVB748",
            "A background merge was denied access (VMMS 19100, 0x80070005)",
            Severity.ERROR,
            _at(GUEST_CLUSTER_KB, "Symptoms"),
            "After a backup, Hyper-V merges the backup's checkpoint back into the disk; it was "
            "denied access. Microsoft gives the case of a guest cluster's shared VHD Set "
            "disks: the folder that holds the .vhds files and their checkpoints lacks the "
            "permissions of the VMs.",
            "Give the VMs of the guest cluster (and the Virtual Machines group) full control "
            "of the folder holding the .vhds files as the article shows, then let the merge "
            "run again.",
        ),
        events=(_ids(_VMMS, 19100, pattern=r"0x80070005"),),
        explained_by=("HVB611",),
    ),
    Signature(
        rule=_rule(
            "HVB749",
            "A background merge hit a file system limitation (VMMS 19100, 0x80070299)",
            Severity.ERROR,
            _at(pub.REPLICA_MERGE_BLOG, "Background disk merge failed to complete"),
            "A Hyper-V Replica initial replication was started while the VM was being backed "
            "up; both made checkpoints, and the merge after the backup fails again and again "
            "with a file system limitation.",
            "Do not start replication during a backup; once both have ended, let the merge "
            "finish (or merge the leftover .avhdx files by hand) and check the VM's disks.",
        ),
        events=(_ids(_VMMS, 19100, pattern=r"0x80070299"),),
    ),
    Signature(
        rule=_rule(
            "HVB750",
            "A background merge failed (VMMS 19100)",
            Severity.ERROR,
            _at(
                pub.BAREOS_REFERENCE_POINT, "first incremental after full leaves a reference point"
            ),
            "The checkpoint a backup took could not be merged back into the VM's disk, so the "
            "VM keeps running on a differencing disk (.avhdx). A reference point or "
            "checkpoint the backup application left behind keeps the merge from completing.",
            "Remove what the backup application left (Get-VMSnapshot, its reference points), "
            "then let Hyper-V merge the disk again; check that no .avhdx is left.",
        ),
        events=(_ids(_VMMS, 19100),),
    ),
    Signature(
        rule=_rule(
            "HVB751",
            "Hyper-V was denied a VM's configuration on a share (VMMS 20100)",
            Severity.ERROR,
            _at(pub.SMB_LIVE_MIGRATION_BLOG, "How to avoid NTFS permissions problems"),
            "The VM's files are on an SMB share whose NTFS permissions no longer let the "
            "host in (0x80070005): live migrations of VMs on shares shift those permissions.",
            "Give the hosts' computer accounts full control of the VMs' folders on the share "
            "again, then check the VM.",
        ),
        events=(_ids(_VMMS, 20100),),
    ),
    Signature(
        rule=_rule(
            "HVB752",
            "A checkpoint could not start: a file exists (0x80070050, AutoRecovery.avhdx)",
            Severity.ERROR,
            Source(
                page=pub.CHECKPOINT_AUTORECOVERY_MIRROR,
                heading="Symptoms",
                claim=Claim.INFERRED,
                inference=(
                    "Microsoft no longer publishes KB3175561; its cause is read from a "
                    "third-party archive copy, so it is a likely cause, not a stated one."
                ),
                anchor="a-cause-only-an-archive-copy-gives-hvb711-hvb752",
            ),
            "Hyper-V could not begin a checkpoint of the VM because a file it must create "
            "exists already, or VSS could not finish auto-recovering the shadow copy. An "
            "archive copy of KB3175561 gives a leftover AutoRecovery.avhdx of an earlier "
            "backup that did not complete as the cause.",
            "Look for an AutoRecovery.avhdx beside the VM's disks; with the VM off and no "
            "backup running, rename or delete it, then run the backup again.",
        ),
        events=(
            EventMatch(
                providers=_HYPERV,
                event_ids=(),
                # The two halves in order, each found once (see HVB708).
                pattern=(
                    r"\A(?>[\s\S]*?could not initiate a checkpoint operation)[\s\S]*?0x80070050"
                    r"|autorecovery operation failed to complete"
                ),
            ),
        ),
    ),
    Signature(
        rule=_rule(
            "HVB753",
            "The VM's shadow copy set was not made: a dynamic disk in the guest (0x800700EA)",
            Severity.ERROR,
            _at(pub.SITE_RECOVERY_HYPERV, "App-consistent snapshot issues"),
            "Hyper-V could not generate the VSS snapshot set of the VM ('More data is "
            "available', 0x800700EA): the guest has a dynamic disk, which an "
            "application-consistent copy of the VM does not support.",
            "Convert the guest's dynamic disks to basic disks, or accept crash-consistent "
            "copies of that VM.",
        ),
        events=(EventMatch(providers=_HYPERV, event_ids=(), pattern=r"0x800700EA"),),
        explained_by=("HVB305",),
    ),
    Signature(
        rule=_rule(
            "HVB754",
            "The guest's VSS requestor does not match the host (integration services)",
            Severity.ERROR,
            _at(pub.SITE_RECOVERY_HYPERV, "App-consistent snapshot issues"),
            "The Hyper-V Volume Shadow Copy Requestor of the guest could not connect because "
            "its version is not the one the host expects: the guest's integration services "
            "are out of date, so the guest cannot take part in the backup.",
            "Update the integration services of the guest (on 2016 and later, through Windows "
            "Update inside the guest), then run the backup again.",
        ),
        events=(
            EventMatch(
                providers=_HYPERV,
                event_ids=(),
                pattern=r"version does not match the version expected by Hyper-V",
            ),
        ),
        explained_by=("HVB303", "HVB304", "HVB602"),
    ),
    # --- Hyper-V Replica, disk space, clusters ------------------------------------------
    Signature(
        rule=_rule(
            "HVB755",
            "Replication waited while a backup held the replica VM (VMMS 19050, 32xxx, 33680)",
            Severity.WARNING,
            _at(pub.EVENT_19050_REPLICA, "Symptoms"),
            "A backup on the Replica server holds the replica VM, so Hyper-V Replica could not "
            "apply (or, on 2012, send) its changes until the backup ended. On 2012 R2 and later "
            "only the applying waits, and replication health stays normal; on 2012 the "
            "replication cycles fail while the backup runs.",
            "If a backup ran on the Replica server at the time, nothing is lost: replication "
            "catches up when it ends. Schedule replica-side backups apart from busy "
            "replication hours.",
        ),
        events=(_ids(_VMMS, 19050, 32022, 32032, 32056, 32315, 32546, 33680),),
    ),
    Signature(
        rule=_rule(
            "HVB756",
            "A VM was paused: its disk ran out of space (VMMS 16060)",
            Severity.ERROR,
            _at(pub.PAUSED_LOW_DISK, "Symptoms"),
            "The volume holding the VM's virtual disks or checkpoints ran out of space, so "
            "Hyper-V paused the VM. A backup's checkpoint grows while the backup reads the VM, "
            "and can be what fills the volume.",
            "Free space on the volume the event names (or move the VM's files), then resume "
            "the VM; leave room for checkpoints during backups.",
        ),
        events=(_ids(_VMMS, 16060),),
    ),
    Signature(
        rule=_rule(
            "HVB757",
            "A VM is about to run out of disk space (VMMS 16050)",
            Severity.WARNING,
            _at(pub.PAUSED_LOW_DISK, "More information"),
            "The volume holding the VM's files is nearly full; on a Cluster Shared Volume the "
            "node that owns the volume warns, and its VMs are paused when space runs out.",
            "Free space on the volume the event names before the next backup adds a "
            "checkpoint to it.",
        ),
        events=(_ids(_VMMS, 16050),),
    ),
    Signature(
        rule=_rule(
            "HVB758",
            "A CSV snapshot was taken without preparing the volume (FailoverClustering 1584)",
            Severity.WARNING,
            _at(pub.CLUSTER_SYSTEM_EVENTS, "Event 1584: SHARED_VOLUME_NOT_READY_FOR_SNAPSHOT"),
            "A backup application took a VSS snapshot of a Cluster Shared Volume without "
            "preparing the volume for it; the snapshot may be invalid and the backup unusable "
            "for a restore.",
            "Ask the backup application's vendor whether it supports Cluster Shared Volumes, "
            "and test a restore of that backup.",
        ),
        events=(_ids(_CLUSTER, 1584),),
    ),
    Signature(
        rule=_rule(
            "HVB759",
            "A CSV was paused because its snapshots were deleted (FailoverClustering 5156)",
            Severity.ERROR,
            _at(
                pub.CLUSTER_SYSTEM_EVENTS,
                "Event 5156: DCM_VOLUME_AUTO_PAUSE_AFTER_SNAPSHOT_FAILURE",
            ),
            "The snapshots under a Cluster Shared Volume were deleted without a request (no "
            "space for them to grow, or an I/O failure updating them), so the volume was "
            "paused and its I/O queued.",
            "Give the CSV room for its snapshots and check its storage paths, then run the "
            "backup again.",
        ),
        events=(_ids(_CLUSTER, 5156),),
    ),
    Signature(
        rule=_rule(
            "HVB760",
            "An old software snapshot of a CSV was deleted (FailoverClustering 5218)",
            Severity.INFO,
            _at(pub.CLUSTER_SYSTEM_EVENTS, "Event 5218: CSV_OLD_SW_SNAPSHOT_DELETED"),
            "The cluster deleted a software snapshot of a Cluster Shared Volume that was older "
            "than it allows; the backup application should have deleted it when its job ended.",
            "Nothing for the volume; if it recurs, ask the backup application's vendor why its "
            "snapshots outlive their jobs.",
        ),
        events=(_ids(_CLUSTER, 5218),),
    ),
    Signature(
        rule=_rule(
            "HVB761",
            "CSV I/O redirected during a backup (FailoverClustering 5121, harmless)",
            Severity.INFO,
            _at(pub.NETAPP_5121, "Failover clustering event ID 5121"),
            "While a VSS backup of a Cluster Shared Volume runs, the coordinator node holds "
            "the volume and the other nodes' I/O to it is redirected; the event says so and "
            "ends when the backup does.",
            "Nothing, if it is logged during backups only.",
        ),
        events=(_ids(_CLUSTER, 5121),),
    ),
    Signature(
        rule=_rule(
            "HVB762",
            "The Data Exchange service was not reachable (Hyper-V KVP 4096, harmless)",
            Severity.INFO,
            _at(pub.EVENT_KVP_4096, "Symptoms"),
            "A request for a VM's key-value data (its addresses, its system version) arrived "
            "while the VM was starting, saving or stopping; the event is logged then and "
            "means no harm.",
            "Nothing, unless the VM's integration services are really off.",
        ),
        events=(_ids(("Microsoft-Windows-Hyper-V-Integration-KvpExchange",), 4096),),
    ),
    Signature(
        rule=_rule(
            "HVB763",
            "VDS reported an unexpected failure in a guest (VDS 1, harmless)",
            Severity.INFO,
            _at(pub.VDS_EVENT_1, "Symptoms"),
            "In a Windows Server 2008 R2 or Windows 7 guest with a disk on a SCSI controller, "
            "the Virtual Disk Service looks for a property the virtual controller does not "
            "have and logs this error; nothing is wrong.",
            "Nothing.",
        ),
        events=(_ids(("Virtual Disk Service",), 1),),
    ),
    Signature(
        rule=_rule(
            "HVB764",
            "The System Writer could not back up a driver's file (CAPI2 513, harmless)",
            Severity.INFO,
            _at(pub.EVENT_513_SYSTEM_WRITER, "Symptoms"),
            "The System Writer (in Cryptographic Services) was denied the information of the "
            "Link-Layer Discovery Protocol driver's service (AddLegacyDriverFiles) and logged "
            "it; the article treats the event as harmless to backups.",
            "Nothing for the backup; the article shows how to give the service's key the "
            "permission the writer needs, to stop the event.",
        ),
        events=(_ids(("Microsoft-Windows-CAPI2",), 513, pattern=r"AddLegacyDriverFiles"),),
    ),
    Signature(
        rule=_rule(
            "HVB765",
            "The System Writer could not enumerate its files (CAPI2 513, AddCoreCsiFiles)",
            Severity.ERROR,
            _at(pub.SYSTEM_WRITER_NOT_FOUND, "Symptoms"),
            "The System Writer was denied the folders of the component store it enumerates "
            "(%windir%\\winsxs\\filemaps or %windir%\\winsxs\\temp\\PendingRenames), so a "
            "system state backup fails with 'System writer is not found in the backup'.",
            "Restore the permissions the article gives on those folders, restart Cryptographic "
            "Services, and check the System Writer with 'vssadmin list writers'.",
        ),
        events=(_ids(("Microsoft-Windows-CAPI2",), 513, pattern=r"AddCoreCsiFiles"),),
    ),
    Signature(
        rule=_rule(
            "HVB766",
            "SQL Server's own BACKUP failed (MSSQLSERVER 3041)",
            Severity.WARNING,
            _at(pub.SQL_BACKUP_3041_BLOG, "Troubleshooting that darn backup error"),
            "SQL Server logs 3041 for every BACKUP command that fails, whatever the reason; "
            "the reason is the error SQL Server logged just before it (a backup device that "
            "could not be created, a path that does not exist).",
            "Read the SQL Server error logged just before this one, in the Application log or "
            "the SQL Server error log, and fix what it names.",
        ),
        events=(EventMatch(providers=(), event_ids=(3041,), pattern=r"BACKUP failed to complete"),),
    ),
)

SIGNATURES: tuple[Signature, ...] = (*_REFERENCE, *_FIELD)

#: The rules of this family, in ID order.
DIAGNOSIS_RULES: tuple[Rule, ...] = (NOT_RECOGNISED, *(s.rule for s in SIGNATURES))
