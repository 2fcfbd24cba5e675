"""Reading one host document (``host.ps1``) into plain records.

The records keep what the model needs and where in the document each thing
came from; :mod:`hyperv_backup.collect` puts them together with the other
documents into a host or cluster.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import TypeVar

import attrs

from hyperv_backup.collect._catalogs import CatalogExport, read_catalog
from hyperv_backup.collect._documents import Problems, PSValue, bad, shown
from hyperv_backup.collect._events import EventExport, read_event_logs
from hyperv_backup.collect._tables import (
    CLUSTER_GROUP_STATES,
    CLUSTER_RESOURCE_STATES,
    CONTROLLER_TYPES,
    SERVER_PRODUCT_TYPES,
    SWITCH_TYPES,
    VHD_TYPES,
    VM_STATE_VERSION_DEPENDENT,
    VM_STATES,
    VM_STATES_WMI_V1,
    BusClass,
    host_os,
)
from hyperv_backup.inventory import InventoryError, Problem
from hyperv_backup.model import (
    BackupApplication,
    Checkpoint,
    CheckpointType,
    HostOS,
    HostVolume,
    ModelError,
    NetworkAdapter,
    ReplicationRole,
    ResourceState,
    SnapshotType,
    VhdType,
    VirtualNetwork,
    VMState,
    computer_key,
)
from hyperv_backup.readers import hyperv_writer, normal_guid, vssadmin_writers

__all__ = [
    "VSS_INTEGRATION_SERVICE_ID",
    "ClusterView",
    "Drive",
    "GroupRecord",
    "HostRecord",
    "ResourceRecord",
    "SharedVolumeRecord",
    "VmRecord",
    "check_document",
    "disk_id",
    "read_host",
]

#: The language-neutral id of the backup (volume shadow copy) integration
#: service: the last part of ``Get-VMIntegrationService`` ``Id``
#: (``Microsoft:<VM id>\\5CED1297-...``). Its ``Name`` is localized; this id is
#: not (docs/collector-formats.md, "Integration services").
VSS_INTEGRATION_SERVICE_ID = "5CED1297-4598-4915-A5FC-AD21BB4D02A4"

#: The interfaces a host document may have read Hyper-V through, and the VM
#: state numbering of each.
_VM_STATE_TABLES = {"module": VM_STATES, "wmi-v1": VM_STATES_WMI_V1}

_RESOURCE_VM = "virtual machine"
_RESOURCE_CONFIGURATION = "virtual machine configuration"
_RESOURCE_DISK = "physical disk"

_WSB_NAME = "Windows Server Backup"
#: The value ``Application Identifier`` has when the Hyper-V VSS writer is
#: registered with Windows Server Backup (KB958662; rule HVB102).
_WSB_HYPERV = "Hyper-V"

_E = TypeVar("_E")

_SIGNATURE = re.compile(r"(?:0x)?([0-9a-fA-F]{1,8})")


@attrs.frozen
class Drive:
    """A hard disk drive in a VM's configuration."""

    name: str
    bus: BusClass
    path: str | None
    disk_number: int | None
    disk_id: str | None
    vhd_type: VhdType | None
    size: int | None
    where: str
    #: ``SupportPersistentReservations``: shared by a guest cluster.
    shared: bool = False
    #: ``Get-VHD`` ``FileSize``: the bytes the file takes on the host.
    file_size: int | None = None
    #: The files a differencing disk rests on, its parent first (``ParentPath``, followed).
    chain: tuple[str, ...] = ()

    @property
    def pass_through(self) -> bool:
        """A host disk attached directly: it has a host disk number."""
        return self.disk_number is not None


@attrs.frozen
class LaterFacts:
    """What ``host.ps1`` reads for the profiles of Windows Server 2012 and later."""

    generation: int | None = None
    configuration_version: str | None = None
    checkpoint_type: CheckpointType | None = None
    scsi_controller: bool | None = None
    fibre_channel_adapters: tuple[str, ...] = ()
    replication_role: ReplicationRole = ReplicationRole.NONE
    replication_ready: bool = True
    snapshot_file_location: str | None = None
    integration_services_current: bool | None = None


