"""The command line pauses Python's cyclic garbage collector for the whole of a command.

A command builds and evaluates whole inventories and exits: the collector
would only walk those objects again and again. A program that calls
``main()`` gets its own setting back.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hyperv_backup.cli import EXIT_FINDINGS, EXIT_INVALID, _fleet, main
from hyperv_backup.inventory import parse_inventory


@pytest.fixture
def collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


@pytest.fixture
def watched_read(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record whether the collector runs each time the command line reads an inventory."""
    seen: list[bool] = []

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return parse_inventory(*args, **kwargs)

    monkeypatch.setattr("hyperv_backup.cli._io.parse_inventory", watched)
    return seen


@pytest.mark.usefixtures("collector_on")
@pytest.mark.parametrize("operands", [["--example"], ["--example", "cluster-2022"]])
def test_a_command_runs_with_the_collector_paused(
    watched_read: list[bool], operands: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", *operands, "--format", "json"]) in {0, EXIT_FINDINGS}
    assert capsys.readouterr().out.startswith("{")
    assert watched_read == [False]
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_the_collector_is_restored_when_a_command_fails(
    watched_read: list[bool], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"kind": "host"}', encoding="utf-8")
    assert main(["check", str(bad)]) == EXIT_INVALID
    assert "required field missing" in capsys.readouterr().err
    assert watched_read == [False]
    assert gc.isenabled()


def test_the_collector_stays_off_for_a_caller_that_turned_it_off(
    capsys: pytest.CaptureFixture[str],
) -> None:
    gc.disable()
    try:
        assert main(["rules", "--format", "json"]) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert capsys.readouterr().out


@pytest.mark.usefixtures("collector_on")
def test_a_worker_pauses_the_collector_for_each_input(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker process started afresh, not forked from the command, pauses it itself."""
    seen: list[bool] = []

    def evaluate(job: object) -> Any:
        seen.append(gc.isenabled())
        return job

    monkeypatch.setattr(_fleet, "_evaluate", evaluate)
    job: Any = object()
    assert _fleet.evaluate(job) is job
    assert seen == [False]
    assert gc.isenabled()
