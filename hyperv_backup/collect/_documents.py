r"""Reading collector documents as PowerShell writes them, with a path for every value.

A :class:`Node` is one value of a parsed document and the path that leads to it
(``hosts[0].VMs[2].State``). Its readers forgive what PowerShell does on its
own and refuse everything else with an :class:`~hyperv_backup.inventory.InventoryError`
naming that path:

* property names compare without regard to case, as in PowerShell; two names
  that differ only in case are refused;
* a single object where an array was expected is an array of one (PowerShell
  unrolls one-element arrays unless told not to); ``null`` is an empty array;
* a name may be a string or an object with a ``Name`` (the same object
  written deeper than the collector's own projection);
* dates are ``"\/Date(ms)\/"`` (Windows PowerShell 5.1) or ISO 8601
  (PowerShell 7), or either inside the ``{"value": ...}`` wrapper 5.1 writes
  for a date that carries extra properties;
* an enum is its number, its name, or both (``"State": 2, "StateName":
  "Running"``); when both are given they must agree.

>>> from hyperv_backup.collect._tables import VM_STATES
>>> node = Node({"state": 2, "StateName": "Running"}, "vm")
>>> node.code("State", VM_STATES, "VM state").name
'Running'
>>> Node({"State": 3, "StateName": "Running"}, "vm").code("State", VM_STATES, "VM state")
Traceback (most recent call last):
...
hyperv_backup.inventory.InventoryError: vm.State: VM state 3 is 'Off', but StateName says 'Running'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from hyperv_backup.collect._tables import Code
from hyperv_backup.inventory import InventoryError, Problem
from hyperv_backup.model import safe_repr

__all__ = ["Node", "Problems", "bad", "describe"]

_T = TypeVar("_T")


def bad(path: str, message: str) -> InventoryError:
    """Return an :class:`InventoryError` with one problem at ``path``."""
    return InventoryError([Problem(path, message)])


#: How an error message names a JSON value of each container type.
_CONTAINERS: dict[type, str] = {list: "an array", tuple: "an array", dict: "an object"}


def describe(value: object) -> str:
    """Say what a JSON value is, for an error message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}"
    if isinstance(value, int | float):
        return f"the number {safe_repr(value)}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"the string {shown!r}"
    if isinstance(value, Mapping):
        return "an object"
    return _CONTAINERS.get(type(value), type(value).__name__)


class Problems:
    """Problems gathered while reading, so that one run reports many of them."""

    def __init__(self) -> None:
        self.found: list[Problem] = []

    def attempt(self, read: Callable[[], _T]) -> _T | None:
        """Run ``read``; on an :class:`InventoryError` note its problems and return ``None``."""
        try:
            return read()
        except InventoryError as exc:
            self.found.extend(exc.problems)
            return None

    def items(self, node: Node, name: str) -> list[Node]:
        """Return the elements of the array ``name`` of ``node``; none, noted, if unreadable."""
        found = self.attempt(lambda: list(node.get(name).items()))
        return found or []

    def each(self, nodes: Iterable[Node], read: Callable[[Node], _T | None]) -> list[_T]:
        """``read`` each node, noting problems; keep the results that are not ``None``."""
        results = []
        for node in nodes:
            result = self.attempt(functools.partial(read, node))
            if result is not None:
                results.append(result)
        return results

    def raise_any(self) -> None:
        """Raise the problems noted so far, if there are any."""
        if self.found:
            raise InventoryError(self.found)


#: ``/Date(1326441600000)/`` and ``/Date(1326441600000+0100)/`` (the JSON text
#: writes the slashes escaped, ``\/``, which JSON decoding removes).
_MS_DATE = re.compile(r"/Date\((-?[0-9]{1,15})([+-][0-9]{4})?\)/")
_DIGITS = re.compile(r"-?[0-9]{1,9}")


