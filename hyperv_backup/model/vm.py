"""A virtual machine and what it is made of: disks, volumes, network adapters, cluster group."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup._base.display import NotebookDisplay
from hyperv_backup.model._checks import (
    ModelError,
    check_bool,
    check_collection,
    check_items,
    check_name,
    computer_key,
    set_enum,
    shown,
    to_tuple,
)
from hyperv_backup.model.enums import (
    Attachment,
    CheckpointType,
    FileSystem,
    GuestDiskType,
    GuestOS,
    HostStorage,
    ReplicationRole,
    ResourceState,
    SnapshotType,
    VhdType,
    VMState,
)

__all__ = ["VM", "Checkpoint", "ClusterGroup", "Disk", "NetworkAdapter", "Volume"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: A configuration version as ``Get-VM`` shows it: major and minor numbers.
_VERSION = re.compile(r"[0-9]{1,2}\.[0-9]{1,2}")


@attrs.frozen(kw_only=True)
class Volume:
    """A volume inside the guest, such as ``C:``.

    ``shadow_storage`` names the volume that stores this volume's shadow
    copies; ``None`` means the volume itself.
    """

    name: str
    file_system: FileSystem
    vss_enabled: bool = True
    shadow_storage: str | None = None

    def __attrs_post_init__(self) -> None:
        self._check(typed=False)

    def _check(self, *, typed: bool) -> None:
        """Check the fields; with ``typed``, only what their types do not already say."""
        check_name(self.name, "name")
        if not typed:
            set_enum(self, "file_system", FileSystem)
            check_bool(self, "vss_enabled")
        if self.shadow_storage is not None:  # inline: this runs for every object read
            check_name(self.shadow_storage, "shadow_storage")


@attrs.frozen(kw_only=True)
class Disk:
    """A disk the virtual machine uses.

    ``path`` and ``vhd_type`` describe the virtual hard disk file and are only
    valid on a ``VIRTUAL_HARD_DISK``. ``shared`` marks a virtual hard disk that
    several VMs share for a guest cluster (``Get-VMHardDiskDrive``
    ``SupportPersistentReservations``); a shared disk whose path ends in
    ``.vhds`` is a VHD Set, any other is a shared VHDX. ``file_size`` is the
    size of a virtual hard disk's file on the host, in bytes (``Get-VHD``
    ``FileSize``; ``None``: not known). ``chain`` are the files a differencing
    disk rests on, its parent first and the root last (``Get-VHD``
    ``ParentPath``, followed); empty for a disk that has no parent, or when not
    collected.
    """

    name: str
    attachment: Attachment
    guest_disk_type: GuestDiskType = GuestDiskType.BASIC
    volumes: tuple[Volume, ...] = attrs.field(default=(), converter=to_tuple)
    path: str | None = None
    vhd_type: VhdType | None = None
    host_storage: HostStorage = HostStorage.LOCAL
    shared: bool = False
    file_size: int | None = None
    chain: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)

    @property
    def is_vhd_set(self) -> bool:
        """Tell whether the disk is a VHD Set (a ``.vhds`` file)."""
        return self.path is not None and self.path.casefold().endswith(".vhds")

    def __attrs_post_init__(self) -> None:
        self._check(typed=False)

    def _check(self, *, typed: bool) -> None:
        """Check the fields; with ``typed``, only what their types do not already say."""
        check_name(self.name, "name")
        if not typed:
            set_enum(self, "attachment", Attachment)
            set_enum(self, "guest_disk_type", GuestDiskType)
            check_collection(self, "volumes")
            check_items(self.volumes, "volumes", Volume)
            set_enum(self, "host_storage", HostStorage)
            if self.vhd_type is not None:
                set_enum(self, "vhd_type", VhdType)
        if self.path is not None:  # inline: this runs for every object read
            check_name(self.path, "path")
        if not typed:
            check_bool(self, "shared")
            check_collection(self, "chain")
        for index, parent in enumerate(self.chain):
            check_name(parent, f"chain[{index}]")
        size: object = self.file_size
        if size is not None and (type(size) is not int or size < 0):
            raise ModelError(
                "file_size", size, f"expected a number of bytes, 0 or more, got {shown(size)}"
            )
        if self.attachment is not Attachment.VIRTUAL_HARD_DISK:
            if self.shared:
                raise ModelError(
                    "shared",
                    self.shared,
                    f"only a virtual hard disk can be shared, got a {self.attachment.value} disk",
                )
            if self.path is not None:
                raise ModelError(
                    "path",
                    self.path,
                    "only a virtual hard disk has a host file path, got "
                    f"{shown(self.path)} on a {self.attachment.value} disk",
                )
            if self.file_size is not None:
                raise ModelError(
                    "file_size",
                    self.file_size,
                    "only a virtual hard disk has a file on the host, got a file size of "
                    f"{shown(self.file_size)} on a {self.attachment.value} disk",
                )
            if self.vhd_type is not None:
                raise ModelError(
                    "vhd_type",
                    self.vhd_type.value,
                    "only a virtual hard disk has a VHD type, got "
                    f"{shown(self.vhd_type.value)} on a {self.attachment.value} disk",
                )
            if self.chain:
                raise ModelError(
                    "chain",
                    self.chain,
                    "only a virtual hard disk has parent files, got "
                    f"{shown(self.chain)} on a {self.attachment.value} disk",
                )


@attrs.frozen(kw_only=True)
class NetworkAdapter:
    """A virtual network adapter of a VM and the virtual network it is attached to."""

    name: str
    virtual_network: str | None = None

    def __attrs_post_init__(self) -> None:
        self._check(typed=False)

    def _check(self, *, typed: bool) -> None:
        """Check the fields (``typed`` changes nothing: names are all there is)."""
        check_name(self.name, "name")
        if self.virtual_network is not None:  # inline: this runs for every object read
            check_name(self.virtual_network, "virtual_network")


@attrs.frozen(kw_only=True)
class ClusterGroup:
    """The failover cluster group of a clustered VM and the state of its resources."""

    name: str
    owner_node: str
    cluster_resource: ResourceState
    configuration_resource: ResourceState
    storage_resource: ResourceState

    def __attrs_post_init__(self) -> None:
        self._check(typed=False)

    def _check(self, *, typed: bool) -> None:
        """Check the fields; with ``typed``, only what their types do not already say."""
        check_name(self.name, "name")
        check_name(self.owner_node, "owner_node")
        if not typed:
            set_enum(self, "cluster_resource", ResourceState)
            set_enum(self, "configuration_resource", ResourceState)
            set_enum(self, "storage_resource", ResourceState)


@attrs.frozen(kw_only=True)
class Checkpoint:
    """A checkpoint of a VM (a snapshot, before Windows Server 2012 R2), as ``Get-VMSnapshot`` lists it.

    ``snapshot_type`` is its kind (``SnapshotType``; ``None``: not known, as
    Windows Server 2008 and 2008 R2 do not say); ``created_at`` when it was
    taken (``CreationTime``; a time without a zone is read as UTC; ``None``:
    not known); ``parent`` the checkpoint it was taken after
    (``ParentSnapshotName``; ``None`` for the first one). ``disk_paths`` are
    the virtual hard disk files that hold the VM's disks as they were when it
    was taken (``Get-VMHardDiskDrive -VMSnapshot``), empty when not collected.
    """

    name: str
    snapshot_type: SnapshotType | None = None
    created_at: datetime | None = None
    parent: str | None = None
    disk_paths: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)

    @property
    def is_replica(self) -> bool:
        """Tell whether this is a recovery point of Hyper-V Replica rather than a checkpoint."""
        return self.snapshot_type is not None and self.snapshot_type.is_replica

    def __attrs_post_init__(self) -> None:
        self._check(typed=False)

    def _check(self, *, typed: bool) -> None:
        """Check the fields; with ``typed``, only what their types do not already say."""
        check_name(self.name, "name")
        if not typed:
            if self.snapshot_type is not None:
                set_enum(self, "snapshot_type", SnapshotType)
            created: object = self.created_at
            if created is not None and not isinstance(created, datetime):
                raise ModelError(
                    "created_at", created, f"expected a date and time, got {shown(created)}"
                )
            check_collection(self, "disk_paths")
        if self.parent is not None:
            check_name(self.parent, "parent")
        for index, path in enumerate(self.disk_paths):
            check_name(path, f"disk_paths[{index}]")
        created_at = self.created_at
        if created_at is not None and created_at.tzinfo is None:
            # Collectors write UTC; a time without a zone compares with the others as UTC.
            object.__setattr__(self, "created_at", created_at.replace(tzinfo=UTC))


@attrs.frozen(kw_only=True)
class VM(NotebookDisplay):
    """A virtual machine.

    ``guest_inventoried=False`` says the facts seen from inside the guest (disk
    types, volumes, file systems, VSS settings, guest iSCSI) were not
    collected: the decisions then treat them as unknown, never as fine.

    The fields from ``generation`` on are read by the profiles of Windows
    Server 2012 and later; ``None`` means not known. ``configuration_version``
    is ``Get-VM``'s ``Version`` (``"9.0"``); ``vss_daemon`` says whether the
    VSS daemon of a Linux or FreeBSD guest runs; ``scsi_controller`` whether a
    generation 1 VM has a SCSI controller; ``replication_ready`` is false
    while a Hyper-V Replica copy is not in a normal state (initial
    replication, resynchronisation, log apply, failover or migration under
    way, or health critical). ``snapshot_file_location`` is ``Get-VM``'s
    ``SnapshotFileLocation``, the folder of the VM's checkpoint files;
    ``integration_services_current`` says whether the guest's integration
    services are the version of the host (``Get-VM``
    ``IntegrationServicesState``); ``writable_file_systems`` are the file
    system types of a Linux or FreeBSD guest's writable mounts outside
    ``/dev`` (``ufs``, ``zfs``, ``ext4``...), empty when not collected.

    ``checkpoints`` are the VM's checkpoints as ``Get-VMSnapshot`` lists them,
    Hyper-V Replica's recovery points among them, oldest first; empty when not
    collected. ``snapshots`` keeps the names alone, as it always has: given
    ``checkpoints`` and no ``snapshots``, it is filled in with the names of
    the checkpoints that are not recovery points of Hyper-V Replica, and when
    both are given they must name the same checkpoints. ``avhdx_files`` are
    the differencing disk files (``.avhdx``, ``.avhd``) found in the VM's
    folders, and ``change_tracking_files`` the resilient change tracking files
    (``.rct``, ``.mrt``) found there; both empty when not collected.
    """

    name: str
    state: VMState
    integration_services: bool = True
    backup_integration_service: bool = True
    disks: tuple[Disk, ...] = attrs.field(default=(), converter=to_tuple)
    network_adapters: tuple[NetworkAdapter, ...] = attrs.field(default=(), converter=to_tuple)
    snapshots: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    cluster_group: ClusterGroup | None = None
    id: str | None = None
    guest_inventoried: bool = True
    generation: int | None = None
    configuration_version: str | None = None
    checkpoint_type: CheckpointType | None = None
    guest_os: GuestOS = GuestOS.UNKNOWN
    vss_daemon: bool | None = None
    scsi_controller: bool | None = None
    fibre_channel_adapters: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    replication_role: ReplicationRole = ReplicationRole.NONE
    replication_ready: bool = True
    snapshot_file_location: str | None = None
    integration_services_current: bool | None = None
    writable_file_systems: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    checkpoints: tuple[Checkpoint, ...] = attrs.field(default=(), converter=to_tuple)
    avhdx_files: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    change_tracking_files: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)

    @property
    def configuration_version_tuple(self) -> tuple[int, int] | None:
        """The configuration version as numbers, ``(9, 0)``; ``None`` when not known."""
        version = self.configuration_version
        if version is None:
            return None
        major, minor = version.split(".")
        return int(major), int(minor)

    def __attrs_post_init__(self) -> None:
        self._check(typed=False)

    def _check(self, *, typed: bool) -> None:
        """Check the fields; with ``typed``, only what their types do not already say."""
        check_name(self.name, "name")
        if not typed:
            set_enum(self, "state", VMState)
            check_bool(self, "integration_services")
            check_bool(self, "backup_integration_service")
            check_bool(self, "guest_inventoried")
            for field in ("disks", "network_adapters", "snapshots"):
                check_collection(self, field)
            check_items(self.disks, "disks", Disk)
            check_items(self.network_adapters, "network_adapters", NetworkAdapter)
        for index, snapshot in enumerate(self.snapshots):
            check_name(snapshot, f"snapshots[{index}]")
        if (
            not typed
            and self.cluster_group is not None
            and not isinstance(self.cluster_group, ClusterGroup)
        ):
            raise ModelError(
                "cluster_group",
                self.cluster_group,
                f"expected a ClusterGroup, got {shown(self.cluster_group)}",
            )
        if self.id is not None:  # inline: this runs for every object read
            check_name(self.id, "id")
        self._check_later_facts(typed=typed)
        self._check_disks_and_volumes()

    def _check_later_facts(self, *, typed: bool) -> None:
        generation: object = self.generation
        if generation is not None and (type(generation) is not int or generation not in (1, 2)):
            raise ModelError("generation", generation, f"expected 1 or 2, got {shown(generation)}")
        version: object = self.configuration_version
        if version is not None and (
            not isinstance(version, str) or _VERSION.fullmatch(version) is None
        ):
            raise ModelError(
                "configuration_version",
                version,
                f"expected a version such as '9.0', got {shown(version)}",
            )
        if not typed:
            if self.checkpoint_type is not None:
                set_enum(self, "checkpoint_type", CheckpointType)
            set_enum(self, "guest_os", GuestOS)
            for field in ("vss_daemon", "scsi_controller"):
                if getattr(self, field) is not None:
                    check_bool(self, field)
            check_collection(self, "fibre_channel_adapters")
        for index, adapter in enumerate(self.fibre_channel_adapters):
            check_name(adapter, f"fibre_channel_adapters[{index}]")
        if not typed:
            set_enum(self, "replication_role", ReplicationRole)
            check_bool(self, "replication_ready")
            if self.integration_services_current is not None:
                check_bool(self, "integration_services_current")
            check_collection(self, "writable_file_systems")
        if self.snapshot_file_location is not None:
            check_name(self.snapshot_file_location, "snapshot_file_location")
        for index, system in enumerate(self.writable_file_systems):
            check_name(system, f"writable_file_systems[{index}]")
        self._check_checkpoints(typed=typed)

    def _check_checkpoints(self, *, typed: bool) -> None:
        if not typed:
            for field in ("checkpoints", "avhdx_files", "change_tracking_files"):
                check_collection(self, field)
            check_items(self.checkpoints, "checkpoints", Checkpoint)
        for field in ("avhdx_files", "change_tracking_files"):
            for index, path in enumerate(getattr(self, field)):
                check_name(path, f"{field}[{index}]")
        if self.checkpoints:
            self._check_checkpoint_names()

    def _check_checkpoint_names(self) -> None:
        """Fill ``snapshots`` in from ``checkpoints``, or check that the two agree."""
        counted = tuple(c.name for c in self.checkpoints if not c.is_replica)
        if not self.snapshots:
            object.__setattr__(self, "snapshots", counted)
        elif sorted(self.snapshots) != sorted(counted):
            raise ModelError(
                "snapshots",
                self.snapshots,
                "expected the names of the checkpoints that are not Hyper-V Replica recovery "
                f"points, {shown(counted)}, or none (they are then filled in), got "
                f"{shown(self.snapshots)}",
            )

    def _check_disks_and_volumes(self) -> None:
        # The common case in one pass: every name once, and no shadow storage
        # elsewhere than on the VM's own volumes. Only otherwise is each name
        # looked at again with its path, to say which is wrong.
        disk_names: set[str] = set()
        volume_keys: set[str] = set()
        volumes = 0
        targets: list[str] = []
        for disk in self.disks:
            disk_names.add(disk.name)
            for volume in disk.volumes:
                volume_keys.add(computer_key(volume.name))
                volumes += 1
                if volume.shadow_storage is not None:
                    targets.append(computer_key(volume.shadow_storage))
        if (
            len(disk_names) != len(self.disks)
            or len(volume_keys) != volumes
            or not volume_keys.issuperset(targets)
        ):
            self._refuse_disks_and_volumes()

    def _refuse_disks_and_volumes(self) -> None:
        """Raise the error of the first wrong disk or volume name (there is one)."""
        disk_names: set[str] = set()
        volume_names: set[str] = set()
        # Shadow storage may name a volume listed later, so it is checked after
        # all names are known; only the few volumes that name one are kept for it.
        shadowed: list[tuple[int, int, str]] = []
        for d, disk in enumerate(self.disks):
            if disk.name in disk_names:
                raise ModelError(
                    f"disks[{d}].name", disk.name, f"duplicate disk name {shown(disk.name)}"
                )
            disk_names.add(disk.name)
            for v, volume in enumerate(disk.volumes):
                key = computer_key(volume.name)
                if key in volume_names:
                    raise ModelError(
                        f"disks[{d}].volumes[{v}].name",
                        volume.name,
                        f"duplicate volume name {shown(volume.name)}",
                    )
                volume_names.add(key)
                if volume.shadow_storage is not None:
                    shadowed.append((d, v, volume.shadow_storage))
        for d, v, target in shadowed:  # pragma: no branch - one of them is wrong
            if computer_key(target) not in volume_names:
                raise ModelError(
                    f"disks[{d}].volumes[{v}].shadow_storage",
                    target,
                    f"names a volume this VM does not have: {shown(target)}",
                )
