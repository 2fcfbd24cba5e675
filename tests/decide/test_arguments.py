"""Arguments of the public functions are checked: clear errors, never an AttributeError."""

from __future__ import annotations

from typing import Any

import pytest

import hyperv_backup as hb
from hyperv_backup import VM, Backup, BackupLevel, BackupMode, Host, HostOS, VMState

VM1 = VM(name="VM1", state=VMState.RUNNING)
HOST = Host(name="HV01", os=HostOS.WINDOWS_SERVER_2008_R2, vms=[VM1])


@pytest.mark.parametrize("backup", ["abc", b"abc", {"a": 1}, 5])
def test_restore_steps_refuses_a_backup_set_that_is_not_records(backup: Any) -> None:
    with pytest.raises(TypeError, match="backup must be a Backup"):
        hb.restore_steps(VM1, "HV01", backup)


def test_restore_steps_names_the_record_that_is_not_one() -> None:
    record = Backup(vm="VM1", node="HV01", level=BackupLevel.HOST, mode=BackupMode.OFFLINE)
    with pytest.raises(TypeError, match=r"backup\[1\] must be a Backup, got str"):
        hb.restore_steps(VM1, "HV01", [record, "x"])  # type: ignore[list-item]


@pytest.mark.parametrize("node", [5, None, ["HV01"]])
def test_a_node_must_be_a_host_or_a_name(node: Any) -> None:
    with pytest.raises(TypeError, match="node must be a Host"):
        hb.restore_steps(VM1, node)
    if node is not None:
        with pytest.raises(TypeError, match="node must be a Host"):
            hb.backup_plan(HOST, node)


@pytest.mark.parametrize("node", ["", "  "])
def test_a_node_name_must_not_be_empty(node: str) -> None:
    with pytest.raises(hb.HypervBackupError, match="non-empty"):
        hb.restore_steps(VM1, node)


def test_restore_mode_takes_its_spelling_and_refuses_others() -> None:
    assert hb.restore_steps(VM1, "HV01", mode="online")[-1].rules == ("HVB402",)  # type: ignore[arg-type]
    with pytest.raises(hb.HypervBackupError, match="mode must be 'online' or 'offline'"):
        hb.restore_steps(VM1, "HV01", mode="sideways")  # type: ignore[arg-type]


def test_backup_mode_names_the_host_on_its_reasons_when_given() -> None:
    """backup_mode(vm, host) equals the decision check and backup_plan make on that host."""
    vm = VM(name="VM1", state=VMState.OFF)
    host = Host(name="HV01", os=HostOS.WINDOWS_SERVER_2008, vms=[vm])
    assert hb.backup_mode(vm).reasons[0].host is None
    assert hb.backup_mode(vm, "HV01") == hb.backup_plan(host).decisions["VM1"]
    assert hb.backup_mode(vm, host) == hb.backup_mode(vm, "HV01")


def test_dump_inventory_takes_hosts_and_clusters_only() -> None:
    with pytest.raises(TypeError, match="takes a Host or a Cluster, got VM"):
        hb.dump_inventory(VM1)  # type: ignore[arg-type]


def test_an_inventory_error_needs_a_problem() -> None:
    with pytest.raises(ValueError, match="at least one problem"):
        hb.InventoryError([])


@pytest.mark.parametrize("value", [0, -1, "10", 1.5, True])
def test_limits_are_positive_integers(value: Any) -> None:
    with pytest.raises(ValueError, match="must be a positive integer"):
        hb.InventoryLimits(max_bytes=value)
    with pytest.raises(ValueError, match="must be a positive integer"):
        hb.InventoryLimits(max_string=value)


@pytest.mark.parametrize(
    ("os", "upper_bound"),
    [(HostOS.WINDOWS_SERVER_2012, False), (HostOS.WINDOWS_SERVER_2012_R2, True)],
)
def test_hvb100_calls_downtime_an_upper_bound_only_where_checkpoints_replace_it(
    os: HostOS, upper_bound: bool
) -> None:
    """From 2012 R2 on, a VM that cannot be backed up online gets a checkpoint, not a save."""
    checked = hb.check(Host(name="H", os=os), profile="2008")
    [newer] = [f for f in checked if f.rule.id == "HVB100"]
    assert ("upper bound" in newer.message) is upper_bound


@pytest.mark.parametrize(("count", "words"), [(1, "1 VM snapshot;"), (3, "3 VM snapshots;")])
def test_hvb105_counts_snapshots_in_words(count: int, words: str) -> None:
    vm = VM(name="V", state=VMState.OFF, snapshots=[f"s{i}" for i in range(count)])
    [snapshots] = [
        f
        for f in hb.check(Host(name="H", os=HostOS.WINDOWS_SERVER_2008, vms=[vm]))
        if f.rule.id == "HVB105"
    ]
    assert words in snapshots.message
