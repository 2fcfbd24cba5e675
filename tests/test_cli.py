"""The ``hyperv-backup`` command line, run in process through ``main([...])``."""

from __future__ import annotations

import io
import json
import runpy
import sys
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import pytest
from jsonschema import Draft202012Validator

import hyperv_backup as hb
from hyperv_backup import cli
from hyperv_backup.cli import main
from hyperv_backup.examples import example_text
from hyperv_backup.render import Format

COMMANDS: dict[str, list[str]] = {
    "check": ["check", "--example"],
    "plan": ["plan", "--example"],
    "restore": ["restore", "--example", "cluster", "APP01"],
    "rules": ["rules"],
    "example": ["example"],
}

#: Exit status of each command on the bundled cluster with the default policy.
EXPECTED_STATUS = {"check": 1, "plan": 1, "restore": 0, "rules": 0, "example": 0}

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


@attrs.frozen
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Any:
    def invoke(*args: str) -> Run:
        code = main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def hostile_file(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(HOSTILE), encoding="utf-8")
    return path


def schema(command: str) -> Draft202012Validator:
    text = resources.files("hyperv_backup.schemas").joinpath(f"cli-{command}.json").read_text()
    document = json.loads(text)
    Draft202012Validator.check_schema(document)
    return Draft202012Validator(document)


