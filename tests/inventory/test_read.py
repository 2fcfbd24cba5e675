"""Reading and writing inventories: examples, round trips, files.

Reading is strict and total: any input that is not a valid inventory raises
:class:`InventoryError` (a ``ValueError``) whose ``path`` and message name the
place, and never any other exception. Writing gives every field, sets sorted,
so that one model always gives one document.
"""

from __future__ import annotations

import codecs
import json
import types
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hyperv_backup import (
    Cluster,
    Host,
    HostOS,
    InventoryError,
    dump_inventory,
    example_names,
    load_example,
    parse_inventory,
    read_inventory,
)
from hyperv_backup.examples import example_text
from hyperv_backup.inventory import Problem
from hyperv_backup.inventory._careful import LATER_FIELDS, WRITTEN_WHEN_SET
from tests.inventory._shared_inventory import (
    _UNICODE_DOCUMENT,
    _edited,
    _error,
    _host_document,
    _json_values,
    _powershell_text,
    _steps,
    mutated_documents,
)
from tests.strategies import inventories

# --- the bundled examples and round trips ----------------------------------------------


@pytest.mark.parametrize("name", ["cluster", "host"])
def test_example_round_trip(name: str) -> None:
    """dump_inventory is the inverse of parse_inventory on the bundled examples."""
    inventory = load_example(name)
    assert isinstance(inventory, Cluster if name == "cluster" else Host)
    dumped = dump_inventory(inventory)
    assert parse_inventory(dumped) == inventory
    assert parse_inventory(json.dumps(dumped)) == inventory


@pytest.mark.parametrize("name", sorted(example_names()))
def test_example_files_are_written_in_full(name: str) -> None:
    """The example files hold exactly what dump_inventory writes: every field, sets sorted."""
    assert dump_inventory(load_example(name)) == json.loads(example_text(name))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inventories())
def test_round_trip(inventory: Host | Cluster) -> None:
    """parse_inventory(dump_inventory(x)) == x, from the mapping and from its JSON text."""
    dumped = dump_inventory(inventory)
    assert parse_inventory(dumped) == inventory
    text = json.dumps(dumped)
    assert parse_inventory(text) == inventory
    assert parse_inventory(text.encode("utf-8")) == inventory


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inventories())
def test_dump_is_deterministic(inventory: Host | Cluster) -> None:
    """Equal models give byte-identical JSON, even when built separately (sets are sorted)."""
    first = json.dumps(dump_inventory(inventory), sort_keys=False)
    rebuilt = parse_inventory(json.loads(first))
    assert rebuilt == inventory
    assert json.dumps(dump_inventory(rebuilt), sort_keys=False) == first
    assert json.dumps(dump_inventory(inventory), sort_keys=False) == first
    nodes = inventory.nodes if isinstance(inventory, Cluster) else (inventory,)
    dumped_nodes = (
        dump_inventory(inventory)["nodes"]
        if isinstance(inventory, Cluster)
        else [dump_inventory(inventory)]
    )
    for node, dumped in zip(nodes, dumped_nodes, strict=True):
        assert dumped["installed_updates"] == sorted(node.installed_updates)


def test_installed_updates_written_sorted() -> None:
    """installed_updates is written sorted, whatever the order or case it was given in."""
    updates = [f"KB{n}" for n in range(958100, 958300, 7)]
    forward = Host(name="HV", os=HostOS.WINDOWS_SERVER_2008_R2, installed_updates=updates)
    backward = Host(
        name="HV",
        os=HostOS.WINDOWS_SERVER_2008_R2,
        installed_updates=[u.lower() for u in reversed(updates)],
    )
    assert forward == backward
    assert dump_inventory(forward)["installed_updates"] == sorted(updates)
    assert json.dumps(dump_inventory(forward)) == json.dumps(dump_inventory(backward))


