"""Online or offline: whether a VM can be backed up without downtime.

The conditions come from the source section "Understanding online and offline
backups". A VM is backed up **online** exactly when it is running, its guest
was inventoried, and none of these blocks it:

* HVB301: integration services are not installed;
* HVB302: the backup integration service is disabled;
* HVB303: a disk is a dynamic disk inside the guest;
* HVB304: a volume is not NTFS;
* HVB305: VSS is not enabled on a volume;
* HVB306: a volume's shadow copies are stored on another volume.

Otherwise it is backed up **offline**: a running or paused VM is saved for
the backup and returned to its state afterwards.

How the guidance is read here:

* "All disks used by the virtual machine" are the disks of its configuration:
  virtual hard disks and pass-through disks. Storage the guest reaches through
  its own iSCSI initiator is outside the host backup; it blocks nothing here
  and is reported by HVB202.
* A disk with no volume blocks nothing; a dynamically expanding virtual hard
  disk is never a reason, only the guest's dynamic disk is.
* HVB302 is about a service that is installed but disabled; when the
  integration services are not installed at all, HVB301 says so alone.
* When the guest was not inventoried, HVB303-HVB306 cannot be evaluated; the
  VM is planned offline with HVB309 instead of being assumed fine.
* Every blocking condition is reported, also for a VM that is off, so the
  reasons show what would block it once it runs.

>>> from hyperv_backup.model import VM, VMState
>>> decision = backup_mode(VM(name="WEB01", state=VMState.RUNNING, integration_services=False))
>>> decision.mode, decision.causes_downtime, decision.state_during_backup
(<BackupMode.OFFLINE: 'offline'>, True, <VMState.SAVED: 'saved'>)
>>> [reason.rule.id for reason in decision.reasons]
['HVB301']
"""

from __future__ import annotations

import attrs

from hyperv_backup.model import (
    VM,
    Attachment,
    BackupMode,
    FileSystem,
    GuestDiskType,
    VMState,
    computer_key,
)
from hyperv_backup.rules import Finding, finding

__all__ = ["BackupModeDecision", "backup_mode"]


@attrs.frozen(kw_only=True)
class BackupModeDecision:
    """How a VM will be backed up, and why.

    ``reasons`` holds every condition that blocks an online backup, each
    naming the disk or volume it is about. ``state_during_backup`` is the
    state the VM is in while it is backed up; ``state_after`` the state it is
    returned to.
    """

    vm: str
    mode: BackupMode
    reasons: tuple[Finding, ...]
    causes_downtime: bool
    state_during_backup: VMState
    state_after: VMState


#: VM states an offline backup turns into a saved state (downtime).
_SAVED_FOR_BACKUP = frozenset({VMState.RUNNING, VMState.PAUSED})


def backup_mode(vm: VM) -> BackupModeDecision:
    """Decide whether ``vm`` is backed up online or offline, with every reason."""
    return decide_mode(vm, host=None)


def decide_mode(vm: VM, host: str | None) -> BackupModeDecision:
    """Like :func:`backup_mode`, with the name of the host set on the reasons."""
    reasons = _blocking_conditions(vm, host)
    online = vm.state is VMState.RUNNING and not reasons
    downtime = not online and vm.state in _SAVED_FOR_BACKUP
    return BackupModeDecision(
        vm=vm.name,
        mode=BackupMode.ONLINE if online else BackupMode.OFFLINE,
        reasons=reasons,
        causes_downtime=downtime,
        state_during_backup=VMState.SAVED if downtime else vm.state,
        state_after=vm.state,
    )


def _blocking_conditions(vm: VM, host: str | None) -> tuple[Finding, ...]:
    name = vm.name
    reasons: list[Finding] = []
    if not vm.integration_services:
        reasons.append(
            finding(
                "HVB301",
                name,
                f"VM {name!r} has no integration services installed, so it cannot be "
                "backed up online.",
                host=host,
                vm=name,
            )
        )
    elif not vm.backup_integration_service:
        reasons.append(
            finding(
                "HVB302",
                name,
                f"VM {name!r} has its backup integration service disabled, so it cannot be "
                "backed up online.",
                host=host,
                vm=name,
            )
        )
    if vm.guest_inventoried:
        reasons.extend(_guest_conditions(vm, host))
    if vm.state is not VMState.RUNNING:
        reasons.append(
            finding(
                "HVB307",
                name,
                f"VM {name!r} is {vm.state.value}; only a running VM can be backed up online.",
                host=host,
                vm=name,
            )
        )
    if not vm.guest_inventoried:
        reasons.append(
            finding(
                "HVB309",
                name,
                f"VM {name!r} was not inventoried from inside the guest, so an online backup "
                "cannot be confirmed; it is planned as offline.",
                host=host,
                vm=name,
            )
        )
    return tuple(reasons)


def _guest_conditions(vm: VM, host: str | None) -> list[Finding]:
    name = vm.name
    reasons: list[Finding] = []
    for disk in vm.disks:
        # Guest iSCSI storage is outside the host backup: HVB202 reports it, nothing here.
        if disk.attachment is Attachment.GUEST_ISCSI:
            continue
        if disk.guest_disk_type is GuestDiskType.DYNAMIC:
            reasons.append(
                finding(
                    "HVB303",
                    disk.name,
                    f"Disk {disk.name!r} of VM {name!r} is a dynamic disk inside the guest, "
                    "which blocks an online backup.",
                    host=host,
                    vm=name,
                )
            )
        for volume in disk.volumes:
            where = f"Volume {volume.name!r} of VM {name!r}"
            if volume.file_system is not FileSystem.NTFS:
                reasons.append(
                    finding(
                        "HVB304",
                        volume.name,
                        f"{where} is {volume.file_system.value}, not NTFS, which blocks an "
                        "online backup.",
                        host=host,
                        vm=name,
                    )
                )
            if not volume.vss_enabled:
                reasons.append(
                    finding(
                        "HVB305",
                        volume.name,
                        f"{where} does not have VSS enabled, which blocks an online backup.",
                        host=host,
                        vm=name,
                    )
                )
            storage = volume.shadow_storage
            if storage is not None and computer_key(storage) != computer_key(volume.name):
                reasons.append(
                    finding(
                        "HVB306",
                        volume.name,
                        f"{where} keeps its shadow copies on {storage!r}, not on itself, "
                        "which blocks an online backup.",
                        host=host,
                        vm=name,
                    )
                )
    return reasons
