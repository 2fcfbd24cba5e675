"""The cyclic collector is paused while a model is built, and always restored."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

import hyperv_backup as hb
from hyperv_backup._base.gc import paused_collector


@pytest.fixture
def collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


@pytest.mark.usefixtures("collector_on")
def test_paused_inside_and_restored_after() -> None:
    with paused_collector():
        assert not gc.isenabled()
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_restored_after_an_error() -> None:
    with pytest.raises(hb.InventoryError):
        hb.parse_inventory('{"kind": "host"}')
    assert gc.isenabled()


def test_left_off_when_it_was_off() -> None:
    gc.disable()
    try:
        hb.check(hb.load_example("host"))
        assert not gc.isenabled()
    finally:
        gc.enable()


class _Node:
    """A tracked object, for watching which generation it is in."""

    def __init__(self) -> None:
        self.children: list[_Node] = []


def _young(item: object) -> bool:
    return any(o is item for o in gc.get_objects(generation=0))


@pytest.mark.usefixtures("collector_on")
def test_with_aged_what_was_built_is_in_the_oldest_generation() -> None:
    with paused_collector(aged=True):
        built = _Node()
    assert not _young(built)
    assert any(o is built for o in gc.get_objects(generation=2))
    assert gc.get_freeze_count() == 0  # nothing is left frozen
    with paused_collector():
        kept_young = _Node()
    assert _young(kept_young)


@pytest.mark.usefixtures("collector_on")
def test_a_cycle_moved_to_the_oldest_generation_is_still_collected() -> None:
    with paused_collector(aged=True):
        a, b = _Node(), _Node()
        a.children.append(b)
        b.children.append(a)
    del a, b
    assert gc.collect() >= 2


def test_aged_does_nothing_when_the_collector_was_off() -> None:
    gc.disable()
    try:
        with paused_collector(aged=True):
            built = _Node()
        assert _young(built)
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.usefixtures("collector_on")
def test_a_plan_pauses_the_collector_for_all_of_its_work(monkeypatch: pytest.MonkeyPatch) -> None:
    from hyperv_backup.decide.steps import numbered

    seen: list[bool] = []

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return numbered(*args, **kwargs)

    monkeypatch.setattr("hyperv_backup.decide.plan.numbered", watched)
    hb.backup_plan(hb.load_example("cluster"))
    assert seen == [False]
    assert gc.isenabled()
