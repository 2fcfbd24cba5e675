"""The event log readers: .evtx, wevtutil XML and Get-WinEvent JSON give the same records."""

from __future__ import annotations

import codecs
import json
from datetime import UTC, datetime, timedelta

import pytest

from hyperv_backup import InventoryError
from hyperv_backup.readers import (
    Event,
    EventLevel,
    EventLog,
    event_form,
    event_xml,
    evtx_events,
    parse_time,
    read_events,
    winevent_json,
)
from tests.paths import FIXTURES
from tests.readers.evtx_writer import EvtxRecord, event_element, write_evtx

NIGHT = FIXTURES / "events" / "cluster-2022-night.xml"
T0 = datetime(2026, 12, 6, 2, 0, 1, tzinfo=UTC)
VMMS = "Microsoft-Windows-Hyper-V-VMMS"
VML = ("VmlEventLog", "http://www.microsoft.com/Windows/Virtualization/Events")


def _records(count: int = 3) -> list[EvtxRecord]:
    records = []
    for n in range(1, count + 1):
        stamp = T0 + timedelta(seconds=n)
        if n % 2:
            element = event_element(
                provider=VMMS,
                event_id=18012,
                level=2,
                time_created=stamp,
                record_id=n,
                channel=f"{VMMS}-Admin",
                computer="HV01",
                user_data=(*VML, [("VmName", f"VM{n}"), ("VmId", "1234")]),
            )
        else:
            element = event_element(
                provider="VSS",
                event_id=8229,
                level=3,
                time_created=stamp,
                record_id=n,
                channel="Application",
                computer="HV01",
                data=[(None, "0x800423f4"), ("Writer", "w")],
            )
        records.append(EvtxRecord(n, stamp, element))
    return records


# --- XML ------------------------------------------------------------------------------


def test_the_xml_of_wevtutil_reads_without_a_root_element() -> None:
    log = event_xml(NIGHT.read_text())
    assert len(log) == 7
    first = log[0]
    assert first.provider == VMMS
    assert first.event_id == 18012
    assert first.level == EventLevel.ERROR
    assert first.time_created == datetime(2026, 12, 6, 2, 0, 1, 123456, tzinfo=UTC)
    assert first.computer == "HV22-NODE1.contoso.com"
    assert first.channel == "Microsoft-Windows-Hyper-V-VMMS-Admin"
    assert first.record_id == 1201
    assert first.field("vmname") == "APP01"
    assert first.message is not None
    assert first.message.startswith("Could not create backup")
    vss = log[2]
    assert vss.data == (
        ("1", "0x800423f4, The writer experienced a non-transient error."),
        ("2", "Microsoft Hyper-V VSS Writer"),
    )
    assert vss.message is None
    assert vss.level_label == "Warning"


def test_a_declaration_and_an_events_root_read_the_same() -> None:
    body = NIGHT.read_text()
    wrapped = f'<?xml version="1.0" encoding="UTF-16"?>\n<Events>{body}</Events>'
    assert event_xml(wrapped).events == event_xml(body).events
    assert (
        read_events(codecs.BOM_UTF16_LE + wrapped.encode("utf-16-le")).events
        == event_xml(body).events
    )


def test_malformed_xml_names_the_record_line_column_and_offset() -> None:
    lines = NIGHT.read_text().splitlines()
    lines[2] = lines[2].replace("</EventID>", "</EventId>", 1)
    with pytest.raises(InventoryError) as caught:
        event_xml("\n".join(lines))
    assert caught.value.path == "record 3"
    message = str(caught.value)
    assert "line 3" in message
    assert "character offset" in message


def test_the_offset_of_an_error_on_the_first_line_leaves_the_wrapper_out() -> None:
    with pytest.raises(InventoryError) as caught:
        event_xml("<Event><System></Sys></Event>")
    assert "line 1, column 18" in str(caught.value)
    assert "character offset 17" in str(caught.value)


def test_a_document_type_declaration_is_refused() -> None:
    text = '<!DOCTYPE x [<!ENTITY a "b">]><Event/>'
    with pytest.raises(InventoryError) as caught:
        event_xml(text)
    assert "refused: a document type declaration" in str(caught.value)


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda s: s.replace('<Provider Name="VSS"/>', "<Provider/>"), "names no provider"),
        (lambda s: s.replace("2026-12-06T02:03:41.5000000Z", "yesterday"), "ISO 8601"),
        (lambda s: s.replace(">8229<", ">x<"), "<EventID> as a whole number"),
        (
            lambda s: s.replace(
                '<System><Provider Name="VSS"/>', '<Sys><Provider Name="VSS"/>'
            ).replace(
                "88410</EventRecordID><Channel>Application</Channel><Computer>HV22-NODE1.contoso.com</Computer></System>",
                "88410</EventRecordID><Channel>Application</Channel><Computer>HV22-NODE1.contoso.com</Computer></Sys>",
            ),
            "no <System>",
        ),
    ],
)
def test_a_record_without_what_it_needs_is_an_error_or_skipped_and_counted(
    damage: object, expected: str
) -> None:
    text = damage(NIGHT.read_text())  # type: ignore[operator]
    with pytest.raises(InventoryError) as caught:
        event_xml(text)
    assert caught.value.path == "record 3"
    assert expected in str(caught.value)
    log = event_xml(text, skip_bad=True)
    assert len(log) == 6
    assert log.skipped == 1
    assert log.problems[0].path == "record 3"


