"""No input hangs the command line, crashes it, or is passed over unsaid.

Each test restates a reproducer of the adversarial run: a FIFO, a loop of
links, a folder that cannot be read, a reader that closes its pipe, a write
that fails half way. The suite runs as root in CI, where no permission is
ever refused, so refusals are made by patching the call that meets them.
"""

from __future__ import annotations

import io
import json
import os
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from hyperv_backup import cli
from hyperv_backup._base import files
from hyperv_backup.cli import main
from hyperv_backup.examples import example_text


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.json"
    path.write_text(example_text("host"), encoding="utf-8")
    return path


def test_a_fifo_is_refused_at_once_not_waited_on(run: Any, tmp_path: Path) -> None:
    """A FIFO named as an input blocked the command for ever; '-' still reads a pipe."""
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    result = run("check", str(fifo))
    assert result.code == cli.EXIT_INVALID
    assert "not a regular file: a pipe (FIFO); give '-' to read standard input" in result.err


def test_a_directory_named_as_a_file_is_refused(run: Any, tmp_path: Path) -> None:
    result = run("diagnose", "--writers", str(tmp_path), str(tmp_path / "x.evtx"))
    assert result.code == cli.EXIT_INVALID


def test_a_glob_through_a_loop_of_links_ends(run: Any, tmp_path: Path, good: Path) -> None:
    """Two folder links pointing at each other made check 'dir/**/*.json' endless."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "to-b").symlink_to(tmp_path / "b")
    (tmp_path / "b" / "to-a").symlink_to(tmp_path / "a")
    (tmp_path / "a" / "one.json").write_text(good.read_text(), encoding="utf-8")
    (tmp_path / "b" / "two.json").write_text(good.read_text(), encoding="utf-8")
    result = run("check", f"{tmp_path}/**/*.json", "--format", "json", "--jobs", "1")
    sources = [entry["input"] for entry in json.loads(result.out)["inventories"]]
    assert sources == [str(tmp_path / name) for name in ("a/one.json", "b/two.json", "good.json")]
    directory = run("check", str(tmp_path), "--format", "json", "--jobs", "1")
    assert len(json.loads(directory.out)["inventories"]) == 3


def test_a_deep_glob_matches_as_glob_does(tmp_path: Path, good: Path) -> None:
    (tmp_path / "x" / "y").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for path in ("x/a.json", "x/y/b.json", "x/y/c.txt", ".hidden/d.json", "x/.e.json"):
        (tmp_path / path).write_text("{}", encoding="utf-8")
    found = cli._io.expand([f"{tmp_path}/**/*.json"])
    assert found == [f"{tmp_path}/good.json", f"{tmp_path}/x/a.json", f"{tmp_path}/x/y/b.json"]
    assert cli._io.expand([f"{tmp_path}/x/**"]) == [
        f"{tmp_path}/x/a.json",
        f"{tmp_path}/x/y/b.json",
        f"{tmp_path}/x/y/c.txt",
    ]


def test_a_folder_that_cannot_be_read_is_reported_not_passed_over(
    run: Any, tmp_path: Path, good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unreadable folder below a directory was skipped without a word."""
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "x.json").write_text("{}", encoding="utf-8")
    real = os.scandir

    def scandir(path: Any) -> Any:
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = run("check", str(tmp_path), "--format", "json", "--jobs", "1")
    assert result.code == cli.EXIT_INVALID
    reports = json.loads(result.out)["inventories"]
    assert [r["input"] for r in reports] == [str(good), str(locked)]
    assert reports[1]["status"] == "unreadable"


