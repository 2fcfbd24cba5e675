r"""Reading collector documents as PowerShell writes them, with a path for every value.

A :class:`PSValue` is one value of a parsed document and the path that leads to it
(``hosts[0].VMs[2].State``). Its readers forgive what PowerShell does on its
own and refuse everything else with an :class:`~hyperv_backup.inventory.InventoryError`
naming that path:

* property names compare without regard to case, as in PowerShell; two names
  that differ only in case, and a name that is not a string (only a mapping
  built in Python can hold one), are refused;
* a single object where an array was expected is an array of one (PowerShell
  unrolls one-element arrays unless told not to); ``null`` is an empty array;
* a name may be a string or an object with a ``Name`` (the same object
  written deeper than the collector's own projection);
* dates are ``"\/Date(ms)\/"`` (Windows PowerShell 5.1) or ISO 8601
  (PowerShell 7), or either inside the one ``{"value": ...}`` wrapper 5.1
  writes for a date that carries extra properties;
* an enum is its number, its name, or both (``"State": 2, "StateName":
  "Running"``); when both are given they must agree.

>>> from hyperv_backup.collect._tables import VM_STATES
>>> node = PSValue({"state": 2, "StateName": "Running"}, "vm")
>>> node.code("State", VM_STATES, "VM state").name
'Running'
>>> PSValue({"State": 3, "StateName": "Running"}, "vm").code("State", VM_STATES, "VM state")
Traceback (most recent call last):
...
hyperv_backup.inventory.InventoryError: vm.State: VM state 3 is 'Off', but StateName says 'Running'

Strings that go into the inventory are held to ``InventoryLimits.max_string``
characters, and every value a message quotes is shortened by :func:`shown`.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import attrs

from hyperv_backup.collect._tables import Code
from hyperv_backup.inventory import (
    DEFAULT_LIMITS,
    InventoryError,
    InventoryLimits,
    Problem,
    load_document,
)
from hyperv_backup.model import ModelError, safe_repr
from hyperv_backup.readers import MAX_TEXT_LENGTH, normal_guid

__all__ = [
    "Document",
    "PSValue",
    "Problems",
    "bad",
    "build_model",
    "document_list",
    "parse_document",
    "raw_limits",
    "shown",
]

_T = TypeVar("_T")

#: A collector document: JSON text, its bytes, or the parsed object.
Document = Mapping[str, Any] | str | bytes


def bad(path: str, message: str) -> InventoryError:
    """Return an :class:`InventoryError` with one problem at ``path``."""
    return InventoryError([Problem(path, message)])


#: How many characters of a string an error message quotes.
_SHOWN_CHARACTERS = 60


def shown(value: object, *, kind: bool = False, quoted: bool = True) -> str:
    """Show a value in an error message: strings quoted and cut to 60 characters.

    The one way the collector adapter puts a value from a document into a
    message, so that no message grows with its input. With ``kind``, say what
    sort of JSON value it is too; with ``quoted=False``, a string goes in as
    text (still cut), for text that reads as part of the sentence.

    >>> shown("C:"), shown("x" * 100)
    ("'C:'", "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'... (100 characters)")
    >>> shown(2, kind=True), shown(None, kind=True), shown([1], kind=True), shown(("a", None))
    ('the number 2', 'null', 'an array', "('a', null)")
    >>> shown("No error", quoted=False)
    'No error'
    """
    noun = ""
    if value is None:
        text = "null"
    elif isinstance(value, bool):
        noun, text = "the boolean", "true" if value else "false"
    elif isinstance(value, enum.Enum):
        text = str(value.value)
    elif isinstance(value, int | float):
        noun, text = "the number", _cut(safe_repr(value), quoted=False)
    elif isinstance(value, str):
        noun, text = "the string", _cut(value, quoted=quoted)
    elif isinstance(value, tuple):
        text = "(" + ", ".join(shown(item) for item in value) + ")"
    elif isinstance(value, Mapping):
        text = "an object"
    elif isinstance(value, list):
        text = "an array"
    else:
        text = type(value).__name__
    return f"{noun} {text}" if kind and noun else text


def _cut(text: str, *, quoted: bool) -> str:
    head = text[:_SHOWN_CHARACTERS]
    result = repr(head) if quoted else head
    if len(text) > _SHOWN_CHARACTERS:
        result = f"{result}... ({len(text)} characters)"
    return result


def build_model(build: Callable[[], _T], where: str) -> _T:
    """Build a model object; its refusal becomes an :class:`InventoryError` at ``where``."""
    try:
        return build()
    except ModelError as exc:
        if exc.path:
            # The model names its own field; the document's place comes first.
            raise bad(where, f"in the inventory, {exc.path}: {exc.reason}") from None
        raise bad(where, exc.reason) from None


def parse_document(document: Document, path: str, limits: InventoryLimits) -> PSValue:
    """Return the parsed ``document`` as a node at ``path``, read as strictly as an inventory.

    Text and bytes over ``limits.max_bytes`` are refused before they are parsed.
    Every problem found is placed under ``path`` (``hosts[0]``).
    """
    if not isinstance(document, str | bytes | bytearray):
        return PSValue(document, path, limits)
    try:
        value = load_document(document, limits=raw_limits(limits))
    except InventoryError as exc:
        raise InventoryError(
            [Problem(f"{path}.{p.path}" if p.path else path, p.message) for p in exc.problems],
            count=exc.count,
        ) from None
    return PSValue(value, path, limits)


def raw_limits(limits: InventoryLimits) -> InventoryLimits:
    """Return the limits a whole collector document is parsed under.

    A document carries command output (``vssadmin list writers``), which may be
    longer than the strings an inventory takes: its strings are held to what
    the readers of that output accept (:data:`~hyperv_backup.readers.MAX_TEXT_LENGTH`),
    and each string that goes into the inventory to ``limits.max_string``.
    """
    return attrs.evolve(limits, max_string=max(limits.max_string, MAX_TEXT_LENGTH))


def document_list(documents: object, label: str, limits: InventoryLimits) -> list[PSValue]:
    """Parse each of a sequence of documents; ``label`` names them (``hosts[0]``).

    Anything but a sequence (one document, ``None``) is a programming error:
    :class:`TypeError`.
    """
    if not isinstance(documents, Sequence) or isinstance(documents, str | bytes | bytearray):
        msg = (
            f"{label}: expected a sequence (such as a list) of documents, got "
            f"{type(documents).__name__}"
        )
        raise TypeError(msg)
    return [
        parse_document(document, f"{label}[{i}]", limits) for i, document in enumerate(documents)
    ]


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

    def items(self, node: PSValue, name: str) -> list[PSValue]:
        """Return the elements of the array ``name`` of ``node``; none, noted, if unreadable."""
        found = self.attempt(lambda: list(node.get(name).items()))
        return found or []

    def each(self, nodes: Iterable[PSValue], read: Callable[[PSValue], _T | None]) -> list[_T]:
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


class PSValue:
    """One value of a collector document, with its path and the limits it is read under."""

    __slots__ = ("limits", "path", "value")

    def __init__(self, value: Any, path: str, limits: InventoryLimits = DEFAULT_LIMITS) -> None:
        self.value = value
        self.path = path
        self.limits = limits

    def __repr__(self) -> str:
        return f"PSValue({shown(self.value, kind=True)} at {self.path!r})"

    def _child(self, value: Any, path: str) -> PSValue:
        return PSValue(value, path, self.limits)

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
            raise bad(self.path, f"expected an object, got {shown(self.value, kind=True)}{hint}")
        return self.value

    def _key(self, name: str) -> str | None:
        """Return the spelling of property ``name`` in this object, found without regard to case."""
        wanted = name.casefold()
        matches = []
        for key in self._object():
            if not isinstance(key, str):
                raise bad(
                    self.path,
                    f"a property name is {shown(key, kind=True)}; property names are strings",
                )
            if key.casefold() == wanted:
                matches.append(key)
        if not matches:
            return None
        name, others = matches[0], matches[1:]
        if others:
            raise bad(
                self.path,
                f"properties {shown(name)} and {shown(others[0])} differ only in case; "
                "PowerShell would read them as one",
            )
        return name

    def has(self, name: str) -> bool:
        """Whether the object has the property ``name`` with a value other than null."""
        key = self._key(name)
        return key is not None and self._object()[key] is not None

    def get(self, name: str) -> PSValue:
        """Return the property ``name``, which must be present (it may be null)."""
        key = self._key(name)
        if key is None:
            raise bad(f"{self.path}.{name}", "required field missing")
        return self._child(self._object()[key], f"{self.path}.{key}")

    def opt(self, name: str) -> PSValue:
        """Return the property ``name``, or a null node when it is absent."""
        key = self._key(name)
        if key is None:
            return self._child(None, f"{self.path}.{name}")
        return self._child(self._object()[key], f"{self.path}.{key}")

    # --- values ----------------------------------------------------------------------

    @property
    def is_null(self) -> bool:
        """Whether the value is null."""
        return self.value is None

    def items(self) -> Iterator[PSValue]:
        """Return the elements of an array; one object stands for an array of one, null for none."""
        value = self.value
        if value is None:
            return iter(())
        if isinstance(value, list | tuple):
            return (self._child(item, f"{self.path}[{i}]") for i, item in enumerate(value))
        if isinstance(value, Mapping | str | int | float):
            # ConvertTo-Json writes a one-element array as its element.
            return iter((self._child(value, f"{self.path}[0]"),))
        raise bad(self.path, f"expected an array, got {shown(value, kind=True)}")

    def text(self) -> str:
        """Return a string, which must not be empty nor longer than ``limits.max_string``."""
        value = self.value
        if not isinstance(value, str) or not value.strip():
            raise bad(self.path, f"expected a non-empty string, got {shown(value, kind=True)}")
        limit = self.limits.max_string
        if len(value) > limit:
            raise bad(
                self.path,
                f"a string of {len(value)} characters is longer than the limit of {limit}",
            )
        if not value.isascii():
            # JSON may escape half of a surrogate pair ("\ud800"): refused, as an
            # inventory refuses it, so that what collect writes reads back.
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise bad(
                    self.path, f"not valid Unicode: a lone surrogate at character {exc.start}"
                ) from None
        return value

    def opt_text(self) -> str | None:
        """Return a string, or ``None`` for null or an empty string."""
        if self.value is None or self.value == "":
            return None
        return self.text()

    def raw_text(self) -> str:
        """Return a string as captured (command output), which may hold anything.

        Not held to ``limits.max_string``: a listing of every VSS writer of a
        busy server can be longer. The document's size bounds it, and the
        readers of :mod:`hyperv_backup.readers` have their own limit.
        """
        if not isinstance(self.value, str):
            raise bad(
                self.path,
                f"expected the command's output as a string, got {shown(self.value, kind=True)}",
            )
        return self.value

    def opt_guid(self) -> str | None:
        """Return a GUID in the form two of them compare in (lower case, no braces), or ``None``.

        Null or an empty string is ``None``; any other string must be a GUID,
        with or without braces.
        """
        text = self.opt_text()
        if text is None:
            return None
        key = normal_guid(text.strip())
        if key is None:
            raise bad(
                self.path,
                "expected a GUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301, got "
                f"{shown(text, kind=True)}",
            )
        return key

    def name(self) -> str:
        """Return a name: a string, or an object carrying it in ``Name``."""
        if isinstance(self.value, Mapping):
            return self.get("Name").text()
        return self.text()

    def integer(self) -> int:
        """Return a whole number."""
        value = self.value
        if type(value) is not int:
            raise bad(self.path, f"expected a whole number, got {shown(value, kind=True)}")
        return value

    def opt_integer(self) -> int | None:
        """Return a whole number, or ``None`` for null."""
        return None if self.value is None else self.integer()

    def flag(self) -> bool:
        """Return a boolean (``true`` or ``false``, never ``"True"`` or ``1``)."""
        if type(self.value) is not bool:
            raise bad(self.path, f"expected true or false, got {shown(self.value, kind=True)}")
        return self.value

    def opt_flag(self) -> bool | None:
        """Return a boolean, or ``None`` for null or absent."""
        return None if self.value is None else self.flag()

    def date(self) -> datetime:
        r"""Return a point in time: ``\/Date(ms)\/``, ISO 8601, or either as ``{"value": ...}``.

        A date without a UTC offset is taken as UTC. Windows PowerShell 5.1
        wraps a date in ``{"value": ...}`` once; a wrapper inside it is refused.
        """
        node = self.get("value") if isinstance(self.value, Mapping) else self
        return node._plain_date(wrapped=node is not self)

    def _plain_date(self, *, wrapped: bool) -> datetime:
        value = self.value
        if not isinstance(value, str):
            hint = ' (a date is wrapped in {"value": ...} at most once)' if wrapped else ""
            raise bad(self.path, f"expected a date, got {shown(value, kind=True)}{hint}")
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
            "expected a date as \\/Date(milliseconds)\\/ or ISO 8601, got "
            f"{shown(value, kind=True)}",
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
                    f"{what} is {shown(spelled)}, but {name}Name says {shown(named)}",
                )
            named, name_node = spelled, number_node
        if number is None and named is None:
            raise bad(number_node.path, f"required field missing: the {what}")
        if number is not None:
            if version_dependent is not None and number >= version_dependent:
                also = f" (given as {shown(named)})" if named is not None else ""
                raise bad(
                    number_node.path,
                    f"{what} {shown(number)}{also} is version-dependent: codes from "
                    f"{version_dependent} on mean different things in different Hyper-V "
                    "module versions, so it is not read",
                )
            code = table.get(number)
            if code is None:
                raise bad(number_node.path, f"unknown {what} {shown(number)}{_known(table)}")
            if named is not None and _fold(named) != _fold(code.name):
                raise bad(
                    number_node.path,
                    f"{what} {number} is {code.name!r}, but {name}Name says {shown(named)}",
                )
            return code
        assert named is not None  # noqa: S101 - one of the two is set, checked above
        key = _fold(named)
        by_name = {_fold(c.name): c for c in table.values()}
        found = by_name.get(key)
        if found is None and aliases is not None and key in aliases:
            found = table.get(aliases[key])
        if found is None:
            raise bad(name_node.path, f"unknown {what} {shown(named)}{_known(table)}")
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


def _split_enum(node: PSValue) -> tuple[int | None, str | None]:
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
    raise bad(node.path, f"expected an enum as a number or a name, got {shown(value, kind=True)}")


def _enum_name(node: PSValue) -> str | None:
    value = node.value
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise bad(node.path, f"expected the enum's name as a string, got {shown(value, kind=True)}")
    # A name made of digits is the number again ("$($x.State)" on a plain number).
    return None if _DIGITS.fullmatch(value.strip()) else value.strip()
