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
import linecache
import traceback
from collections.abc import Callable, Mapping
from typing import Any, cast

import attrs
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
    try:
        quick: hb.Host | hb.Cluster | None = _quick.build(fields, cls, DEFAULT_LIMITS.max_string)
    except _quick.GiveUp:
        quick = None
    try:
        careful: hb.Host | hb.Cluster | None = _careful.structure(fields, cls)
    except hb.InventoryError:
        careful = None
    # Equal attrs objects are of the same class: no object is left as the
    # builder's stand-in (see _quick._stand_in).
    assert quick == careful, (quick, careful)
    return quick


def _give_up(document: Mapping[str, Any], limit: int = DEFAULT_LIMITS.max_string) -> None:
    cls = _KINDS[document["kind"]]
    fields = {key: value for key, value in document.items() if key != "kind"}
    with pytest.raises(_quick.GiveUp):
        _quick.build(fields, cls, limit)


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
        pytest.param("nodes[0].vms[0].snapshots", ["ok", "\udc00"], id="surrogate-in-string-array"),
        pytest.param("nodes[0].vms[0].snapshots", ["ok", "x" * 40_000], id="long-in-string-array"),
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


def test_every_object_read_is_of_its_own_class() -> None:
    """The builders set slots through a stand-in class; what they return is the model's."""
    cluster = _quick.build(
        {key: value for key, value in _cluster_document().items() if key != "kind"},
        hb.Cluster,
        DEFAULT_LIMITS.max_string,
    )
    found: list[type] = []
    stack: list[object] = [cluster]
    while stack:
        item = stack.pop()
        found.append(type(item))
        for name in attrs.fields_dict(cast("type[attrs.AttrsInstance]", type(item))):
            value = getattr(item, name)
            if isinstance(value, tuple):
                stack.extend(v for v in value if attrs.has(type(v)))
            elif attrs.has(type(value)):
                stack.append(value)
    assert set(found) == {
        hb.Cluster,
        hb.Host,
        hb.VM,
        hb.Disk,
        hb.Volume,
        hb.NetworkAdapter,
        hb.ClusterGroup,
        hb.VirtualNetwork,
        hb.BackupApplication,
    }


def test_a_traceback_through_a_builder_shows_its_source(monkeypatch: pytest.MonkeyPatch) -> None:
    """The builders' source is in linecache, under a name that says which class each builds."""

    def broken(self: object, *, typed: bool) -> None:
        raise RuntimeError("a check that fails unexpectedly")

    _quick.builders.cache_clear()
    monkeypatch.setattr(hb.Volume, "_check", broken)
    try:
        with pytest.raises(RuntimeError) as caught:
            hb.parse_inventory(_cluster_document())
    finally:
        _quick.builders.cache_clear()
    text = "".join(traceback.format_exception(caught.value))
    assert f'File "{_quick.source_name(hb.Volume)}"' in text
    assert "<quick builder of hyperv_backup.model.vm.Volume>" in text
    # The line that failed, and those of the other builders it was called from.
    assert "_check(built, typed=True)" in text
    assert "built.volumes = tuple(map(" in text
    lines = linecache.getlines(_quick.source_name(hb.Disk))
    assert any("item = value.get('attachment')" in line for line in lines)


class _Check:
    """What the builders ask of a class besides its fields: a ``_check`` method."""

    __slots__ = ()

    def _check(self, *, typed: bool) -> None:
        pass


@attrs.frozen(kw_only=True)
class _Inner(_Check):
    name: str


@attrs.frozen(kw_only=True)
class _Every(_Check):
    """One field of each kind the model does not use (yet)."""

    label: str | None
    count: int = 3
    items: tuple[_Inner, ...] | None = None
    inner: _Inner


def _every_builder() -> Callable[[Any], Any]:
    def convert_for(hint: Any) -> Callable[[Any], Any]:
        assert hint is _Inner
        return _quick._builder(_Inner, convert_for, 10)

    return _quick._builder(_Every, convert_for, 10)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param(
            {"label": None, "inner": {"name": "a"}},
            _Every(label=None, inner=_Inner(name="a")),
            id="defaults",
        ),
        pytest.param(
            {"label": "x", "count": 5, "items": [{"name": "b"}], "inner": {"name": "a"}},
            _Every(label="x", count=5, items=(_Inner(name="b"),), inner=_Inner(name="a")),
            id="every-field",
        ),
        pytest.param({"inner": {"name": "a"}}, None, id="required-null-left-out"),
        pytest.param({"label": None}, None, id="required-object-left-out"),
        pytest.param({"label": None, "inner": None}, None, id="required-object-null"),
        pytest.param(
            {"label": None, "inner": {"name": "a"}, "items": {}}, None, id="object-for-array"
        ),
        pytest.param({"label": 3, "inner": {"name": "a"}}, None, id="number-for-string"),
        pytest.param(
            {"label": None, "count": "3", "inner": {"name": "a"}}, None, id="string-for-int"
        ),
        pytest.param({"label": "x" * 11, "inner": {"name": "a"}}, None, id="over-the-limit"),
    ],
)
def test_every_kind_of_field_is_read(fields: dict[str, Any], expected: _Every | None) -> None:
    build = _every_builder()
    if expected is None:
        with pytest.raises(_quick.GiveUp):
            build(fields)
    else:
        assert build(fields) == expected


@pytest.mark.parametrize(
    ("default", "message"),
    [
        pytest.param(attrs.Factory(list), "factory default", id="factory"),
        pytest.param(("a",), "default JSON cannot spell", id="collection"),
        pytest.param(1.5, "default JSON cannot spell", id="float"),
    ],
)
def test_a_default_json_cannot_spell_is_refused(default: object, message: str) -> None:
    @attrs.frozen
    class WithDefault(_Check):
        items: tuple[str, ...] = attrs.field(default=default)

    with pytest.raises(TypeError, match=message):
        _quick._builder(WithDefault, lambda _: lambda value: value, 10)
