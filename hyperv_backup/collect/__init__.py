r"""From collector output to an inventory: the documents ``host.ps1`` and ``guest.ps1`` print.

The two PowerShell scripts in this package (``host.ps1``, ``guest.ps1``) each
print one JSON document. :func:`from_documents` turns the documents of one host,
or of every node of one failover cluster, plus those of any guests, into a
:class:`~hyperv_backup.model.Host` or :class:`~hyperv_backup.model.Cluster`:

* one host document that is not from a cluster node gives a ``Host``;
* the documents of every node of one cluster give a ``Cluster``; each VM is
  listed under the node that owns its cluster group;
* a guest document is matched to its VM by the VM id the guest reads from
  Hyper-V's data exchange (``VirtualMachineId``), or, when it has none, by
  the VM's name (``VirtualMachineName``); never by the guest's computer name.
  A VM without a guest document is ``guest_inventoried=False``.

Documents are what PowerShell writes: JSON text (UTF-8, or UTF-8 or UTF-16 with
a byte-order mark), or the already parsed object. Anything that cannot be read
with certainty, an unknown enum code above all, raises an
:class:`~hyperv_backup.inventory.InventoryError` whose problems name the place,
such as ``hosts[0].VMs[2].State``.

>>> document = {
...     "collector": "hyperv_backup.host/1", "ComputerName": "HV01",
...     "OperatingSystem": {"Version": "6.1.7601", "ProductType": 3},
...     "HyperVApi": "module", "VMSwitches": [], "HotFixes": ["KB982210"],
...     "WindowsServerBackup": {"Installed": False}, "Cluster": None,
...     "VMs": {"Name": "WEB01", "Id": "6f9a2c1e-0b1d-4c51-9d0e-3c2b7a1f0e11",
...             "State": 2, "StateName": "Running",
...             "IntegrationServices": [{"Id": "Microsoft:6F9A2C1E-0B1D-4C51-9D0E-3C2B7A1F0E11"
...                                            "\\5CED1297-4598-4915-A5FC-AD21BB4D02A4",
...                                      "Enabled": True}],
...             "HardDrives": [], "Snapshots": None, "NetworkAdapters": None}}
>>> host = from_documents([document])
>>> host.vms[0].state, host.vms[0].guest_inventoried
(<VMState.RUNNING: 'running'>, False)
>>> document["VMs"].update(State=32785, StateName="RunningCritical")
>>> from_documents([document])
Traceback (most recent call last):
...
hyperv_backup.inventory.InventoryError: hosts[0].VMs[0].State: VM state 32785 (given as 'RunningCritical') is version-dependent: codes from 32783 on mean different things in different Hyper-V module versions, so it is not read
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from hyperv_backup.collect._documents import Node, Problems, bad
from hyperv_backup.collect._guest import GuestDisk, GuestRecord, GuestVolume, read_guest
from hyperv_backup.collect._host import (
    VSS_INTEGRATION_SERVICE_ID,
    ClusterView,
    Drive,
    HostRecord,
    VmRecord,
    check_document,
    guid_key,
    read_host,
)
from hyperv_backup.collect._tables import (
    BUS_TYPES,
    CLUSTER_GROUP_STATES,
    CLUSTER_RESOURCE_STATES,
    CONTROLLER_TYPES,
    HOST_OS_VERSIONS,
    PARTITION_STYLES,
    SWITCH_TYPES,
    VHD_TYPES,
    VM_STATE_VERSION_DEPENDENT,
    VM_STATES,
    VM_STATES_WMI_V1,
    BusClass,
    Code,
)
from hyperv_backup.inventory import InventoryError, Problem, _decode, _loads
from hyperv_backup.model import (
    VM,
    Attachment,
    Cluster,
    ClusterGroup,
    Disk,
    GuestDiskType,
    Host,
    HostStorage,
    ModelError,
    ResourceState,
    Volume,
    computer_key,
)

__all__ = [
    "BUS_TYPES",
    "CLUSTER_GROUP_STATES",
    "CLUSTER_RESOURCE_STATES",
    "CONTROLLER_TYPES",
    "GUEST_COLLECTOR",
    "HOST_COLLECTOR",
    "HOST_OS_VERSIONS",
    "PARTITION_STYLES",
    "SWITCH_TYPES",
    "VHD_TYPES",
    "VM_STATES",
    "VM_STATES_WMI_V1",
    "VM_STATE_VERSION_DEPENDENT",
    "VSS_INTEGRATION_SERVICE_ID",
    "BusClass",
    "Code",
    "Document",
    "collector_kind",
    "from_documents",
    "load_document",
    "read_documents",
    "script_path",
    "writer_notes",
]

_T = TypeVar("_T")

#: The ``collector`` value of a document ``host.ps1`` prints.
HOST_COLLECTOR = "hyperv_backup.host/1"
#: The ``collector`` value of a document ``guest.ps1`` prints.
GUEST_COLLECTOR = "hyperv_backup.guest/1"

#: A collector document: JSON text, its bytes, or the parsed object.
Document = Mapping[str, Any] | str | bytes


def script_path(name: str) -> Path:
    """Return the path of a collector script shipped in this package (``"host.ps1"``).

    >>> script_path("guest.ps1").name
    'guest.ps1'
    """
    if name not in {"host.ps1", "guest.ps1"}:
        msg = f"no collector script named {name!r}; known: 'host.ps1', 'guest.ps1'"
        raise KeyError(msg)
    return Path(__file__).with_name(name)


def collector_kind(document: object) -> str | None:
    """Return ``"host"`` or ``"guest"`` for a parsed collector document, else ``None``.

    >>> collector_kind({"collector": "hyperv_backup.guest/1"}), collector_kind({"kind": "host"})
    ('guest', None)
    """
    if not isinstance(document, Mapping):
        return None
    marker = next((v for k, v in document.items() if str(k).casefold() == "collector"), None)
    if not isinstance(marker, str) or not marker.startswith("hyperv_backup."):
        return None
    return {HOST_COLLECTOR: "host", GUEST_COLLECTOR: "guest"}.get(marker, "unknown")


def load_document(data: str | bytes) -> Any:
    r"""Return the parsed JSON of ``data``, read as strictly as an inventory is.

    Bytes may be UTF-8, or UTF-8 or UTF-16 with a byte-order mark. A duplicate
    key, ``NaN`` or text that is not JSON raises :class:`InventoryError`.

    >>> load_document(b'\xff\xfe{\x00}\x00')
    {}
    """
    return _parse(data, "").value


def _parse(document: Document, path: str) -> Node:
    if isinstance(document, bytes | bytearray):
        data = bytes(document)
        document = _in(path, lambda: _decode(data))
    if isinstance(document, str):
        text = document
        return Node(_in(path, lambda: _loads(text)), path)
    return Node(document, path)


def _in(path: str, read: Callable[[], _T]) -> _T:
    """Run ``read``, putting ``path`` in front of the paths of its problems."""
    if not path:
        return read()
    try:
        return read()
    except InventoryError as exc:
        raise InventoryError(
            [Problem(f"{path}.{p.path}" if p.path else path, p.message) for p in exc.problems]
        ) from None


def _documents(documents: Sequence[Document], label: str) -> list[Node]:
    if isinstance(documents, str | bytes | Mapping):
        msg = f"{label}: expected a sequence of documents, got one {type(documents).__name__}"
        raise TypeError(msg)
    return [_parse(document, f"{label}[{i}]") for i, document in enumerate(documents)]


def from_documents(hosts: Sequence[Document], guests: Sequence[Document] = ()) -> Host | Cluster:
    """Build the inventory of one host, or one cluster, from collector documents.

    ``hosts`` are documents printed by ``host.ps1``: one for a standalone host,
    one per node for a cluster. ``guests`` are documents printed by
    ``guest.ps1`` inside the VMs. Raises :class:`InventoryError` for anything
    that cannot be read with certainty, naming each problem's place.
    """
    problems = Problems()
    host_nodes = problems.each(_documents(hosts, "hosts"), _checked(HOST_COLLECTOR))
    guest_nodes = problems.each(_documents(guests, "guests"), _checked(GUEST_COLLECTOR))
    problems.raise_any()
    if not host_nodes:
        raise bad("hosts", "no host document given; run host.ps1 on the host (or on each node)")
    records = [r for n in host_nodes if (r := read_host(n, problems)) is not None]
    guest_records = [g for n in guest_nodes if (g := read_guest(n, problems)) is not None]
    problems.raise_any()
    return _Builder(records, guest_records).build()


def _checked(marker: str) -> Callable[[Node], Node]:
    def check(node: Node) -> Node:
        check_document(node, marker)
        return node

    return check


def read_documents(
    host_paths: Sequence[str | os.PathLike[str]],
    guest_paths: Sequence[str | os.PathLike[str]] = (),
) -> Host | Cluster:
    """Read collector documents from files and build the inventory (see :func:`from_documents`).

    A missing or unreadable file raises the usual :class:`OSError`.
    """
    hosts = [Path(p).read_bytes() for p in host_paths]
    guests = [Path(p).read_bytes() for p in guest_paths]
    return from_documents(hosts, guests)


def writer_notes(hosts: Sequence[Document]) -> tuple[str, ...]:
    """Say, for each host document, whether its Hyper-V VSS writer looks ready for a backup.

    The model has no place for the writer's state, so no rule reads it; a
    writer that is missing or not stable is still worth a look before the
    backup. Reads the ``vssadmin list writers`` text of each document; a host
    whose writer is listed and stable gives no note.
    """
    from hyperv_backup.readers import hyperv_writer, vssadmin_writers  # noqa: PLC0415

    notes = []
    for node in _documents(hosts, "hosts"):
        name = node.opt("ComputerName").value if isinstance(node.value, Mapping) else None
        who = name if isinstance(name, str) else node.path
        text = node.opt("VssWriters").value if isinstance(node.value, Mapping) else None
        if not isinstance(text, str):
            notes.append(f"{who}: the document has no 'vssadmin list writers' output")
            continue
        try:
            writer = hyperv_writer(vssadmin_writers(text))
        except InventoryError as exc:
            notes.append(
                f"{who}: the 'vssadmin list writers' output cannot be read: {exc.problems[0]}"
            )
            continue
        if writer is None:
            notes.append(
                f"{who}: the Hyper-V VSS writer is not listed by vssadmin; a host-level backup "
                "cannot include the VMs until it is (is the Hyper-V role installed?)"
            )
        elif writer.state != 1:
            notes.append(
                f"{who}: the Hyper-V VSS writer is in state [{writer.state}], not stable "
                f"(last error: {writer.last_error})"
            )
    return tuple(notes)


# --- putting the documents together --------------------------------------------------------


def _storage_state(states: Sequence[ResourceState]) -> ResourceState:
    """One state for the storage of a VM's group, from each of its storage resources.

    All the same: that state. Otherwise a failed resource makes it FAILED, then a
    pending one PENDING; a mix of online and offline is PARTIAL_ONLINE.
    """
    distinct = set(states)
    if len(distinct) == 1:
        return states[0]
    for state in (ResourceState.FAILED, ResourceState.PENDING):
        if state in distinct:
            return state
    return ResourceState.PARTIAL_ONLINE


class _Builder:
    """Puts host and guest records together into the model."""

    def __init__(self, hosts: list[HostRecord], guests: list[GuestRecord]) -> None:
        self.hosts = hosts
        self.guests = guests
        self.problems = Problems()

    def build(self) -> Host | Cluster:
        cluster = self._cluster_view()
        guests = self._match_guests()
        self.problems.raise_any()
        placed: dict[str, list[VM]] = {computer_key(h.name): [] for h in self.hosts}
        names: dict[str, VmRecord] = {}
        for host in self.hosts:
            for record in host.vms:
                if record.name in names:
                    first = names[record.name]
                    self._problem(
                        f"{record.where}.Name",
                        f"a second VM named {record.name!r} (the first is {first.where}); "
                        "the inventory needs VM names that are unique",
                    )
                    continue
                names[record.name] = record
                try:
                    group = None if cluster is None else self._group(record, cluster)
                except InventoryError as exc:
                    self.problems.found.extend(exc.problems)
                    continue
                guest = guests.get(id(record))
                vm = self.problems.attempt(
                    functools.partial(self._vm, record, group, guest, cluster)
                )
                if vm is None:
                    continue
                owner = host.name if group is None else group.owner_node
                placed[computer_key(owner)].append(vm)
        if cluster is not None:
            self._check_groups_have_vms(cluster)
        self.problems.raise_any()
        nodes = [self._host(host, placed[computer_key(host.name)]) for host in self.hosts]
        if cluster is None:
            return nodes[0]
        return _model(lambda: Cluster(name=cluster.name, nodes=nodes))

    # --- hosts and the cluster ------------------------------------------------------------

    def _host(self, host: HostRecord, vms: list[VM]) -> Host:
        return _model(
            lambda: Host(
                name=host.name,
                os=host.os,
                vms=vms,
                virtual_networks=host.networks,
                installed_updates=host.updates,
                backup_application=host.backup_application,
            ),
            host.where,
        )

    def _cluster_view(self) -> ClusterView | None:
        """Return the cluster the host documents come from, after checking they agree; or ``None``."""
        hosts = self.hosts
        seen: dict[str, HostRecord] = {}
        for host in hosts:
            key = computer_key(host.name)
            if key in seen:
                self._problem(
                    f"{host.where}.ComputerName",
                    f"a second document from {host.name} (the first is {seen[key].where})",
                )
            seen[key] = host
        clustered = [h for h in hosts if h.cluster is not None]
        if not clustered:
            if len(hosts) > 1:
                self._problem(
                    hosts[1].where,
                    "several documents from hosts that are not cluster nodes; give one "
                    "standalone host, or the nodes of one cluster",
                )
            return None
        if len(clustered) < len(hosts):
            alone = next(h for h in hosts if h.cluster is None)
            self._problem(
                f"{alone.where}.Cluster",
                f"{alone.name} is not a cluster node, but {clustered[0].name} is; give one "
                "standalone host, or the nodes of one cluster",
            )
            return None
        first = clustered[0].cluster
        assert first is not None  # noqa: S101 - clustered hosts have a cluster view
        for host in clustered[1:]:
            assert host.cluster is not None  # noqa: S101
            self._compare(first, host.cluster, clustered[0].name, host.name)
        names = {computer_key(n): n for n in first.nodes}
        given = {computer_key(h.name) for h in hosts}
        missing = [n for k, n in names.items() if k not in given]
        if missing:
            self._problem(
                "hosts",
                f"no document from node(s) {', '.join(missing)} of cluster {first.name}; "
                "run host.ps1 on every node and give all the documents together "
                "(hyperv-backup collect)",
            )
        for host in hosts:
            if computer_key(host.name) not in names:
                self._problem(
                    f"{host.where}.ComputerName",
                    f"{host.name} is not a node of cluster {first.name} "
                    f"(nodes: {', '.join(first.nodes)})",
                )
        for group in first.groups:
            if computer_key(group.owner) not in names:
                self._problem(
                    f"{group.where}.OwnerNode",
                    f"group {group.name!r} is owned by {group.owner!r}, not a node of the cluster",
                )
        return first

    def _compare(self, first: ClusterView, other: ClusterView, a: str, b: str) -> None:
        """Check that the cluster-wide facts are the same in every node's document."""

        def differ(where: str, what: str, mine: object, theirs: object) -> None:
            self._problem(
                where,
                f"the documents disagree about {what}: {a}'s says {mine}, {b}'s says "
                f"{theirs}; collect every node again, at the same time",
            )

        if computer_key(first.name) != computer_key(other.name):
            differ(f"{other.where}.Name", "the cluster", repr(first.name), repr(other.name))
            return
        if {computer_key(n) for n in first.nodes} != {computer_key(n) for n in other.nodes}:
            differ(f"{other.where}.Nodes", "the nodes", list(first.nodes), list(other.nodes))
        views = (
            (
                "Groups",
                "group",
                lambda v: {g.name.casefold(): (computer_key(g.owner), g.state) for g in v.groups},
            ),
            (
                "Resources",
                "resource",
                lambda v: {
                    r.name.casefold(): (r.type, r.group, r.state, r.vm_id) for r in v.resources
                },
            ),
            (
                "SharedVolumes",
                "shared volume",
                lambda v: {
                    s.name.casefold(): (s.path.casefold(), s.state) for s in v.shared_volumes
                },
            ),
        )
        for field, what, facts in views:
            mine, theirs = facts(first), facts(other)
            for key in sorted(set(mine) | set(theirs)):
                if mine.get(key) != theirs.get(key):
                    differ(
                        f"{other.where}.{field}",
                        f"{what} {key!r}",
                        _shown(mine.get(key)),
                        _shown(theirs.get(key)),
                    )

    def _group(self, vm: VmRecord, cluster: ClusterView) -> ClusterGroup | None:
        """Return the cluster group of ``vm``, found by its id in the VM resources, or ``None``."""
        if vm.id is None:
            return None
        key = guid_key(vm.id)
        resources = [r for r in cluster.resources if r.type == "virtual machine" and r.vm_id == key]
        if not resources:
            return None
        if len(resources) > 1:
            raise bad(resources[1].where, f"a second 'Virtual Machine' resource for VM {vm.name!r}")
        resource = resources[0]
        name = (resource.group or "").casefold()
        group = next((g for g in cluster.groups if g.name.casefold() == name), None)
        if group is None:
            raise bad(
                f"{resource.where}.OwnerGroup",
                f"resource {resource.name!r} of VM {vm.name!r} is in no group the document lists",
            )
        configuration = [
            r
            for r in cluster.resources
            if r.type == "virtual machine configuration"
            and (r.group or "").casefold() == name
            and r.vm_id == key
        ]
        if len(configuration) != 1:
            raise bad(
                group.where,
                f"group {group.name!r} of VM {vm.name!r} has {len(configuration)} 'Virtual "
                "Machine Configuration' resources for it; expected one",
            )
        storage = [
            r.state
            for r in cluster.resources
            if r.type == "physical disk" and (r.group or "").casefold() == name
        ]
        storage += [
            csv.state
            for csv in cluster.shared_volumes
            if any(_under(d.path, csv.path) for d in vm.drives if d.path is not None)
        ]
        if not storage:
            raise bad(
                group.where,
                f"group {group.name!r} of VM {vm.name!r} has no storage resource: no "
                "'Physical Disk' in the group and no Cluster Shared Volume under its disks",
            )
        return ClusterGroup(
            name=group.name,
            owner_node=group.owner,
            cluster_resource=resource.state,
            configuration_resource=configuration[0].state,
            storage_resource=_storage_state(storage),
        )

    def _check_groups_have_vms(self, cluster: ClusterView) -> None:
        listed = {guid_key(vm.id) for h in self.hosts for vm in h.vms if vm.id is not None}
        per_group: dict[str, list[str]] = {}
        for resource in cluster.resources:
            if resource.type != "virtual machine":
                continue
            if resource.vm_id not in listed:
                self._problem(
                    resource.where,
                    f"resource {resource.name!r} is for VM {resource.vm_id}, which no node's "
                    "document lists; collect its owner node again",
                )
            per_group.setdefault((resource.group or "").casefold(), []).append(resource.name)
        for group, names in per_group.items():
            if len(names) > 1:
                self._problem(
                    "hosts",
                    f"group {group!r} holds more than one VM ({', '.join(names)}); the model "
                    "has one VM per cluster group",
                )

    # --- guests ---------------------------------------------------------------------------

    def _match_guests(self) -> dict[int, GuestRecord]:
        """Guest records by the ``id()`` of the VM record they belong to."""
        vms = [vm for host in self.hosts for vm in host.vms]
        by_id: dict[str, list[VmRecord]] = {}
        by_name: dict[str, list[VmRecord]] = {}
        for vm in vms:
            if vm.id is not None:
                by_id.setdefault(guid_key(vm.id), []).append(vm)
            by_name.setdefault(vm.name, []).append(vm)
        matched: dict[int, GuestRecord] = {}
        for guest in self.guests:
            if guest.vm_id is not None:
                found, how = by_id.get(guest.vm_id, []), f"id {guest.vm_id}"
                field = "VirtualMachineId"
            else:
                found, how = by_name.get(guest.vm_name or "", []), f"name {guest.vm_name!r}"
                field = "VirtualMachineName"
            if len(found) != 1:
                self._problem(
                    f"{guest.where}.{field}",
                    f"no VM with the {how} in the host documents"
                    if not found
                    else f"{len(found)} VMs have the {how}",
                )
                continue
            vm = found[0]
            if id(vm) in matched:
                self._problem(
                    guest.where,
                    f"a second guest document for VM {vm.name!r} (the first is "
                    f"{matched[id(vm)].where})",
                )
                continue
            matched[id(vm)] = guest
        return matched

    # --- VMs and disks --------------------------------------------------------------------

    def _vm(
        self,
        record: VmRecord,
        group: ClusterGroup | None,
        guest: GuestRecord | None,
        cluster: ClusterView | None,
    ) -> VM:
        shared = [] if cluster is None else [csv.path for csv in cluster.shared_volumes]
        disks = _disks(record, guest, shared)
        return _model(
            lambda: VM(
                name=record.name,
                state=record.state,
                integration_services=True if guest is None else guest.integration_services,
                backup_integration_service=record.backup_service_enabled
                and (guest is None or guest.backup_service_enabled),
                disks=disks,
                network_adapters=record.adapters,
                snapshots=record.snapshots,
                cluster_group=group,
                id=record.id,
                guest_inventoried=guest is not None,
            ),
            record.where,
        )

    def _problem(self, path: str, message: str) -> None:
        self.problems.found.append(Problem(path, message))


