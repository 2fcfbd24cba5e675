"""The hyperv-backup command: text, colour, terminals, HTML, and hostile strings."""

from __future__ import annotations

import io
import json
import re
import runpy
import sys
from pathlib import Path
from typing import Any

import pytest

import hyperv_backup as hb
from hyperv_backup import cli
from hyperv_backup.cli import main
from hyperv_backup.render.links import source_text
from hyperv_backup.render.text import words
from tests.cli._shared_cli import (
    COMMANDS,
    Page,
    validate,
)

HOSTILE_VM = "<script>alert(1)</script>"


HOSTILE: dict[str, Any] = {
    "kind": "host",
    "name": "HV|01",
    "os": "windows_server_2008_r2",
    "installed_updates": ["KB982210"],
    "virtual_networks": [{"name": "Net*work_`x`", "kind": "external"}],
    "backup_application": {"name": "<b>Backup</b>", "uses_hyperv_vss_writer": False},
    "vms": [
        {
            "name": HOSTILE_VM,
            "state": "running",
            "integration_services": False,
            "disks": [{"name": "a|b", "attachment": "pass_through"}],
            "network_adapters": [{"name": "nic\x1b[2J", "virtual_network": "Net*work_`x`"}],
        },
        {"name": "a|b", "state": "running", "snapshots": ["first"]},
        {"name": "evil\x1b[2Jvm", "state": "paused"},
    ],
}


@pytest.fixture
def hostile_file(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(HOSTILE), encoding="utf-8")
    return path


