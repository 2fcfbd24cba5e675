"""--checkpoint-age, --checkpoint-count, --churn and --window: the limits of HVB901-HVB903 and the estimate of HVB909."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

import hyperv_backup as hb
from hyperv_backup.cli._options import parse, parser
from hyperv_backup.rules import DEFAULT_SETTINGS
from tests.cli._shared_cli import validate


def _ids(out: str) -> set[str]:
    return {finding["rule"] for finding in json.loads(out)["findings"]}


def test_the_defaults_are_those_of_the_library() -> None:
    options = parse(parser(), ["check", "--example", "cluster-2022"])
    assert options.settings is DEFAULT_SETTINGS


def test_each_option_sets_its_setting() -> None:
    options = parse(
        parser(),
        [
            "plan",
            "--example",
            "cluster-2022",
            "--checkpoint-age",
            "0.5",
            "--checkpoint-count",
            "0",
            "--churn",
            "2.5",
            "--window",
            "4",
        ],
    )
    assert options.settings == hb.HygieneSettings(
        checkpoint_age=timedelta(hours=12), checkpoint_count=0, churn=2.5, window=4
    )


@pytest.mark.parametrize("command", ["check", "plan"])
def test_the_example_raises_the_checkpoint_rules_by_default(run: Any, command: str) -> None:
    result = run(command, "--example", "cluster-2022", "--format", "json", "--fail-on", "never")
    validate(command, result.out)
    assert {"HVB901", "HVB902", "HVB903", "HVB909"} <= _ids(result.out)


@pytest.mark.parametrize("command", ["check", "plan"])
def test_looser_limits_and_a_smaller_estimate_quiet_them(run: Any, command: str) -> None:
    """Older than 80 days, more than four, and 0.5% over two hours: 9.2 GiB of 48 GiB free."""
    result = run(
        command,
        "--example",
        "cluster-2022",
        "--format",
        "json",
        "--fail-on",
        "never",
        "--checkpoint-age",
        "80",
        "--checkpoint-count",
        "4",
        "--churn",
        "0.5",
        "--window",
        "2",
    )
    found = _ids(result.out)
    assert {"HVB901", "HVB902", "HVB909"} & found == set()
    # Four days is longer than two hours: the recovery checkpoint is still a leftover.
    assert "HVB903" in found


def test_many_inputs_in_worker_processes_take_the_settings(run: Any, tmp_path: Path) -> None:
    """The settings travel with each input to the process that evaluates it."""
    for name in ("a", "b"):
        text = json.dumps(hb.dump_inventory(hb.load_example("cluster-2022")))
        (tmp_path / f"{name}.json").write_text(text, encoding="utf-8")
    args = ("check", str(tmp_path), "--format", "json", "--fail-on", "never", "--jobs", "2")
    default = json.loads(run(*args).out)
    quiet = json.loads(run(*args, "--checkpoint-count", "10").out)
    counted = [
        [f["rule"] for f in part["result"]["findings"]].count("HVB902")
        for document in (default, quiet)
        for part in document["inventories"]
    ]
    assert counted == [1, 1, 0, 0]


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--checkpoint-age", "0", "a number of days above 0"),
        ("--checkpoint-age", "nan", "a number of days above 0"),
        ("--checkpoint-age", "week", "a number of days above 0"),
        ("--checkpoint-count", "-1", "a number of checkpoints from 0 to 1000"),
        ("--checkpoint-count", "2.5", "a number of checkpoints from 0 to 1000"),
        ("--churn", "0", "a percentage of a disk an hour"),
        ("--churn", "101", "a percentage of a disk an hour"),
        ("--window", "169", "a number of hours above 0 and at most 168"),
        ("--window", "inf", "a number of hours above 0 and at most 168"),
    ],
)
def test_a_bad_value_is_a_usage_error(run: Any, option: str, value: str, said: str) -> None:
    result = run("check", "--example", "cluster-2022", option, value)
    assert result.code == 2
    assert option in result.err
    assert said in result.err


def test_restore_takes_no_settings(run: Any) -> None:
    result = run("restore", "--example", "cluster-2022", "SQL01", "--churn", "2")
    assert result.code == 2
    assert "--churn" in result.err