def _shown(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, tuple):
        return "(" + ", ".join(_shown(v) for v in value) + ")"
    if isinstance(value, ResourceState):
        return value.value
    return repr(value)


def _under(path: str, folder: str) -> bool:
    base = folder.rstrip("\\").casefold()
    return path.casefold().startswith(base + "\\")


def _host_storage(path: str | None, shared: Sequence[str]) -> HostStorage:
    if path is None:
        return HostStorage.LOCAL
    if any(_under(path, folder) for folder in shared):
        return HostStorage.CLUSTER_SHARED_VOLUME
    if path.startswith("\\\\") and not path.startswith("\\\\?\\"):
        return HostStorage.SMB
    # SAN and host iSCSI look like local paths; no rule tells them apart.
    return HostStorage.LOCAL


def _model(build: Callable[[], _T], where: str = "") -> _T:
    """Build a model object; its refusal becomes an :class:`InventoryError` at ``where``."""
    try:
        return build()
    except ModelError as exc:
        if where and exc.path:
            # The model names its own field; the document's place comes first.
            raise bad(where, f"in the inventory, {exc.path}: {exc.reason}") from None
        raise bad(where or exc.path, exc.reason) from None


def _disks(vm: VmRecord, guest: GuestRecord | None, shared: Sequence[str]) -> list[Disk]:
    """Return the VM's disks: its drives, with the guest's facts on those the guest sees.

    The guest's iSCSI disks follow its drives.
    """
    pairs: dict[int, GuestDisk] = {} if guest is None else _pair(vm, guest)
    volumes = {} if guest is None else _place_volumes(guest)
    disks = []
    for drive in vm.drives:
        seen = pairs.get(id(drive))
        disks.append(
            Disk(
                name=drive.name,
                attachment=Attachment.PASS_THROUGH
                if drive.pass_through
                else Attachment.VIRTUAL_HARD_DISK,
                guest_disk_type=_disk_type(seen),
                volumes=() if seen is None else _model_volumes(volumes.get(seen.number, []), guest),
                path=drive.path,
                vhd_type=drive.vhd_type,
                host_storage=_host_storage(drive.path, shared),
            )
        )
    if guest is not None:
        for disk in guest.disks:
            if disk.iscsi:
                disks.append(
                    Disk(
                        name=f"iSCSI disk {disk.number}",
                        attachment=Attachment.GUEST_ISCSI,
                        guest_disk_type=_disk_type(disk),
                        volumes=_model_volumes(volumes.get(disk.number, []), guest),
                    )
                )
    return disks


