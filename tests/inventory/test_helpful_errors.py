"""Errors that help: the word that was meant, where the problem is in the file, ``$schema``.

What helps is worked out only once a document has been refused; a valid one
is read as fast as before.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs
import pytest

import hyperv_backup as hb
from hyperv_backup.inventory import (
    INVENTORY_SCHEMA,
    InventoryError,
    Problem,
    _careful,
    _positions,
    parse_inventory,
    read_inventory,
    with_positions,
    with_schema,
)

HEAD = '"kind": "host", "name": "HV01", "os": "windows_server_2022"'


def _host(text: str) -> hb.Host:
    host = parse_inventory(text)
    assert isinstance(host, hb.Host)
    return host


def _problems(text: str) -> list[str]:
    with pytest.raises(InventoryError) as caught:
        parse_inventory(text)
    return [str(p) for p in caught.value.problems]


# --- did you mean ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "meant"),
    [("Running", "running"), ("RUNNING", "running"), ("Off", "off"), ("runing", "running")],
)
def test_an_enum_value_in_another_case_or_misspelt_names_the_one_meant(
    state: str, meant: str
) -> None:
    """PowerShell's ``Running`` is refused, and the error says ``running`` was meant."""
    (problem,) = _problems(f'{{{HEAD}, "vms": [{{"name": "A", "state": "{state}"}}]}}')
    assert problem.startswith("vms[0].state: expected one of 'running'")
    assert problem.endswith(f"got {state!r}; did you mean {meant!r}?")


def test_an_enum_value_spelt_with_spaces_or_dashes_names_the_one_meant() -> None:
    (problem,) = _problems('{"kind": "host", "name": "HV01", "os": "Windows Server 2012 R2"}')
    assert problem.endswith("did you mean 'windows_server_2012_r2'?")


def test_a_value_like_none_of_them_names_none() -> None:
    (problem,) = _problems(f'{{{HEAD}, "vms": [{{"name": "A", "state": "on"}}]}}')
    assert "did you mean" not in problem


@pytest.mark.parametrize(
    ("key", "meant"), [("State", "state"), ("stat", "state"), ("Name", "name")]
)
def test_a_misspelt_field_names_the_one_meant(key: str, meant: str) -> None:
    """``State`` (PowerShell's casing) and ``stat`` are unknown fields that name ``state``."""
    problems = _problems(f'{{{HEAD}, "vms": [{{"name": "A", "state": "off", "{key}": 1}}]}}')
    assert f"vms[0].{key}: unknown field; did you mean {meant!r}?" in problems


def test_a_field_like_none_names_none() -> None:
    assert _problems(f'{{{HEAD}, "colour": "blue"}}') == ["colour: unknown field"]


def test_kind_in_another_case_names_the_one_meant() -> None:
    assert _problems('{"kind": "Cluster", "name": "C1"}') == [
        "kind: expected 'host' or 'cluster', got a string 'Cluster'; did you mean 'cluster'?"
    ]
    assert _problems('{"Kind": "host", "name": "HV01"}') == [
        "kind: required field missing: 'host' or 'cluster' ('Kind' is no field; did you mean 'kind'?)"
    ]


def test_a_valid_inventory_never_looks_for_the_word_meant(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suggestions cost nothing on valid input: they are not even looked for."""

    def refused(*_: Any) -> str:
        raise AssertionError("looked for a word on a valid inventory")

    monkeypatch.setattr(_careful, "_did_you_mean", refused)
    monkeypatch.setattr(_positions, "position", refused)
    for name in hb.example_names():
        text = json.dumps(hb.dump_inventory(hb.load_example(name)))
        assert parse_inventory(text) == hb.load_example(name)


# --- $schema ---------------------------------------------------------------------------


def test_schema_is_accepted_at_the_top_and_not_kept() -> None:
    """An editor's ``$schema`` is no field: the inventory reads as without it."""
    plain = parse_inventory(f"{{{HEAD}}}")
    assert parse_inventory(f'{{"$schema": "./inventory.schema.json", {HEAD}}}') == plain
    assert "$schema" not in hb.dump_inventory(plain)
    cluster = hb.dump_inventory(hb.load_example("cluster"))
    assert parse_inventory(with_schema(cluster)) == hb.load_example("cluster")


def test_schema_must_be_a_string_and_only_at_the_top() -> None:
    assert _problems(f'{{"$schema": 1, {HEAD}}}') == [
        "$schema: expected the address of a JSON Schema (a string), got a number 1"
    ]
    nested = f'{{{HEAD}, "vms": [{{"$schema": "x", "name": "A", "state": "off"}}]}}'
    assert _problems(nested) == ["vms[0].$schema: unknown field"]


def test_with_schema_puts_it_first() -> None:
    document = with_schema({"$schema": "old", "kind": "host"})
    assert document == {"$schema": INVENTORY_SCHEMA, "kind": "host"}
    assert list(document) == ["$schema", "kind"]


# --- line and column -------------------------------------------------------------------

FILE = """{
  "kind": "host",
  "name": "HV01",
  "os": "windows_server_2022",
  "vms": [
    {"name": "A", "state": "off"},
    {"name": "B",
     "State": "Running"}
  ]
}
"""


def test_read_inventory_says_the_line_and_column_of_each_problem(tmp_path: Path) -> None:
    path = tmp_path / "host.json"
    path.write_text(FILE, encoding="utf-8")
    with pytest.raises(InventoryError) as caught:
        read_inventory(path)
    missing, unknown = caught.value.problems
    assert (missing.path, missing.line, missing.column) == ("vms[1].state", 7, 5)
    assert (unknown.path, unknown.line, unknown.column) == ("vms[1].State", 8, 6)
    assert str(unknown) == "vms[1].State: unknown field; did you mean 'state'? (line 8, column 6)"


def test_the_position_counts_from_after_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "host.json"
    path.write_bytes(FILE.encode("utf-16"))
    with pytest.raises(InventoryError) as caught:
        read_inventory(path)
    assert [(p.line, p.column) for p in caught.value.problems] == [(7, 5), (8, 6)]


def test_positions_do_not_change_what_a_problem_is() -> None:
    """Problems compare by path and message; the position is extra."""
    assert Problem("a", "b", line=1, column=2) == Problem("a", "b")
    error = InventoryError([Problem("", "whole"), Problem("nowhere[3]", "gone")])
    located = with_positions(error, FILE)
    assert [str(p) for p in located.problems] == ["<document>: whole", "nowhere[3]: gone"]
    assert with_positions(error, b"\xff\xfe\xff").problems == error.problems


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("kind", (2, 3)),
        ("vms[0]", (6, 5)),
        ("vms[1].name", (7, 6)),
        ("vms[0].disks", (6, 5)),  # left out: the object that lacks it
        ("vms[2]", None),
        ("vms[0].state.x", None),
        ("name[0]", None),
        ("", None),
        ("a..b", None),
    ],
)
def test_position(path: str, where: tuple[int, int] | None) -> None:
    assert _positions.position(FILE, path) == where


