"""Help texts that are true of their command, and getting started from the installed package."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import hyperv_backup as hb
from hyperv_backup import cli
from hyperv_backup.cli._options import EXIT_STATUSES, Command
from hyperv_backup.collect import script_path
from hyperv_backup.inventory import INVENTORY_SCHEMA
from tests.cli._shared_cli import validate
from tests.paths import FIXTURES, ROOT


def _help(run: Any, *args: str) -> str:
    result = run(*args, "--help")
    assert result.code == 0
    return str(result.out)


@pytest.mark.parametrize("command", list(Command))
def test_each_command_lists_the_exit_statuses_it_can_give(run: Any, command: Command) -> None:
    """The --fail-on line only where the option is; the status of inputs only where there are some."""
    text = _help(run, command.value)
    epilogue = text[text.index("exit status:") :]
    has_fail_on = "--fail-on" in text[: text.index("exit status:")]
    assert ("\n  1 " in epilogue) == has_fail_on
    assert has_fail_on == (command in {Command.CHECK, Command.PLAN, Command.DIAGNOSE})
    reads = command not in {Command.RULES, Command.EXAMPLE}
    assert ("\n  3 " in epilogue) == reads
    assert all(len(line) <= 80 for line in epilogue.splitlines())
    assert ("--fail-on" in epilogue.splitlines()[1]) == has_fail_on


def test_the_help_of_the_program_lists_every_status(run: Any) -> None:
    text = _help(run)
    statuses = re.findall(r"^  ([0-9]+) ", text[text.index("exit status:") :], re.MULTILINE)
    assert [int(s) for s in statuses] == [status for status, _, _ in EXIT_STATUSES]


def test_docs_list_the_exit_statuses_in_one_table() -> None:
    """docs/cli.md has one table of exit statuses, the statuses of the command line."""
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert page.count("| status | meaning |") == 1
    table = page[page.index("| status | meaning |") :].split("\n\n", 1)[0]
    documented = [int(row.split("|")[1]) for row in table.splitlines()[2:]]
    assert documented == [status for status, _, _ in EXIT_STATUSES]


def test_restore_help_promises_one_file(run: Any) -> None:
    """The help of restore, which reads one inventory, offers no directories or globs."""
    text = _help(run, "restore")
    assert "directories" not in text
    assert "globs" not in text
    assert "one inventory JSON file" in text


def test_a_bad_since_says_error_once(run: Any) -> None:
    result = run("diagnose", "x.evtx", "--since", "yesterday")
    assert result.code == cli.EXIT_USAGE
    assert "error: --since takes a span" in result.err
    assert "error: error:" not in result.err


def test_diagnose_of_an_inventory_says_to_pass_it_with_inventory(run: Any, tmp_path: Path) -> None:
    inventory = tmp_path / "inventory.json"
    inventory.write_text(json.dumps(hb.dump_inventory(hb.load_example("host"))), "utf-8")
    result = run("diagnose", str(inventory))
    assert result.code == cli.EXIT_INVALID
    assert result.err == (
        f"hyperv-backup diagnose: error: {inventory} is an inventory, not an event log; "
        f"pass it with --inventory {inventory}\n"
    )
    # Anything else that is no log is still named by what is wrong with it.
    other = tmp_path / "other.json"
    other.write_text('{"kind": "vm"}', "utf-8")
    assert "is not a valid event log" in run("diagnose", str(other)).err


# --- getting started -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["host.ps1", "guest.ps1", "guest.sh"])
def test_collect_script_writes_the_bundled_collector(run: Any, name: str, tmp_path: Path) -> None:
    """No Python call is needed to get the collectors out of the installed package."""
    printed = run("collect", "--script", name)
    assert printed.code == 0
    assert printed.out.encode("ascii") == script_path(name).read_bytes()
    target = tmp_path / name
    assert run("collect", "--script", name, "-o", str(target)).code == 0
    assert target.read_bytes() == script_path(name).read_bytes()


@pytest.mark.parametrize("name", hb.example_names())
def test_example_names_its_schema_first(run: Any, name: str) -> None:
    """The example is ready to edit with its schema: "$schema" first, then the inventory."""
    result = run("example", name, "--format", "json")
    document = validate("example", result.out)
    assert list(document)[:2] == ["$schema", "kind"]
    assert document["$schema"] == INVENTORY_SCHEMA
    assert hb.parse_inventory(result.out) == hb.load_example(name)
    assert "$schema" in validate("example", run("example", name).out)


#: Each command's JSON, and the schema that describes it (diagnose has its own).
SCHEMAS = {
    "check": (["check", "--example", "--format", "json"], "cli-check.json"),
    "plan": (["plan", "--example", "--format", "json"], "cli-plan.json"),
    "restore": (["restore", "--example", "FS01", "--format", "json"], "cli-restore.json"),
    "rules": (["rules", "--format", "json"], "cli-rules.json"),
    "example": (["example", "--format", "json"], "cli-example.json"),
    "collect": (["collect", str(FIXTURES / "collect" / "standalone-ps7.json")], "inventory.json"),
    "fleet": (["check", "nowhere.json", "--format", "json"], "cli-fleet.json"),
}


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_command_has_a_published_schema_its_json_follows(run: Any, name: str) -> None:
    args, schema_file = SCHEMAS[name]
    text = resources.files("hyperv_backup.schemas").joinpath(schema_file).read_text("utf-8")
    schema = json.loads(text)
    Draft202012Validator.check_schema(schema)
    document = json.loads(run(*args).out)
    assert [e.message for e in Draft202012Validator(schema).iter_errors(document)] == []
    if name == "plan":
        assert schema["$id"] == "urn:hyperv-backup:schema:cli-plan:2"
        assert schema["properties"]["schema_version"] == {"const": 2}


@pytest.mark.parametrize("command", [None, *Command])
def test_every_help_fits_80_columns(
    run: Any, monkeypatch: pytest.MonkeyPatch, command: Command | None
) -> None:
    """Usage, description, options and exit statuses: no line wider than a terminal of 80 columns."""
    monkeypatch.setenv("COLUMNS", "80")
    text = _help(run, *([] if command is None else [command.value]))
    assert [line for line in text.splitlines() if len(line) > 80] == []
    assert text.startswith("usage: hyperv-backup")
