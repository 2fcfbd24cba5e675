r"""Where in a JSON file a problem is: the line and column of its path.

A problem names its place by path (``vms[0].disks[1].attachment``), which
holds for a document however it was given. When it came from a file, the
line and column are worth more to someone with an editor open: they are
found here, by scanning the text along the path, only once a document has
been refused. Reading a valid inventory costs nothing more.

>>> text = '{"kind": "host",\n "vms": [{"name": "A",\n          "state": "Running"}]}'
>>> position(text, "vms[0].state")
(3, 11)
>>> position(text, "vms[0].disks")  # left out: the object that lacks it
(2, 10)
>>> position(text, "vms[1]") is None
True
"""

from __future__ import annotations

import json.decoder
import re
from collections.abc import Callable

import attrs

from hyperv_backup.inventory._json import decode
from hyperv_backup.inventory._problems import InventoryError

__all__ = ["position", "with_positions"]

#: Reads a JSON string from just after its opening quote: its value, and where it ends.
_string: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]

_SPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?[0-9][0-9.eE+-]*|-?Infinity|true|false|null|NaN")
_SEGMENT = re.compile(r"\[([0-9]+)\]|\.?([^.\[]+)")


def _segments(path: str) -> list[str | int] | None:
    """Split a problem's path into keys and array indexes; ``None`` when it cannot be split."""
    segments: list[str | int] = []
    at = 0
    while at < len(path):
        found = _SEGMENT.match(path, at)
        if found is None:
            return None
        index, key = found.groups()
        segments.append(int(index) if index is not None else key)
        at = found.end()
    return segments


def _space(text: str, at: int) -> int:
    found = _SPACE.match(text, at)
    return found.end() if found else at


def _skip(text: str, at: int) -> int:
    """Return where the JSON value starting at ``at`` ends (without recursion)."""
    depth = 0
    while True:
        at = _space(text, at)
        char = text[at]
        if char == '"':
            _, at = _string(text, at + 1)
        elif char in "[{":
            depth += 1
            at += 1
        elif char in "]}":
            depth -= 1
            at += 1
        elif char in ",:":
            at += 1
            continue
        else:
            scalar = _SCALAR.match(text, at)
            at = scalar.end() if scalar else at + 1
        if depth <= 0:
            return at


def _member(text: str, at: int, key: str) -> int | None:
    """Return where ``key`` is written in the object at ``at``, or ``None``."""
    at = _space(text, at + 1)
    while text[at] == '"':
        name, after = _string(text, at + 1)
        if name == key:
            return at
        at = _skip(text, _space(text, after) + 1)
        at = _space(text, at)
        if text[at] != ",":
            return None
        at = _space(text, at + 1)
    return None


def _item(text: str, at: int, index: int) -> int | None:
    """Return where item ``index`` of the array at ``at`` begins, or ``None``."""
    at = _space(text, at + 1)
    for _ in range(index):
        if text[at] == "]":
            return None
        at = _space(text, _skip(text, at))
        if text[at] != ",":
            return None
        at = _space(text, at + 1)
    return None if text[at] == "]" else at


def _offset(text: str, path: str) -> int | None:  # noqa: PLR0911 - each way the path can end
    segments = _segments(path)
    if not segments:
        return None
    at = _space(text, 0)
    for n, segment in enumerate(segments):
        if isinstance(segment, int):
            if text[at] != "[":
                return None
            found = _item(text, at, segment)
        else:
            if text[at] != "{":
                return None
            found = _member(text, at, segment)
            if found is None and n == len(segments) - 1:
                # A required field left out: the object that lacks it.
                return at
        if found is None:
            return None
        if n == len(segments) - 1:
            return found
        at = found
        if not isinstance(segment, int):
            _, after = _string(text, at + 1)
            at = _space(text, _space(text, after) + 1)
    return None  # pragma: no cover - the loop returns at its last segment


def position(text: str, path: str) -> tuple[int, int] | None:
    """Return the line and column (from 1) where ``path`` is written in the JSON ``text``.

    A key's place is where the key is written; an array item's, where it
    begins; a field left out, the object that lacks it. ``None`` when the
    path is not in the text as written.
    """
    try:
        at = _offset(text, path)
    except (IndexError, ValueError):  # text cut short, or not JSON where the path goes
        return None
    if at is None:
        return None
    line = text.count("\n", 0, at) + 1
    return line, at - text.rfind("\n", 0, at)


def with_positions(error: InventoryError, data: str | bytes) -> InventoryError:
    """Return ``error`` with the line and column of each problem in ``data``, the JSON it was read from.

    Problems of the document as a whole, and paths not found as written,
    are left as they are.
    """
    try:
        text = data if isinstance(data, str) else decode(bytes(data))
    except InventoryError:
        return error
    text = text.removeprefix("\ufeff")
    problems = []
    for problem in error.problems:
        found = position(text, problem.path) if problem.path else None
        located = (
            problem if found is None else attrs.evolve(problem, line=found[0], column=found[1])
        )
        problems.append(located)
    return InventoryError(problems, count=error.count)
