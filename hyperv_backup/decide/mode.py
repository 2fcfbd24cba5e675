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

import enum
import string
from collections.abc import Callable
from typing import Any, Literal

import attrs

from hyperv_backup._base.display import NotebookDisplay
from hyperv_backup._base.slots import slot_setters
from hyperv_backup.model import (
    VM,
    Attachment,
    BackupMode,
    Disk,
    FileSystem,
    GuestDiskType,
    Host,
    VMState,
    Volume,
    computer_key,
)
from hyperv_backup.rules import Finding, finding

__all__ = ["ONLINE_CONDITIONS", "BackupModeDecision", "OnlineCondition", "backup_mode"]


@attrs.frozen(kw_only=True)
class BackupModeDecision(NotebookDisplay):
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


_DECISION_SLOTS = slot_setters(
    BackupModeDecision,
    "vm",
    "mode",
    "reasons",
    "causes_downtime",
    "state_during_backup",
    "state_after",
)

# Enum members read for every VM, disk or volume, under module names. Python
# 3.11 gives each enum class a ``__getattr__`` hook, which makes reading a
# member from its class (``VMState.RUNNING``) ten times as slow as a name.
_RUNNING, _SAVED = VMState.RUNNING, VMState.SAVED
_ONLINE, _OFFLINE = BackupMode.ONLINE, BackupMode.OFFLINE
_GUEST_ISCSI, _BASIC, _NTFS = Attachment.GUEST_ISCSI, GuestDiskType.BASIC, FileSystem.NTFS

#: VM states an offline backup turns into a saved state (downtime).
_SAVED_FOR_BACKUP = frozenset({VMState.RUNNING, VMState.PAUSED})


def backup_mode(vm: VM, host: str | Host | None = None) -> BackupModeDecision:
    """Decide whether ``vm`` is backed up online or offline, with every reason.

    ``host``, the host or node that backs the VM up, is named on the reasons,
    as :func:`~hyperv_backup.check` and :func:`~hyperv_backup.backup_plan` do;
    the decision itself does not depend on it.
    """
    return decide_mode(vm, host.name if isinstance(host, Host) else host)


def decide_mode(vm: VM, host: str | None) -> BackupModeDecision:
    """Like :func:`backup_mode`, with the name of the host set on the reasons."""
    reasons = _blocking_conditions(vm, host)
    state = vm.state
    online = state is _RUNNING and not reasons
    downtime = not online and state in _SAVED_FOR_BACKUP
    # Built by setting its slots directly, as one is built for every VM: see
    # hyperv_backup._base.slots.slot_setters.
    set_vm, set_mode, set_reasons, set_downtime, set_during, set_after = _DECISION_SLOTS
    decision: BackupModeDecision = object.__new__(BackupModeDecision)
    set_vm(decision, vm.name)
    set_mode(decision, _ONLINE if online else _OFFLINE)
    set_reasons(decision, reasons)
    set_downtime(decision, downtime)
    set_during(decision, _SAVED if downtime else state)
    set_after(decision, state)
    return decision


@attrs.frozen(kw_only=True)
class OnlineCondition:
    """One condition that blocks an online backup, as data.

    ``scope`` says what ``blocks`` is asked about: the VM, each disk of its
    configuration, or each volume on those disks. ``needs_guest`` marks the
    conditions that need the guest-side facts. ``message`` is formatted with
    ``vm``, ``name`` (the disk or volume) and the fields of that object.
    """

    rule: str
    scope: Literal["vm", "disk", "volume"]
    needs_guest: bool
    blocks: Callable[[Any], bool]
    message: str
    summary: str


def _other_shadow_storage(volume: Volume) -> bool:
    storage = volume.shadow_storage
    return storage is not None and computer_key(storage) != computer_key(volume.name)


