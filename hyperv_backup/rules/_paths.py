r"""Where a host path is: its volume, and the file server of a share.

Several families compare host paths: the checkpoint file location of a VM
with its virtual hard disks (HVB311), a backup target with the disks it
copies (HVB113), the free space of a volume with the disks on it (HVB111,
HVB909, through ``_space``), the server of an SMB path (HVB205, HVB613). They
share these helpers; no family imports another.

A path is on the listed host volume whose mount path is its longest prefix.
Without a list, or outside every listed volume, it is on the volume its form
names: a share ``\\server\share``, a volume GUID path, a Cluster Shared
Volume folder ``C:\ClusterStorage\VolumeN``, or a drive letter.

>>> host_volume("D:\\Hyper-V\\DC01\\DC01.vhdx")
'd:'
>>> host_volume("C:\\ClusterStorage\\Volume1\\VM\\disk.vhdx")
'c:\\clusterstorage\\volume1'
>>> host_volume("\\\\FS01\\VMs\\disk.vhdx")
'\\\\fs01\\vms'
>>> smb_server("\\\\10.0.0.5\\VMs\\disk.vhdx"), names_by_address("10.0.0.5")
('10.0.0.5', True)
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

from hyperv_backup.model import HostVolume, computer_key

__all__ = ["host_volume", "names_by_address", "smb_server"]

#: The forms a path names its volume by, tried in order (case-folded paths).
_FORMS = (
    # A volume GUID path, \\?\Volume{...}.
    re.compile(r"\\\\\?\\volume\{[^}]*\}"),
    # A share \\server\share (not \\?\ or \\.\, the device namespaces).
    re.compile(r"\\\\[^\\?.][^\\]*\\[^\\]+"),
    # A Cluster Shared Volume, mounted under C:\ClusterStorage.
    re.compile(r"[a-z]:\\clusterstorage\\[^\\]+"),
    # A drive letter.
    re.compile(r"[a-z]:"),
)
#: The server of a share path.
_SERVER = re.compile(r"\\\\([^\\?.][^\\]*|[0-9.]+)\\")
#: How Windows writes an IPv6 address as a computer name in a UNC path.
_IPV6_LITERAL = ".ipv6-literal.net"


def _mount_key(name: str) -> str:
    return computer_key(name).rstrip("\\")


def host_volume(path: str, volumes: Iterable[HostVolume] = ()) -> str | None:
    """Return the key of the host volume ``path`` is on, or ``None`` for a path of no known form.

    Keys are case-folded mount paths without a closing backslash, so two
    paths on one volume give one key.
    """
    folded = computer_key(path)
    best: str | None = None
    for volume in volumes:
        key = _mount_key(volume.name)
        if (folded == key or folded.startswith(key + "\\")) and (
            best is None or len(key) > len(best)
        ):
            best = key
    if best is not None:
        return best
    for form in _FORMS:
        match = form.match(folded)
        if match is not None:
            return match.group(0)
    return None


def smb_server(path: str | None) -> str | None:
    r"""Return the server a share path names (``FS01`` for ``\\FS01\VMs\...``), or ``None``."""
    if path is None:
        return None
    match = _SERVER.match(path)
    return None if match is None else match.group(1)


def names_by_address(server: str) -> bool:
    """Tell whether ``server`` is an IPv4 or IPv6 address rather than a name.

    An IPv6 address appears in a path as its ``ipv6-literal.net`` name.

    >>> names_by_address("fe80--1.ipv6-literal.net"), names_by_address("FS01")
    (True, False)
    """
    text = server.strip("[]")
    if computer_key(text).endswith(_IPV6_LITERAL):
        text = text[: -len(_IPV6_LITERAL)].replace("-", ":").replace("s", "%")
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
