"""Time the stages of a fleet-sized run, as ratios to ``json.loads`` of the same file.

Run from the repository root::

    python benchmarks/run.py                 # 1k, 10k and 50k VMs, 5 runs each
    python benchmarks/run.py --vms 20000 --runs 7

For each size it generates a cluster inventory (``benchmarks/generate.py``),
writes it to a temporary file and times, in one process: ``json.loads`` of
the text, ``read_inventory`` of the file, ``check``, ``backup_plan``, and the
JSON output of the plan. It prints medians in seconds and as ratios to
``json.loads`` (so machine noise mostly cancels), time per VM, and peak memory
(tracemalloc) of the loaded inventory plus its plan against that of the
``json.loads`` result.
"""

from __future__ import annotations

import argparse
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


def _median(action: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _peak(action: Callable[[], Any]) -> tuple[int, Any]:
    gc.collect()
    tracemalloc.start()
    result = action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, result


def measure(vms: int, runs: int) -> dict[str, float]:
    """Return the timings (seconds) and memory figures for a cluster of ``vms`` VMs."""
    text = cluster_json(vms)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "inventory.json"
        path.write_text(text, encoding="utf-8")
        loads = _median(lambda: json.loads(text), runs)
        read = _median(lambda: hb.read_inventory(path), runs)
        inventory = hb.read_inventory(path)
        check = _median(lambda: hb.check(inventory), runs)
        plan = _median(lambda: hb.backup_plan(inventory), runs)
        result = hb.backup_plan(inventory)
        output = _median(lambda: json.dumps(hb.to_dict(result)), runs)
        read_plan = _median(lambda: hb.backup_plan(hb.read_inventory(path)), runs)
        loads_memory, _ = _peak(lambda: json.loads(text))
        ours_memory, _ = _peak(lambda: (i := hb.read_inventory(path), hb.backup_plan(i)))
    return {
        "vms": vms,
        "mb": len(text) / 1e6,
        "json.loads": loads,
        "read_inventory": read,
        "check": check,
        "backup_plan": plan,
        "plan JSON": output,
        "read + plan": read_plan,
        "loads peak MB": loads_memory / 1e6,
        "ours peak MB": ours_memory / 1e6,
    }


def main() -> None:
    """Measure each size and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vms", type=int, nargs="*", default=[1_000, 10_000, 50_000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    stages = ("json.loads", "read_inventory", "check", "backup_plan", "plan JSON", "read + plan")
    for vms in args.vms:
        figures = measure(vms, args.runs)
        base = figures["json.loads"]
        print(f"\n{vms} VMs, {figures['mb']:.1f} MB of JSON, median of {args.runs} runs")
        for stage in stages:
            seconds = figures[stage]
            per_vm = seconds / vms * 1e6
            print(f"  {stage:<15} {seconds:8.3f} s  {seconds / base:5.2f}x loads  {per_vm:6.1f} us/VM")
        ratio = figures["ours peak MB"] / figures["loads peak MB"]
        print(
            f"  peak memory: loads {figures['loads peak MB']:.0f} MB, "
            f"inventory + plan {figures['ours peak MB']:.0f} MB ({ratio:.2f}x)"
        )


if __name__ == "__main__":
    main()
