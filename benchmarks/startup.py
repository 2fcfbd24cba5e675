"""Time the start-up of the command line, as a ratio to a bare ``python -c "import json"``.

Run from the repository root, with the package installed::

    python benchmarks/startup.py              # 10 runs of each command
    python benchmarks/startup.py --runs 30 --imports 15

It runs ``hyperv-backup check --example --format json`` (output thrown away)
and ``python -c "import json"`` one after the other, ``--runs`` times each,
interleaved so that a busy spell on the machine slows both alike, and prints
the median wall time of each and their ratio (and that of the minimums, which
a busy machine disturbs less), then the same of the CPU time each process
took, which a shared machine disturbs less still. Only the ratios mean much from one machine to
another. ``--max-ratio`` makes the exit status 1 when the ratio
is above it. ``--imports N`` also prints the N slowest imports (cumulative,
from ``python -X importtime``) of ``hyperv_backup`` and ``hyperv_backup.cli``.

The command line is the ``hyperv-backup`` script next to the running Python,
or the one on ``PATH``; ``--cli`` names another.

Both commands run with their compiled bytecode cached in a temporary folder
(``PYTHONPYCACHEPREFIX``), as an installed package has it, even when the
environment sets ``PYTHONDONTWRITEBYTECODE``. ``--env-as-is`` runs them with
the environment unchanged instead: with ``PYTHONDONTWRITEBYTECODE`` set and no
bytecode cached beside the sources (an editable install), every run then
compiles the package's modules again, and that is timed too.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

#: The command timed: an example inventory checked, written as JSON.
CLI_ARGS = ("check", "--example", "--format", "json")

#: The baseline: the interpreter starting and importing one standard module.
BASELINE = (sys.executable, "-c", "import json")

#: The exit statuses ``check`` may end with: 0, or 1 for findings at or above ``--fail-on``.
CHECK_STATUSES = (0, 1)


def find_cli() -> str:
    """Return the ``hyperv-backup`` script next to this Python, or the one on ``PATH``."""
    beside = Path(sys.executable).with_name("hyperv-backup")
    if beside.is_file():
        return str(beside)
    found = shutil.which("hyperv-backup")
    if found is None:
        msg = "no hyperv-backup script found; install the package or give --cli"
        raise SystemExit(msg)
    return found


def cached_bytecode_env(folder: str) -> dict[str, str]:
    """Return this environment, with compiled bytecode written to and read from ``folder``."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = folder
    return env


def run_once(
    command: tuple[str, ...], env: Mapping[str, str], statuses: tuple[int, ...] = (0,)
) -> tuple[float, float]:
    """Run ``command`` with its output thrown away; return its wall time and CPU time in seconds.

    The CPU time (user and system) is the child's own, which a busy machine
    disturbs less than the wall time.
    """
    start = time.perf_counter()
    with subprocess.Popen(  # noqa: S603 - our own commands, no shell
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
    ) as process:
        assert process.stderr is not None
        stderr = process.stderr.read()
        # wait4 reaps the child and gives its own resource usage.
        _, wait_status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(wait_status)
    elapsed = time.perf_counter() - start
    if process.returncode not in statuses:
        status = process.returncode
        msg = f"{shlex.join(command)} exited with {status}:\n{stderr.decode()}"
        raise SystemExit(msg)
    return elapsed, usage.ru_utime + usage.ru_stime


def measure(
    cli: tuple[str, ...], runs: int, env: Mapping[str, str]
) -> dict[str, dict[str, list[float]]]:
    """Return the wall and CPU times of ``runs`` runs of the command line and of the baseline.

    One run of each comes first and is not counted: it fills the file and bytecode caches.
    """
    run_once(cli, env, CHECK_STATUSES)
    run_once(BASELINE, env)
    times: dict[str, dict[str, list[float]]] = {
        name: {"wall": [], "cpu": []} for name in ("cli", "baseline")
    }
    for _ in range(runs):
        for name, command, statuses in (
            ("cli", cli, CHECK_STATUSES),
            ("baseline", BASELINE, (0,)),
        ):
            wall, cpu = run_once(command, env, statuses)
            times[name]["wall"].append(wall)
            times[name]["cpu"].append(cpu)
    return times


def slowest_imports(module: str, count: int, env: Mapping[str, str]) -> list[tuple[float, str]]:
    """Return the ``count`` slowest imports of ``module``: (cumulative ms, indented name)."""
    completed = subprocess.run(  # noqa: S603 - our own interpreter, no shell
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    entries: list[tuple[float, str]] = []
    # Lines read "import time: <self us> | <cumulative us> | <name>", after one header.
    for line in completed.stderr.splitlines():
        fields = line.removeprefix("import time:").split("|")
        if len(fields) != 3 or not fields[1].strip().isdigit():
            continue
        entries.append((int(fields[1]) / 1000, fields[2].rstrip()))
    entries.sort(key=lambda entry: entry[0], reverse=True)
    return entries[:count]


def report(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    """Measure as ``args`` say, in ``env``; print the figures and return the exit status."""
    cli = (args.cli or find_cli(), *CLI_ARGS)
    times = measure(cli, args.runs, env)
    bytecode = "environment as is" if args.env_as_is else "bytecode cached"
    print(f"median (min) of {args.runs} interleaved runs each ({bytecode})")
    ratios = {}
    for kind, label in (("wall", "wall time"), ("cpu", "CPU time")):
        cli_times, baseline_times = times["cli"][kind], times["baseline"][kind]
        cli_median = statistics.median(cli_times)
        baseline_median = statistics.median(baseline_times)
        ratios[kind] = cli_median / baseline_median
        print(f"  {label}")
        print(f"    {shlex.join(BASELINE)}")
        print(f"      {baseline_median * 1000:7.1f} ms  (min {min(baseline_times) * 1000:.1f} ms)")
        print(f"    {shlex.join(cli)}")
        print(f"      {cli_median * 1000:7.1f} ms  (min {min(cli_times) * 1000:.1f} ms)")
        print(
            f"    ratio {ratios[kind]:.2f}x  "
            f"(of the minimums: {min(cli_times) / min(baseline_times):.2f}x)"
        )
    ratio = ratios["wall"]

    for module in ("hyperv_backup", "hyperv_backup.cli") if args.imports > 0 else ():
        print(f"\nslowest imports of {module} (cumulative ms, -X importtime)")
        for milliseconds, name in slowest_imports(module, args.imports, env):
            print(f"  {milliseconds:7.1f}  {name}")

    if args.max_ratio is not None and ratio > args.max_ratio:
        print(f"ratio {ratio:.2f}x is above --max-ratio {args.max_ratio:.2f}x", file=sys.stderr)
        return 1
    return 0


def main() -> int:
    """Time both commands and print their medians and ratio; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="runs of each command (default: 10)")
    parser.add_argument("--cli", help="the hyperv-backup script to time (default: found)")
    parser.add_argument(
        "--max-ratio", type=float, help="exit with 1 when the ratio of medians is above this"
    )
    parser.add_argument(
        "--imports", type=int, default=0, metavar="N", help="also print the N slowest imports"
    )
    parser.add_argument(
        "--env-as-is",
        action="store_true",
        help="run with the environment unchanged, not with bytecode cached in a temporary folder",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ) if args.env_as_is else cached_bytecode_env(folder)
        return report(args, env)


if __name__ == "__main__":
    sys.exit(main())
