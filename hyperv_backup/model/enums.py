"""The enums of the model: the value of each member is its JSON spelling."""

from __future__ import annotations

import enum

from hyperv_backup._base import public_dir

__all__ = [
    "Attachment",
    "BackupLevel",
    "BackupMode",
    "CheckpointType",
    "ClusterAction",
    "FileSystem",
    "GuestDiskType",
    "GuestOS",
    "HostOS",
    "HostStorage",
    "NetworkKind",
    "ReplicationRole",
    "ResourceState",
    "SnapshotType",
    "VMState",
    "VhdType",
    "os_label",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


class VMState(enum.StrEnum):
    """The state of a virtual machine."""

    RUNNING = "running"
    PAUSED = "paused"
    SAVED = "saved"
    OFF = "off"


class FileSystem(enum.StrEnum):
    """The file system of a guest volume."""

    NTFS = "ntfs"
    FAT = "fat"
    FAT32 = "fat32"
    EXFAT = "exfat"
    REFS = "refs"
    RAW = "raw"
    OTHER = "other"


class GuestDiskType(enum.StrEnum):
    """How the guest operating system configures a disk."""

    BASIC = "basic"
    DYNAMIC = "dynamic"


class Attachment(enum.StrEnum):
    """How a disk reaches the virtual machine."""

    VIRTUAL_HARD_DISK = "virtual_hard_disk"
    #: A physical disk attached directly to the virtual machine.
    PASS_THROUGH = "pass_through"
    #: Storage the guest reaches through its own iSCSI initiator.
    GUEST_ISCSI = "guest_iscsi"


class VhdType(enum.StrEnum):
    """The kind of virtual hard disk file."""

    FIXED = "fixed"
    DYNAMICALLY_EXPANDING = "dynamically_expanding"
    DIFFERENCING = "differencing"


class HostStorage(enum.StrEnum):
    """Where the host keeps a disk."""

    LOCAL = "local"
    #: iSCSI storage connected through the management operating system.
    HOST_ISCSI = "host_iscsi"
    SAN = "san"
    SMB = "smb"
    CLUSTER_SHARED_VOLUME = "cluster_shared_volume"


class ResourceState(enum.StrEnum):
    """The state of a failover cluster resource."""

    ONLINE = "online"
    OFFLINE = "offline"
    FAILED = "failed"
    PENDING = "pending"
    PARTIAL_ONLINE = "partial_online"


class HostOS(enum.StrEnum):
    """The Windows Server release a Hyper-V host runs."""

    WINDOWS_SERVER_2008 = "windows_server_2008"
    WINDOWS_SERVER_2008_R2 = "windows_server_2008_r2"
    WINDOWS_SERVER_2012 = "windows_server_2012"
    WINDOWS_SERVER_2012_R2 = "windows_server_2012_r2"
    WINDOWS_SERVER_2016 = "windows_server_2016"
    WINDOWS_SERVER_2019 = "windows_server_2019"
    WINDOWS_SERVER_2022 = "windows_server_2022"
    WINDOWS_SERVER_2025 = "windows_server_2025"


class NetworkKind(enum.StrEnum):
    """The kind of a Hyper-V virtual network."""

    EXTERNAL = "external"
    INTERNAL = "internal"
    PRIVATE = "private"


class BackupMode(enum.StrEnum):
    """Whether a VM is backed up while it runs (online) or not (offline)."""

    ONLINE = "online"
    OFFLINE = "offline"


class BackupLevel(enum.StrEnum):
    """Where a backup was taken."""

    #: On the host, through the Hyper-V VSS writer.
    HOST = "host"
    #: By a backup application inside the guest.
    GUEST = "guest"


class CheckpointType(enum.StrEnum):
    """The checkpoint setting of a VM (Windows Server 2016 and later).

    The spellings follow ``Set-VM -CheckpointType``.
    """

    #: Production checkpoints, falling back to a standard checkpoint.
    PRODUCTION = "production"
    #: Production checkpoints only: no checkpoint when one cannot be taken.
    PRODUCTION_ONLY = "production_only"
    STANDARD = "standard"
    DISABLED = "disabled"


class SnapshotType(enum.StrEnum):
    """What kind of checkpoint a VM holds, as ``Get-VMSnapshot`` ``-SnapshotType`` names them.

    ``standard`` covers the checkpoints a user takes; ``recovery`` those a
    backup application takes through Hyper-V for its copy, and merges away once
    it is done; ``planned`` and ``missing`` are Hyper-V's own kinds. The three
    kinds of replica are the recovery points Hyper-V Replica keeps on a replica
    VM: they are not checkpoints anyone took (:attr:`is_replica`).
    """

    STANDARD = "standard"
    RECOVERY = "recovery"
    PLANNED = "planned"
    MISSING = "missing"
    REPLICA = "replica"
    APP_CONSISTENT_REPLICA = "app_consistent_replica"
    SYNCED_REPLICA = "synced_replica"

    @property
    def is_replica(self) -> bool:
        """Tell whether this is a recovery point of Hyper-V Replica rather than a checkpoint."""
        return self in _REPLICA_KINDS


_REPLICA_KINDS = frozenset(
    {SnapshotType.REPLICA, SnapshotType.APP_CONSISTENT_REPLICA, SnapshotType.SYNCED_REPLICA}
)


class GuestOS(enum.StrEnum):
    """The operating system family inside a VM."""

    WINDOWS = "windows"
    LINUX = "linux"
    FREEBSD = "freebsd"
    UNKNOWN = "unknown"


class ReplicationRole(enum.StrEnum):
    """The Hyper-V Replica role of a VM."""

    NONE = "none"
    PRIMARY = "primary"
    REPLICA = "replica"


class ClusterAction(enum.StrEnum):
    """The preparation a clustered VM needs before a backup or a restore."""

    #: The VM has no cluster group.
    NOT_CLUSTERED = "not_clustered"
    NONE = "none"
    TAKE_CLUSTER_RESOURCE_OFFLINE = "take_cluster_resource_offline"
    TAKE_CONFIGURATION_RESOURCE_OFFLINE = "take_configuration_resource_offline"
    TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE = (
        "take_cluster_and_configuration_resources_offline"
    )
    #: Another node owns the VM: it is not reported for backup on this node.
    MOVE_TO_NODE = "move_to_node"
    #: Another node owns the VM: take its resources offline there to avoid a conflict.
    TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE_ON_OWNER = (
        "take_cluster_and_configuration_resources_offline_on_owner"
    )
    #: The guidance does not cover this combination of resource states (HVB504).
    NOT_COVERED = "not_covered"


def os_label(os: HostOS) -> str:
    """Return the release name of ``os`` as people write it.

    >>> os_label(HostOS.WINDOWS_SERVER_2012_R2)
    'Windows Server 2012 R2'
    """
    words = os.value.split("_")
    return " ".join(w.upper() if w == "r2" else w.capitalize() for w in words)
