"""``check`` and ``plan`` with ``--backups``, ``--max-age``, ``--policy`` and ``--now``, and ``--format nagios``.

The morning check of docs/morning-check.md, run on the bundled example: every
output shows each VM's protection beside its outcome, and the plugin's exit
status agrees with it (CRITICAL exactly when a VM is unprotected).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hyperv_backup.examples import example_catalogue, load_example
from tests.cli._shared_cli import validate

DONE_WHEN = ("check", "--example", "cluster-2022", "--backups", "example", "--max-age", "36h")
VMS = [vm.name for host in load_example("cluster-2022").nodes for vm in host.vms]  # type: ignore[union-attr]


def test_the_morning_check_shows_every_vm(run: Any) -> None:
    """The text report has a protection section naming each VM with its state."""
    result = run(*DONE_WHEN)
    assert result.code == 1  # errors: HVB801, HVB802 among them
    section = result.out[result.out.index("\nProtection\n") :]
    for name in VMS:
        assert f"\n{name} " in section, name
    assert (
        "Protection: 9 protected, 3 stale, 1 no good restore point, 3 never backed up, 2" in section
    )
    assert "Ages as of 2026-12-07 06:30 UTC, when the bundled example's catalogue" in result.out
    assert "Maximum age of the last good restore point: 1d12h (given)" in result.out


def test_the_json_report_validates_and_agrees_with_the_findings(run: Any) -> None:
    """Each VM's state, and unprotected exactly where HVB801 or HVB802 is reported."""
    document = validate("check", run(*DONE_WHEN, "--format", "json").out)
    protection = document["protection"]
    assert [v["vm"] for v in protection["vms"]] == VMS
    flagged = {f["vm"] for f in document["findings"] if f["rule"] in {"HVB801", "HVB802"}}
    assert {v["vm"] for v in protection["vms"] if v["unprotected"]} == flagged
    assert protection["unprotected"] == len(flagged) == 7
    assert protection["now"] == "2026-12-07T06:30:00Z"


@pytest.mark.parametrize(
    ("extra", "state", "code"),
    [
        (["--max-age", "36h"], "CRITICAL", 2),
        (["--max-age", "30d"], "CRITICAL", 2),
        (["--max-age", "36h", "--ignore", "HVB801,HVB802"], "WARNING", 1),
        (["--max-age", "36h", "--ignore", "HVB801,HVB802", "--fail-on", "never"], "OK", 0),
    ],
)
def test_the_plugin_agrees_with_the_protection_status(
    run: Any, extra: list[str], state: str, code: int
) -> None:
    """CRITICAL exactly when a VM is unprotected; else WARNING on findings at --fail-on; else OK."""
    base = ["check", "--example", "cluster-2022", "--backups", "example", *extra]
    plugin = run(*base, "--format", "nagios")
    document = json.loads(run(*base, "--format", "json").out)
    assert plugin.code == code
    assert plugin.out.startswith(f"HYPERV_BACKUP {state} - ")
    assert (plugin.code == 2) is (document["protection"]["unprotected"] > 0)


def test_the_plugin_output(run: Any) -> None:
    """One status line with performance data, long text, then each VM's age as more data."""
    lines = run(*DONE_WHEN, "--format", "nagios").out.splitlines()
    assert lines[0].startswith("HYPERV_BACKUP CRITICAL - 7 of 18 VMs without a good restore point")
    assert lines[0].endswith(
        "| vms=18;;;0 unprotected=7;;0;0;18 errors=14;;;0 warnings=31;;;0 info=28;;;0"
    )
    assert any(
        line.startswith("LNX03 (HV22-NODE1): stale, last good restore point 2026-12-04 22:15 UTC")
        for line in lines
    )
    # Named by host and VM; SQL01 is exempt (its replica is backed up): no critical threshold.
    assert lines[-1].startswith("| 'HV22-NODE1/SQL01 age'=289800s;;;0; ")
    assert "'HV22-NODE1/FC01 age'=U;;129600;0;" in lines[-1]


