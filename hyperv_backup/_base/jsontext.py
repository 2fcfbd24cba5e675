r"""JSON text as the package writes its documents: indented by two spaces, ASCII only.

:func:`json_text` gives the same bytes as ``json.dumps(value, indent=2,
ensure_ascii=True)`` for the values the package writes (dictionaries with
string keys, lists and tuples, strings, integers, booleans and ``None``), and
is several times faster:

* With ``orjson`` installed (the ``fast`` extra), that compiled encoder writes
  the indented text of a large document (:data:`ORJSON_FROM`; it is imported
  only then), and any character outside ASCII is then escaped as the
  json module escapes it. A value it cannot write as the json module would
  (an integer wider than 64 bits, a key that is not a string, a lone
  surrogate) is written by the json module instead.
  ``orjson`` writes a float in a form of its own (``1e16``, not ``1e+16``):
  the package's documents hold none.
* Without it, or with ``HYPERV_BACKUP_PURE_PYTHON`` set to anything but the
  empty string, the json module's own C encoder writes each object or array
  that holds no other one (most of a document), with separators that carry
  the indentation; only the objects and arrays around them are walked in
  Python. ``json.dumps`` with an indent walks every value in Python, as its C
  encoder does not indent.

>>> print(json_text({"rule": "HVB105", "vms": ["SQL01", "Café"], "counts": {}}), end="")
{
  "rule": "HVB105",
  "vms": [
    "SQL01",
    "Caf\u00e9"
  ],
  "counts": {}
}
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable, Collection
from typing import Any

__all__ = ["ORJSON_FROM", "PURE_PYTHON_VARIABLE", "encoder", "json_text", "pure_json_text"]

#: Set to anything but the empty string, the package writes JSON in pure Python
#: even where ``orjson`` is installed (CI runs the JSON tests both ways).
PURE_PYTHON_VARIABLE = "HYPERV_BACKUP_PURE_PYTHON"

#: What the standard library's encoder calls: the C functions where it has them.
_c_make_encoder: Any = getattr(json.encoder, "c_make_encoder", None)
_string: Callable[[str], str] = json.encoder.encode_basestring_ascii

#: The types the json module writes alike whatever their place: an object or
#: array holding only these holds no other container.
_SCALARS = frozenset((str, int, bool, type(None), float))

#: Characters the ``orjson`` text may hold that ``ensure_ascii`` escapes: beyond
#: ASCII, and DEL, which the json module escapes too.
_NOT_ASCII = re.compile(r"[^\x00-\x7e]")


def _escape(match: re.Match[str]) -> str:
    r"""Return the ``\u`` escape of one character, as a surrogate pair beyond the BMP."""
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 | (code >> 10):04x}\\u{0xDC00 | (code & 0x3FF):04x}"


def _stdlib(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=True)


def _leaf_encoders() -> Callable[[str], Callable[[object], str]]:
    """Return the maker of C encoders whose item separator carries the line break and indent."""
    made: dict[str, Callable[[object], str]] = {}

    def encoder(inner: str) -> Callable[[object], str]:
        found = made.get(inner)
        if found is None:
            if _c_make_encoder is None:  # pragma: no cover - a Python without _json
                separators = ("," + inner, ": ")

                def found(value: object) -> str:
                    return json.dumps(value, separators=separators, ensure_ascii=True)

            else:
                # markers=None: a value holding no container cannot hold itself.
                # The arguments: markers, default, encoder, indent, key and item
                # separators, sort_keys, skipkeys, allow_nan.
                c_encoder = _c_make_encoder(
                    None, _refuse, _string, None, ": ", "," + inner, False, False, True
                )

                def found(value: object) -> str:
                    return "".join(c_encoder(value, 0))

            made[inner] = found
        return found

    return encoder


def _refuse(value: object) -> object:
    msg = f"Object of type {type(value).__name__} is not JSON serializable"
    raise TypeError(msg)


_leaf = _leaf_encoders()


def pure_json_text(value: object) -> str:
    """Return the text :func:`json_text` returns, written without ``orjson``."""
    parts: list[str] = []
    _write(value, "\n", parts.append)
    return "".join(parts)


def _write(value: object, newline: str, out: Callable[[str], object]) -> None:  # noqa: PLR0912
    """Write ``value`` at the indentation ``newline`` gives (a line break, then its spaces)."""
    if isinstance(value, dict):
        items: dict[Any, Any] = value
        if not items:
            out("{}")
            return
        if any(type(key) is not str for key in items):
            # The json module turns such keys into strings its own way.
            out(_stdlib(items).replace("\n", newline))
            return
        inner = newline + "  "
        if all(type(v) in _SCALARS for v in items.values()):
            out("{" + inner + _leaf(inner)(items)[1:-1] + newline + "}")
            return
        separator = "{" + inner
        for key, item in items.items():
            kind = type(item)
            # A string or a number is written here, not in a call of its own.
            if kind is str:
                out(separator + _string(key) + ": " + _string(item))
            elif kind is int:
                out(separator + _string(key) + ": " + int.__repr__(item))
            else:
                out(separator + _string(key) + ": ")
                _write(item, inner, out)
            separator = "," + inner
        out(newline + "}")
    elif isinstance(value, list | tuple):
        sequence: list[Any] | tuple[Any, ...] = value
        if not sequence:
            out("[]")
            return
        inner = newline + "  "
        if all(type(v) in _SCALARS for v in sequence):
            out("[" + inner + _leaf(inner)(sequence)[1:-1] + newline + "]")
            return
        separator = "[" + inner
        for item in sequence:
            out(separator)
            _write(item, inner, out)
            separator = "," + inner
        out(newline + "]")
    elif type(value) in _SCALARS:
        out(_leaf(newline)([value])[1:-1])
    else:
        # Anything else (a subclass, an enum): as the json module writes it.
        out(_stdlib(value).replace("\n", newline))


#: From how many items (in the document's top-level arrays and objects, and
#: in itself) ``orjson`` writes a document. Importing it takes longer than the
#: pure writer takes for a small document, such as the findings of one host.
ORJSON_FROM = 2000


@functools.cache
def _orjson_text() -> Callable[[object], str] | None:
    """Return the writer through ``orjson``, or ``None`` without it or when told not to use it."""
    if os.environ.get(PURE_PYTHON_VARIABLE):
        return None
    try:
        import orjson  # noqa: PLC0415 - optional, and imported for large documents only
    except ImportError:
        return None
    dumps = orjson.dumps
    option = orjson.OPT_INDENT_2
    failure = orjson.JSONEncodeError

    def text(value: object) -> str:
        try:
            data = dumps(value, option=option)
        except failure:
            return pure_json_text(value)
        if data.isascii() and b"\x7f" not in data:
            return data.decode("ascii")
        return _NOT_ASCII.sub(_escape, data.decode("utf-8"))

    return text


def encoder() -> str:
    """Return which encoder writes a large document: ``"orjson"`` or ``"python"``."""
    return "python" if _orjson_text() is None else "orjson"


def _items(value: object) -> int:
    """Return how many items ``value`` and its own arrays and objects hold: its size, roughly."""
    inner: Collection[Any]
    if isinstance(value, dict):
        inner = value.values()
    elif isinstance(value, list | tuple):
        inner = value
    else:
        return 0
    return len(inner) + sum(len(item) for item in inner if isinstance(item, dict | list | tuple))


def json_text(value: object) -> str:
    """Return ``json.dumps(value, indent=2, ensure_ascii=True)``, written faster (see the module)."""
    if _items(value) >= ORJSON_FROM:
        fast = _orjson_text()
        if fast is not None:
            return fast(value)
    return pure_json_text(value)
