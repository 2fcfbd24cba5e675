"""The two cluster tables of "Considerations about clustered virtual machines".

The expected action of every combination of owner, resource states and
backup mode is computed here from the guidance's two tables, written out below as plain
data, and never from the package's own lookup.
"""

from __future__ import annotations

import itertools

import attrs
import pytest

from hyperv_backup import (
    VM,
    BackupMode,
    ClusterAction,
    ClusterGroup,
    Host,
    HostOS,
    ResourceState,
    VMState,
    cluster_backup_action,
    cluster_restore_action,
)
from hyperv_backup.decide.cluster import backup_row
from hyperv_backup.rules.cluster import (
    BACKUP_TABLE,
    RESTORE_TABLE,
    BackupRow,
    Owner,
    Provenance,
    Resource,
    RestoreRow,
    _backup_index,
    _restore_index,
    resources_taken_offline,
    restore_row,
)

THIS_NODE = "HV-NODE1"
OTHER_NODE = "HV-NODE2"
ON, OFF = ResourceState.ONLINE, ResourceState.OFFLINE
ANY = None
A = ClusterAction

# The guidance's backup table: (owner is this node, cluster, configuration, storage, mode, action, from).
GUIDANCE_BACKUP: tuple[
    tuple[
        bool,
        ResourceState | None,
        ResourceState | None,
        ResourceState | None,
        BackupMode | None,
        ClusterAction,
        str,
    ],
    ...,
] = (
    (True, ON, ON, ON, BackupMode.ONLINE, A.NONE, "source"),
    (True, ON, ON, ON, BackupMode.OFFLINE, A.TAKE_CLUSTER_RESOURCE_OFFLINE, "source"),
    (True, OFF, OFF, ON, ANY, A.NONE, "source"),
    (True, OFF, ON, ON, ANY, A.NONE, "source"),
    (False, ANY, ANY, ANY, ANY, A.MOVE_TO_NODE, "source"),
)

# The guidance's restore table: (owner is this node, cluster, configuration, storage, action, from).
GUIDANCE_RESTORE: tuple[
    tuple[
        bool, ResourceState | None, ResourceState | None, ResourceState | None, ClusterAction, str
    ],
    ...,
] = (
    (True, ON, ON, ON, A.TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE, "source"),
    (True, OFF, ON, ON, A.TAKE_CONFIGURATION_RESOURCE_OFFLINE, "source"),
    (True, OFF, OFF, OFF, A.NONE, "source"),
    (True, OFF, OFF, ON, A.NONE, "derived"),
    (False, ANY, ANY, ANY, A.TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE_ON_OWNER, "source"),
)


def fits(pattern: object, value: object) -> bool:
    return pattern is None or pattern == value


def expected_backup(
    here: bool,
    cluster: ResourceState,
    configuration: ResourceState,
    storage: ResourceState,
    mode: BackupMode,
) -> ClusterAction:
    """Return the action the guidance's table gives, or NOT_COVERED when no row matches."""
    matches = [
        row[5]
        for row in GUIDANCE_BACKUP
        if row[0] == here
        and all(
            fits(p, v)
            for p, v in zip(row[1:5], (cluster, configuration, storage, mode), strict=True)
        )
    ]
    assert len(matches) <= 1, "the guidance's rows overlap"
    return matches[0] if matches else A.NOT_COVERED


def expected_restore(
    here: bool, cluster: ResourceState, configuration: ResourceState, storage: ResourceState
) -> ClusterAction:
    """Return the action the guidance's table gives, or NOT_COVERED when no row matches."""
    matches = [
        row[4]
        for row in GUIDANCE_RESTORE
        if row[0] == here
        and all(
            fits(p, v) for p, v in zip(row[1:4], (cluster, configuration, storage), strict=True)
        )
    ]
    assert len(matches) <= 1, "the guidance's rows overlap"
    return matches[0] if matches else A.NOT_COVERED


def clustered_vm(
    owner: str,
    cluster: ResourceState,
    configuration: ResourceState,
    storage: ResourceState,
    *,
    integration_services: bool = True,
) -> VM:
    return VM(
        name="VM1",
        state=VMState.RUNNING,
        integration_services=integration_services,
        cluster_group=ClusterGroup(
            name="VM1 Resources",
            owner_node=owner,
            cluster_resource=cluster,
            configuration_resource=configuration,
            storage_resource=storage,
        ),
    )


