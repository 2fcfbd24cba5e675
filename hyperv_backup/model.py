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
writes it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeVar

import attrs

from hyperv_backup._errors import HypervBackupError
from hyperv_backup._notebook import NotebookDisplay

__all__ = [
    "VM",
    "Attachment",
    "Backup",
    "BackupApplication",
    "BackupLevel",
    "BackupMode",
    "Cluster",
    "ClusterGroup",
    "Disk",
    "FileSystem",
    "GuestDiskType",
    "Host",
    "HostOS",
    "HostStorage",
    "ModelError",
    "NetworkAdapter",
    "NetworkKind",
    "ResourceState",
    "VMState",
    "VhdType",
    "VirtualNetwork",
    "Volume",
    "computer_key",
    "safe_repr",
]


class ModelError(HypervBackupError):
    """A model object was given a value that cannot be right.

    ``path`` is the field it concerns, relative to the object being built
    (``"disks[1].volumes[0].shadow_storage"``); ``value`` is the bad value.
    """

    def __init__(self, path: str, value: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}" if path else reason)
        self.path = path
        self.value = value
        self.reason = reason


# --- enums: the value of each member is its JSON spelling -------------------


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


# --- validation helpers ------------------------------------------------------

_E = TypeVar("_E", bound=enum.StrEnum)


def safe_repr(value: object) -> str:
    """Return ``repr(value)``, or a short stand-in when it cannot be written.

    Untrusted input may hold integers too long to print, structures nested too
    deeply for ``repr``, or objects whose ``repr`` fails; an error message must
    never fail on them.

    >>> safe_repr("C:")
    "'C:'"
    >>> safe_repr(10**5000)
    '<int that cannot be shown>'
    """
    try:
        return repr(value)
    except Exception:  # any failure of a foreign repr must not escape
        return f"<{type(value).__name__} that cannot be shown>"


def _shown(value: object) -> str:
    """Quote ``value`` for an error message: at most 60 characters of it, and its length."""
    text = safe_repr(value)
    if len(text) <= 60:
        return text
    return f"{text[:60]}... ({len(text)} characters)"


def _tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    # A tuple, what the inventory reader passes, is taken as it is before any
    # other test: this runs for every collection of every object read.
    if type(value) is tuple:
        return value
    # A string is iterable too: tuple("C:") would silently become ("C", ":"). It,
    # and anything that is not iterable, is passed through unchanged so that the
    # class's own check names the field.
    if isinstance(value, str | bytes):
        return value  # type: ignore[return-value]
    if isinstance(value, set | frozenset):
        # A set's order depends on the hash seed; sort it so errors name one item.
        return tuple(sorted(value, key=safe_repr))
    try:
        return tuple(value)
    except TypeError:
        return value  # type: ignore[return-value]


def _check_collection(obj: object, field: str) -> None:
    value = getattr(obj, field)
    if not isinstance(value, tuple):
        shown = _shown(value)
        kind = "the string " if isinstance(value, str | bytes) else ""
        raise ModelError(field, value, f"expected a list or tuple, got {kind}{shown}")


def _set_enum(obj: object, field: str, enum_cls: type[_E]) -> None:
    """Accept an enum member or its JSON spelling for ``field``; reject the rest."""
    value = getattr(obj, field)
    if type(value) is enum_cls:
        return
    try:
        member = enum_cls(value)
    except (ValueError, TypeError):
        allowed = ", ".join(repr(m.value) for m in enum_cls)
        raise ModelError(
            field, value, f"expected one of {allowed}, got {_shown(value)}"
        ) from None
    # Frozen classes may still set their own fields while they are being built.
    object.__setattr__(obj, field, member)


