"""Many inputs at once: files, directories and globs, in parallel, with a summary first."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

import hyperv_backup as hb
from hyperv_backup.cli import _fleet
from hyperv_backup.cli._options import Command, Options
from hyperv_backup.examples import example_text
from hyperv_backup.model import hosts_of
from hyperv_backup.render import Format, Frame, ReportFormat
from hyperv_backup.render.reports import Share, failed_report
from tests.cli._shared_cli import schema, validate

EXAMPLES = ("cluster", "host", "cluster-2022")


@pytest.fixture
def fleet(tmp_path: Path) -> Path:
    """Return a folder of inventories: the examples, a nested one, a bad one and a file that is not one."""
    for name in EXAMPLES:
        (tmp_path / f"{name}.json").write_text(example_text(name), encoding="utf-8")
    (tmp_path / "site-b").mkdir()
    (tmp_path / "site-b" / "host.json").write_text(example_text("host"), encoding="utf-8")
    (tmp_path / "bad.json").write_text('{"kind": "host"}', encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not an inventory", encoding="utf-8")
    return tmp_path


def _inputs(fleet: Path) -> list[str]:
    return [
        str(fleet / "bad.json"),
        str(fleet / "cluster-2022.json"),
        str(fleet / "cluster.json"),
        str(fleet / "host.json"),
        str(fleet / "site-b" / "host.json"),
    ]


def test_a_directory_is_its_json_files_sorted_and_a_bad_one_does_not_stop_the_rest(
    run: Any, fleet: Path
) -> None:
    result = run("check", str(fleet), "--format", "json", "--jobs", "1")
    assert result.code == 3  # an input could not be read
    document = validate("fleet", result.out)
    assert [i["input"] for i in document["inventories"]] == _inputs(fleet)
    assert [i["status"] for i in document["inventories"]] == [
        "invalid",
        "failed",
        "failed",
        "failed",
        "failed",
    ]
    assert document["inventories"][0]["problems"][0] == "not a valid inventory:"
    assert document["inventories"][0]["result"] is None
    assert document["fleet"]["inputs"] == 5
    assert document["fleet"]["read"] == 4
    assert document["fleet"]["not_read"] == 1
    # Nothing dropped: each input's result is the document it alone gives.
    for item in document["inventories"][1:]:
        alone = run("check", item["input"], "--format", "json")
        assert item["result"] == json.loads(alone.out)
        schema("check").validate(item["result"])
    assert document["fleet"]["vms"] == sum(
        _vm_count(i["input"]) for i in document["inventories"][1:]
    )


def _vm_count(path: str) -> int:
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    nodes = document.get("nodes", [document])
    return sum(len(node["vms"]) for node in nodes)


@pytest.mark.parametrize(
    "fmt", ["text", "json", "markdown", "html", "sarif", "junit", "prometheus"]
)
def test_the_output_is_the_same_for_any_number_of_processes(
    run: Any, fleet: Path, fmt: str
) -> None:
    one = run("plan", str(fleet), "--format", fmt, "--jobs", "1")
    two = run("plan", str(fleet), "--format", fmt, "--jobs", "2")
    assert one.code == two.code == 3
    assert one.out == two.out
    assert one.out


def test_the_text_summary_comes_first_in_input_order(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Short names, so that the summary's first column does not wrap.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "h.json").write_text(example_text("host"), encoding="utf-8")
    (tmp_path / "c.json").write_text(example_text("cluster"), encoding="utf-8")
    (tmp_path / "x.json").write_text("[]", encoding="utf-8")
    inputs = ["h.json", "x.json", "c.json"]
    result = run("check", *inputs)
    assert result.code == 3
    lines = result.out.splitlines()
    assert lines[0] == "Findings for 3 inputs"
    start = next(i for i, line in enumerate(lines) if line.startswith("input "))
    rows = [line.split()[0] for line in lines[start + 2 : start + 6]]
    assert rows == [*inputs, "total"]
    # check gates on errors: each input read says whether it passes, and its worst outcome.
    assert lines[start + 2].split()[-1] == "fails"
    assert lines[start + 2].split()[2:4] == ["not", "application-consistent"]
    assert lines[start + 3].split()[2] == "invalid"
    headings = [line for line in lines if line.startswith("Input: ")]
    assert [h.split()[1] for h in headings] == inputs
    assert headings[0] == "Input: h.json (HV-STANDALONE01)"
    assert lines.index(headings[0]) > start + 6
    assert "VMs by backup outcome, worst first (no-app: not application-consistent" in result.out


def test_a_glob_names_its_matches_and_the_same_file_once(run: Any, fleet: Path) -> None:
    result = run(
        "check", str(fleet / "**" / "host.json"), str(fleet / "host.json"), "--format", "json"
    )
    document = json.loads(result.out)
    assert [i["input"] for i in document["inventories"]] == [
        str(fleet / "host.json"),
        str(fleet / "site-b" / "host.json"),
    ]
    assert result.code == 1


def test_a_missing_file_among_good_ones_is_unreadable_and_said(run: Any, fleet: Path) -> None:
    result = run("plan", str(fleet / "host.json"), str(fleet / "gone.json"), "--format", "json")
    assert result.code == 3
    document = json.loads(result.out)
    gone = document["inventories"][1]
    assert gone["status"] == "unreadable"
    assert gone["exit_status"] == 2
    assert "cannot read" in gone["problems"][0]
    # plan gates only with --fail-on: the readable input is ok.
    assert document["inventories"][0]["status"] == "ok"


def test_plan_of_many_exits_0_unless_asked_to_gate(run: Any, fleet: Path) -> None:
    inputs = [str(fleet / "host.json"), str(fleet / "cluster.json")]
    assert run("plan", *inputs).code == 0
    assert run("plan", *inputs, "--fail-on", "error").code == 1
    assert run("check", *inputs, "--fail-on", "never").code == 0


@pytest.mark.parametrize(
    ("operand", "message"),
    [
        ("empty", "no .json file in the directory"),
        ("*.nothing", "no file matches"),
    ],
)
def test_a_directory_or_glob_that_names_no_file_is_a_usage_error(
    run: Any, tmp_path: Path, operand: str, message: str
) -> None:
    (tmp_path / "empty").mkdir()
    result = run("check", str(tmp_path / operand))
    assert result.code == 2
    assert message in result.err


def test_standard_input_is_read_once_by_the_parent(
    run: Any, fleet: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(example_text("host").encode("utf-8")))
    monkeypatch.setattr("sys.stdin", stdin)
    result = run("check", "-", str(fleet / "cluster.json"), "--format", "json", "--jobs", "2")
    document = json.loads(result.out)
    assert [i["input"] for i in document["inventories"]] == ["-", str(fleet / "cluster.json")]
    assert document["inventories"][0]["result"]["inventory"]["name"] == "HV-STANDALONE01"


def test_an_unknown_node_is_a_usage_error_of_that_input_only(run: Any, fleet: Path) -> None:
    result = run(
        "plan",
        str(fleet / "host.json"),
        str(fleet / "cluster.json"),
        "--node",
        "HV-NODE1",
        "--format",
        "json",
    )
    document = json.loads(result.out)
    assert [i["status"] for i in document["inventories"]] == ["unreadable", "ok"]
    assert "no node named 'HV-NODE1'" in document["inventories"][0]["problems"][0]


def test_markdown_and_html_hold_every_input(run: Any, fleet: Path) -> None:
    for fmt, marker in (("markdown", "## Input: "), ("html", "<h2>Input: ")):
        out = run("check", str(fleet), "--format", fmt).out
        assert out.count(marker) == 5, fmt
    markdown = run("check", str(fleet), "--format", "markdown").out
    assert "\n### Findings for cluster HVCLUSTER01\n" in markdown  # under its input's heading
    html = run("check", str(fleet), "--format", "html").out
    assert html.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("jobs", ["0", "x", "2000"])
def test_jobs_takes_a_number_of_processes(run: Any, jobs: str) -> None:
    result = run("check", "--example", "--jobs", jobs)
    assert result.code == 2
    assert "--jobs" in result.err


def test_the_exit_status_of_a_fleet() -> None:
    ok = failed_report("a", "check", 0, ())
    assert _fleet.fleet_status([ok]) == 0
    assert _fleet.fleet_status([ok, failed_report("b", "check", 1, ())]) == 1
    assert _fleet.fleet_status([ok, failed_report("c", "check", 2, ("gone",))]) == 3


def test_progress_is_counted_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    monkeypatch.setattr("sys.stderr", stream)
    reports = [failed_report(name, "check", 0, ()) for name in "abc"]
    assert _fleet._progress(iter(reports), 3) == reports
    assert stream.getvalue() == (
        "\rhyperv-backup: evaluated 1 of 3 inputs"
        "\rhyperv-backup: evaluated 2 of 3 inputs"
        "\rhyperv-backup: evaluated 3 of 3 inputs\n"
    )


def test_one_file_reads_as_before(run: Any, fleet: Path) -> None:
    alone = run("check", str(fleet / "host.json"), "--format", "json")
    assert json.loads(alone.out)["command"] == "check"
    assert "inventories" not in json.loads(alone.out)


def test_one_file_named_in_several_ways_is_one_input(
    run: Any, fleet: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``host.json``, ``./host.json`` and its absolute path name one file: read once, as one."""
    monkeypatch.chdir(fleet)
    alone = run("check", "host.json", "./host.json", str(fleet / "host.json"), "--format", "json")
    assert "inventories" not in json.loads(alone.out)
    many = run("check", "host.json", "./host.json", "cluster.json", "--format", "json")
    assert [i["input"] for i in json.loads(many.out)["inventories"]] == [
        "host.json",
        "cluster.json",
    ]
    text = run("check", "host.json", "cluster.json", "./cluster.json")
    assert "Findings for 2 inputs" in text.out