def test_xml_without_events_is_an_error() -> None:
    with pytest.raises(InventoryError, match="no <Event> element"):
        event_xml("<Events></Events>")
    with pytest.raises(TypeError):
        event_xml(b"<Event/>")  # type: ignore[arg-type]


def test_progress_is_reported_every_thousand_records() -> None:
    record = NIGHT.read_text().splitlines()[2]
    seen: list[int] = []
    log = event_xml("\n".join([record] * 2500), progress=seen.append)
    assert len(log) == 2500
    assert seen == [1000, 2000]


# --- JSON -----------------------------------------------------------------------------


def _json_event(**changes: object) -> dict[str, object]:
    item: dict[str, object] = {
        "Id": 8229,
        "ProviderName": "VSS",
        "Level": 3,
        "LevelDisplayName": "Warning",
        "TimeCreated": "/Date(1765000000000)/",
        "MachineName": "HV01",
        "LogName": "Application",
        "RecordId": 7,
        "Message": "A VSS writer has rejected an event with error 0x800423f4.",
        "Properties": [{"Value": "0x800423f4"}, {"Value": 5}, {"Value": None}],
    }
    item.update(changes)
    return item


def test_windows_powershell_5_1_json_reads_with_its_dates_and_bom() -> None:
    text = json.dumps([_json_event()]).replace("/Date(", "\\/Date(").replace(")/", ")\\/")
    for data in (text.encode("utf-8"), codecs.BOM_UTF16_LE + text.encode("utf-16-le"), text):
        (event,) = winevent_json(data)
        assert event.time_created == datetime(2025, 12, 6, 5, 46, 40, tzinfo=UTC)
        assert event.data == (("1", "0x800423f4"), ("2", "5"), ("3", ""))
        assert event.channel == "Application"
        assert event.record_id == 7
        assert event.message is not None


def test_powershell_7_json_reads_local_times_as_utc() -> None:
    (event,) = winevent_json(
        json.dumps(_json_event(TimeCreated="2025-12-06T06:46:40.1234567+01:00"))
    )
    assert event.time_created == datetime(2025, 12, 6, 5, 46, 40, 123456, tzinfo=UTC)


def test_a_time_through_select_object_and_one_event_alone_read() -> None:
    item = _json_event(TimeCreated={"value": "/Date(1765000000000)/", "DisplayHint": 2})
    (event,) = winevent_json(json.dumps(item))
    assert event.time_created.year == 2025


def test_json_without_level_reads_as_level_zero() -> None:
    (event,) = winevent_json(json.dumps([_json_event(Level=None, Message="")]))
    assert event.level == 0
    assert event.message is None


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"Id": "8229"}, "[1].Id"),
        ({"ProviderName": None}, "[1].ProviderName"),
        ({"TimeCreated": "soon"}, "[1].TimeCreated"),
        ({"Level": -1}, "[1].Level"),
        ({"RecordId": 1.5}, "[1].RecordId"),
        ({"Properties": "x"}, "[1].Properties"),
    ],
)
def test_a_bad_json_event_names_its_path(change: dict[str, object], path: str) -> None:
    text = json.dumps([_json_event(), _json_event(**change)])
    with pytest.raises(InventoryError) as caught:
        winevent_json(text)
    assert caught.value.path == path
    log = winevent_json(text, skip_bad=True)
    assert (len(log), log.skipped) == (1, 1)


def test_json_that_is_not_an_event_is_an_error() -> None:
    with pytest.raises(InventoryError) as caught:
        winevent_json("[1]")
    assert caught.value.path == "[0]"
    with pytest.raises(InventoryError):
        winevent_json("{not json")
    with pytest.raises(InventoryError) as single:
        winevent_json(json.dumps(_json_event(Id=None)))
    assert single.value.path == "Id"


# --- .evtx ----------------------------------------------------------------------------


def test_an_evtx_file_reads_the_same_events_as_its_xml() -> None:
    log = evtx_events(write_evtx(_records(5)))
    assert [e.record_id for e in log] == [1, 2, 3, 4, 5]
    assert log[0].field("VmName") == "VM1"
    assert log[1].data == (("1", "0x800423f4"), ("Writer", "w"))
    assert log[1].time_created == T0 + timedelta(seconds=2)
    assert isinstance(log, EventLog)
    assert log.skipped == 0


def test_the_generated_files_are_valid_for_a_second_parser() -> None:
    """python-evtx, written independently of the ``evtx`` library, reads them too."""
    import Evtx.Evtx  # type: ignore[import-untyped]

    data = write_evtx(_records(4), per_chunk=3)
    header = Evtx.Evtx.FileHeader(data, 0x0)
    numbers = [record.record_num() for chunk in header.chunks() for record in chunk.records()]
    assert numbers == [1, 2, 3, 4]
    assert header.verify()