def validate(command: str, out: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(out)
    errors = [e.message for e in schema(command).iter_errors(document)]
    assert errors == []
    return document


class Page(HTMLParser):
    """Collects what the HTML tests look at: tags, their balance, text and table cells."""

    VOID = frozenset({"meta", "br", "hr", "img", "input", "link", "wbr", "col", "source"})

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.unbalanced: list[str] = []
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []
        self.data: list[str] = []
        self.doctype: str | None = None
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None
        self.feed(text)
        self.close()

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.extend(attrs)
        if tag not in self.VOID:
            self.stack.append(tag)
        if tag == "table":
            self._table = dict(attrs).get("class") or ""
            self.tables.setdefault(self._table, [])
        elif tag == "tr" and self._table is not None:
            self.tables[self._table].append([])
        elif tag == "td":
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.unbalanced.append(tag)
        if tag == "td" and self._cell is not None and self._table is not None:
            self.tables[self._table][-1].append("".join(self._cell))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        self.data.append(data)
        if self._cell is not None:
            self._cell.append(data)

    @property
    def text(self) -> str:
        return "".join(self.data)

    def rows(self, table: str) -> list[list[str]]:
        return [row for row in self.tables.get(table, []) if row]


# --- every command in every format ---------------------------------------------------


@pytest.mark.parametrize("fmt", list(Format))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_runs_in_every_format(run: Any, command: str, fmt: Format) -> None:
    """Every command accepts --format text|json|markdown|html and writes data to stdout only."""
    result = run(*COMMANDS[command], "--format", fmt.value)
    assert result.code == EXPECTED_STATUS[command]
    assert result.err == ""
    assert result.out.endswith("\n")
    assert "Traceback" not in result.out
    if fmt is Format.JSON:
        document = validate(command, result.out)
        if command != "example":
            assert document["schema_version"] == 1
            assert document["command"] == command
    if fmt is Format.HTML:
        page = Page(result.out)
        assert page.doctype is not None
        assert page.doctype.lower() == "doctype html"
        assert page.unbalanced == []
        assert page.stack == []
    if fmt is Format.MARKDOWN:
        assert result.out.startswith("# ")


@pytest.mark.parametrize("command", ["check", "plan"])
@pytest.mark.parametrize("example", ["cluster", "host"])
def test_json_output_matches_its_schema_for_each_example(
    run: Any, command: str, example: str
) -> None:
    """The JSON of check and plan validates against the shipped schema for both examples."""
    result = run(command, "--example", example, "--format", "json", "--fail-on", "never")
    document = validate(command, result.out)
    assert document["inventory"]["name"] == hb.load_example(example).name
    assert document["failed"] is False


def test_json_is_stable(run: Any) -> None:
    """The same inventory gives the same JSON, byte for byte."""
    first = run("plan", "--example", "--format", "json").out
    assert run("plan", "--example", "--format", "json").out == first


def test_plan_json_carries_the_plan(run: Any) -> None:
    """Plan --format json holds the steps, findings and decisions of backup_plan."""
    document = validate("plan", run("plan", "--example", "--format", "json").out)
    plan = hb.backup_plan(hb.load_example("cluster"))
    body = hb.to_dict(plan)
    assert document["steps"] == body["steps"]
    assert document["findings"] == body["findings"]
    assert document["decisions"] == body["decisions"]
    assert [row["vm"] for row in document["vms"]] == list(plan.decisions)
    assert document["summary"]["vms"] == 9
    assert document["summary"]["online"] == 1
    assert document["summary"]["downtime"] == sum(
        d.causes_downtime for d in plan.decisions.values()
    )


def test_check_json_lists_every_finding(run: Any) -> None:
    """Check --format json lists check()'s findings, with counts by severity."""
    document = validate("check", run("check", "--example", "--format", "json").out)
    findings = hb.check(hb.load_example("cluster"))
    assert document["findings"] == [hb.to_dict(f) for f in findings]
    assert sum(document["summary"].values()) == len(findings)
    assert document["policy"] == {"fail_on": "error", "ignore": []}
    assert document["failed"] is True


def test_rules_json_is_the_catalogue(run: Any) -> None:
    """Rules --format json lists RULES in order."""
    document = validate("rules", run("rules", "--format", "json").out)
    assert [r["id"] for r in document["rules"]] == list(hb.RULES)


def test_schemas_name_every_enum_member() -> None:
    """The schemas' enums are the package's enums, so no valid output is ever rejected."""
    plan = json.loads(
        resources.files("hyperv_backup.schemas").joinpath("cli-plan.json").read_text()
    )
    assert plan["$defs"]["step"]["properties"]["action"]["enum"] == [k.value for k in hb.StepKind]
    assert plan["$defs"]["severity"]["enum"] == [s.value for s in hb.Severity]
    assert plan["$defs"]["decision"]["properties"]["state_after"]["enum"] == [
        s.value for s in hb.VMState
    ]
    assert plan["$defs"]["policy"]["properties"]["fail_on"]["enum"] == [f.value for f in cli.FailOn]


# --- exit codes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["check", "--example", "host"], 1),
        (["check", "--example", "host", "--fail-on", "never"], 0),
        (["check", "--example", "host", "--ignore", "HVB101"], 0),
        (["check", "--example", "host", "--ignore", "HVB101", "--fail-on", "warning"], 0),
        (["check", "--example", "host", "--ignore", "HVB101", "--fail-on", "info"], 1),
        (["check", "--example", "cluster", "--fail-on", "warning"], 1),
        (["plan", "--example", "host"], 1),
        (["plan", "--example", "host", "--fail-on", "never"], 0),
        (["plan", "--example", "host", "--ignore", "hvb101"], 0),
        (["plan", "--example", "host", "--ignore", "HVB101", "--fail-on", "info"], 1),
        (
            [
                "plan",
                "--example",
                "host",
                "--ignore",
                "HVB101,HVB100",
                "--ignore",
                "HVB104, HVB105",
                "--ignore=HVB307",
                "--fail-on",
                "info",
            ],
            0,
        ),
    ],
)
def test_exit_status_follows_fail_on_and_ignore(run: Any, args: list[str], status: int) -> None:
    """Exit 0 when nothing is at or above --fail-on once --ignore'd rules are left out, else 1."""
    assert run(*args).code == status


