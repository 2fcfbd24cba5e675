"""``hyperv-backup diagnose``: logs in every form, writers, inventory, --since, exit codes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hyperv_backup.cli import EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, EXIT_USAGE
from hyperv_backup.cli._options import _since
from tests.cli._shared_cli import Page
from tests.paths import FIXTURES
from tests.readers.evtx_writer import EvtxRecord, event_element, write_evtx

NIGHT = str(FIXTURES / "events" / "cluster-2022-night.xml")
WRITERS = str(FIXTURES / "samples" / "vssadmin-list-writers-hyperv-failed-blog-1.txt")
SINCE = ["--since", "2026-12-05T00:00:00Z"]


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
    document = json.loads(result.out)
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
    rules = [f["rule"] for f in json.loads(result.out)["findings"]]
    assert "HVB706" in rules
    assert "HVB707" in rules
    assert json.loads(result.out)["read"]["events"] == 9


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
    assert json.loads(result.out)["inventory"] == str(inventory)


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
    alone = json.loads(run("diagnose", NIGHT, "--format", "json", "--fail-on", "never").out)
    folder = json.loads(
        run("diagnose", str(tmp_path), "--format", "json", "--fail-on", "never").out
    )
    assert folder["findings"] == alone["findings"]
    pattern = str(tmp_path / "**" / "*.xml")
    globbed = json.loads(run("diagnose", pattern, "--format", "json", "--fail-on", "never").out)
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
    document = json.loads(skipped.out)
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
    assert json.loads(result.out)["read"]["events"] == 120


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
