"""Reading and writing inventories as JSON.

An inventory is one JSON object: a host (``"kind": "host"``) or a failover
cluster (``"kind": "cluster"``). Keys are the model's field names, enums are
their JSON spellings, omitted fields take their defaults. Reading is strict:
unknown keys, duplicate keys, values of the wrong JSON type (``"false"`` is not
``false``, ``1`` is not ``"1"``), ``NaN`` and broken references are all
rejected with an :class:`InventoryError` that names where the problem is.

>>> host = parse_inventory('{"kind": "host", "name": "HV01", "os": "windows_server_2008_r2"}')
>>> host.name, host.os
('HV01', <HostOS.WINDOWS_SERVER_2008_R2: 'windows_server_2008_r2'>)
>>> parse_inventory('{"kind": "host", "name": "HV01", "os": "windows_server_2008_r2", '
...                 '"vms": [{"name": "SQL01", "state": "running", "disks": [{"name": "D0", '
...                 '"attachment": "usb"}]}]}')
Traceback (most recent call last):
...
hyperv_backup.inventory.InventoryError: vms[0].disks[0].attachment: expected one of 'virtual_hard_disk', 'pass_through', 'guest_iscsi', got 'usb'
"""

from __future__ import annotations

import codecs
import enum
import json
import os
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn

from hyperv_backup._errors import HypervBackupError
from hyperv_backup.model import (
    VM,
    BackupApplication,
    Cluster,
    ClusterGroup,
    Disk,
    Host,
    ModelError,
    NetworkAdapter,
    VirtualNetwork,
    Volume,
)

__all__ = [
    "InventoryError",
    "Problem",
    "dump_inventory",
    "parse_inventory",
    "read_inventory",
]


@attrs.frozen
class Problem:
    """One thing wrong with an inventory: where (``path``) and what (``message``).

    ``path`` is written like ``nodes[1].vms[3].disks[0].attachment``; it is
    empty for the document as a whole.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '<document>'}: {self.message}"


class InventoryError(HypervBackupError):
    """An inventory could not be read.

    ``problems`` lists everything found wrong, in document order; ``path`` is
    the path of the first.
    """

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        self.path = self.problems[0].path
        super().__init__("\n".join(str(p) for p in self.problems))


def _error(path: str, message: str) -> InventoryError:
    return InventoryError([Problem(path, message)])


# --- decoding ------------------------------------------------------------------------

#: Byte-order marks and the codec each one selects, longest first (a UTF-32 LE mark
#: begins with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode(data: bytes) -> str:
    """Decode UTF-8, or UTF-8/16/32 with a byte-order mark (Windows PowerShell 5.1 writes them)."""
    codec = next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8")
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise _error("", f"not valid {codec} text at byte offset {exc.start}") from None


class _DuplicateKeys:
    """An ``object_pairs_hook`` that remembers each object holding a repeated key."""

    def __init__(self) -> None:
        self.found: dict[int, str] = {}

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            key = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
            self.found[id(obj)] = key
        return obj


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a valid JSON number")


def _locate(value: Any, targets: Mapping[int, str], path: str = "") -> Problem | None:
    """Find, in document order, the first object ``targets`` names, with its path."""
    if isinstance(value, dict):
        if id(value) in targets:
            return Problem(path, f"duplicate key {targets[id(value)]!r} in one object")
        for key, item in value.items():
            found = _locate(item, targets, _join(path, key))
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _locate(item, targets, f"{path}[{index}]")
            if found is not None:
                return found
    return None


def _loads(text: str) -> Any:
    duplicates = _DuplicateKeys()
    try:
        document = json.loads(
            text.removeprefix("\ufeff"),
            object_pairs_hook=duplicates,
            parse_constant=_reject_constant,
        )
    except json.JSONDecodeError as exc:
        raise _error(
            "", f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise _error("", "JSON nested too deeply") from None
    except ValueError as exc:  # NaN / Infinity, integers too long to convert
        raise _error("", str(exc)) from None
    if duplicates.found:
        problem = _locate(document, duplicates.found)
        assert problem is not None  # noqa: S101 - every recorded object is in the document
        raise InventoryError([problem])
    return document


# --- structuring ---------------------------------------------------------------------


def _describe(value: object) -> str:
    kinds = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "an array",
        tuple: "an array",
        dict: "an object",
        type(None): "null",
    }
    kind = kinds.get(type(value), type(value).__name__)
    text = repr(value)
    return kind if len(text) > 60 or isinstance(value, dict | list | tuple) else f"{kind} {text}"


def _strict_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {_describe(value)}")
    return value


def _strict_bool(value: object, _: type) -> bool:
    if type(value) is not bool:
        raise TypeError(f"expected true or false, got {_describe(value)}")
    return value


def _strict_int(value: object, _: type) -> int:
    if type(value) is not int:
        raise TypeError(f"expected an integer, got {_describe(value)}")
    return value


def _structure_enum(value: object, cls: type[enum.StrEnum]) -> enum.StrEnum:
    if isinstance(value, str):
        try:
            return cls(value)
        except ValueError:
            pass
    allowed = ", ".join(repr(m.value) for m in cls)
    raise ValueError(f"expected one of {allowed}, got {_describe(value)}")


def _enum_value(member: enum.StrEnum) -> str:
    return member.value


def _is_enum(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, enum.Enum)


def _is_collection(cls: Any) -> bool:
    origin = getattr(cls, "__origin__", None)
    return origin is tuple or origin is frozenset


def _collection_hook(cls: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    item_type = cls.__args__[0]
    item_hook = converter.get_structure_hook(item_type)
    build = cls.__origin__

    def structure(value: Any, _: Any) -> Any:
        # Only a JSON array will do: a string or an object is iterable too.
        if not isinstance(value, list | tuple):
            raise TypeError(f"expected an array, got {_describe(value)}")
        items = []
        errors: list[Exception] = []
        for index, item in enumerate(value):
            try:
                items.append(item_hook(item, item_type))
            except Exception as exc:  # collected and reported with their index
                exc.__notes__ = [
                    *getattr(exc, "__notes__", []),
                    IterableValidationNote(f"Structuring {cls} @ index {index}", index, item_type),
                ]
                errors.append(exc)
        if errors:
            raise IterableValidationError(f"While structuring {cls!r}", errors, cls)
        return build(items)

    return structure


def _is_tuple(cls: Any) -> bool:
    return getattr(cls, "__origin__", None) is tuple


def _is_frozenset(cls: Any) -> bool:
    return getattr(cls, "__origin__", None) is frozenset


def _is_model(cls: Any) -> bool:
    return isinstance(cls, type) and attrs.has(cls)


def _model_hook(cls: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    generated = make_dict_structure_fn(cls, converter)

    def structure(value: Any, _: Any) -> Any:
        if not isinstance(value, Mapping):
            raise TypeError(f"expected an object, got {_describe(value)}")
        return generated(value, cls)

    return structure


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    # cattrs coerces by default ("false" -> True, 1 -> "1"): a silent wrong answer
    # for a rules engine. Only the JSON type itself is accepted.
    converter.register_structure_hook(str, _strict_str)
    converter.register_structure_hook(bool, _strict_bool)
    converter.register_structure_hook(int, _strict_int)
    converter.register_structure_hook_func(_is_enum, _structure_enum)
    converter.register_structure_hook_factory(_is_collection, _collection_hook)
    converter.register_structure_hook_factory(_is_model, _model_hook)
    # StrEnum before str in the MRO: members are written as plain strings.
    converter.register_unstructure_hook(enum.StrEnum, _enum_value)
    converter.register_unstructure_hook_func(
        _is_tuple, lambda items: [converter.unstructure(i) for i in items]
    )
    # Sets are written sorted, so one model always gives the same document.
    converter.register_unstructure_hook_func(_is_frozenset, sorted)
    return converter


_CONVERTER = _make_converter()

#: The top-level ``kind`` of each root class.
_KINDS: Mapping[str, type[Host] | type[Cluster]] = {"host": Host, "cluster": Cluster}


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _problems(exc: BaseException, path: str) -> Iterator[Problem]:
    """Turn cattrs' tree of errors into problems with paths."""
    if isinstance(exc, ClassValidationError | IterableValidationError):
        for sub in exc.exceptions:
            child = path
            for note in getattr(sub, "__notes__", ()):
                if isinstance(note, AttributeValidationNote):
                    child = _join(path, note.name)
                elif isinstance(note, IterableValidationNote):
                    child = f"{path}[{note.index}]"
            if isinstance(sub, KeyError) and child != path:
                yield Problem(child, "required field missing")
            else:
                yield from _problems(sub, child)
    elif isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            yield Problem(_join(path, key), "unknown field")
    elif isinstance(exc, ModelError):
        yield Problem(_join(path, exc.path) if exc.path else path, exc.reason)
    else:
        yield Problem(path, str(exc))


