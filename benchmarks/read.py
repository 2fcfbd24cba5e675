"""Time reading an inventory, as ratios to ``json.loads`` of the same bytes.

Run from the repository root::

    python benchmarks/read.py                     # 5k, 20k and 50k VMs, 7 runs each
    python benchmarks/read.py --vms 20000 --runs 11

For each size it generates a cluster inventory (``benchmarks/generate.py``),
writes it to a temporary file and times, interleaved so that a busy spell on
the machine slows each alike:

* ``json.loads`` of the file's bytes;
* ``read_inventory`` of the file, and its ratio to that (the target: at most
  3x);
* ``parse_inventory`` of the same bytes;
* the command line's reading of the file (what ``hyperv-backup check FILE``
  does before it evaluates), and its ratio to ``read_inventory`` (the
  target: no slower than the library, within 5% for noise).

Every one of them with Python's cyclic garbage collector paused: the library
leaves the collector to its caller (``hyperv_backup.paused_collector()``), and
the command line pauses it for the whole of a command. With ``--collector``,
the library's reading is also timed with the collector running, as a caller
that does not pause it sees it.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import cluster_json

import hyperv_backup as hb
from hyperv_backup.cli._io import load
from hyperv_backup.cli._options import parse, parser

#: The targets: reading at most 3x ``json.loads``; the command line as fast as the library,
#: within the noise of a shared machine.
MAX_READ_RATIO = 3.0
MAX_COMMAND_LINE_RATIO = 1.05


def _time(action: Callable[[], Any], *, paused: bool = True) -> float:
    """Return the time of one call of ``action``, not counting the freeing of its result."""
    gc.collect()
    if paused:
        with hb.paused_collector():
            start = time.perf_counter()
            result = action()
            elapsed = time.perf_counter() - start
    else:
        start = time.perf_counter()
        result = action()
        elapsed = time.perf_counter() - start
    del result
    return elapsed


def measure(vms: int, runs: int, *, collector: bool) -> dict[str, float]:
    """Return the median time (seconds) of each way of reading a cluster of ``vms`` VMs."""
    text = cluster_json(vms)
    data = text.encode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "inventory.json"
        path.write_bytes(data)
        options = parse(parser(), ["check", str(path)])
        stages: dict[str, tuple[Callable[[], Any], bool]] = {
            "json.loads": (lambda: json.loads(data), True),
            "read_inventory": (lambda: hb.read_inventory(path), True),
            "parse_inventory": (lambda: hb.parse_inventory(data), True),
            "command line": (lambda: load(options), True),
        }
        if collector:
            stages["read_inventory, collector on"] = (lambda: hb.read_inventory(path), False)
        # One untimed round: every reader is set up, every file in the page cache.
        for action, _ in stages.values():
            action()
        times: dict[str, list[float]] = {name: [] for name in stages}
        for _ in range(runs):
            for name, (action, paused) in stages.items():
                times[name].append(_time(action, paused=paused))
        count = sum(len(node.vms) for node in hb.model.hosts_of(hb.read_inventory(path)))
    figures = {name: statistics.median(values) for name, values in times.items()}
    figures["vms"] = count
    figures["mb"] = len(data) / 1e6
    return figures


def report(figures: dict[str, float], runs: int) -> None:
    """Print one size's figures and its ratios."""
    base = figures["json.loads"]
    print(
        f"\n{figures['vms']:.0f} VMs, {figures['mb']:.1f} MB of JSON, "
        f"median of {runs} runs, collector paused unless said"
    )
    for name, seconds in figures.items():
        if name in {"vms", "mb"}:
            continue
        print(f"  {name:<30} {seconds:8.4f} s  {seconds / base:5.2f}x json.loads")
    read = figures["read_inventory"] / base
    command_line = figures["command line"] / figures["read_inventory"]
    for label, value, limit in (
        ("read_inventory, x json.loads", read, MAX_READ_RATIO),
        ("command line, x read_inventory", command_line, MAX_COMMAND_LINE_RATIO),
    ):
        verdict = "met" if value <= limit else "NOT met"
        print(f"  {label:<30} {value:5.2f} (at most {limit:.2f}): {verdict}")


def main() -> None:
    """Measure each size and print its figures."""
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--vms", type=int, nargs="*", default=[5_000, 20_000, 50_000])
    arguments.add_argument("--runs", type=int, default=7)
    arguments.add_argument(
        "--collector", action="store_true", help="also time reading with the collector running"
    )
    args = arguments.parse_args()
    for vms in args.vms:
        report(measure(vms, args.runs, collector=args.collector), args.runs)


if __name__ == "__main__":
    main()
