"""What is wrong with an inventory, where, and how much one may hold."""

from __future__ import annotations

import contextvars

import attrs

from hyperv_backup._base import HypervBackupError
from hyperv_backup.model import safe_repr

__all__ = [
    "CURRENT_LIMITS",
    "DEFAULT_LIMITS",
    "MAX_PROBLEMS",
    "InventoryError",
    "InventoryLimits",
    "Problem",
    "describe",
    "error",
    "join",
    "problem_lines",
    "shorten",
]


@attrs.frozen
class Problem:
    """One thing wrong with an inventory: where (``path``) and what (``message``).

    ``path`` is written like ``nodes[1].vms[3].disks[0].attachment``; it is
    empty for the document as a whole. ``line`` and ``column`` (from 1) say
    where in a JSON file the path is, when it was read from one
    (:func:`~hyperv_backup.inventory.with_positions`); they do not take
    part in comparing two problems.
    """

    path: str
    message: str
    line: int | None = attrs.field(default=None, eq=False, kw_only=True)
    column: int | None = attrs.field(default=None, eq=False, kw_only=True)

    def __str__(self) -> str:
        where = f" (line {self.line}, column {self.column})" if self.line is not None else ""
        return f"{self.path or '<document>'}: {self.message}{where}"


#: The most problems an :class:`InventoryError` keeps, and a report lists.
MAX_PROBLEMS = 200


class InventoryError(HypervBackupError):
    """An inventory could not be read.

    ``problems`` lists what was found wrong, object by object in document
    order, up to the first :data:`MAX_PROBLEMS`; ``count`` says how many were
    found in all (a document of a million bad VMs must not make a message of
    a million lines); ``path`` is the path of the first.
    """

    def __init__(
        self, problems: list[Problem] | tuple[Problem, ...], *, count: int | None = None
    ) -> None:
        if not problems:
            msg = "an InventoryError needs at least one problem"
            raise ValueError(msg)
        self.problems = tuple(problems[:MAX_PROBLEMS])
        self.count = max(len(problems), count or 0)
        self.path = self.problems[0].path
        super().__init__("\n".join(problem_lines(self)))


def problem_lines(exc: InventoryError) -> list[str]:
    """Return one line per problem kept, then how many more were found, if any."""
    lines = [str(p) for p in exc.problems]
    more = exc.count - len(exc.problems)
    if more > 0:
        lines.append(f"... and {more} more problem{'s' if more > 1 else ''}")
    return lines


def _positive(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if type(value) is not int or value < 1:
        msg = f"{attribute.name} must be a positive integer, got {safe_repr(value)}"
        raise ValueError(msg)


@attrs.frozen(kw_only=True)
class InventoryLimits:
    """How much an inventory may hold before it is refused.

    Input from elsewhere must not exhaust memory or produce error messages
    larger than the input: anything over a limit is an :class:`InventoryError`
    naming the place. The defaults fit the largest real fleets with room to
    spare (a 50,000-VM cluster is about 50 MB of JSON).

    ``max_bytes`` bounds the document (encoded bytes, or characters of text);
    ``max_string`` bounds every string value (Windows paths stop at 32,767
    characters); ``max_items`` bounds every array: the VMs of a host, the
    updates installed on it, any list of strings (a Hyper-V host runs at most
    1,024 VMs and a cluster 8,000, so 100,000 leaves room for any fleet, and a
    document of 25 million update names is refused instead of read).
    """

    max_bytes: int = attrs.field(default=256 * 1024 * 1024, validator=_positive)
    max_string: int = attrs.field(default=32_767, validator=_positive)
    max_items: int = attrs.field(default=100_000, validator=_positive)


#: The limits used when none are given.
DEFAULT_LIMITS = InventoryLimits()

# The limits of the parse under way, per thread (context), read by the string hook.
CURRENT_LIMITS: contextvars.ContextVar[InventoryLimits] = contextvars.ContextVar(
    "hyperv_backup_inventory_limits", default=DEFAULT_LIMITS
)

#: How much of a bad key or value an error message quotes.
_SHOWN_CHARACTERS = 60


def shorten(text: str) -> str:
    """Return ``text``, or its first characters and its length when it is long."""
    if len(text) <= _SHOWN_CHARACTERS:
        return text
    return f"{text[:_SHOWN_CHARACTERS]}... ({len(text)} characters)"


def error(path: str, message: str) -> InventoryError:
    """Return the error of one problem at ``path``."""
    return InventoryError([Problem(path, message)])


def describe(value: object) -> str:
    """Say what JSON type ``value`` is, with the value itself when it is short."""
    kinds = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "an array",
        tuple: "an array",
        dict: "an object",
    }
    if value is None:
        return "null"
    kind = kinds.get(type(value), type(value).__name__)
    if isinstance(value, dict | list | tuple):
        return kind
    text = safe_repr(value)
    return kind if len(text) > 60 else f"{kind} {text}"


def join(path: str, key: object) -> str:
    """Return the path of ``key`` in the object at ``path``."""
    shown = shorten(key) if isinstance(key, str) else safe_repr(key)
    return f"{path}.{shown}" if path else shown


# Shown where users meet them: the inventory package, not this private module.
Problem.__module__ = InventoryError.__module__ = InventoryLimits.__module__ = (
    "hyperv_backup.inventory"
)
