"""Limits on what an inventory may hold: refused with a clear error, never exhausting memory."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from pathlib import Path

import pytest

import hyperv_backup as hb
from hyperv_backup.inventory import DEFAULT_LIMITS

HOST = {"kind": "host", "name": "HV01", "os": "windows_server_2008_r2"}


def _problem(data: object, **kwargs: object) -> hb.inventory.Problem:
    with pytest.raises(hb.InventoryError) as info:
        hb.parse_inventory(data, **kwargs)  # type: ignore[arg-type]
    assert len(info.value.problems) == 1
    return info.value.problems[0]


def test_defaults_are_documented_values() -> None:
    assert DEFAULT_LIMITS.max_bytes == 256 * 1024 * 1024
    assert DEFAULT_LIMITS.max_string == 32_767


@pytest.mark.parametrize("form", ["text", "bytes"])
def test_a_document_over_max_bytes_is_refused_before_parsing(form: str) -> None:
    text = json.dumps(HOST)
    limits = hb.InventoryLimits(max_bytes=len(text) - 1)
    data: str | bytes = text if form == "text" else text.encode()
    problem = _problem(data, limits=limits)
    assert problem.path == ""
    assert f"limit of {len(text) - 1} bytes" in problem.message
    assert hb.parse_inventory(data, limits=hb.InventoryLimits(max_bytes=len(text))).name == "HV01"


def test_a_string_over_max_string_is_refused_with_its_path() -> None:
    document = {**HOST, "vms": [{"name": "x" * 33_000, "state": "off"}]}
    problem = _problem(json.dumps(document))
    assert problem.path == "vms[0].name"
    assert "33000 characters" in problem.message
    assert len(problem.message) < 100
    small = hb.InventoryLimits(max_string=3)
    assert _problem(HOST, limits=small).path == "name"


def test_the_limits_of_one_parse_do_not_leak_into_the_next() -> None:
    with pytest.raises(hb.InventoryError):
        hb.parse_inventory(HOST, limits=hb.InventoryLimits(max_string=1))
    assert hb.parse_inventory(HOST).name == "HV01"


def test_long_keys_and_values_are_shortened_in_messages() -> None:
    """An error message quotes at most 60 characters of a bad key or value."""
    key = "k" * 10_000
    problem = _problem({**HOST, key: 1})
    assert problem.path.startswith("k" * 60 + "... (10000 characters)")
    value = _problem({**HOST, "os": "w" * 10_000})
    assert "(10000 characters)" in value.message
    assert len(value.message) < 400
    text = f'{{"kind": "host", "{key}": 1, "{key}": 2}}'
    duplicate = _problem(text)
    assert len(duplicate.message) < 200


def test_read_inventory_stops_reading_at_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text(json.dumps({**HOST, "pad": " " * 5000}), encoding="utf-8")
    problem = _problem_from_file(path, hb.InventoryLimits(max_bytes=1000))
    assert "limit of 1000 bytes" in problem.message


def _problem_from_file(path: Path, limits: hb.InventoryLimits) -> hb.inventory.Problem:
    with pytest.raises(hb.InventoryError) as info:
        hb.read_inventory(path, limits=limits)
    return info.value.problems[0]


def test_read_inventory_caps_a_stream_too(tmp_path: Path) -> None:
    """A file whose size is not known in advance (a pipe) is read in chunks up to the limit."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    payload = json.dumps({**HOST, "pad": " " * 5000}).encode()

    def write() -> None:
        # The reader stops at the limit and closes its end early.
        with contextlib.suppress(BrokenPipeError), fifo.open("wb") as pipe:
            pipe.write(payload)

    writer = threading.Thread(target=write)
    writer.start()
    problem = _problem_from_file(fifo, hb.InventoryLimits(max_bytes=1000))
    writer.join()
    assert "limit of 1000 bytes" in problem.message


def test_read_inventory_reads_a_stream_within_the_limit(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text(json.dumps(HOST), encoding="utf-8"))
    writer.start()
    assert hb.read_inventory(fifo).name == "HV01"
    writer.join()


def test_an_array_over_max_items_is_refused_with_its_path() -> None:
    """A 250 MB document of 25 million update names was once read, in 3.7 GB of memory."""
    assert DEFAULT_LIMITS.max_items == 100_000
    document = {**HOST, "installed_updates": [f"KB{n}" for n in range(6)]}
    problem = _problem(json.dumps(document), limits=hb.InventoryLimits(max_items=5))
    assert str(problem) == "installed_updates: an array of 6 items is longer than the limit of 5"
    assert _problem(document, limits=hb.InventoryLimits(max_items=5)).path == "installed_updates"
    many = {**HOST, "installed_updates": [f"KB{n}" for n in range(100_001)]}
    assert _problem(json.dumps(many)).path == "installed_updates"
    assert hb.parse_inventory({**HOST, "installed_updates": ["KB1"] * 5}).name == "HV01"


def test_load_document_holds_strings_and_arrays_to_the_limits() -> None:
    limits = hb.InventoryLimits(max_string=3, max_items=2)
    for text, message in [
        ('{"a": ["abcd"]}', "a[0]: a string of 4 characters is longer than the limit of 3"),
        ('{"abcd": 1}', "abcd: a key of 4 characters is longer than the limit of 3"),
        ("[[1, 2, 3]]", "[0]: an array of 3 items is longer than the limit of 2"),
        ('"abcd"', "<document>: a string of 4 characters is longer than the limit of 3"),
    ]:
        with pytest.raises(hb.InventoryError) as info:
            hb.inventory.load_document(text, limits=limits)
        assert str(info.value) == message
    assert hb.inventory.load_document('{"abc": [1, 2]}', limits=limits) == {"abc": [1, 2]}


def test_an_error_keeps_the_first_problems_and_counts_the_rest() -> None:
    """300,000 bad VMs once made 300,003 lines of errors (24 MB) and 1.45 GB of memory."""
    bad = {**HOST, "vms": [{"name": f"VM{n}", "state": "on"} for n in range(1000)]}
    with pytest.raises(hb.InventoryError) as info:
        hb.parse_inventory(json.dumps(bad))
    error = info.value
    assert len(error.problems) == hb.inventory.MAX_PROBLEMS == 200
    assert error.count == 1000
    assert error.problems[0].path == "vms[0].state"
    lines = str(error).splitlines()
    assert len(lines) == 201
    assert lines[-1] == "... and 800 more problems"
    assert hb.inventory.problem_lines(error) == lines
