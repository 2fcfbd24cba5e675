"""Restores (HVB4xx).

HVB401-HVB406 are the guidance's; where a later page says otherwise for
Windows Server 2012 and later, the profiles of those releases answer with
HVB407-HVB409 instead (the restore steps choose by profile).
"""

from __future__ import annotations

from hyperv_backup._base import public_dir
from hyperv_backup.rules import pages
from hyperv_backup.rules.pages import GUIDANCE, WMI_BACKUP
from hyperv_backup.rules.profiles import ALL_PROFILES, Profile
from hyperv_backup.rules.rule import Rule, Severity
from hyperv_backup.rules.source import Claim, Source

__all__ = [
    "ADAPTERS_RECONNECTED",
    "FIRST_START",
    "GUEST_RESTORE",
    "NO_GUEST_BACKUP",
    "RECONNECT_ADAPTERS",
    "RESTORE_REPLACES_VM",
    "RESTORE_RULES",
    "UNEXPECTED_SHUTDOWN",
    "WHOLE_VM",
    "WHOLE_VM_ONLY",
]

_GUIDANCE_ONLY = frozenset({Profile.WS2008})
_LATER = frozenset({Profile.WS2012, Profile.WS2016})

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: HVB401.
RESTORE_REPLACES_VM = Rule(
    id="HVB401",
    title="Restore replaces the existing VM",
    severity=Severity.WARNING,
    profiles=ALL_PROFILES,
    source=Source(page=GUIDANCE, heading=pages.RESTORE),
    description=(
        "The VM to be restored exists and is not off: the restore removes it, with its "
        "current state, to put the backed-up copy in its place. The guidance says so for "
        "2008 and 2008 R2; from 2012 on the Hyper-V WMI page 'Backing up and restoring "
        "virtual machines' says the writer turns off and deletes each VM it restores, and "
        "System Center DPM deletes the VM's virtual hard disk when it recovers to the "
        "original instance."
    ),
    remedy="Save anything needed from the running VM before the restore.",
)


#: HVB402.
UNEXPECTED_SHUTDOWN = Rule(
    id="HVB402",
    title="Unexpected-shutdown message after an online backup",
    severity=Severity.INFO,
    profiles=_GUIDANCE_ONLY,
    source=Source(page=GUIDANCE, heading=pages.RESTORE),
    description=(
        "The VM is restored from an online backup; at its first start the guest may "
        "report an unexpected shutdown."
    ),
    remedy="Ignore that report: it is expected after an online backup.",
)


#: HVB403.
GUEST_RESTORE = Rule(
    id="HVB403",
    title="Storage outside the host backup needs a guest restore",
    severity=Severity.WARNING,
    profiles=ALL_PROFILES,
    source=Source(page=GUIDANCE, heading=pages.RESTORE),
    description=(
        "The VM has storage the Hyper-V VSS writer does not cover; the host restore does "
        "not bring it back. The guidance says so for 2008 and 2008 R2; from 2012 on the "
        "Hyper-V WMI page says such disks must be backed up entirely inside the VM, so they "
        "come back from that backup."
    ),
    remedy=("Restore the VM first, then restore that storage from inside the guest."),
)


#: HVB404.
WHOLE_VM_ONLY = Rule(
    id="HVB404",
    title="Whole VMs only",
    severity=Severity.INFO,
    profiles=_GUIDANCE_ONLY,
    source=Source(page=GUIDANCE, heading=pages.RESTORE),
    description=("The Hyper-V VSS writer restores whole VMs; it cannot restore part of a VM."),
    remedy="Restore the whole VM; recover single files from a guest-level backup.",
)


#: HVB405.
RECONNECT_ADAPTERS = Rule(
    id="HVB405",
    title="Reattach network adapters after a full restore",
    severity=Severity.WARNING,
    profiles=_GUIDANCE_ONLY,
    source=Source(page=GUIDANCE, heading=pages.OPTIONS),
    description=(
        "Virtual networks are not in a full server backup; after a full server restore "
        "they must be recreated and each VM network adapter reattached."
    ),
    remedy=(
        "Recreate the virtual networks from their recorded configuration and reconnect "
        "each adapter to its network."
    ),
)


