"""A VM's disks: the host's drives, paired with the disks the guest sees, with their volumes.

Nothing names a guest disk in terms of the host's drive; :func:`vm_disks`
pairs them only where the documents prove it (see :func:`_pair`), and places
each guest volume on its disk.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from hyperv_backup.collect._documents import bad, build_model, shown
from hyperv_backup.collect._guest import GuestDisk, GuestRecord, GuestVolume
from hyperv_backup.collect._host import Drive, VmRecord
from hyperv_backup.collect._tables import BusClass
from hyperv_backup.inventory import InventoryError, Problem
from hyperv_backup.model import Attachment, Disk, GuestDiskType, HostStorage, Volume

__all__ = ["under", "vm_disks"]


def under(path: str, folder: str) -> bool:
    """Whether the Windows ``path`` lies in ``folder``, compared without regard to case."""
    base = folder.rstrip("\\").casefold()
    return path.casefold().startswith(base + "\\")


def _host_storage(path: str | None, shared: Sequence[str]) -> HostStorage:
    if path is None:
        return HostStorage.LOCAL
    if any(under(path, folder) for folder in shared):
        return HostStorage.CLUSTER_SHARED_VOLUME
    if path.startswith("\\\\") and not path.startswith("\\\\?\\"):
        return HostStorage.SMB
    # SAN and host iSCSI look like local paths; no rule tells them apart.
    return HostStorage.LOCAL


def vm_disks(vm: VmRecord, guest: GuestRecord | None, shared: Sequence[str]) -> list[Disk]:
    """Return the VM's disks: its drives, with the guest's facts on those the guest sees.

    The guest's iSCSI disks follow its drives. ``shared`` are the folders of
    the cluster's shared volumes. A model refusal is an
    :class:`~hyperv_backup.inventory.InventoryError` at the drive's or the
    volume's place in its document.
    """
    pairs: dict[Drive, GuestDisk] = {} if guest is None else _pair(vm, guest)
    volumes = {} if guest is None else _place_volumes(guest)
    disks = []
    for drive in vm.drives:
        seen = pairs.get(drive)
        build = functools.partial(
            Disk,
            name=drive.name,
            attachment=Attachment.PASS_THROUGH
            if drive.pass_through
            else Attachment.VIRTUAL_HARD_DISK,
            guest_disk_type=_disk_type(seen),
            volumes=() if seen is None or guest is None else _volumes(volumes, seen, guest),
            path=drive.path,
            vhd_type=drive.vhd_type,
            host_storage=_host_storage(drive.path, shared),
            shared=drive.shared and not drive.pass_through,
            file_size=None if drive.pass_through else drive.file_size,
            chain=drive.chain,
        )
        disks.append(build_model(build, drive.where))
    if guest is not None:
        for disk in guest.disks:
            if disk.iscsi:
                build = functools.partial(
                    Disk,
                    name=f"iSCSI disk {disk.number}",
                    attachment=Attachment.GUEST_ISCSI,
                    guest_disk_type=_disk_type(disk),
                    volumes=_volumes(volumes, disk, guest),
                )
                disks.append(build_model(build, disk.where))
    return disks


def _disk_type(disk: GuestDisk | None) -> GuestDiskType:
    return GuestDiskType.DYNAMIC if disk is not None and disk.dynamic else GuestDiskType.BASIC


def _volumes(
    placed: dict[int, list[GuestVolume]], disk: GuestDisk, guest: GuestRecord
) -> tuple[Volume, ...]:
    """Return the model's volumes of one guest disk."""
    return tuple(
        build_model(
            functools.partial(
                Volume,
                name=volume.name,
                file_system=volume.file_system,
                vss_enabled=guest.vss_enabled,
                shadow_storage=guest.shadow_storage.get(volume.name),
            ),
            volume.where,
        )
        for volume in placed.get(disk.number, [])
    )


def _pair(vm: VmRecord, guest: GuestRecord) -> dict[Drive, GuestDisk]:
    """Match the guest's disks (not iSCSI) to the VM's drives; drive -> guest disk.

    Each step pairs only what it proves, then the next step looks at what is
    left: a drive named in the guest document (``HostDrive``); the same disk
    id (a pass-through disk's signature or GUID); the same size in bytes,
    unique on both sides; the only IDE (or SCSI) disk on both sides, when the
    bus of every disk left is known; the only disk left on both sides. No step
    but the first pairs a drive and a disk whose known sizes, ids or buses
    differ.
    """
    pairing = _Pairing(vm, [d for d in guest.disks if not d.iscsi])
    pairing.named()
    while pairing.disks and pairing.drives and pairing.step():
        pass
    if pairing.disks:
        left = ", ".join(d.name for d in pairing.drives) or "none"
        raise InventoryError(
            [
                Problem(
                    disk.where,
                    f"cannot tell which drive of VM {shown(vm.name)} guest disk {disk.number} "
                    f'is (drives left: {left}); name it in HostDrive, such as "SCSI 0:1"',
                )
                for disk in pairing.disks
            ]
        )
    return pairing.pairs


