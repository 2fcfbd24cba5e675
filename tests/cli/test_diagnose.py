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
    assert run("diagnose", str(tmp_path / "missing.evtx")).code == EXIT_USAGE


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