def test_backup_table_every_combination() -> None:
    """Every owner x 5^3 states x mode gets the table's action, anything else NOT_COVERED."""
    mismatches = []
    count = 0
    for owner, c, g, s, mode in itertools.product(
        (THIS_NODE, OTHER_NODE), ResourceState, ResourceState, ResourceState, BackupMode
    ):
        count += 1
        want = expected_backup(owner == THIS_NODE, c, g, s, mode)
        got = cluster_backup_action(clustered_vm(owner, c, g, s), THIS_NODE, mode)
        if got is not want:
            mismatches.append((owner, c, g, s, mode, want, got))
    assert count == 2 * 5**3 * 2
    assert mismatches == []


def test_restore_table_every_combination() -> None:
    """Every owner x 5^3 states gets the restore table's action, anything else NOT_COVERED."""
    mismatches = []
    count = 0
    for owner, c, g, s in itertools.product(
        (THIS_NODE, OTHER_NODE), ResourceState, ResourceState, ResourceState
    ):
        count += 1
        want = expected_restore(owner == THIS_NODE, c, g, s)
        got = cluster_restore_action(clustered_vm(owner, c, g, s), THIS_NODE)
        if got is not want:
            mismatches.append((owner, c, g, s, want, got))
    assert count == 2 * 5**3
    assert mismatches == []


def test_tables_cover_the_expected_number_of_combinations() -> None:
    """The node the work runs on covers 2 + 2*2 backup and 4 restore situations; another, all."""
    covered_backup = sum(
        expected_backup(True, c, g, s, m) is not A.NOT_COVERED
        for c, g, s, m in itertools.product(ResourceState, ResourceState, ResourceState, BackupMode)
    )
    covered_restore = sum(
        expected_restore(True, c, g, s) is not A.NOT_COVERED
        for c, g, s in itertools.product(ResourceState, ResourceState, ResourceState)
    )
    assert covered_backup == 6
    assert covered_restore == 4


def test_backup_mode_defaults_to_the_decided_mode() -> None:
    """Without an explicit mode the backup table reads the mode backup_mode() decides."""
    online = clustered_vm(THIS_NODE, ON, ON, ON)
    offline = clustered_vm(THIS_NODE, ON, ON, ON, integration_services=False)
    assert cluster_backup_action(online, THIS_NODE) is A.NONE
    assert cluster_backup_action(offline, THIS_NODE) is A.TAKE_CLUSTER_RESOURCE_OFFLINE
    assert cluster_backup_action(online, THIS_NODE, BackupMode.OFFLINE) is (
        A.TAKE_CLUSTER_RESOURCE_OFFLINE
    )


def test_a_host_given_as_node_takes_the_rows_of_its_release() -> None:
    """A VM that cannot be backed up online is saved on 2008 R2 and 2012, kept running from 2012 R2 on."""
    blocked = clustered_vm(THIS_NODE, ON, ON, ON, integration_services=False)
    for os, action in [
        (HostOS.WINDOWS_SERVER_2008_R2, A.TAKE_CLUSTER_RESOURCE_OFFLINE),
        (HostOS.WINDOWS_SERVER_2012, A.TAKE_CLUSTER_RESOURCE_OFFLINE),
        (HostOS.WINDOWS_SERVER_2012_R2, A.NONE),
        (HostOS.WINDOWS_SERVER_2022, A.NONE),
    ]:
        node = Host(name=THIS_NODE, os=os)
        assert cluster_backup_action(blocked, node) is action, os
        row = backup_row(blocked, node)
        assert row is not None
        assert row.action is action
    # Known by name only, the node takes the guidance's rows.
    assert cluster_backup_action(blocked, THIS_NODE) is A.TAKE_CLUSTER_RESOURCE_OFFLINE


def row_tuple(row: BackupRow) -> tuple[object, ...]:
    return (
        row.owner is Owner.THIS_NODE,
        row.cluster_resource,
        row.configuration_resource,
        row.storage_resource,
        row.mode,
        row.action,
        row.provenance.value,
    )


