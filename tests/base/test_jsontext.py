"""The package's JSON text: ``json.dumps(indent=2, ensure_ascii=True)`` byte for byte, either encoder."""

from __future__ import annotations

import enum
import json
import os
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hyperv_backup._base import jsontext

#: The values documents hold: strings of any character, integers (some wider than
#: 64 bits), booleans and None, in dictionaries with string keys and in lists.
_scalars = st.one_of(
    st.text(),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.booleans(),
    st.none(),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(st.text(max_size=8), inner, max_size=5),
    ),
    max_leaves=40,
)


def _reference(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=True)


@given(_values)
def test_the_pure_writer_writes_what_json_dumps_writes(value: Any) -> None:
    assert jsontext.pure_json_text(value) == _reference(value)


@given(_values)
def test_json_text_writes_what_json_dumps_writes(value: Any) -> None:
    """Whichever encoder is in use: orjson's text, escaped, or the pure writer's."""
    reference = _reference(value)
    assert jsontext.json_text(value) == reference
    fast = jsontext._orjson_text()
    if fast is not None:  # what writes a large document
        assert fast(value) == reference


class _Colour(enum.StrEnum):
    RED = "red"


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        (),
        {"a": {}, "b": [], "c": [[]], "d": [{}]},
        ("tuple", 1, [2, (3,)]),
        {"float": 2.5, "list": [0.1, 1e100]},
        {1: "integer key", None: "null key"},
        {"big": 2**80, "small": -(2**80)},
        {"surrogate": "\ud800", "astral": "\U0001f600", "control": "\x00\x1f\x7f"},
        {"enum": _Colour.RED, "in a list": [_Colour.RED]},
        "top-level string",
        7,
        None,
    ],
    ids=repr,
)
def test_values_out_of_the_ordinary(value: object) -> None:
    """Keys that are no strings, lone surrogates, wide integers, subclasses: as json writes them."""
    assert jsontext.pure_json_text(value) == _reference(value)
    if not isinstance(value, dict) or "float" not in value:
        # orjson writes floats in a form of its own; documents hold none.
        large = [value] * jsontext.ORJSON_FROM
        assert jsontext.json_text(large) == _reference(large)


def test_an_object_json_cannot_write_is_refused_as_json_refuses_it() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        jsontext.pure_json_text({"a": [object()]})


def _run(code: str, env: dict[str, str]) -> str:
    completed = subprocess.run(  # noqa: S603 - this interpreter, our code
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return completed.stdout.strip()


_ENCODER = "from hyperv_backup._base import jsontext; print(jsontext.encoder())"


def test_the_variable_forces_the_pure_writer() -> None:
    env = {**os.environ, jsontext.PURE_PYTHON_VARIABLE: "1"}
    assert _run(_ENCODER, env) == "python"


def test_orjson_is_used_when_installed_and_not_refused() -> None:
    env = {k: v for k, v in os.environ.items() if k != jsontext.PURE_PYTHON_VARIABLE}
    pytest.importorskip("orjson")
    assert _run(_ENCODER, env) == "orjson"


def test_a_small_document_is_written_without_importing_orjson() -> None:
    """Importing orjson takes longer than writing a small document: a start-up is spared it."""
    code = (
        "import sys\n"
        "from hyperv_backup._base.jsontext import json_text\n"
        "json_text({'findings': [{'rule': 'HVB105'}] * 10})\n"
        "print('orjson' in sys.modules)\n"
    )
    assert _run(code, dict(os.environ)) == "False"


def test_the_size_of_a_document_counts_its_items_two_levels_deep() -> None:
    assert jsontext._items({"a": [1, 2, 3], "b": {"c": [1]}, "d": 1}) == 3 + 3 + 1
    assert jsontext._items([[1, 2], "xy"]) == 2 + 2
    assert jsontext._items("text") == 0
