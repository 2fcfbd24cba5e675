"""The command line reads an input as the library reads it, and a collector's document as before.

It reads an inventory straight from its bytes with ``parse_inventory``, and
parses a refused document again only to find whether a collector printed it.
The oracle is the way it read every input before: parsed into a mapping,
asked for its ``collector`` key, then read from that mapping.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import hyperv_backup as hb
from hyperv_backup.cli._io import _inventory
from hyperv_backup.collect import from_documents
from hyperv_backup.collect.kinds import collector_kind
from hyperv_backup.inventory import load_document
from tests.inventory._shared_inventory import BAD_DOCUMENTS, _edited, mutated_documents

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "collect"


def _as_before(data: bytes) -> hb.Host | hb.Cluster:
    document = load_document(data)
    if collector_kind(document) is not None:
        return from_documents([document])
    return hb.parse_inventory(document)


def _outcome(read: Any, data: bytes) -> object:
    """Return what reading ``data`` gives: the inventory, or the problems it was refused for."""
    try:
        return read(data)
    except hb.InventoryError as exc:
        return [str(problem) for problem in exc.problems]


def _assert_read_as_before(data: bytes) -> None:
    assert _outcome(_inventory, data) == _outcome(_as_before, data)


@pytest.mark.parametrize(
    "base_and_edits",
    [pytest.param(case.values[:2], id=case.id) for case in BAD_DOCUMENTS],
)
def test_bad_inventories_are_refused_in_the_same_words(base_and_edits: Any) -> None:
    base, edits = base_and_edits
    _assert_read_as_before(json.dumps(_edited(base, *edits)).encode("utf-8"))


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b'{"kind": "host", "name": "A", "name": "B"}', id="duplicate-key"),
        pytest.param(b'{"kind": "host", "name": NaN}', id="nan"),
        pytest.param(b'{"kind": "host",', id="cut-short"),
        pytest.param(b"[1, 2]", id="array"),
        pytest.param(b"\xff\xfe{\x00}\x00", id="utf-16-empty-object"),
        pytest.param(b"\xc3\x28", id="not-utf-8"),
        pytest.param(b'{"collector": "hyperv_backup.future/9"}', id="unknown-collector"),
        pytest.param(b'{"Collector": 3, "kind": "host"}', id="collector-not-a-string"),
    ],
)
def test_flawed_documents_are_refused_in_the_same_words(data: bytes) -> None:
    _assert_read_as_before(data)


@pytest.mark.parametrize(
    "inner", [b'"host"', json.dumps(json.dumps(hb.dump_inventory(hb.load_example("host"))))]
)
def test_a_document_that_is_a_string_is_refused_as_the_library_refuses_it(
    inner: bytes | str,
) -> None:
    """A JSON string is not an inventory, even one that holds the text of an inventory.

    The command line used to read the text such a string holds, as no other
    reader did; it now refuses it as read_inventory does.
    """
    data = inner if isinstance(inner, bytes) else inner.encode("utf-8")
    expected = _outcome(hb.parse_inventory, data)
    assert isinstance(expected, list)
    assert expected[0].startswith("<document>: expected a JSON object, got a string")
    assert _outcome(_inventory, data) == expected


@pytest.mark.parametrize("name", ["standalone-ps7.json", "cluster-node1-ps51.json"])
def test_a_host_collector_document_is_read_as_before(name: str) -> None:
    data = (FIXTURES / name).read_bytes()
    _assert_read_as_before(data)


@pytest.mark.parametrize("name", ["guest-app01-ps51.json"])
def test_a_guest_collector_document_alone_is_refused_as_before(name: str) -> None:
    data = (FIXTURES / name).read_bytes()
    outcome = _outcome(_inventory, data)
    assert isinstance(outcome, list)
    _assert_read_as_before(data)


@pytest.mark.parametrize("name", hb.example_names())
def test_the_examples_are_read_as_before(name: str) -> None:
    data = json.dumps(hb.dump_inventory(hb.load_example(name))).encode("utf-8")
    assert _inventory(data) == hb.load_example(name)
    _assert_read_as_before(data)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents())
def test_changed_documents_are_read_as_before(document: dict[str, Any]) -> None:
    _assert_read_as_before(json.dumps(document).encode("utf-8"))
