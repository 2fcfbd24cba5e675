r"""Strict JSON: decoding, parsing with every flaw located, reading within a limit.

An inventory and a collector document are read the same way: UTF-8, or
UTF-8/16/32 with a byte-order mark (Windows PowerShell 5.1 writes them); a
duplicate key, ``NaN`` or an integer too long to convert is an
:class:`~hyperv_backup.inventory.InventoryError` naming its path; a file is
never read past its limit.
"""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Iterable, Mapping
from typing import Any, BinaryIO

from hyperv_backup.inventory._problems import (
    DEFAULT_LIMITS,
    InventoryError,
    InventoryLimits,
    Problem,
    error,
    join,
    shorten,
)

__all__ = ["check_limits", "decode", "load_document", "loads", "read_at_most"]


#: Byte-order marks and the codec of the text after each, longest first (a UTF-32 LE
#: mark begins with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)


def decode(data: bytes, *, partial: bool = False) -> str:
    """Decode UTF-8, or UTF-8/16/32 with a byte-order mark (Windows PowerShell 5.1 writes them).

    ``partial`` is for the first bytes of a file, cut anywhere: what cannot be
    decoded is left out instead of raising.
    """
    bom, codec, label = next(
        (entry for entry in _BOMS if data.startswith(entry[0])), (b"", "utf-8", "UTF-8")
    )
    try:
        return data[len(bom) :].decode(codec, errors="ignore" if partial else "strict")
    except UnicodeDecodeError as exc:
        # Offsets count from the start of the file, byte-order mark included.
        offset = exc.start + len(bom)
        raise error("", f"not valid {label} text at byte offset {offset}") from None