def _check_name(value: object, path: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ModelError(path, value, f"expected a non-empty name, got {_shown(value)}")


def _check_optional_name(value: object, path: str) -> None:
    if value is not None:
        _check_name(value, path)


def _check_bool(obj: object, field: str) -> None:
    value = getattr(obj, field)
    if type(value) is not bool:
        raise ModelError(field, value, f"expected true or false, got {_shown(value)}")


def _check_items(items: tuple[object, ...], field: str, cls: type) -> None:
    for index, item in enumerate(items):
        if not isinstance(item, cls):
            raise ModelError(
                f"{field}[{index}]", item, f"expected a {cls.__name__}, got {_shown(item)}"
            )


def computer_key(name: str) -> str:
    """Return the form in which two computer or volume names compare equal.

    Windows compares computer names and drive letters without regard to case.

    >>> computer_key("HV-NODE1") == computer_key("hv-node1")
    True
    """
    return name.casefold()


# --- the model -----------------------------------------------------------------


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
        _check_name(self.name, "name")
        _set_enum(self, "file_system", FileSystem)
        _check_bool(self, "vss_enabled")
        _check_optional_name(self.shadow_storage, "shadow_storage")


@attrs.frozen(kw_only=True)
class Disk:
    """A disk the virtual machine uses.

    ``path`` and ``vhd_type`` describe the virtual hard disk file and are only
    valid on a ``VIRTUAL_HARD_DISK``.
    """

    name: str
    attachment: Attachment
    guest_disk_type: GuestDiskType = GuestDiskType.BASIC
    volumes: tuple[Volume, ...] = attrs.field(default=(), converter=_tuple)
    path: str | None = None
    vhd_type: VhdType | None = None
    host_storage: HostStorage = HostStorage.LOCAL

    def __attrs_post_init__(self) -> None:
        _check_name(self.name, "name")
        _set_enum(self, "attachment", Attachment)
        _set_enum(self, "guest_disk_type", GuestDiskType)
        _check_collection(self, "volumes")
        _check_items(self.volumes, "volumes", Volume)
        _set_enum(self, "host_storage", HostStorage)
        if self.vhd_type is not None:
            _set_enum(self, "vhd_type", VhdType)
        _check_optional_name(self.path, "path")
        if self.attachment is not Attachment.VIRTUAL_HARD_DISK:
            if self.path is not None:
                raise ModelError(
                    "path",
                    self.path,
                    "only a virtual hard disk has a host file path, got "
                    f"{_shown(self.path)} on a {self.attachment.value} disk",
                )
            if self.vhd_type is not None:
                raise ModelError(
                    "vhd_type",
                    self.vhd_type.value,
                    "only a virtual hard disk has a VHD type, got "
                    f"{_shown(self.vhd_type.value)} on a {self.attachment.value} disk",
                )


@attrs.frozen(kw_only=True)
class NetworkAdapter:
    """A virtual network adapter of a VM and the virtual network it is attached to."""

    name: str
    virtual_network: str | None = None

    def __attrs_post_init__(self) -> None:
        _check_name(self.name, "name")
        _check_optional_name(self.virtual_network, "virtual_network")


@attrs.frozen(kw_only=True)
class ClusterGroup:
    """The failover cluster group of a clustered VM and the state of its resources."""

    name: str
    owner_node: str
    cluster_resource: ResourceState
    configuration_resource: ResourceState
    storage_resource: ResourceState

    def __attrs_post_init__(self) -> None:
        _check_name(self.name, "name")
        _check_name(self.owner_node, "owner_node")
        _set_enum(self, "cluster_resource", ResourceState)
        _set_enum(self, "configuration_resource", ResourceState)
        _set_enum(self, "storage_resource", ResourceState)


@attrs.frozen(kw_only=True)
class VM(NotebookDisplay):
    """A virtual machine.

    ``guest_inventoried=False`` says the facts seen from inside the guest (disk
    types, volumes, file systems, VSS settings, guest iSCSI) were not
    collected: the decisions then treat them as unknown, never as fine.
    """

    name: str
    state: VMState
    integration_services: bool = True
    backup_integration_service: bool = True
    disks: tuple[Disk, ...] = attrs.field(default=(), converter=_tuple)
    network_adapters: tuple[NetworkAdapter, ...] = attrs.field(default=(), converter=_tuple)
    snapshots: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    cluster_group: ClusterGroup | None = None
    id: str | None = None
    guest_inventoried: bool = True

    def __attrs_post_init__(self) -> None:
        _check_name(self.name, "name")
        _set_enum(self, "state", VMState)
        _check_bool(self, "integration_services")
        _check_bool(self, "backup_integration_service")
        _check_bool(self, "guest_inventoried")
        for field in ("disks", "network_adapters", "snapshots"):
            _check_collection(self, field)
        _check_items(self.disks, "disks", Disk)
        _check_items(self.network_adapters, "network_adapters", NetworkAdapter)
        for index, snapshot in enumerate(self.snapshots):
            _check_name(snapshot, f"snapshots[{index}]")
        if self.cluster_group is not None and not isinstance(self.cluster_group, ClusterGroup):
            raise ModelError(
                "cluster_group",
                self.cluster_group,
                f"expected a ClusterGroup, got {_shown(self.cluster_group)}",
            )
        _check_optional_name(self.id, "id")
        self._check_disks_and_volumes()

    def _check_disks_and_volumes(self) -> None:
        disk_names: set[str] = set()
        volume_names: set[str] = set()
        # Shadow storage may name a volume listed later, so it is checked after
        # all names are known; only the few volumes that name one are kept for it.
        shadowed: list[tuple[int, int, str]] = []
        for d, disk in enumerate(self.disks):
            if disk.name in disk_names:
                raise ModelError(
                    f"disks[{d}].name", disk.name, f"duplicate disk name {_shown(disk.name)}"
                )
            disk_names.add(disk.name)
            for v, volume in enumerate(disk.volumes):
                key = computer_key(volume.name)
                if key in volume_names:
                    raise ModelError(
                        f"disks[{d}].volumes[{v}].name",
                        volume.name,
                        f"duplicate volume name {_shown(volume.name)}",
                    )
                volume_names.add(key)
                if volume.shadow_storage is not None:
                    shadowed.append((d, v, volume.shadow_storage))
        for d, v, target in shadowed:
            if computer_key(target) not in volume_names:
                raise ModelError(
                    f"disks[{d}].volumes[{v}].shadow_storage",
                    target,
                    f"names a volume this VM does not have: {_shown(target)}",
                )


@attrs.frozen(kw_only=True)
class VirtualNetwork:
    """A Hyper-V virtual network (virtual switch) on a host."""

    name: str
    kind: NetworkKind
    physical_adapter: str | None = None
    vlan_id: int | None = None

    def __attrs_post_init__(self) -> None:
        _check_name(self.name, "name")
        _set_enum(self, "kind", NetworkKind)
        _check_optional_name(self.physical_adapter, "physical_adapter")
        vlan = self.vlan_id
        # 802.1Q VLAN IDs are 12 bits; 4095 is reserved, and 0 (no tag) is kept as
        # some tools report it for an untagged network.
        if vlan is not None and (type(vlan) is not int or not 0 <= vlan <= 4094):
            raise ModelError(
                "vlan_id", vlan, f"expected a VLAN ID from 0 to 4094, got {_shown(vlan)}"
            )


@attrs.frozen(kw_only=True)
class BackupApplication:
    """The backup application the host uses.

    ``hyperv_writer_registered`` only means something for Windows Server
    Backup, which needs the Hyper-V VSS writer registered with it.
    """

    name: str
    uses_hyperv_vss_writer: bool = True
    is_windows_server_backup: bool = False
    hyperv_writer_registered: bool = True

    def __attrs_post_init__(self) -> None:
        _check_name(self.name, "name")
        _check_bool(self, "uses_hyperv_vss_writer")
        _check_bool(self, "is_windows_server_backup")
        _check_bool(self, "hyperv_writer_registered")


def _check_unique_vms(vms: Iterable[tuple[str, VM]]) -> None:
    seen: set[str] = set()
    for path, vm in vms:
        if vm.name in seen:
            raise ModelError(f"{path}.name", vm.name, f"duplicate VM name {_shown(vm.name)}")
        seen.add(vm.name)


def _check_unique_groups(vms: Iterable[tuple[str, VM]]) -> None:
    seen: set[str] = set()
    for path, vm in vms:
        if vm.cluster_group is None:
            continue
        key = computer_key(vm.cluster_group.name)
        if key in seen:
            raise ModelError(
                f"{path}.cluster_group.name",
                vm.cluster_group.name,
                f"duplicate cluster group name {_shown(vm.cluster_group.name)}",
            )
        seen.add(key)


def _check_owner(host_name: str, path: str, vm: VM) -> None:
    group = vm.cluster_group
    if group is not None and computer_key(group.owner_node) != computer_key(host_name):
        raise ModelError(
            f"{path}.cluster_group.owner_node",
            group.owner_node,
            f"VM {_shown(vm.name)} is listed under {_shown(host_name)} but its group is owned by "
            f"{_shown(group.owner_node)}",
        )


@attrs.frozen(kw_only=True)
class Host(NotebookDisplay):
    """A Hyper-V host: a standalone server or one node of a failover cluster.

    ``installed_updates`` holds Knowledge Base article IDs (``"KB958184"``);
    they are stored upper-case. A ``backup_application`` of ``None`` means it
    is not known, and no rule about it is raised.
    """

    name: str
    os: HostOS
    vms: tuple[VM, ...] = attrs.field(default=(), converter=_tuple)
    virtual_networks: tuple[VirtualNetwork, ...] = attrs.field(default=(), converter=_tuple)
    # Taken as a sequence, checked item by item with its index, stored as a frozenset.
    installed_updates: frozenset[str] = attrs.field(default=frozenset(), converter=_tuple)
    backup_application: BackupApplication | None = None

    def __attrs_post_init__(self) -> None:
        _check_name(self.name, "name")
        _set_enum(self, "os", HostOS)
        for field in ("vms", "virtual_networks", "installed_updates"):
            _check_collection(self, field)
        _check_items(self.vms, "vms", VM)
        _check_items(self.virtual_networks, "virtual_networks", VirtualNetwork)
        # The converter left a tuple, so that a bad item is named by its index.
        updates: tuple[object, ...] = self.installed_updates  # type: ignore[assignment]
        for index, update in enumerate(updates):
            _check_name(update, f"installed_updates[{index}]")
        # Get-HotFix spells IDs "KB958184"; compare them in one spelling.
        normalised = frozenset(str(u).strip().upper() for u in updates)
        object.__setattr__(self, "installed_updates", normalised)
        if self.backup_application is not None and not isinstance(
            self.backup_application, BackupApplication
        ):
            raise ModelError(
                "backup_application",
                self.backup_application,
                f"expected a BackupApplication, got {_shown(self.backup_application)}",
            )
        indexed = [(f"vms[{i}]", vm) for i, vm in enumerate(self.vms)]
        _check_unique_vms(indexed)
        _check_unique_groups(indexed)
        for path, vm in indexed:
            _check_owner(self.name, path, vm)
        seen: set[str] = set()
        for i, network in enumerate(self.virtual_networks):
            key = computer_key(network.name)
            if key in seen:
                raise ModelError(
                    f"virtual_networks[{i}].name",
                    network.name,
                    f"duplicate virtual network name {_shown(network.name)}",
                )
            seen.add(key)


@attrs.frozen(kw_only=True)
class Cluster(NotebookDisplay):
    """A failover cluster; each VM is listed under the node that owns it."""

    name: str
    nodes: tuple[Host, ...] = attrs.field(converter=_tuple)

    def __attrs_post_init__(self) -> None:
        _check_name(self.name, "name")
        _check_collection(self, "nodes")
        _check_items(self.nodes, "nodes", Host)
        if not self.nodes:
            raise ModelError("nodes", self.nodes, "a cluster has at least one node, got none")
        seen: set[str] = set()
        for i, node in enumerate(self.nodes):
            key = computer_key(node.name)
            if key in seen:
                raise ModelError(
                    f"nodes[{i}].name", node.name, f"duplicate node name {_shown(node.name)}"
                )
            seen.add(key)
        indexed = [
            (f"nodes[{n}].vms[{v}]", vm)
            for n, node in enumerate(self.nodes)
            for v, vm in enumerate(node.vms)
        ]
        _check_unique_vms(indexed)
        _check_unique_groups(indexed)


@attrs.frozen(kw_only=True)
class Backup:
    """A record of one backup of one VM, as input to the restore steps.

    ``covers`` names the disks the backup holds (it matters for guest-level
    backups); ``vm_state`` is the state the VM was in when it was backed up
    (``None``: assume its state now).
    """

    vm: str
    node: str
    level: BackupLevel
    mode: BackupMode
    taken_at: datetime | None = None
    covers: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    vm_state: VMState | None = None

    def __attrs_post_init__(self) -> None:
        _check_name(self.vm, "vm")
        _check_name(self.node, "node")
        _set_enum(self, "level", BackupLevel)
        _set_enum(self, "mode", BackupMode)
        if self.taken_at is not None and not isinstance(self.taken_at, datetime):
            raise ModelError(
                "taken_at", self.taken_at, f"expected a datetime, got {_shown(self.taken_at)}"
            )
        _check_collection(self, "covers")
        for index, disk in enumerate(self.covers):
            _check_name(disk, f"covers[{index}]")
        if self.vm_state is not None:
            _set_enum(self, "vm_state", VMState)
            # An online backup is only possible while the VM runs.
            if self.mode is BackupMode.ONLINE and self.vm_state is not VMState.RUNNING:
                raise ModelError(
                    "vm_state",
                    self.vm_state.value,
                    f"an online backup needs a running VM, got {_shown(self.vm_state.value)}",
                )