class Node:
    """One value of a collector document, with its path."""

    __slots__ = ("path", "value")

    def __init__(self, value: Any, path: str) -> None:
        self.value = value
        self.path = path

    def __repr__(self) -> str:
        return f"Node({describe(self.value)} at {self.path!r})"

    # --- objects ---------------------------------------------------------------------

    def _object(self) -> Mapping[str, Any]:
        if not isinstance(self.value, Mapping):
            hint = ""
            if isinstance(self.value, str) and re.match(r"\w+ \(Name = ", self.value):
                # PowerShell's text for an object it ran out of depth for.
                hint = (
                    " (an object written as its text: ConvertTo-Json ran out of depth; "
                    "raise -Depth or project the fields with Select-Object)"
                )
            raise bad(self.path, f"expected an object, got {describe(self.value)}{hint}")
        return self.value

    def _key(self, name: str) -> str | None:
        """Return the spelling of property ``name`` in this object, found without regard to case."""
        wanted = name.casefold()
        matches = [k for k in self._object() if k.casefold() == wanted]
        if not matches:
            return None
        name, others = matches[0], matches[1:]
        if others:
            raise bad(
                self.path,
                f"properties {name!r} and {others[0]!r} differ only in case; "
                "PowerShell would read them as one",
            )
        return name

    def has(self, name: str) -> bool:
        """Whether the object has the property ``name`` with a value other than null."""
        key = self._key(name)
        return key is not None and self._object()[key] is not None

    def get(self, name: str) -> Node:
        """Return the property ``name``, which must be present (it may be null)."""
        key = self._key(name)
        if key is None:
            raise bad(f"{self.path}.{name}", "required field missing")
        return Node(self._object()[key], f"{self.path}.{key}")

    def opt(self, name: str) -> Node:
        """Return the property ``name``, or a null node when it is absent."""
        key = self._key(name)
        if key is None:
            return Node(None, f"{self.path}.{name}")
        return Node(self._object()[key], f"{self.path}.{key}")

    # --- values ----------------------------------------------------------------------

    @property
    def is_null(self) -> bool:
        """Whether the value is null."""
        return self.value is None

    def items(self) -> Iterator[Node]:
        """Return the elements of an array; one object stands for an array of one, null for none."""
        value = self.value
        if value is None:
            return iter(())
        if isinstance(value, list | tuple):
            return (Node(item, f"{self.path}[{i}]") for i, item in enumerate(value))
        if isinstance(value, Mapping | str | int | float):
            # ConvertTo-Json writes a one-element array as its element.
            return iter((Node(value, f"{self.path}[0]"),))
        raise bad(self.path, f"expected an array, got {describe(value)}")

    def text(self) -> str:
        """Return a string, which must not be empty."""
        value = self.value
        if not isinstance(value, str) or not value.strip():
            raise bad(self.path, f"expected a non-empty string, got {describe(value)}")
        return value

    def opt_text(self) -> str | None:
        """Return a string, or ``None`` for null or an empty string."""
        if self.value is None or self.value == "":
            return None
        return self.text()

    def raw_text(self) -> str:
        """Return a string as captured (command output), which may hold anything."""
        if not isinstance(self.value, str):
            raise bad(
                self.path, f"expected the command's output as a string, got {describe(self.value)}"
            )
        return self.value

    def name(self) -> str:
        """Return a name: a string, or an object carrying it in ``Name``."""
        if isinstance(self.value, Mapping):
            return self.get("Name").text()
        return self.text()

    def integer(self) -> int:
        """Return a whole number."""
        value = self.value
        if type(value) is not int:
            raise bad(self.path, f"expected a whole number, got {describe(value)}")
        return value

    def opt_integer(self) -> int | None:
        """Return a whole number, or ``None`` for null."""
        return None if self.value is None else self.integer()

    def flag(self) -> bool:
        """Return a boolean (``true`` or ``false``, never ``"True"`` or ``1``)."""
        if type(self.value) is not bool:
            raise bad(self.path, f"expected true or false, got {describe(self.value)}")
        return self.value

    def date(self) -> datetime:
        r"""Return a point in time: ``\/Date(ms)\/``, ISO 8601, or either as ``{"value": ...}``.

        A date without a UTC offset is taken as UTC.
        """
        value = self.value
        if isinstance(value, Mapping):
            return self.get("value").date()
        if not isinstance(value, str):
            raise bad(self.path, f"expected a date, got {describe(value)}")
        match = _MS_DATE.fullmatch(value)
        try:
            if match is not None:
                return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(
                    milliseconds=int(match.group(1))
                )
            parsed = datetime.fromisoformat(_trim_fraction(value))
        except (ValueError, OverflowError):
            pass
        else:
            return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
        raise bad(
            self.path,
            f"expected a date as \\/Date(milliseconds)\\/ or ISO 8601, got {describe(value)}",
        )

    def opt_date(self) -> datetime | None:
        """Return a date, or ``None`` for null."""
        return None if self.value is None else self.date()

    # --- enums -----------------------------------------------------------------------

    def code(
        self,
        name: str,
        table: Mapping[int, Code[_T]],
        what: str,
        *,
        version_dependent: int | None = None,
        aliases: Mapping[str, int] | None = None,
    ) -> Code[_T]:
        """Read the enum ``name`` (its number) and ``<name>Name`` (its name), either or both.

        A number that is not in ``table``, a name that is not, a number at or
        above ``version_dependent``, or a number and a name that disagree are
        refused with the path of the field.
        """
        number_node = self.opt(name)
        name_node = self.opt(f"{name}Name")
        number, spelled = _split_enum(number_node)
        named = _enum_name(name_node)
        if spelled is not None:
            if named is not None and _fold(named) != _fold(spelled):
                raise bad(
                    number_node.path,
                    f"{what} is {spelled!r}, but {name}Name says {named!r}",
                )
            named, name_node = spelled, number_node
        if number is None and named is None:
            raise bad(number_node.path, f"required field missing: the {what}")
        if number is not None:
            if version_dependent is not None and number >= version_dependent:
                also = f" (given as {named!r})" if named is not None else ""
                raise bad(
                    number_node.path,
                    f"{what} {number}{also} is version-dependent: codes from "
                    f"{version_dependent} on mean different things in different Hyper-V "
                    "module versions, so it is not read",
                )
            code = table.get(number)
            if code is None:
                raise bad(number_node.path, f"unknown {what} {number}{_known(table)}")
            if named is not None and _fold(named) != _fold(code.name):
                raise bad(
                    number_node.path,
                    f"{what} {number} is {code.name!r}, but {name}Name says {named!r}",
                )
            return code
        assert named is not None  # noqa: S101 - one of the two is set, checked above
        key = _fold(named)
        by_name = {_fold(c.name): c for c in table.values()}
        found = by_name.get(key)
        if found is None and aliases is not None and key in aliases:
            found = table.get(aliases[key])
        if found is None:
            raise bad(name_node.path, f"unknown {what} {named!r}{_known(table)}")
        return found

    def model_code(
        self,
        name: str,
        table: Mapping[int, Code[_T]],
        what: str,
        *,
        version_dependent: int | None = None,
        advice: str = "",
    ) -> _T:
        """Like :meth:`code`, and the code must have a model value."""
        code = self.code(name, table, what, version_dependent=version_dependent)
        if code.value is None:
            raise bad(
                self.opt(name).path,
                f"{what} {code.number} ({code.name}) is {code.note}; there is no decision "
                f"for it{advice}",
            )
        return code.value


def _trim_fraction(text: str) -> str:
    # .NET writes seven fractional digits; Python 3.11 reads at most six.
    return re.sub(r"(\.[0-9]{6})[0-9]+", r"\1", text.strip())


def _fold(name: str) -> str:
    return "".join(name.split()).casefold()


def _known(table: Mapping[int, Code[Any]]) -> str:
    listed = ", ".join(f"{c.number} {c.name}" for c in table.values())
    return f"; known: {listed}"


def _split_enum(node: Node) -> tuple[int | None, str | None]:
    """Return (number, name) from an enum field holding a number, a name or a digit string."""
    value = node.value
    if value is None:
        return None, None
    if type(value) is int:
        return value, None
    if isinstance(value, str) and value.strip():
        text = value.strip()
        if _DIGITS.fullmatch(text):
            return int(text), None
        return None, text
    raise bad(node.path, f"expected an enum as a number or a name, got {describe(value)}")


def _enum_name(node: Node) -> str | None:
    value = node.value
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise bad(node.path, f"expected the enum's name as a string, got {describe(value)}")
    # A name made of digits is the number again ("$($x.State)" on a plain number).
    return None if _DIGITS.fullmatch(value.strip()) else value.strip()
