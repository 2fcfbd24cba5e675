"""Diagnosis (HVB7xx): what the host's logs and VSS writers say went wrong in a backup.

Each rule here is the cause and remedy of a failure that the host records,
and its signature says how the record is recognised. HVB700 stands for a
warning or error in a backup log that no signature recognises: it is reported,
never dropped. What each source says and how it is read is in
``docs/interpretation.md``; failures no page was found for have no signature.
"""

from __future__ import annotations

from hyperv_backup._base import public_dir
from hyperv_backup.rules.pages import (
    ACCESS_DENIED_KB,
    BACKUP_TROUBLESHOOTING,
    DISK_SIGNATURE_KB,
    VSS_WRITER_STATE_PAGE,
)
from hyperv_backup.rules.profiles import ALL_PROFILES
from hyperv_backup.rules.rule import Rule, Severity
from hyperv_backup.rules.signature import EventMatch, Signature, WriterMatch
from hyperv_backup.rules.source import Source

__all__ = ["DIAGNOSIS_RULES", "HYPERV_WRITER", "NOT_RECOGNISED", "SIGNATURES"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: The writer id of the Hyper-V VSS writer.
HYPERV_WRITER = "66841cd4-6ded-4f4b-8f17-fd23f8ddc3de"

#: The failed states of ``VSS_WRITER_STATE``: FAILED_AT_IDENTIFY (6) to FAILED_AT_BACKUPSHUTDOWN (15).
_FAILED = tuple(range(6, 16))
_HYPERV = ("Microsoft-Windows-Hyper-V-VMMS", "Microsoft-Windows-Hyper-V-Worker")

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
        "critical event is an error)."
    ),
    remedy=(
        "Read the event's message in the report, and look the provider and event id up in "
        "Microsoft's documentation and the backup vendor's knowledge base."
    ),
)

SIGNATURES: tuple[Signature, ...] = (
    Signature(
        rule=Rule(
            id="HVB701",
            title="Hyper-V VSS writer failed with a non-retryable error",
            severity=Severity.ERROR,
            profiles=ALL_PROFILES,
            source=Source(page=VSS_WRITER_STATE_PAGE, heading="VSS_WRITER_STATE enumeration"),
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
            source=Source(page=VSS_WRITER_STATE_PAGE, heading="VSS_WRITER_STATE enumeration"),
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
        events=(EventMatch(providers=("VSS",), event_ids=(12293,)),),
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
            source=Source(page=DISK_SIGNATURE_KB, heading="Symptoms"),
            description=(
                "The backup failed because a virtual hard disk of the VM carries the same disk "
                "signature as a physical disk of the host: the host logs that the number of "
                "volumes reverted does not match the snapshot set."
            ),
            remedy=(
                "Give the virtual disk a new signature inside the guest (or the host disk), "
                "then run the backup again."
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

#: The rules of this family, in ID order.
DIAGNOSIS_RULES: tuple[Rule, ...] = (NOT_RECOGNISED, *(s.rule for s in SIGNATURES))
