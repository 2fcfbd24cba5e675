"""The quick and the careful way of reading an inventory agree on every document.

:mod:`hyperv_backup.inventory._quick` builds the model straight from a valid document
and gives up on anything else; :mod:`hyperv_backup.inventory._careful` then reports the
problems. :func:`paths_agree` states the contract, and the fuzz tests call it
on every generated mapping as well.
"""

from __future__ import annotations

import copy
import enum
import json
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import hyperv_backup as hb
from hyperv_backup.inventory import DEFAULT_LIMITS, _careful, _quick
from tests.inventory._shared_inventory import (
    BAD_DOCUMENTS,
    _cluster_document,
    _edited,
    mutated_documents,
)
from tests.strategies import inventories

_KINDS: dict[str, type[hb.Host] | type[hb.Cluster]] = {"host": hb.Host, "cluster": hb.Cluster}


def paths_agree(document: Mapping[str, Any]) -> hb.Host | hb.Cluster | None:
    """Assert that both paths accept ``document`` with equal results, or both refuse it.

    Only JSON values are expected (dicts, lists, strings, numbers, booleans,
    null): those are what a parsed document holds. Returns the inventory, or
    ``None`` when it was refused (or its ``kind`` is not one the two paths see).
    """
    kind = document.get("kind")
    cls = _KINDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        return None
    fields = {key: value for key, value in document.items() if key != "kind"}
    # Both kinds of quick builder: the loop for small documents, the written-out
    # one for large documents.
    built: list[hb.Host | hb.Cluster | None] = []
    for kind in (False, True):
        try:
            built.append(_quick.build(fields, cls, DEFAULT_LIMITS.max_string, written=kind))
        except _quick.GiveUp:
            built.append(None)
    quick, written = built
    try:
        careful: hb.Host | hb.Cluster | None = _careful.structure(fields, cls)
    except hb.InventoryError:
        careful = None
    assert quick == careful, (quick, careful)
    assert written == careful, (written, careful)
    return quick


def _give_up(document: Mapping[str, Any], limit: int = DEFAULT_LIMITS.max_string) -> None:
    cls = _KINDS[document["kind"]]
    fields = {key: value for key, value in document.items() if key != "kind"}
    for written in (False, True):
        with pytest.raises(_quick.GiveUp):
            _quick.build(fields, cls, limit, written=written)


# --- valid documents: the quick path builds what the careful path builds --------------------


@pytest.mark.parametrize("name", hb.example_names())
def test_examples_agree(name: str) -> None:
    document = hb.dump_inventory(hb.load_example(name))
    assert paths_agree(document) == hb.load_example(name)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inventories())
def test_valid_inventories_agree(inventory: hb.Host | hb.Cluster) -> None:
    assert paths_agree(hb.dump_inventory(inventory)) == inventory


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents())
def test_changed_documents_agree(document: dict[str, Any]) -> None:
    paths_agree(document)


