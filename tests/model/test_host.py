"""Hosts, virtual networks and clusters.

Every check made at construction raises :class:`ModelError`, a ``ValueError``
whose ``path`` is the field concerned (relative to the object being built),
whose ``value`` is the bad value, and whose message names both.
"""

from __future__ import annotations

from typing import Any

import pytest

from hyperv_backup.model import (
    Cluster,
    ModelError,
    NetworkKind,
    VirtualNetwork,
)
from tests.model._shared_model import (
    _group,
    _host,
    _model_error,
    _vm,
)

# --- hosts -----------------------------------------------------------------------------


def test_duplicate_vm_name_on_host_rejected() -> None:
    """Two VMs on one host cannot have the same name."""
    _model_error(
        lambda: _host(vms=[_vm("SQL01"), _vm("WEB01"), _vm("SQL01")]), "vms[2].name", "SQL01"
    )


def test_vm_names_compare_exactly() -> None:
    """VM names compare exactly: "SQL01" and "sql01" are two VMs on a host and in a cluster."""
    host = _host(vms=[_vm("SQL01"), _vm("sql01")])
    assert [vm.name for vm in host.vms] == ["SQL01", "sql01"]
    cluster = Cluster(
        name="C", nodes=[_host("A", vms=[_vm("SQL01")]), _host("B", vms=[_vm("sql01")])]
    )
    assert len(cluster.nodes) == 2


@pytest.mark.parametrize(
    ("host", "owner"),
    [
        ("HV-NODE1", "HV-NODE1"),
        ("HV-NODE1", "hv-node1"),
        ("hv-Node1", "HV-NODE1"),
        ("ÜBER-HV", "über-hv"),
    ],
)
def test_owner_node_compares_without_case(host: str, owner: str) -> None:
    """A clustered VM is owned by the host it is listed under; computer names ignore case."""
    built = _host(host, vms=[_vm(cluster_group=_group(owner=owner))])
    group = built.vms[0].cluster_group
    assert group is not None
    assert group.owner_node == owner


def test_clustered_vm_under_other_node_rejected() -> None:
    """A clustered VM listed under a node other than its group's owner_node is rejected."""
    error = _model_error(
        lambda: _host(
            "HV-NODE2", vms=[_vm("WEB01"), _vm("SQL01", cluster_group=_group(owner="HV-NODE1"))]
        ),
        "vms[1].cluster_group.owner_node",
        "HV-NODE1",
    )
    assert "'SQL01'" in str(error)
    assert "'HV-NODE2'" in str(error)


def test_unclustered_vm_on_any_host() -> None:
    """A VM without a cluster group may be listed under any host."""
    assert _host("HV-NODE2", vms=[_vm("MGMT01")]).vms[0].cluster_group is None


@pytest.mark.parametrize("second", ["SQL01 Resources", "sql01 resources"])
def test_duplicate_cluster_group_on_host_rejected(second: str) -> None:
    """Two VMs on a host cannot have cluster groups with one name (compared without case)."""
    _model_error(
        lambda: _host(
            vms=[
                _vm("SQL01", cluster_group=_group("SQL01 Resources")),
                _vm("WEB01", cluster_group=_group(second)),
            ]
        ),
        "vms[1].cluster_group.name",
        second,
    )


def test_duplicate_cluster_group_is_named_among_unclustered_vms() -> None:
    """VMs without a cluster group are passed over, and still counted in the path."""
    _model_error(
        lambda: _host(
            vms=[
                _vm("MGMT01"),
                _vm("SQL01", cluster_group=_group("SQL01 Resources")),
                _vm("MGMT02"),
                _vm("WEB01", cluster_group=_group("SQL01 Resources")),
            ]
        ),
        "vms[3].cluster_group.name",
        "SQL01 Resources",
    )


@pytest.mark.parametrize("second", ["Production", "PRODUCTION"])
def test_duplicate_virtual_network_rejected(second: str) -> None:
    """Two virtual networks on a host cannot share a name (compared without case)."""
    _model_error(
        lambda: _host(
            virtual_networks=[
                VirtualNetwork(name="Production", kind=NetworkKind.EXTERNAL),
                VirtualNetwork(name="Heartbeat", kind=NetworkKind.INTERNAL),
                VirtualNetwork(name=second, kind=NetworkKind.PRIVATE),
            ]
        ),
        "virtual_networks[2].name",
        second,
    )


# --- virtual networks ----------------------------------------------------------------


@pytest.mark.parametrize("vlan", [None, 0, 1, 20, 4094])
def test_vlan_in_range_accepted(vlan: int | None) -> None:
    """A VLAN ID is None (no VLAN) or an integer from 0 to 4094."""
    assert VirtualNetwork(name="LAN", kind=NetworkKind.EXTERNAL, vlan_id=vlan).vlan_id == vlan


@pytest.mark.parametrize("vlan", [-1, -4094, 4095, 65536, True, False, "20", 20.0])
def test_vlan_out_of_range_rejected(vlan: Any) -> None:
    """A negative VLAN ID, one above 4094, or a non-integer is rejected."""
    error = _model_error(
        lambda: VirtualNetwork(name="LAN", kind=NetworkKind.EXTERNAL, vlan_id=vlan), "vlan_id", vlan
    )
    assert "4094" in str(error)


# --- clusters --------------------------------------------------------------------------


@pytest.mark.parametrize("second", ["HV-NODE1", "hv-node1"])
def test_duplicate_node_name_rejected(second: str) -> None:
    """Two nodes of a cluster cannot share a name (computer names compare without case)."""
    _model_error(
        lambda: Cluster(name="C", nodes=[_host("HV-NODE1"), _host("HV-NODE2"), _host(second)]),
        "nodes[2].name",
        second,
    )


def test_duplicate_vm_name_across_nodes_rejected() -> None:
    """VM names are unique across the whole cluster, not only per node."""
    _model_error(
        lambda: Cluster(
            name="C",
            nodes=[
                _host("HV-NODE1", vms=[_vm("SQL01")]),
                _host("HV-NODE2", vms=[_vm("WEB01"), _vm("SQL01")]),
            ],
        ),
        "nodes[1].vms[1].name",
        "SQL01",
    )


@pytest.mark.parametrize("second", ["SQL01 Resources", "SQL01 RESOURCES"])
def test_duplicate_cluster_group_across_nodes_rejected(second: str) -> None:
    """Cluster group names are unique across the cluster (compared without case)."""
    _model_error(
        lambda: Cluster(
            name="C",
            nodes=[
                _host(
                    "HV-NODE1",
                    vms=[_vm("SQL01", cluster_group=_group("SQL01 Resources", "HV-NODE1"))],
                ),
                _host("HV-NODE2", vms=[_vm("WEB01", cluster_group=_group(second, "HV-NODE2"))]),
            ],
        ),
        "nodes[1].vms[0].cluster_group.name",
        second,
    )


def test_cluster_without_nodes_rejected() -> None:
    """A cluster has at least one node."""
    with pytest.raises(ModelError) as info:
        Cluster(name="C", nodes=[])
    assert info.value.path == "nodes"
    assert info.value.value == ()
    assert str(info.value).startswith("nodes: ")


def test_cluster_requires_nodes() -> None:
    """A cluster has no default nodes: a cluster is built with its nodes."""
    with pytest.raises(TypeError):
        Cluster(name="C")  # type: ignore[call-arg]