#: The later facts of a document that has none of them.
_NO_LATER_FACTS = LaterFacts()


@attrs.frozen
class VmRecord:
    """A VM as the host document describes it."""

    name: str
    #: The id as the document gives it, and ``key``, the same GUID in the
    #: form ids are compared in.
    id: str | None
    key: str | None
    state: VMState
    backup_service_enabled: bool
    drives: tuple[Drive, ...]
    snapshots: tuple[str, ...]
    adapters: tuple[NetworkAdapter, ...]
    where: str
    #: The facts the profiles of 2012 and later read; absent from older
    #: documents, which leave them unknown.
    later: LaterFacts = attrs.field(factory=lambda: _NO_LATER_FACTS)
    #: The checkpoints, with what the document says of each (``snapshots``
    #: are the names of those that are not Hyper-V Replica recovery points).
    checkpoints: tuple[Checkpoint, ...] = ()
    #: The differencing disks and change tracking files of the VM's folders.
    avhdx_files: tuple[str, ...] = ()
    change_tracking_files: tuple[str, ...] = ()


@attrs.frozen
class GroupRecord:
    """A cluster group: its owner and its own state (checked, not used)."""

    name: str
    owner: str
    state: ResourceState | None
    where: str


@attrs.frozen
class ResourceRecord:
    """A cluster resource of one of the types the adapter reads."""

    name: str
    type: str
    group: str | None
    state: ResourceState
    vm_id: str | None
    where: str


@attrs.frozen
class SharedVolumeRecord:
    """A Cluster Shared Volume and the folder it is mounted on."""

    name: str
    path: str
    state: ResourceState
    where: str


@attrs.frozen
class ClusterView:
    """The cluster as one node's document saw it."""

    name: str
    nodes: tuple[str, ...]
    groups: tuple[GroupRecord, ...]
    resources: tuple[ResourceRecord, ...]
    shared_volumes: tuple[SharedVolumeRecord, ...]
    where: str
    #: ``ClusterFunctionalLevel``; ``None`` where the document has none (2012 R2).
    functional_level: int | None = None


@attrs.frozen
class HostRecord:
    """One host document, read."""

    name: str
    os: HostOS
    vms: tuple[VmRecord, ...]
    networks: tuple[VirtualNetwork, ...]
    updates: frozenset[str]
    backup_application: BackupApplication | None
    #: What to say before a backup about the host's Hyper-V VSS writer, read
    #: from ``vssadmin list writers``; ``None`` when it is listed and stable.
    writer_note: str | None
    cluster: ClusterView | None
    where: str
    #: The events ``-EventHours`` exported beside the document, if it was given.
    event_logs: EventExport | None = None
    #: The host's local volumes and their free space (``Win32_Volume``).
    volumes: tuple[HostVolume, ...] = ()
    #: When the document was written (its ``CollectedAt``), if it says.
    collected_at: datetime | None = None
    #: The Windows Server Backup catalogue ``-Catalog`` exported beside the document, if it was given.
    catalog: CatalogExport | None = None


def disk_id(node: PSValue) -> str | None:
    """Return a disk's identity: an MBR signature (8 hex digits) or GPT disk GUID, or ``None``.

    The signature may be a number (``Win32_DiskDrive.Signature``) or hex text
    (diskpart's ``Disk ID``); 0 means the disk has none.
    """
    value = node.value
    if value is None or value == "":
        return None
    if type(value) is int:
        if not 0 <= value <= 0xFFFFFFFF:
            raise bad(node.path, f"expected an MBR signature (32 bits), got {shown(value)}")
        return None if value == 0 else f"{value:08X}"
    if isinstance(value, str):
        guid = normal_guid(value.strip())
        if guid is not None:
            return guid.upper()
        signature = _SIGNATURE.fullmatch(value.strip())
        if signature is not None:
            number = int(signature.group(1), 16)
            return None if number == 0 else f"{number:08X}"
    raise bad(
        node.path,
        f"expected a disk id (an MBR signature or a GPT disk GUID), got {shown(value, kind=True)}",
    )


