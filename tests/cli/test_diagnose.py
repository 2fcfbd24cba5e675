"""``hyperv-backup diagnose``: logs in every form, writers, inventory, --since, exit codes."""

from __future__ import annotations

import errno
import html
import json
import os
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, BinaryIO

import pytest

from hyperv_backup.cli import EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, EXIT_USAGE
from hyperv_backup.cli._options import _since
from tests.cli._shared_cli import Page, fake_stdin, schema, validate
from tests.paths import FIXTURES
from tests.readers.evtx_writer import EvtxRecord, event_element, write_evtx

NIGHT = str(FIXTURES / "events" / "cluster-2022-night.xml")
WRITERS = str(FIXTURES / "samples" / "vssadmin-list-writers-hyperv-failed-blog-1.txt")
SINCE = ["--since", "2026-12-05T00:00:00Z"]


def _report(out: str) -> dict[str, Any]:
    """Read a diagnosis's JSON, which must be valid against the published schema."""
    return validate("diagnose", out)


def test_the_night_of_the_example_fails_the_gate_and_names_the_causes(run: Any) -> None:
    result = run("diagnose", NIGHT, "--example", "cluster-2022", "--writers", WRITERS, *SINCE)
    assert result.code == EXIT_FINDINGS
    assert "Explained by HVB603" in result.out
    assert "Read: 7 events, 6 since 2026-12-05 00:00:00Z, 2 VSS writers" in result.out
    assert result.err == ""


def test_fail_on_never_and_ignore_pass_the_gate(run: Any) -> None:
    assert run("diagnose", NIGHT, "--fail-on", "never").code == EXIT_OK
    ignored = ",".join(f"HVB7{n:02}" for n in range(12))
    result = run("diagnose", NIGHT, "--ignore", ignored)
    assert result.code == EXIT_OK
    assert "Nothing in the logs" in result.out


def test_json_output_keeps_the_raw_event(run: Any) -> None:
    result = run("diagnose", NIGHT, "--format", "json", *SINCE)
    document = _report(result.out)
    assert document["command"] == "diagnose"
    assert document["logs"] == [NIGHT]
    assert document["failed"] is True
    assert document["read"]["considered"] == 6
    assert document["findings"][0]["event"]["record_id"] == 1201


def test_markdown_and_html_output(run: Any) -> None:
    assert "## VM APP01" in run("diagnose", NIGHT, "--format", "markdown").out
    page = Page(run("diagnose", NIGHT, "--format", "html").out)
    assert page.unbalanced == []
    assert "table" in page.tags


def test_several_logs_in_every_form_are_read_together(run: Any, tmp_path: Path) -> None:
    stamp = datetime(2026, 12, 6, 3, tzinfo=UTC)
    element = event_element(
        provider="VSS",
        event_id=8229,
        level=3,
        time_created=stamp,
        record_id=9,
        channel="Application",
        computer="HV22-NODE1",
    )
    evtx = tmp_path / "app.evtx"
    evtx.write_bytes(write_evtx([EvtxRecord(9, stamp, element)]))
    ps = tmp_path / "vmms.json"
    ps.write_text(
        json.dumps(
            {
                "Id": 12293,
                "ProviderName": "VSS",
                "Level": 2,
                "TimeCreated": "2026-12-06T03:05:00Z",
                "Message": "guest",
            }
        ),
        encoding="utf-16",
    )
    result = run("diagnose", str(evtx), str(ps), NIGHT, "--format", "json")
    rules = [f["rule"] for f in _report(result.out)["findings"]]
    assert "HVB706" in rules
    assert "HVB734" in rules  # VSS 12293 logged on the host
    assert _report(result.out)["read"]["events"] == 9