def restore_row_tuple(row: RestoreRow) -> tuple[object, ...]:
    return (
        row.owner is Owner.THIS_NODE,
        row.cluster_resource,
        row.configuration_resource,
        row.storage_resource,
        row.action,
        row.provenance.value,
    )


def test_backup_table_rows_and_provenance() -> None:
    """The backup table is data, five rows all taken from the source, in its order."""
    assert [row_tuple(r) for r in BACKUP_TABLE] == [tuple(r) for r in GUIDANCE_BACKUP]
    assert {r.provenance for r in BACKUP_TABLE} == {Provenance.SOURCE}


def test_restore_table_rows_and_provenance() -> None:
    """The restore table has four source rows and one derived row (off, off, online)."""
    assert [restore_row_tuple(r) for r in RESTORE_TABLE] == [tuple(r) for r in GUIDANCE_RESTORE]
    [derived] = [r for r in RESTORE_TABLE if r.provenance is Provenance.DERIVED]
    assert (derived.cluster_resource, derived.configuration_resource, derived.storage_resource) == (
        OFF,
        OFF,
        ON,
    )
    assert derived.note  # a derived row says how it was derived


def test_not_clustered() -> None:
    """A VM without a cluster group gets NOT_CLUSTERED from both tables."""
    vm = VM(name="VM1", state=VMState.RUNNING)
    for mode in (None, BackupMode.ONLINE, BackupMode.OFFLINE):
        assert cluster_backup_action(vm, THIS_NODE, mode) is A.NOT_CLUSTERED
    assert cluster_restore_action(vm, THIS_NODE) is A.NOT_CLUSTERED


@pytest.mark.parametrize("node", ["hv-node1", "HV-NODE1", "Hv-Node1"])
def test_node_names_compare_case_insensitively(node: str) -> None:
    """Computer names compare case-insensitively; the owner is still "this node"."""
    vm = clustered_vm("HV-node1", ON, ON, ON)
    assert cluster_backup_action(vm, node, BackupMode.OFFLINE) is A.TAKE_CLUSTER_RESOURCE_OFFLINE
    assert cluster_restore_action(vm, node) is A.TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE


def test_node_may_be_a_host() -> None:
    """The node can be given as a Host; its name decides who owns the group."""
    vm = clustered_vm(THIS_NODE, ON, ON, ON)
    here = Host(name="hv-node1", os=HostOS.WINDOWS_SERVER_2008_R2)
    there = Host(name=OTHER_NODE, os=HostOS.WINDOWS_SERVER_2008_R2)
    assert cluster_backup_action(vm, here, BackupMode.ONLINE) is A.NONE
    assert cluster_backup_action(vm, there, BackupMode.ONLINE) is A.MOVE_TO_NODE
    assert cluster_restore_action(vm, here) is A.TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE
    assert cluster_restore_action(vm, there) is (
        A.TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE_ON_OWNER
    )


def test_the_tables_build_without_overlap() -> None:
    """The shipped rows never describe one situation twice."""
    backup = _backup_index(BACKUP_TABLE)
    restore = _restore_index(RESTORE_TABLE)
    assert len(backup) == 6 + 5**3 * 2
    assert len(restore) == 4 + 5**3


def test_overlapping_backup_rows_are_refused() -> None:
    """Two rows for one situation would make the answer depend on row order."""
    wildcard = attrs.evolve(BACKUP_TABLE[2], mode=None, configuration_resource=None)
    with pytest.raises(ValueError, match="overlap"):
        _backup_index([BACKUP_TABLE[2], wildcard])
    with pytest.raises(ValueError, match="overlap"):
        _backup_index([*BACKUP_TABLE, BACKUP_TABLE[0]])


def test_overlapping_restore_rows_are_refused() -> None:
    """A restore row that repeats a situation is refused, even with another action."""
    clash = attrs.evolve(RESTORE_TABLE[3], action=A.TAKE_CONFIGURATION_RESOURCE_OFFLINE)
    with pytest.raises(ValueError, match="overlap"):
        _restore_index([*RESTORE_TABLE, clash])
    # Off, off, any storage state covers the derived row (off, off, online) as well.
    wildcard = attrs.evolve(RESTORE_TABLE[2], storage_resource=None)
    with pytest.raises(ValueError, match="overlap"):
        _restore_index([RESTORE_TABLE[3], wildcard])
    assert len(_restore_index([wildcard])) == 5


