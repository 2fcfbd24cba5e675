"""Bad inventories: every problem named by its path.

Reading is strict and total: any input that is not a valid inventory raises
:class:`InventoryError` (a ``ValueError``) whose ``path`` and message name the
place, and never any other exception. Writing gives every field, sets sorted,
so that one model always gives one document.
"""

from __future__ import annotations

import json

import pytest

from hyperv_backup import (
    Cluster,
    Host,
    parse_inventory,
)
from hyperv_backup.inventory import Problem
from tests.inventory._shared_inventory import (
    BAD_DOCUMENTS,
    _cluster_document,
    _edited,
    _error,
    _host_document,
    _paths,
)

# --- documents and helpers -------------------------------------------------------------


# --- bad documents ---------------------------------------------------------------------


@pytest.mark.parametrize(("base", "edits", "path", "fragment"), BAD_DOCUMENTS)
def test_bad_document(base: str, edits: list[tuple[str, object]], path: str, fragment: str) -> None:
    """A bad document raises InventoryError whose path and message name the place and the fault.

    The same problems are reported for the JSON text, its UTF-8 bytes and the
    already-parsed mapping.
    """
    document = _edited(base, *edits)
    text = json.dumps(document, indent=2)
    error = _error(text)
    assert isinstance(error, ValueError)
    assert error.path == path
    assert error.problems[0].path == path
    assert fragment in error.problems[0].message
    if "kind" not in dict(edits):
        # One fault, one problem: nothing else in the document is blamed.
        assert len(error.problems) == 1, error.problems
    assert str(error).splitlines()[0] == f"{path or '<document>'}: {error.problems[0].message}"
    assert _error(text.encode("utf-8")).problems == error.problems
    assert _error(document).problems == error.problems


def test_base_documents_are_valid() -> None:
    """The documents the bad cases are made from are valid, so each case fails for its edit."""
    cluster = parse_inventory(_cluster_document())
    assert isinstance(cluster, Cluster)
    assert [n.name for n in cluster.nodes] == ["HV-NODE1", "HV-NODE2"]
    assert isinstance(parse_inventory(_host_document()), Host)


@pytest.mark.parametrize(
    ("text", "described"),
    [
        ("[]", "array"),
        ('[{"kind": "host"}]', "array"),
        ("42", "number"),
        ("-1.5", "number"),
        ('"host"', "string"),
        ("null", "null"),
        ("true", "boolean"),
    ],
)
def test_top_level_must_be_an_object(text: str, described: str) -> None:
    """A document that is not a JSON object is rejected at the document level (empty path)."""
    error = _error(text)
    assert error.path == ""
    assert "object" in str(error)
    assert described in str(error)
    assert str(error).startswith("<document>: ")


def test_empty_object_needs_kind() -> None:
    """An empty object lacks the top-level kind."""
    assert _error("{}").path == "kind"


# --- multiple problems -----------------------------------------------------------------


def test_all_problems_reported() -> None:
    """Independent problems in different places are all listed in .problems, one per line."""
    document = _edited(
        "cluster",
        ("nodes[0].vms[0].integration_services", "false"),
        ("nodes[0].virtual_networks[0].vlan_id", 5000),
        ("nodes[1].vms[0].disks[0].attachment", "usb"),
        ("nodes[1].zzz", 1),
    )
    error = _error(json.dumps(document))
    assert sorted(_paths(error)) == sorted(
        [
            "nodes[0].vms[0].integration_services",
            "nodes[0].virtual_networks[0].vlan_id",
            "nodes[1].vms[0].disks[0].attachment",
            "nodes[1].zzz",
        ]
    )
    assert error.path == error.problems[0].path
    lines = str(error).splitlines()
    assert lines == [f"{p.path}: {p.message}" for p in error.problems]
    assert all(isinstance(p, Problem) for p in error.problems)


def test_missing_top_level_fields_all_reported() -> None:
    """Every missing required field is reported, not only the first."""
    assert sorted(_paths(_error('{"kind": "host"}'))) == ["name", "os"]
    assert sorted(_paths(_error('{"kind": "cluster"}'))) == ["name", "nodes"]


def test_bad_enum_reported_beside_nested_problem() -> None:
    """A bad enum spelling is reported even when a nested object of the same VM is also bad.

    ``problems`` lists everything found wrong: an unknown state spelling is a
    fact about the VM's own field and does not depend on its disks.
    """
    document = _edited(
        "cluster",
        ("nodes[1].vms[0].state", "Running"),
        ("nodes[1].vms[0].disks[0].attachment", "usb"),
    )
    assert sorted(_paths(_error(json.dumps(document)))) == [
        "nodes[1].vms[0].disks[0].attachment",
        "nodes[1].vms[0].state",
    ]