def test_ignored_rules_leave_the_output(run: Any) -> None:
    """--ignore removes the rule's findings from the output too, and the JSON says so."""
    document = validate(
        "check", run("check", "--example", "--ignore", "HVB307,HVB105", "--format", "json").out
    )
    assert {"HVB307", "HVB105"}.isdisjoint(f["rule"] for f in document["findings"])
    assert document["policy"]["ignore"] == ["HVB105", "HVB307"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--example", "--ignore", "HVB999"], "HVB999"),
        (["check", "--example", "--ignore", "HVB105,nope"], "NOPE"),
        (["check", "--example", "nowhere"], "no example named 'nowhere'"),
        (["example", "nowhere"], "no example named 'nowhere'"),
        (["example", "host", "cluster"], "at most one"),
        (["restore", "--example", "cluster", "NOPE01"], "no VM named 'NOPE01'"),
        (["restore", "--example", "cluster", "sql01"], "did you mean 'SQL01'"),
        (["restore", "--example", "cluster", "SQL01", "--node", "HV-NODE9"], "HV-NODE9"),
        (["plan", "--example", "--node", "HV-NODE9"], "no node named 'HV-NODE9'"),
        (["plan", "--example", "host", "--node", "HV-NODE1"], "no node named 'HV-NODE1'"),
        (["check"], "missing INVENTORY"),
        (["restore", "--example"], "missing VM"),
        (["check", "--example", "host", "extra.json"], "not both"),
        (["rules", "extra"], "unexpected argument: extra"),
        (["check", "--example", "--bogus"], "unrecognized arguments: --bogus"),
        (["check", "--example", "--format", "xml"], "invalid choice: 'xml'"),
        (["check", "--example", "--fail-on", "fatal"], "invalid choice: 'fatal'"),
        (["restore", "--example", "cluster", "SQL01", "--backup-mode", "live"], "'live'"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        ([], "required: COMMAND"),
    ],
)
def test_usage_errors_exit_2(run: Any, args: list[str], message: str) -> None:
    """Bad arguments, unknown rule IDs, examples, VMs and nodes exit 2 with a reason on stderr."""
    result = run(*args)
    assert result.code == cli.EXIT_USAGE
    assert message in result.err
    assert result.out == ""
    assert "Traceback" not in result.err


def test_missing_file_exits_2(run: Any, tmp_path: Path) -> None:
    """A file that cannot be read is a usage error, named on stderr."""
    missing = tmp_path / "missing.json"
    result = run("check", str(missing))
    assert result.code == 2
    assert "cannot read" in result.err
    assert "missing.json" in result.err
    assert run("plan", str(tmp_path)).code == 2  # a directory


@pytest.mark.parametrize(
    ("content", "path"),
    [
        (
            b'{"kind": "host", "name": "HV01", "os": "windows_server_2008_r2", "vms": [{}]}',
            "vms[0]",
        ),
        (b'{"kind": "host", "name": "HV01", "os": "dos"}', "os:"),
        (b'{"kind": "host", "name": "HV01", "os": "windows_server_2008_r2", "typo": 1}', "typo:"),
        (b'{"kind": "host", "name": "HV01", "name": "HV02"}', "duplicate key"),
        (b"\xff\xfe\x00garbage", "<document>:"),
        (b"[" * 100_000, "<document>:"),
        (b"", "<document>:"),
    ],
)
def test_invalid_inventory_exits_3(run: Any, tmp_path: Path, content: bytes, path: str) -> None:
    """An invalid inventory exits 3; each problem is one `path: message` line; no traceback."""
    source = tmp_path / "bad.json"
    source.write_bytes(content)
    for command in (["check"], ["plan"], ["restore"]):
        args = [*command, str(source)] + (["VM01"] if command == ["restore"] else [])
        result = run(*args)
        assert result.code == cli.EXIT_INVALID
        assert result.out == ""
        assert "Traceback" not in result.err
        lines = result.err.splitlines()
        assert "bad.json" in lines[0]
        assert any(line.startswith(path) or path in line for line in lines[1:])
        assert all(": " in line for line in lines[1:])


# --- reading the inventory -----------------------------------------------------------


def fake_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_dash_reads_stdin_bytes(run: Any, monkeypatch: pytest.MonkeyPatch, encoding: str) -> None:
    """INVENTORY `-` reads standard input as bytes: UTF-8, or UTF-8/UTF-16 with a BOM."""
    fake_stdin(monkeypatch, example_text("host").encode(encoding))
    result = run("check", "-", "--format", "json")
    assert result.code == 1
    assert validate("check", result.out)["inventory"]["name"] == "HV-STANDALONE01"


