"""Hypothesis strategies that build valid inventory objects.

Every strategy here returns objects that satisfy all the invariants the model
checks at construction, so a test can use them as "any inventory" without
filtering. The objects are kept small (a few VMs, disks and volumes) so that
property tests stay fast.

Names are drawn from a mix of realistic ones (``"C:"``, ``"SQL01"``), names
that differ only in case (``"Data"`` / ``"data"``), non-ASCII ones (``"Straße"``,
``"ΣΊΣΥΦΟΣ"``, CJK, emoji) and random text. Where the model compares names
without regard to case (computer, cluster group, virtual network and volume
names), uniqueness is enforced on the case-folded form; where it compares them
exactly (VM and disk names), only exact duplicates are avoided, so names that
differ only in case do occur together.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from hypothesis import strategies as st

from hyperv_backup.model import (
    VM,
    Attachment,
    BackupApplication,
    Checkpoint,
    CheckpointType,
    Cluster,
    ClusterGroup,
    Disk,
    FileServer,
    FileSystem,
    GuestDiskType,
    GuestOS,
    Host,
    HostOS,
    HostStorage,
    HostVolume,
    NetworkAdapter,
    NetworkKind,
    ReplicationRole,
    ResourceState,
    SnapshotType,
    VhdType,
    VirtualNetwork,
    VMState,
    Volume,
)

__all__ = [
    "backup_applications",
    "case_variants",
    "checkpoints",
    "cluster_groups",
    "clusters",
    "disks",
    "hosts",
    "inventories",
    "names",
    "network_adapters",
    "update_ids",
    "virtual_networks",
    "vms",
    "volumes",
]

#: Names worth meeting often: realistic ones, pairs that differ only in case,
#: characters whose case mapping changes length, and characters that look like
#: path syntax.
_NOTABLE_NAMES = (
    "C:",
    "c:",
    "D:",
    "E:",
    "SQL01",
    "sql01",
    "Data",
    "data",
    "System",
    "HV-NODE1",
    "hv-node1",
    "Production",
    "Straße",
    "STRASSE",
    "ΣΊΣΥΦΟΣ",
    "σίσυφος",
    "İstanbul",
    "Ünïcødé",
    "数据库",
    "仮想マシン",
    "😀 backup",
    " padded ",
    "a.b[0]",
    "\\\\?\\Volume{5e1b7a8c-2d4f-11df-9c3a-806e6f6e6963}\\",
)

_NAMES = st.one_of(
    st.sampled_from(_NOTABLE_NAMES),
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=8).filter(lambda s: s.strip() != ""),
)
_OPTIONAL_NAMES = st.one_of(st.none(), _NAMES)

# Built once: building strategies inside a draw costs more than drawing from them.
_FILE_SYSTEMS = st.sampled_from(FileSystem)
_GUEST_DISK_TYPES = st.sampled_from(GuestDiskType)
_ATTACHMENTS = st.sampled_from(Attachment)
_VHD_TYPES = st.one_of(st.none(), st.sampled_from(VhdType))
_HOST_STORAGES = st.sampled_from(HostStorage)
_RESOURCE_STATES = st.sampled_from(ResourceState)
_VM_STATES = st.sampled_from(VMState)
_HOST_OSES = st.sampled_from(HostOS)
_VHD_PATHS = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "D:\\Hyper-V\\VM\\disk.vhdx",
            "C:\\ClusterStorage\\Volume1\\VM\\data.vhd",
            "\\\\filer\\vms\\ünïcødé.vhdx",
            "C:\\ClusterStorage\\Volume2\\GC\\shared.vhds",
        ]
    ),
    _NAMES,
)


#: Files a checkpoint leaves beside a VM's disks, and names of any kind.
_AVHDX_PATHS = st.one_of(
    st.sampled_from(
        [
            "D:\\Hyper-V\\VM\\disk_6B8F1C2A-0D3E-4F5A-9B7C-1D2E3F4A5B6C.avhdx",
            "C:\\ClusterStorage\\Volume1\\VM\\data_0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9.avhdx",
            "D:\\Hyper-V\\VM\\disk.vhdx",
        ]
    ),
    _NAMES,
)
_TIMES = st.one_of(
    st.none(),
    st.datetimes(datetime(2009, 1, 1), datetime(2030, 1, 1), timezones=st.just(UTC)),
)


@st.composite
def checkpoints(draw: st.DrawFn) -> Checkpoint:
    """Generate checkpoints of any kind, dated or not, with or without a parent and disks."""
    return Checkpoint(
        name=draw(_NAMES),
        snapshot_type=draw(st.one_of(st.none(), st.sampled_from(SnapshotType))),
        created_at=draw(_TIMES),
        parent=draw(_OPTIONAL_NAMES),
        disk_paths=draw(st.lists(_AVHDX_PATHS, max_size=2)),
    )


def names() -> st.SearchStrategy[str]:
    """Generate names the model accepts: strings that are not empty or only whitespace."""
    return _NAMES


def case_variants(name: str) -> list[str]:
    """Return spellings of ``name`` that differ in case but compare equal to it.

    Equality is the model's: the case-folded forms are the same. ``name`` itself
    is always the first item.
    """
    key = name.casefold()
    candidates = (name, name.upper(), name.lower(), name.swapcase(), name.title())
    return [v for v in dict.fromkeys(candidates) if v.casefold() == key and v.strip()]


def _pick(draw: st.DrawFn, options: Sequence[str]) -> str:
    """Draw one of ``options`` (a non-empty sequence)."""
    return options[draw(st.integers(0, len(options) - 1))]


def _same_name(draw: st.DrawFn, name: str) -> str:
    """Draw ``name`` in some spelling that compares equal to it without regard to case."""
    return _pick(draw, case_variants(name))


def _distinct_names(
    draw: st.DrawFn, *, min_size: int = 0, max_size: int, ignore_case: bool
) -> list[str]:
    """Draw names distinct as the model compares them.

    With ``ignore_case`` the case-folded forms differ. Without it only exact
    duplicates are avoided, and some names are followed by another spelling of
    themselves (``"Data"``, ``"data"``) to check that such pairs are accepted.
    """
    base = draw(st.lists(_NAMES, min_size=min_size, max_size=max_size, unique_by=str.casefold))
    if ignore_case:
        return base
    result: list[str] = []
    for name in base:
        result.append(name)
        others = case_variants(name)[1:]
        if others and draw(st.integers(0, 3)) == 0:
            result.append(_pick(draw, others))
    return result[: max(max_size, min_size)]


_UPDATE_IDS = st.one_of(
    st.sampled_from(["KB958184", "KB975354", "KB982210", "KB976932", "KB2919355"]),
    st.from_regex(r"KB[0-9]{6,7}", fullmatch=True),
).flatmap(lambda kb: st.sampled_from([kb, kb.lower(), f" {kb} "]))


def update_ids() -> st.SearchStrategy[str]:
    """Generate Knowledge Base article IDs as a host may report them: any case, maybe padded."""
    return _UPDATE_IDS


def volumes(
    *,
    name: st.SearchStrategy[str] | None = None,
    shadow_storage: st.SearchStrategy[str | None] | None = None,
) -> st.SearchStrategy[Volume]:
    """Generate guest volumes.

    ``shadow_storage`` defaults to ``None`` or any name. A volume on its own
    accepts any name there; a VM only accepts a name of one of its own volumes,
    which is why :func:`disks` and :func:`vms` choose it themselves.
    """
    return st.builds(
        Volume,
        name=_NAMES if name is None else name,
        file_system=_FILE_SYSTEMS,
        vss_enabled=st.booleans(),
        shadow_storage=_OPTIONAL_NAMES if shadow_storage is None else shadow_storage,
    )


def _volume(draw: st.DrawFn, name: str, shadow_targets: Sequence[str]) -> Volume:
    shadow = None
    if shadow_targets:
        shadow = draw(st.one_of(st.none(), st.just(_same_name(draw, _pick(draw, shadow_targets)))))
    return Volume(
        name=name,
        file_system=draw(_FILE_SYSTEMS),
        vss_enabled=draw(st.booleans()),
        shadow_storage=shadow,
    )


def _disk(
    draw: st.DrawFn, name: str, volume_names: Sequence[str], shadow_targets: Sequence[str]
) -> Disk:
    attachment = draw(_ATTACHMENTS)
    is_vhd = attachment is Attachment.VIRTUAL_HARD_DISK
    return Disk(
        name=name,
        attachment=attachment,
        guest_disk_type=draw(_GUEST_DISK_TYPES),
        volumes=[_volume(draw, v, shadow_targets) for v in volume_names],
        path=draw(_VHD_PATHS) if is_vhd else None,
        vhd_type=draw(_VHD_TYPES) if is_vhd else None,
        host_storage=draw(_HOST_STORAGES),
        shared=is_vhd and draw(st.booleans()),
        file_size=draw(st.one_of(st.none(), st.integers(0, 2**42))) if is_vhd else None,
        chain=draw(st.lists(_AVHDX_PATHS, max_size=2)) if is_vhd else (),
    )


@st.composite
def disks(draw: st.DrawFn, *, name: st.SearchStrategy[str] | None = None) -> Disk:
    """Generate disks with up to three volumes, valid alone and as a VM's only disk.

    Volume names are distinct without regard to case; a volume's
    ``shadow_storage`` is ``None`` or a volume of the same disk (in any case).
    ``path`` and ``vhd_type`` are only set on virtual hard disks.
    """
    disk_name = draw(_NAMES if name is None else name)
    volume_names = _distinct_names(draw, max_size=3, ignore_case=True)
    return _disk(draw, disk_name, volume_names, volume_names)


def network_adapters(
    *, virtual_network: st.SearchStrategy[str | None] | None = None
) -> st.SearchStrategy[NetworkAdapter]:
    """Generate VM network adapters, attached to no virtual network or to one by name."""
    network = _OPTIONAL_NAMES if virtual_network is None else virtual_network
    return st.builds(NetworkAdapter, name=_NAMES, virtual_network=network)


_NETWORK_ADAPTERS = network_adapters()


def cluster_groups(
    *,
    owner: str | st.SearchStrategy[str] | None = None,
    name: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[ClusterGroup]:
    """Generate cluster groups with any combination of resource states.

    ``owner`` is the owning node: a strategy, or a fixed name which is then
    spelled in any case that compares equal to it (as Windows does).
    """
    if owner is None:
        owner_strategy = _NAMES
    elif isinstance(owner, str):
        owner_strategy = st.sampled_from(case_variants(owner))
    else:
        owner_strategy = owner
    return st.builds(
        ClusterGroup,
        name=_NAMES if name is None else name,
        owner_node=owner_strategy,
        cluster_resource=_RESOURCE_STATES,
        configuration_resource=_RESOURCE_STATES,
        storage_resource=_RESOURCE_STATES,
    )


def _cluster_group(draw: st.DrawFn, name: str, owner: str) -> ClusterGroup:
    return ClusterGroup(
        name=_same_name(draw, name),
        owner_node=_same_name(draw, owner),
        cluster_resource=draw(_RESOURCE_STATES),
        configuration_resource=draw(_RESOURCE_STATES),
        storage_resource=draw(_RESOURCE_STATES),
    )


def _vm(
    draw: st.DrawFn,
    name: str,
    cluster_group: ClusterGroup | None,
    network_names: Sequence[str] = (),
) -> VM:
    disk_names = _distinct_names(draw, max_size=3, ignore_case=False)
    volume_names = _distinct_names(draw, max_size=4 if disk_names else 0, ignore_case=True)
    # Spread the VM's volumes over its disks: the names must be unique across
    # the whole VM, and a shadow storage may be on another disk of the VM.
    per_disk: list[list[str]] = [[] for _ in disk_names]
    for volume_name in volume_names:
        per_disk[draw(st.integers(0, len(disk_names) - 1))].append(volume_name)
    adapters = draw(st.lists(_NETWORK_ADAPTERS, max_size=2))
    # The names of checkpoints, or checkpoints with their details: then the
    # names are left out (filled in from them) or given as they are.
    held = draw(st.lists(checkpoints(), max_size=3)) if draw(st.booleans()) else []
    if not held:
        snapshots = draw(st.lists(_NAMES, max_size=3))
    elif draw(st.booleans()):
        snapshots = [c.name for c in reversed(held) if not c.is_replica]
    else:
        snapshots = []
    if network_names:
        # Attach some adapters to networks the host really has.
        adapters = [
            NetworkAdapter(name=a.name, virtual_network=_pick(draw, network_names))
            if draw(st.booleans())
            else a
            for a in adapters
        ]
    return VM(
        name=name,
        state=draw(_VM_STATES),
        integration_services=draw(st.booleans()),
        backup_integration_service=draw(st.booleans()),
        disks=[
            _disk(draw, disk_name, on_disk, volume_names)
            for disk_name, on_disk in zip(disk_names, per_disk, strict=True)
        ],
        network_adapters=adapters,
        snapshots=snapshots,
        cluster_group=cluster_group,
        id=draw(st.one_of(st.none(), st.uuids().map(str))),
        guest_inventoried=draw(st.booleans()),
        checkpoints=held,
        **draw(_LATER_VM_FACTS),
    )


#: The facts the profiles of 2012 and later read; each may be left at its default.
_LATER_VM_FACTS = st.fixed_dictionaries(
    {},
    optional={
        "generation": st.sampled_from([None, 1, 2]),
        "configuration_version": st.sampled_from(
            [None, "5.0", "6.2", "8.0", "9.0", "10.0", "12.0"]
        ),
        "checkpoint_type": st.one_of(st.none(), st.sampled_from(CheckpointType)),
        "guest_os": st.sampled_from(GuestOS),
        "vss_daemon": st.sampled_from([None, True, False]),
        "scsi_controller": st.sampled_from([None, True, False]),
        "fibre_channel_adapters": st.lists(_NAMES, max_size=2),
        "replication_role": st.sampled_from(ReplicationRole),
        "replication_ready": st.booleans(),
        "snapshot_file_location": st.one_of(st.none(), _VHD_PATHS),
        "integration_services_current": st.sampled_from([None, True, False]),
        "writable_file_systems": st.lists(
            st.one_of(st.sampled_from(["ufs", "zfs", "ext4", "xfs", "tmpfs"]), _NAMES), max_size=3
        ),
        "avhdx_files": st.lists(_AVHDX_PATHS, max_size=2),
        "change_tracking_files": st.lists(
            st.sampled_from(["D:\\Hyper-V\\VM\\disk.vhdx.rct", "D:\\Hyper-V\\VM\\disk.vhdx.mrt"]),
            max_size=2,
        ),
    },
)


@st.composite
def vms(
    draw: st.DrawFn,
    *,
    name: st.SearchStrategy[str] | None = None,
    cluster_group: st.SearchStrategy[ClusterGroup | None] | None = None,
) -> VM:
    """Generate VMs with up to three disks and four volumes in all.

    Disk names are distinct (exactly: ``"Data"`` and ``"data"`` may both
    occur); volume names are distinct across the VM without regard to case; a
    ``shadow_storage`` names one of the VM's volumes, possibly on another disk
    and in another case. ``cluster_group`` defaults to ``None`` or any group.
    """
    if cluster_group is None:
        group = _cluster_group(draw, draw(_NAMES), draw(_NAMES)) if draw(st.booleans()) else None
    else:
        group = draw(cluster_group)
    return _vm(draw, draw(_NAMES if name is None else name), group)


def virtual_networks(
    *, name: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[VirtualNetwork]:
    """Generate virtual networks of any kind, with no VLAN or a VLAN ID from 0 to 4094."""
    return st.builds(
        VirtualNetwork,
        name=_NAMES if name is None else name,
        kind=st.sampled_from(NetworkKind),
        physical_adapter=_OPTIONAL_NAMES,
        vlan_id=st.one_of(st.none(), st.integers(0, 4094)),
    )


_VIRTUAL_NETWORKS = virtual_networks()


def backup_applications() -> st.SearchStrategy[BackupApplication]:
    """Generate backup applications with any combination of their flags."""
    return st.builds(
        BackupApplication,
        name=st.one_of(
            st.sampled_from(["Windows Server Backup", "System Center DPM", "Contoso Agent"]),
            _NAMES,
        ),
        uses_hyperv_vss_writer=st.booleans(),
        is_windows_server_backup=st.booleans(),
        hyperv_writer_registered=st.booleans(),
        uses_wmi_backup=st.sampled_from([None, True, False]),
        ignores_non_snapshottable_disks=st.sampled_from([None, True, False]),
        backup_target=st.one_of(
            st.none(), st.sampled_from(["E:\\Backups", "\\\\nas\\backup"]), _NAMES
        ),
        churn_percent=st.one_of(st.none(), st.integers(0, 100)),
    )


_BACKUP_APPLICATIONS = st.one_of(st.none(), backup_applications())


def _host(draw: st.DrawFn, name: str, vm_names: Sequence[str], group_names: Sequence[str]) -> Host:
    """Draw a host named ``name`` holding one VM per name in ``vm_names``.

    ``group_names`` offers one cluster group name per VM (distinct without
    regard to case); each VM either takes its group or stays unclustered.
    Clustered VMs are owned by this host.
    """
    networks = draw(st.lists(_VIRTUAL_NETWORKS, max_size=2, unique_by=lambda n: n.name.casefold()))
    network_names = [n.name for n in networks]
    host_vms = [
        _vm(
            draw,
            vm_name,
            _cluster_group(draw, group_name, name) if draw(st.booleans()) else None,
            network_names,
        )
        for vm_name, group_name in zip(vm_names, group_names, strict=True)
    ]
    return Host(
        name=name,
        os=draw(_HOST_OSES),
        vms=host_vms,
        virtual_networks=networks,
        installed_updates=draw(st.lists(_UPDATE_IDS, max_size=4)),
        backup_application=draw(_BACKUP_APPLICATIONS),
        collected_at=draw(_TIMES),
        file_server_vss_agent=draw(st.sampled_from([None, True, False])),
        file_servers=[
            FileServer(name=server, vss_agent=draw(st.sampled_from([None, True, False])))
            for server in _distinct_names(draw, max_size=2, ignore_case=True)
        ],
        host_volumes=[
            HostVolume(name=volume, free_space=draw(st.integers(0, 2**42)))
            for volume in draw(
                st.lists(
                    st.one_of(
                        st.sampled_from(["C:\\", "D:\\", "C:\\ClusterStorage\\Volume1\\"]), _NAMES
                    ),
                    max_size=2,
                    unique_by=str.casefold,
                )
            )
        ],
    )


@st.composite
def hosts(draw: st.DrawFn, *, name: st.SearchStrategy[str] | None = None) -> Host:
    """Generate standalone hosts with up to three VMs.

    VM names are distinct (exactly; names that differ only in case occur);
    virtual network and cluster group names are distinct without regard to
    case; a VM with a cluster group is owned by this host (its ``owner_node``
    spells the host name in any case). Installed updates may be given in lower
    case or padded; the model normalises them.
    """
    host_name = draw(_NAMES if name is None else name)
    vm_names = _distinct_names(draw, max_size=3, ignore_case=False)
    group_names = _distinct_names(
        draw, min_size=len(vm_names), max_size=len(vm_names), ignore_case=True
    )
    return _host(draw, host_name, vm_names, group_names)


@st.composite
def clusters(draw: st.DrawFn) -> Cluster:
    """Generate failover clusters of one to three nodes and up to five VMs in all.

    Node names and cluster group names are distinct without regard to case, VM
    names are distinct across the whole cluster (exactly), and every clustered
    VM is listed under the node that owns it.
    """
    node_names = _distinct_names(draw, min_size=1, max_size=3, ignore_case=True)
    vm_names = _distinct_names(draw, max_size=5, ignore_case=False)
    group_names = _distinct_names(
        draw, min_size=len(vm_names), max_size=len(vm_names), ignore_case=True
    )
    placement = [draw(st.integers(0, len(node_names) - 1)) for _ in vm_names]
    nodes = []
    for index, node_name in enumerate(node_names):
        mine = [i for i, p in enumerate(placement) if p == index]
        nodes.append(
            _host(draw, node_name, [vm_names[i] for i in mine], [group_names[i] for i in mine])
        )
    level = draw(st.one_of(st.none(), st.integers(8, 12)))
    return Cluster(name=draw(_NAMES), nodes=nodes, functional_level=level)


_INVENTORIES: st.SearchStrategy[Host | Cluster] = st.one_of(hosts(), clusters())


def inventories() -> st.SearchStrategy[Host | Cluster]:
    """Generate inventories: standalone hosts and failover clusters."""
    return _INVENTORIES
