"""Smoke runs of the benchmarks: they still complete, at a size small enough for every run.

The figures come from ``benchmarks/run.py`` on a quiet machine
(``docs/performance.md``); these tests time one small round and check only
that the work completes and gives the expected shape of answer, never a time.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import hyperv_backup as hb
from hyperv_backup.rules.online import ONLINE_CONDITIONS

if TYPE_CHECKING:
    from pytest_benchmark.fixture import BenchmarkFixture

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

#: Small enough for every run of the suite, large enough for every kind of VM the generator makes.
VMS = 240


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate", BENCHMARKS / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_read_and_plan_of_a_generated_cluster(benchmark: BenchmarkFixture, tmp_path: Path) -> None:
    path = tmp_path / "cluster.json"
    path.write_text(_generator().cluster_json(VMS), encoding="utf-8")

    def read_and_plan() -> hb.Plan:
        return hb.backup_plan(hb.read_inventory(path))

    # One round: the suite checks that the work completes, the script measures it.
    plan = benchmark.pedantic(read_and_plan, rounds=1, iterations=1)  # type: ignore[no-untyped-call]
    assert len(plan.decisions) == VMS
    modes = {decision.mode for decision in plan.decisions.values()}
    assert modes == {hb.BackupMode.ONLINE, hb.BackupMode.OFFLINE}
    assert json.loads(json.dumps(hb.to_dict(plan)))["decisions"]


def test_the_generator_makes_every_blocking_condition() -> None:
    """The benchmark inventory exercises every online condition, not only the healthy path."""
    cluster = hb.parse_inventory(_generator().cluster_json(VMS))
    fired = {
        reason.rule.id
        for node in hb.model.hosts_of(cluster)
        for vm in node.vms
        for reason in hb.backup_mode(vm, node).reasons
    }
    assert fired == {condition.rule.id for condition in ONLINE_CONDITIONS}


def test_the_benchmark_script_runs() -> None:
    result = subprocess.run(  # noqa: S603 - our own script, run with this interpreter
        [sys.executable, str(BENCHMARKS / "run.py"), "--vms", "160", "--runs", "1"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    out: Any = result.stdout
    for stage in ("json.loads", "read_inventory", "check", "backup_plan", "read + plan", "peak"):
        assert stage in out, out
    assert "freeing read + plan" in out, out


def test_the_read_benchmark_runs() -> None:
    result = subprocess.run(  # noqa: S603 - our own script, run with this interpreter
        [sys.executable, str(BENCHMARKS / "read.py"), "--vms", "160", "--runs", "1", "--collector"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    out: Any = result.stdout
    for stage in (
        "json.loads",
        "read_inventory",
        "parse_inventory",
        "command line",
        "collector on",
    ):
        assert stage in out, out
    assert "read_inventory, x json.loads" in out, out
    assert "command line, x read_inventory" in out, out


def test_the_fleet_benchmark_runs() -> None:
    result = subprocess.run(  # noqa: S603 - our own script, run with this interpreter
        [
            sys.executable,
            str(BENCHMARKS / "fleet.py"),
            "--inventories",
            "6",
            "--vms",
            "8",
            "--jobs",
            "1",
            "2",
            "--runs",
            "1",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    lines = result.stdout.splitlines()
    assert lines[0].startswith("check of 6 inventories of about 8 VMs (--format json)")
    assert [line.split()[:2] for line in lines[1:]] == [["--jobs", "1"], ["--jobs", "2"]]
    assert lines[1].endswith("1.00x")


def test_the_command_benchmark_runs() -> None:
    result = subprocess.run(  # noqa: S603 - our own script, run with this interpreter
        [sys.executable, str(BENCHMARKS / "command.py"), "--vms", "32", "--runs", "1"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    lines = result.stdout.splitlines()
    assert lines[0].startswith("32 VMs (50% of the nodes on 2022), --format json")
    assert [line.split()[0] for line in lines[1:]] == ["floor", "check", "plan"]
    assert "x floor (wall)" in lines[2]
    assert "target 2.0x" in lines[2]
    assert "target 3.0x" in lines[3]


def test_the_events_benchmark_runs() -> None:
    result = subprocess.run(  # noqa: S603 - our own script, run with this interpreter
        [sys.executable, str(BENCHMARKS / "events.py"), "--events", "120", "--runs", "1"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    out = result.stdout
    for stage in ("evtx_events", "JSON route", "event_xml", "iterparse", "winevent_json"):
        assert stage in out, out
    for kind in ("evtx:", "xml:", "json:"):
        assert f"  {kind} " in out, out


def test_the_generator_puts_a_share_of_the_nodes_on_2022() -> None:
    document = _generator().cluster_document(4, 2, modern=0.5)
    releases = [node["os"] for node in document["nodes"]]
    assert releases.count("windows_server_2022") == 2
    assert releases.count("windows_server_2008_r2") == 2
    cluster = hb.parse_inventory(json.dumps(document))
    assert len(hb.model.hosts_of(cluster)) == 4


def test_the_render_benchmark_runs() -> None:
    result = subprocess.run(  # noqa: S603 - our own script, run with this interpreter
        [sys.executable, str(BENCHMARKS / "render.py"), "--vms", "40", "80", "--runs", "1"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    lines = result.stdout.splitlines()
    assert [line.split()[:2] for line in lines[:2]] == [["40", "VMs,"], ["80", "VMs,"]]
    assert all("µs a step" in line and "at most 3.0x" in line for line in lines[:2])
    assert lines[2].startswith("text, time per step at the largest size / at the smallest: ")
