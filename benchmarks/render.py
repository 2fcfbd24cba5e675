"""Time writing a plan as text against writing it as JSON, per step.

Run from the repository root, with the package installed::

    python benchmarks/render.py                   # 10,000 and 20,000 VMs, 3 runs
    python benchmarks/render.py --vms 5000 40000 --runs 5

For each size it writes a generated cluster (``benchmarks/generate.py``),
reads it and plans it once, then times, in CPU time with the collector
paused, ``render_plan`` of the plan as text and as JSON, the least of the
runs. It prints the time per step of each and their ratio, the target being
text at most 3x JSON per step, with the time per step growing no faster than
the plan. JSON is written as the command line writes it: by ``orjson`` when
the ``fast`` extra is installed, by the package's own writer when it is not
or when ``HYPERV_BACKUP_PURE_PYTHON`` is set.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import cluster_json

from hyperv_backup import backup_plan, read_inventory
from hyperv_backup.render import Format, render_plan

#: Text may take at most this many times as long per step as JSON.
TARGET = 3.0


def _least(action: Callable[[], object], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        action()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vms", type=int, nargs="+", default=[10_000, 20_000])
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    gc.disable()
    per_step: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        for count in options.vms:
            path = Path(folder) / f"cluster-{count}.json"
            path.write_text(cluster_json(count), encoding="utf-8")
            plan = backup_plan(read_inventory(path))
            steps = len(plan.steps)
            text = _least(partial(render_plan, plan, Format.TEXT), options.runs)
            json = _least(partial(render_plan, plan, Format.JSON), options.runs)
            ratio = text / json
            per_step.append(text / steps)
            verdict = "met" if ratio <= TARGET else "NOT met"
            print(
                f"{count} VMs, {steps} steps: text {text:.3f} s ({text / steps * 1e6:.1f} µs a step), "
                f"JSON {json:.3f} s ({json / steps * 1e6:.1f} µs a step): {ratio:.2f}x, "
                f"at most {TARGET}x: {verdict}"
            )
    if len(per_step) > 1:
        print(
            f"text, time per step at the largest size / at the smallest: {per_step[-1] / per_step[0]:.2f}"
        )


if __name__ == "__main__":
    main()
