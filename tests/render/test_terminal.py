"""The text reports in a real terminal of 80 columns: no word is cut where the terminal wraps.

The command runs in a tmux pane of 80 by 24 (standard output a terminal, so
its width is the pane's and it is coloured), and the pane's rows are read back
as the terminal shows them. A word split over two rows, by the report or by
the terminal wrapping a row too long, is then on none of them whole.

tmux is Debian's package (``.ci/run`` installs it). Where it is missing the
tests are skipped, saying why; under CI (``CI`` set) they fail instead.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import hyperv_backup as hb
from hyperv_backup.examples import example_text
from hyperv_backup.model import hosts_of

TMUX = shutil.which("tmux")

#: A pane of the default terminal size.
COLUMNS, ROWS = 80, 24


def _needed() -> None:
    if TMUX:
        return
    why = "tmux not installed (apt-get install tmux)"
    if os.environ.get("CI"):
        pytest.fail(f"the terminal tests must run in CI: {why}")
    pytest.skip(why)


def _tmux(socket: str, *args: str) -> str:
    assert TMUX is not None
    done = subprocess.run(  # noqa: S603 - tmux found on PATH, on a socket of its own
        [TMUX, "-L", socket, "-f", os.devnull, *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout


def on_terminal(*argv: str, cwd: Path, env: dict[str, str] | None = None) -> tuple[str, str]:
    """Run ``hyperv-backup ARGV`` in an 80-column pane; return its rows as shown, and with colours."""
    _needed()
    socket = f"hvb-{uuid.uuid4().hex[:12]}"
    done = "__hvb_done__"
    command = " ".join(shlex.quote(a) for a in (sys.executable, "-m", "hyperv_backup", *argv))
    settings = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
    script = f"cd {shlex.quote(str(cwd))} && env -u NO_COLOR {settings} {command}; echo {done}"
    _tmux(socket, "new-session", "-d", "-x", str(COLUMNS), "-y", str(ROWS), "sh")
    try:
        _tmux(socket, "set-option", "-g", "history-limit", "100000")
        _tmux(socket, "send-keys", "-t", "0", "clear; " + script, "Enter")
        deadline = time.monotonic() + 60
        rows = ""
        while time.monotonic() < deadline:
            rows = _tmux(socket, "capture-pane", "-p", "-t", "0", "-S", "-", "-E", "-")
            if f"\n{done}" in rows:
                break
            time.sleep(0.2)
        coloured = _tmux(socket, "capture-pane", "-p", "-e", "-t", "0", "-S", "-", "-E", "-")
    finally:
        _tmux(socket, "kill-server")
    assert f"\n{done}" in rows, rows[-2000:]
    return rows, coloured


def _whole(rows: str, words: set[str]) -> set[str]:
    """Return the words that are on no row whole."""
    return {word for word in words if not any(word in row for row in rows.splitlines())}


@pytest.fixture(scope="module")
def fleet() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for site, name, file in (
            ("site-a", "cluster", "cluster-2008r2.json"),
            ("site-a", "host", "host-2012r2.json"),
            ("site-b", "cluster-2022", "cluster-2022.json"),
        ):
            (root / site).mkdir(exist_ok=True)
            (root / site / file).write_text(example_text(name), encoding="utf-8")
        yield root


def _names(example: str) -> set[str]:
    target = hb.load_example(example)
    return {h.name for h in hosts_of(target)} | {vm.name for h in hosts_of(target) for vm in h.vms}


def test_the_plan_of_cluster_2022_splits_no_word(fleet: Path) -> None:
    rows, coloured = on_terminal("plan", "--example", "cluster-2022", cwd=fleet)
    words = _names("cluster-2022") | {
        "application-consistent",
        "file-system-consistent",
        "crash-consistent",
        "'HV22-NODE1'",
        "'SET-Team',",
    }
    assert _whole(rows, words) == set()
    assert "Backups: 6 fail, 1 not backed up" in rows
    assert "\x1b[" in coloured  # a terminal gets colours


def test_the_registry_key_of_hvb102_is_on_one_row(fleet: Path) -> None:
    """Copied from the terminal, the key is whole: it is one row, wider than the pane if need be."""
    rows, _ = on_terminal("check", "--example", "cluster", "--fail-on", "never", cwd=fleet)
    key = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\WindowsServerBackup"
    assert _whole(rows, {"'Application Identifier'", "KB958662"}) == set()
    # The key is longer than a row of 80: the terminal wraps it, and joined back it is whole.
    joined = "".join(rows.splitlines())
    assert key + r"\Application Support\{66841CD4-6DED-4F4B-8F17-FD23F8DDC3DE}" in joined
    line = next(row for row in rows.splitlines() if row.lstrip().startswith("HKLM"))
    assert line.startswith("    HKLM")  # a row of its own, not the end of a row of words


def test_many_inputs_split_no_path(fleet: Path) -> None:
    rows, _ = on_terminal("plan", "site-a", "site-b", "--jobs", "1", cwd=fleet)
    paths = {"site-a/cluster-2008r2.json", "site-a/host-2012r2.json", "site-b/cluster-2022.json"}
    assert _whole(rows, paths | _names("cluster") | _names("cluster-2022")) == set()
    summary = rows[: rows.index("VMs by backup outcome")]
    assert re.search(r"site-b/cluster-2022\.json +18 +fails +13 ", summary)
    assert " ok" not in summary  # the gate is said as what it is, not as a status "ok"
    assert "Exit status: does not gate (--fail-on never)" in summary


def test_no_row_is_wider_than_the_pane_but_a_word_alone(fleet: Path) -> None:
    """Rows the terminal wrapped are those of one word longer than the pane (an address, a key)."""
    for argv in (("plan", "--example", "cluster-2022"), ("check", "--example", "cluster-2022")):
        plain = subprocess.run(  # noqa: S603 - this interpreter
            [sys.executable, "-m", "hyperv_backup", *argv],
            capture_output=True,
            text=True,
            check=False,
            cwd=fleet,
            env={**os.environ, "NO_COLOR": "1"},
        ).stdout
        for line in plain.splitlines():
            assert len(line) <= COLUMNS or len(line.split()) == 1 or "HKLM" in line, line
