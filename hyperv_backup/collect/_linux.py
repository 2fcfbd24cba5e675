"""Reading the document ``guest.sh`` prints inside a Linux or FreeBSD guest.

The document says what the profiles of Windows Server 2012 and later ask of
such a guest: its operating system family, whether its Hyper-V VSS daemon
runs, and the types of its writable file systems (which FreeBSD's daemon
needs to be UFS, docs/collector-formats.md). It names its VM as a Windows guest document does (VirtualMachineId,
VirtualMachineName, from Hyper-V's data exchange). The guest's disks and
volumes are not read: the conditions on them are those of a Windows guest's
Volume Shadow Copy Service.
"""

from __future__ import annotations

import attrs

from hyperv_backup.collect._documents import Problems, PSValue, bad, shown
from hyperv_backup.inventory import Problem
from hyperv_backup.model import GuestOS

__all__ = ["LinuxGuestRecord", "read_linux_guest"]

#: ``uname -s`` -> the guest's family.
_FAMILIES = {"linux": GuestOS.LINUX, "freebsd": GuestOS.FREEBSD}


@attrs.frozen
class LinuxGuestRecord:
    """One ``guest.sh`` document, read."""

    computer: str
    vm_name: str | None
    vm_id: str | None
    guest_os: GuestOS
    vss_daemon: bool
    where: str
    #: The types of the writable file systems outside /dev; empty in a document
    #: written before ``WritableFileSystems``.
    writable_file_systems: tuple[str, ...] = ()


def read_linux_guest(doc: PSValue, problems: Problems) -> LinuxGuestRecord | None:
    """Read a ``guest.sh`` document; note its problems and return ``None`` when it has any."""
    before = len(problems.found)
    computer = problems.attempt(lambda: doc.get("ComputerName").text())
    vm_name = problems.attempt(lambda: doc.opt("VirtualMachineName").opt_text())
    vm_id = problems.attempt(lambda: doc.opt("VirtualMachineId").opt_guid())
    family = problems.attempt(lambda: _family(doc.get("OsFamily")))
    daemon = problems.attempt(lambda: doc.get("VssDaemonRunning").flag())
    systems = problems.attempt(
        lambda: tuple(dict.fromkeys(i.text() for i in doc.opt("WritableFileSystems").items()))
    )
    if len(problems.found) == before and vm_name is None and vm_id is None:
        problems.found.append(
            Problem(
                f"{doc.path}.VirtualMachineName",
                "required field missing: the guest document names no VM (neither "
                "VirtualMachineName nor VirtualMachineId); run guest.sh with the VM's name",
            )
        )
    if len(problems.found) > before:
        return None
    assert computer is not None  # noqa: S101 - no problem noted, so every part was read
    assert family is not None  # noqa: S101
    assert daemon is not None  # noqa: S101
    return LinuxGuestRecord(
        computer=computer,
        vm_name=vm_name,
        vm_id=vm_id,
        guest_os=family,
        vss_daemon=daemon,
        where=doc.path,
        writable_file_systems=systems or (),
    )


def _family(node: PSValue) -> GuestOS:
    text = node.text()
    family = _FAMILIES.get(text.strip().casefold())
    if family is None:
        raise bad(node.path, f"expected 'Linux' or 'FreeBSD' (uname -s), got {shown(text)}")
    return family