def _disk_type(disk: GuestDisk | None) -> GuestDiskType:
    return GuestDiskType.DYNAMIC if disk is not None and disk.dynamic else GuestDiskType.BASIC


def _model_volumes(volumes: list[GuestVolume], guest: GuestRecord | None) -> list[Volume]:
    assert guest is not None  # noqa: S101 - volumes come from a guest
    return [
        Volume(
            name=v.name,
            file_system=v.file_system,
            vss_enabled=guest.vss_enabled,
            shadow_storage=guest.shadow_storage.get(v.name),
        )
        for v in volumes
    ]


def _pair(vm: VmRecord, guest: GuestRecord) -> dict[int, GuestDisk]:
    """Match the guest's disks (not iSCSI) to the VM's drives; ``id(drive)`` -> guest disk.

    Each step pairs only what it proves, then the next step looks at what is
    left: a drive named in the guest document (``HostDrive``); the same disk
    id (a pass-through disk's signature or GUID); the same size in bytes,
    unique on both sides; the only IDE (or SCSI) disk on both sides, when the
    bus of every disk left is known; the only disk left on both sides. The last
    two never pair a drive and a disk whose known sizes, ids or buses differ.
    """
    pairing = _Pairing(vm, [d for d in guest.disks if not d.iscsi])
    pairing.named()
    while pairing.disks and pairing.drives and pairing.step():
        pass
    if pairing.disks:
        left = ", ".join(d.name for d in pairing.drives) or "none"
        raise InventoryError(
            [
                Problem(
                    disk.where,
                    f"cannot tell which drive of VM {vm.name!r} guest disk {disk.number} is "
                    f'(drives left: {left}); name it in HostDrive, such as "SCSI 0:1"',
                )
                for disk in pairing.disks
            ]
        )
    return pairing.pairs


