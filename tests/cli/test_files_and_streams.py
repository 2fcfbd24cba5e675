"""Files and streams: -o, what a run never reads, --exclude, and where diagnostics go."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import hyperv_backup as hb
from hyperv_backup import cli
from hyperv_backup.cli import main
from hyperv_backup.examples import example_text
from tests.cli._shared_cli import validate


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Return a folder of two inventories."""
    (tmp_path / "host.json").write_text(example_text("host"), encoding="utf-8")
    (tmp_path / "cluster.json").write_text(example_text("cluster"), encoding="utf-8")
    return tmp_path


# --- -o --------------------------------------------------------------------------------

WRITERS = [
    ["check", "--example", "host"],
    ["plan", "--example", "host"],
    ["restore", "--example", "host", "DC01"],
    ["rules"],
    ["example", "host"],
    ["check", "--example", "host", "--format", "sarif"],
    ["check", "--example", "host", "--format", "junit"],
    ["plan", "--example", "host", "--format", "prometheus"],
    ["collect", "--script", "host.ps1"],
]


@pytest.mark.parametrize("args", WRITERS, ids=lambda a: "-".join(a[:1] + a[-1:]))
def test_output_file_holds_what_standard_output_would(
    run: Any, tmp_path: Path, args: list[str]
) -> None:
    """-o FILE writes what standard output gets, to FILE, and nothing to standard output."""
    printed = run(*args)
    target = tmp_path / "report.out"
    written = run(*args, "-o", str(target))
    assert written.code == printed.code
    assert written.out == ""
    assert target.read_bytes() == printed.out.encode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["report.out"]  # no temporary file left


def test_diagnose_writes_its_report_to_a_file(run: Any, tmp_path: Path) -> None:
    log = str(Path(__file__).parents[1] / "fixtures" / "events" / "cluster-2022-night.xml")
    printed = run("diagnose", log, "--format", "json")
    target = tmp_path / "diagnosis.json"
    written = run("diagnose", log, "--format", "json", "-o", str(target))
    assert (written.code, written.out) == (printed.code, "")
    assert target.read_text(encoding="utf-8") == printed.out


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_output_file_is_utf8_whatever_standard_output_takes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fmt: str
) -> None:
    """A name no code page holds reaches the file as UTF-8 (PowerShell 5.1's > would not)."""
    document = json.loads(example_text("host"))
    document["vms"][0]["name"] = "DC01-漢字"
    source = tmp_path / "host.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="cp1252"))
    target = tmp_path / f"plan.{fmt}"
    assert main(["plan", str(source), "--format", fmt, "-o", str(target)]) == 0
    text = target.read_bytes().decode("utf-8")
    assert any(name in text for name in ("DC01-漢字", "DC01-\\u6f22\\u5b57", "DC01-&#28450;"))


def test_output_file_is_replaced_whole_or_left_as_it_was(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report is written under a temporary name, then renamed: a failure leaves the old one."""
    target = tmp_path / "plan.txt"
    target.write_text("last night's plan\n", encoding="utf-8")

    def full(self: Path, target_path: Any) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", full)
    result = run("plan", "--example", "-o", str(target))
    assert result.code == cli.EXIT_USAGE
    assert "cannot write" in result.err
    assert "no file was changed" in result.err
    assert target.read_text(encoding="utf-8") == "last night's plan\n"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.txt"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_only_a_regular_file_is_replaced(run: Any, tmp_path: Path) -> None:
    """A FIFO (or a device, or /dev/stdout) named by -o is refused, not replaced by a file."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run("check", "--example", "host", "-o", str(fifo))
    assert result.code == cli.EXIT_USAGE
    assert "not a regular file" in result.err
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]
    folder = tmp_path / "folder"
    folder.mkdir()
    assert run("check", "--example", "host", "-o", str(folder)).code == cli.EXIT_USAGE
    assert folder.is_dir()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_standard_output_that_cannot_be_written_is_a_usage_error() -> None:
    """A full disk behind standard output is exit 2 with one line, not an internal error."""
    with Path("/dev/full").open("w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "hyperv_backup", "check", "--example", "host"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=120,
        )
    assert result.returncode == cli.EXIT_USAGE
    assert result.stderr.strip().splitlines() == [
        "hyperv-backup check: error: cannot write to standard output: No space left on device"
    ]


def test_a_report_in_the_folder_it_reads_is_not_read_on_the_next_run(
    run: Any, folder: Path
) -> None:
    """Plan DIR -o DIR/report.json: the second run does not read the first one's report."""
    report = folder / "report.json"
    first = run("plan", str(folder), "--format", "json", "-o", str(report))
    second = run("plan", str(folder), "--format", "json", "-o", str(report))
    assert first.code == second.code == 0, second.err
    inputs = [entry["input"] for entry in json.loads(report.read_text())["inventories"]]
    assert inputs == [str(folder / "cluster.json"), str(folder / "host.json")]


