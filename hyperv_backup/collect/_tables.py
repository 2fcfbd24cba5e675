"""The numeric codes the collectors write, and what each one means to the model.

PowerShell writes an enum as its number (Windows PowerShell 5.1 and 7 alike,
unless ``-EnumsAsStrings``); the collectors also write its name. Each table
below maps a number to its name and to the model value it stands for, or to
``None`` with the reason why it has no place in a decision (a transitional
state, a code whose meaning depends on the module version). The codes, and
where each comes from, are on the page ``docs/collector-formats.md``; each
table names its section. A code that is in no table is refused, never guessed.

>>> VM_STATES[2].name, VM_STATES[2].value
('Running', <VMState.RUNNING: 'running'>)
>>> VM_STATES[10].value is None, VM_STATES[10].note
(True, 'a transitional state')
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Generic, TypeVar

import attrs

from hyperv_backup.model import FileSystem, HostOS, NetworkKind, ResourceState, VhdType, VMState

__all__ = [
    "BUS_TYPES",
    "CLUSTER_GROUP_STATES",
    "CLUSTER_RESOURCE_STATES",
    "CONTROLLER_TYPES",
    "PARTITION_STYLES",
    "SWITCH_TYPES",
    "VHD_TYPES",
    "VM_STATES",
    "VM_STATES_WMI_V1",
    "VM_STATE_VERSION_DEPENDENT",
    "BusClass",
    "Code",
    "file_system",
    "host_os",
]

_T = TypeVar("_T")


@attrs.frozen
class Code(Generic[_T]):
    """One code of an enum: its number, its name as PowerShell prints it, its meaning.

    ``value`` is ``None`` for a code that is known but has no place in a
    decision; ``note`` then says why.
    """

    number: int
    name: str
    value: _T | None
    note: str = ""


def _table(*codes: Code[_T]) -> Mapping[int, Code[_T]]:
    return MappingProxyType({code.number: code for code in codes})


_TRANSITIONAL = "a transitional state"

#: ``Get-VM`` ``State`` (Microsoft.HyperV.PowerShell.VMState), section "Get-VM".
#: Only four states have a backup decision; the others pass while a VM starts,
#: stops, saves or resets, so the inventory is taken again once it settles.
VM_STATES: Mapping[int, Code[VMState]] = _table(
    Code(1, "Other", None, "not a state the guidance describes"),
    Code(2, "Running", VMState.RUNNING),
    Code(3, "Off", VMState.OFF),
    Code(4, "Stopping", None, _TRANSITIONAL),
    Code(6, "Saved", VMState.SAVED),
    Code(9, "Paused", VMState.PAUSED),
    Code(10, "Starting", None, _TRANSITIONAL),
    Code(11, "Reset", None, _TRANSITIONAL),
    Code(32773, "Saving", None, _TRANSITIONAL),
    Code(32776, "Pausing", None, _TRANSITIONAL),
    Code(32777, "Resuming", None, _TRANSITIONAL),
    Code(32779, "FastSaved", None, "a fast-saved state, which the guidance does not describe"),
    Code(32780, "FastSaving", None, _TRANSITIONAL),
    Code(32781, "ForceShutdown", None, _TRANSITIONAL),
    Code(32782, "ForceReboot", None, _TRANSITIONAL),
)

#: From this number on, ``VMState`` codes mean different states in different
#: Hyper-V module versions (section "Get-VM": 32783 is RunningCritical in
#: module 1.1 and Hibernated in later ones). They are refused whatever name
#: comes with them.
VM_STATE_VERSION_DEPENDENT = 32783

#: ``Msvm_ComputerSystem.EnabledState`` in the ``root\virtualization`` (v1) WMI
#: namespace of Windows Server 2008 and 2008 R2, which have no Hyper-V module.
#: Section "WMI on Windows Server 2008 and 2008 R2": paused and saved are 32768
#: and 32769 there, not 9 and 6.
VM_STATES_WMI_V1: Mapping[int, Code[VMState]] = _table(
    Code(2, "Enabled", VMState.RUNNING),
    Code(3, "Disabled", VMState.OFF),
    Code(32768, "Paused", VMState.PAUSED),
    Code(32769, "Suspended", VMState.SAVED),
    Code(32770, "Starting", None, _TRANSITIONAL),
    Code(32771, "Snapshotting", None, _TRANSITIONAL),
    Code(32773, "Saving", None, _TRANSITIONAL),
    Code(32774, "Stopping", None, _TRANSITIONAL),
    Code(32776, "Pausing", None, _TRANSITIONAL),
    Code(32777, "Resuming", None, _TRANSITIONAL),
)

#: ``Get-ClusterGroup`` ``State`` (ClusterGroupState), section "Failover clusters".
#: A group's own state is checked but not used: the decisions read the states
#: of the group's resources.
CLUSTER_GROUP_STATES: Mapping[int, Code[ResourceState]] = _table(
    Code(-1, "Unknown", None, "unknown to the cluster"),
    Code(0, "Online", ResourceState.ONLINE),
    Code(1, "Offline", ResourceState.OFFLINE),
    Code(2, "Failed", ResourceState.FAILED),
    Code(3, "PartialOnline", ResourceState.PARTIAL_ONLINE),
    Code(4, "Pending", ResourceState.PENDING),
)

#: ``Get-ClusterResource`` and ``Get-ClusterSharedVolume`` ``State``
#: (ClusterResourceState), section "Failover clusters". Not the group numbering:
#: 2 is Online here but Failed for a group.
CLUSTER_RESOURCE_STATES: Mapping[int, Code[ResourceState]] = _table(
    Code(-1, "Unknown", None, "unknown to the cluster"),
    Code(0, "Inherited", None, "a state the cluster tables do not cover"),
    Code(1, "Initializing", None, _TRANSITIONAL),
    Code(2, "Online", ResourceState.ONLINE),
    Code(3, "Offline", ResourceState.OFFLINE),
    Code(4, "Failed", ResourceState.FAILED),
    Code(128, "Pending", ResourceState.PENDING),
    Code(129, "OnlinePending", ResourceState.PENDING),
    Code(130, "OfflinePending", ResourceState.PENDING),
)

#: ``Get-VHD`` ``VhdType``, section "Virtual hard disks and drives"
#: (Msvm_VirtualHardDiskSettingData.Type).
VHD_TYPES: Mapping[int, Code[VhdType]] = _table(
    Code(0, "Unknown", None, "not a type of virtual hard disk"),
    Code(2, "Fixed", VhdType.FIXED),
    Code(3, "Dynamic", VhdType.DYNAMICALLY_EXPANDING),
    Code(4, "Differencing", VhdType.DIFFERENCING),
)

#: ``Get-VMSwitch`` ``SwitchType``, section "Virtual switches".
SWITCH_TYPES: Mapping[int, Code[NetworkKind]] = _table(
    Code(0, "Private", NetworkKind.PRIVATE),
    Code(1, "Internal", NetworkKind.INTERNAL),
    Code(2, "External", NetworkKind.EXTERNAL),
)


#: ``Get-Disk`` ``PartitionStyle`` inside the guest (MSFT_Disk), section
#: "Inside a Windows guest". Checked, not used: no rule depends on it.
PARTITION_STYLES: Mapping[int, Code[str]] = _table(
    Code(0, "RAW", "RAW"),
    Code(1, "MBR", "MBR"),
    Code(2, "GPT", "GPT"),
)


class BusClass(enum.StrEnum):
    """How a guest disk is attached, as far as matching it to the VM's drives goes."""

    IDE = "IDE"
    SCSI = "SCSI"
    ISCSI = "iSCSI"
    #: Any other bus: matched by its identity or size only.
    OTHER = "other"
    #: A disk that is not one of the VM's drives (a file mounted in the guest,
    #: a storage space): the adapter cannot place it.
    UNSUPPORTED = "unsupported"