# --- text, colour and terminals ------------------------------------------------------


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("command", ["check", "plan", "restore", "rules"])
def test_colour_only_on_a_terminal_without_no_color(
    monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """ANSI colour on a terminal; none when NO_COLOR is set (not empty) or stdout is not a tty."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    tty = FakeTTY()
    monkeypatch.setattr(sys, "stdout", tty)
    main(COMMANDS[command])
    assert "\x1b[" in tty.getvalue()

    for value in ("1", "0", "no"):
        monkeypatch.setenv("NO_COLOR", value)
        tty = FakeTTY()
        monkeypatch.setattr(sys, "stdout", tty)
        main(COMMANDS[command])
        assert "\x1b" not in tty.getvalue()

    monkeypatch.delenv("NO_COLOR")
    plain = io.StringIO()
    monkeypatch.setattr(sys, "stdout", plain)
    main(COMMANDS[command])
    assert "\x1b" not in plain.getvalue()


def test_no_colour_in_other_formats_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Colour belongs to text: JSON, Markdown and HTML never carry escape sequences."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    for fmt in ("json", "markdown", "html"):
        tty = FakeTTY()
        monkeypatch.setattr(sys, "stdout", tty)
        main(["plan", "--example", "--format", fmt])
        assert "\x1b" not in tty.getvalue()


@pytest.mark.parametrize("command", sorted(set(COMMANDS) - {"example"}))
def test_text_fits_80_columns(run: Any, command: str) -> None:
    """Text output is wrapped to 80 columns, at spaces; only a word longer than a line overflows it."""
    out = run(*COMMANDS[command]).out
    for line in out.splitlines():
        assert len(line) <= 80 or len(words(line)) == 1, line


def test_plan_text_shows_each_vm_with_its_backup_and_why(run: Any) -> None:
    """The per-VM table of plan, worst first: host, what the backup will be, the rules behind it."""
    out = run("plan", "--example").out
    table = out[out.index("Virtual machines, worst first") : out.index("\nFindings\n")]
    rows = [line.split("  ") for line in table.splitlines()[4:] if line[:1].isupper()]
    cells = {row[0]: [c.strip() for c in row[1:] if c.strip()] for row in rows}
    assert cells["FS01"] == ["HV-NODE1", "saved with downtime", "HVB303 (Archive)"]
    assert cells["WEB02"] == ["HV-NODE2", "not running", "HVB307"]
    assert cells["SQL01"] == ["HV-NODE1", "application-consistent", "-"]
    # Saved (downtime) before the consistent copy before the VMs that are not running.
    order = list(cells)
    assert order.index("FS01") < order.index("SQL01") < order.index("WEB02")


def test_unencodable_output_does_not_crash(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A console that cannot show a character gets an escape instead of an exception."""
    inventory = {
        "kind": "host",
        "name": "HV01",
        "os": "windows_server_2008_r2",
        "installed_updates": ["KB982210"],
        "vms": [{"name": "Zo\u00eb-\u6f22", "state": "off"}],
    }
    path = tmp_path / "unicode.json"
    path.write_text(json.dumps(inventory), encoding="utf-8")
    buffer = io.BytesIO()
    stream = io.TextIOWrapper(buffer, encoding="ascii")
    monkeypatch.setattr(sys, "stdout", stream)
    assert main(["plan", str(path)]) == 0
    stream.flush()
    assert b"Zo\\xeb-\\u6f22" in buffer.getvalue()


def test_broken_pipe_is_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader that goes away (| head) ends the command without a traceback."""

    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError

    monkeypatch.setattr(sys, "stdout", Closed())
    assert main(["rules"]) == 0


def test_internal_error_is_one_line(
    run: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug is reported on one line with its own status, never as a traceback."""

    def broken(target: object, **options: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr("hyperv_backup.cli.check.evaluate_target", broken)
    result = run("check", "--example")
    assert result.code == cli.EXIT_INTERNAL
    assert result.err.strip() == (
        "hyperv-backup check: internal error: RuntimeError: boom (please report this)"
    )


def test_help_and_version_exit_0(run: Any) -> None:
    """--help and --version are not errors."""
    result = run("--help")
    assert result.code == 0
    assert "exit status" in result.out
    for command in COMMANDS:
        assert run(command, "--help").code == 0
    version = run("--version")
    assert version.code == 0
    assert hb.__version__ in version.out


def test_python_dash_m(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`python -m hyperv_backup` runs the same command line and exits with its status."""
    monkeypatch.setattr(
        sys, "argv", ["hyperv-backup", "check", "--example", "host", "--format", "json"]
    )
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_module("hyperv_backup", run_name="__main__", alter_sys=True)
    assert exit_info.value.code == 1
    validate("check", capsys.readouterr().out)


# --- the HTML report -----------------------------------------------------------------


def test_html_report_of_the_example(run: Any) -> None:
    """The plan page: summary, every VM colour-coded, every step, every finding with its rule."""
    out = run("plan", "--example", "--format", "html").out
    page = Page(out)
    assert page.unbalanced == []
    assert page.stack == []
    assert {"html", "head", "body", "title", "style", "table", "ol"} <= page.tags
    # Self-contained: no scripts, no external resources. The only addresses
    # are links a reader may follow, to the pages the rules cite.
    assert {"script", "link", "img", "iframe"}.isdisjoint(page.tags)
    assert all(name != "src" for name, _ in page.attributes)
    cited = {rule.source.page.url for rule in hb.RULES.values()}
    cited |= {f"docs/rules.md#{rule_id.lower()}" for rule_id in hb.RULES}
    links = [value for name, value in page.attributes if name == "href"]
    assert links
    assert set(links) <= cited
    assert "http" not in re.sub(r'href="https://[^"]*"', "", out).replace("https://no-color", "")

    plan = hb.backup_plan(hb.load_example("cluster"))
    vm_rows = page.rows("vms")
    # Worst first: the saved VMs, then the one copied online, then those not running.
    assert [row[2] for row in vm_rows] == ["saved with downtime"] * 6 + [
        "application-consistent"
    ] + ["not running"] * 2
    assert sorted(row[0] for row in vm_rows) == sorted(plan.decisions)
    assert '<td class="name out-saved" data-label="Backup">saved with downtime</td>' in out
    assert '<td class="name out-app" data-label="Backup">application-consistent</td>' in out

    text = page.text
    for step in plan.steps:
        assert step.text in text
    finding_rows = page.rows("findings")
    assert len(finding_rows) == len(plan.findings)
    for row, finding in zip(finding_rows, plan.findings, strict=True):
        assert row[0] == finding.severity.value
        assert row[1] == finding.rule.id + finding.rule.title
        assert row[3] == finding.message
        assert row[4] == finding.rule.remedy
        assert row[5] == source_text(finding.rule.source)
    summary = text[: text.index("Virtual machines")]
    assert "6saved with downtime" in summary
    assert "1application-consistent" in summary
    assert "9 VMs, 6 at risk" in summary
    assert "5error findings" in summary


def test_html_check_report_lists_every_finding(run: Any) -> None:
    """The check page has one row per finding."""
    page = Page(run("check", "--example", "--format", "html").out)
    assert page.unbalanced == []
    assert len(page.rows("findings")) == len(hb.check(hb.load_example("cluster")))


# --- hostile inventory strings -------------------------------------------------------


def test_hostile_names_escaped_in_html(run: Any, hostile_file: Path) -> None:
    """Inventory strings are escaped in HTML: no markup of theirs survives, no control chars."""
    for command in (["check"], ["plan"], ["restore"]):
        args = [*command, str(hostile_file)] + ([HOSTILE_VM] if command == ["restore"] else [])
        result = run(*args, "--format", "html")
        assert result.code in (0, 1), result.err
        page = Page(result.out)
        assert page.unbalanced == []
        assert "script" not in page.tags
        assert "b" not in page.tags
        assert "<script>" not in result.out
        assert "\x1b" not in result.out
        assert HOSTILE_VM in page.text


def test_hostile_names_escaped_in_markdown(run: Any, hostile_file: Path) -> None:
    """In Markdown, |, *, _, backticks, < and > from the inventory are escaped."""
    out = run("plan", str(hostile_file), "--format", "markdown").out
    assert "<script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "a\\|b" in out
    assert "Net\\*work\\_\\`x\\`" in out
    assert "\x1b" not in out
    # Every table row has as many cell separators as its header.
    for block in out.split("\n\n"):
        lines = [line for line in block.splitlines() if line.startswith("|")]
        if not lines:
            continue
        width = lines[0].replace("\\|", "").count("|")
        assert all(line.replace("\\|", "").count("|") == width for line in lines)


def test_hostile_names_stripped_in_text(run: Any, hostile_file: Path) -> None:
    """In text, control characters and escape sequences from the inventory are removed."""
    for args in (
        ["check", str(hostile_file)],
        ["plan", str(hostile_file)],
        ["restore", str(hostile_file), "evil\x1b[2Jvm"],
        ["restore", str(hostile_file), HOSTILE_VM],
    ):
        result = run(*args)
        assert "\x1b" not in result.out, args
        assert "\x1b" not in result.err
    plan = run("plan", str(hostile_file)).out
    assert "evilvm" in plan
    assert HOSTILE_VM in plan


def test_hostile_names_in_json_are_data(run: Any, hostile_file: Path) -> None:
    """JSON carries inventory strings unchanged (escaped by the JSON encoder only)."""
    document = validate("plan", run("plan", str(hostile_file), "--format", "json").out)
    assert {row["vm"] for row in document["vms"]} == {HOSTILE_VM, "a|b", "evil\x1b[2Jvm"}


def test_invalid_inventory_messages_are_stripped(run: Any, tmp_path: Path) -> None:
    """Problem lines on stderr carry no control characters from the input."""
    path = tmp_path / "bad\x1b[2J.json"
    path.write_text('{"kind": "host", "name": "H", "os": "windows_server_2008_r2", "x\\u001b": 1}')
    result = run("check", str(path))
    assert result.code == 3
    assert "\x1b" not in result.err


def test_interrupt_exits_130(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C ends the command with the shell's status for SIGINT, without a traceback."""

    def interrupted(target: object, **options: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr("hyperv_backup.cli.check.evaluate_target", interrupted)
    result = run("check", "--example")
    assert result.code == 130
    assert result.err == "hyperv-backup: interrupted\n"


def test_interrupt_while_the_arguments_are_read_exits_130(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr("hyperv_backup.cli.parse", interrupted)
    result = run("check", "--example")
    assert (result.code, result.err) == (130, "hyperv-backup: interrupted\n")


def test_interrupt_while_the_command_line_is_imported_exits_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C in the first quarter second, while modules load, printed a traceback."""
    import hyperv_backup.__main__ as entry

    def interrupted(name: str) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(entry, "import_module", interrupted)
    assert entry.run() == 130
    assert capsys.readouterr().err == "hyperv-backup: interrupted\n"


def test_the_command_runs_from_its_entry_point(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import hyperv_backup.__main__ as entry

    monkeypatch.setattr("sys.argv", ["hyperv-backup", "rules", "--format", "json"])
    assert entry.run() == 0
    assert '"HVB101"' in capsys.readouterr().out


def test_broken_pipe_on_a_real_descriptor(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """After a broken pipe, standard output is pointed at the null device so exit stays quiet."""
    target = (tmp_path / "out.txt").open("w", encoding="utf-8")

    class Broken(io.TextIOWrapper):
        def write(self, text: str) -> int:
            raise BrokenPipeError

    stream = Broken(io.FileIO(target.fileno(), "w", closefd=False), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", stream)
    try:
        assert main(["rules"]) == 0
    finally:
        target.close()


def test_error_messages_carry_no_escape_sequences(run: Any, tmp_path: Path) -> None:
    """A usage error that names an inventory string strips its control characters."""
    inventory = dict(HOSTILE, name="HV\x1b[2J01")
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(inventory), encoding="utf-8")
    result = run("restore", str(path), "NOPE")
    assert result.code == 2
    assert "host HV01" in result.err
    assert "\x1b" not in result.err
