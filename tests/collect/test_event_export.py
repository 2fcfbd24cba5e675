"""host.ps1 -EventHours exports the logs diagnose reads, in the form its reader takes."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from hyperv_backup import collect
from hyperv_backup.collect._events import MAX_EVENT_HOURS
from hyperv_backup.diagnose import is_backup_log
from hyperv_backup.readers import Event
from tests.collect._powershell import nodes, parse, text

SCRIPT = collect.script_path("host.ps1").read_text(encoding="utf-8")


def _sources() -> list[dict[str, str]]:
    """Return the script's $EventSources: the logs it exports, and the one provider of a shared log."""
    block = re.search(r"\$EventSources = @\((.*?)\n\)", SCRIPT, re.DOTALL)
    assert block is not None
    return [
        dict(re.findall(r"(\w+) = '([^']+)'", entry))
        for entry in re.findall(r"@\{([^}]*)\}", block.group(1))
    ]


def test_every_log_exported_is_one_diagnose_reads() -> None:
    sources = _sources()
    assert [s["LogName"] for s in sources] == [
        "Microsoft-Windows-Hyper-V-VMMS-Admin",
        "Microsoft-Windows-Hyper-V-Worker-Admin",
        "Application",
        "System",
        "Microsoft-Windows-Backup",
    ]
    for source in sources:
        # An event of another provider in that log, or the one provider asked for.
        event = Event(
            provider=source.get("ProviderName", "Some-Other-Provider"),
            event_id=1,
            level=2,
            time_created=datetime(2026, 12, 6, tzinfo=UTC),
            computer="HV01",
            channel=source["LogName"],
        )
        assert is_backup_log(event), source


def test_the_shared_logs_are_narrowed_to_one_provider() -> None:
    shared = {s["LogName"]: s.get("ProviderName") for s in _sources()}
    assert shared["Application"] == "VSS"
    assert shared["System"] == "volsnap"


def test_the_switch_is_declared_documented_and_bounded_as_the_reader_bounds_it() -> None:
    assert f"[ValidateRange(0, {MAX_EVENT_HOURS})][int]$EventHours = 0" in SCRIPT
    help_text = SCRIPT.split("#>", 1)[0]
    assert ".PARAMETER EventHours" in help_text
    assert "-EventHours 24" in help_text
    assert "throw '-EventHours needs -OutFile" in SCRIPT


def test_the_properties_kept_are_those_the_json_reader_reads() -> None:
    (command,) = [
        c for c in nodes(parse(SCRIPT), "command") if text(c).startswith("Select-Object -Property")
    ]
    kept = [text(s).strip("'") for s in nodes(command, "string_literal")]
    assert kept == [
        "Id",
        "ProviderName",
        "Level",
        "LogName",
        "MachineName",
        "RecordId",
        "TimeCreated",
        "Message",
        "Properties",
    ]
    source = collect.script_path("host.ps1").parent.parent / "readers" / "event_json.py"
    reader = source.read_text(encoding="utf-8")
    for name in kept:
        assert f'"{name}"' in reader, name