#: The online conditions of "Understanding online and offline backups", in rule order.
#: ``_blocking_conditions`` below restates their usual case as a quick test (what
#: makes evaluation fast); tests/decide/test_shortcuts.py proves the two agree.
ONLINE_CONDITIONS: tuple[OnlineCondition, ...] = (
    OnlineCondition(
        rule="HVB301",
        scope="vm",
        needs_guest=False,
        blocks=lambda vm: not vm.integration_services,
        message="VM {vm!r} has no integration services installed, so it cannot be backed up "
        "online.",
        summary="integration services are installed",
    ),
    OnlineCondition(
        rule="HVB302",
        scope="vm",
        needs_guest=False,
        # Not installed at all is HVB301's case; this one is installed but disabled.
        blocks=lambda vm: vm.integration_services and not vm.backup_integration_service,
        message="VM {vm!r} has its backup integration service disabled, so it cannot be "
        "backed up online.",
        summary="the backup integration service is enabled",
    ),
    OnlineCondition(
        rule="HVB303",
        scope="disk",
        needs_guest=True,
        blocks=lambda disk: disk.guest_disk_type is GuestDiskType.DYNAMIC,
        message="Disk {name!r} of VM {vm!r} is a dynamic disk inside the guest, which blocks "
        "an online backup.",
        summary="every disk is a basic disk inside the guest",
    ),
    OnlineCondition(
        rule="HVB304",
        scope="volume",
        needs_guest=True,
        blocks=lambda volume: volume.file_system is not FileSystem.NTFS,
        message="Volume {name!r} of VM {vm!r} is {file_system}, not NTFS, which blocks an "
        "online backup.",
        summary="every volume is NTFS",
    ),
    OnlineCondition(
        rule="HVB305",
        scope="volume",
        needs_guest=True,
        blocks=lambda volume: not volume.vss_enabled,
        message="Volume {name!r} of VM {vm!r} does not have VSS enabled, which blocks an "
        "online backup.",
        summary="VSS is enabled on every volume",
    ),
    OnlineCondition(
        rule="HVB306",
        scope="volume",
        needs_guest=True,
        blocks=_other_shadow_storage,
        message="Volume {name!r} of VM {vm!r} keeps its shadow copies on {shadow_storage!r}, "
        "not on itself, which blocks an online backup.",
        summary="every volume stores its own shadow copies",
    ),
    OnlineCondition(
        rule="HVB307",
        scope="vm",
        needs_guest=False,
        blocks=lambda vm: vm.state is not VMState.RUNNING,
        message="VM {vm!r} is {state}; only a running VM can be backed up online.",
        summary="the VM is running",
    ),
    OnlineCondition(
        rule="HVB309",
        scope="vm",
        needs_guest=False,
        blocks=lambda vm: not vm.guest_inventoried,
        message="VM {vm!r} was not inventoried from inside the guest, so an online backup "
        "cannot be confirmed; it is planned as offline.",
        summary="the guest was inventoried",
    ),
)


def _message_fields(message: str) -> tuple[str, ...]:
    """Return the fields of its subject that ``message`` names (``vm`` is the VM's name)."""
    return tuple(
        name for _, name, _, _ in string.Formatter().parse(message) if name and name != "vm"
    )


# The conditions of one scope, each with the fields its message names.
_Asked = tuple[tuple[OnlineCondition, tuple[str, ...]], ...]


def _asked(scope: str) -> _Asked:
    return tuple(
        (condition, _message_fields(condition.message))
        for condition in ONLINE_CONDITIONS
        if condition.scope == scope
    )


# Worked out once here: a message is only formatted when its condition blocks,
# and then only the two or three fields it names are read from the subject,
# rather than every field of the object.
_VM_CONDITIONS = _asked("vm")
_DISK_CONDITIONS = _asked("disk")
_VOLUME_CONDITIONS = _asked("volume")


def _ask(
    conditions: _Asked,
    subject: VM | Disk | Volume,
    vm: str,
    host: str | None,
    reasons: list[Finding],
) -> None:
    """Add to ``reasons`` each of ``conditions`` that blocks ``subject`` of the VM ``vm``."""
    for condition, fields in conditions:
        if not condition.blocks(subject):
            continue
        values: dict[str, object] = {"vm": vm}
        for field in fields:
            value = getattr(subject, field)
            # An enum is shown by its value. ``_value_`` is what ``.value``
            # returns, read without the property call that ``.value`` costs.
            values[field] = value._value_ if isinstance(value, enum.Enum) else value
        message = condition.message.format_map(values)
        reasons.append(finding(condition.rule, subject.name, message, host=host, vm=vm))


def _blocking_conditions(vm: VM, host: str | None) -> tuple[Finding, ...]:
    """Return the reasons: the VM's own conditions, then its disks and volumes in order."""
    # Most VMs, disks and volumes block nothing. A quick test of that usual
    # case, written out below, passes them over; only the others are asked
    # each condition of their scope, which costs a call per condition. Each
    # quick test must imply that no condition of its scope blocks:
    # tests/decide/test_shortcuts.py compares this function with asking every
    # condition, on generated VMs.
    reasons: list[Finding] = []
    name = vm.name
    if not (
        vm.state is _RUNNING
        and vm.integration_services
        and vm.backup_integration_service
        and vm.guest_inventoried
    ):
        _ask(_VM_CONDITIONS, vm, name, host, reasons)
    # The guest-side facts are unknown without a guest inventory (HVB309 says so).
    if not vm.guest_inventoried:
        return tuple(reasons)
    for disk in vm.disks:
        # Only the disks of the VM's configuration count; guest iSCSI storage
        # is outside the host backup and reported by HVB202 alone.
        if disk.attachment is _GUEST_ISCSI:
            continue
        if disk.guest_disk_type is not _BASIC:
            _ask(_DISK_CONDITIONS, disk, name, host, reasons)
        for volume in disk.volumes:
            if not (
                volume.file_system is _NTFS and volume.vss_enabled and volume.shadow_storage is None
            ):
                _ask(_VOLUME_CONDITIONS, volume, name, host, reasons)
    return tuple(reasons)
