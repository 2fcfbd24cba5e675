"""The line-scanning helpers every reader shares: lines, labels, GUIDs, errors.

A reader splits the text into lines (:func:`split_lines`), passes over what
carries no record (prompts, elision markers) and reports what it cannot read
as an :class:`~hyperv_backup.inventory.InventoryError` naming the line
(:func:`error`). Its records check their own fields (:func:`check` and the
others), raising :class:`~hyperv_backup.model.ModelError`.
"""

from __future__ import annotations

import re

from hyperv_backup.inventory import InventoryError, Problem
from hyperv_backup.model import ModelError, safe_repr

__all__ = [
    "GUID",
    "MAX_TEXT_LENGTH",
    "PROMPT",
    "check",
    "check_flag",
    "check_guid",
    "check_number",
    "check_str",
    "error",
    "first_line",
    "is_drive_letter",
    "is_elision",
    "label_value",
    "normal_guid",
    "shown",
    "split_lines",
]

#: The longest text, in characters, that the readers accept (10 MiB). Real
#: listings are a few kilobytes; anything far larger is not one of them.
MAX_TEXT_LENGTH = 10 * 1024 * 1024


def check(ok: bool, field: str, value: object, reason: str) -> None:
    if not ok:
        raise ModelError(field, value, f"{reason}, got {safe_repr(value)}")


def check_str(value: object, field: str) -> None:
    check(isinstance(value, str), field, value, "expected a string")


def check_number(value: object, field: str) -> None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    check(ok, field, value, "expected a whole number of 0 or more")


def check_flag(value: object, field: str) -> None:
    check(type(value) is bool, field, value, "expected true or false")


GUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_LOWER_GUID = re.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def check_guid(value: object, field: str) -> None:
    ok = isinstance(value, str) and _LOWER_GUID.fullmatch(value) is not None
    check(ok, field, value, "expected a lower-case GUID without braces")


_BRACED_GUID = re.compile(rf"\{{({GUID})\}}|({GUID})")


def normal_guid(value: str) -> str | None:
    """Return ``value`` as a lower-case GUID without braces, or ``None`` if it is not one.

    The one reading of a GUID in this package: :mod:`hyperv_backup.collect`
    compares VM, resource and service ids through it too.

    >>> normal_guid("{66841CD4-6DED-4F4B-8F17-FD23F8DDC3DE}"), normal_guid("66841cd4"), normal_guid(" x")
    ('66841cd4-6ded-4f4b-8f17-fd23f8ddc3de', None, None)
    """
    match = _BRACED_GUID.fullmatch(value)
    if match is None:
        return None
    return (match.group(1) or match.group(2)).lower()


#: How much of a line an error message quotes.
_SHOWN = 60


def shown(text: str) -> str:
    text = text.strip()
    if len(text) <= _SHOWN:
        return repr(text)
    return f"{text[:_SHOWN]!r}... ({len(text)} characters)"


def error(number: int, message: str) -> InventoryError:
    return InventoryError([Problem(f"line {number}", message)])


def split_lines(text: str) -> list[str]:
    """Split ``text`` into lines without their ends or trailing blanks; refuse oversized text."""
    if not isinstance(text, str):
        # A programming error, not bad input: the readers take decoded text.
        raise TypeError(f"expected the text as a str, got {type(text).__name__}")
    if len(text) > MAX_TEXT_LENGTH:
        number = text.count("\n", 0, MAX_TEXT_LENGTH) + 1
        raise error(
            number,
            f"the text is longer than {MAX_TEXT_LENGTH} characters, the most these "
            "readers accept; a real listing is far shorter",
        )
    text = text.removeprefix("\ufeff")
    # Only "\n" ends a line, so that line numbers match an editor's; a CR before
    # it (or two, as some captures of cmd.exe have) goes with the trailing blanks.
    return [line.rstrip() for line in text.split("\n")]


def first_line(lines: list[str]) -> int:
    return next((n for n, line in enumerate(lines, 1) if line.strip()), 1)


#: A command prompt: cmd.exe (``C:\Windows\system32>``), PowerShell (``PS C:\>``), diskpart.
PROMPT = re.compile(r"(?:PS\s+)?[A-Za-z]:\\[^>]*>|DISKPART>", re.IGNORECASE)

_ELLIPSES = ("...", "\u2026")
_BRACKETS = ("<>", "[]", "()")


def is_elision(stripped: str) -> bool:
    """Whether a line marks text its author left out: ``...``, ``…``, ``<... more ...>``."""
    inner = stripped
    if len(inner) >= 2 and inner[0] + inner[-1] in _BRACKETS:
        inner = inner[1:-1].strip()
    return inner.startswith(_ELLIPSES)


def label_value(stripped: str) -> str | None:
    """Return the text after the first colon of a ``label: value`` line, or ``None``.

    The label itself is not read: it is in the display language (French
    output puts a space before the colon).
    """
    label, colon, value = stripped.partition(":")
    if not colon or not label.strip():
        return None
    return value.strip()


def is_drive_letter(value: str) -> bool:
    """Whether ``value`` is one letter A to Z, in either case."""
    return len(value) == 1 and value.isascii() and value.isalpha()