def _check_written_in_full(model: object, dumped: object, where: str) -> None:
    """Walk a model and its dump together: every attrs field is a key, values are plain JSON.

    The fields added for the later profiles, and ``collected_at``, are written
    only when they are not at their default, so that older inventories are
    written as before.
    """
    if attrs.has(type(model)):
        assert isinstance(dumped, dict), where
        later = (*LATER_FIELDS.get(type(model), ()), *WRITTEN_WHEN_SET.get(type(model), ()))
        names = [
            f.name
            for f in attrs.fields(type(model))  # type: ignore[arg-type]
            if f.name not in later or getattr(model, f.name) != f.default
        ]
        # The top level also carries the kind of inventory, first.
        expected = ["kind", *names] if where == "" else names
        assert list(dumped) == expected, where
        for name in names:
            _check_written_in_full(getattr(model, name), dumped[name], f"{where}.{name}")
    elif isinstance(model, tuple | frozenset):
        assert type(dumped) is list, where
        items = sorted(model) if isinstance(model, frozenset) else model
        assert len(dumped) == len(items), where
        for index, (item, written) in enumerate(zip(items, dumped, strict=True)):
            _check_written_in_full(item, written, f"{where}[{index}]")
    elif isinstance(model, datetime):
        # Times are written in ISO 8601, UTC with a Z.
        assert dumped == model.isoformat().replace("+00:00", "Z"), where
    else:
        # Enums are written as their plain string value, not as the member.
        assert type(dumped) in {str, int, bool, type(None)}, where
        assert dumped == model, where


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inventories())
def test_dump_writes_every_field(inventory: Host | Cluster) -> None:
    """dump_inventory writes every field of every object, defaults included, as plain JSON values."""
    dumped = dump_inventory(inventory)
    assert type(dumped) is dict
    assert next(iter(dumped)) == "kind"
    assert dumped["kind"] == ("cluster" if isinstance(inventory, Cluster) else "host")
    _check_written_in_full(inventory, dumped, "")


def test_dump_writes_defaults() -> None:
    """Fields left at their defaults are still written."""
    dumped = dump_inventory(parse_inventory(_host_document()))
    vm = dumped["vms"][0]
    assert vm["integration_services"] is True
    assert vm["cluster_group"] is None
    assert vm["snapshots"] == []
    assert vm["disks"][0]["guest_disk_type"] == "basic"
    assert vm["disks"][0]["host_storage"] == "local"
    assert dumped["installed_updates"] == []
    assert dumped["backup_application"] is None


# --- files -----------------------------------------------------------------------------


def test_read_inventory_str_and_path(tmp_path: Path) -> None:
    """read_inventory takes a str or a pathlib path and gives what parse_inventory gives."""
    file = tmp_path / "inventory.json"
    file.write_text(example_text("cluster"), encoding="utf-8")
    expected = load_example("cluster")
    assert read_inventory(file) == expected
    assert read_inventory(str(file)) == expected


def test_read_inventory_utf16_file(tmp_path: Path) -> None:
    """A file written by Windows PowerShell 5.1 (UTF-16 LE with a BOM, CRLF) is read."""
    file = tmp_path / "inventory.json"
    file.write_bytes(codecs.BOM_UTF16_LE + _powershell_text().encode("utf-16-le"))
    assert read_inventory(file) == parse_inventory(_UNICODE_DOCUMENT)


def test_read_inventory_missing_file(tmp_path: Path) -> None:
    """A missing file raises the usual OSError (FileNotFoundError), not InventoryError."""
    with pytest.raises(FileNotFoundError) as info:
        read_inventory(tmp_path / "missing.json")
    assert not isinstance(info.value, InventoryError)
    with pytest.raises(OSError, match="missing"):
        read_inventory(str(tmp_path / "missing.json"))


def test_read_inventory_directory(tmp_path: Path) -> None:
    """A path that cannot be read as a file (a directory) is an OSError too."""
    with pytest.raises(IsADirectoryError) as info:
        read_inventory(tmp_path)
    assert not isinstance(info.value, InventoryError)


def test_read_inventory_bad_content(tmp_path: Path) -> None:
    """Bad content in a file is an InventoryError with the path in the document."""
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(_edited("host", ("vms[0].state", "on"))), encoding="utf-8")
    with pytest.raises(InventoryError) as info:
        read_inventory(file)
    assert info.value.path == "vms[0].state"