class _Pairing:
    """The drives and guest disks not yet matched, and the pairs found so far."""

    def __init__(self, vm: VmRecord, disks: list[GuestDisk]) -> None:
        self.vm = vm
        self.drives = list(vm.drives)
        self.disks = disks
        self.pairs: dict[int, GuestDisk] = {}

    def pair(self, drive: Drive, disk: GuestDisk) -> None:
        self.pairs[id(drive)] = disk
        self.drives.remove(drive)
        self.disks.remove(disk)

    def named(self) -> None:
        """Pair the disks whose drive the document names (``HostDrive``)."""
        for disk in list(self.disks):
            if disk.host_drive is None:
                continue
            wanted = " ".join(disk.host_drive.split()).casefold()
            drive = next((d for d in self.drives if d.name.casefold() == wanted), None)
            if drive is None:
                names = ", ".join(d.name for d in self.vm.drives) or "none"
                raise bad(
                    f"{disk.where}.HostDrive",
                    f"VM {self.vm.name!r} has no drive {disk.host_drive!r} left to match "
                    f"(drives: {names})",
                )
            self.pair(drive, disk)

    def step(self) -> bool:
        """Pair what the identity, size, bus and last-one rules prove; say whether any was."""
        before = len(self.disks)
        for disk in list(self.disks):
            same = [
                d for d in self.drives if disk.disk_id is not None and d.disk_id == disk.disk_id
            ]
            if len(same) == 1:
                self.pair(same[0], disk)
        sizes = [d.size for d in self.disks]
        for disk in list(self.disks):
            if disk.size is not None and sizes.count(disk.size) == 1:
                same = [d for d in self.drives if d.size == disk.size]
                if len(same) == 1:
                    self.pair(same[0], disk)
        if all(d.bus is not None for d in self.disks):
            for bus in (BusClass.IDE, BusClass.SCSI):
                disks = [d for d in self.disks if d.bus == bus]
                drives = [d for d in self.drives if d.bus == bus]
                if len(disks) == 1 and len(drives) == 1 and _compatible(drives[0], disks[0]):
                    self.pair(drives[0], disks[0])
        if (
            len(self.disks) == 1
            and len(self.drives) == 1
            and _compatible(self.drives[0], self.disks[0])
        ):
            self.pair(self.drives[0], self.disks[0])
        return len(self.disks) < before


