"""Time whole commands against the floor of a process that reads the file and writes JSON back.

Run from the repository root, with the package installed::

    python benchmarks/command.py                   # 10k VMs, half the nodes on 2022, 5 runs
    python benchmarks/command.py --vms 20000 --runs 9 --format text

It writes a generated cluster inventory (``benchmarks/generate.py``) of
``--vms`` VMs, a share ``--modern`` of its nodes on Windows Server 2022, and
runs, interleaved so that a busy spell on the machine slows each alike, with
the output thrown away:

* the floor: ``python -c`` a program that loads the file with ``json.load``
  and writes it back with ``json.dumps`` (the C encoder);
* ``hyperv-backup check INVENTORY --format FORMAT``;
* ``hyperv-backup plan INVENTORY --format FORMAT``.

It prints, for each, the median and the minimum of the wall time and of the
CPU time (user and system) the process took, and each command as a ratio to
the floor. The targets, for ``--format json``: ``check`` at most 2x the floor
and ``plan`` at most 3x, as ratios of the medians of CPU time, which a
shared machine disturbs less than wall time (both are printed).

The command line is the ``hyperv-backup`` script next to the running Python,
or the one on ``PATH``; ``--cli`` names another (an older install, to compare).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import cluster_json

#: The floor: read the file with the json module, write it back with its C encoder.
FLOOR_PROGRAM = (
    "import json, sys\n"
    "with open(sys.argv[1], 'rb') as f:\n"
    "    document = json.load(f)\n"
    "sys.stdout.write(json.dumps(document))\n"
)

#: The targets, as ratios to the floor, for ``--format json``.
TARGETS = {"check": 2.0, "plan": 3.0}


def find_cli() -> str:
    """Return the ``hyperv-backup`` script next to this Python, or the one on ``PATH``."""
    beside = Path(sys.executable).with_name("hyperv-backup")
    if beside.is_file():
        return str(beside)
    return shutil.which("hyperv-backup") or "hyperv-backup"


def measure(commands: dict[str, list[str]], runs: int) -> dict[str, dict[str, list[float]]]:
    """Return the wall and CPU times of ``runs`` interleaved runs of each command."""
    for command in commands.values():  # one untimed round: caches filled
        _timed(command)
    times: dict[str, dict[str, list[float]]] = {
        name: {"wall": [], "cpu": []} for name in commands
    }
    for _ in range(runs):
        for name, command in commands.items():
            wall, cpu = _timed(command)
            times[name]["wall"].append(wall)
            times[name]["cpu"].append(cpu)
    return times


def _timed(command: list[str]) -> tuple[float, float]:
    """Run ``command``, output thrown away; return its wall time and CPU time in seconds."""
    start = time.perf_counter()
    with subprocess.Popen(  # noqa: S603 - our own commands, no shell
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    ) as process:
        # wait4 reaps the child and gives its own resource usage: its CPU time.
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if process.returncode not in {0, 1}:
        msg = f"{' '.join(command)} exited with {process.returncode}"
        raise SystemExit(msg)
    return wall, usage.ru_utime + usage.ru_stime


def main() -> int:
    """Generate the inventory, time the floor and each command, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vms", type=int, default=10_000)
    parser.add_argument("--modern", type=float, default=0.5, help="share of nodes on 2022")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--format", default="json")
    parser.add_argument("--commands", nargs="+", default=["check", "plan"])
    parser.add_argument("--cli", help="the hyperv-backup script to time (default: found)")
    args = parser.parse_args()
    cli = args.cli or find_cli()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "inventory.json"
        path.write_text(cluster_json(args.vms, modern=args.modern), encoding="utf-8")
        commands = {"floor": [sys.executable, "-c", FLOOR_PROGRAM, str(path)]}
        for name in args.commands:
            commands[name] = [cli, name, str(path), "--format", args.format]
        times = measure(commands, args.runs)
    print(
        f"{args.vms} VMs ({args.modern:.0%} of the nodes on 2022), --format {args.format}, "
        f"median (min) of {args.runs} interleaved runs"
    )
    floor = {kind: statistics.median(times["floor"][kind]) for kind in ("wall", "cpu")}
    floor_min = {kind: min(times["floor"][kind]) for kind in ("wall", "cpu")}
    for name, measured in times.items():
        wall, cpu = statistics.median(measured["wall"]), statistics.median(measured["cpu"])
        line = (
            f"  {name:<6} wall {wall:6.3f} s ({min(measured['wall']):.3f})"
            f"  cpu {cpu:6.3f} s ({min(measured['cpu']):.3f})"
        )
        if name != "floor":
            ratio = cpu / floor["cpu"]
            line += (
                f"  {wall / floor['wall']:5.2f}x floor (wall), {ratio:5.2f}x (cpu),"
                f" {min(measured['cpu']) / floor_min['cpu']:5.2f}x (cpu minimums)"
            )
            limit = TARGETS.get(name) if args.format == "json" else None
            if limit is not None:
                verdict = "met" if ratio <= limit else "NOT met"
                line += f"; target {limit:.1f}x: {verdict}"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