#: HVB406.
NO_GUEST_BACKUP = Rule(
    id="HVB406",
    title="Uncovered storage has no guest-level backup",
    severity=Severity.ERROR,
    profiles=ALL_PROFILES,
    source=Source(page=GUIDANCE, heading=pages.RESTORE),
    description=(
        "The VM has storage the host backup does not cover, and the backup set holds no "
        "guest-level backup of it: that data cannot be restored. The guidance says so for "
        "2008 and 2008 R2; from 2012 on it follows from the same note of the Hyper-V WMI "
        "page (such disks are backed up inside the VM only)."
    ),
    remedy="Take a guest-level backup of the storage before the next host backup.",
)


#: HVB407.
FIRST_START = Rule(
    id="HVB407",
    title="The restored VM starts from a copy of a running system",
    severity=Severity.INFO,
    profiles=_LATER,
    source=Source(
        page=WMI_BACKUP,
        heading="Backing up the virtual machines",
        claim=Claim.INFERRED,
        inference=(
            "The page says a VM whose guest takes part is copied from the shadow copy "
            "taken inside the running guest, and one that is not from a point in time of "
            "the running VM: either way the restored guest starts from a system that was "
            "not shut down, and may say so."
        ),
        anchor="hvb407",
    ),
    description=(
        "The VM is restored from a backup taken while it ran. It comes back off, and at its "
        "first start its guest starts from a copy of a running system: an "
        "application-consistent copy holds what the guest's VSS writers prepared, a "
        "crash-consistent one is as after a power loss ('Manage Cluster Shared Volumes', "
        "'Backing up CSVs'). The guest may report that it was not shut down properly."
    ),
    remedy=(
        "Start the VM and check its applications; a report of an unexpected shutdown is expected."
    ),
)


#: HVB408.
WHOLE_VM = Rule(
    id="HVB408",
    title="A host restore brings the VM back whole",
    severity=Severity.INFO,
    profiles=_LATER,
    source=Source(page=WMI_BACKUP, heading="Restoring the virtual machines"),
    description=(
        "The Hyper-V VSS writer restores VMs: it turns off and deletes each VM it is about "
        "to restore, puts its files back, registers it again with Hyper-V and corrects the "
        "paths of its virtual hard disks. Some backup applications also recover single "
        "files, folders or virtual hard disks from a host-level backup (System Center DPM's "
        "item-level recovery, 'Recover backed up virtual machines'); without one, a part of "
        "a VM comes back from a guest-level backup."
    ),
    remedy=(
        "Restore the whole VM, or recover single items with the backup application's "
        "item-level recovery where it has one."
    ),
)


#: HVB409.
ADAPTERS_RECONNECTED = Rule(
    id="HVB409",
    title="Network adapters reconnect only to virtual switches that exist",
    severity=Severity.WARNING,
    profiles=_LATER,
    source=Source(page=WMI_BACKUP, heading="Restoring the virtual machines"),
    description=(
        "When the Hyper-V VSS writer restores a VM it updates its network configuration: "
        "each adapter is connected again to the virtual switch it was connected to at the "
        "backup, if that switch exists on the host. On a host that lacks the switch, the "
        "adapter comes back unconnected; create the switch, by the same name, before the "
        "restore."
    ),
    remedy=(
        "Before the restore, create on the host each virtual switch the VM's adapters use, "
        "with the name it had; after it, check each adapter's connection."
    ),
)


#: The rules of this family, in ID order.
RESTORE_RULES: tuple[Rule, ...] = (
    RESTORE_REPLACES_VM,
    UNEXPECTED_SHUTDOWN,
    GUEST_RESTORE,
    WHOLE_VM_ONLY,
    RECONNECT_ADAPTERS,
    NO_GUEST_BACKUP,
    FIRST_START,
    WHOLE_VM,
    ADAPTERS_RECONNECTED,
)
