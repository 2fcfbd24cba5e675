"""The command line and the profiles: --profile, and what later-profile output adds."""

from __future__ import annotations

from typing import Any

import pytest

from hyperv_backup.rules import PROFILE_RULES, Profile
from tests.cli._shared_cli import validate


def test_rules_of_one_profile(run: Any) -> None:
    result = run("rules", "--profile", "2016", "--format", "json")
    assert result.code == 0
    document = validate("rules", result.out)
    assert document["profile"] == "2016"
    assert {rule["id"] for rule in document["rules"]} == PROFILE_RULES[Profile.WS2016]
    text = run("rules", "--profile", "2012").out
    assert text.startswith("Hyper-V backup rules of the profile of Windows Server 2012 and 2012 R2")
    assert "HVB601" in text
    assert "HVB603" not in text


def test_an_unknown_profile_is_a_usage_error(run: Any) -> None:
    result = run("check", "--example", "--profile", "2019")
    assert result.code == 2
    assert "--profile" in result.err


@pytest.mark.parametrize("command", ["check", "plan"])
def test_later_output_names_its_profile_and_validates(run: Any, command: str) -> None:
    result = run(command, "--example", "cluster-2022", "--format", "json", "--fail-on", "never")
    document = validate(command, result.out)
    assert document["profiles"] == {
        "HV22-NODE1": "2016",
        "HV22-NODE2": "2016",
        "HV22-NODE3": "2016",
    }
    if command == "plan":
        assert document["outcomes"]["APP01"]["consistency"] == "crash_consistent"
        assert document["summary"]["consistency"]["crash_consistent"] == 6
        assert {row["consistency"] for row in document["vms"]} >= {"file_system_consistent"}
    text = run(command, "--example", "cluster-2022", "--fail-on", "never").out
    # A plan says it on the line of when and from what it was made, once.
    said = "Profile: " if command == "plan" else "Answered by the profile of "
    assert f"{said}Windows Server 2016 and later" in text
    assert text.count("Windows Server 2016 and later") == 1


def test_2008_output_names_no_profile(run: Any) -> None:
    document = validate("plan", run("plan", "--example", "--format", "json").out)
    assert "profiles" not in document
    assert "outcomes" not in document
    assert "consistency" not in document["summary"]
    assert "Answered by" not in run("plan", "--example").out


def test_profile_2008_answers_a_2022_cluster_as_the_guidance(run: Any) -> None:
    result = run("check", "--example", "cluster-2022", "--profile", "2008", "--format", "json")
    document = validate("check", result.out)
    # Answered by the 2008 profile alone: the document is shaped as before.
    assert "profiles" not in document
    rules = {finding["rule"] for finding in document["findings"]}
    assert "HVB100" in rules
    assert not any(rule.startswith("HVB6") for rule in rules)
    assert "Answered by" not in run("check", "--example", "cluster-2022", "--profile", "2008").out


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_later_plan_in_markdown_and_html(run: Any, fmt: str) -> None:
    out = run("plan", "--example", "cluster-2022", "--format", fmt, "--fail-on", "never").out
    assert "file-system-consistent" in out
    assert "Profile: Windows Server 2016 and later" in out
    assert "Answered by the profile of" not in out
    # The backups by outcome come first, worst first, in the palette's colours.
    if fmt == "markdown":
        assert "**Backups:** \N{LARGE RED CIRCLE} **fails** 6 · " in out
        assert "\N{LARGE GREEN CIRCLE} application-consistent 4" in out
    else:
        assert '<li class="out-fails"><strong>6</strong>fails</li>' in out
        assert out.index("out-fails") < out.index("out-app")


def test_restore_with_a_profile(run: Any) -> None:
    result = run("restore", "--example", "cluster-2022", "DC02", "--format", "json")
    document = validate("restore", result.out)
    assert document["profiles"] == {"HV22-NODE2": "2016"}
    as_2008 = run("restore", "--example", "cluster-2022", "DC02", "--profile", "2008").out
    assert "Answered by" not in as_2008


def test_a_plan_on_a_node_names_every_profile_that_answered(run: Any) -> None:
    """With --node, the other nodes' own checks are answered by their releases' profiles too."""
    out = run("plan", "--example", "cluster-2016", "--node", "HV16-NODE2").out
    assert "HVB507" in out  # a rule of the 2016 profile, of the 2016 node
    assert "Profiles: Windows Server 2016 and later, Windows Server 2012 and 2012 R2" in out
