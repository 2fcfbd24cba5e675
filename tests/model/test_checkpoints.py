"""Checkpoints, differencing chains and the files found in a VM's folders.

``Get-VMSnapshot`` lists a VM's checkpoints with their kind (``-SnapshotType``:
Standard, Recovery, Planned, Missing, Replica, AppConsistentReplica,
SyncedReplica), when each was taken and the one it was taken after. The
model keeps them in ``VM.checkpoints``, and ``VM.snapshots`` keeps their names
as it always has: filled in from the checkpoints that are not Hyper-V Replica
recovery points, or checked against them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from hyperv_backup.model import (
    Attachment,
    Checkpoint,
    Disk,
    ModelError,
    SnapshotType,
)
from tests.model._shared_model import _model_error, _vhd, _vm

TAKEN = datetime(2024, 5, 6, 18, 58, 11, tzinfo=UTC)


def _checkpoint(name: str = "Before update", **kwargs: Any) -> Checkpoint:
    return Checkpoint(name=name, **kwargs)


def test_a_checkpoint_needs_only_its_name() -> None:
    """Kind, time, parent and disks are unknown unless given."""
    checkpoint = _checkpoint()
    assert (checkpoint.snapshot_type, checkpoint.created_at, checkpoint.parent) == (
        None,
        None,
        None,
    )
    assert checkpoint.disk_paths == ()
    assert checkpoint.is_replica is False


@pytest.mark.parametrize("kind", list(SnapshotType))
def test_only_the_three_replica_kinds_are_replica_recovery_points(kind: SnapshotType) -> None:
    """Replica, AppConsistentReplica and SyncedReplica are Hyper-V Replica's, not checkpoints."""
    expected = kind.value.endswith("replica")
    assert kind.is_replica is expected
    assert _checkpoint(snapshot_type=kind).is_replica is expected


def test_a_time_without_a_zone_is_utc() -> None:
    """CreationTime is written in UTC by the collector; a naive time is read as UTC."""
    naive = _checkpoint(created_at=datetime(2024, 5, 6, 18, 58, 11))
    assert naive.created_at == TAKEN
    assert naive.created_at.tzinfo is UTC
    plus_two = timezone(timedelta(hours=2))
    aware = _checkpoint(created_at=datetime(2024, 5, 6, 20, 58, 11, tzinfo=plus_two))
    assert aware.created_at == TAKEN


@pytest.mark.parametrize("bad", ["2024-05-06", 1715021891, True])
def test_a_creation_time_is_a_date_and_time(bad: object) -> None:
    _model_error(lambda: _checkpoint(created_at=bad), "created_at", bad)


@pytest.mark.parametrize(
    ("field", "value", "path"),
    [
        ("name", "", "name"),
        ("parent", " ", "parent"),
        ("disk_paths", ["D:\\a.avhdx", ""], "disk_paths[1]"),
        ("snapshot_type", "production", "snapshot_type"),
    ],
)
def test_checkpoint_fields_are_checked(field: str, value: Any, path: str) -> None:
    bad = value[-1] if isinstance(value, list) else value
    _model_error(lambda: _checkpoint(**{field: value}), path, bad)


def test_disk_paths_is_a_list() -> None:
    _model_error(lambda: _checkpoint(disk_paths="D:\\a.avhdx"), "disk_paths", "D:\\a.avhdx")


# --- VM.snapshots and VM.checkpoints ------------------------------------------------------


def test_snapshots_are_filled_in_from_the_checkpoints() -> None:
    """Given checkpoints and no snapshot names, the names are those of the checkpoints."""
    vm = _vm(
        checkpoints=[
            _checkpoint("Before update", snapshot_type=SnapshotType.STANDARD),
            _checkpoint("Backup", snapshot_type=SnapshotType.RECOVERY),
            _checkpoint("Unknown kind"),
        ]
    )
    assert vm.snapshots == ("Before update", "Backup", "Unknown kind")


def test_replica_recovery_points_are_not_snapshots() -> None:
    """The recovery points Hyper-V Replica keeps are left out of the snapshot names."""
    vm = _vm(
        checkpoints=[
            _checkpoint("Replica point", snapshot_type=SnapshotType.REPLICA),
            _checkpoint("App point", snapshot_type=SnapshotType.APP_CONSISTENT_REPLICA),
            _checkpoint("Before update", snapshot_type=SnapshotType.STANDARD),
        ]
    )
    assert vm.snapshots == ("Before update",)
    only_replica = _vm(checkpoints=[_checkpoint(snapshot_type=SnapshotType.SYNCED_REPLICA)])
    assert only_replica.snapshots == ()


def test_snapshot_names_given_with_checkpoints_must_agree() -> None:
    """Both given: the same names, in any order; others are refused, naming both."""
    checkpoints = [_checkpoint("A"), _checkpoint("B")]
    assert _vm(snapshots=["B", "A"], checkpoints=checkpoints).snapshots == ("B", "A")
    error = _model_error(lambda: _vm(snapshots=["A"], checkpoints=checkpoints), "snapshots", ("A",))
    assert "('A', 'B')" in str(error)


def test_snapshot_names_alone_are_kept() -> None:
    """An inventory without checkpoints keeps its names as they are."""
    vm = _vm(snapshots=["Before SP1"])
    assert (vm.snapshots, vm.checkpoints) == (("Before SP1",), ())


@pytest.mark.parametrize("field", ["checkpoints", "avhdx_files", "change_tracking_files"])
def test_the_new_lists_are_lists(field: str) -> None:
    _model_error(lambda: _vm(**{field: "x"}), field, "x")


def test_checkpoints_are_checkpoints() -> None:
    with pytest.raises(ModelError, match=r"checkpoints\[0\]: expected a Checkpoint"):
        _vm(checkpoints=["Before update"])


@pytest.mark.parametrize("field", ["avhdx_files", "change_tracking_files"])
def test_files_found_are_names(field: str) -> None:
    found: dict[str, Any] = {field: ["D:\\a.avhdx", "\t"]}
    _model_error(lambda: _vm(**found), f"{field}[1]", "\t")


# --- Disk.chain ---------------------------------------------------------------------------


def test_a_differencing_disk_keeps_its_parents() -> None:
    disk = _vhd(path="D:\\VM\\disk_1.avhdx", chain=["D:\\VM\\disk.vhdx"])
    assert disk.chain == ("D:\\VM\\disk.vhdx",)
    assert _vhd().chain == ()


def test_parents_are_names() -> None:
    _model_error(lambda: _vhd(chain=["D:\\a.vhdx", ""]), "chain[1]", "")
    _model_error(lambda: _vhd(chain="D:\\a.vhdx"), "chain", "D:\\a.vhdx")


def test_only_a_virtual_hard_disk_has_parents() -> None:
    error = _model_error(
        lambda: Disk(name="Logs", attachment=Attachment.PASS_THROUGH, chain=["D:\\a.vhdx"]),
        "chain",
        ("D:\\a.vhdx",),
    )
    assert "pass_through" in str(error)
