"""The event log readers: .evtx, wevtutil XML and Get-WinEvent JSON give the same records."""

from __future__ import annotations

import codecs
import json
import struct
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

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
from hyperv_backup.readers.evtx import iter_evtx
from tests.paths import FIXTURES
from tests.readers.evtx_writer import (
    EvtxRecord,
    event_element,
    rechecked,
    with_loop,
    write_evtx,
)

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


def test_a_string_over_a_mebibyte_is_refused_in_every_form_of_event() -> None:
    """JSON_LIMITS promised 1 MiB strings; a 5 MiB message passed and was echoed whole."""
    long = "x" * (5 * 1024 * 1024)
    document = json.dumps(
        [{"Id": 1, "ProviderName": "VSS", "TimeCreated": "/Date(0)/", "Message": long}]
    )
    with pytest.raises(InventoryError) as caught:
        winevent_json(document)
    assert str(caught.value) == (
        "[0].Message: a string of 5242880 characters is longer than the limit of 1048576"
    )
    xml = NIGHT.read_text().replace("The operation failed.", long, 1)
    with pytest.raises(InventoryError) as caught:
        event_xml(xml)
    assert str(caught.value).startswith("<document>: refused: a piece of markup longer than")
    just_over = NIGHT.read_text().replace("The operation failed.", "y" * (1024 * 1024), 1)
    with pytest.raises(InventoryError) as caught:
        event_xml(just_over)
    assert "<Message> holds 1048" in str(caught.value)
    assert "more than the limit of 1048576" in str(caught.value)


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"MachineName": "h" * (1024 * 1024 + 1)}, "[1].MachineName"),
        ({"Properties": [{"Value": "a"}, {"Value": "v" * (1024 * 1024 + 1)}]}, "[1].Properties[1]"),
    ],
)
def test_every_string_an_event_keeps_is_bounded(changes: dict[str, object], path: str) -> None:
    """The computer, the log and each value are kept: each is bounded, with its path."""
    document = json.dumps([_json_event(), _json_event(**changes)])
    with pytest.raises(InventoryError) as caught:
        winevent_json(document)
    assert caught.value.path == path
    assert "is longer than the limit of 1048576" in str(caught.value)


def test_a_string_an_event_does_not_keep_is_not_read() -> None:
    """Only what an event keeps is bounded: a long display name it drops is not refused."""
    [event] = winevent_json(json.dumps([_json_event(LevelDisplayName="w" * (2 * 1024 * 1024))]))
    assert event.event_id == 8229


def test_values_past_the_sixty_fourth_are_named_by_position() -> None:
    properties = [{"Value": str(n)} for n in range(1, 71)]
    [event] = winevent_json(json.dumps([_json_event(Properties=properties)]))
    assert event.data[69] == ("70", "70")
    assert [name for name, _ in event.data] == [str(n) for n in range(1, 71)]


@pytest.mark.parametrize("milliseconds", ["999999999999999", "-999999999999999"])
def test_a_date_out_of_range_is_an_error_not_a_crash(milliseconds: str) -> None:
    document = json.dumps(
        {"Id": 1, "ProviderName": "VSS", "TimeCreated": f"/Date({milliseconds})/"}
    )
    with pytest.raises(InventoryError) as caught:
        winevent_json(document)
    assert caught.value.path == "TimeCreated"