def test_a_bad_log_is_invalid_and_named(run: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<Event><System>")
    result = run("diagnose", str(bad))
    assert result.code == EXIT_INVALID
    assert f"{bad} is not a valid event log" in result.err
    assert "record 1" in result.err


def test_skip_bad_counts_unreadable_records(run: Any, tmp_path: Path) -> None:
    text = Path(NIGHT).read_text().replace('<Provider Name="VSS"/>', "<Provider/>")
    damaged = tmp_path / "damaged.xml"
    damaged.write_text(text)
    assert run("diagnose", str(damaged)).code == EXIT_INVALID
    result = run("diagnose", str(damaged), "--skip-bad", "--fail-on", "never")
    assert result.code == EXIT_OK
    assert "1 records skipped" in result.out


def test_bad_writers_inventory_and_arguments(run: Any, tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("Writer name: 'x'\n   Writer Id: (none)\n")
    assert run("diagnose", NIGHT, "--writers", str(junk)).code == EXIT_INVALID
    assert run("diagnose", NIGHT, "--inventory", str(junk)).code == EXIT_INVALID
    assert run("diagnose", NIGHT, "--inventory", str(junk), "--example").code == EXIT_USAGE
    assert run("diagnose").code == EXIT_USAGE
    assert run("diagnose", NIGHT, "--since", "yesterday").code == EXIT_USAGE
    assert run("diagnose", str(tmp_path / "missing.evtx")).code == EXIT_INVALID


def test_an_inventory_file_is_read(run: Any, tmp_path: Path) -> None:
    inventory = tmp_path / "inventory.json"
    inventory.write_text(run("example", "cluster-2022").out)
    result = run("diagnose", NIGHT, "--inventory", str(inventory), "--format", "json")
    assert _report(result.out)["inventory"] == str(inventory)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("24h", timedelta(hours=24)),
        ("90m", timedelta(minutes=90)),
        ("7d", timedelta(days=7)),
        ("2W", timedelta(weeks=2)),
    ],
)
def test_since_takes_a_span_back_from_now(value: str, expected: timedelta) -> None:
    now = datetime(2026, 12, 7, tzinfo=UTC)
    assert _since(value, now) == now - expected


def test_since_takes_a_time_read_as_utc_without_a_zone() -> None:
    assert _since("2026-12-06T22:00:00") == datetime(2026, 12, 6, 22, tzinfo=UTC)
    assert _since("2026-12-06T23:00:00+01:00") == datetime(2026, 12, 6, 22, tzinfo=UTC)
    assert _since(None) is None


def test_a_directory_and_a_glob_give_their_logs(run: Any, tmp_path: Path) -> None:
    """A folder of exported logs is its .evtx, .xml and .json files; a glob its matches."""
    text = Path(NIGHT).read_text(encoding="utf-8")
    (tmp_path / "node1").mkdir()
    (tmp_path / "node1" / "vmms.xml").write_text(text, encoding="utf-8")
    (tmp_path / "readme.txt").write_text("not a log", encoding="utf-8")
    alone = _report(run("diagnose", NIGHT, "--format", "json", "--fail-on", "never").out)
    folder = _report(run("diagnose", str(tmp_path), "--format", "json", "--fail-on", "never").out)
    assert folder["findings"] == alone["findings"]
    pattern = str(tmp_path / "**" / "*.xml")
    globbed = _report(run("diagnose", pattern, "--format", "json", "--fail-on", "never").out)
    assert globbed["findings"] == alone["findings"]
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("diagnose", str(empty))
    assert result.code == 2
    assert "no .evtx, .xml or .json file in the directory" in result.err


def _evtx_of(count: int) -> bytes:
    stamp = datetime(2026, 12, 6, 2, tzinfo=UTC)
    return write_evtx(
        [
            EvtxRecord(
                n,
                stamp + timedelta(seconds=n),
                event_element(
                    provider="VSS",
                    event_id=8229,
                    level=3,
                    time_created=stamp + timedelta(seconds=n),
                    record_id=n,
                    channel="Application",
                    computer="HV01",
                    data=[(None, "0x800423f4")],
                ),
            )
            for n in range(1, count + 1)
        ],
        per_chunk=50,
    )


def test_a_damaged_chunk_stops_the_run_or_is_skipped_and_fails_the_gate(
    run: Any, tmp_path: Path
) -> None:
    """A zeroed chunk dropped 50 of 120 events with no note, skipped=0 and exit 0."""
    data = bytearray(_evtx_of(120))
    data[4096 + 65536 : 4096 + 2 * 65536] = bytes(65536)
    log = tmp_path / "app.evtx"
    log.write_bytes(bytes(data))
    stopped = run("diagnose", str(log), "--fail-on", "never")
    assert stopped.code == EXIT_INVALID
    assert "chunk 1: the chunk is all zeros (at offset 69632)" in stopped.err
    skipped = run("diagnose", str(log), "--skip-bad", "--fail-on", "info", "--format", "json")
    assert skipped.code == EXIT_FINDINGS
    document = _report(skipped.out)
    assert document["read"]["skipped"] == 1
    assert "1 unreadable record(s) or chunk(s) skipped (--skip-bad)" in skipped.err
    assert "chunk 1: skipped: the chunk is all zeros (at offset 69632)" in skipped.err
    assert run("diagnose", str(log), "--skip-bad", "--fail-on", "never").code == EXIT_OK


