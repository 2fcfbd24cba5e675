r"""collect keeps the events host.ps1 -EventHours exported beside each document.

The events are made up, in the shape Windows PowerShell 5.1's ``Get-WinEvent |
Select-Object ... | ConvertTo-Json`` writes (``\/Date(ms)\/`` times); the
host documents are the recorded cluster node documents with an ``EventLogs``
section added.
"""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path
from typing import Any

import pytest

from hyperv_backup import collect
from hyperv_backup.cli.collect import events_path
from hyperv_backup.inventory import InventoryError
from tests.paths import FIXTURES

NODES = {
    "HV-NODE1": (FIXTURES / "collect" / "cluster-node1-ps51.json", "utf-8-sig"),
    "HV-NODE2": (FIXTURES / "collect" / "cluster-node2-ps51-utf16.json", "utf-16"),
}
#: 2026-12-06T02:00:00Z, in milliseconds.
NIGHT = 1796522400000


def _event(host: str, record: int, **changes: object) -> dict[str, object]:
    item: dict[str, object] = {
        "Id": 8229,
        "ProviderName": "VSS",
        "Level": 2,
        "LogName": "Application",
        "MachineName": f"{host}.contoso.com",
        "RecordId": record,
        "TimeCreated": f"/Date({NIGHT + record * 1000})/",
        "Message": "A VSS writer has rejected an event with error 0x800423f4.",
        "Properties": [{"Value": "Microsoft Hyper-V VSS Writer"}, {"Value": "0x800423f4"}],
    }
    item.update(changes)
    return item


def _logs(count: int, error: str | None = None) -> list[dict[str, object]]:
    return [
        {
            "LogName": "Microsoft-Windows-Hyper-V-VMMS-Admin",
            "ProviderName": None,
            "Count": 0,
            "Error": None,
        },
        {"LogName": "Application", "ProviderName": "VSS", "Count": count, "Error": None},
        {"LogName": "Microsoft-Windows-Backup", "ProviderName": None, "Count": 0, "Error": error},
    ]


def _collected(
    folder: Path, events: dict[str, list[dict[str, object]]], *, logs: dict[str, Any] | None = None
) -> list[str]:
    """Write each node's document, with its EventLogs, and its events file; return the documents."""
    paths = []
    for host, (source, encoding) in NODES.items():
        document = json.loads(source.read_text(encoding=encoding))
        name = f"{host}.events.json"
        document["EventLogs"] = (logs or {}).get(host) or {
            "File": name,
            "Hours": 24,
            "Since": f"/Date({NIGHT - 3600000})/",
            "Logs": _logs(len(events[host])),
        }
        # As Windows PowerShell 5.1 writes them: its date escape, and UTF-16 for the second node.
        text = (
            json.dumps(events[host], indent=4).replace("/Date(", "\\/Date(").replace(")/", ")\\/")
        )
        data = (
            text.encode("utf-8")
            if encoding == "utf-8-sig"
            else codecs.BOM_UTF16_LE + text.encode("utf-16-le")
        )
        (folder / name).write_bytes(data)
        path = folder / f"{host}.json"
        path.write_text(json.dumps(document), encoding=encoding)
        paths.append(str(path))
    return paths


def _night() -> dict[str, list[dict[str, object]]]:
    return {
        "HV-NODE1": [_event("HV-NODE1", 1), _event("HV-NODE1", 2, Id=12293, Level=2)],
        "HV-NODE2": [_event("HV-NODE2", 3)],
    }


def test_the_events_of_every_node_are_kept_beside_the_inventory(run: Any, tmp_path: Path) -> None:
    documents = _collected(tmp_path, _night())
    inventory = tmp_path / "out" / "cluster.json"
    inventory.parent.mkdir()
    result = run("collect", *documents, "-o", str(inventory))
    assert result.code == 0, result.err
    kept = tmp_path / "out" / "cluster.events.json"
    assert f"kept the exported events with the inventory, in {kept}" in result.err
    assert f"hyperv-backup diagnose {kept} --inventory {inventory}" in result.err
    # Nothing lost, in document order, as written.
    records = json.loads(kept.read_text(encoding="utf-8"))
    assert [(r["MachineName"], r["RecordId"]) for r in records] == [
        ("HV-NODE1.contoso.com", 1),
        ("HV-NODE1.contoso.com", 2),
        ("HV-NODE2.contoso.com", 3),
    ]
    assert records[0]["TimeCreated"] == f"/Date({NIGHT + 1000})/"
    # And diagnose reads them with the inventory.
    diagnosed = run("diagnose", str(kept), "--inventory", str(inventory), "--format", "json")
    report = json.loads(diagnosed.out)
    # The VSS 12293 was logged on a node: the host's provider failure, not a guest's.
    assert sorted(f["rule"] for f in report["findings"]) == ["HVB706", "HVB706", "HVB734"]
    assert diagnosed.code == 1