class _Pairing:
    """The drives and guest disks not yet matched, and the pairs found so far."""

    def __init__(self, vm: VmRecord, disks: list[GuestDisk]) -> None:
        self.vm = vm
        self.drives = list(vm.drives)
        self.disks = disks
        self.pairs: dict[Drive, GuestDisk] = {}

    def pair(self, drive: Drive, disk: GuestDisk) -> None:
        self.pairs[drive] = disk
        self.drives.remove(drive)
        self.disks.remove(disk)

    def named(self) -> None:
        """Pair the disks whose drive the document names (``HostDrive``)."""
        for disk in list(self.disks):
            if disk.host_drive is None:
                continue
            wanted = " ".join(disk.host_drive.split()).casefold()
            drive = next((d for d in self.drives if d.name.casefold() == wanted), None)
            if drive is None:
                names = ", ".join(d.name for d in self.vm.drives) or "none"
                raise bad(
                    f"{disk.where}.HostDrive",
                    f"VM {shown(self.vm.name)} has no drive {shown(disk.host_drive)} left to "
                    f"match (drives: {names})",
                )
            self.pair(drive, disk)

    def step(self) -> bool:
        """Pair what the identity, size, bus and last-one rules prove; say whether any was."""
        before = len(self.disks)
        for disk in list(self.disks):
            same = [
                d
                for d in self.drives
                if disk.disk_id is not None and d.disk_id == disk.disk_id and _compatible(d, disk)
            ]
            if len(same) == 1:
                self.pair(same[0], disk)
        sizes = [d.size for d in self.disks]
        for disk in list(self.disks):
            if disk.size is not None and sizes.count(disk.size) == 1:
                same = [d for d in self.drives if d.size == disk.size and _compatible(d, disk)]
                if len(same) == 1:
                    self.pair(same[0], disk)
        if all(d.bus is not None for d in self.disks):
            for bus in (BusClass.IDE, BusClass.SCSI):
                disks = [d for d in self.disks if d.bus == bus]
                drives = [d for d in self.drives if d.bus == bus]
                if len(disks) == 1 and len(drives) == 1 and _compatible(drives[0], disks[0]):
                    self.pair(drives[0], disks[0])
        if (
            len(self.disks) == 1
            and len(self.drives) == 1
            and _compatible(self.drives[0], self.disks[0])
        ):
            self.pair(self.drives[0], self.disks[0])
        return len(self.disks) < before


def _compatible(drive: Drive, disk: GuestDisk) -> bool:
    """Whether nothing both sides know says the drive and the guest disk differ."""
    return not any(
        mine is not None and theirs is not None and mine != theirs
        for mine, theirs in (
            (drive.size, disk.size),
            (drive.disk_id, disk.disk_id),
            (drive.bus, disk.bus if disk.bus in (BusClass.IDE, BusClass.SCSI) else None),
        )
    )


def _place_volumes(guest: GuestRecord) -> dict[int, list[GuestVolume]]:
    """Guest disk number -> the volumes on it.

    A volume the document ties to no disk (a volume on a dynamic disk, which has
    no partition of its own; or a volume read from ``diskpart list volume``)
    goes on the guest's only disk, or else on its first dynamic disk: the
    VM is then backed up offline through HVB303 whichever dynamic disk holds
    it.
    """
    numbers = {d.number for d in guest.disks}
    dynamic = [d.number for d in guest.disks if d.dynamic]
    placed: dict[int, list[GuestVolume]] = {}
    problems: list[Problem] = []
    for volume in guest.volumes:
        target: int | None = None
        name = shown(volume.name, quoted=False)
        if volume.disks:
            unknown = [n for n in volume.disks if n not in numbers]
            if unknown:
                problems.append(
                    Problem(
                        f"{volume.where}.DiskNumbers",
                        f"volume {name} is on disk {unknown[0]}, which the document does not list",
                    )
                )
                continue
            target = volume.disks[0]
        elif len(numbers) == 1:
            target = next(iter(numbers))
        elif dynamic:
            target = dynamic[0]
        else:
            problems.append(
                Problem(
                    volume.where,
                    f"cannot tell which disk holds volume {name}: the document ties it "
                    "to none (DiskNumbers) and the guest has several disks",
                )
            )
            continue
        placed.setdefault(target, []).append(volume)
    if problems:
        raise InventoryError(problems)
    return placed
