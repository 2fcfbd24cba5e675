"""Fuzzing the reader of policy files: any input gives a policy or InventoryError.

The parser checks every value before the model sees it, so that no
:class:`~hyperv_backup.model.ModelError` (nor anything else) escapes it: a
policy file that cannot be read is always reported with the path of its
problem. Documents are built with the file's own keys, holding values of
every type, blank and almost-valid ones among them; the bundled policy is
damaged byte by byte too.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from hyperv_backup import InventoryError
from hyperv_backup.examples import example_policy
from hyperv_backup.inventory import POLICY_SCHEMA, parse_policy
from hyperv_backup.model import ProtectionPolicy
from tests.fuzz._shared_fuzz import FUZZ, _check_problems

#: Values that are almost what a field takes: blanks, bounds, near-dates, rule IDs in any case.
_TRICKY_VALUES = [
    "",
    " ",
    "\u00a0",
    "\u2028",
    "\t\n",
    "7d",
    "0h",
    "1d12h",
    "3654d",
    "2027-01-31",
    "2027-02-30",
    " 2027-01-31",
    "HVB801",
    " hvb802 ",
    "HVB999",
    "LEGACY01",
    POLICY_SCHEMA,
    None,
    ["HVB801"],
]
_TRICKY = st.sampled_from(_TRICKY_VALUES)
_VALUES = st.one_of(
    _TRICKY,
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.lists(_TRICKY, max_size=2),
)


@st.composite
def _entry(draw: st.DrawFn, valid: dict[str, Any]) -> Any:
    """Return a valid entry with keys removed or values replaced, or now and then another value."""
    if draw(st.integers(0, 19)) == 0:
        return draw(_VALUES)
    entry = dict(valid)
    for key in draw(st.lists(st.sampled_from([*valid, "host", "owner"]), max_size=2)):
        change = draw(st.sampled_from(["remove", "tricky", "tricky", "any"]))
        if change == "remove":
            entry.pop(key, None)
        else:
            entry[key] = draw(_TRICKY if change == "tricky" else _VALUES)
    return entry


_MAX_AGE = {"vm": "GC-B1", "max_age": "2d", "reason": "weekly full"}
_EXCEPTION = {"vm": "LEGACY01", "rules": ["HVB801"], "reason": "retiring", "expires": "2027-01-31"}


@st.composite
def _documents(draw: st.DrawFn) -> dict[str, Any]:
    """Return a policy whose parts are mostly valid, each now and then not."""

    def mostly(valid: st.SearchStrategy[Any]) -> Any:
        return draw(valid if draw(st.integers(0, 5)) else _VALUES)

    document: dict[str, Any] = {}
    if draw(st.booleans()):
        document["$schema"] = mostly(st.just(POLICY_SCHEMA))
    if draw(st.booleans()):
        document["max_age"] = mostly(st.just("36h"))
    document["max_ages"] = mostly(st.lists(_entry(_MAX_AGE), max_size=3))
    document["exceptions"] = mostly(st.lists(_entry(_EXCEPTION), max_size=3))
    if draw(st.integers(0, 19)) == 0:
        document["colour"] = draw(_VALUES)
    return document


def _check(data: bytes | str) -> str:
    """Read ``data`` as a policy; return whether it was read or refused, with a path."""
    try:
        policy = parse_policy(data)
    except InventoryError as exc:
        _check_problems(exc, data)
        return "refused"
    assert isinstance(policy, ProtectionPolicy)
    return "read"


@FUZZ
@given(document=_documents())
def test_parse_policy_on_documents_of_its_own_keys(document: dict[str, Any]) -> None:
    """Any document of the policy's keys: a policy, or InventoryError with a path."""
    event(_check(json.dumps(document)))


@FUZZ
@given(
    edits=st.lists(
        st.tuples(st.integers(0, 2000), st.binary(min_size=0, max_size=3)), min_size=1, max_size=4
    )
)
def test_parse_policy_on_the_bundled_policy_damaged(edits: list[tuple[int, bytes]]) -> None:
    """The example's policy with bytes replaced, removed or inserted: read or refused."""
    data = bytearray(example_policy("cluster-2022").data)
    for where, replacement in edits:
        at = where % (len(data) + 1)
        data[at : at + 1] = replacement
    event(_check(bytes(data)))


@pytest.mark.parametrize(
    ("key", "valid"),
    [("max_ages", _MAX_AGE), ("exceptions", _EXCEPTION)],
)
def test_every_field_with_every_tricky_value(key: str, valid: dict[str, Any]) -> None:
    """Each field of an entry, left out or holding each almost-valid value: read or refused."""
    for field in [*valid, "host"]:
        without = {k: v for k, v in valid.items() if k != field}
        _check(json.dumps({key: [without]}))
        for value in _TRICKY_VALUES:
            _check(json.dumps({key: [{**valid, field: value}]}))
            # The exception that names its host alone, the VM left out.
            _check(json.dumps({key: [{**without, "host": value}]}))
    for value in _TRICKY_VALUES:
        _check(json.dumps({"max_age": value}))
