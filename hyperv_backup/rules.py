"""The rule catalogue: every finding this package can report, with a stable ID.

IDs are public API and are never reused. HVB1xx are about the host and its
backup application, HVB2xx about storage the host backup misses, HVB3xx about
online and offline backups, HVB4xx about restores and HVB5xx about failover
clusters. Each rule names the heading of the source guidance (Microsoft's
Hyper-V "Planning for Backup") it comes from.

>>> RULES["HVB201"].severity
<Severity.WARNING: 'warning'>
>>> RULES["HVB201"].section
'Storage considerations'
"""

from __future__ import annotations

import enum
import types
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from hyperv_backup._notebook import NotebookDisplay

__all__ = ["RULES", "Finding", "Findings", "Rule", "Severity", "finding"]


class Severity(enum.StrEnum):
    """How much a finding matters."""

    #: The backup fails, or data is left unprotected.
    ERROR = "error"
    #: Downtime, or an extra step is required.
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Order for sorting: 0 for ERROR, 1 for WARNING, 2 for INFO."""
        return _RANK[self]


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@attrs.frozen(kw_only=True)
class Rule:
    """One entry of the catalogue.

    ``description`` says when the rule fires; ``remedy`` what to do about it;
    ``section`` is the heading of the source guidance it comes from.
    """

    id: str
    title: str
    severity: Severity
    section: str
    description: str
    remedy: str


@attrs.frozen(kw_only=True)
class Finding:
    """One observation about an inventory, or about a restore.

    ``subject`` is the name of the host, VM, disk, volume or network the
    finding is about; ``host`` and ``vm`` locate it (``None`` where they do
    not apply). ``severity`` is normally the rule's; HVB501 decides it case by
    case.
    """

    rule: Rule
    severity: Severity
    subject: str
    message: str
    host: str | None = None
    vm: str | None = None


class Findings(tuple[Finding, ...], NotebookDisplay):
    """A tuple of findings, as :func:`~hyperv_backup.check` returns them.

    It is an ordinary tuple that a notebook also shows as a report.
    """

    __slots__ = ()


# Headings of the source guidance, cited by the rules.
_SCOPE = "Planning for Backup"
_OPTIONS = "Understanding backup options and considerations"
_STORAGE = "Storage considerations"
_ONLINE = "Understanding online and offline backups"
_RESTORE = "Understanding the restore process"
_CLUSTER = "Considerations about clustered virtual machines"

_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

_CATALOGUE = (
    Rule(
        id="HVB100",
        title="Host newer than the guidance",
        severity=_I,
        section=_SCOPE,
        description=(
            "The host runs a Windows Server release later than 2008 R2. The guidance was "
            "written for 2008 and 2008 R2; from 2012 R2 on, Hyper-V takes a checkpoint of a "
            "VM that cannot be backed up online instead of saving it."
        ),
        remedy=(
            "Read the downtime figures for this host as an upper bound, and check the "
            "documentation of its own release."
        ),
    ),
    Rule(
        id="HVB101",
        title="Backup application does not use the Hyper-V VSS writer",
        severity=_E,
        section=_OPTIONS,
        description=(
            "The backup application does not work through the Hyper-V VSS writer, so it "
            "cannot take consistent backups of the VMs or the Hyper-V settings."
        ),
        remedy="Use a backup application that supports the Hyper-V VSS writer.",
    ),
    Rule(
        id="HVB102",
        title="Hyper-V VSS writer not registered with Windows Server Backup",
        severity=_E,
        section=_OPTIONS,
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
        severity=_W,
        section=_OPTIONS,
        description=(
            "On Windows Server 2008 R2 without KB982210, frequent VM backups can make the host "
            "start more and more slowly, or stop at the Welcome screen."
        ),
        remedy="Install the KB982210 hotfix on the host.",
    ),
    Rule(
        id="HVB104",
        title="Virtual networks are not in a full server backup",
        severity=_I,
        section=_OPTIONS,
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
        severity=_I,
        section=_SCOPE,
        description=(
            "The VM has VM snapshots. The host backup carries them, but they are meant for "
            "development and test and risk data loss when not managed."
        ),
        remedy="Do not rely on VM snapshots for recovery; keep regular backups instead.",
    ),
    Rule(
        id="HVB106",
        title="Windows Server Backup cannot back up VMs on a Cluster Shared Volume",
        severity=_E,
        section=_OPTIONS,
        description=(
            "Windows Server Backup is used and files of the VM live on a Cluster Shared "
            "Volume, which it does not support (KB958662)."
        ),
        remedy=("Back up this VM with a backup application that supports Cluster Shared Volumes."),
    ),
    Rule(
        id="HVB107",
        title="Windows Server Backup cannot restore a VM with several snapshots",
        severity=_W,
        section=_OPTIONS,
        description=(
            "Windows Server Backup is used and the VM has two or more VM snapshots; "
            "Windows Server Backup does not restore such a VM (KB958662)."
        ),
        remedy="Delete the snapshots that are not needed, or use another backup application.",
    ),
    Rule(
        id="HVB201",
        title="Pass-through disk is not in the host backup",
        severity=_W,
        section=_STORAGE,
        description=(
            "The disk is a physical disk attached directly to the VM; the Hyper-V VSS writer "
            "cannot back it up, so no host-level backup holds it."
        ),
        remedy="Back the disk up from inside the guest, in addition to the host backup.",
    ),
    Rule(
        id="HVB202",
        title="Guest iSCSI storage is not in the host backup",
        severity=_W,
        section=_STORAGE,
        description=(
            "The guest reaches the disk through its own iSCSI initiator; a backup of the host "
            "does not include it."
        ),
        remedy=("Back the disk up from inside the guest, before the full server backup runs."),
    ),
    Rule(
        id="HVB203",
        title="Guest iSCSI storage lengthens backups without KB975354",
        severity=_I,
        section=_STORAGE,
        description=(
            "A VM uses guest iSCSI storage on a Windows Server 2008 R2 host without "
            "KB975354: the iSCSI VSS provider may take a temporary snapshot of each LUN, "
            "which the writer does not use but which makes the full server backup longer."
        ),
        remedy="Install the KB975354 hotfix on the host.",
    ),
    Rule(
        id="HVB301",
        title="Integration services not installed",
        severity=_W,
        section=_ONLINE,
        description=(
            "Integration services are not installed in the guest, so it cannot take part in "
            "an online backup."
        ),
        remedy="Install the integration services in the guest.",
    ),
    Rule(
        id="HVB302",
        title="Backup integration service disabled",
        severity=_W,
        section=_ONLINE,
        description=(
            "The backup integration service (the Hyper-V Volume Shadow Copy Requestor in the "
            "guest) is disabled, so the VM cannot be backed up online."
        ),
        remedy="Enable the backup (volume shadow copy) integration service for the VM.",
    ),
    Rule(
        id="HVB303",
        title="Dynamic disk in the guest",
        severity=_W,
        section=_ONLINE,
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
        severity=_W,
        section=_ONLINE,
        description=(
            "The volume is not formatted with NTFS (FAT32, for example), which prevents an "
            "online backup."
        ),
        remedy="Move the data to an NTFS volume, or reformat the volume as NTFS.",
    ),
    Rule(
        id="HVB305",
        title="VSS not enabled on a volume",
        severity=_W,
        section=_ONLINE,
        description=(
            "The Volume Shadow Copy Service is not enabled on the volume, which prevents an "
            "online backup."
        ),
        remedy="Enable shadow copies on the volume inside the guest.",
    ),
    Rule(
        id="HVB306",
        title="Shadow copies stored on another volume",
        severity=_W,
        section=_ONLINE,
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
        severity=_I,
        section=_ONLINE,
        description=("The VM is paused, saved or off; only a running VM can be backed up online."),
        remedy="Nothing is required; start the VM before the backup if an online backup is wanted.",
    ),
    Rule(
        id="HVB308",
        title="Offline backup saves the running VM",
        severity=_W,
        section=_ONLINE,
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
        severity=_W,
        section=_ONLINE,
        description=(
            "The facts seen from inside the guest (disk types, volumes, file systems, VSS "
            "settings, guest iSCSI) were not collected, so an online backup cannot be "
            "confirmed; the VM is planned as offline."
        ),
        remedy="Collect the guest's disks and volumes and check again.",
    ),
    Rule(
        id="HVB401",
        title="Restore replaces the existing VM",
        severity=_W,
        section=_RESTORE,
        description=(
            "The VM to be restored exists and is not off: the restore removes it, with its "
            "current state, to put the backed-up copy in its place."
        ),
        remedy="Save anything needed from the running VM before the restore.",
    ),
    Rule(
        id="HVB402",
        title="Unexpected-shutdown message after an online backup",
        severity=_I,
        section=_RESTORE,
        description=(
            "The VM is restored from an online backup; at its first start the guest may "
            "report an unexpected shutdown."
        ),
        remedy="Ignore that report: it is expected after an online backup.",
    ),
    Rule(
        id="HVB403",
        title="Storage outside the host backup needs a guest restore",
        severity=_W,
        section=_RESTORE,
        description=(
            "The VM has storage the Hyper-V VSS writer does not cover; the host restore does "
            "not bring it back."
        ),
        remedy=("Restore the VM first, then restore that storage from inside the guest."),
    ),
    Rule(
        id="HVB404",
        title="Whole VMs only",
        severity=_I,
        section=_RESTORE,
        description=("The Hyper-V VSS writer restores whole VMs; it cannot restore part of a VM."),
        remedy="Restore the whole VM; recover single files from a guest-level backup.",
    ),
    Rule(
        id="HVB405",
        title="Reattach network adapters after a full restore",
        severity=_W,
        section=_OPTIONS,
        description=(
            "Virtual networks are not in a full server backup; after a full server restore "
            "they must be recreated and each VM network adapter reattached."
        ),
        remedy=(
            "Recreate the virtual networks from their recorded configuration and reconnect "
            "each adapter to its network."
        ),
    ),
    Rule(
        id="HVB406",
        title="Uncovered storage has no guest-level backup",
        severity=_E,
        section=_RESTORE,
        description=(
            "The VM has storage the host backup does not cover, and the backup set holds no "
            "guest-level backup of it: that data cannot be restored."
        ),
        remedy="Take a guest-level backup of the storage before the next host backup.",
    ),
    Rule(
        id="HVB501",
        title="Clustered VM on a volume mounted by GUID path",
        severity=_E,
        section=_CLUSTER,
        description=(
            "A clustered VM uses a volume mounted by a GUID path. Without KB958184 the whole "
            "backup on the node can fail; with it, only this VM is left out of the backup."
        ),
        remedy=(
            "Install KB958184 on every node, and mount the volume at a drive letter or "
            "folder so that the VM is backed up."
        ),
    ),
    Rule(
        id="HVB502",
        title="Cluster preparation before the backup",
        severity=_W,
        section=_CLUSTER,
        description=(
            "The cluster backup table asks for an action before this VM is backed up on "
            "this node (take its cluster resource offline, or move it here)."
        ),
        remedy="Carry out the preparation step, and undo it after the backup.",
    ),
    Rule(
        id="HVB503",
        title="Cluster preparation before the restore",
        severity=_W,
        section=_CLUSTER,
        description=(
            "The cluster restore table asks for resources to be taken offline before this VM "
            "is restored on this node."
        ),
        remedy="Take the named cluster resources offline before the restore.",
    ),
    Rule(
        id="HVB504",
        title="Cluster resource states not covered by the guidance",
        severity=_E,
        section=_CLUSTER,
        description=(
            "The VM's cluster, configuration and storage resources are in a combination of "
            "states that the guidance's tables do not cover, so no safe preparation is known."
        ),
        remedy=(
            "Bring the resources into a covered state (for example all online) and plan again."
        ),
    ),
    Rule(
        id="HVB505",
        title="VM on a Cluster Shared Volume",
        severity=_I,
        section=_CLUSTER,
        description=(
            "Files of the VM live on a Cluster Shared Volume, which has its own backup "
            "considerations."
        ),
        remedy=(
            "Plan this VM's backup with Microsoft's separate Cluster Shared Volume guidance "
            "for Windows Server 2008 R2 failover clusters."
        ),
    ),
)

#: Every rule by ID, in catalogue order. Read-only.
RULES: Mapping[str, Rule] = types.MappingProxyType({rule.id: rule for rule in _CATALOGUE})


def finding(
    rule_id: str,
    subject: str,
    message: str,
    *,
    host: str | None = None,
    vm: str | None = None,
    severity: Severity | None = None,
) -> Finding:
    """Build a finding of the rule ``rule_id``, at the rule's severity unless given.

    >>> finding("HVB105", "SQL01", "VM 'SQL01' has 2 VM snapshots.", vm="SQL01").severity
    <Severity.INFO: 'info'>
    """
    rule = RULES[rule_id]
    # Built by setting its slots directly: see slot_setters.
    set_rule, set_severity, set_subject, set_message, set_host, set_vm = _FINDING_SLOTS
    item: Finding = object.__new__(Finding)
    set_rule(item, rule)
    set_severity(item, rule.severity if severity is None else severity)
    set_subject(item, subject)
    set_message(item, message)
    set_host(item, host)
    set_vm(item, vm)
    return item


def slot_setters(cls: type, *names: str) -> tuple[Callable[[Any, Any], None], ...]:
    """Return a setter of each field ``names`` of ``cls``, a frozen attrs class with slots.

    For the objects built by the ten thousand: ``object.__new__(cls)`` and
    these setters build one in about half the time of its ``__init__``, which
    takes keywords and, the class being frozen, sets each field by name
    through ``object.__setattr__``. ``names`` must be every field, so that none
    is left unset; and since nothing else of ``__init__`` runs, a class with a
    validator, a converter or an init hook is refused.
    """
    fields = attrs.fields(cls)
    if sorted(names) != sorted(field.name for field in fields):
        msg = f"expected every field of {cls.__name__} once, got {names!r}"
        raise TypeError(msg)
    hooks = ("__attrs_pre_init__", "__attrs_post_init__")
    if any(f.validator or f.converter for f in fields) or any(hasattr(cls, h) for h in hooks):
        msg = f"{cls.__name__} runs code when it is built; build it with its __init__"
        raise TypeError(msg)
    return tuple(vars(cls)[name].__set__ for name in names)


_FINDING_SLOTS = slot_setters(Finding, "rule", "severity", "subject", "message", "host", "vm")