def test_a_log_that_could_not_be_read_is_said(run: Any, tmp_path: Path) -> None:
    night = _night()
    missing = 'There is not an event log on the localhost computer that matches "Microsoft-Windows-Backup".'
    logs = {
        "HV-NODE1": {
            "File": "HV-NODE1.events.json",
            "Hours": 24,
            "Since": "2026-12-05T01:00:00Z",
            "Logs": _logs(5, missing),
        }
    }
    documents = _collected(tmp_path, night, logs=logs)
    result = run("collect", *documents, "-o", str(tmp_path / "inv.json"))
    assert result.code == 0, result.err
    assert (
        "hyperv-backup collect: note: HV-NODE1: the log Microsoft-Windows-Backup was not read: "
        + missing
    ) in result.err.splitlines()
    assert (
        "hyperv-backup collect: note: HV-NODE1: its document counts 5 event(s), "
        "its file HV-NODE1.events.json holds 2"
    ) in result.err.splitlines()


def test_without_an_output_file_the_events_are_not_kept_and_that_is_said(
    run: Any, tmp_path: Path
) -> None:
    documents = _collected(tmp_path, _night())
    result = run("collect", *documents)
    assert result.code == 0, result.err
    assert json.loads(result.out)["kind"] == "cluster"
    assert (
        "hyperv-backup collect: note: the events host.ps1 exported for 2 host(s) are not kept: "
        "give -o FILE to keep them beside the inventory, as FILE.events.json"
    ) in result.err.splitlines()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "HV-NODE1.events.json",
        "HV-NODE1.json",
        "HV-NODE2.events.json",
        "HV-NODE2.json",
    ]


def test_a_missing_events_file_stops_collect_before_anything_is_written(
    run: Any, tmp_path: Path
) -> None:
    documents = _collected(tmp_path, _night())
    (tmp_path / "HV-NODE2.events.json").unlink()
    result = run("collect", *documents, "-o", str(tmp_path / "inv.json"))
    assert result.code == 3
    assert result.err.startswith(
        "hyperv-backup collect: error: the document of HV-NODE2 names its exported events, "
        f"but cannot read '{tmp_path / 'HV-NODE2.events.json'}'"
    )
    assert not (tmp_path / "inv.json").exists()
    assert not (tmp_path / "inv.events.json").exists()


def test_a_damaged_events_file_is_named_with_its_record(run: Any, tmp_path: Path) -> None:
    night = _night()
    night["HV-NODE2"].append({"Id": 1, "ProviderName": "VSS"})
    documents = _collected(tmp_path, night)
    result = run("collect", *documents, "-o", str(tmp_path / "inv.json"))
    assert result.code == 3
    assert f"{tmp_path / 'HV-NODE2.events.json'}[1]" in result.err
    assert "TimeCreated" in result.err
    assert not (tmp_path / "inv.json").exists()


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"File": "../secrets.json"}, "EventLogs.File", "a file beside the document"),
        ({"File": "C:x.json"}, "EventLogs.File", "a file beside the document"),
        ({"Hours": 0}, "EventLogs.Hours", "expected 1 to 8760 hours, got 0"),
        ({"Hours": "24"}, "EventLogs.Hours", "expected a whole number"),
        (
            {"Logs": [{"LogName": "System", "Count": -1}]},
            "EventLogs.Logs[0].Count",
            "expected a count",
        ),
        ({"Since": "yesterday"}, "EventLogs.Since", "expected a date"),
    ],
)
def test_a_bad_event_logs_section_is_refused_with_its_path(
    change: dict[str, object], path: str, message: str
) -> None:
    source, encoding = NODES["HV-NODE1"]
    document = json.loads(source.read_text(encoding=encoding))
    document["EventLogs"] = {
        "File": "x.events.json",
        "Hours": 24,
        "Since": "2026-12-05T01:00:00Z",
        "Logs": [],
    }
    document["EventLogs"].update(change)
    with pytest.raises(InventoryError) as caught:
        collect.event_exports([document])
    (problem,) = caught.value.problems
    assert problem.path == f"hosts[0].{path}"
    assert message in problem.message
    # from_documents refuses the same document, so that collect never half-reads one.
    with pytest.raises(InventoryError):
        collect.from_documents([document])