# --- text and mapping agree ------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(example_names()))
def test_mapping_same_as_text(name: str) -> None:
    """Parsing an already-parsed mapping gives what parsing its text gives; any Mapping will do."""
    text = example_text(name)
    from_text = parse_inventory(text)
    assert parse_inventory(json.loads(text)) == from_text
    assert parse_inventory(types.MappingProxyType(json.loads(text))) == from_text
    assert parse_inventory(text.encode("utf-8")) == from_text


def test_error_wording() -> None:
    """The message shows the bad value with its JSON type, and the path is also on the problem."""
    error = _error(json.dumps(_edited("host", ("vms[0].integration_services", "false"))))
    assert error.problems == (Problem("vms[0].integration_services", error.problems[0].message),)
    assert "'false'" in error.problems[0].message
    assert "string" in error.problems[0].message
    assert str(error.problems[0]) == f"vms[0].integration_services: {error.problems[0].message}"
    assert str(Problem("", "bad")) == "<document>: bad"


# --- nothing but Host, Cluster or InventoryError -----------------------------------------


JSON_VALUES = _json_values(st.text(max_size=8))


def _parse_outcome(data: Any) -> Host | Cluster | InventoryError:
    """Parse, and return the inventory or the InventoryError; anything else propagates."""
    try:
        return parse_inventory(data)
    except InventoryError as error:
        outcome = error
    assert outcome.problems
    assert outcome.path == outcome.problems[0].path
    return outcome


@settings(max_examples=150, deadline=None)
@given(JSON_VALUES)
def test_any_json_value(value: Any) -> None:
    """Any JSON value, as text, bytes or (for objects) a mapping, gives an inventory or InventoryError."""
    text = json.dumps(value)
    from_text = _parse_outcome(text)
    _parse_outcome(text.encode("utf-8"))
    if isinstance(value, dict):
        from_mapping = _parse_outcome(value)
        assert type(from_mapping) is type(from_text)


@settings(max_examples=150, deadline=None)
@given(
    st.fixed_dictionaries(
        {"kind": st.sampled_from(["host", "cluster"])},
        optional=dict.fromkeys(
            ("name", "os", "vms", "virtual_networks", "installed_updates", "nodes"), JSON_VALUES
        ),
    )
)
def test_any_inventory_shaped_object(document: dict[str, Any]) -> None:
    """An object with a valid kind and arbitrary fields gives an inventory or InventoryError."""
    _parse_outcome(document)
    _parse_outcome(json.dumps(document))


def _resolves(document: Any, path: str) -> bool:
    """Whether everything up to the last step of ``path`` exists in ``document``."""
    current = document
    for step in _steps(path)[:-1]:
        in_object = isinstance(current, dict) and step in current
        in_array = isinstance(current, list) and isinstance(step, int) and step < len(current)
        if not (in_object or in_array):
            return False
        current = current[step]
    return True


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents())
def test_mutated_inventory(document: dict[str, Any]) -> None:
    """A valid inventory with one change gives an inventory or InventoryError whose paths exist.

    Its JSON text gives the same outcome as the mapping.
    """
    outcome = _parse_outcome(document)
    if isinstance(outcome, InventoryError):
        for problem in outcome.problems:
            assert _resolves(document, problem.path), problem
    try:
        text = json.dumps(document, allow_nan=False)
    except ValueError:
        return  # NaN has no JSON text; test_non_finite_numbers_rejected covers that text
    text_outcome = _parse_outcome(text)
    if isinstance(outcome, InventoryError):
        assert isinstance(text_outcome, InventoryError)
        assert text_outcome.problems == outcome.problems
    else:
        assert text_outcome == outcome


_BOM_PREFIXES = st.sampled_from(
    [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE]
)


@settings(max_examples=150, deadline=None)
@given(_BOM_PREFIXES, st.binary(max_size=64))
def test_any_bytes(prefix: bytes, data: bytes) -> None:
    """Any bytes, with or without a byte-order mark, give an inventory or InventoryError."""
    _parse_outcome(prefix + data)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=64))
def test_any_text(text: str) -> None:
    """Any str gives an inventory or InventoryError."""
    _parse_outcome(text)