def test_position_in_text_cut_short_is_none() -> None:
    assert _positions.position('{"vms": [{"name": "A"', "vms[1]") is None
    assert _positions.position('{"a": [1, 2', "a[5]") is None


# --- collected_at ----------------------------------------------------------------------


def test_collected_at_is_read_and_written_back() -> None:
    host = _host(f'{{{HEAD}, "collected_at": "2024-05-06T21:14:07.564Z"}}')
    assert host.collected_at == datetime(2024, 5, 6, 21, 14, 7, 564000, tzinfo=UTC)
    document = hb.dump_inventory(host)
    assert document["collected_at"] == "2024-05-06T21:14:07.564000Z"
    assert parse_inventory(document) == host


def test_collected_at_keeps_its_zone_and_reads_none_as_utc() -> None:
    zoned = _host(f'{{{HEAD}, "collected_at": "2024-05-06T23:14:07+02:00"}}')
    assert zoned.collected_at == datetime(2024, 5, 6, 21, 14, 7, tzinfo=UTC)
    assert zoned.collected_at is not None
    assert zoned.collected_at.utcoffset() == timedelta(hours=2)
    assert hb.dump_inventory(zoned)["collected_at"] == "2024-05-06T23:14:07+02:00"
    naive = _host(f'{{{HEAD}, "collected_at": "2024-05-06T21:14:07"}}')
    assert naive.collected_at == datetime(2024, 5, 6, 21, 14, 7, tzinfo=UTC)


def _without_collected_at(target: hb.Host | hb.Cluster) -> hb.Host | hb.Cluster:
    if isinstance(target, hb.Cluster):
        nodes = [attrs.evolve(node, collected_at=None) for node in target.nodes]
        return attrs.evolve(target, nodes=nodes)
    return attrs.evolve(target, collected_at=None)


def test_an_inventory_without_collected_at_is_written_as_before() -> None:
    """An example whose hosts do not say when they were collected is written without the key."""
    for name in hb.example_names():
        target = _without_collected_at(hb.load_example(name))
        assert "collected_at" not in json.dumps(hb.dump_inventory(target))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            '"yesterday"',
            "expected a date and time in ISO 8601, such as '2024-05-06T21:14:07Z', got 'yesterday'",
        ),
        (
            "5",
            "expected a date and time as a string, such as '2024-05-06T21:14:07Z', got a number 5",
        ),
        (json.dumps("2024-05-06T21:14:07Z" + " " * 60), "expected a date and time in ISO 8601"),
    ],
)
def test_collected_at_that_is_no_time_is_refused(value: str, message: str) -> None:
    (problem,) = _problems(f'{{{HEAD}, "collected_at": {value}}}')
    assert problem.startswith(f"collected_at: {message}")


def test_collected_at_in_python() -> None:
    """A model built in Python takes a datetime; one without a zone is UTC."""
    host = hb.Host(name="HV01", os=hb.HostOS.WINDOWS_SERVER_2022, collected_at=datetime(2024, 5, 6))
    assert host.collected_at == datetime(2024, 5, 6, tzinfo=UTC)
    east = timezone(timedelta(hours=9))
    assert hb.Host(
        name="HV01",
        os=hb.HostOS.WINDOWS_SERVER_2022,
        collected_at=datetime(2024, 5, 6, tzinfo=east),
    ).collected_at == datetime(2024, 5, 6, tzinfo=east)
    with pytest.raises(hb.ModelError, match="collected_at: expected a date and time, got '2024'"):
        hb.Host(name="HV01", os=hb.HostOS.WINDOWS_SERVER_2022, collected_at="2024")  # type: ignore[arg-type]
