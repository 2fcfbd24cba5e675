"""Helpers shared by the rule tests."""

from __future__ import annotations

from collections.abc import Iterable

from hyperv_backup import (
    VM,
    Attachment,
    Disk,
    GuestDiskType,
    HostStorage,
    VMState,
    Volume,
)


def csv_vm(name: str = "VM1") -> VM:
    return VM(
        name=name,
        state=VMState.RUNNING,
        disks=[
            Disk(
                name="System",
                attachment=Attachment.VIRTUAL_HARD_DISK,
                host_storage=HostStorage.CLUSTER_SHARED_VOLUME,
            )
        ],
    )


def iscsi_vm(disk_type: GuestDiskType = GuestDiskType.BASIC, volumes: Iterable[Volume] = ()) -> VM:
    return VM(
        name="VM1",
        state=VMState.RUNNING,
        disks=[
            Disk(
                name="LUN1",
                attachment=Attachment.GUEST_ISCSI,
                guest_disk_type=disk_type,
                volumes=tuple(volumes),
            )
        ],
    )
