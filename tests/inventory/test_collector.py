"""Reading an inventory leaves Python's cyclic garbage collector as the caller set it.

Pausing it is the caller's choice (``hyperv_backup.paused_collector``): the
setting is the whole process's.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import hyperv_backup as hb
from hyperv_backup.inventory import _quick


@pytest.fixture
def watched_build(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Record whether the collector runs each time a model is built."""
    seen: list[bool] = []
    real = _quick.build

    def build(*args: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args)

    monkeypatch.setattr(_quick, "build", build)
    enabled = gc.isenabled()
    gc.enable()
    yield seen
    if not enabled:  # pragma: no cover - pytest runs with the collector on
        gc.disable()


def test_reading_does_not_pause_the_collector(watched_build: list[bool], tmp_path: Path) -> None:
    expected = hb.load_example("cluster")
    path = tmp_path / "cluster.json"
    path.write_text(json.dumps(hb.dump_inventory(expected)), encoding="utf-8")
    watched_build.clear()
    assert hb.read_inventory(path) == expected
    assert watched_build == [True]
    assert gc.isenabled()


def test_a_paused_collector_stays_paused_while_reading(watched_build: list[bool]) -> None:
    with hb.paused_collector():
        hb.load_example("host")
        assert not gc.isenabled()
    assert watched_build == [False]
    assert gc.isenabled()