def read_host(doc: PSValue, problems: Problems) -> HostRecord | None:
    """Read a host document; note its problems and return ``None`` when it has any."""
    before = len(problems.found)
    name = problems.attempt(lambda: doc.get("ComputerName").text())
    os = problems.attempt(lambda: _os(doc.get("OperatingSystem")))
    api = problems.attempt(lambda: _api(doc.get("HyperVApi")))
    vms: list[VmRecord] = []
    if api is not None:
        vms = problems.each(problems.items(doc, "VMs"), lambda item: _vm(item, api))
    networks = problems.each(problems.items(doc, "VMSwitches"), _network)
    updates = problems.attempt(lambda: _updates(doc.get("HotFixes")))
    app = problems.attempt(lambda: _backup_application(doc.get("WindowsServerBackup")))
    writers = problems.attempt(lambda: _writers(doc.opt("VssWriters")))
    # Kept with the host: a report says how old the facts it rests on are.
    collected = problems.attempt(lambda: doc.opt("CollectedAt").opt_date())
    cluster = problems.attempt(lambda: _cluster(doc.get("Cluster"), problems))
    event_logs = problems.attempt(lambda: read_event_logs(doc, name or ""))
    catalog = problems.attempt(lambda: read_catalog(doc, name or ""))
    # Absent from documents of collectors that did not read volumes yet.
    listed = problems.attempt(lambda: list(doc.opt("HostVolumes").items())) or []
    volumes = problems.each(listed, _host_volume)
    if len(problems.found) > before or name is None or os is None or updates is None:
        return None
    return HostRecord(
        name=name,
        os=os,
        vms=tuple(vms),
        networks=tuple(networks),
        updates=updates,
        backup_application=app,
        writer_note=_writer_note(writers),
        cluster=cluster,
        where=doc.path,
        event_logs=event_logs,
        volumes=tuple(volumes),
        collected_at=collected,
        catalog=catalog,
    )


def _host_volume(node: PSValue) -> HostVolume:
    name = node.get("Name").text()
    free = node.get("FreeSpace")
    try:
        return HostVolume(name=name, free_space=free.integer())
    except ModelError as exc:
        raise bad(free.path, exc.reason) from None


def _os(node: PSValue) -> HostOS:
    version_node = node.get("Version")
    version = version_node.text()
    product = node.opt("ProductType")
    if not product.is_null and product.integer() not in SERVER_PRODUCT_TYPES:
        raise bad(
            product.path,
            f"ProductType {shown(product.value)} is a client edition of Windows (Hyper-V on "
            "Windows 10 or 11); the guidance and this model are for Windows Server",
        )
    found = host_os(version)
    if found is None:
        raise bad(
            version_node.path,
            f"Windows version {shown(version)} is not a Windows Server release this package "
            "knows (2008 to 2025, long-term servicing builds)",
        )
    return found


def _api(node: PSValue) -> str:
    api = node.text()
    if api not in _VM_STATE_TABLES:
        known = ", ".join(repr(k) for k in _VM_STATE_TABLES)
        raise bad(node.path, f"expected one of {known}, got {shown(api)}")
    return api


