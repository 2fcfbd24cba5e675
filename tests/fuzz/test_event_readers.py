"""Fuzzing the event log readers: damaged .evtx, XML and JSON give records or InventoryError only."""

from __future__ import annotations

import json
import struct
from datetime import UTC, datetime, timedelta

from hypothesis import event, given
from hypothesis import strategies as st

from hyperv_backup import InventoryError
from hyperv_backup.examples import example_night
from hyperv_backup.readers import EventLog, read_events
from tests.fuzz._shared_fuzz import FUZZ, _check_problems
from tests.paths import FIXTURES
from tests.readers.evtx_writer import (
    EVENT_NAME_AT,
    TEMPLATE_AT,
    EvtxRecord,
    event_element,
    rechecked,
    record_offsets,
    write_evtx,
)

T0 = datetime(2026, 12, 6, 2, tzinfo=UTC)


def _evtx() -> bytes:
    records = [
        EvtxRecord(
            n,
            T0 + timedelta(seconds=n),
            event_element(
                provider="VSS",
                event_id=8229,
                level=3,
                time_created=T0 + timedelta(seconds=n),
                record_id=n,
                channel="Application",
                computer="HV01",
                data=[(None, f"v{n}")],
            ),
        )
        for n in range(1, 4)
    ]
    return write_evtx(records)


_JSON = json.dumps(
    [
        {
            "Id": 8229,
            "ProviderName": "VSS",
            "Level": 3,
            "TimeCreated": "/Date(1765000000000)/",
            "MachineName": "HV01",
            "Properties": [{"Value": "x"}],
            "Message": "m",
        },
    ]
).encode()
SEEDS = [
    _evtx(),
    (FIXTURES / "events" / "cluster-2022-night.xml").read_bytes(),
    _JSON,
    example_night("cluster-2022").log,
]


def _check(data: bytes, *, skip_bad: bool) -> None:
    try:
        log = read_events(data, skip_bad=skip_bad)
    except InventoryError as exc:
        _check_problems(exc, data)
        event("refused")
        return
    assert isinstance(log, EventLog)
    assert log.skipped == len(log.problems)
    event("read")


@st.composite
def _damaged(draw: st.DrawFn) -> bytes:
    seed = bytearray(draw(st.sampled_from(SEEDS)))
    kind = draw(st.sampled_from(["truncate", "flip", "insert"]))
    at = draw(st.integers(0, len(seed) - 1))
    if kind == "truncate":
        return bytes(seed[:at])
    if kind == "flip":
        for offset in draw(st.lists(st.integers(0, len(seed) - 1), min_size=1, max_size=8)):
            seed[offset] ^= draw(st.integers(1, 255))
        return bytes(seed)
    return bytes(seed[:at] + draw(st.binary(min_size=1, max_size=16)) + seed[at:])


@FUZZ
@given(data=_damaged(), skip_bad=st.booleans())
def test_damaged_logs_give_records_or_an_inventory_error(data: bytes, skip_bad: bool) -> None:
    _check(data, skip_bad=skip_bad)


@FUZZ
@given(data=st.binary(max_size=2048), skip_bad=st.booleans())
def test_arbitrary_bytes_give_records_or_an_inventory_error(data: bytes, skip_bad: bool) -> None:
    _check(data, skip_bad=skip_bad)


@FUZZ
@given(text=st.text(max_size=400))
def test_arbitrary_xml_and_json_text_give_records_or_an_inventory_error(text: str) -> None:
    _check(("<" + text).encode(), skip_bad=False)
    _check(("[" + text).encode(), skip_bad=True)


_EVTX = _evtx()
_CHUNK_AT = 4096
#: The offsets a chunk's reader follows: the tables of names and templates in its
#: header, the next-entry offsets of the names and templates in its records, the
#: records' sizes, and where the header puts the free space and the last record.
_RECORDS = record_offsets(_EVTX)
_OFFSET_FIELDS = [
    *(128 + 4 * i for i in range(64)),
    *(384 + 4 * i for i in range(32)),
    *(r + EVENT_NAME_AT for r in _RECORDS),
    *(r + TEMPLATE_AT for r in _RECORDS),
    *(r + 4 for r in _RECORDS),
    48,
    44,
]
#: Values worth writing there: each other's places (loops of every length), the ends.
_TARGETS = sorted(
    {0, 1, 511, 512, 65535, 65536, 0xFFFFFFFF}
    | {r + EVENT_NAME_AT for r in _RECORDS}
    | {r + TEMPLATE_AT for r in _RECORDS}
)


@st.composite
def _offsets_changed(draw: st.DrawFn) -> bytes:
    """Return the .evtx seed with one to four of its offsets changed, and its checksums made right."""
    data = bytearray(_EVTX)
    for _ in range(draw(st.integers(1, 4))):
        field = draw(st.sampled_from(_OFFSET_FIELDS))
        value = draw(st.one_of(st.sampled_from(_TARGETS), st.integers(0, 0xFFFFFFFF)))
        struct.pack_into("<I", data, _CHUNK_AT + field, value)
    return rechecked(bytes(data))


@FUZZ
@given(data=_offsets_changed(), skip_bad=st.booleans())
def test_evtx_offsets_that_lead_anywhere_give_records_or_an_inventory_error(
    data: bytes, skip_bad: bool
) -> None:
    """Offsets the library follows, changed with valid checksums: never a loop, never a crash."""
    _check(data, skip_bad=skip_bad)