def test_many_chunks_are_read_in_order() -> None:
    log = evtx_events(write_evtx(_records(120), per_chunk=50))
    assert [e.record_id for e in log] == list(range(1, 121))


def test_an_evtx_file_cut_short_names_its_chunk_and_offset() -> None:
    data = write_evtx(_records(3))
    with pytest.raises(InventoryError) as caught:
        evtx_events(data[:-1000])
    assert caught.value.path == "chunk 0"
    assert "offset 4096" in str(caught.value)
    with pytest.raises(InventoryError) as header:
        evtx_events(data[:100])
    assert header.value.path == "header"
    with pytest.raises(InventoryError, match=r"not an \.evtx file"):
        evtx_events(b"x" * 5000)
    with pytest.raises(TypeError):
        evtx_events("ElfFile")  # type: ignore[arg-type]


def _damaged_second_record() -> bytes:
    data = bytearray(write_evtx(_records(3)))
    # The second record begins after the first: find its signature and spoil its XML.
    second = data.index(b"**\x00\x00", 4096 + 512 + 24)
    data[second + 40 : second + 60] = b"\xff" * 20
    return bytes(data)


def test_a_record_that_cannot_be_read_is_an_error_or_skipped_and_counted() -> None:
    data = _damaged_second_record()
    with pytest.raises(InventoryError) as caught:
        evtx_events(data)
    assert caught.value.path == "record 2"
    assert "cannot be read" in str(caught.value)
    log = evtx_events(data, skip_bad=True)
    assert [e.record_id for e in log] == [1, 3]
    assert log.skipped == 1


# --- reading any form -----------------------------------------------------------------


def test_read_events_tells_the_form_from_the_first_bytes() -> None:
    assert event_form(write_evtx(_records(1))) == "evtx"
    assert event_form(NIGHT.read_bytes()) == "xml"
    assert event_form(codecs.BOM_UTF8 + b"\r\n [") == "json"
    assert len(read_events(write_evtx(_records(2)))) == 2
    assert len(read_events(json.dumps([_json_event()]).encode())) == 1
    with pytest.raises(InventoryError, match="not an event log"):
        read_events(b"Writer name: 'x'")


def test_the_three_forms_of_one_event_are_equal() -> None:
    xml = NIGHT.read_text().splitlines()[2]
    from_xml = event_xml(xml)[0]
    element = event_element(
        provider="VSS",
        event_id=8229,
        level=3,
        time_created=datetime(2026, 12, 6, 2, 3, 41, 500000, tzinfo=UTC),
        record_id=88410,
        channel="Application",
        computer="HV22-NODE1.contoso.com",
        data=[
            (None, "0x800423f4, The writer experienced a non-transient error."),
            (None, "Microsoft Hyper-V VSS Writer"),
        ],
    )
    from_evtx = evtx_events(write_evtx([EvtxRecord(88410, from_xml.time_created, element)]))[0]
    from_json = winevent_json(
        json.dumps(
            _json_event(
                Id=8229,
                MachineName="HV22-NODE1.contoso.com",
                RecordId=88410,
                Message=None,
                TimeCreated="2026-12-06T02:03:41.5Z",
                Properties=[{"Value": v} for _, v in from_xml.data],
            )
        )
    )[0]
    assert from_xml == from_evtx == from_json


# --- the record type ------------------------------------------------------------------


def test_parse_time_refuses_what_is_no_time() -> None:
    assert parse_time("2026-02-30T00:00:00Z") is None
    assert parse_time("0001-01-01T00:00:00+01:00") is None
    assert parse_time("2026-12-06 02:00:01.5") == datetime(2026, 12, 6, 2, 0, 1, 500000, tzinfo=UTC)
    assert parse_time("2026-12-06T02:00:01-0130") == datetime(2026, 12, 6, 3, 30, 1, tzinfo=UTC)


def test_an_event_checks_its_fields() -> None:
    good = {"provider": "VSS", "event_id": 1, "level": 2, "computer": "HV01", "time_created": T0}
    Event(**good)  # type: ignore[arg-type]
    for field, value in [
        ("event_id", -1),
        ("time_created", datetime(2026, 1, 1)),
        ("data", (("a",),)),
        ("record_id", "1"),
        ("message", 5),
    ]:
        with pytest.raises(ValueError, match=field):
            Event(**{**good, field: value})  # type: ignore[arg-type]
    assert Event(**{**good, "level": 9}).level_label == "Level 9"  # type: ignore[arg-type]
    assert not Event(**{**good, "level": 4}).is_warning_or_worse  # type: ignore[arg-type]


def test_an_event_log_is_a_sequence_of_its_events() -> None:
    log = event_xml(NIGHT.read_text())
    assert list(log) == list(log.events)
    assert log[1:3] == log.events[1:3]
