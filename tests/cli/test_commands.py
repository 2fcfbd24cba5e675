"""The hyperv-backup command: every command in every format, and exit codes."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

import hyperv_backup as hb
from hyperv_backup import cli
from hyperv_backup.examples import example_text
from hyperv_backup.render import Format
from tests.cli._shared_cli import (
    COMMANDS,
    Page,
    validate,
)

#: Exit status of each command on the bundled cluster with the default policy.
EXPECTED_STATUS = {"check": 1, "plan": 0, "restore": 0, "rules": 0, "example": 0, "diagnose": 1}


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
            # The plan's document is at 2: its rows' reasons became an array.
            assert document["schema_version"] == (2 if command == "plan" else 1)
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
        (["check", "--example", "host", "--profile", "2008"], 1),
        (["check", "--example", "host", "--profile", "2008", "--fail-on", "never"], 0),
        (["check", "--example", "host", "--profile", "2008", "--ignore", "HVB101"], 0),
        (
            [
                "check",
                "--example",
                "host",
                "--profile",
                "2008",
                "--ignore",
                "HVB101",
                "--fail-on",
                "warning",
            ],
            0,
        ),
        (
            [
                "check",
                "--example",
                "host",
                "--profile",
                "2008",
                "--ignore",
                "HVB101",
                "--fail-on",
                "info",
            ],
            1,
        ),
        (["check", "--example", "cluster", "--fail-on", "warning"], 1),
        # plan gates only when asked to.
        (["plan", "--example", "host", "--profile", "2008"], 0),
        (["plan", "--example", "host", "--profile", "2008", "--fail-on", "error"], 1),
        (["plan", "--example", "host", "--profile", "2008", "--fail-on", "never"], 0),
        (
            [
                "plan",
                "--example",
                "host",
                "--profile",
                "2008",
                "--ignore",
                "hvb101",
                "--fail-on",
                "error",
            ],
            0,
        ),
        (
            [
                "plan",
                "--example",
                "host",
                "--profile",
                "2008",
                "--ignore",
                "HVB101",
                "--fail-on",
                "info",
            ],
            1,
        ),
        (
            [
                "plan",
                "--example",
                "host",
                "--profile",
                "2008",
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
        # The formats for other tools render the reports of check and plan only.
        (["rules", "--format", "sarif"], "invalid choice: 'sarif'"),
        (["restore", "--example", "cluster", "SQL01", "--format", "junit"], "'junit'"),
        (["example", "host", "--format", "prometheus"], "'prometheus'"),
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


def test_missing_file_exits_3_alone_as_among_others(run: Any, tmp_path: Path) -> None:
    """A file that cannot be read exits 3, named on stderr, whether it is the one input or not."""
    missing = tmp_path / "missing.json"
    good = tmp_path / "good.json"
    good.write_text(example_text("host"), encoding="utf-8")
    for inputs in ([missing], [good, missing], [missing, good]):
        result = run("check", *map(str, inputs))
        assert result.code == cli.EXIT_INVALID
        assert f"hyperv-backup check: error: {missing}: cannot read '{missing}'" in result.err
    (tmp_path / "folder").mkdir()
    assert run("plan", str(tmp_path / "folder")).code == 2  # a directory with no inventory
    assert run("restore", str(missing), "VM").code == cli.EXIT_INVALID


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
    """An invalid inventory exits 3; each problem is one `path: message` line; no traceback.

    check and plan also write their report, which lists the input as invalid
    (as among many inputs); restore writes nothing.
    """
    source = tmp_path / "bad.json"
    source.write_bytes(content)
    for command in (["check"], ["plan"], ["restore"]):
        args = [*command, str(source)] + (["VM01"] if command == ["restore"] else [])
        result = run(*args)
        assert result.code == cli.EXIT_INVALID
        if command == ["restore"]:
            assert result.out == ""
        else:
            assert "invalid" in result.out
        assert "Traceback" not in result.err
        lines = result.err.splitlines()
        assert "bad.json" in lines[0]
        assert any(line.startswith(path) or path in line for line in lines[1:])
        assert all(": " in line for line in lines[1:])


def test_an_invalid_inventory_reports_at_most_two_hundred_problems(
    run: Any, tmp_path: Path
) -> None:
    """The report of an inventory with thousands of bad VMs stays a few hundred lines long."""
    document = {
        "kind": "host",
        "name": "HV01",
        "os": "windows_server_2008_r2",
        "vms": [{"name": f"VM{n}", "state": "on"} for n in range(5000)],
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run("check", str(path))
    assert result.code == cli.EXIT_INVALID
    lines = result.err.splitlines()
    assert len(lines) == 202
    assert lines[-1] == "... and 4800 more problems"
