r"""The space a backup's differencing disks need on each volume of a host.

The DPM prerequisites ("Back up Hyper-V virtual machines", "Backup
prerequisites") ask, on the volume of a VM's virtual hard disks, for room for
the differencing disks Hyper-V writes while the VM is backed up: at least the
disk's size times the churn rate times the backup window, for every VM backed
up at the same time. HVB111 reads the churn from the backup application
(``churn_percent``), HVB909 estimates it when the application gives none;
both families share this sum, so that they add the disks up alike.

>>> from hyperv_backup.model import VM, Attachment, Disk, Host, HostOS, HostVolume, VMState
>>> disk = Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK,
...             path="D:\\VMs\\SQL01.vhdx", file_size=200 * 2**30)
>>> host = Host(name="HV01", os=HostOS.WINDOWS_SERVER_2022,
...             vms=[VM(name="SQL01", state=VMState.RUNNING, disks=[disk])],
...             host_volumes=[HostVolume(name="D:\\", free_space=10 * 2**30)])
>>> [(n.volume.name, gib(n.needed), gib(n.size)) for n in volume_needs(host, None, lambda s: s // 10)]
[('D:\\', '20.0 GiB', '200.0 GiB')]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from hyperv_backup.model import Cluster, Host, HostVolume
from hyperv_backup.rules._paths import host_volume

__all__ = ["VolumeNeed", "gib", "volume_needs"]

#: How a Cluster Shared Volume's mount path begins, once case-folded.
_CSV_MOUNT = ":\\clusterstorage\\"


class VolumeNeed(NamedTuple):
    """A volume of a host, the bytes of the VM files on it, and what their differencing disks need."""

    volume: HostVolume
    needed: int
    size: int


def gib(count: int) -> str:
    """Return a number of bytes in GiB, one decimal: ``'20.0 GiB'``."""
    return f"{count / 2**30:.1f} GiB"


def volume_needs(
    host: Host, cluster: Cluster | None, written: Callable[[int], int]
) -> list[VolumeNeed]:
    """Return, for each listed volume of ``host``, what the differencing disks of its VMs need.

    ``written`` gives the bytes written while a disk of a size is backed up.
    The disks counted are the virtual hard disks whose path is on the volume,
    of ``host``'s VMs, and on a Cluster Shared Volume those of every node of
    ``cluster``: all of them may be backed up at the same time.
    """
    volumes = host.host_volumes
    keys = [host_volume(volume.name, volumes) for volume in volumes]
    shared = {key for key in keys if key is not None and _CSV_MOUNT in key}
    needed: dict[str, int] = {}
    sizes: dict[str, int] = {}
    # Each disk is placed on its volume once: a host of many VMs and volumes is
    # not walked once a volume.
    others = () if cluster is None or not shared else [n for n in cluster.nodes if n is not host]
    for node in (host, *others):
        own = node is host
        for vm in node.vms:
            for disk in vm.disks:
                size, path = disk.file_size, disk.path
                if size is None or path is None:
                    continue
                key = host_volume(path, volumes)
                if key is None or not (own or key in shared):
                    continue
                needed[key] = needed.get(key, 0) + written(size)
                sizes[key] = sizes.get(key, 0) + size
    # A volume whose name is of no known form (no key) holds no disk.
    return [
        VolumeNeed(volume, needed.get(key or "", 0), sizes.get(key or "", 0))
        for volume, key in zip(volumes, keys, strict=True)
    ]