def _vm(node: PSValue, api: str) -> VmRecord:
    name = node.get("Name").text()
    vm_id = node.opt("Id").opt_text()
    key = node.opt("Id").opt_guid()
    table = _VM_STATE_TABLES[api]
    state = node.model_code(
        "State",
        table,
        "VM state",
        version_dependent=VM_STATE_VERSION_DEPENDENT if api == "module" else None,
        advice="; take the inventory again once the VM has settled",
    )
    problems = Problems()
    enabled = problems.attempt(lambda: _backup_service(node.get("IntegrationServices")))
    drives = problems.each(problems.items(node, "HardDrives"), _drive)
    seen: dict[str, str] = {}
    for drive in drives:
        if drive.name in seen:
            message = f"a second drive at {drive.name} (the first is at {seen[drive.name]})"
            problems.found.append(Problem(drive.where, message))
        seen[drive.name] = drive.where
    checkpoints = problems.attempt(lambda: _checkpoints(node.get("Snapshots")))
    adapters = problems.each(problems.items(node, "NetworkAdapters"), _adapter)
    later = problems.attempt(lambda: _later_facts(node))
    found = problems.attempt(lambda: _folder_files(node.opt("FolderFiles")))
    problems.raise_any()
    assert later is not None  # noqa: S101 - no problem noted
    assert enabled is not None  # noqa: S101 - no problem noted, so both were read
    assert checkpoints is not None  # noqa: S101
    assert found is not None  # noqa: S101
    avhdx_files, change_tracking_files = found
    return VmRecord(
        name=name,
        id=vm_id,
        key=key,
        state=state,
        backup_service_enabled=enabled,
        drives=tuple(drives),
        snapshots=tuple(c.name for c in checkpoints if not c.is_replica),
        adapters=tuple(adapters),
        where=node.path,
        later=later,
        checkpoints=checkpoints,
        avhdx_files=avhdx_files,
        change_tracking_files=change_tracking_files,
    )


#: ``SnapshotType`` of Get-VMSnapshot, by its name (the values of its
#: ``-SnapshotType`` parameter); absent from older documents and from Windows
#: Server 2008 and 2008 R2, which leave it unknown.
SNAPSHOT_TYPES = {
    "standard": SnapshotType.STANDARD,
    "recovery": SnapshotType.RECOVERY,
    "planned": SnapshotType.PLANNED,
    "missing": SnapshotType.MISSING,
    "replica": SnapshotType.REPLICA,
    "appconsistentreplica": SnapshotType.APP_CONSISTENT_REPLICA,
    "syncedreplica": SnapshotType.SYNCED_REPLICA,
}
#: The extensions of the files of a VM's folders the document lists, and which list each goes to.
_DIFFERENCING_FILES = (".avhdx", ".avhd")
_CHANGE_TRACKING_FILES = (".rct", ".mrt")

#: ``CheckpointType`` of Get-VM (Windows Server 2016 and later), by its name.
#: Read by name: the numbers of some Hyper-V module enums (docs/collector-formats.md, "Get-VM")
#: (ReplicationState among them) differ between module versions.
CHECKPOINT_TYPES = {
    "production": CheckpointType.PRODUCTION,
    "productiononly": CheckpointType.PRODUCTION_ONLY,
    "standard": CheckpointType.STANDARD,
    "disabled": CheckpointType.DISABLED,
}
#: ``ReplicationMode`` of Get-VM, by its name; test and extended replicas are replicas.
REPLICATION_MODES = {
    "none": ReplicationRole.NONE,
    "primary": ReplicationRole.PRIMARY,
    "replica": ReplicationRole.REPLICA,
    "testreplica": ReplicationRole.REPLICA,
    "extendedreplica": ReplicationRole.REPLICA,
}
#: ``IntegrationServicesState`` of Get-VM, by its English text; any other text
#: (empty from 2016 on, or translated) leaves the fact unknown
#: (docs/collector-formats.md, "Get-VM").
INTEGRATION_SERVICES_STATES = {"uptodate": True, "updaterequired": False}
#: The ``ReplicationState`` names of a replica in a normal state: any other
#: (initial replication, resynchronisation, failover, suspended...) is not
#: ready for a backup (HVB618).
READY_REPLICATION_STATES = frozenset({"replicating", "syncedreplicationcomplete"})