def _compatible(drive: Drive, disk: GuestDisk) -> bool:
    """Whether nothing both sides know says the drive and the guest disk differ."""
    return not any(
        mine is not None and theirs is not None and mine != theirs
        for mine, theirs in (
            (drive.size, disk.size),
            (drive.disk_id, disk.disk_id),
            (drive.bus, disk.bus if disk.bus in (BusClass.IDE, BusClass.SCSI) else None),
        )
    )


def _place_volumes(guest: GuestRecord) -> dict[int, list[GuestVolume]]:
    """Guest disk number -> the volumes on it.

    A volume the document ties to no disk (a volume on a dynamic disk, which has
    no partition of its own; or a volume read from ``diskpart list volume``)
    goes on the guest's only disk, or else on its first dynamic disk: the
    VM is then backed up offline through HVB303 whichever dynamic disk holds
    it.
    """
    numbers = {d.number for d in guest.disks}
    dynamic = [d.number for d in guest.disks if d.dynamic]
    placed: dict[int, list[GuestVolume]] = {}
    problems: list[Problem] = []
    for volume in guest.volumes:
        target: int | None = None
        if volume.disks:
            unknown = [n for n in volume.disks if n not in numbers]
            if unknown:
                problems.append(
                    Problem(
                        f"{volume.where}.DiskNumbers",
                        f"volume {volume.name} is on disk {unknown[0]}, which the document "
                        "does not list",
                    )
                )
                continue
            target = volume.disks[0]
        elif len(numbers) == 1:
            target = next(iter(numbers))
        elif dynamic:
            target = dynamic[0]
        else:
            problems.append(
                Problem(
                    volume.where,
                    f"cannot tell which disk holds volume {volume.name}: the document ties it "
                    "to none (DiskNumbers) and the guest has several disks",
                )
            )
            continue
        placed.setdefault(target, []).append(volume)
    if problems:
        raise InventoryError(problems)
    return placed