#: ``Get-VMHardDiskDrive`` ``ControllerType``, section "Virtual hard disks and drives". It names
#: the disk (``"SCSI 0:1"``) and tells which guest bus the drive shows on.
CONTROLLER_TYPES: Mapping[int, Code[BusClass]] = _table(
    Code(0, "IDE", BusClass.IDE),
    Code(1, "SCSI", BusClass.SCSI),
)


#: ``Get-Disk`` ``BusType`` inside the guest (MSFT_Disk), section "Inside a
#: Windows guest": the MSFT_Disk class's documented values. An emulated IDE drive shows as ATA,
#: a synthetic SCSI drive as SCSI.
BUS_TYPES: Mapping[int, Code[BusClass]] = _table(
    Code(0, "Unknown", None, "not a bus the guest can name"),
    Code(1, "SCSI", BusClass.SCSI),
    Code(2, "ATAPI", BusClass.IDE),
    Code(3, "ATA", BusClass.IDE),
    Code(4, "1394", BusClass.OTHER),
    Code(5, "SSA", BusClass.OTHER),
    Code(6, "Fibre Channel", BusClass.OTHER),
    Code(7, "USB", BusClass.OTHER),
    Code(8, "RAID", BusClass.OTHER),
    Code(9, "iSCSI", BusClass.ISCSI),
    Code(10, "SAS", BusClass.OTHER),
    Code(11, "SATA", BusClass.OTHER),
    Code(12, "SD", BusClass.OTHER),
    Code(13, "MMC", BusClass.OTHER),
    Code(14, "Virtual", BusClass.OTHER),
    Code(15, "File Backed Virtual", BusClass.UNSUPPORTED),
    Code(16, "Storage Spaces", BusClass.UNSUPPORTED),
    Code(17, "NVMe", BusClass.OTHER),
)

