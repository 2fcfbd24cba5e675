"""Fuzzing the event log readers: damaged .evtx, XML and JSON give records or InventoryError only."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from hypothesis import event, given
from hypothesis import strategies as st

from hyperv_backup import InventoryError
from hyperv_backup.readers import EventLog, read_events
from tests.fuzz._shared_fuzz import FUZZ, _check_problems
from tests.paths import FIXTURES
from tests.readers.evtx_writer import EvtxRecord, event_element, write_evtx

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
SEEDS = [_evtx(), (FIXTURES / "events" / "cluster-2022-night.xml").read_bytes(), _JSON]


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