def _by_name(node: PSValue, table: Mapping[str, _E], what: str) -> _E | None:
    text = node.opt_text()
    if text is None:
        return None
    value = table.get("".join(text.split()).casefold())
    if value is None:
        known = ", ".join(repr(k) for k in table)
        raise bad(node.path, f"unknown {what} {shown(text)}; known (any case): {known}")
    return value


def _later_facts(node: PSValue) -> LaterFacts:
    """Read the optional facts of the later profiles; absent ones stay unknown."""
    role = _by_name(node.opt("ReplicationModeName"), REPLICATION_MODES, "replication mode")
    ready = True
    if role is ReplicationRole.REPLICA:
        state = node.opt("ReplicationStateName").opt_text()
        health = node.opt("ReplicationHealthName").opt_text()
        ready = (
            state is not None
            and "".join(state.split()).casefold() in READY_REPLICATION_STATES
            and (health or "").strip().casefold() != "critical"
        )
    hbas = tuple(item.get("Name").text() for item in node.opt("FibreChannelHbas").items())
    state_text = node.opt("IntegrationServicesStateName").opt_text()
    current = (
        None
        if state_text is None
        else INTEGRATION_SERVICES_STATES.get("".join(state_text.split()).casefold())
    )
    return LaterFacts(
        generation=node.opt("Generation").opt_integer(),
        configuration_version=node.opt("Version").opt_text(),
        checkpoint_type=_by_name(
            node.opt("CheckpointTypeName"), CHECKPOINT_TYPES, "checkpoint type"
        ),
        scsi_controller=node.opt("HasScsiController").opt_flag(),
        fibre_channel_adapters=hbas,
        replication_role=role or ReplicationRole.NONE,
        replication_ready=ready,
        snapshot_file_location=node.opt("SnapshotFileLocation").opt_text(),
        integration_services_current=current,
    )


def _backup_service(node: PSValue) -> bool:
    found: list[PSValue] = []
    wanted = normal_guid(VSS_INTEGRATION_SERVICE_ID)
    for item in node.items():
        service_id = item.get("Id").text()
        # Microsoft:<VM id>\<service id>: the service is one of the parts.
        if any(normal_guid(part.strip()) == wanted for part in service_id.split("\\")):
            found.append(item)
    if not found:
        raise bad(
            node.path,
            f"no integration service with the backup (volume shadow copy) id "
            f"{VSS_INTEGRATION_SERVICE_ID}; services are matched by id, not by their "
            "localized name",
        )
    if len(found) > 1:
        raise bad(found[1].path, "a second backup (volume shadow copy) integration service")
    return found[0].get("Enabled").flag()


def _drive(node: PSValue) -> Drive:
    controller = node.model_code("ControllerType", CONTROLLER_TYPES, "controller type")
    number = node.get("ControllerNumber").integer()
    location = node.get("ControllerLocation").integer()
    name = f"{controller} {number}:{location}"
    disk_number = node.opt("DiskNumber").opt_integer()
    path = node.opt("Path").opt_text()
    size = node.opt("Size").opt_integer()
    if disk_number is not None:
        # A pass-through drive: a host disk number. Whatever Path shows for it
        # is a description of the host disk, not a file (docs/collector-formats.md,
        # "Virtual hard disks and drives").
        return Drive(
            name=name,
            bus=controller,
            path=None,
            disk_number=disk_number,
            disk_id=disk_id(node.opt("DiskId")),
            vhd_type=None,
            size=size,
            where=node.path,
        )
    if path is None:
        raise bad(
            node.path,
            f"drive {name} has neither a VHD path nor a host disk number (DiskNumber)",
        )
    error = node.opt("VhdError")
    reason = error.opt_text()
    if reason is not None:
        # host.ps1 could not read the file (Get-VHD failed): its type is unknown.
        raise bad(
            error.path,
            f"the host could not read the virtual hard disk {shown(path)} "
            f"({shown(reason, quoted=False)}); its type is needed: fix what stops Get-VHD "
            "and collect again",
        )
    vhd_type = None
    if node.has("VhdType") or node.has("VhdTypeName"):
        vhd_type = node.model_code("VhdType", VHD_TYPES, "VHD type")
    return Drive(
        name=name,
        bus=controller,
        path=path,
        disk_number=None,
        disk_id=None,
        vhd_type=vhd_type,
        size=size,
        where=node.path,
        shared=node.opt("SupportPersistentReservations").opt_flag() or False,
        file_size=node.opt("FileSize").opt_integer(),
        chain=tuple(item.text() for item in node.opt("ParentPaths").items()),
    )