#: Bus names as ``Get-Disk`` prints them where they differ from the table
#: (a published table shows ``Spaces``; section "Inside a Windows guest").
BUS_TYPE_ALIASES: Mapping[str, int] = MappingProxyType({"spaces": 16, "filebackedvirtual": 15})

#: ``Win32_OperatingSystem.Version`` of each Windows Server release (section
#: "Release builds"): the release builds Microsoft publishes. Windows
#: Server 2008 and 2008 R2 are told apart by major.minor; from Windows Server
#: 2016 on, all are 10.0 and only the build tells them apart. A build that is
#: not a long-term release (a semi-annual channel build) is refused.
HOST_OS_VERSIONS: Mapping[tuple[int, int, int | None], HostOS] = MappingProxyType(
    {
        (6, 0, None): HostOS.WINDOWS_SERVER_2008,
        (6, 1, None): HostOS.WINDOWS_SERVER_2008_R2,
        (6, 2, None): HostOS.WINDOWS_SERVER_2012,
        (6, 3, None): HostOS.WINDOWS_SERVER_2012_R2,
        (10, 0, 14393): HostOS.WINDOWS_SERVER_2016,
        (10, 0, 17763): HostOS.WINDOWS_SERVER_2019,
        (10, 0, 20348): HostOS.WINDOWS_SERVER_2022,
        (10, 0, 26100): HostOS.WINDOWS_SERVER_2025,
    }
)

#: ``Win32_OperatingSystem.ProductType``: 1 is a client edition (Hyper-V on
#: Windows 10 or 11), which no ``HostOS`` describes; 2 and 3 are servers.
SERVER_PRODUCT_TYPES = frozenset({2, 3})


def host_os(version: str) -> HostOS | None:
    """Return the release of a ``Win32_OperatingSystem.Version`` string, or ``None``.

    >>> host_os("6.1.7601")
    <HostOS.WINDOWS_SERVER_2008_R2: 'windows_server_2008_r2'>
    >>> host_os("10.0.17763"), host_os("10.0.19045")
    (<HostOS.WINDOWS_SERVER_2019: 'windows_server_2019'>, None)
    """
    parts = version.strip().split(".")
    if len(parts) < 3 or not all(p.isascii() and p.isdigit() and len(p) <= 9 for p in parts):
        return None
    major, minor, build = (int(p) for p in parts[:3])
    return HOST_OS_VERSIONS.get((major, minor, None)) or HOST_OS_VERSIONS.get((major, minor, build))


#: File system names as Windows writes them (``Win32_Volume.FileSystem``,
#: diskpart's Fs column), compared without regard to case.
_FILE_SYSTEMS: Mapping[str, FileSystem] = MappingProxyType(
    {
        "ntfs": FileSystem.NTFS,
        "fat": FileSystem.FAT,
        "fat32": FileSystem.FAT32,
        "exfat": FileSystem.EXFAT,
        "refs": FileSystem.REFS,
        "raw": FileSystem.RAW,
    }
)


def file_system(name: str | None) -> FileSystem:
    """Return the model's file system for a name Windows writes; none is RAW.

    Any other name (``UDF``, ``CSVFS_NTFS``) is OTHER: like every file system
    but NTFS, it blocks an online backup, which is all the rules ask of it.

    >>> file_system("NTFS"), file_system(None), file_system("UDF")
    (<FileSystem.NTFS: 'ntfs'>, <FileSystem.RAW: 'raw'>, <FileSystem.OTHER: 'other'>)
    """
    if name is None or not name.strip():
        return FileSystem.RAW
    return _FILE_SYSTEMS.get(name.strip().casefold(), FileSystem.OTHER)