def test_an_input_named_as_the_output_is_a_usage_error(run: Any, folder: Path) -> None:
    inventory = str(folder / "host.json")
    for args in (
        ["check", inventory],
        ["restore", inventory, "DC01"],
        ["diagnose", "log.evtx", "--inventory", inventory],
    ):
        result = run(*args, "-o", inventory)
        assert result.code == cli.EXIT_USAGE, args
        assert "is the file -o writes" in result.err
    assert hb.read_inventory(inventory) == hb.load_example("host")
    # A VM named like the file: restore's VM is a name, not a file.
    assert run("restore", "--example", "host", "DC01", "-o", str(folder / "DC01")).code == 0


# --- --exclude -------------------------------------------------------------------------


def test_exclude_leaves_out_the_files_it_matches(run: Any, folder: Path) -> None:
    (folder / "old").mkdir()
    (folder / "old" / "host.json").write_text("not an inventory", encoding="utf-8")
    (folder / "draft.old.json").write_text("not one either", encoding="utf-8")
    result = run(
        "check", str(folder), "--format", "json", "--exclude", "old/*", "--exclude", "*.old.json"
    )
    inputs = [entry["input"] for entry in json.loads(result.out)["inventories"]]
    assert inputs == [str(folder / "cluster.json"), str(folder / "host.json")]
    assert run("check", str(folder), "--exclude", "*").code == cli.EXIT_USAGE


def test_exclude_does_not_leave_out_a_file_named_as_it_is(run: Any, folder: Path) -> None:
    result = run("check", str(folder / "host.json"), "--format", "json", "--exclude", "host*")
    assert validate("check", result.out)["inventory"]["name"] == "HV-STANDALONE01"


def test_excluded() -> None:
    from hyperv_backup.cli._io import excluded

    assert excluded("inv/archive/a.json", ["archive/*"])
    assert excluded("inv/a.old.json", ["*.old.json"])
    assert excluded("inv/a.json", ["inv/*"])
    assert not excluded("inv/a.json", ["archive/*"])
    assert not excluded("inv/a.json", [])


# --- diagnostics and the exit status of inputs not read ----------------------------------


@pytest.mark.parametrize(
    "fmt", ["text", "json", "markdown", "html", "sarif", "junit", "prometheus"]
)
def test_inputs_not_read_are_named_on_standard_error_in_every_format(
    run: Any, folder: Path, fmt: str
) -> None:
    """Check . > report.txt with unreadable inputs said nothing on standard error."""
    (folder / "broken.json").write_text("{", encoding="utf-8")
    (folder / "wrong.json").write_text('{"kind": "host"}', encoding="utf-8")
    result = run("check", str(folder), "--format", fmt)
    assert result.code == cli.EXIT_INVALID
    assert result.err.splitlines() == [
        f"hyperv-backup check: error: {folder / 'broken.json'}: not a valid inventory:",
        "<document>: invalid JSON at line 1 column 2: Expecting property name enclosed in "
        "double quotes",
        f"hyperv-backup check: error: {folder / 'wrong.json'}: not a valid inventory:",
        "name: required field missing (line 1, column 1)",
        "os: required field missing (line 1, column 1)",
    ]
    assert "wrong.json" in result.out


@pytest.mark.parametrize("command", ["check", "plan"])
def test_one_input_that_cannot_be_read_gives_a_report_that_says_so(
    run: Any, tmp_path: Path, command: str
) -> None:
    """A single bad file gives a JSON document, as SARIF, JUnit and Prometheus give theirs."""
    missing = str(tmp_path / "nope.json")
    result = run(command, missing, "--format", "json")
    assert result.code == cli.EXIT_INVALID
    document = validate("fleet", result.out)
    (entry,) = document["inventories"]
    assert (entry["input"], entry["status"], entry["result"]) == (missing, "unreadable", None)
    assert result.err == (
        f"hyperv-backup {command}: error: {missing}: cannot read {missing!r}: "
        "No such file or directory\n"
    )


def test_one_input_not_read_from_standard_input(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"[]")))
    result = run("check", "-", "--format", "json")
    assert result.code == cli.EXIT_INVALID
    assert json.loads(result.out)["inventories"][0]["input"] == "-"
    assert result.err.startswith("hyperv-backup check: error: <stdin>: not a valid inventory:")


def test_the_line_and_column_of_a_problem_in_an_inventory_file(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "host.json"
    path.write_text(example_text("host").replace('"running"', '"Running"', 1), encoding="utf-8")
    result = run("check", str(path))
    assert result.code == cli.EXIT_INVALID
    (line,) = [line for line in result.err.splitlines() if line.startswith("vms[0].state")]
    row = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if '"Running"' in text)
    assert line.endswith(f"got 'Running'; did you mean 'running'? (line {row}, column 7)")


def test_dash_as_the_output_is_standard_output(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``-o -`` writes to standard output, as ``-`` reads standard input: no file named ``-``."""
    monkeypatch.chdir(tmp_path)
    result = run("check", "--example", "host", "-o", "-")
    assert result.out == run("check", "--example", "host").out
    assert result.out.startswith("Findings for host HV-STANDALONE01")
    assert list(tmp_path.iterdir()) == []