def test_dash_with_invalid_stdin_names_stdin(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad document on standard input exits 3 and calls it <stdin>."""
    fake_stdin(monkeypatch, b'{"kind": "cluster"}')
    result = run("plan", "-")
    assert result.code == 3
    assert "<stdin>" in result.err
    assert "name: required field missing" in result.err


def test_file_argument(run: Any, tmp_path: Path) -> None:
    """INVENTORY is a path; a file written by `example` reads back the same."""
    path = tmp_path / "cluster.json"
    path.write_text(run("example").out, encoding="utf-8")
    assert run("plan", str(path)).out == run("plan", "--example").out


def test_example_prints_the_inventory(run: Any) -> None:
    """Example prints an inventory that parses back to the bundled one."""
    for name in hb.example_names():
        out = run("example", name).out
        assert hb.parse_inventory(out) == hb.load_example(name)
        assert hb.parse_inventory(run("example", name, "--format", "json").out) == (
            hb.load_example(name)
        )
    assert hb.parse_inventory(run("example").out) == hb.load_example("cluster")


def test_example_markdown_and_html_show_the_json(run: Any) -> None:
    """The Markdown and HTML forms of `example` show the document as code."""
    markdown = run("example", "host", "--format", "markdown").out
    assert "```json\n" in markdown
    page = Page(run("example", "host", "--format", "html").out)
    assert "pre" in page.tags
    document = page.text[page.text.index('{\n  "kind"') :]
    assert hb.parse_inventory(document) == hb.load_example("host")


@pytest.mark.parametrize(
    "args",
    [
        ["restore", "--example", "cluster", "APP01"],
        ["restore", "--example", "APP01"],  # the word after --example names no example
        ["restore", "APP01", "--example"],
        ["restore", "--example=cluster", "APP01"],
    ],
)
def test_example_flag_and_vm_in_any_order(run: Any, args: list[str]) -> None:
    """--example [NAME] replaces INVENTORY, wherever it stands."""
    result = run(*args, "--format", "json")
    assert result.code == 0
    assert validate("restore", result.out)["vm"] == "APP01"


def test_options_between_operands(run: Any, tmp_path: Path) -> None:
    """Options may stand between INVENTORY and VM."""
    path = tmp_path / "cluster.json"
    path.write_text(example_text("cluster"), encoding="utf-8")
    result = run("restore", str(path), "--node", "HV-NODE2", "APP01", "--format", "json")
    assert result.code == 0
    assert validate("restore", result.out)["node"] == "HV-NODE2"


# --- restore -------------------------------------------------------------------------


def restore_json(run: Any, *args: str) -> dict[str, Any]:
    result = run("restore", "--example", "cluster", *args, "--format", "json")
    assert result.code == 0, result.err
    return validate("restore", result.out)


def test_restore_defaults_to_the_node_listing_the_vm(run: Any) -> None:
    """Without --node the VM is restored on the host or node that lists it."""
    document = restore_json(run, "WEB01")
    assert document["node"] == "HV-NODE2"
    cluster = hb.load_example("cluster")
    assert isinstance(cluster, hb.Cluster)
    expected = hb.restore_steps(cluster.nodes[1].vms[0], cluster.nodes[1])
    assert document["steps"] == [hb.to_dict(s) for s in expected]
    assert document["backup_mode"] is None


def test_restore_on_another_node_prepares_the_owner(run: Any) -> None:
    """--node names another node: the owner takes the resources offline first (case-insensitive)."""
    document = restore_json(run, "WEB01", "--node", "hv-node1")
    assert document["node"] == "HV-NODE1"
    prepare = [s for s in document["steps"] if s["action"] == "prepare_cluster"]
    assert prepare[0]["where"] == "HV-NODE2"


@pytest.mark.parametrize("vm", ["TEST01", "WEB02", "SQL01", "DEV01"])
def test_restore_backup_mode_online(run: Any, vm: str) -> None:
    """--backup-mode online works for any VM, also one that is off now (it ran then)."""
    document = restore_json(run, vm, "--backup-mode", "online")
    assert document["backup_mode"] == "online"
    first_start = document["steps"][-1]
    assert first_start["action"] == "first_start"
    assert first_start["rules"] == ["HVB402"]
    assert "comes back off" in first_start["text"]


def test_restore_backup_mode_offline(run: Any) -> None:
    """--backup-mode offline: a running VM comes back saved; no HVB402."""
    document = restore_json(run, "SQL01", "--backup-mode", "offline")
    first_start = document["steps"][-1]
    assert first_start["rules"] == []
    assert "comes back saved" in first_start["text"]


def test_restore_backup_mode_names_no_backup_set(run: Any) -> None:
    """--backup-mode gives the mode only, and implies no backup set (so no HVB406).

    A pass-through disk is still restored from inside the guest (HVB403).
    """
    document = restore_json(run, "FS01", "--backup-mode", "offline")
    guest = [s for s in document["steps"] if s["action"] == "guest_restore"]
    assert [(s["target"], s["rules"]) for s in guest] == [("Archive", ["HVB403"])]


def test_plan_node_moves_clustered_vms(run: Any) -> None:
    """Plan --node backs every clustered VM up on that node, moving the others there first."""
    document = validate(
        "plan", run("plan", "--example", "--node", "hv-node2", "--format", "json").out
    )
    assert document["node"] == "HV-NODE2"
    moved = [s["target"] for s in document["steps"] if s["action"] == "move_vm"]
    assert moved == ["SQL01", "FS01", "APP01", "DEV01"]
    rows = {row["vm"]: row["host"] for row in document["vms"]}
    assert rows["SQL01"] == "HV-NODE2"
    assert rows["MGMT01"] == "HV-NODE2"


# --- text, colour and terminals ------------------------------------------------------


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("command", ["check", "plan", "restore", "rules"])
def test_colour_only_on_a_terminal_without_no_color(
    monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """ANSI colour on a terminal; none when NO_COLOR is set (any value) or stdout is not a tty."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    tty = FakeTTY()
    monkeypatch.setattr(sys, "stdout", tty)
    main(COMMANDS[command])
    assert "\x1b[" in tty.getvalue()

    for value in ("", "1"):
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
    """Text output is wrapped to 80 columns."""
    out = run(*COMMANDS[command]).out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_plan_text_shows_each_vm_with_mode_downtime_and_why(run: Any) -> None:
    """The per-VM table of plan: mode, downtime and the rules behind an offline backup."""
    out = run("plan", "--example").out
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line[:1].isupper()}
    assert rows["SQL01"][1:4] == ["HV-NODE1", "online", "no"]
    assert rows["FS01"][1:5] == ["HV-NODE1", "offline", "yes", "HVB303"]
    assert rows["WEB02"][1:5] == ["HV-NODE2", "offline", "no", "HVB307"]


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

    def broken(target: object) -> tuple[hb.Finding, ...]:
        raise RuntimeError("boom")

    monkeypatch.setattr("hyperv_backup.cli.check.check", broken)
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
    # Self-contained: no scripts, no external resources.
    assert {"script", "link", "img", "iframe"}.isdisjoint(page.tags)
    assert all(name not in {"src", "href"} for name, _ in page.attributes)
    assert "http" not in out.replace("https://no-color", "")

    plan = hb.backup_plan(hb.load_example("cluster"))
    vm_rows = page.rows("vms")
    assert [row[0] for row in vm_rows] == list(plan.decisions)
    for row, decision in zip(vm_rows, plan.decisions.values(), strict=True):
        assert row[2] == decision.mode.value
        assert row[3] == ("yes" if decision.causes_downtime else "no")
    assert '<td class="mode-online">online</td>' in out
    assert '<td class="mode-offline">offline</td>' in out

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
        assert row[5] == finding.rule.section
    summary = text[: text.index("Virtual machines")]
    assert "1online" in summary
    assert "8offline" in summary
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

    def interrupted(target: object) -> tuple[hb.Finding, ...]:
        raise KeyboardInterrupt

    monkeypatch.setattr("hyperv_backup.cli.check.check", interrupted)
    result = run("check", "--example")
    assert result.code == 130
    assert result.err == ""


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