def test_an_evtx_file_is_read_from_the_disk_a_chunk_at_a_time(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The diagnosis read a whole log (up to 4 GiB) before it looked at it."""
    log = tmp_path / "app.evtx"
    log.write_bytes(_evtx_of(120))
    sizes: list[int] = []
    from hyperv_backup.readers import evtx as reader

    real = reader._chunk_events

    def counted(header: bytes, chunk: bytes, *args: Any, **kwargs: Any) -> Any:
        sizes.append(len(chunk))
        return real(header, chunk, *args, **kwargs)

    monkeypatch.setattr(reader, "_chunk_events", counted)
    monkeypatch.setattr("hyperv_backup.cli._io.read_at_most", lambda *a: pytest.fail("read whole"))
    result = run("diagnose", str(log), "--fail-on", "never", "--format", "json")
    assert result.code == EXIT_OK
    assert sizes == [65536, 65536, 65536]
    assert _report(result.out)["read"]["events"] == 120


def test_an_export_over_the_limit_of_its_form_is_refused_before_it_is_read(
    run: Any, tmp_path: Path
) -> None:
    """A 1.2 GB XML file took 2.5 GB of memory before it was refused."""
    log = tmp_path / "huge.xml"
    with log.open("wb") as file:
        file.write(b"<Events>")
        file.truncate(1024 * 1024 * 1024 + 1)  # sparse: nothing is written, nothing is read
    result = run("diagnose", str(log))
    assert result.code == EXIT_INVALID
    assert "the xml export is larger than the limit of 1073741824 bytes" in result.err


def test_an_event_time_out_of_range_is_an_error_not_a_crash(run: Any, tmp_path: Path) -> None:
    log = tmp_path / "events.json"
    log.write_text(
        '[{"Id": 1, "ProviderName": "VSS", "TimeCreated": "\\/Date(999999999999999)\\/"}]',
        encoding="utf-8",
    )
    result = run("diagnose", str(log))
    assert result.code == EXIT_INVALID
    assert "[0].TimeCreated: expected a time" in result.err


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_a_lone_surrogate_in_an_event_is_shown_not_a_crash(
    run: Any, tmp_path: Path, fmt: str
) -> None:
    log = tmp_path / "events.json"
    log.write_text(
        '[{"Id": 18012, "ProviderName": "Microsoft-Windows-Hyper-V-VMMS", "Level": 2,'
        ' "TimeCreated": "2026-12-06T02:00:00Z", "MachineName": "HV\\ud800",'
        ' "Message": "Could not create backup checkpoint for \'VM\\udfff\'"}]',
        encoding="utf-8",
    )
    result = run("diagnose", str(log), "--format", fmt)
    assert result.code == EXIT_FINDINGS


_UNKNOWN_ERROR = (
    '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System>'
    '<Provider Name="Microsoft-Windows-Hyper-V-VMMS"/><EventID>64001</EventID><Level>2</Level>'
    '<TimeCreated SystemTime="2026-12-06T02:00:01.0000000Z"/>'
    "<Channel>Microsoft-Windows-Hyper-V-VMMS-Admin</Channel><Computer>HV01</Computer>"
    "</System></Event>"
)


def test_an_unknown_error_fails_the_run_only_with_strict(run: Any, tmp_path: Path) -> None:
    """HVB700 keeps its level in the report; it weighs as a warning unless --strict."""
    log = tmp_path / "unknown.xml"
    log.write_text(_UNKNOWN_ERROR, encoding="utf-8")
    lenient = run("diagnose", str(log), "--format", "json")
    assert lenient.code == EXIT_OK
    report = _report(lenient.out)
    (finding,) = report["findings"]
    assert (finding["rule"], finding["severity"], finding["place"]) == ("HVB700", "error", "host")
    assert report["strict"] is False
    assert run("diagnose", str(log), "--strict").code == EXIT_FINDINGS
    assert run("diagnose", str(log), "--fail-on", "warning").code == EXIT_FINDINGS


def test_a_writers_listing_is_diagnosed_without_a_log(run: Any) -> None:
    result = run("diagnose", "--writers", WRITERS, "--format", "json")
    assert result.code == EXIT_FINDINGS
    report = _report(result.out)
    assert report["read"]["events"] == 0
    assert {f["rule"] for f in report["findings"]} >= {"HVB703"}
    assert run("diagnose").code == EXIT_USAGE


def test_the_place_of_a_finding_is_shown_in_every_format(run: Any) -> None:
    markdown = run("diagnose", NIGHT, "--example", "cluster-2022", "--format", "markdown").out
    assert "| Where |" in markdown
    assert "host HV22-NODE1" in markdown
    assert "Logged on: host" in run("diagnose", NIGHT).out
    assert (
        '<td data-label="Where">host HV22-NODE1' in run("diagnose", NIGHT, "--format", "html").out
    )


# --- the encoding of a writers listing ------------------------------------------------

LISTINGS = FIXTURES / "writers"
CP850 = str(LISTINGS / "madeup-fr-cp850-hyperv-failed.txt")
#: A listing whose one character outside ASCII cp850 reads as 'ï' and cp852 as 'ő'.
_TIED = (
    b"Writer name: 'N\x8b'\r\n   Writer Id: {66841cd4-6ded-4f4b-8f17-fd23f8ddc3de}\r\n"
    b"   Writer Instance Id: {4a1c2f0e-93b7-4d5a-b8e6-2f0c7d91a356}\r\n"
    b"   State: [1] Stable\r\n   Last error: No error\r\n"
)


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_every_format_names_the_encoding_of_the_writers_listing(run: Any, fmt: str) -> None:
    out = html.unescape(" ".join(run("diagnose", "--writers", CP850, "--format", fmt).out.split()))
    assert "madeup-fr-cp850-hyperv-failed.txt: read as cp850 (the code page whose" in out
    assert "rédacteur" not in out  # the labels are read, never shown
    assert "Délai dépassé" in out  # the last error, decoded


def test_json_names_the_encoding_of_the_writers_listing(run: Any) -> None:
    report = _report(run("diagnose", "--writers", CP850, "--format", "json").out)
    assert report["writers"] == {
        "source": CP850,
        "encoding": "cp850",
        "basis": "labels",
        "same": ["cp437"],
    }
    assert _report(run("diagnose", NIGHT, "--format", "json").out)["writers"] is None


def test_a_listing_whose_code_page_is_not_told_asks_for_it_on_one_line(
    run: Any, tmp_path: Path
) -> None:
    listing = tmp_path / "writers.txt"
    listing.write_bytes(_TIED)
    asked = run("diagnose", "--writers", str(listing))
    assert asked.code == EXIT_USAGE
    assert asked.err.count("\n") == 1
    assert "cannot tell the code page of" in asked.err
    assert "cp850 and cp852 read it as different text" in asked.err
    assert "--encoding cp850" in asked.err
    given = run("diagnose", "--writers", str(listing), "--encoding", "CP852", "--format", "json")
    assert given.code == EXIT_OK
    report = _report(given.out)
    assert (report["writers"]["encoding"], report["writers"]["basis"]) == ("cp852", "given")
    assert report["findings"] == []
    assert (
        "read as cp852 (as given)"
        in run("diagnose", "--writers", str(listing), "--encoding", "cp852").out
    )


def test_an_encoding_is_given_only_where_the_listing_does_not_say_its_own(run: Any) -> None:
    """UTF-16 with its mark is read as UTF-16 whatever --encoding says."""
    utf16 = str(LISTINGS / "madeup-fr-utf16-hyperv-failed.txt")
    result = run("diagnose", "--writers", utf16, "--encoding", "cp1252", "--format", "json")
    assert _report(result.out)["writers"]["encoding"] == "utf-16-le"


def test_bad_encodings_and_bytes_are_refused(run: Any, tmp_path: Path) -> None:
    assert run("diagnose", "--writers", CP850, "--encoding", "no-such").code == EXIT_USAGE
    assert run("diagnose", "--writers", CP850, "--encoding", "rot13").code == EXIT_USAGE
    bad = tmp_path / "writers.txt"
    bad.write_bytes(b"Writer name: '\x82 '")
    refused = run("diagnose", "--writers", str(bad), "--encoding", "cp932")
    assert refused.code == EXIT_INVALID
    assert "not valid cp932 text at byte offset 14" in refused.err
    unread = tmp_path / "signs.txt"
    unread.write_bytes(b"\x80\xb0")
    assert (
        "no code page a localised vssadmin writes" in run("diagnose", "--writers", str(unread)).err
    )


def test_a_writers_listing_over_its_limit_is_refused_before_it_is_read(
    run: Any, tmp_path: Path
) -> None:
    from hyperv_backup.readers.capture import MAX_CAPTURE_BYTES

    huge = tmp_path / "writers.txt"
    with huge.open("wb") as file:
        file.truncate(MAX_CAPTURE_BYTES + 1)
    result = run("diagnose", "--writers", str(huge))
    assert result.code == EXIT_INVALID
    assert f"larger than the limit of {MAX_CAPTURE_BYTES} bytes" in result.err


def test_a_writers_listing_is_read_from_standard_input(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_stdin(monkeypatch, Path(CP850).read_bytes())
    out = run("diagnose", "--writers", "-").out
    assert "Writers listing <stdin>: read as cp850" in out


# --- --skip-bad and the files of a directory ------------------------------------------


def _folder(tmp_path: Path) -> Path:
    """Make a folder of logs: the night, and a text that is no log in a folder below it."""
    folder = tmp_path / "logs"
    (folder / "node2").mkdir(parents=True)
    (folder / "night.xml").write_bytes(Path(NIGHT).read_bytes())
    (folder / "node2" / "notes.xml").write_text("written by hand, not by wevtutil", "utf-8")
    return folder


def test_a_bad_file_of_a_directory_stops_the_run_without_skip_bad(run: Any, tmp_path: Path) -> None:
    result = run("diagnose", str(_folder(tmp_path)))
    assert result.code == EXIT_INVALID
    assert "notes.xml is not a valid event log" in result.err


def test_skip_bad_skips_a_bad_file_of_a_directory_names_it_and_fails_the_gate(
    run: Any, tmp_path: Path
) -> None:
    folder = _folder(tmp_path)
    alone = _report(run("diagnose", NIGHT, "--format", "json", "--fail-on", "never").out)
    result = run("diagnose", str(folder), "--skip-bad", "--format", "json", "--fail-on", "never")
    assert result.code == EXIT_OK
    report = _report(result.out)
    assert report["findings"] == alone["findings"]
    (skipped,) = report["skipped_files"]
    assert skipped["path"] == str(folder / "node2" / "notes.xml")
    assert skipped["problem"].startswith("skipped: not an event log: expected an .evtx file")
    assert "1 unreadable or invalid file(s) skipped (--skip-bad):" in result.err
    assert f"{folder / 'node2' / 'notes.xml'}: skipped: not an event log" in result.err
    # Without --fail-on never, a log left out is no clean answer, as a record is.
    info = ",".join(f"HVB7{n:02}" for n in range(12))
    gated = run("diagnose", str(folder), "--skip-bad", "--ignore", info, "--ignore", "HVB734")
    assert gated.code == EXIT_FINDINGS
    assert "1 file skipped as unreadable or not a valid log (--skip-bad): notes.xml" in gated.out


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_every_format_names_the_skipped_files(run: Any, tmp_path: Path, fmt: str) -> None:
    out = run("diagnose", str(_folder(tmp_path)), "--skip-bad", "--format", fmt).out
    assert "1 file skipped as unreadable or not a valid log (--skip-bad): notes.xml" in out


def test_a_file_named_on_the_command_line_is_never_skipped(run: Any, tmp_path: Path) -> None:
    """--skip-bad passes over what a directory or glob gave, not what the user named."""
    notes = _folder(tmp_path) / "node2" / "notes.xml"
    assert run("diagnose", NIGHT, str(notes), "--skip-bad").code == EXIT_INVALID
    globbed = run("diagnose", str(tmp_path / "**" / "*.xml"), "--skip-bad", "--fail-on", "never")
    assert globbed.code == EXIT_OK
    assert "notes.xml: skipped" in globbed.err


def test_unreadable_files_and_folders_of_a_directory_are_skipped_and_named(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path)
    (folder / "node2" / "notes.xml").unlink()
    locked = folder / "node3"
    locked.mkdir()
    (locked / "vmms.xml").write_bytes(Path(NIGHT).read_bytes())
    denied = folder / "node2" / "app.evtx"
    denied.write_bytes(b"")
    real_scandir, real_open = os.scandir, os.open

    def scandir(path: Any) -> Any:
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    def open_(path: Any, flags: int, *args: Any) -> int:
        if Path(path) == denied:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "open", open_)
    stopped = run("diagnose", str(folder))
    assert stopped.code == EXIT_INVALID  # an input that cannot be read, as for check and plan
    assert "Permission denied" in stopped.err
    result = run("diagnose", str(folder), "--skip-bad", "--format", "json", "--fail-on", "never")
    assert result.code == EXIT_OK
    problems = {item["path"]: item["problem"] for item in _report(result.out)["skipped_files"]}
    assert problems == {
        str(denied): "skipped: cannot be read: Permission denied",
        str(locked): "skipped: cannot be read: not a regular file: a directory",
    }


def test_many_skipped_files_are_counted_and_the_first_named(run: Any, tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    for n in range(22):
        (folder / f"notes{n:02}.xml").write_text("not a log", "utf-8")
    result = run("diagnose", str(folder), "--skip-bad")
    assert result.code == EXIT_FINDINGS
    assert "22 unreadable or invalid file(s) skipped (--skip-bad):" in result.err
    assert result.err.rstrip().endswith("... and 2 more")
    header = " ".join(result.out.split())
    assert "22 files skipped as unreadable or not a valid log (--skip-bad): notes00.xml," in header
    assert "notes04.xml and 17 more" in header
    assert (
        len(
            _report(run("diagnose", str(folder), "--skip-bad", "--format", "json").out)[
                "skipped_files"
            ]
        )
        == 22
    )


def test_a_file_that_fails_to_be_read_is_skipped_as_unreadable(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read error (a disk's, a network share's) after the file opened, not only at opening."""
    folder = _folder(tmp_path)
    (folder / "node2" / "notes.xml").unlink()
    failing = folder / "node2" / "vmms.xml"
    failing.write_bytes(Path(NIGHT).read_bytes())

    from hyperv_backup.cli._io import open_regular as real

    class Failing:
        """A file that opens, and whose every read fails."""

        def __init__(self, file: BinaryIO) -> None:
            self.file = file

        def __enter__(self) -> Failing:
            return self

        def __exit__(self, *exc: object) -> None:
            self.file.close()

        def fileno(self) -> int:
            return self.file.fileno()

        def read(self, size: int = -1, /) -> bytes:
            raise OSError(errno.EIO, "Input/output error")

    def open_regular(source: str) -> Any:
        opened = real(source)
        return Failing(opened) if Path(source) == failing else opened

    monkeypatch.setattr("hyperv_backup.cli.diagnose.open_regular", open_regular)
    result = run("diagnose", str(folder), "--skip-bad", "--format", "json", "--fail-on", "never")
    (skipped,) = _report(result.out)["skipped_files"]
    assert skipped == {
        "path": str(failing),
        "problem": "skipped: cannot be read: Input/output error",
    }
    assert run("diagnose", str(folder)).code == EXIT_INVALID


def test_events_read_before_a_file_fails_are_kept_and_counted(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only an .evtx file can fail after some of its events: the note says how many."""
    from hyperv_backup.readers import evtx as reader

    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "app.evtx").write_bytes(_evtx_of(120))
    real = reader._chunk_events

    def failing(header: bytes, chunk: bytes, number: int, *args: Any, **kwargs: Any) -> Any:
        if number == 1:
            raise reader._bad(f"chunk {number}", "made to fail here")
        return real(header, chunk, number, *args, **kwargs)

    monkeypatch.setattr(reader, "_chunk_events", failing)
    result = run("diagnose", str(folder), "--skip-bad", "--format", "json", "--fail-on", "never")
    report = _report(result.out)
    assert report["read"]["events"] == 50
    (skipped,) = report["skipped_files"]
    assert skipped["problem"] == (
        "skipped: chunk 1: made to fail here (after 50 events, which are kept)"
    )


# --- diagnose --example: the bundled night ---------------------------------------------


def test_the_example_night_runs_without_a_windows_host(run: Any) -> None:
    """Without a log, --example is the night of cluster-2022, with that example as the inventory."""
    result = run("diagnose", "--example", "--format", "json")
    assert result.code == EXIT_FINDINGS
    assert result.err == ""
    report = _report(result.out)
    assert report["logs"] == ["example:cluster-2022"]
    assert report["inventory"] == "example:cluster-2022"
    assert report["writers"]["source"] == "example:cluster-2022"
    assert report["read"] == {
        "events": 6,
        "considered": 6,
        "skipped": 0,
        "writers": 2,
        "since": None,
    }
    rules = {f["rule"] for f in report["findings"]}
    assert rules == {"HVB700", "HVB703", "HVB712", "HVB737", "HVB748", "HVB762", "HVB763"}
    assert {f["place"] for f in report["findings"] if f["event"]} == {"host", "guest"}
    named = run("diagnose", "--example", "cluster-2022", "--format", "json")
    assert _report(named.out) == report


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_the_example_night_says_what_it_is(run: Any, fmt: str) -> None:
    out = " ".join(run("diagnose", "--example", "--format", fmt).out.split())
    assert "example night of cluster-2022" in out
    assert "An example: published events and a published writers listing" in out
    assert "read as ascii" in out


def test_an_example_without_a_night_is_a_usage_error(run: Any) -> None:
    result = run("diagnose", "--example", "host")
    assert result.code == EXIT_USAGE
    assert "no bundled night of logs for the example 'host' (nights: cluster-2022)" in result.err
    assert run("diagnose", "--example", "--inventory", NIGHT).code == EXIT_USAGE


def test_with_a_log_the_example_is_the_inventory_only(run: Any) -> None:
    """Giving a log keeps --example what it was: the inventory, 'cluster' when unnamed."""
    report = _report(run("diagnose", NIGHT, "--example", "--format", "json").out)
    assert (report["logs"], report["inventory"], report["writers"]) == (
        [NIGHT],
        "example:cluster",
        None,
    )
    writers = _report(
        run("diagnose", "--writers", WRITERS, "--example", "cluster-2022", "--format", "json").out
    )
    assert (writers["logs"], writers["read"]["events"]) == ([], 0)


def test_the_example_night_takes_the_other_options(run: Any) -> None:
    later = _report(
        run("diagnose", "--example", "--since", "2026-12-06T02:10:00Z", "--format", "json").out
    )
    assert later["read"]["considered"] == 4
    assert run("diagnose", "--example", "--fail-on", "never").code == EXIT_OK


# --- the published schema of the JSON ----------------------------------------------------


def test_the_schema_names_every_member_of_the_enums_it_uses() -> None:
    """So no valid output is ever refused, and no value the package cannot write is allowed."""
    from hyperv_backup.cli import FailOn
    from hyperv_backup.readers.capture import Basis
    from hyperv_backup.rules import Place, Severity

    published = resources.files("hyperv_backup.schemas").joinpath("cli-diagnose.json")
    defs = json.loads(published.read_text(encoding="utf-8"))["$defs"]
    assert defs["severity"]["enum"] == [s.value for s in Severity]
    assert defs["log_finding"]["properties"]["place"]["enum"] == [p.value for p in Place]
    assert defs["listing"]["properties"]["basis"]["enum"] == [b.value for b in Basis]
    assert defs["policy"]["properties"]["fail_on"]["enum"] == [f.value for f in FailOn]


def test_the_schema_refuses_what_the_command_never_writes(run: Any) -> None:
    document = _report(run("diagnose", "--example", "--format", "json").out)
    validator = schema("diagnose")
    finding = document["findings"][0]
    for broken in (
        {**document, "extra": 1},
        {**document, "writers": {**document["writers"], "basis": "guess"}},
        {**document, "findings": [{**finding, "place": "cluster"}]},
        {**document, "findings": [{**finding, "event": None, "writer": None}]},
        {k: v for k, v in document.items() if k != "skipped_files"},
    ):
        assert not validator.is_valid(broken)


def test_a_log_is_read_from_standard_input(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_stdin(monkeypatch, Path(NIGHT).read_bytes())
    report = _report(run("diagnose", "-", "--format", "json", "--fail-on", "never").out)
    assert (report["logs"], report["read"]["events"]) == (["-"], 7)
    fake_stdin(monkeypatch, b"not a log")
    refused = run("diagnose", "-", "--skip-bad")
    assert refused.code == EXIT_INVALID
    assert "<stdin> is not a valid event log" in refused.err
