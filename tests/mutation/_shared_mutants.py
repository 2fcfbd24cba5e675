"""Helpers shared by the mutant-killing tests."""

from __future__ import annotations

from hyperv_backup import (
    VM,
    Attachment,
    BackupApplication,
    Cluster,
    ClusterGroup,
    Disk,
    Host,
    HostOS,
    HostStorage,
    ResourceState,
    VMState,
)


def _clustered(patched: bool, *, wsb: bool = False, snapshots: int = 0) -> Cluster:
    on = ResourceState.ONLINE
    vm = VM(
        name="SQL01",
        state=VMState.RUNNING,
        snapshots=[f"s{i}" for i in range(snapshots)],
        disks=[
            Disk(
                name="Data",
                attachment=Attachment.VIRTUAL_HARD_DISK,
                path="\\\\?\\Volume{5e1b7a8c-2d4f-11df-9c3a-806e6f6e6963}\\SQL01.vhd",
                host_storage=HostStorage.CLUSTER_SHARED_VOLUME,
            )
        ],
        cluster_group=ClusterGroup(
            name="SQL01",
            owner_node="N1",
            cluster_resource=on,
            configuration_resource=on,
            storage_resource=on,
        ),
    )
    node = Host(
        name="N1",
        os=HostOS.WINDOWS_SERVER_2008_R2,
        vms=[vm],
        installed_updates=["KB982210", *(["KB958184"] if patched else [])],
        backup_application=BackupApplication(name="WSB", is_windows_server_backup=True)
        if wsb
        else None,
    )
    return Cluster(name="C", nodes=[node])


def _two_node_cluster() -> Cluster:
    """FS01 (offline backup, resources online) and ODD (states not covered), both on N1."""
    on, off = ResourceState.ONLINE, ResourceState.OFFLINE
    vm = VM(
        name="FS01",
        state=VMState.RUNNING,
        integration_services=False,
        cluster_group=ClusterGroup(
            name="FS01",
            owner_node="N1",
            cluster_resource=on,
            configuration_resource=on,
            storage_resource=on,
        ),
    )
    odd = VM(
        name="ODD",
        state=VMState.OFF,
        cluster_group=ClusterGroup(
            name="ODD",
            owner_node="N1",
            cluster_resource=off,
            configuration_resource=on,
            storage_resource=off,
        ),
    )
    node = Host(name="N1", os=HostOS.WINDOWS_SERVER_2008, vms=[vm, odd])
    return Cluster(name="C", nodes=[node, Host(name="N2", os=HostOS.WINDOWS_SERVER_2008)])