# --- collect: inventories from collector documents --------------------------------------

COLLECT_FIXTURES = Path(__file__).parent / "fixtures" / "collect"
COLLECT_NODES = [
    str(COLLECT_FIXTURES / "cluster-node1-ps51.json"),
    str(COLLECT_FIXTURES / "cluster-node2-ps51-utf16.json"),
]
COLLECT_GUESTS = [
    str(COLLECT_FIXTURES / name)
    for name in ("guest-sql01-ps51.json", "guest-fs01-ps51.json", "guest-app01-ps51.json")
]
COLLECT_STANDALONE = str(COLLECT_FIXTURES / "standalone-ps7.json")


def test_collect_writes_the_inventory(run: Any) -> None:
    """Collect: node documents and guest documents in, one inventory document out (stdout)."""
    result = run("collect", *COLLECT_NODES, "--guest", *COLLECT_GUESTS)
    assert result.code == 0, result.err
    document = validate("example", result.out)  # the inventory schema
    expected = hb.collect.read_documents(COLLECT_NODES, COLLECT_GUESTS)
    assert hb.parse_inventory(document) == expected
    assert result.out == json.dumps(hb.dump_inventory(expected), indent=2) + "\n"
    # Notes on stderr only: the VMs planned offline for want of a guest document.
    assert result.err.splitlines() == [
        "hyperv-backup collect: note: no guest document for 3 VM(s), planned offline (HVB309): "
        "WEB01, DEV01, TEST01"
    ]