def _checkpoint(item: PSValue) -> Checkpoint:
    return Checkpoint(
        name=item.get("Name").text(),
        snapshot_type=_by_name(item.opt("SnapshotTypeName"), SNAPSHOT_TYPES, "checkpoint kind"),
        created_at=item.opt("CreationTime").opt_date(),
        parent=item.opt("ParentSnapshotName").opt_text(),
        disk_paths=tuple(path.text() for path in item.opt("DiskPaths").items()),
    )


def _checkpoints(node: PSValue) -> tuple[Checkpoint, ...]:
    read = [_checkpoint(item) for item in node.items()]
    dated = [(c.created_at, c) for c in read if c.created_at is not None]
    if len(dated) == len(read):
        # Oldest first, as Hyper-V Manager lists them; the sort is stable for equal times.
        return tuple(c for _, c in sorted(dated, key=lambda entry: entry[0]))
    return tuple(read)


def _folder_files(node: PSValue) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the differencing disks and the change tracking files the document lists, once each.

    A folder several VMs, or several disks of one VM, share is listed for
    each; a file is kept once, in any case.
    """
    found: dict[str, str] = {}
    for item in node.items():
        path = item.text()
        found.setdefault(computer_key(path), path)
    files = list(found.values())
    return (
        tuple(f for f in files if f.casefold().endswith(_DIFFERENCING_FILES)),
        tuple(f for f in files if f.casefold().endswith(_CHANGE_TRACKING_FILES)),
    )


def _adapter(node: PSValue) -> NetworkAdapter:
    return NetworkAdapter(
        name=node.get("Name").text(), virtual_network=node.opt("SwitchName").opt_text()
    )


def _network(node: PSValue) -> VirtualNetwork:
    name = node.get("Name").text()
    kind = node.model_code("SwitchType", SWITCH_TYPES, "switch type")
    adapter = node.opt("NetAdapterInterfaceDescription").opt_text()
    vlan = node.opt("VlanId")
    vlan_id = vlan.opt_integer()
    try:
        return VirtualNetwork(name=name, kind=kind, physical_adapter=adapter, vlan_id=vlan_id)
    except ModelError as exc:
        raise bad(vlan.path, exc.reason) from None


def _updates(node: PSValue) -> frozenset[str]:
    ids: set[str] = set()
    for item in node.items():
        hotfix = item.get("HotFixID").text() if isinstance(item.value, Mapping) else item.text()
        ids.add(hotfix.strip().upper())
    return frozenset(ids)


def _backup_application(node: PSValue) -> BackupApplication | None:
    """Windows Server Backup, when it is installed; otherwise unknown (``None``).

    An installed Windows Server Backup is taken as the backup application: the
    host document cannot see any other product. ``Installed`` is null where the
    host cannot say (Windows Server 2008 has no ServerManager module): unknown
    too.
    """
    installed = node.get("Installed")
    if installed.is_null or not installed.flag():
        return None
    identifier = node.get("ApplicationIdentifier").opt_text()
    return BackupApplication(
        name=_WSB_NAME,
        is_windows_server_backup=True,
        hyperv_writer_registered=identifier is not None and identifier.strip() == _WSB_HYPERV,
    )


def _writers(node: PSValue) -> str | None:
    return None if node.is_null else node.raw_text()


def _writer_note(text: str | None) -> str | None:
    """Say what, if anything, the ``vssadmin list writers`` text tells about the Hyper-V writer."""
    if text is None:
        return "the document has no 'vssadmin list writers' output"
    try:
        writer = hyperv_writer(vssadmin_writers(text))
    except InventoryError as exc:
        return f"the 'vssadmin list writers' output cannot be read: {exc.problems[0]}"
    if writer is None:
        return (
            "the Hyper-V VSS writer is not listed by vssadmin; a host-level backup "
            "cannot include the VMs until it is (is the Hyper-V role installed?)"
        )
    if writer.state != 1:
        return (
            f"the Hyper-V VSS writer is in state [{writer.state}], not stable "
            f"(last error: {shown(writer.last_error, quoted=False)})"
        )
    return None


# --- the cluster section -----------------------------------------------------------------


def _cluster(node: PSValue, problems: Problems) -> ClusterView | None:
    if node.is_null:
        return None
    name = node.get("Name").name()
    nodes = tuple(item.name() for item in node.get("Nodes").items())
    if not nodes:
        raise bad(f"{node.path}.Nodes", "a cluster has at least one node, got none")
    groups = problems.each(problems.items(node, "Groups"), _group)
    resources = problems.each(problems.items(node, "Resources"), _resource)
    volumes = problems.each(problems.items(node, "SharedVolumes"), _shared_volume)
    return ClusterView(
        name=name,
        nodes=nodes,
        groups=tuple(groups),
        resources=tuple(resources),
        shared_volumes=tuple(volumes),
        where=node.path,
        functional_level=node.opt("FunctionalLevel").opt_integer(),
    )


def _group(node: PSValue) -> GroupRecord:
    code = node.code("State", CLUSTER_GROUP_STATES, "cluster group state")
    return GroupRecord(
        name=node.get("Name").text(),
        owner=node.get("OwnerNode").name(),
        state=code.value,
        where=node.path,
    )


def _resource(node: PSValue) -> ResourceRecord | None:
    kind = node.get("ResourceType").name()
    if kind.casefold() not in {_RESOURCE_VM, _RESOURCE_CONFIGURATION, _RESOURCE_DISK}:
        return None  # IP addresses, network names and the like: not the VM's
    state = node.model_code(
        "State",
        CLUSTER_RESOURCE_STATES,
        "cluster resource state",
        advice="; take the inventory again once the resource has settled",
    )
    group = node.opt("OwnerGroup")
    vm_id = node.opt("VmId").opt_guid()
    if kind.casefold() != _RESOURCE_DISK and vm_id is None:
        raise bad(
            f"{node.path}.VmId",
            f"a {shown(kind)} resource needs the id of its VM (its VmID parameter)",
        )
    return ResourceRecord(
        name=node.get("Name").text(),
        type=kind.casefold(),
        group=None if group.is_null else group.name(),
        state=state,
        vm_id=vm_id,
        where=node.path,
    )


def _shared_volume(node: PSValue) -> SharedVolumeRecord:
    return SharedVolumeRecord(
        name=node.get("Name").text(),
        path=node.get("Path").text(),
        state=node.model_code(
            "State",
            CLUSTER_RESOURCE_STATES,
            "cluster shared volume state",
            advice="; take the inventory again once the volume has settled",
        ),
        where=node.path,
    )


def check_document(doc: PSValue, marker: str) -> None:
    """Check that ``doc`` is an object whose ``collector`` is ``marker``."""
    if not isinstance(doc.value, Mapping):
        raise bad(
            doc.path,
            f"expected a collector document (a JSON object), got {shown(doc.value, kind=True)}",
        )
    found = doc.opt("collector")
    if found.is_null:
        raise bad(
            found.path,
            f'required field missing: not a collector document (expected "collector": {marker!r})',
        )
    value = found.value
    if value != marker:
        raise bad(found.path, f"expected {marker!r}, got {shown(value)}")
