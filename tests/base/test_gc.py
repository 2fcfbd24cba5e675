"""The cyclic collector is paused while a model is built, and always restored."""

from __future__ import annotations

import gc
from collections.abc import Iterator

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