def test_a_file_in_a_folder_that_cannot_be_searched_is_unreadable_not_a_crash(
    run: Any, tmp_path: Path, good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run of check lockeddir/x.json crashed (exit 4), and took a whole fleet down with it."""
    hidden = str(tmp_path / "lockeddir" / "x.json")
    real_stat, real_open = Path.stat, os.open

    def stat(self: Path, **kwargs: Any) -> os.stat_result:
        if str(self) == hidden:
            raise PermissionError(13, "Permission denied", hidden)
        return real_stat(self, **kwargs)

    def open_(path: Any, flags: int, *args: Any) -> int:
        if str(path) == hidden:
            raise PermissionError(13, "Permission denied", hidden)
        return real_open(path, flags, *args)

    monkeypatch.setattr(Path, "stat", stat)
    monkeypatch.setattr(os, "open", open_)
    one = run("check", hidden)
    assert one.code == cli.EXIT_INVALID
    assert one.err.strip().endswith("Permission denied")
    many = run("check", str(good), hidden, "--format", "json", "--jobs", "1")
    assert many.code == cli.EXIT_INVALID
    statuses = [r["status"] for r in json.loads(many.out)["inventories"]]
    assert statuses[1] == "unreadable"
    assert statuses[0] != "unreadable"


def test_a_closed_pipe_still_gives_the_status_the_findings_call_for(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The run of check | head -1 exited 0 even with findings."""
    target = (tmp_path / "out.txt").open("w", encoding="utf-8")

    class Closed(io.TextIOWrapper):
        def write(self, text: str) -> int:
            raise BrokenPipeError

    stream = Closed(io.FileIO(target.fileno(), "w", closefd=False), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", stream)
    try:
        assert main(["check", "--example"]) == cli.EXIT_FINDINGS
        assert main(["check", "--example", "--format", "sarif"]) == cli.EXIT_FINDINGS
    finally:
        target.close()


def test_a_real_closed_pipe_gives_the_status_of_the_findings(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "hyperv_backup", "check", "--example"],
        stdout=write_end,
        stderr=subprocess.PIPE,
        check=False,
    )
    os.close(write_end)
    assert done.returncode == cli.EXIT_FINDINGS
    assert done.stderr == b""


def test_collect_output_is_replaced_whole_or_left_as_it_was(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk turned a good inventory into 4 KB of cut JSON; no partial file is left."""
    from tests.collect._shared_collect import STANDALONE

    output = tmp_path / "inventory.json"
    output.write_text("the previous inventory", encoding="utf-8")

    real_fdopen = os.fdopen

    class Full(io.BufferedWriter):
        def write(self, data: Any) -> int:
            raise OSError(28, "No space left on device")

    def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if mode == "wb":
            return Full(io.FileIO(fd, "w"))
        return real_fdopen(fd, mode, *args, **kwargs)

    monkeypatch.setattr("hyperv_backup._base.files.os.fdopen", fdopen)
    result = run("collect", str(STANDALONE), "-o", str(output))
    assert result.code == cli.EXIT_USAGE
    assert "No space left on device; no file was changed" in result.err
    assert output.read_text(encoding="utf-8") == "the previous inventory"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inventory.json"]
    monkeypatch.undo()
    assert run("collect", str(STANDALONE), "-o", str(output)).code == 0
    assert json.loads(output.read_text(encoding="utf-8"))["kind"] == "host"


def test_files_written_together_are_all_replaced_or_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the events file cannot be put in place, the inventory written before it is put back."""
    inventory, events = tmp_path / "inv.json", tmp_path / "inv.events.json"
    inventory.write_bytes(b"old inventory")
    events.write_bytes(b"old events")
    real = Path.replace

    def replace(self: Path, target: Any) -> Path:
        if Path(target) == events and self.suffix == ".tmp":
            raise OSError(5, "Input/output error")
        return real(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    with pytest.raises(OSError, match="Input/output error"):
        files.write_atomically([(inventory, b"new inventory"), (events, b"new events")])
    assert inventory.read_bytes() == b"old inventory"
    assert events.read_bytes() == b"old events"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inv.events.json", "inv.json"]
    monkeypatch.undo()
    files.write_atomically([(inventory, b"new inventory"), (events, b"new events")])
    assert (inventory.read_bytes(), events.read_bytes()) == (b"new inventory", b"new events")


def test_a_file_written_atomically_keeps_the_mode_of_the_one_it_replaces(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(b"old")
    path.chmod(0o640)
    files.write_atomically([(path, b"new")])
    assert path.read_bytes() == b"new"
    assert path.stat().st_mode & 0o777 == 0o640


def test_a_fifo_read_by_the_library_is_still_read(tmp_path: Path) -> None:
    """Only the command line refuses pipes by name: read_inventory reads <(...) as before."""
    import hyperv_backup as hb

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text(example_text("host")))
    writer.start()
    assert hb.read_inventory(fifo).name
    writer.join()


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("SQL\u200b01", "SQL\\u200b01"),
        ("SQL\u200c01", "SQL\\u200c01"),
        ("SQL\u200d01", "SQL\\u200d01"),
        ("SQL\ufeff01", "SQL\\ufeff01"),
        ("SQL\ufffe01", "SQL\\ufffe01"),
        ("SQL\uffff01", "SQL\\uffff01"),
    ],
)
@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_name_cannot_pass_for_another(
    run: Any, tmp_path: Path, name: str, shown: str, fmt: str
) -> None:
    """Zero-width and non-characters passed into text and Markdown: SQL01 could be two VMs."""
    document = json.loads(example_text("host"))
    document["vms"][0]["name"] = name
    path = tmp_path / "inventory.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run("plan", str(path), "--format", fmt)
    assert result.code == 0
    assert name not in result.out
    assert shown in result.out.replace("\\\\", "\\")


def test_a_collector_document_read_as_an_inventory_is_held_to_the_string_limit(
    run: Any, tmp_path: Path
) -> None:
    from tests.collect._shared_collect import STANDALONE

    document = json.loads(STANDALONE.read_text(encoding="utf-8-sig"))
    document["Padding"] = "x" * (10 * 1024 * 1024 + 1)
    path = tmp_path / "host.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run("check", str(path))
    assert result.code == cli.EXIT_INVALID
    assert "Padding: a string of 10485761 characters is longer than the limit" in result.err


@pytest.mark.parametrize("fmt", ["sarif", "junit", "prometheus", "text"])
def test_a_lone_surrogate_in_a_collector_document_is_refused_in_every_format(
    run: Any, tmp_path: Path, fmt: str
) -> None:
    """A lone surrogate in a collector document crashed --format sarif (exit 4)."""
    from tests.collect._shared_collect import STANDALONE

    document = json.loads(STANDALONE.read_text(encoding="utf-8-sig"))
    document["VMs"][0]["Name"] = "VM\ud800"
    path = tmp_path / "host.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run("check", str(path), "--format", fmt)
    assert result.code == cli.EXIT_INVALID
    assert "internal error" not in result.err