def test_the_plugin_without_a_catalogue(run: Any) -> None:
    """Without --backups the findings decide: WARNING on errors, and it says protection was not checked."""
    result = run("check", "--example", "host", "--format", "nagios")
    assert result.code == 1
    assert "no catalogue given, protection not checked" in result.out


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--example", "host", "--format", "nagios", "--bogus"],
        ["check", "--example", "host", "--format=nagios", "--help"],
        ["check", "--example", "host", "--format", "nagios", "--backups", "/nonexistent/x.json"],
        ["check", "/nonexistent/inventory.json", "--format", "nagios"],
        ["check", "--example", "host", "--form", "nagios", "--backups", "/nonexistent/x.json"],
        ["plan", "--example", "host", "--forma=nagios", "--bogus"],
    ],
)
def test_the_plugin_cannot_run_its_check(run: Any, args: list[str]) -> None:
    """Bad arguments, help, an unreadable input: UNKNOWN (3), the status line alone on standard output."""
    result = run(*args)
    assert result.code == 3
    # Help and errors go to standard error: a monitor reads the status line first.
    assert result.out.startswith("HYPERV_BACKUP UNKNOWN - ")
    assert "usage:" not in result.out


def test_the_plugin_on_a_broken_run(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """An internal error, or Ctrl-C, is UNKNOWN too."""
    from hyperv_backup import cli

    def boom(*_: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "_run", boom)
    result = run(*DONE_WHEN, "--format", "nagios")
    assert (result.code, result.out) == (
        3,
        "HYPERV_BACKUP UNKNOWN - internal error; see standard error\n",
    )
    assert run(*DONE_WHEN, "--format", "json").code == 4

    def interrupted(*_: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_run", interrupted)
    assert run(*DONE_WHEN, "--format", "nagios").code == 3
    assert run(*DONE_WHEN, "--format", "json").code == 130


def test_a_policy(run: Any) -> None:
    """Exceptions leave findings out until their date; an expired one is said and not applied."""
    result = run(*DONE_WHEN, "--policy", "example", "--format", "json")
    document = validate("check", result.out)
    protection = document["protection"]
    legacy = next(v for v in protection["vms"] if v["vm"] == "LEGACY01")
    assert legacy["excepted"] == "excepted until 2027-01-31: being retired; its data was exported"
    assert not legacy["unprotected"]
    assert {(e["rule"], e["vm"]) for e in protection["excepted"]} == {
        ("HVB802", "LEGACY01"),
        ("HVB609", "LEGACY01"),
        ("HVB807", None),
    }
    assert [e["vm"] for e in protection["expired"]] == ["FC01"]
    text = run(*DONE_WHEN, "--policy", "example").out
    assert "Expired exception, not applied: HVB802 for FC01 (expired 2026-12-01" in text
    assert "Left out by an exception until 2027-01-31: HVB609 LEGACY01" in text
    assert "Policy: example:cluster-2022" in text


def test_the_policy_bounds_single_vms(run: Any) -> None:
    """The policy's bound for GC-B1 goes before --max-age; its own bound is said."""
    document = json.loads(
        run(
            "check",
            "--example",
            "cluster-2022",
            "--backups",
            "example",
            "--policy",
            "example",
            "--format",
            "json",
        ).out
    )
    bounds = {
        v["vm"]: (v["max_age_seconds"], v["max_age_from"]) for v in document["protection"]["vms"]
    }
    assert bounds["GC-B1"] == (7 * 86400, "policy_vm")
    assert bounds["WEB01"] == (36 * 3600, "policy")
    assert "HVB807" not in {f["rule"] for f in document["findings"]}


def test_a_plan_with_a_catalogue(run: Any) -> None:
    """The plan shows the protection section too; its JSON has the protection key."""
    text = run("plan", "--example", "cluster-2022", "--backups", "example", "--max-age", "36h").out
    assert "\nProtection\n" in text
    document = validate(
        "plan",
        run("plan", "--example", "cluster-2022", "--backups", "example", "--format", "json").out,
    )
    assert len(document["protection"]["vms"]) == 18
    on_node = run(
        "plan",
        "--example",
        "cluster-2022",
        "--backups",
        "example",
        "--node",
        "HV22-NODE2",
        "--format",
        "json",
    )
    assert validate("plan", on_node.out)["protection"]["unprotected"] >= 1
    policy_only = run(
        "plan", "--example", "cluster-2022", "--policy", "example", "--format", "json"
    )
    document = validate("plan", policy_only.out)
    assert "protection" not in document
    assert "HVB609" not in {f["rule"] for f in document["findings"]}


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_markdown_and_html_show_the_section(run: Any, fmt: str) -> None:
    """Every format of check and plan shows each VM's protection."""
    for command in ("check", "plan"):
        out = run(command, "--example", "cluster-2022", "--backups", "example", "--format", fmt).out
        assert "Protection" in out
        assert "never backed up" in out
        assert "REPL01" in out


def test_many_inputs(run: Any, tmp_path: Path) -> None:
    """The fleet's summary counts VMs by protection; Prometheus has each VM's age; JSON its totals."""
    inventory = tmp_path / "cluster.json"
    inventory.write_text(json.dumps(json.loads(run("example", "cluster-2022").out)))
    again = tmp_path / "again.json"
    again.write_text(inventory.read_text())
    args = ["check", str(inventory), str(again), "--backups", "example", "--max-age", "36h"]
    text = run(*args).out
    assert "VMs by protection" in text
    fleet = validate("fleet", run(*args, "--format", "json").out)
    assert fleet["fleet"]["unprotected"] == 14
    assert fleet["fleet"]["protection"]["exempt"] == 4
    for fmt in ("markdown", "html"):
        assert "VMs by protection" in run(*args, "--format", fmt).out
    metrics = run(*args, "--format", "prometheus").out
    assert 'hyperv_backup_vm_last_good_restore_point_age_seconds{inventory="' in metrics
    assert "hyperv_backup_vm_protected{" in metrics
    assert 'vm="FC01"} 0' in metrics
    without = run("check", str(inventory), "--format", "prometheus").out
    assert "restore_point" not in without
    assert "VMs by protection" not in run("check", str(inventory), str(inventory)).out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--max-age", "36h"], "--max-age bounds the age of restore points"),
        (["--backups", "example", "--max-age", "soon"], "expected a duration"),
        (["--backups", "example", "--now", "2026-12-07T07:00:00"], "no time zone is guessed"),
        (["--now", "2026-12-07T07:00:00Z"], "--now dates restore points"),
    ],
)
def test_usage_errors(run: Any, args: list[str], words: str) -> None:
    """A bound without a catalogue, a duration or time that cannot be read: exit 2, saying why."""
    result = run("check", "--example", "cluster-2022", *args)
    assert result.code == 2
    assert words in result.err