def test_the_title_of_one_input_among_a_folder_is_singular(run: Any, tmp_path: Path) -> None:
    (tmp_path / "host.json").write_text(example_text("host"), encoding="utf-8")
    result = run("check", str(tmp_path))
    assert "Findings for 1 input\n" in result.out


def test_a_problem_quoting_an_escape_sequence_reaches_no_terminal(run: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"kind": "host", "name": "H", "os": "windows_server_2008_r2", "esc\u001b[2J": 3})
    )
    good = tmp_path / "good.json"
    good.write_text(example_text("host"), encoding="utf-8")
    result = run("check", str(bad), str(good))
    assert result.code == 3
    assert "\x1b" not in result.out
    assert "\nesc: unknown field\n" in result.out  # the whole sequence is removed


def test_a_directory_leaves_out_the_exported_events_beside_the_documents(
    run: Any, tmp_path: Path
) -> None:
    (tmp_path / "site1.json").write_text(example_text("host"), encoding="utf-8")
    (tmp_path / "site1.events.json").write_text("[]", encoding="utf-8")
    document = json.loads(run("check", str(tmp_path), "--format", "json").out)
    assert [i["input"] for i in document["inventories"]] == [str(tmp_path / "site1.json")]
    # Named on their own, they are inputs like any other.
    named = run("check", str(tmp_path / "site1.events.json"), str(tmp_path / "site1.json"))
    assert named.code == 3