def parse_inventory(data: str | bytes | Mapping[str, Any]) -> Host | Cluster:
    """Build a :class:`Host` or :class:`Cluster` from JSON text, bytes or a parsed mapping.

    Raises :class:`InventoryError` for anything that is not a valid inventory.
    """
    if isinstance(data, bytes | bytearray):
        data = _decode(bytes(data))
    document = _loads(data) if isinstance(data, str) else data
    if not isinstance(document, Mapping):
        raise _error("", f"expected a JSON object, got {_describe(document)}")
    if "kind" not in document:
        raise _error("kind", "required field missing: 'host' or 'cluster'")
    kind = document["kind"]
    cls = _KINDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise _error("kind", f"expected 'host' or 'cluster', got {_describe(kind)}")
    fields = {key: value for key, value in document.items() if key != "kind"}
    try:
        return _CONVERTER.structure(fields, cls)
    except (ClassValidationError, ModelError, TypeError, ValueError) as exc:
        raise InventoryError(list(_problems(exc, ""))) from None
    except RecursionError:  # pragma: no cover - the model nests only a few levels
        raise _error("", "inventory nested too deeply") from None


def read_inventory(path: str | os.PathLike[str]) -> Host | Cluster:
    """Read an inventory file (UTF-8, or UTF-8/UTF-16 with a byte-order mark).

    A missing or unreadable file raises the usual :class:`OSError`.
    """
    with open(path, "rb") as file:  # noqa: PTH123 - accepts any os.PathLike, as documented
        return parse_inventory(file.read())


def dump_inventory(obj: Host | Cluster) -> dict[str, Any]:
    """Return the JSON-ready form of an inventory: every field, sets sorted.

    ``parse_inventory(dump_inventory(x)) == x`` for every valid ``x``.
    """
    kind = "cluster" if isinstance(obj, Cluster) else "host"
    body: dict[str, Any] = _CONVERTER.unstructure(obj)
    return {"kind": kind, **body}


#: Every model class that appears in an inventory, for documentation and schemas.
INVENTORY_CLASSES = (
    Cluster,
    Host,
    BackupApplication,
    VirtualNetwork,
    VM,
    ClusterGroup,
    NetworkAdapter,
    Disk,
    Volume,
)
