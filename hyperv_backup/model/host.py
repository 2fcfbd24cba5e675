"""A Hyper-V host, its virtual networks and backup application, and a failover cluster."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
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
from hyperv_backup.model.enums import HostOS, NetworkKind
from hyperv_backup.model.vm import VM

__all__ = [
    "BackupApplication",
    "Cluster",
    "FileServer",
    "Host",
    "HostVolume",
    "VirtualNetwork",
    "hosts_of",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


@attrs.frozen(kw_only=True)
class VirtualNetwork:
    """A Hyper-V virtual network (virtual switch) on a host."""

    name: str
    kind: NetworkKind
    physical_adapter: str | None = None
    vlan_id: int | None = None

    def __attrs_post_init__(self) -> None:
        self._check(typed=False)

    def _check(self, *, typed: bool) -> None:
        """Check the fields; with ``typed``, only what their types do not already say."""
        check_name(self.name, "name")
        if not typed:
            set_enum(self, "kind", NetworkKind)
        if self.physical_adapter is not None:  # inline: this runs for every object read
            check_name(self.physical_adapter, "physical_adapter")
        vlan = self.vlan_id
        # 802.1Q VLAN IDs are 12 bits; 4095 is reserved, and 0 (no tag) is kept as
        # some tools report it for an untagged network.
        if vlan is not None and (type(vlan) is not int or not 0 <= vlan <= 4094):
            raise ModelError(
                "vlan_id", vlan, f"expected a VLAN ID from 0 to 4094, got {shown(vlan)}"
            )


@attrs.frozen(kw_only=True)
class BackupApplication:
    """The backup application the host uses.

    ``hyperv_writer_registered`` only means something for Windows Server
    Backup, which needs the Hyper-V VSS writer registered with it.

    The fields from ``uses_wmi_backup`` on are read by the profiles of
    Windows Server 2012 and later; ``None`` means not known.
    ``uses_wmi_backup`` says whether the application backs VMs up through
    the Hyper-V WMI API of Windows Server 2016 and later (checkpoints and
    resilient change tracking) rather than the Hyper-V VSS writer;
    ``ignores_non_snapshottable_disks`` whether it asks Hyper-V to leave out
    the disks a checkpoint cannot hold (pass-through and virtual Fibre
    Channel disks) when it takes its checkpoint; ``backup_target`` is the
    path it writes its backups to (a folder or share); ``churn_percent`` is
    the share of a virtual hard disk, in percent, that is written while its
    backup runs (the churn rate times the backup window).
    """

    name: str
    uses_hyperv_vss_writer: bool = True
    is_windows_server_backup: bool = False
    hyperv_writer_registered: bool = True
    uses_wmi_backup: bool | None = None
    ignores_non_snapshottable_disks: bool | None = None
    backup_target: str | None = None
    churn_percent: int | None = None

    def __attrs_post_init__(self) -> None:
        self._check(typed=False)

    def _check(self, *, typed: bool) -> None:
        """Check the fields; with ``typed``, only what their types do not already say."""
        check_name(self.name, "name")
        if not typed:
            check_bool(self, "uses_hyperv_vss_writer")
            check_bool(self, "is_windows_server_backup")
            check_bool(self, "hyperv_writer_registered")
            for field in ("uses_wmi_backup", "ignores_non_snapshottable_disks"):
                if getattr(self, field) is not None:
                    check_bool(self, field)
        if self.backup_target is not None:
            check_name(self.backup_target, "backup_target")
        churn: object = self.churn_percent
        if churn is not None and (type(churn) is not int or not 0 <= churn <= 100):
            raise ModelError(
                "churn_percent", churn, f"expected a percentage from 0 to 100, got {shown(churn)}"
            )


@attrs.frozen(kw_only=True)
class FileServer:
    r"""An SMB 3 file server that holds VM files, and whether it runs the File Server VSS Agent.

    ``name`` is the server as the VM's paths name it (``\\FS01\VMs\...``
    names ``FS01``); ``vss_agent`` is ``None`` when it is not known.
    """

    name: str
    vss_agent: bool | None = None

    def __attrs_post_init__(self) -> None:
        self._check(typed=False)

    def _check(self, *, typed: bool) -> None:
        """Check the fields; with ``typed``, only what their types do not already say."""
        check_name(self.name, "name")
        if not typed and self.vss_agent is not None:
            check_bool(self, "vss_agent")


@attrs.frozen(kw_only=True)
class HostVolume:
    r"""A volume of the host and its free space.

    ``name`` is where the volume is mounted (``D:\`` or
    ``C:\ClusterStorage\Volume1\``); ``free_space`` is in bytes.
    """

    name: str
    free_space: int

    def __attrs_post_init__(self) -> None:
        self._check(typed=False)

    def _check(self, *, typed: bool) -> None:
        """Check the fields (``typed`` changes nothing: each is checked by value)."""
        check_name(self.name, "name")
        free: object = self.free_space
        if type(free) is not int or free < 0:
            raise ModelError(
                "free_space", free, f"expected a number of bytes, 0 or more, got {shown(free)}"
            )


def _check_unique_names(items: tuple[FileServer | HostVolume, ...], field: str, noun: str) -> None:
    seen: set[str] = set()
    for i, item in enumerate(items):
        key = computer_key(item.name)
        if key in seen:
            raise ModelError(
                f"{field}[{i}].name", item.name, f"duplicate {noun} name {shown(item.name)}"
            )
        seen.add(key)


def _check_unique_vms(vms: Sequence[VM], path: Callable[[int], str]) -> None:
    """Refuse a VM name given twice; ``path`` names the VM at an index, for the message."""
    # Counted first: the paths are written only when a name repeats.
    if len({vm.name for vm in vms}) == len(vms):
        return
    seen: set[str] = set()
    for i, vm in enumerate(vms):  # pragma: no branch - a name repeats
        if vm.name in seen:
            raise ModelError(f"{path(i)}.name", vm.name, f"duplicate VM name {shown(vm.name)}")
        seen.add(vm.name)


def _check_unique_groups(vms: Sequence[VM], path: Callable[[int], str]) -> None:
    """Refuse a cluster group name given twice (in any case); ``path`` as above."""
    keys = [computer_key(vm.cluster_group.name) for vm in vms if vm.cluster_group is not None]
    if len(set(keys)) == len(keys):
        return
    seen: set[str] = set()
    for i, vm in enumerate(vms):  # pragma: no branch - a name repeats
        if vm.cluster_group is None:
            continue
        key = computer_key(vm.cluster_group.name)
        if key in seen:
            raise ModelError(
                f"{path(i)}.cluster_group.name",
                vm.cluster_group.name,
                f"duplicate cluster group name {shown(vm.cluster_group.name)}",
            )
        seen.add(key)


def _check_owners(host_name: str, vms: Sequence[VM]) -> None:
    """Refuse a clustered VM listed under a node that does not own its group."""
    host_key = computer_key(host_name)
    for i, vm in enumerate(vms):
        group = vm.cluster_group
        if group is not None and computer_key(group.owner_node) != host_key:
            raise ModelError(
                f"vms[{i}].cluster_group.owner_node",
                group.owner_node,
                f"VM {shown(vm.name)} is listed under {shown(host_name)} but its group is owned "
                f"by {shown(group.owner_node)}",
            )


@attrs.frozen(kw_only=True)
class Host(NotebookDisplay):
    """A Hyper-V host: a standalone server or one node of a failover cluster.

    ``installed_updates`` holds Knowledge Base article IDs (``"KB958184"``);
    they are stored upper-case. A ``backup_application`` of ``None`` means it
    is not known, and no rule about it is raised. ``file_server_vss_agent``
    says whether every SMB 3 file server holding this host's VM files runs the
    File Server VSS Agent Service (``None``: not known); ``file_servers``
    says it server by server, and a server listed there is answered by its own
    entry. ``host_volumes`` are the host's volumes and their free space.
    ``collected_at`` is when the host's facts were collected (the time
    ``host.ps1`` wrote in its document); a time without a zone is read as
    UTC, and ``None`` means not said.
    """

    name: str
    os: HostOS
    vms: tuple[VM, ...] = attrs.field(default=(), converter=to_tuple)
    virtual_networks: tuple[VirtualNetwork, ...] = attrs.field(default=(), converter=to_tuple)
    # Taken as a sequence, checked item by item with its index, stored as a frozenset.
    installed_updates: frozenset[str] = attrs.field(default=frozenset(), converter=to_tuple)
    backup_application: BackupApplication | None = None
    file_server_vss_agent: bool | None = None
    file_servers: tuple[FileServer, ...] = attrs.field(default=(), converter=to_tuple)
    host_volumes: tuple[HostVolume, ...] = attrs.field(default=(), converter=to_tuple)
    collected_at: datetime | None = None

    def __attrs_post_init__(self) -> None:
        self._check(typed=False)

    def _check(self, *, typed: bool) -> None:
        """Check the fields; with ``typed``, only what their types do not already say."""
        check_name(self.name, "name")
        if not typed:
            set_enum(self, "os", HostOS)
            if self.file_server_vss_agent is not None:
                check_bool(self, "file_server_vss_agent")
            for field in (
                "vms",
                "virtual_networks",
                "installed_updates",
                "file_servers",
                "host_volumes",
            ):
                check_collection(self, field)
            check_items(self.vms, "vms", VM)
            check_items(self.virtual_networks, "virtual_networks", VirtualNetwork)
            check_items(self.file_servers, "file_servers", FileServer)
            check_items(self.host_volumes, "host_volumes", HostVolume)
            if self.collected_at is not None and not isinstance(self.collected_at, datetime):
                raise ModelError(
                    "collected_at",
                    self.collected_at,
                    f"expected a date and time, got {shown(self.collected_at)}",
                )
        collected = self.collected_at
        if collected is not None and collected.tzinfo is None:
            # Collectors write UTC; a time without a zone compares with the others as UTC.
            object.__setattr__(self, "collected_at", collected.replace(tzinfo=UTC))
        # The converter left a tuple, so that a bad item is named by its index.
        updates: tuple[object, ...] = self.installed_updates  # type: ignore[assignment]
        for index, update in enumerate(updates):
            check_name(update, f"installed_updates[{index}]")
        # Get-HotFix spells IDs "KB958184"; compare them in one spelling.
        normalised = frozenset(str(u).strip().upper() for u in updates)
        object.__setattr__(self, "installed_updates", normalised)
        if (
            not typed
            and self.backup_application is not None
            and not isinstance(self.backup_application, BackupApplication)
        ):
            raise ModelError(
                "backup_application",
                self.backup_application,
                f"expected a BackupApplication, got {shown(self.backup_application)}",
            )
        vms = self.vms
        _check_unique_vms(vms, "vms[{}]".format)
        _check_unique_groups(vms, "vms[{}]".format)
        _check_owners(self.name, vms)
        seen: set[str] = set()
        for i, network in enumerate(self.virtual_networks):
            key = computer_key(network.name)
            if key in seen:
                raise ModelError(
                    f"virtual_networks[{i}].name",
                    network.name,
                    f"duplicate virtual network name {shown(network.name)}",
                )
            seen.add(key)
        _check_unique_names(self.file_servers, "file_servers", "file server")
        _check_unique_names(self.host_volumes, "host_volumes", "host volume")


@attrs.frozen(kw_only=True)
class Cluster(NotebookDisplay):
    """A failover cluster; each VM is listed under the node that owns it.

    ``functional_level`` is the cluster's functional level as ``Get-Cluster``
    shows it (``ClusterFunctionalLevel``: 8 for Windows Server 2012 R2, 9 for
    2016, 10 for 2019, ...); ``None`` when it is not known.
    """

    name: str
    nodes: tuple[Host, ...] = attrs.field(converter=to_tuple)
    functional_level: int | None = None

    def __attrs_post_init__(self) -> None:
        self._check(typed=False)

    def _check(self, *, typed: bool) -> None:
        """Check the fields; with ``typed``, only what their types do not already say."""
        check_name(self.name, "name")
        if not typed:
            check_collection(self, "nodes")
            check_items(self.nodes, "nodes", Host)
        if not self.nodes:
            raise ModelError("nodes", self.nodes, "a cluster has at least one node, got none")
        level: object = self.functional_level
        if level is not None and (type(level) is not int or not 0 < level < 100):
            raise ModelError(
                "functional_level",
                level,
                f"expected a functional level such as 9, got {shown(level)}",
            )
        seen: set[str] = set()
        for i, node in enumerate(self.nodes):
            key = computer_key(node.name)
            if key in seen:
                raise ModelError(
                    f"nodes[{i}].name", node.name, f"duplicate node name {shown(node.name)}"
                )
            seen.add(key)
        vms = [vm for node in self.nodes for vm in node.vms]
        path = functools.partial(_vm_path, self.nodes)
        _check_unique_vms(vms, path)
        _check_unique_groups(vms, path)


def _vm_path(nodes: Sequence[Host], index: int) -> str:
    """Return the path of the VM at ``index`` among all the nodes' VMs, in order."""
    paths = [f"nodes[{n}].vms[{v}]" for n, node in enumerate(nodes) for v in range(len(node.vms))]
    return paths[index]


def hosts_of(target: Host | Cluster) -> tuple[Host, ...]:
    """Return the hosts of ``target``: itself, or the nodes of a cluster."""
    return target.nodes if isinstance(target, Cluster) else (target,)
