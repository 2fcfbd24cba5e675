"""Putting host and guest records together into a host or a cluster of the model."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from hyperv_backup.collect._disks import under, vm_disks
from hyperv_backup.collect._documents import Problems, bad, build_model, shown
from hyperv_backup.collect._guest import GuestRecord
from hyperv_backup.collect._host import ClusterView, HostRecord, VmRecord
from hyperv_backup.collect._linux import LinuxGuestRecord
from hyperv_backup.inventory import InventoryError, Problem
from hyperv_backup.model import (
    VM,
    Cluster,
    ClusterGroup,
    GuestOS,
    Host,
    ResourceState,
    computer_key,
)

#: A guest document of either kind, read.
AnyGuest = GuestRecord | LinuxGuestRecord

__all__ = ["build"]


def build(hosts: list[HostRecord], guests: Sequence[AnyGuest]) -> Host | Cluster:
    """Return the host, or the cluster, the records describe; raise the problems found."""
    return _Builder(hosts, guests).build()


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

    def __init__(self, hosts: list[HostRecord], guests: Sequence[AnyGuest]) -> None:
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
                        f"a second VM named {shown(record.name)} (the first is {first.where}); "
                        "the inventory needs VM names that are unique",
                    )
                    continue
                names[record.name] = record
                try:
                    group = None if cluster is None else self._group(record, cluster)
                except InventoryError as exc:
                    self.problems.found.extend(exc.problems)
                    continue
                guest = guests.get(record)
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
        level = next(
            (
                h.cluster.functional_level
                for h in self.hosts
                if h.cluster and h.cluster.functional_level
            ),
            None,
        )
        return build_model(
            lambda: Cluster(name=cluster.name, nodes=nodes, functional_level=level), "hosts"
        )

    # --- hosts and the cluster ------------------------------------------------------------

    def _host(self, host: HostRecord, vms: list[VM]) -> Host:
        return build_model(
            lambda: Host(
                name=host.name,
                os=host.os,
                vms=vms,
                virtual_networks=host.networks,
                installed_updates=host.updates,
                backup_application=host.backup_application,
                host_volumes=host.volumes,
                collected_at=host.collected_at,
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
                    f"a second document from {shown(host.name, quoted=False)} (the first is "
                    f"{seen[key].where})",
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
                f"{shown(alone.name, quoted=False)} is not a cluster node, but "
                f"{shown(clustered[0].name, quoted=False)} is; give one standalone host, or the "
                "nodes of one cluster",
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
        cluster = shown(first.name, quoted=False)
        if missing:
            self._problem(
                "hosts",
                f"no document from node(s) {_names(missing)} of cluster {cluster}; "
                "run host.ps1 on every node and give all the documents together "
                "(hyperv-backup collect)",
            )
        for host in hosts:
            if computer_key(host.name) not in names:
                self._problem(
                    f"{host.where}.ComputerName",
                    f"{shown(host.name, quoted=False)} is not a node of cluster {cluster} "
                    f"(nodes: {_names(first.nodes)})",
                )
        for group in first.groups:
            if computer_key(group.owner) not in names:
                self._problem(
                    f"{group.where}.OwnerNode",
                    f"group {shown(group.name)} is owned by {shown(group.owner)}, not a node of "
                    "the cluster",
                )
        return first

    def _compare(self, first: ClusterView, other: ClusterView, a: str, b: str) -> None:
        """Check that the cluster-wide facts are the same in every node's document."""

        def differ(where: str, what: str, mine: object, theirs: object) -> None:
            # None: that document does not list the thing at all.
            said = {
                who: "nothing" if value is None else shown(value)
                for who, value in ((a, mine), (b, theirs))
            }
            self._problem(
                where,
                f"the documents disagree about {what}: {shown(a, quoted=False)}'s says "
                f"{said[a]}, {shown(b, quoted=False)}'s says {said[b]}; collect every node "
                "again, at the same time",
            )

        if computer_key(first.name) != computer_key(other.name):
            differ(f"{other.where}.Name", "the cluster", first.name, other.name)
            return
        if {computer_key(n) for n in first.nodes} != {computer_key(n) for n in other.nodes}:
            differ(f"{other.where}.Nodes", "the nodes", first.nodes, other.nodes)
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
                        f"{what} {shown(key)}",
                        mine.get(key),
                        theirs.get(key),
                    )

    def _group(self, vm: VmRecord, cluster: ClusterView) -> ClusterGroup | None:
        """Return the cluster group of ``vm``, found by its id in the VM resources, or ``None``."""
        key = vm.key
        if key is None:
            return None
        resources = [r for r in cluster.resources if r.type == "virtual machine" and r.vm_id == key]
        if not resources:
            return None
        if len(resources) > 1:
            raise bad(
                resources[1].where, f"a second 'Virtual Machine' resource for VM {shown(vm.name)}"
            )
        resource = resources[0]
        name = (resource.group or "").casefold()
        group = next((g for g in cluster.groups if g.name.casefold() == name), None)
        if group is None:
            raise bad(
                f"{resource.where}.OwnerGroup",
                f"resource {shown(resource.name)} of VM {shown(vm.name)} is in no group the "
                "document lists",
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
                f"group {shown(group.name)} of VM {shown(vm.name)} has {len(configuration)} "
                "'Virtual Machine Configuration' resources for it; expected one",
            )
        storage = [
            r.state
            for r in cluster.resources
            if r.type == "physical disk" and (r.group or "").casefold() == name
        ]
        storage += [
            csv.state
            for csv in cluster.shared_volumes
            if any(under(d.path, csv.path) for d in vm.drives if d.path is not None)
        ]
        if not storage:
            raise bad(
                group.where,
                f"group {shown(group.name)} of VM {shown(vm.name)} has no storage resource: no "
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
        listed = {vm.key for h in self.hosts for vm in h.vms if vm.key is not None}
        per_group: dict[str, list[str]] = {}
        for resource in cluster.resources:
            if resource.type != "virtual machine":
                continue
            if resource.vm_id not in listed:
                self._problem(
                    resource.where,
                    f"resource {shown(resource.name)} is for VM {resource.vm_id}, which no node's "
                    "document lists; collect its owner node again",
                )
            per_group.setdefault((resource.group or "").casefold(), []).append(resource.name)
        for group, names in per_group.items():
            if len(names) > 1:
                self._problem(
                    "hosts",
                    f"group {shown(group)} holds more than one VM ({_names(names)}); the model "
                    "has one VM per cluster group",
                )

    # --- guests ---------------------------------------------------------------------------

    def _match_guests(self) -> dict[VmRecord, AnyGuest]:
        """Guest records by the VM record they belong to."""
        vms = [vm for host in self.hosts for vm in host.vms]
        by_id: dict[str, list[VmRecord]] = {}
        by_name: dict[str, list[VmRecord]] = {}
        for vm in vms:
            if vm.key is not None:
                by_id.setdefault(vm.key, []).append(vm)
            by_name.setdefault(vm.name, []).append(vm)
        matched: dict[VmRecord, AnyGuest] = {}
        for guest in self.guests:
            if guest.vm_id is not None:
                found, how = by_id.get(guest.vm_id, []), f"id {guest.vm_id}"
                field = "VirtualMachineId"
            else:
                found, how = by_name.get(guest.vm_name or "", []), f"name {shown(guest.vm_name)}"
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
            if vm in matched:
                self._problem(
                    guest.where,
                    f"a second guest document for VM {shown(vm.name)} (the first is "
                    f"{matched[vm].where})",
                )
                continue
            matched[vm] = guest
        return matched

    # --- VMs and disks --------------------------------------------------------------------

    def _vm(
        self,
        record: VmRecord,
        group: ClusterGroup | None,
        guest: AnyGuest | None,
        cluster: ClusterView | None,
    ) -> VM:
        shared = [] if cluster is None else [csv.path for csv in cluster.shared_volumes]
        later = record.later
        # A Linux or FreeBSD guest document gives its family and VSS daemon,
        # not the disk and volume facts of a Windows guest.
        linux = guest if isinstance(guest, LinuxGuestRecord) else None
        windows = guest if isinstance(guest, GuestRecord) else None
        disks = vm_disks(record, windows, shared)
        if linux is not None:
            guest_os = linux.guest_os
        else:
            guest_os = GuestOS.UNKNOWN if windows is None else GuestOS.WINDOWS
        return build_model(
            lambda: VM(
                name=record.name,
                state=record.state,
                integration_services=True if windows is None else windows.integration_services,
                backup_integration_service=record.backup_service_enabled
                and (windows is None or windows.backup_service_enabled),
                disks=disks,
                network_adapters=record.adapters,
                snapshots=record.snapshots,
                cluster_group=group,
                id=record.id,
                guest_inventoried=windows is not None,
                generation=later.generation,
                configuration_version=later.configuration_version,
                checkpoint_type=later.checkpoint_type,
                guest_os=guest_os,
                vss_daemon=None if linux is None else linux.vss_daemon,
                scsi_controller=later.scsi_controller,
                fibre_channel_adapters=later.fibre_channel_adapters,
                replication_role=later.replication_role,
                replication_ready=later.replication_ready,
                snapshot_file_location=later.snapshot_file_location,
                integration_services_current=later.integration_services_current,
                writable_file_systems=() if linux is None else linux.writable_file_systems,
                checkpoints=record.checkpoints,
                avhdx_files=record.avhdx_files,
                change_tracking_files=record.change_tracking_files,
            ),
            record.where,
        )

    def _problem(self, path: str, message: str) -> None:
        self.problems.found.append(Problem(path, message))


def _names(names: Sequence[str]) -> str:
    """Join names from the documents for a message, each shortened."""
    return ", ".join(shown(name, quoted=False) for name in names)
