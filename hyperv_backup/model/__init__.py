r"""The inventory a decision is made from: hosts, clusters, VMs, disks and volumes.

Every class is a frozen attrs class built with keyword arguments. Collections
are stored as tuples (``installed_updates`` as a frozenset); callers may pass
lists. Enum fields also take their JSON spelling (``"pass_through"``).

Construction rejects data that cannot describe a real Hyper-V host with a
:class:`ModelError` that names the field and the bad value:

>>> Disk(name="Data", attachment=Attachment.PASS_THROUGH, path="D:\\data.vhd")
Traceback (most recent call last):
...
hyperv_backup.model.ModelError: path: only a virtual hard disk has a host file path, got 'D:\\data.vhd' on a pass_through disk

The model knows nothing of JSON; :mod:`hyperv_backup.inventory` reads and
writes it. This is the lowest layer: it imports nothing above it.
"""

from __future__ import annotations

from hyperv_backup._base import public_dir
from hyperv_backup.model._checks import ModelError, computer_key, safe_repr
from hyperv_backup.model.backup import Backup
from hyperv_backup.model.catalogue import (
    Catalogue,
    NetworkRecord,
    RestorePoint,
    join_catalogues,
    same_vm,
)
from hyperv_backup.model.consistency import Consistency
from hyperv_backup.model.enums import (
    Attachment,
    BackupLevel,
    BackupMode,
    CheckpointType,
    ClusterAction,
    FileSystem,
    GuestDiskType,
    GuestOS,
    HostOS,
    HostStorage,
    NetworkKind,
    ReplicationRole,
    ResourceState,
    SnapshotType,
    VhdType,
    VMState,
    os_label,
)
from hyperv_backup.model.host import (
    BackupApplication,
    Cluster,
    FileServer,
    Host,
    HostVolume,
    VirtualNetwork,
    hosts_of,
)
from hyperv_backup.model.policy import (
    WEEKLY,
    MaxAge,
    PolicyException,
    ProtectionPolicy,
    duration_text,
    parse_duration,
)
from hyperv_backup.model.vm import VM, Checkpoint, ClusterGroup, Disk, NetworkAdapter, Volume

__all__ = [
    "VM",
    "WEEKLY",
    "Attachment",
    "Backup",
    "BackupApplication",
    "BackupLevel",
    "BackupMode",
    "Catalogue",
    "Checkpoint",
    "CheckpointType",
    "Cluster",
    "ClusterAction",
    "ClusterGroup",
    "Consistency",
    "Disk",
    "FileServer",
    "FileSystem",
    "GuestDiskType",
    "GuestOS",
    "Host",
    "HostOS",
    "HostStorage",
    "HostVolume",
    "MaxAge",
    "ModelError",
    "NetworkAdapter",
    "NetworkKind",
    "NetworkRecord",
    "PolicyException",
    "ProtectionPolicy",
    "ReplicationRole",
    "ResourceState",
    "RestorePoint",
    "SnapshotType",
    "VMState",
    "VhdType",
    "VirtualNetwork",
    "Volume",
    "computer_key",
    "duration_text",
    "hosts_of",
    "join_catalogues",
    "os_label",
    "parse_duration",
    "safe_repr",
    "same_vm",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)