def test_now_moves_the_ages(run: Any) -> None:
    """Ages are measured at --now: a day later, more VMs are stale."""
    later = run(*DONE_WHEN, "--now", "2026-12-08T07:00:00+01:00", "--format", "json")
    document = json.loads(later.out)
    assert document["protection"]["now"] == "2026-12-08T06:00:00Z"
    assert document["protection"]["unprotected"] > 7


def test_a_catalogue_file(run: Any, tmp_path: Path) -> None:
    """A catalogue given by its path is read as the bundled one; ages are then measured now."""
    path = tmp_path / "backups.json"
    path.write_bytes(example_catalogue("cluster-2022").data)
    result = run("check", "--example", "cluster-2022", "--backups", str(path), "--format", "json")
    document = validate("check", result.out)
    assert document["protection"]["now"] != "2026-12-07T06:30:00Z"
    notes = run(
        "check", "--example", "cluster-2022", "--backups", str(path), "--format", "markdown"
    )
    assert f"Catalogue {path}: restore-points-json, 20 restore point(s)" in notes.out.replace(
        "\\", ""
    )


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"restore_points": [{"vm": "A"}]}', "restore_points[0].taken_at: missing"),
        (b"vm,taken_at,level,product\nA,yesterday,host,x\n", "line 2, taken_at"),
        (b"hello", "not a backup catalogue"),
    ],
)
def test_a_bad_catalogue(run: Any, tmp_path: Path, content: bytes, words: str) -> None:
    """A catalogue that cannot be read stops the run with 3, naming the file and the place."""
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = run("check", "--example", "cluster-2022", "--backups", str(path))
    assert result.code == 3
    assert f"{path}: not a valid backup catalogue" in result.err
    assert words in result.err


