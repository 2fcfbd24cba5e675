"""Same input, same output, byte for byte, whatever the interpreter's hash seed .

Python randomises the hashes of strings per process, and with them the
iteration order of sets and of dictionaries built from sets. Output that
depends on that order differs between two runs of the same command. These
tests run the command line and the library in separate interpreters with
``PYTHONHASHSEED`` set to 0, 1, 42 and ``random``, and compare what they
print.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from hyperv_backup import Cluster, Host, dump_inventory, example_names, load_example
from hyperv_backup.cli import main
from tests.strategies import inventories

SEEDS = ("0", "1", "42", "random")
FORMATS = ("text", "json", "markdown", "html")

#: Each command on the bundled cluster example (the default of ``--example``).
CLUSTER_COMMANDS: dict[str, list[str]] = {
    "check": ["check", "--example"],
    "plan": ["plan", "--example"],
    "restore": ["restore", "--example", "cluster", "APP01"],
}

#: The same commands on the bundled standalone host.
HOST_COMMANDS: dict[str, list[str]] = {
    "check": ["check", "--example", "host"],
    "plan": ["plan", "--example", "host"],
    "restore": ["restore", "--example", "host", "DC01"],
}


def _environment(seed: str) -> dict[str, str]:
    """Return the environment of a child: ours, with the seed set and nothing that styles output."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONHASHSEED", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "TERM"}
    }
    env["PYTHONHASHSEED"] = seed
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _run(argv: Sequence[str], seed: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, *argv],
        input=stdin,
        capture_output=True,
        env=_environment(seed),
        timeout=120,
        check=False,
    )


def _in_process(argv: list[str]) -> tuple[int, bytes]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(argv)
    return code, buffer.getvalue().encode("utf-8")


def test_cli_output_does_not_depend_on_the_hash_seed() -> None:
    """``python -m hyperv_backup check|plan|restore --example --format F``: one output per seed.

    Every command and format prints the same bytes and exits with the same
    status under every seed, and the same as this process prints.
    """
    runs = [
        (command, fmt, seed) for command in CLUSTER_COMMANDS for fmt in FORMATS for seed in SEEDS
    ]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(
            pool.map(
                lambda run: _run(
                    ["-m", "hyperv_backup", *CLUSTER_COMMANDS[run[0]], "--format", run[1]], run[2]
                ),
                runs,
            )
        )
    outputs: dict[tuple[str, str], set[tuple[int, bytes]]] = {}
    for (command, fmt, seed), result in zip(runs, results, strict=True):
        assert result.stderr == b"", (command, fmt, seed, result.stderr)
        assert result.stdout, (command, fmt, seed)
        outputs.setdefault((command, fmt), set()).add((result.returncode, result.stdout))
    for (command, fmt), seen in outputs.items():
        assert len(seen) == 1, f"{command} --format {fmt} differs between hash seeds"
        here = _in_process([*CLUSTER_COMMANDS[command], "--format", fmt])
        assert seen == {here}, f"{command} --format {fmt} differs from this process"


#: Run in each child: the host example through ``main``, and the given inventories
#: through the library, printed as one JSON document. ``hash`` shows the seed took.
DRIVER = """
import contextlib, io, json, sys
from hyperv_backup import backup_plan, check, dump_inventory, parse_inventory, to_dict
from hyperv_backup import uncovered_storage, restore_steps
from hyperv_backup.cli import main

request = json.load(sys.stdin)
answer = {"hash": hash("hyperv_backup"), "cli": [], "inventories": []}
for argv in request["argv"]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(argv)
    answer["cli"].append([argv, code, buffer.getvalue()])
for text in request["inventories"]:
    inventory = parse_inventory(text)
    hosts = getattr(inventory, "nodes", (inventory,))
    answer["inventories"].append({
        "dump": json.dumps(dump_inventory(inventory)),
        "check": [to_dict(f) for f in check(inventory)],
        "plan": to_dict(backup_plan(inventory)),
        "uncovered": [to_dict(u) for u in uncovered_storage(inventory)],
        "restore": [
            [to_dict(s) for s in restore_steps(vm, host)] for host in hosts for vm in host.vms
        ],
    })
json.dump(answer, sys.stdout, sort_keys=False)
"""


def _drive(seed: str, request: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    result = _run(["-c", DRIVER], seed, json.dumps(request).encode("utf-8"))
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    return result.stdout.decode("utf-8"), json.loads(result.stdout)


def _drive_all_seeds(request: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    with ThreadPoolExecutor(max_workers=len(SEEDS)) as pool:
        return list(pool.map(lambda seed: _drive(seed, request), SEEDS))


def _without_hash(answer: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in answer.items() if key != "hash"}


@settings(
    max_examples=2,
    deadline=None,
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(inventories(), min_size=6, max_size=6))
def test_library_results_do_not_depend_on_the_hash_seed(generated: list[Host | Cluster]) -> None:
    """The library's results and the CLI on the host example are the same under every seed.

    ``dump_inventory``, ``check``, ``backup_plan``, ``uncovered_storage`` and
    ``restore_steps`` give the same JSON for the examples and for generated
    inventories.

    The generated inventories hold sets (installed updates) and names that
    differ only in case, where an order taken from a set or a case-folded
    dictionary would show.
    """
    inventories_given = [*(load_example(n) for n in example_names()), *generated]
    request = {
        "argv": [[*argv, "--format", fmt] for argv in HOST_COMMANDS.values() for fmt in FORMATS],
        "inventories": [json.dumps(dump_inventory(i)) for i in inventories_given],
    }
    answers = _drive_all_seeds(request)
    hashes = {answer["hash"] for _, answer in answers[:3]}
    assert len(hashes) == 3, "PYTHONHASHSEED did not reach the child interpreters"
    texts = {json.dumps(_without_hash(answer)) for _, answer in answers}
    assert len(texts) == 1, "results differ between hash seeds"
    # The dump of what was given is what was given: nothing reordered on the way.
    (_, first), *_ = answers
    assert [i["dump"] for i in first["inventories"]] == request["inventories"]
