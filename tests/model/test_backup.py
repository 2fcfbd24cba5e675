"""Backup records, and properties over generated inventories.

Every check made at construction raises :class:`ModelError`, a ``ValueError``
whose ``path`` is the field concerned (relative to the object being built),
whose ``value`` is the bad value, and whose message names both.
"""

from __future__ import annotations

from datetime import UTC, datetime

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hyperv_backup.model import (
    VM,
    Attachment,
    BackupMode,
    Cluster,
    Disk,
    FileSystem,
    Host,
    ModelError,
    VMState,
    Volume,
)
from tests.model._shared_model import (
    _backup,
    _volume,
)
from tests.strategies import case_variants, clusters, hosts, inventories, vms

# --- backups ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "state", [VMState.PAUSED, VMState.SAVED, VMState.OFF, "paused", "saved", "off"]
)
@pytest.mark.parametrize("mode", [BackupMode.ONLINE, "online"])
def test_online_backup_of_vm_not_running_rejected(
    state: VMState | str, mode: BackupMode | str
) -> None:
    """A Backup with mode ONLINE and a vm_state other than RUNNING is rejected."""
    with pytest.raises(ModelError) as info:
        _backup(mode=mode, vm_state=state)
    error = info.value
    assert error.path == "vm_state"
    assert str(error).startswith("vm_state: ")
    assert repr(VMState(state).value) in str(error)


@pytest.mark.parametrize("state", [None, *VMState])
@pytest.mark.parametrize("mode", list(BackupMode))
def test_backup_states_accepted(state: VMState | None, mode: BackupMode) -> None:
    """Every other pairing of mode and vm_state is accepted (None: the state now)."""
    if mode is BackupMode.ONLINE and state not in (None, VMState.RUNNING):
        return
    backup = _backup(mode=mode, vm_state=state)
    assert (backup.mode, backup.vm_state) == (mode, state)


def test_backup_taken_at_accepts_datetimes() -> None:
    """taken_at is a datetime, naive or aware."""
    naive = datetime(2011, 3, 14, 9, 12, 44)
    aware = datetime(2011, 3, 14, 9, 12, 44, tzinfo=UTC)
    assert _backup(taken_at=naive).taken_at == naive
    assert _backup(taken_at=aware).taken_at == aware


# --- properties over generated inventories ---------------------------------------------


@settings(max_examples=40, deadline=None)
@given(inventories())
def test_generated_inventory_rebuilds_equal(inventory: Host | Cluster) -> None:
    """Rebuilding any valid inventory from its own fields passes validation and gives an equal value."""
    rebuilt = attrs.evolve(inventory)
    assert rebuilt == inventory
    assert hash(rebuilt) == hash(inventory)


@settings(max_examples=40, deadline=None)
@given(hosts(), st.data())
def test_host_name_in_any_case_keeps_ownership(host: Host, data: st.DataObject) -> None:
    """Respelling a host's name in another case keeps its clustered VMs valid (names ignore case)."""
    spelling = data.draw(st.sampled_from(case_variants(host.name)))
    assert attrs.evolve(host, name=spelling).vms == host.vms


@settings(max_examples=40, deadline=None)
@given(clusters(), st.data())
def test_any_repeated_vm_name_in_cluster_rejected(cluster: Cluster, data: st.DataObject) -> None:
    """Giving any VM the name of an earlier VM in the cluster is rejected at the later VM."""
    placed = [(n, v) for n, node in enumerate(cluster.nodes) for v in range(len(node.vms))]
    assume(len(placed) >= 2)
    first, second = sorted(
        data.draw(st.lists(st.sampled_from(placed), min_size=2, max_size=2, unique=True))
    )
    name = cluster.nodes[first[0]].vms[first[1]].name
    nodes = list(cluster.nodes)
    node = nodes[second[0]]
    renamed = list(node.vms)
    renamed[second[1]] = attrs.evolve(renamed[second[1]], name=name)
    nodes[second[0]] = attrs.evolve(node, vms=renamed) if first[0] != second[0] else node
    if first[0] == second[0]:
        # On one node, the host already rejects the pair.
        with pytest.raises(ModelError) as info:
            attrs.evolve(node, vms=renamed)
        assert info.value.path == f"vms[{second[1]}].name"
        return
    with pytest.raises(ModelError) as info:
        attrs.evolve(cluster, nodes=nodes)
    assert info.value.path == f"nodes[{second[0]}].vms[{second[1]}].name"
    assert info.value.value == name


@settings(max_examples=40, deadline=None)
@given(vms())
def test_volume_name_in_other_case_collides(vm: VM) -> None:
    """Adding a disk whose volume respells an existing volume name in another case is rejected."""
    names = [v.name for d in vm.disks for v in d.volumes]
    assume(names)
    respelled = names[0].swapcase()
    assume(respelled.casefold() == names[0].casefold())
    extra = Disk(
        name="extra disk", attachment=Attachment.PASS_THROUGH, volumes=[_volume(respelled)]
    )
    assume("extra disk" not in [d.name for d in vm.disks])
    with pytest.raises(ModelError) as info:
        attrs.evolve(vm, disks=[*vm.disks, extra])
    assert info.value.path == f"disks[{len(vm.disks)}].volumes[0].name"


def test_long_values_are_cut_in_messages() -> None:
    """A bad value of any length is quoted in at most 60 characters, with its length."""
    long_name = "x" * 10_000
    with pytest.raises(ModelError) as info:
        Volume(name="C:", file_system=FileSystem.NTFS, shadow_storage=" " * 10_000)
    assert len(str(info.value)) < 200
    with pytest.raises(ModelError) as info:
        Disk(name=long_name, attachment=Attachment.PASS_THROUGH, path=long_name)
    assert "(10002 characters)" in str(info.value)
    assert len(str(info.value)) < 200


def test_a_collection_that_is_not_iterable_is_named() -> None:
    with pytest.raises(ModelError) as info:
        VM(name="VM1", state="off", disks=5)  # type: ignore[arg-type]
    assert info.value.path == "disks"
    assert "5" in info.value.reason