def test_prometheus_is_written_as_utf_8_whatever_the_output_encoding(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = json.loads(example_text("host"))
    document["vms"][0]["name"] = "café 漢"
    path = tmp_path / "host.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    raw = io.BytesIO()
    monkeypatch.setattr("sys.stdout", io.TextIOWrapper(raw, encoding="cp1252"))
    from hyperv_backup.cli import main

    assert main(["check", str(path), "--format", "prometheus"]) == 1
    text = raw.getvalue().decode("utf-8")
    assert 'vm="café 漢"' in text


def _job(command: Command, fmt: Format, report: ReportFormat | None = None) -> _fleet._Job:
    options = Options(command=command, format=fmt, operands=(), example="cluster", report=report)
    return _fleet._Job(
        source="example:cluster", index=0, options=options, fmt=fmt, base=Frame(title="")
    )


@pytest.mark.parametrize("command", [Command.CHECK, Command.PLAN])
@pytest.mark.parametrize("report", [None, ReportFormat.SARIF])
def test_a_worker_evaluates_each_vm_once(
    monkeypatch: pytest.MonkeyPatch, command: Command, report: ReportFormat | None
) -> None:
    """The findings, the plan and each VM's outcome in the report come from one evaluation."""
    from hyperv_backup.decide import evaluate as _evaluate

    walked: list[str] = []
    walk = _evaluate._vm

    def counted(host: hb.Host, node: Any, vm: hb.VM, *args: Any, **kwargs: Any) -> Any:
        walked.append(vm.name)
        return walk(host, node, vm, *args, **kwargs)

    monkeypatch.setattr(_evaluate, "_vm", counted)
    share = _fleet.evaluate(_job(command, Format.JSON, report))
    assert isinstance(share, Share)
    target = hb.load_example("cluster")
    names = [vm.name for host in hosts_of(target) for vm in host.vms]
    assert walked == names
    assert share.report.vm_count == len(names)


def test_a_worker_sends_its_share_and_the_counts_only() -> None:
    share = _fleet.evaluate(_job(Command.PLAN, Format.MARKDOWN))
    assert isinstance(share, Share)
    assert share.part.startswith("# Backup plan for cluster HVCLUSTER01\n")
    assert (share.report.findings, share.report.vms, share.report.detail) == ((), (), "")
    assert sum(share.report.severities.values()) > 0


def test_plan_on_a_node_counts_each_vm_by_its_own_host(run: Any, fleet: Path) -> None:
    """The reports' outcomes are those of each VM on the host that lists it, whatever --node.

    On HV22-NODE3 most VMs of this cluster would fail; the plan says so, the
    outcome gauges do not.
    """
    out = run(
        "plan", str(fleet / "cluster-2022.json"), "--node", "HV22-NODE3", "--format", "prometheus"
    ).out
    gauges = {
        (s.labels["vm"], s.labels["outcome"])
        for family in text_string_to_metric_families(out)
        if family.name == "hyperv_backup_vm_outcome"
        for s in family.samples
        if s.value == 1
    }
    target = hb.load_example("cluster-2022")
    expected = {
        (vm.name, hb.backup_outcome(vm, host).consistency.value)
        for host in hosts_of(target)
        for vm in host.vms
    }
    assert gauges == expected
    assert ("SQL01", "fails") not in gauges


@pytest.mark.skipif(
    sys.platform in {"darwin", "win32"},
    reason="the file system takes names in UTF-16 or UTF-8 only",
)
@pytest.mark.parametrize("fmt", ["sarif", "prometheus"])
def test_a_file_named_in_bytes_that_are_not_utf_8(run: Any, tmp_path: Path, fmt: str) -> None:
    """Its name reaches the reports as lone surrogates (PEP 383): they are written, not a crash."""
    name = os.fsencode(tmp_path) + b"/caf\xe9.json"
    with open(name, "w", encoding="utf-8") as file:  # noqa: PTH123 - a name in bytes
        file.write(example_text("host"))
    result = run("check", str(tmp_path), "--format", fmt)
    assert result.code == 1
    result.out.encode("utf-8")  # no lone surrogate left
    if fmt == "sarif":
        (artifact,) = json.loads(result.out)["runs"][0]["artifacts"]
        assert artifact["location"]["uri"].endswith("/caf%E9.json")
    else:
        assert 'inventory_read{inventory="' in result.out
        assert "caf\\\\udce9.json" in result.out