def test_a_valid_document_never_reaches_the_careful_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a valid inventory costs no careful pass (and no converter set-up)."""

    def refuse(*_: object) -> None:
        raise AssertionError("the careful path ran on a valid document")

    monkeypatch.setattr(_careful, "structure", refuse)
    for name in hb.example_names():
        document = hb.dump_inventory(hb.load_example(name))
        assert hb.parse_inventory(document) == hb.load_example(name)
        assert hb.parse_inventory(json.dumps(document)) == hb.load_example(name)


def test_omitted_and_null_optional_fields_are_the_same() -> None:
    document = _cluster_document()
    explicit = _edited("cluster", ("nodes[0].vms[0].disks[0].vhd_type", None))
    del document["nodes"][0]["vms"][0]["disks"][0]["vhd_type"]
    assert paths_agree(document) == paths_agree(explicit) is not None


def test_non_ascii_names_are_read_quickly() -> None:
    document = _edited("cluster", ("nodes[1].vms[0].name", "Sunucu-Ölçüm-東京"))
    inventory = paths_agree(document)
    assert isinstance(inventory, hb.Cluster)
    assert inventory.nodes[1].vms[0].name == "Sunucu-Ölçüm-東京"


# --- anything unusual: the quick path gives up, the careful path says why -------------------


def _reaches_the_paths(edits: list[tuple[str, object]]) -> bool:
    # A document whose kind is missing or unknown is refused before either path runs.
    kind = dict(edits).get("kind", "cluster")
    return isinstance(kind, str) and kind in _KINDS


@pytest.mark.parametrize(
    ("base", "edits"),
    [
        pytest.param(*case.values[:2], id=case.id)
        for case in BAD_DOCUMENTS
        if _reaches_the_paths(case.values[1])  # type: ignore[arg-type]
    ],
)
def test_every_bad_document_is_given_up(base: str, edits: list[tuple[str, object]]) -> None:
    """Each refusal of the inventory tests is also a refusal of the quick path."""
    document = _edited(base, *edits)
    _give_up(document)
    assert paths_agree(document) is None


@pytest.mark.parametrize(
    ("path", "value"),
    [
        pytest.param("nodes[0].vms[0].name", "bad \ud800 half", id="lone-surrogate"),
        pytest.param("nodes[0].vms[0].disks[0].volumes", {"name": "C:"}, id="object-for-array"),
        pytest.param("nodes[0].vms[0].cluster_group", [], id="array-for-object"),
        pytest.param("nodes[0].vms[0].state", ["running"], id="array-for-enum"),
        pytest.param("nodes[0].vms[0].state", "Running", id="enum-spelling"),
        pytest.param("nodes[0].virtual_networks[0].vlan_id", 20.0, id="float-for-int"),
        pytest.param("nodes[0].vms[0].guest_inventoried", 1, id="int-for-bool"),
        pytest.param("nodes[0].vms[0].snapshots", ["ok", 3], id="number-in-string-array"),
    ],
)
def test_unusual_values_are_given_up(path: str, value: object) -> None:
    document = _edited("cluster", (path, value))
    _give_up(document)
    assert paths_agree(document) is None


def test_the_string_limit_is_the_one_given() -> None:
    document = _edited("cluster", ("name", "x" * 50))
    fields = {key: value for key, value in document.items() if key != "kind"}
    assert _quick.build(fields, hb.Cluster, 50).name == "x" * 50
    _give_up(document, limit=49)


class _Name(str):
    __slots__ = ()


class _Spelling(enum.StrEnum):
    RUNNING = "running"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        pytest.param("nodes[1].vms[0].name", _Name("SQL-NEW"), id="str-subclass"),
        pytest.param("nodes[1].vms[0].state", _Spelling.RUNNING, id="enum-member-of-another-enum"),
        pytest.param(
            "nodes[1].vms[0].disks",
            ({"name": "D0", "attachment": "guest_iscsi"},),
            id="tuple-for-array",
        ),
    ],
)
def test_python_values_a_json_document_cannot_hold_take_the_careful_path(
    path: str, value: object
) -> None:
    """A mapping built in Python may hold what JSON cannot: read correctly, just not quickly."""
    document = _edited("cluster", (path, value))
    _give_up(document)
    inventory = hb.parse_inventory(document)
    plain = json.loads(json.dumps(document))
    assert inventory == hb.parse_inventory(plain) == paths_agree(plain)


def test_a_mapping_that_is_not_a_dict_takes_the_careful_path() -> None:
    class Frozen(Mapping[str, Any]):
        def __init__(self, items: dict[str, Any]) -> None:
            self._items = items

        def __getitem__(self, key: str) -> Any:
            return self._items[key]

        def __iter__(self) -> Any:
            return iter(self._items)

        def __len__(self) -> int:
            return len(self._items)

    document = copy.deepcopy(_cluster_document())
    document["nodes"][0]["backup_application"] = Frozen(document["nodes"][0]["backup_application"])
    _give_up(document)
    assert hb.parse_inventory(document) == hb.parse_inventory(_cluster_document())


def test_running_out_of_memory_is_an_inventory_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def exhausted(*_: object, **__: object) -> None:
        raise MemoryError

    monkeypatch.setattr(_quick, "build", exhausted)
    with pytest.raises(hb.InventoryError, match="does not fit in memory"):
        hb.parse_inventory(_cluster_document())


def test_a_large_document_is_read_by_the_written_builders(monkeypatch: pytest.MonkeyPatch) -> None:
    """From a number of VMs on, the written-out builders read; both kinds build the same."""
    expected = hb.load_example("cluster")
    document = hb.dump_inventory(expected)
    chosen: list[bool] = []
    real = _quick.builders

    def watched(max_string: int, *, written: bool = False) -> dict[type, Any]:
        chosen.append(written)
        return real(max_string, written=written)

    monkeypatch.setattr(_quick, "builders", watched)
    small = hb.parse_inventory(document)
    monkeypatch.setattr(_quick, "WRITTEN_FROM_VMS", 9)  # the example's VMs
    large = hb.parse_inventory(json.dumps(document))
    assert chosen == [False, True]
    assert small == large == expected


@pytest.mark.parametrize(
    ("fields", "cls", "count"),
    [
        ({"vms": [{}, {}]}, hb.Host, 2),
        ({"vms": "x"}, hb.Host, 0),
        ({"nodes": [{"vms": [{}]}, "x", {"vms": [{}, {}]}]}, hb.Cluster, 3),
        ({"nodes": {"vms": []}}, hb.Cluster, 0),
    ],
)
def test_the_vms_are_counted_without_reading_the_document(
    fields: dict[str, Any], cls: type[hb.Host] | type[hb.Cluster], count: int
) -> None:
    assert _quick._vm_count(fields, cls) == count


def test_a_factory_default_is_refused_by_both_builders() -> None:
    import attrs

    @attrs.frozen
    class WithFactory:
        items: list[str] = attrs.field(factory=list)

        def _check(self, *, typed: bool) -> None:
            pass

    for make in (_quick._model, _quick._written_model):
        with pytest.raises(TypeError, match="factory default"):
            make(WithFactory, lambda _: lambda value: value)
