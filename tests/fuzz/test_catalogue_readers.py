"""Fuzzing the readers of backup catalogues: any input gives a catalogue or InventoryError.

Every reader (the product-neutral JSON and CSV, ``wbadmin``, ``Get-WBBackupSet``,
Veeam's and DPM's JSON, and :func:`~hyperv_backup.readers.read_catalogue`
that chooses among them) is fed arbitrary bytes, the real and made-up samples
of ``tests/fixtures/catalogues`` damaged line by line and byte by byte, and
JSON documents with values of every type in every place. Each call either
returns a :class:`~hyperv_backup.readers.CatalogueRead` whose records are the
model's, or raises :class:`~hyperv_backup.inventory.InventoryError` naming
where; with ``skip_bad``, the records it skipped are counted with a problem each.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hypothesis import event, given
from hypothesis import strategies as st

from hyperv_backup import InventoryError
from hyperv_backup.model import NetworkRecord, RestorePoint
from hyperv_backup.readers import (
    CatalogueRead,
    dpm_recovery_points,
    read_catalogue,
    restore_points_csv,
    restore_points_json,
    veeam_restore_points,
    wbadmin_catalogue,
    wbbackupset_json,
)
from tests.fuzz._shared_fuzz import FUZZ, _check_problems
from tests.paths import FIXTURES

SAMPLES = sorted((FIXTURES / "catalogues").iterdir())
SEEDS = [path.read_bytes() for path in SAMPLES if path.suffix in {".txt", ".json", ".csv"}]

READERS: dict[str, Callable[..., CatalogueRead]] = {
    "read_catalogue": read_catalogue,
    "restore_points_json": restore_points_json,
    "restore_points_csv": restore_points_csv,
    "wbbackupset_json": wbbackupset_json,
    "veeam_restore_points": veeam_restore_points,
    "dpm_recovery_points": dpm_recovery_points,
}


def _check(reader: Callable[..., CatalogueRead], data: bytes, *, skip_bad: bool) -> None:
    try:
        read = reader(data, skip_bad=skip_bad)
    except InventoryError as exc:
        _check_problems(exc, data)
        event("refused")
        return
    assert isinstance(read, CatalogueRead)
    assert all(isinstance(p, RestorePoint) for p in read.catalogue.points)
    assert all(isinstance(r, NetworkRecord) for r in read.catalogue.networks)
    assert read.skipped == len(read.problems)
    if not skip_bad:
        assert read.skipped == 0
    event("read" if read.catalogue.points else "read, no point")


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """Return a sample with bytes deleted, repeated, replaced or inserted, a few times."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["delete", "insert", "replace", "repeat"]))
        span = draw(st.integers(1, 8))
        if kind == "delete":
            del data[where : where + span]
        elif kind == "insert":
            data[where:where] = draw(
                st.sampled_from(
                    [b'"', b",", b";", b"\n", b":", b"{", b"]", b"\\", b"\xff", b"\x00", b"Z", b"-"]
                )
            )
        elif kind == "replace":
            data[where : where + 1] = draw(st.binary(min_size=1, max_size=2))
        else:
            data[where:where] = data[where : where + span]
    return bytes(data)


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**16), 10**16),
    st.text(max_size=20),
    st.sampled_from(
        [
            "2026-12-06T22:10:00Z",
            "2026-12-06T22:10:00",
            "/Date(1796595000000)/",
            "12/06/2026-22:10",
            "host",
            "guest",
            "application_consistent",
            "Backup Using Saved State\\VM",
            "Host Component",
            "Snapshot",
        ]
    ),
)
_KEYS = st.sampled_from(
    [
        "vm",
        "taken_at",
        "level",
        "product",
        "covers",
        "usable",
        "consistency",
        "restore_points",
        "network_records",
        "networks",
        "host",
        "VersionId",
        "BackupTarget",
        "Application",
        "Component",
        "VMName",
        "VmName",
        "Name",
        "CreationTime",
        "IsCorrupted",
        "IsConsistent",
        "Type",
        "Id",
        "RepresentedPointInTime",
        "DataSource",
        "ProductionServerName",
        "DataLocation",
    ]
)
_JSON: st.SearchStrategy[Any] = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=6)),
    max_leaves=20,
)


@FUZZ
@given(data=st.binary(max_size=300), skip_bad=st.booleans(), name=st.sampled_from(sorted(READERS)))
def test_catalogue_readers_on_arbitrary_bytes(data: bytes, skip_bad: bool, name: str) -> None:
    """Each reader, on any bytes: a catalogue or InventoryError."""
    _check(READERS[name], data, skip_bad=skip_bad)


@FUZZ
@given(data=damaged(), skip_bad=st.booleans(), name=st.sampled_from(sorted(READERS)))
def test_catalogue_readers_on_damaged_samples(data: bytes, skip_bad: bool, name: str) -> None:
    """Each reader, on the real and made-up samples, damaged."""
    _check(READERS[name], data, skip_bad=skip_bad)


@FUZZ
@given(document=_JSON, skip_bad=st.booleans(), name=st.sampled_from(sorted(READERS)))
def test_catalogue_readers_on_json_of_every_shape(document: Any, skip_bad: bool, name: str) -> None:
    """Each reader, on JSON with the formats' keys holding values of every type."""
    _check(READERS[name], json.dumps(document).encode(), skip_bad=skip_bad)


@FUZZ
@given(text=st.one_of(st.text(max_size=300), damaged().map(lambda b: b.decode("utf-8", "replace"))))
def test_wbadmin_on_any_text(text: str) -> None:
    """The wbadmin reader, on any text: restore points or InventoryError naming a line."""
    try:
        read = wbadmin_catalogue(text)
    except InventoryError as exc:
        _check_problems(exc, text, line_paths=True)
        return
    assert all(isinstance(p, RestorePoint) for p in read.catalogue.points)


def test_the_seeds_are_there() -> None:
    """The fuzzing starts from the samples of every form."""
    joined = b"\n".join(SEEDS)
    for marker in (
        b"Version identifier",
        b"VersionId",
        b"VmName",
        b"RepresentedPointInTime",
        b"restore_points",
        b"taken_at,",
    ):
        assert marker in joined, marker
