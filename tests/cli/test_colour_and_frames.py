"""Colour (--color, NO_COLOR, FORCE_COLOR, Windows consoles), --summary and what a report says of itself."""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from hyperv_backup.cli import _io, main
from hyperv_backup.cli._options import Color, Command, Options
from hyperv_backup.examples import example_text
from hyperv_backup.render import Format, Frame


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def _coloured(monkeypatch: pytest.MonkeyPatch, *args: str, tty: bool = True) -> bool:
    stream = FakeTTY() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stdout", stream)
    main(["rules", *args])
    return "\x1b[" in stream.getvalue()


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)


def test_color_auto_is_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _coloured(monkeypatch)
    assert _coloured(monkeypatch, "--color", "auto")
    assert not _coloured(monkeypatch, tty=False)


def test_color_always_and_never_go_before_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """An option given for one run goes before NO_COLOR (https://no-color.org)."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert _coloured(monkeypatch, "--color", "always", tty=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert not _coloured(monkeypatch, "--color", "never")


def test_no_color_set_and_not_empty_turns_colour_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "")
    assert _coloured(monkeypatch)
    monkeypatch.setenv("NO_COLOR", "yes")
    assert not _coloured(monkeypatch)
    monkeypatch.setenv("FORCE_COLOR", "1")  # NO_COLOR wins over FORCE_COLOR
    assert not _coloured(monkeypatch)


def test_force_color_colours_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "")
    assert not _coloured(monkeypatch, tty=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert _coloured(monkeypatch, tty=False)


def test_a_dumb_terminal_gets_no_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "dumb")
    assert not _coloured(monkeypatch)
    assert _coloured(monkeypatch, "--color", "always")


def test_a_file_of_o_gets_no_colour_unless_asked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "stdout", FakeTTY())
    target = tmp_path / "rules.txt"
    main(["rules", "-o", str(target)])
    assert "\x1b[" not in target.read_text(encoding="utf-8")
    main(["rules", "-o", str(target), "--color", "always"])
    assert "\x1b[" in target.read_text(encoding="utf-8")


def test_colour_belongs_to_text_only(monkeypatch: pytest.MonkeyPatch) -> None:
    tty = FakeTTY()
    monkeypatch.setattr(sys, "stdout", tty)
    main(["rules", "--format", "json", "--color", "always"])
    assert "\x1b" not in tty.getvalue()


# --- Windows consoles ------------------------------------------------------------------


class Console:
    """A Windows console: its mode, and whether it takes the VT mode."""

    def __init__(self, mode: int | None, takes_vt: bool = True) -> None:
        self.mode = mode
        self.takes_vt = takes_vt
        self.set: list[int] = []

    def get_mode(self) -> int | None:
        return self.mode

    def set_mode(self, mode: int) -> bool:
        self.set.append(mode)
        return self.takes_vt


def test_vt_mode_is_turned_on_where_it_is_off() -> None:
    console = Console(0x0003)
    assert _io.console_vt(console.get_mode, console.set_mode)
    assert console.set == [0x0003 | _io.ENABLE_VIRTUAL_TERMINAL_PROCESSING]


def test_vt_mode_already_on_is_left_alone() -> None:
    console = Console(0x0007)
    assert _io.console_vt(console.get_mode, console.set_mode)
    assert console.set == []


def test_a_console_that_refuses_vt_mode_or_no_console() -> None:
    old = Console(0x0003, takes_vt=False)  # before Windows 10
    assert not _io.console_vt(old.get_mode, old.set_mode)
    assert not _io.console_vt(Console(None).get_mode, Console(None).set_mode)


@pytest.mark.parametrize(("takes_vt", "coloured"), [(True, True), (False, False)])
def test_on_windows_auto_colours_only_a_console_in_vt_mode(
    monkeypatch: pytest.MonkeyPatch, takes_vt: bool, coloured: bool
) -> None:
    console = Console(0x0003, takes_vt=takes_vt)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(_io, "_console_modes", lambda _: (console.get_mode, console.set_mode))
    options = Options(command=Command.RULES, format=Format.TEXT, operands=())
    assert _io.use_color(options, FakeTTY()) is coloured
    # Asked for, colour is written whatever the console does with it (a file, less -R).
    forced = Options(command=Command.RULES, format=Format.TEXT, operands=(), color=Color.ALWAYS)
    assert _io.use_color(forced, FakeTTY())
    monkeypatch.setattr(_io, "_console_modes", lambda _: None)
    assert not _io.use_color(options, FakeTTY())


# --- the frame: --summary, made_at, inputs, collected_at -------------------------------


@pytest.fixture
def frames(monkeypatch: pytest.MonkeyPatch) -> list[Frame]:
    """Record the frame of every result rendered (the renderers draw from it)."""
    from hyperv_backup import render

    seen: list[Frame] = []
    original = render.renderer

    class Recording:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def __getattr__(self, name: str) -> Any:
            method = getattr(self.inner, name)

            def recorded(result: Any, *args: Any) -> Any:
                seen.append(next(a for a in args if isinstance(a, Frame)))
                return method(result, *args)

            return recorded

    def recording(fmt: Any) -> Any:
        return Recording(original(fmt))

    for module in ("hyperv_backup.cli.check", "hyperv_backup.cli.plan", "hyperv_backup.cli._fleet"):
        monkeypatch.setattr(f"{module}.renderer", recording)
    monkeypatch.setattr(render, "renderer", recording)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765144800")
    return seen


MADE = datetime(2025, 12, 7, 22, 0, tzinfo=UTC)


@pytest.mark.parametrize("command", ["check", "plan"])
def test_summary_reaches_the_renderer(run: Any, frames: list[Frame], command: str) -> None:
    run(command, "--example", "--summary")
    assert [f.summary for f in frames] == [True]
    frames.clear()
    run(command, "--example")
    assert [f.summary for f in frames] == [False]


def test_what_a_report_is_made_of_reaches_the_renderer(
    run: Any, frames: list[Frame], tmp_path: Path
) -> None:
    document = example_text("host").replace(
        '"kind": "host",', '"kind": "host",\n  "collected_at": "2025-12-07T21:00:00Z",', 1
    )
    path = tmp_path / "host.json"
    path.write_text(document, encoding="utf-8")
    for args in (["check", str(path)], ["plan", str(path)], ["restore", str(path), "DC01"]):
        frames.clear()
        assert run(*args).code in {0, 1}
        (frame,) = frames
        assert frame.made_at == MADE
        assert frame.inputs == (str(path),)
        assert frame.collected_at == {"HV-STANDALONE01": datetime(2025, 12, 7, 21, tzinfo=UTC)}


def test_a_report_of_many_inputs_names_them_all(
    run: Any, frames: list[Frame], tmp_path: Path
) -> None:
    for name in ("host", "cluster"):
        (tmp_path / f"{name}.json").write_text(example_text(name), encoding="utf-8")
    run("check", str(tmp_path), "--jobs", "1", "--summary")
    *parts, fleet = frames
    # Each input's own report, then its share of the whole.
    cluster, host = (str(tmp_path / "cluster.json"),), (str(tmp_path / "host.json"),)
    assert [p.inputs for p in parts] == [cluster, cluster, host, host]
    assert fleet.inputs == (str(tmp_path / "cluster.json"), str(tmp_path / "host.json"))
    assert {f.made_at for f in frames} == {MADE}
    assert all(f.summary for f in frames)


def test_an_example_is_named_as_an_input(run: Any, frames: list[Frame]) -> None:
    run("rules")
    run("plan", "--example", "host")
    assert [f.inputs for f in frames] == [(), ("example:host",)]


def test_made_at_is_now_without_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = datetime.now(UTC).replace(microsecond=0)
    assert before <= _io.made_at() <= datetime.now(UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")
    assert _io.made_at().tzinfo is UTC