class _Flaw:
    """Stands in the parsed document for a value JSON does not allow, to be located later."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


class _Parser:
    """``json.loads`` hooks that note flaws instead of failing without a position.

    ``json`` gives its hooks no position, so a repeated key, ``NaN`` or an
    integer too long to convert is remembered, and :func:`_locate` finds its
    path in the finished document.
    """

    def __init__(self) -> None:
        # id -> (repeated key, the object). Holding the object keeps its id from
        # being reused when the repeat drops it from the document.
        self.duplicates: dict[int, tuple[str, dict[str, Any]]] = {}
        self.flawed = False

    def object_pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    self.duplicates[id(obj)] = (key, obj)
                    self.flawed = True
                    break
                seen.add(key)
        return obj

    def constant(self, name: str) -> _Flaw:
        self.flawed = True
        return _Flaw(f"{name} is not a valid JSON number")

    def integer(self, text: str) -> int | _Flaw:
        try:
            return int(text)
        except ValueError:  # longer than sys.get_int_max_str_digits()
            self.flawed = True
            return _Flaw(f"an integer of {len(text)} digits is too long")


def _locate(
    value: Any, duplicates: Mapping[int, tuple[str, dict[str, Any]]], path: str = ""
) -> Problem | None:
    """Find, in document order, the first flaw the parser noted, with its path."""
    if isinstance(value, _Flaw):
        return Problem(path, value.message)
    if isinstance(value, dict):
        noted = duplicates.get(id(value))
        if noted is not None and noted[1] is value:
            return Problem(path, f"duplicate key {shorten(noted[0])!r} in one object")
        items: Iterable[tuple[str, Any]] = ((join(path, k), v) for k, v in value.items())
    elif isinstance(value, list):
        items = ((f"{path}[{i}]", v) for i, v in enumerate(value))
    else:
        return None
    for child, item in items:
        found = _locate(item, duplicates, child)
        if found is not None:
            return found
    return None


def loads(text: str) -> Any:
    parser = _Parser()
    try:
        document = json.loads(
            text.removeprefix("\ufeff"),
            object_pairs_hook=parser.object_pairs,
            parse_constant=parser.constant,
            parse_int=parser.integer,
        )
    except json.JSONDecodeError as exc:
        raise error(
            "", f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise error("", "JSON nested too deeply") from None
    if parser.flawed:
        problem = _locate(document, parser.duplicates)
        assert problem is not None  # noqa: S101 - every flaw noted is in the document
        raise InventoryError([problem])
    return document


def _within(document: Any, max_items: int, max_string: int | None) -> bool:
    """Whether every array of ``document`` (and every string, unless ``max_string`` is None) is within bounds.

    A walk without paths, for the common case of a document within its limits.
    Only arrays and objects are visited when strings are not checked, which
    keeps the walk of a large inventory to about a tenth of what ``json.loads``
    took.
    """
    if max_string is not None:
        return _within_strings(document, max_items, max_string)
    stack: list[Any] = [document]
    pop, push = stack.pop, stack.append
    while stack:
        value = pop()
        if value.__class__ is dict:
            value = value.values()
        elif value.__class__ is not list:
            continue  # the document itself is a scalar
        elif len(value) > max_items:
            return False
        for child in value:
            kind = child.__class__
            if kind is dict or kind is list:
                push(child)
    return True


def _within_strings(document: Any, max_items: int, max_string: int) -> bool:
    stack: list[Any] = [document]
    pop, push = stack.pop, stack.append
    while stack:
        value = pop()
        kind = value.__class__
        if kind is dict:
            if any(len(key) > max_string for key in value):
                return False
            push_all = value.values()
        elif kind is list:
            if len(value) > max_items:
                return False
            push_all = value
        else:
            if kind is str and len(value) > max_string:
                return False
            continue
        for child in push_all:
            push(child)
    return True


def _over(value: Any, path: str, max_items: int, max_string: int | None) -> Problem | None:
    """Find, in document order, the first array or string over its limit, with its path."""
    too_long = f"is longer than the limit of {max_string}"
    if isinstance(value, str):
        if max_string is not None and len(value) > max_string:
            return Problem(path, f"a string of {len(value)} characters {too_long}")
        return None
    items: Iterable[tuple[str, Any]] = ()
    if isinstance(value, list):
        if len(value) > max_items:
            return Problem(
                path, f"an array of {len(value)} items is longer than the limit of {max_items}"
            )
        items = ((f"{path}[{i}]", v) for i, v in enumerate(value))
    elif isinstance(value, dict):
        long_key = next(
            (key for key in value if max_string is not None and len(key) > max_string), None
        )
        if long_key is not None:
            return Problem(join(path, long_key), f"a key of {len(long_key)} characters {too_long}")
        items = ((join(path, k), v) for k, v in value.items())
    for child, item in items:
        found = _over(item, child, max_items, max_string)
        if found is not None:
            return found
    return None


def check_limits(document: Any, limits: InventoryLimits, *, strings: bool = True) -> None:
    """Refuse a parsed document with an array over ``limits.max_items`` items.

    With ``strings``, a string or key over ``limits.max_string`` characters is
    refused too (an inventory's strings are checked as the model is built,
    with every other problem, so its reader leaves them out here).
    """
    max_string = limits.max_string if strings else None
    if _within(document, limits.max_items, max_string):
        return
    problem = _over(document, "", limits.max_items, max_string)
    assert problem is not None  # noqa: S101 - _within found one
    raise InventoryError([problem])


def read_at_most(file: BinaryIO, limit: int) -> bytes:
    """Read ``file`` whole, or ``limit + 1`` bytes of a stream, whichever is less.

    ``file.read(n)`` sets aside ``n`` bytes before it reads, so a large limit is
    never passed to it: a regular file is read by its size, anything else in
    chunks.
    """
    try:
        size = os.fstat(file.fileno()).st_size
    except (OSError, ValueError):  # a stream with no file behind it (io.BytesIO)
        size = 0
    if size > limit:
        raise error("", f"the document is larger than the limit of {limit} bytes")
    if size:
        return file.read()
    chunks: list[bytes] = []
    total = 0
    while total <= limit and (chunk := file.read(min(1 << 20, limit + 1 - total))):
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def load_document(
    data: str | bytes, *, limits: InventoryLimits = DEFAULT_LIMITS, checked: bool = True
) -> Any:
    r"""Return the parsed JSON of ``data``, read as strictly as an inventory is.

    Bytes may be UTF-8, or UTF-8 or UTF-16 with a byte-order mark. A duplicate
    key, ``NaN``, text that is not JSON, data over ``limits.max_bytes``, a
    string over ``limits.max_string`` characters or an array over
    ``limits.max_items`` items raises :class:`~hyperv_backup.inventory.InventoryError`.
    With ``checked=False`` only ``max_bytes`` is checked: for a caller that
    checks the rest itself once it knows what the document is (:func:`check_limits`).

    >>> load_document(b'\xff\xfe{\x00}\x00')
    {}
    """
    if len(data) > limits.max_bytes:
        raise error("", f"the document is larger than the limit of {limits.max_bytes} bytes")
    text = data if isinstance(data, str) else decode(bytes(data))
    document = loads(text)
    if checked:
        check_limits(document, limits)
    return document