def test_resources_taken_offline() -> None:
    """Each action takes offline exactly the resources its name says."""
    assert resources_taken_offline(A.TAKE_CLUSTER_RESOURCE_OFFLINE) == (Resource.CLUSTER,)
    assert resources_taken_offline(A.TAKE_CONFIGURATION_RESOURCE_OFFLINE) == (
        Resource.CONFIGURATION,
    )
    both = {Resource.CLUSTER, Resource.CONFIGURATION}
    assert set(resources_taken_offline(A.TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE)) == both
    assert (
        set(resources_taken_offline(A.TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE_ON_OWNER))
        == both
    )
    for action in (A.NOT_CLUSTERED, A.NONE, A.MOVE_TO_NODE, A.NOT_COVERED):
        assert resources_taken_offline(action) == ()


def take_offline(group: ClusterGroup, action: ClusterAction) -> ClusterGroup:
    changes = {resource.value: OFF for resource in resources_taken_offline(action)}
    return attrs.evolve(group, **changes)


def expand(pattern: ResourceState | None) -> tuple[ResourceState, ...]:
    return tuple(ResourceState) if pattern is None else (pattern,)


def test_backup_rows_on_this_node_lead_to_none() -> None:
    """For every backup row where this node owns the group, doing its action leaves NONE."""
    checked = 0
    for row in BACKUP_TABLE:
        if row.owner is not Owner.THIS_NODE:
            continue
        modes = tuple(BackupMode) if row.mode is None else (row.mode,)
        for c, g, s, mode in itertools.product(
            expand(row.cluster_resource),
            expand(row.configuration_resource),
            expand(row.storage_resource),
            modes,
        ):
            vm = clustered_vm(THIS_NODE, c, g, s)
            assert vm.cluster_group is not None
            action = cluster_backup_action(vm, THIS_NODE, mode)
            assert action is row.action
            after = attrs.evolve(vm, cluster_group=take_offline(vm.cluster_group, action))
            assert cluster_backup_action(after, THIS_NODE, mode) is A.NONE, (row, mode)
            checked += 1
    assert checked == 6


def test_restore_rows_on_this_node_lead_to_none() -> None:
    """For every restore row where this node owns the group, doing its action leaves NONE."""
    checked = 0
    for row in RESTORE_TABLE:
        if row.owner is not Owner.THIS_NODE:
            continue
        for c, g, s in itertools.product(
            expand(row.cluster_resource),
            expand(row.configuration_resource),
            expand(row.storage_resource),
        ):
            vm = clustered_vm(THIS_NODE, c, g, s)
            assert vm.cluster_group is not None
            action = cluster_restore_action(vm, THIS_NODE)
            assert action is row.action
            after = attrs.evolve(vm, cluster_group=take_offline(vm.cluster_group, action))
            assert cluster_restore_action(after, THIS_NODE) is A.NONE, row
            checked += 1
    assert checked == 4


def test_rows_of_an_unclustered_vm_are_none() -> None:
    """backup_row and restore_row have no row for a VM without a cluster group."""
    vm = VM(name="VM", state=VMState.RUNNING)
    assert backup_row(vm, "HV-NODE1") is None
    assert restore_row(vm, "HV-NODE1") is None


def test_backup_row_reads_the_mode_from_the_vm_when_not_given() -> None:
    """Without a mode the row follows backup_mode: a running, unblocked VM is online."""
    on = ResourceState.ONLINE
    group = ClusterGroup(
        name="G",
        owner_node="HV-NODE1",
        cluster_resource=on,
        configuration_resource=on,
        storage_resource=on,
    )
    online = VM(name="VM", state=VMState.RUNNING, cluster_group=group)
    offline = attrs.evolve(online, integration_services=False)
    online_row = backup_row(online, "HV-NODE1")
    offline_row = backup_row(offline, "HV-NODE1")
    assert online_row is not None
    assert online_row.mode is BackupMode.ONLINE
    assert online_row.action is ClusterAction.NONE
    assert offline_row is not None
    assert offline_row.action is ClusterAction.TAKE_CLUSTER_RESOURCE_OFFLINE
    restore = restore_row(online, "HV-NODE1")
    assert restore is not None
    assert restore.action is ClusterAction.TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE
