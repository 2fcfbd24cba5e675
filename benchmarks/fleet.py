"""Time a fleet run of the command line with one process and with several.

Run from the repository root, with the package installed::

    python benchmarks/fleet.py                          # 200 inventories of 100 VMs, --jobs 1 and 2
    python benchmarks/fleet.py --inventories 400 --vms 50 --jobs 1 2 4 --runs 5

It writes ``--inventories`` generated cluster inventories (``benchmarks/generate.py``,
4 nodes each) of about ``--vms`` VMs into a temporary folder, then runs
``hyperv-backup COMMAND FOLDER --jobs N --format FORMAT`` (output thrown
away) ``--runs`` times for each N, interleaved, and prints the median wall
time of each and the speed-up over the first N. ``--min-speedup`` makes the
exit status 1 when the speed-up of the last N over the first is below it.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import cluster_json


def _cli() -> str:
    beside = Path(sys.executable).with_name("hyperv-backup")
    return str(beside) if beside.exists() else (shutil.which("hyperv-backup") or "hyperv-backup")


def main() -> int:
    """Generate the fleet, time each ``--jobs``, print the medians and speed-ups."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inventories", type=int, default=200)
    parser.add_argument("--vms", type=int, default=100)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--command", choices=["check", "plan"], default="check")
    parser.add_argument("--format", default="json")
    parser.add_argument("--min-speedup", type=float)
    args = parser.parse_args()
    times: dict[int, list[float]] = {jobs: [] for jobs in args.jobs}
    with tempfile.TemporaryDirectory() as folder:
        text = cluster_json(args.vms, nodes=4)
        for n in range(args.inventories):
            (Path(folder) / f"cluster-{n:04d}.json").write_text(text, encoding="utf-8")
        for _ in range(args.runs):
            for jobs in args.jobs:
                command = [
                    _cli(),
                    args.command,
                    folder,
                    "--jobs",
                    str(jobs),
                    "--format",
                    args.format,
                ]
                start = time.perf_counter()
                done = subprocess.run(command, stdout=subprocess.DEVNULL, check=False)  # noqa: S603
                times[jobs].append(time.perf_counter() - start)
                if done.returncode not in {0, 1}:
                    print(f"{' '.join(command)} exited with {done.returncode}", file=sys.stderr)
                    return 2
    first = statistics.median(times[args.jobs[0]])
    print(
        f"{args.command} of {args.inventories} inventories of about {args.vms} VMs "
        f"(--format {args.format}), median of {args.runs} runs"
    )
    speedup = 1.0
    for jobs in args.jobs:
        median = statistics.median(times[jobs])
        speedup = first / median
        print(f"  --jobs {jobs:<3} {median:7.2f} s  {speedup:5.2f}x")
    if args.min_speedup is not None and speedup < args.min_speedup:
        print(f"speed-up {speedup:.2f}x is below {args.min_speedup:.2f}x", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
