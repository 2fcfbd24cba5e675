"""Every decision is a pure function of its input (no I/O inside the rules).

Two consequences are checked on generated inventories: no public function
changes what it is given (the model is frozen, but a frozen object can still
be changed behind its back, and the backup set and parsed documents are
plain lists and dictionaries), and the same calls made at once from a pool of
eight threads give what they give one after another.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hyperv_backup import (
    VM,
    Backup,
    BackupLevel,
    BackupMode,
    Cluster,
    Host,
    HostOS,
    VMState,
    backup_mode,
    backup_plan,
    check,
    cluster_backup_action,
    cluster_restore_action,
    dump_inventory,
    parse_inventory,
    restore_steps,
    to_dict,
    uncovered_storage,
)
from tests.strategies import inventories, names

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

WORKERS = 8


def _hosts(target: Host | Cluster) -> tuple[Host, ...]:
    return target.nodes if isinstance(target, Cluster) else (target,)


def _vms(target: Host | Cluster) -> list[tuple[Host, VM]]:
    return [(host, vm) for host in _hosts(target) for vm in host.vms]


@st.composite
def backup_records(draw: st.DrawFn, vm: VM, node: str) -> Backup:
    """Generate a record of a backup of ``vm`` (or of another VM) taken on ``node``."""
    mode = draw(st.sampled_from(BackupMode))
    states = [None, VMState.RUNNING] if mode is BackupMode.ONLINE else [None, *VMState]
    disks = [disk.name for disk in vm.disks]
    return Backup(
        vm=draw(st.one_of(st.just(vm.name), names())),
        node=node,
        level=draw(st.sampled_from(BackupLevel)),
        mode=mode,
        taken_at=draw(
            st.one_of(
                st.none(),
                st.datetimes(datetime(2009, 1, 1), datetime(2030, 1, 1)),
                st.datetimes(datetime(2009, 1, 1), datetime(2030, 1, 1), timezones=st.just(UTC)),
            )
        ),
        covers=draw(st.lists(st.sampled_from(disks), max_size=2)) if disks else (),
        vm_state=draw(st.sampled_from(states)),
    )


Call = tuple[str, Callable[[], object]]


def _calls(target: Host | Cluster, data: st.DataObject) -> tuple[list[Call], list[list[Backup]]]:
    """Every public decision on ``target``, as named calls, and the backup sets they are given.

    Each call is made with the very objects the caller holds, so that a change
    to them shows afterwards.
    """
    calls: list[Call] = [
        ("check", partial(check, target)),
        ("uncovered_storage", partial(uncovered_storage, target)),
        ("dump_inventory", partial(dump_inventory, target)),
        ("backup_plan", partial(backup_plan, target)),
    ]
    sets: list[list[Backup]] = []
    for host in _hosts(target):
        calls.append((f"backup_plan {host.name}", partial(backup_plan, target, host.name)))
    for host, vm in _vms(target):
        node = data.draw(st.sampled_from(_hosts(target)))
        records = data.draw(st.lists(backup_records(vm, node.name), max_size=3))
        sets.append(records)
        calls += [
            (f"backup_mode {vm.name}", partial(backup_mode, vm)),
            (f"cluster_backup_action {vm.name}", partial(cluster_backup_action, vm, host)),
            (f"cluster_restore_action {vm.name}", partial(cluster_restore_action, vm, host.name)),
            (f"restore_steps {vm.name}", partial(restore_steps, vm, node)),
            (f"restore_steps {vm.name} with a set", partial(restore_steps, vm, node.name, records)),
        ]
    return calls, sets


def _json(result: object) -> str:
    """Write a result as JSON: through ``to_dict`` where it takes it, field by field otherwise."""

    def default(value: object) -> Any:
        if isinstance(value, Host | Cluster):
            return dump_inventory(value)
        try:
            return to_dict(value)  # type: ignore[call-overload]
        except TypeError:
            pass
        if attrs.has(type(value)):
            return attrs.asdict(value, recurse=False)  # type: ignore[arg-type]
        if isinstance(value, tuple | frozenset):
            return list(value)
        return str(value)

    return json.dumps(result, default=default, sort_keys=True)


@SETTINGS
@given(inventories(), st.data())
def test_no_function_changes_its_input(target: Host | Cluster, data: st.DataObject) -> None:
    """After every call the inventory, its dump and the backup sets are as they were."""
    dumped = dump_inventory(target)
    twin = copy.deepcopy(target)
    calls, sets = _calls(target, data)
    sets_before = copy.deepcopy(sets)
    for name, call in calls:
        call()
        assert target == twin, name
        assert dump_inventory(target) == dumped, name
        assert sets == sets_before, name
    assert hash(target) == hash(twin)


@SETTINGS
@given(inventories())
def test_parse_inventory_leaves_the_mapping_it_reads_alone(target: Host | Cluster) -> None:
    """``parse_inventory`` of a parsed document does not change the document."""
    document = dump_inventory(target)
    before = copy.deepcopy(document)
    assert parse_inventory(document) == target
    assert document == before


@SETTINGS
@given(inventories(), st.data())
def test_results_are_the_same_from_a_thread_pool(
    target: Host | Cluster, data: st.DataObject
) -> None:
    """Eight threads making the calls at once, in any order, get the serial results."""
    calls, _ = _calls(target, data)
    text = json.dumps(dump_inventory(target))
    calls.append(("parse_inventory", lambda: parse_inventory(text)))
    serial = {name: _json(call()) for name, call in calls}
    # Each call several times, shuffled, so that the same function runs in many threads at once.
    work = data.draw(st.permutations([item for item in calls for _ in range(3)]))
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        concurrent = list(pool.map(lambda item: (item[0], _json(item[1]())), work))
    for name, result in concurrent:
        assert result == serial[name], name


def test_a_changed_input_is_noticed() -> None:
    """The check above would see a change made behind a frozen object's back."""
    target = Host(name="HV01", os=HostOS.WINDOWS_SERVER_2008_R2, installed_updates=["KB958184"])
    twin = copy.deepcopy(target)
    dumped = dump_inventory(target)
    object.__setattr__(target, "installed_updates", frozenset({"KB1"}))
    assert target != twin
    assert dump_inventory(target) != dumped
