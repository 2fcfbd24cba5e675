"""Validation shared by the model's classes, and the error they raise.

The helpers here take the object being built and the name of one of its
fields; they raise :class:`ModelError` naming the field and the bad value.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any, TypeVar

from hyperv_backup._base import HypervBackupError

__all__ = [
    "ModelError",
    "check_bool",
    "check_collection",
    "check_items",
    "check_name",
    "computer_key",
    "safe_repr",
    "set_enum",
    "shown",
    "to_tuple",
]


class ModelError(HypervBackupError):
    """A model object was given a value that cannot be right.

    ``path`` is the field it concerns, relative to the object being built
    (``"disks[1].volumes[0].shadow_storage"``); ``value`` is the bad value.
    """

    def __init__(self, path: str, value: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}" if path else reason)
        self.path = path
        self.value = value
        self.reason = reason


# Shown where users meet it: the model package, not this private module.
ModelError.__module__ = "hyperv_backup.model"


_E = TypeVar("_E", bound=enum.StrEnum)


def safe_repr(value: object) -> str:
    """Return ``repr(value)``, or a short stand-in when it cannot be written.

    Untrusted input may hold integers too long to print, structures nested too
    deeply for ``repr``, or objects whose ``repr`` fails; an error message must
    never fail on them.

    >>> safe_repr("C:")
    "'C:'"
    >>> safe_repr(10**5000)
    '<int that cannot be shown>'
    """
    try:
        return repr(value)
    except Exception:  # any failure of a foreign repr must not escape
        return f"<{type(value).__name__} that cannot be shown>"


def shown(value: object) -> str:
    """Quote ``value`` for an error message: at most 60 characters of it, and its length."""
    text = safe_repr(value)
    if len(text) <= 60:
        return text
    return f"{text[:60]}... ({len(text)} characters)"


def to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    # A tuple, what the inventory reader passes, is taken as it is before any
    # other test: this runs for every collection of every object read.
    if type(value) is tuple:
        return value
    # A string is iterable too: tuple("C:") would silently become ("C", ":"). It,
    # and anything that is not iterable, is passed through unchanged so that the
    # class's own check names the field.
    if isinstance(value, str | bytes):
        return value  # type: ignore[return-value]
    if isinstance(value, set | frozenset):
        # A set's order depends on the hash seed; sort it so errors name one item.
        return tuple(sorted(value, key=safe_repr))
    try:
        return tuple(value)
    except TypeError:
        return value  # type: ignore[return-value]


def check_collection(obj: object, field: str) -> None:
    value = getattr(obj, field)
    if not isinstance(value, tuple):
        kind = "the string " if isinstance(value, str | bytes) else ""
        raise ModelError(field, value, f"expected a list or tuple, got {kind}{shown(value)}")


def set_enum(obj: object, field: str, enum_cls: type[_E]) -> None:
    """Accept an enum member or its JSON spelling for ``field``; reject the rest."""
    value = getattr(obj, field)
    if type(value) is enum_cls:
        return
    try:
        member = enum_cls(value)
    except (ValueError, TypeError):
        allowed = ", ".join(repr(m.value) for m in enum_cls)
        raise ModelError(field, value, f"expected one of {allowed}, got {shown(value)}") from None
    # Frozen classes may still set their own fields while they are being built.
    object.__setattr__(obj, field, member)


def check_name(value: object, path: str) -> None:
    # "not value or value.isspace()" is "not value.strip()" without making a copy.
    if not isinstance(value, str) or not value or value.isspace():
        raise ModelError(path, value, f"expected a non-empty name, got {shown(value)}")


def check_bool(obj: object, field: str) -> None:
    value = getattr(obj, field)
    if type(value) is not bool:
        raise ModelError(field, value, f"expected true or false, got {shown(value)}")


def check_items(items: tuple[object, ...], field: str, cls: type) -> None:
    for index, item in enumerate(items):
        if not isinstance(item, cls):
            raise ModelError(
                f"{field}[{index}]", item, f"expected a {cls.__name__}, got {shown(item)}"
            )


def computer_key(name: str) -> str:
    """Return the form in which two computer or volume names compare equal.

    Windows compares computer names and drive letters without regard to case.

    >>> computer_key("HV-NODE1") == computer_key("hv-node1")
    True
    """
    return name.casefold()