def test_collect_output_file_and_repeated_guest(run: Any, tmp_path: Path) -> None:
    """-o writes the file (UTF-8) and nothing to stdout; --guest may be repeated."""
    target = tmp_path / "inventory.json"
    result = run(
        "collect",
        COLLECT_NODES[1],
        "--guest",
        COLLECT_GUESTS[0],
        "-o",
        str(target),
        COLLECT_NODES[0],
        "--guest",
        COLLECT_GUESTS[1],
        COLLECT_GUESTS[2],
    )
    assert result.code == 0, result.err
    assert result.out == ""
    inventory = hb.read_inventory(target)
    assert isinstance(inventory, hb.Cluster)
    assert [n.name for n in inventory.nodes] == ["HV-NODE2", "HV-NODE1"]
    assert run("plan", str(target)).code == cli.EXIT_FINDINGS  # HVB102, HVB106, HVB501, HVB504


def test_collect_progress_line(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """With more than a few guest documents, collect says on stderr what it merges."""
    monkeypatch.setattr("hyperv_backup.cli.collect.PROGRESS_GUESTS", 2)
    result = run("collect", *COLLECT_NODES, "--guest", *COLLECT_GUESTS)
    assert result.code == 0
    assert result.err.splitlines()[0] == (
        "hyperv-backup collect: merging 2 host and 3 guest documents"
    )
    quiet = run("collect", COLLECT_STANDALONE)
    assert "merging" not in quiet.err


def test_collect_notes_a_failed_writer(run: Any, tmp_path: Path) -> None:
    """A Hyper-V VSS writer that is not stable is a note on stderr; the inventory is still written."""
    document = json.loads(Path(COLLECT_STANDALONE).read_text(encoding="utf-8"))
    document["VssWriters"] = (
        COLLECT_FIXTURES / "vssadmin-list-writers-hyperv-failed-blog-1.txt"
    ).read_text(encoding="utf-8")
    path = tmp_path / "host.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run("collect", str(path))
    assert result.code == 0
    assert (
        "hyperv-backup collect: note: HV-STANDALONE02: the Hyper-V VSS writer is in state [8], "
        "not stable (last error: Inconsistent shadow copy)"
    ) in result.err.splitlines()


def test_collect_invalid_documents_exit_3(run: Any, tmp_path: Path) -> None:
    """Invalid collector documents exit 3: the files by index, then one `path: message` per line."""
    document = json.loads(Path(COLLECT_STANDALONE).read_text(encoding="utf-8"))
    document["VMs"][0]["State"] = 32785
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run("collect", str(path), "--guest", COLLECT_GUESTS[0])
    assert result.code == cli.EXIT_INVALID
    assert result.out == ""
    lines = result.err.splitlines()
    assert lines[0] == (
        f"hyperv-backup collect: error: the collector documents are not valid (hosts[0] is "
        f"{path}; guests[0] is {COLLECT_GUESTS[0]}):"
    )
    assert lines[1].startswith("hosts[0].VMs[0].State: VM state 32785")
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["collect"], "missing HOST"),
        (["collect", "nowhere.json"], "cannot read 'nowhere.json'"),
        (["collect", COLLECT_STANDALONE, "--guest", "nowhere.json"], "cannot read 'nowhere.json'"),
        (["collect", COLLECT_STANDALONE, "--format", "json"], "unrecognized arguments: --format"),
    ],
)
def test_collect_usage_errors_exit_2(run: Any, args: list[str], message: str) -> None:
    """No host document, or a file that cannot be read, is a usage error."""
    result = run(*args)
    assert result.code == cli.EXIT_USAGE
    assert message in result.err
    assert result.out == ""


