"""Time the stages of a fleet-sized run, as ratios to ``json.loads`` of the same file.

Run from the repository root::

    python benchmarks/run.py                  # 1k, 10k and 50k VMs, 5 runs each
    python benchmarks/run.py --targets        # 5k, 20k and 50k VMs, and the targets
    python benchmarks/run.py --vms 20000 --runs 7

For each size it generates a cluster inventory (``benchmarks/generate.py``),
writes it to a temporary file and times, in one process: ``json.loads`` of
the text, ``read_inventory`` of the file, ``check``, ``backup_plan``, the
JSON output of the plan, and ``read_inventory`` followed by ``backup_plan``;
and, apart, the freeing of what that last one made. No stage's timing counts
the freeing of its own result, which is held until the clock has stopped.
It prints medians in seconds and as ratios to ``json.loads`` (so machine noise
mostly cancels), time per VM, and peak memory (tracemalloc) of the loaded
inventory plus its plan against that of the ``json.loads`` result.

``json.loads`` is timed as a program calls it, with Python's cyclic garbage
collector on. The library's stages are timed inside
``hyperv_backup.paused_collector()``, as the command line runs them and as the
documentation advises a program that reads and plans large inventories: the
library leaves the collector to its caller. A second figure, ``json.loads``
with the collector paused too, shows how much of the ratio that pause
accounts for.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import cluster_json

import hyperv_backup as hb

STAGES = (
    "json.loads",
    "read_inventory",
    "check",
    "backup_plan",
    "plan JSON",
    "read + plan",
    "freeing read + plan",
)

#: The targets: read + plan at 20k VMs, scaling from 5k to 50k, memory at 50k.
TARGET_SIZES = (5_000, 20_000, 50_000)
MAX_READ_PLAN_RATIO = 3.0
MAX_SCALING = 1.25
MAX_MEMORY_RATIO = 2.0


def _median(action: Callable[[], Any], runs: int, *, collector: bool = False) -> float:
    """Return the median time of ``action``, not counting the freeing of what it returns.

    The collector is paused unless ``collector`` says otherwise. The result
    is held until the clock has stopped: freeing millions of objects takes a
    while, and is not the work being timed (``_free`` times it on its own).
    """
    times = []
    for _ in range(runs):
        gc.collect()
        with hb.paused_collector() if not collector else contextlib.nullcontext():
            start = time.perf_counter()
            result = action()
            times.append(time.perf_counter() - start)
        del result
    return statistics.median(times)


def _free(action: Callable[[], Any], runs: int) -> float:
    """Return the median time of freeing what ``action`` returns."""
    times = []
    for _ in range(runs):
        gc.collect()
        with hb.paused_collector():
            result = action()
            start = time.perf_counter()
            del result
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def _peak(action: Callable[[], Any]) -> int:
    gc.collect()
    tracemalloc.start()
    with hb.paused_collector():
        action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def measure(vms: int, runs: int) -> dict[str, float]:
    """Return the timings (seconds) and memory figures for a cluster of ``vms`` VMs."""
    text = cluster_json(vms)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "inventory.json"
        path.write_text(text, encoding="utf-8")
        loads = _median(lambda: json.loads(text), runs, collector=True)
        loads_paused = _median(lambda: json.loads(text), runs)
        read = _median(lambda: hb.read_inventory(path), runs)
        inventory = hb.read_inventory(path)
        # The generator spreads the VMs evenly over its nodes: count what it made.
        count = sum(len(node.vms) for node in hb.model.hosts_of(inventory))
        check = _median(lambda: hb.check(inventory), runs)
        plan = _median(lambda: hb.backup_plan(inventory), runs)
        result = hb.backup_plan(inventory)
        output = _median(lambda: json.dumps(hb.to_dict(result)), runs)
        # The inventory is returned too, so that neither is freed on the clock.
        read_plan = _median(lambda: (i := hb.read_inventory(path), hb.backup_plan(i)), runs)
        free = _free(lambda: (i := hb.read_inventory(path), hb.backup_plan(i)), runs)
        loads_memory = _peak(lambda: json.loads(text))
        ours_memory = _peak(lambda: (i := hb.read_inventory(path), hb.backup_plan(i)))
    return {
        "vms": count,
        "mb": len(text) / 1e6,
        "json.loads": loads,
        "json.loads, collector paused": loads_paused,
        "read_inventory": read,
        "check": check,
        "backup_plan": plan,
        "plan JSON": output,
        "read + plan": read_plan,
        "freeing read + plan": free,
        "loads peak MB": loads_memory / 1e6,
        "ours peak MB": ours_memory / 1e6,
    }


def report(figures: dict[str, float], runs: int) -> None:
    """Print one size's figures."""
    vms = int(figures["vms"])
    base = figures["json.loads"]
    print(f"\n{vms} VMs, {figures['mb']:.1f} MB of JSON, median of {runs} runs")
    for stage in STAGES:
        seconds = figures[stage]
        per_vm = seconds / vms * 1e6
        print(f"  {stage:<19} {seconds:8.3f} s  {seconds / base:5.2f}x loads  {per_vm:6.1f} us/VM")
    paused = figures["json.loads, collector paused"]
    print(
        f"  json.loads with the collector paused: {paused:.3f} s; "
        f"read + plan is {figures['read + plan'] / paused:.2f}x that"
    )
    print(
        f"  peak memory: loads {figures['loads peak MB']:.0f} MB, inventory + plan "
        f"{figures['ours peak MB']:.0f} MB ({memory_ratio(figures):.2f}x)"
    )


def memory_ratio(figures: dict[str, float]) -> float:
    """Peak memory of reading and planning, as a multiple of that of ``json.loads``."""
    return figures["ours peak MB"] / figures["loads peak MB"]


def targets(by_size: dict[int, dict[str, float]]) -> None:
    """Print each target with the figure measured and whether it is met."""
    small, middle, large = (by_size[size] for size in TARGET_SIZES)
    ratio = middle["read + plan"] / middle["json.loads"]
    scaling = (large["read + plan"] / large["vms"]) / (small["read + plan"] / small["vms"])
    memory = memory_ratio(large)
    print("\ntargets")
    for label, value, limit in (
        (f"read + plan at {middle['vms']:.0f} VMs, x json.loads", ratio, MAX_READ_PLAN_RATIO),
        (f"time per VM, {large['vms']:.0f} over {small['vms']:.0f} VMs", scaling, MAX_SCALING),
        (f"peak memory at {large['vms']:.0f} VMs, x json.loads", memory, MAX_MEMORY_RATIO),
    ):
        verdict = "met" if value <= limit else "NOT met"
        print(f"  {label:<42} {value:5.2f} (at most {limit:.2f}): {verdict}")


def main() -> None:
    """Measure each size and print a table (and, with ``--targets``, the verdicts)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vms", type=int, nargs="*", default=[1_000, 10_000, 50_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--targets", action="store_true", help=f"measure {TARGET_SIZES} VMs and check the targets"
    )
    args = parser.parse_args()
    sizes = TARGET_SIZES if args.targets else args.vms
    by_size = {}
    for vms in sizes:
        by_size[vms] = measure(vms, args.runs)
        report(by_size[vms], args.runs)
    if args.targets:
        targets(by_size)


if __name__ == "__main__":
    main()
