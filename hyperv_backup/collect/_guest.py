r"""Reading one guest document (``guest.ps1``) into plain records.

Structured fields come first; where a document carries the text a command
printed instead, the readers of :mod:`hyperv_backup.readers` read it:

========================  =================================================
structured                or the text of
========================  =================================================
``Disks``                 ``DiskpartListDisk`` (``diskpart list disk``)
``Disks[].Dynamic``       ``DiskpartListDisk`` (its Dyn column)
``Volumes``               ``DiskpartListVolume`` (``diskpart list volume``)
``ShadowStorage``         ``VssadminListShadowStorage`` (``vssadmin list shadowstorage``)
========================  =================================================
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TypeVar

import attrs

from hyperv_backup.collect._documents import Problems, PSValue, bad, shown
from hyperv_backup.collect._host import disk_id
from hyperv_backup.collect._tables import (
    BUS_TYPE_ALIASES,
    BUS_TYPES,
    PARTITION_STYLES,
    BusClass,
    file_system,
)
from hyperv_backup.inventory import InventoryError, Problem
from hyperv_backup.model import FileSystem
from hyperv_backup.readers import (
    DiskpartDisk,
    diskpart_disks,
    diskpart_volumes,
    vssadmin_shadow_storage,
)

__all__ = ["GuestDisk", "GuestRecord", "GuestVolume", "read_guest"]

_R = TypeVar("_R")

#: The guest's Volume Shadow Copy service and the Hyper-V backup integration
#: service ("Hyper-V Volume Shadow Copy Requestor"): service names, which are
#: not localized (docs/collector-formats.md, "Integration services").
_VSS_SERVICE = "vss"
_REQUESTOR_SERVICE = "vmicvss"
#: ``Win32_Service.StartMode`` of a service that cannot start.
_DISABLED = "disabled"

#: ``Win32_DiskDrive.InterfaceType`` values that tell the bus (guests without Get-Disk).
_INTERFACES = {"ide": BusClass.IDE, "scsi": BusClass.SCSI}

#: A drive letter as ``Win32_Volume.DriveLetter`` (``C:``) or Get-Volume (``C``)
#: writes it, or with the backslash of a root path (``C:\``).
_DRIVE_LETTER = re.compile(r"([A-Za-z]):?\\?")


@attrs.frozen
class GuestDisk:
    """A disk as the guest sees it."""

    number: int
    #: ``None`` when the document does not say.
    bus: BusClass | None
    iscsi: bool
    dynamic: bool
    size: int | None
    disk_id: str | None
    host_drive: str | None
    where: str


@attrs.frozen
class GuestVolume:
    """A volume as the guest sees it."""

    #: ``"C:"``, a mount folder, or the volume's ``\\?\Volume{GUID}\`` path.
    name: str
    #: The spellings other fields use for it, compared without regard to case.
    keys: frozenset[str]
    file_system: FileSystem
    #: The guest disk numbers it lives on; empty when the document does not say.
    disks: tuple[int, ...]
    #: Whether it has a drive letter or a mount folder.
    mounted: bool
    where: str


@attrs.frozen
class GuestRecord:
    """One guest document, read."""

    computer: str
    vm_name: str | None
    vm_id: str | None
    disks: tuple[GuestDisk, ...]
    volumes: tuple[GuestVolume, ...]
    #: Volume name -> the name of the other volume that keeps its shadow copies.
    shadow_storage: Mapping[str, str]
    vss_enabled: bool
    integration_services: bool
    backup_service_enabled: bool
    where: str


def _key(name: str) -> str:
    return name.strip().casefold()


def read_guest(doc: PSValue, problems: Problems) -> GuestRecord | None:
    """Read a guest document; note its problems and return ``None`` when it has any."""
    before = len(problems.found)
    computer = problems.attempt(lambda: doc.get("ComputerName").text())
    vm_name = problems.attempt(lambda: doc.opt("VirtualMachineName").opt_text())
    vm_id = problems.attempt(lambda: doc.opt("VirtualMachineId").opt_guid())
    if len(problems.found) == before and vm_name is None and vm_id is None:
        problems.found.append(
            Problem(
                f"{doc.path}.VirtualMachineName",
                "required field missing: the guest document names no VM (neither "
                "VirtualMachineName nor VirtualMachineId), so it cannot be matched to one",
            )
        )
    diskpart = problems.attempt(lambda: _diskpart_disks(doc.opt("DiskpartListDisk")))
    iscsi = problems.attempt(lambda: _iscsi_numbers(doc.opt("IscsiDisks")))
    disks = problems.attempt(lambda: _disks(doc, diskpart, iscsi, problems))
    volumes = problems.attempt(lambda: _volumes(doc, problems))
    services = problems.attempt(lambda: _services(doc.get("Services")))
    shadow = None
    if volumes is not None:
        shadow = problems.attempt(lambda: _shadow_storage(doc, volumes))
    if len(problems.found) > before:
        return None
    # No problem was noted, so every part was read.
    assert computer is not None  # noqa: S101
    assert disks is not None  # noqa: S101
    assert volumes is not None  # noqa: S101
    assert services is not None  # noqa: S101
    assert shadow is not None  # noqa: S101
    vss = services[_VSS_SERVICE]
    requestor = services.get(_REQUESTOR_SERVICE)
    referenced = set(shadow.values())
    return GuestRecord(
        computer=computer,
        vm_name=vm_name,
        vm_id=vm_id,
        disks=disks,
        # A volume with neither letter nor folder is kept only when it holds
        # another volume's shadow copies: the model names it there.
        volumes=tuple(v for v in volumes if v.mounted or v.name in referenced),
        shadow_storage=shadow,
        vss_enabled=vss != _DISABLED,
        integration_services=requestor is not None,
        backup_service_enabled=requestor is not None and requestor != _DISABLED,
        where=doc.path,
    )


# --- disks --------------------------------------------------------------------------------


def _diskpart_disks(node: PSValue) -> dict[int, DiskpartDisk] | None:
    if node.is_null:
        return None
    return {disk.number: disk for disk in _read_text(node, diskpart_disks)}


def _iscsi_numbers(node: PSValue) -> frozenset[int] | None:
    """Return the guest disk numbers reached through iSCSI, or ``None`` if not collected."""
    if node.is_null:
        return None
    numbers = set()
    for item in node.items():
        numbers.add(
            item.get("DiskNumber").integer() if isinstance(item.value, Mapping) else item.integer()
        )
    return frozenset(numbers)


def _disks(
    doc: PSValue,
    diskpart: dict[int, DiskpartDisk] | None,
    iscsi: frozenset[int] | None,
    problems: Problems,
) -> tuple[GuestDisk, ...]:
    structured = doc.opt("Disks")
    if structured.is_null:
        if diskpart is None:
            raise bad(
                structured.path,
                "required field missing: the guest's disks (Disks, or the text of "
                "'diskpart list disk' in DiskpartListDisk)",
            )
        text = doc.get("DiskpartListDisk")
        return tuple(
            _disk_from_diskpart(disk, iscsi, f"{text.path}[disk {disk.number}]")
            for disk in diskpart.values()
        )
    disks = problems.each(structured.items(), lambda item: _disk(item, diskpart, iscsi))
    seen: set[int] = set()
    for disk in disks:
        if disk.number in seen:
            raise bad(disk.where, f"a second disk numbered {disk.number}")
        seen.add(disk.number)
    return tuple(disks)


def _disk(
    node: PSValue, diskpart: dict[int, DiskpartDisk] | None, iscsi: frozenset[int] | None
) -> GuestDisk:
    number = node.get("Number").integer()
    bus: BusClass | None = None
    bus_type: BusClass | None = None
    if node.has("BusType") or node.has("BusTypeName"):
        bus = bus_type = node.code("BusType", BUS_TYPES, "bus type", aliases=BUS_TYPE_ALIASES).value
        if bus is None:
            raise bad(f"{node.path}.BusType", "bus type 0 (Unknown): the guest cannot name the bus")
    elif node.has("InterfaceType"):
        bus = _INTERFACES.get(node.get("InterfaceType").text().casefold(), BusClass.OTHER)
    if bus == BusClass.UNSUPPORTED:
        raise bad(
            f"{node.path}.BusType",
            f"disk {number} is not one of the VM's drives (a file mounted in the guest or a "
            "storage space); the adapter cannot place it",
        )
    if node.has("PartitionStyle") or node.has("PartitionStyleName"):
        node.code("PartitionStyle", PARTITION_STYLES, "partition style")
    dynamic_node = node.opt("Dynamic")
    if not dynamic_node.is_null:
        dynamic = dynamic_node.flag()
    elif diskpart is not None and number in diskpart:
        dynamic = diskpart[number].dynamic
    else:
        raise bad(
            dynamic_node.path,
            f"whether disk {number} is dynamic is not given: no Dynamic field, and "
            "DiskpartListDisk does not list it",
        )
    return GuestDisk(
        number=number,
        bus=bus,
        iscsi=_is_iscsi(node.path, number, bus_type, iscsi),
        dynamic=dynamic,
        size=node.opt("Size").opt_integer(),
        disk_id=disk_id(node.opt("DiskId")),
        host_drive=node.opt("HostDrive").opt_text(),
        where=node.path,
    )


def _disk_from_diskpart(disk: DiskpartDisk, iscsi: frozenset[int] | None, where: str) -> GuestDisk:
    return GuestDisk(
        number=disk.number,
        bus=None,
        iscsi=_is_iscsi(where, disk.number, None, iscsi),
        dynamic=disk.dynamic,
        size=None,
        disk_id=None,
        host_drive=None,
        where=where,
    )


def _is_iscsi(
    where: str, number: int, bus_type: BusClass | None, iscsi: frozenset[int] | None
) -> bool:
    """Whether a disk is an iSCSI disk, from its ``BusType`` or the list of iSCSI disks.

    ``Win32_DiskDrive.InterfaceType`` does not tell: an iSCSI disk shows as SCSI there.
    """
    if bus_type == BusClass.ISCSI or (iscsi is not None and number in iscsi):
        return True
    if bus_type is None and iscsi is None:
        raise bad(
            where,
            f"cannot tell whether disk {number} is reached through iSCSI: the document "
            "gives neither its BusType nor the guest's iSCSI disks (IscsiDisks)",
        )
    return False


# --- volumes ------------------------------------------------------------------------------


def _volumes(doc: PSValue, problems: Problems) -> list[GuestVolume]:
    structured = doc.opt("Volumes")
    if not structured.is_null:
        return problems.each(structured.items(), _volume)
    text = doc.opt("DiskpartListVolume")
    if text.is_null:
        raise bad(
            structured.path,
            "required field missing: the guest's volumes (Volumes, or the text of "
            "'diskpart list volume' in DiskpartListVolume)",
        )
    volumes = []
    for row in _read_text(text, diskpart_volumes):
        # A volume without a letter cannot be named from this text; a DVD or CD
        # drive is not a disk of the VM.
        if row.letter is None or "rom" in row.type.casefold():
            continue
        name = f"{row.letter.upper()}:"
        volumes.append(
            GuestVolume(
                name=name,
                keys=frozenset({_key(name)}),
                file_system=file_system(row.file_system),
                disks=(),
                mounted=True,
                where=f"{text.path}[volume {row.number}]",
            )
        )
    return volumes


def _volume(node: PSValue) -> GuestVolume:
    letter = node.opt("DriveLetter").opt_text()
    path = node.opt("Name").opt_text()
    device = node.opt("DeviceId").opt_text()
    numbers = node.opt("DiskNumbers")
    disks = tuple(item.integer() for item in numbers.items())
    folder = None
    if path is not None and not path.startswith("\\\\?\\"):
        folder = path.rstrip("\\") or path
    if letter is not None:
        name = _drive(node.opt("DriveLetter"), letter)
    elif folder is not None:
        name = folder
    elif device is not None:
        name = device
    else:
        raise bad(node.path, "a volume with no drive letter, no Name and no DeviceId")
    keys = {_key(name)}
    for other in (letter, folder, device, path):
        if other is not None:
            keys.add(_key(other))
            keys.add(_key(other.rstrip("\\")))
    return GuestVolume(
        name=name,
        keys=frozenset(keys),
        file_system=file_system(node.opt("FileSystem").opt_text()),
        disks=disks,
        mounted=letter is not None or folder is not None,
        where=node.path,
    )


def _drive(node: PSValue, letter: str) -> str:
    """Return a drive letter as the model names the volume: ``"C:"``."""
    match = _DRIVE_LETTER.fullmatch(letter.strip())
    if match is None:
        raise bad(
            node.path,
            f"expected a drive letter such as 'C' or 'C:', got {shown(letter, kind=True)}",
        )
    return f"{match.group(1).upper()}:"


# --- services and shadow storage ----------------------------------------------------------


def _services(node: PSValue) -> dict[str, str]:
    """Service name -> start mode, both lower case; the VSS service must be listed.

    Without VSS in the list, the document does not say whether the service is
    disabled, which decides whether any volume has shadow copies: refused.
    """
    found = {}
    for item in node.items():
        found[item.get("Name").text().casefold()] = item.get("StartMode").text().casefold()
    if _VSS_SERVICE not in found:
        raise bad(
            node.path,
            "the guest's Volume Shadow Copy service (VSS) is not listed, so whether it is "
            "disabled is unknown; collect the guest again with guest.ps1",
        )
    return found


def _shadow_storage(doc: PSValue, volumes: list[GuestVolume]) -> dict[str, str]:
    structured = doc.opt("ShadowStorage")
    pairs: list[tuple[str, str, str]] = []
    if not structured.is_null:
        for item in structured.items():
            pairs.append((item.get("Volume").text(), item.get("DiffVolume").text(), item.path))
    else:
        text = doc.opt("VssadminListShadowStorage")
        if text.is_null:
            raise bad(
                structured.path,
                "required field missing: where each volume keeps its shadow copies "
                "(ShadowStorage, or the text of 'vssadmin list shadowstorage' in "
                "VssadminListShadowStorage)",
            )
        for n, record in enumerate(_read_text(text, vssadmin_shadow_storage)):
            pairs.append((record.for_volume, record.storage_volume, f"{text.path}[{n}]"))
    by_key = {key: volume for volume in volumes for key in volume.keys}
    shadow: dict[str, str] = {}
    for for_volume, storage_volume, where in pairs:
        owner = by_key.get(_key(for_volume))
        if owner is None:
            continue  # a volume the guest document does not list as one of its own
        storage = by_key.get(_key(storage_volume))
        if storage is None:
            raise bad(
                where,
                f"the shadow copies of {shown(owner.name, quoted=False)} are kept on {shown(storage_volume)}, a "
                "volume this document does not list",
            )
        if storage is not owner:
            shadow[owner.name] = storage.name
    return shadow


def _read_text(node: PSValue, reader: Callable[[str], tuple[_R, ...]]) -> tuple[_R, ...]:
    """Read command text with one of :mod:`hyperv_backup.readers`; its line goes in the message."""
    text = node.raw_text()
    try:
        return reader(text)
    except InventoryError as exc:
        raise InventoryError(
            [Problem(node.path, str(problem)) for problem in exc.problems]
        ) from None