def test_collect_unwritable_output_exits_2(run: Any, tmp_path: Path) -> None:
    """An output file that cannot be written is a usage error."""
    result = run("collect", COLLECT_STANDALONE, "-o", str(tmp_path / "missing" / "x.json"))
    assert result.code == cli.EXIT_USAGE
    assert "cannot write" in result.err


@pytest.mark.parametrize("command", ["check", "plan"])
def test_check_and_plan_read_a_host_document_directly(
    run: Any, tmp_path: Path, command: str
) -> None:
    """A standalone host's collector document is accepted where an inventory is."""
    inventory = tmp_path / "inventory.json"
    assert run("collect", COLLECT_STANDALONE, "-o", str(inventory)).code == 0
    direct = run(command, COLLECT_STANDALONE, "--format", "json", "--fail-on", "never")
    assert direct.code == 0, direct.err
    validate(command, direct.out)
    collected = run(command, str(inventory), "--format", "json", "--fail-on", "never")
    assert direct.out == collected.out


def test_check_of_one_cluster_node_document_says_to_collect(run: Any) -> None:
    """One node's document is not the cluster: exit 3, asking for every node's document."""
    result = run("check", COLLECT_NODES[0])
    assert result.code == cli.EXIT_INVALID
    assert "no document from node(s) HV-NODE2 of cluster HVCLUSTER01" in result.err
    assert "hyperv-backup collect" in result.err


def test_check_of_a_guest_document_is_invalid(run: Any) -> None:
    """A guest document alone is no inventory."""
    result = run("plan", COLLECT_GUESTS[0])
    assert result.code == cli.EXIT_INVALID
    assert "hosts[0].collector: expected 'hyperv_backup.host/1'" in result.err


def test_collect_help(run: Any) -> None:
    """Collect has its own help, listed in the program's."""
    result = run("collect", "--help")
    assert result.code == 0
    assert "--guest" in result.out
    assert "collect" in run("--help").out


def test_json_to_a_narrow_terminal_stays_valid_json(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Names a terminal's encoding cannot show are written as JSON escapes, not Python ones."""
    standalone = Path(__file__).parent / "fixtures" / "collect" / "standalone-ps7.json"
    document = json.loads(standalone.read_bytes().decode("utf-8-sig"))
    text = json.dumps(document, ensure_ascii=False).replace('"HV-', '"HV-WEBÃ数😀-', 1)
    path = tmp_path / "named.json"
    path.write_text(text, encoding="utf-8")
    for command in (["collect", str(path)], ["plan", str(path), "--format", "json"]):
        buffer = io.BytesIO()
        monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(buffer, encoding="cp437"))
        main(command)
        sys.stdout.flush()
        output = buffer.getvalue().decode("cp437")
        assert "WEBÃ数😀" in json.dumps(json.loads(output), ensure_ascii=False)


@pytest.mark.parametrize("command", [["check"], ["collect"]])
def test_a_path_with_a_nul_character_is_a_usage_error(run: Any, command: list[str]) -> None:
    result = run(*command, "bad\x00name.json")
    assert result.code == 2
    assert "cannot read" in result.err
    assert "Traceback" not in result.err


def test_collect_output_path_with_a_nul_character_is_a_usage_error(run: Any) -> None:
    standalone = Path(__file__).parent / "fixtures" / "collect" / "standalone-ps7.json"
    assert run("collect", str(standalone)).code == 0
    result = run("collect", str(standalone), "-o", "out\x00.json")
    assert result.code == 2
    assert "cannot write" in result.err
    assert "Traceback" not in result.err


def test_a_lone_surrogate_is_an_invalid_inventory(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "surrogate.json"
    text = example_text("host").replace('"DC01"', '"DC\\ud80001"', 1)
    path.write_text(text, encoding="utf-8")
    result = run("check", str(path))
    assert result.code == 3
    assert "vms[0].name: not valid Unicode" in result.err


def test_an_inventory_over_the_size_limit_is_refused_unread(
    run: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("hyperv_backup.cli._io.DEFAULT_LIMITS", hb.InventoryLimits(max_bytes=100))
    path = tmp_path / "big.json"
    path.write_text(example_text("host"), encoding="utf-8")
    result = run("check", str(path))
    assert result.code == 3
    assert "larger than the limit of 100 bytes" in result.err
    fake_stdin(monkeypatch, example_text("host").encode())
    assert run("check", "-").code == 3