@pytest.mark.parametrize(
    "piece",
    [
        "<!--{}-->",
        "<!--{}",
        "<![CDATA[{}]]>",
        '<Extra a="{}"/>',
        "<?pi {}?>",
    ],
)
def test_markup_too_long_for_the_parser_is_refused_before_it_sees_it(piece: str) -> None:
    """Expat 2.5 scans a long token again on every read: a 16 MB comment took 35 s."""
    # Comments, CDATA and processing instructions may hold "<"; attribute values may hold ">".
    unit = "<>" if piece.startswith(("<!", "<?")) else ">"
    filler = unit * (1200 * 1024 // len(unit))
    text = NIGHT.read_text() + piece.format(filler)
    with pytest.raises(InventoryError) as caught:
        event_xml(text)
    message = str(caught.value)
    assert "a piece of markup longer than 1114112 characters" in message
    assert f"(character offset {len(NIGHT.read_text())})" in message


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


def _chunk(number: int) -> slice:
    start = 4096 + number * 65536
    return slice(start, start + 65536)


@pytest.mark.parametrize(
    ("table", "steps"), [("names", 1), ("names", 2), ("names", 3), ("templates", 2)]
)
def test_a_chunk_whose_names_or_templates_loop_is_refused_before_the_library_sees_it(
    table: str, steps: int
) -> None:
    """A two-step loop of names made the library loop for ever, deaf to Ctrl-C (69 KB file)."""
    data = with_loop(write_evtx(_records(3)), table, steps)
    assert len(data) == 69_632
    with pytest.raises(InventoryError) as caught:
        evtx_events(data)
    assert caught.value.path == "chunk 0"
    assert f"the chain of {table} loops back to offset" in str(caught.value)
    assert "(at offset 4096)" in str(caught.value)


def test_a_looping_chunk_is_skipped_and_counted_with_skip_bad() -> None:
    data = write_evtx(_records(6), per_chunk=3)
    data = with_loop(data, "names", 2, chunk=1)
    log = evtx_events(data, skip_bad=True)
    assert [e.record_id for e in log] == [1, 2, 3]
    assert log.skipped == 1
    assert log.problems[0].path == "chunk 1"
    assert "(at offset 69632)" in log.problems[0].message


def test_a_zeroed_chunk_in_the_middle_is_an_error_not_a_silent_loss() -> None:
    """120 events in three chunks, the second zeroed: 50 events were once dropped unseen."""
    data = bytearray(write_evtx(_records(120), per_chunk=50))
    data[_chunk(1)] = bytes(65536)
    with pytest.raises(InventoryError) as caught:
        evtx_events(bytes(data))
    assert str(caught.value) == "chunk 1: the chunk is all zeros (at offset 69632)"
    log = evtx_events(bytes(data), skip_bad=True)
    assert len(log) == 70
    assert log.skipped == 1


def test_zeros_beyond_the_chunks_the_header_counts_are_unused_space() -> None:
    data = write_evtx(_records(3)) + bytes(65536)
    assert [e.record_id for e in evtx_events(data)] == [1, 2, 3]


def test_a_file_with_no_chunk_that_can_be_read_is_no_empty_log() -> None:
    """The evtx signature and zeros once read as a valid, empty log."""
    with pytest.raises(InventoryError, match="the file header is damaged"):
        evtx_events(b"ElfFile\x00" + bytes(4088 + 65536))
    header = write_evtx([])
    assert len(header) == 4096
    with pytest.raises(InventoryError, match="holds no chunk that could be read"):
        evtx_events(header)
    with pytest.raises(InventoryError, match="holds no chunk that could be read"):
        evtx_events(header + bytes(65536))


def test_the_header_checksum_and_chunk_count_are_checked() -> None:
    data = bytearray(write_evtx(_records(120), per_chunk=50))
    data[50] ^= 1
    with pytest.raises(InventoryError, match="the file header is damaged: its checksum is"):
        evtx_events(bytes(data))
    data = bytearray(write_evtx(_records(120), per_chunk=50))
    struct.pack_into("<H", data, 42, 4)
    struct.pack_into("<I", data, 124, zlib.crc32(bytes(data[:120])))
    with pytest.raises(InventoryError, match="the header counts 4 chunks, the file holds 3"):
        evtx_events(bytes(data))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda c: c.__setitem__(slice(0, 8), b"ElfChnX\x00"), "the chunk begins"),
        (lambda c: c.__setitem__(40, c[40] ^ 1), "the chunk header is damaged"),
    ],
)
def test_a_chunk_header_that_does_not_check_is_an_error(
    damage: Callable[[bytearray], None], message: str
) -> None:
    data = bytearray(write_evtx(_records(3)))
    chunk = bytearray(data[_chunk(0)])
    damage(chunk)
    data[_chunk(0)] = chunk
    with pytest.raises(InventoryError, match=message):
        evtx_events(bytes(data))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (48, 70000, "free space at offset 70000"),
        (512 + 4, 5, "gives its size as 5"),
        (512 + 8, 7, "is record 7, not 1"),
        (32, 9, "its last record is 9"),
    ],
)
def test_records_that_do_not_follow_one_another_are_an_error(
    field: int, value: int, message: str
) -> None:
    data = bytearray(write_evtx(_records(3)))
    struct.pack_into("<I", data, 4096 + field, value)
    with pytest.raises(InventoryError, match=message):
        evtx_events(rechecked(bytes(data)))


def test_records_that_do_not_match_their_checksum_are_an_error_or_skipped() -> None:
    """A value changed in place reads, but is not what Windows wrote: the chunk is named."""
    data = bytearray(write_evtx(_records(6), per_chunk=3))
    at = data.index("VM1".encode("utf-16-le"))
    data[at : at + 6] = "VM9".encode("utf-16-le")
    with pytest.raises(InventoryError) as caught:
        evtx_events(bytes(data))
    assert str(caught.value) == (
        "chunk 0: its records do not match the chunk's checksum of them (at offset 4096)"
    )
    log = evtx_events(bytes(data), skip_bad=True)
    assert [e.record_id for e in log] == [4, 5, 6]
    assert log.skipped == 1


def test_an_evtx_file_is_read_from_a_stream_one_chunk_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "big.evtx"
    path.write_bytes(write_evtx(_records(120), per_chunk=50))
    reads: list[int] = []
    with path.open("rb") as file:
        original = file.read

        def read(size: int | None = -1) -> bytes:
            reads.append(-1 if size is None else size)
            return original(size)

        file.read = read  # type: ignore[method-assign]
        events = list(iter_evtx(file))
    assert [e.record_id for e in events] == list(range(1, 121))
    assert reads == [4096, 65536, 65536, 65536]


# --- reading any form -----------------------------------------------------------------


def test_read_events_tells_the_form_from_the_first_bytes() -> None:
    assert event_form(write_evtx(_records(1))) == "evtx"
    assert event_form(NIGHT.read_bytes()) == "xml"
    assert event_form(codecs.BOM_UTF8 + b"\r\n [") == "json"
    assert len(read_events(write_evtx(_records(2)))) == 2
    assert len(read_events(json.dumps([_json_event()]).encode())) == 1
    with pytest.raises(InventoryError, match="not an event log"):
        read_events(b"Writer name: 'x'")
    for empty in (b"", b" \r\n"):
        with pytest.raises(InventoryError, match=r"^<document>: an empty file, not an event log$"):
            read_events(empty)


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


def test_a_value_written_as_json_is_bounded_whatever_the_file_holds() -> None:
    """A list value becomes longer text than it was read from: refused alone and among others."""
    value = [1] * 400_000  # "[1, 1, ...]": 1.2 million characters, from 0.8 million
    alone = json.dumps([_json_event(Properties=[{"Value": value}])], separators=(",", ":"))
    assert len(alone) < 1024 * 1024
    for document in (
        alone,
        json.dumps([_json_event(), _json_event(Properties=[{"Value": value}])]),
    ):
        with pytest.raises(InventoryError, match=r"Properties\[0\]: a string of \d+ characters"):
            winevent_json(document)
