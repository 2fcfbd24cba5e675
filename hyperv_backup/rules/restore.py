"""Restores (HVB4xx)."""

from __future__ import annotations

from hyperv_backup._base import public_dir
from hyperv_backup.rules import pages
from hyperv_backup.rules.pages import GUIDANCE
from hyperv_backup.rules.profiles import ALL_PROFILES
from hyperv_backup.rules.rule import Rule, Severity
from hyperv_backup.rules.source import Source

__all__ = ["RESTORE_RULES"]

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
        "current state, to put the backed-up copy in its place."
    ),
    remedy="Save anything needed from the running VM before the restore.",
)


#: HVB402.
UNEXPECTED_SHUTDOWN = Rule(
    id="HVB402",
    title="Unexpected-shutdown message after an online backup",
    severity=Severity.INFO,
    profiles=ALL_PROFILES,
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
        "not bring it back."
    ),
    remedy=("Restore the VM first, then restore that storage from inside the guest."),
)


#: HVB404.
WHOLE_VM_ONLY = Rule(
    id="HVB404",
    title="Whole VMs only",
    severity=Severity.INFO,
    profiles=ALL_PROFILES,
    source=Source(page=GUIDANCE, heading=pages.RESTORE),
    description=("The Hyper-V VSS writer restores whole VMs; it cannot restore part of a VM."),
    remedy="Restore the whole VM; recover single files from a guest-level backup.",
)


#: HVB405.
RECONNECT_ADAPTERS = Rule(
    id="HVB405",
    title="Reattach network adapters after a full restore",
    severity=Severity.WARNING,
    profiles=ALL_PROFILES,
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
        "guest-level backup of it: that data cannot be restored."
    ),
    remedy="Take a guest-level backup of the storage before the next host backup.",
)


#: The rules of this family, in ID order.
RESTORE_RULES: tuple[Rule, ...] = (
    RESTORE_REPLACES_VM,
    UNEXPECTED_SHUTDOWN,
    GUEST_RESTORE,
    WHOLE_VM_ONLY,
    RECONNECT_ADAPTERS,
    NO_GUEST_BACKUP,
)