def test_a_bad_policy_and_unknown_examples(run: Any, tmp_path: Path) -> None:
    """A policy is read as strictly; an example without a catalogue is a usage error."""
    path = tmp_path / "policy.json"
    path.write_text(
        '{"exceptions": [{"vm": "A", "rules": ["HVB999"], "reason": "x", "expires": "2027-01-31"}]}'
    )
    result = run("check", "--example", "cluster-2022", "--policy", str(path))
    assert result.code == 3
    assert "exceptions[0].rules[0]: no rule 'HVB999'" in result.err
    assert "line 1, column" in result.err
    assert run("check", "--example", "host", "--backups", "example").code == 2
    assert run("check", "--example", "host", "--policy", "example").code == 2
    assert run("check", "--example", "host", "--backups", "example:cluster-2022").code == 1


def test_the_output_file_is_not_an_input(run: Any, tmp_path: Path) -> None:
    """-o may not name a catalogue or the policy of the same run."""
    path = tmp_path / "x.json"
    path.write_bytes(example_catalogue("cluster-2022").data)
    result = run("check", "--example", "cluster-2022", "--backups", str(path), "-o", str(path))
    assert result.code == 2
    assert "is the file -o writes" in result.err


@pytest.mark.parametrize(
    ("option", "what", "limit"),
    [("--backups", "backup catalogue", 268435456), ("--policy", "policy", 16777216)],
)
def test_a_file_over_its_limit_is_an_invalid_input(
    run: Any, tmp_path: Path, option: str, what: str, limit: int
) -> None:
    """Over its limit, a catalogue or policy stops the run with 3 and says so: no internal error."""
    path = tmp_path / "big.json"
    with path.open("wb") as file:
        file.truncate(limit + 1)  # sparse: refused by its size, never read
    result = run("check", "--example", "cluster-2022", option, str(path))
    assert result.code == 3
    assert result.err == (
        f"hyperv-backup check: error: {path}: not a valid {what}:\n"
        f"<document>: the document is larger than the limit of {limit} bytes\n"
    )
    plugin = run("check", "--example", "cluster-2022", option, str(path), "--format", "nagios")
    assert plugin.code == 3
    assert plugin.out == (
        f"HYPERV_BACKUP UNKNOWN - error: {path}: not a valid {what}: <document>: the document "
        f"is larger than the limit of {limit} bytes\n"
    )


@pytest.mark.parametrize("command", ["check", "plan"])
def test_the_help_says_what_the_plugin_exits_with(run: Any, command: str) -> None:
    """Check and plan, which write the plugin format, say its states under their exit statuses."""
    result = run(command, "--help")
    epilogue = " ".join(result.out[result.out.index("exit status:") :].split())
    assert "with --format nagios, the plugin's state instead: OK (0), WARNING (1:" in epilogue
    assert "CRITICAL (2: a VM without a good restore point within its maximum age)" in epilogue