def test_a_document_without_event_logs_has_no_export() -> None:
    source, _ = NODES["HV-NODE1"]
    assert collect.event_exports([source.read_bytes()]) == (None,)


def test_the_events_file_is_named_after_the_inventory() -> None:
    assert events_path("out/inv.json") == Path("out/inv.events.json")
    assert events_path("inv.JSON") == Path("inv.events.json")
    assert events_path("inventory") == Path("inventory.events.json")


def test_kept_events_names_a_damaged_file_by_index_without_names() -> None:
    with pytest.raises(InventoryError) as caught:
        collect.kept_events(["[]", '{"Id": 1}'])
    assert [p.path for p in caught.value.problems] == ["events[1].ProviderName"]
    text, counts = collect.kept_events(
        ['{"Id": 1, "ProviderName": "VSS", "TimeCreated": "2026-12-06T02:00:00Z"}']
    )
    assert counts == (1,)
    assert json.loads(text) == [
        {"Id": 1, "ProviderName": "VSS", "TimeCreated": "2026-12-06T02:00:00Z"}
    ]


def test_text_that_is_not_json_is_named_by_its_file_alone() -> None:
    with pytest.raises(InventoryError) as caught:
        collect.kept_events(["{not json"], ["HV01.events.json"])
    assert [p.path for p in caught.value.problems] == ["HV01.events.json"]


def test_an_events_file_over_the_limit_is_refused_with_its_path(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("hyperv_backup.readers.event_json.MAX_JSON_BYTES", 16)
    documents = _collected(tmp_path, _night())
    result = run("collect", *documents, "-o", str(tmp_path / "inv.json"))
    assert result.code == 3
    assert result.err.startswith(
        f"hyperv-backup collect: error: {tmp_path / 'HV-NODE1.events.json'} cannot be read:"
    )


def test_an_event_holding_half_a_surrogate_pair_is_kept_as_an_escape(
    run: Any, tmp_path: Path
) -> None:
    night = _night()
    night["HV-NODE1"][0]["Message"] = "bad \ud800 half"
    documents = _collected(tmp_path, night)
    result = run("collect", *documents, "-o", str(tmp_path / "inv.json"))
    assert result.code == 0, result.err
    kept = (tmp_path / "inv.events.json").read_bytes()
    assert kept.isascii()
    assert json.loads(kept)[0]["Message"] == "bad \ud800 half"


def test_an_events_file_that_links_out_of_the_folder_is_not_read(run: Any, tmp_path: Path) -> None:
    """The collect command read x.events.json -> /etc/passwd; a link that stays in the folder is read."""
    folder = tmp_path / "docs"
    folder.mkdir()
    documents = _collected(folder, _night())
    kept = folder / "HV-NODE2.events.json"
    outside = tmp_path / "outside.json"
    kept.rename(outside)
    kept.symlink_to(outside)
    result = run("collect", *documents, "-o", str(tmp_path / "inv.json"))
    assert result.code == 3
    assert "a link to" in result.err
    assert "outside the document's folder: not read" in result.err
    assert not (tmp_path / "inv.json").exists()
    inside = folder / "renamed.json"
    outside.rename(inside)
    kept.unlink()
    kept.symlink_to(inside)
    assert run("collect", *documents, "-o", str(tmp_path / "inv.json")).code == 0


def test_an_events_file_that_is_a_fifo_is_refused_not_waited_on(run: Any, tmp_path: Path) -> None:
    documents = _collected(tmp_path, _night())
    (tmp_path / "HV-NODE2.events.json").unlink()
    os.mkfifo(tmp_path / "HV-NODE2.events.json")
    result = run("collect", *documents, "-o", str(tmp_path / "inv.json"))
    assert result.code == 3
    assert "not a regular file: a pipe (FIFO)" in result.err


def test_an_event_time_out_of_range_is_an_error_not_a_crash(run: Any, tmp_path: Path) -> None:
    night = _night()
    night["HV-NODE2"][0]["TimeCreated"] = "/Date(999999999999999)/"
    documents = _collected(tmp_path, night)
    result = run("collect", *documents, "-o", str(tmp_path / "inv.json"))
    assert result.code == 3
    assert "TimeCreated" in result.err
    assert "internal error" not in result.err
