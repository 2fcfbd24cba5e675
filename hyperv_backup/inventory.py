"""Reading and writing inventories as JSON.

An inventory is one JSON object: a host (``"kind": "host"``) or a failover
cluster (``"kind": "cluster"``). Keys are the model's field names, enums are
their JSON spellings, omitted fields take their defaults. Reading is strict:
unknown keys, duplicate keys, values of the wrong JSON type (``"false"`` is not
``false``, ``1`` is not ``"1"``), ``NaN`` and the cross-field mistakes the
model refuses (a ``shadow_storage`` naming a volume the VM lacks, a clustered
VM listed under a node that does not own it, duplicate names) are all
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
import contextvars
import json
import os
from collections.abc import Iterable, Mapping
from typing import Any, BinaryIO

import attrs

from hyperv_backup import _quick
from hyperv_backup._errors import HypervBackupError
from hyperv_backup._gc import paused_collector
from hyperv_backup.model import (
    Cluster,
    Host,
    safe_repr,
)

__all__ = [
    "DEFAULT_LIMITS",
    "InventoryError",
    "InventoryLimits",
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

    ``problems`` lists everything found wrong, object by object in document
    order; ``path`` is the path of the first.
    """

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        if not problems:
            msg = "an InventoryError needs at least one problem"
            raise ValueError(msg)
        self.problems = tuple(problems)
        self.path = self.problems[0].path
        super().__init__("\n".join(str(p) for p in self.problems))


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
    characters).
    """

    max_bytes: int = attrs.field(default=256 * 1024 * 1024, validator=_positive)
    max_string: int = attrs.field(default=32_767, validator=_positive)


#: The limits used when none are given.
DEFAULT_LIMITS = InventoryLimits()

# The limits of the parse under way, per thread (context), read by the string hook.
_LIMITS: contextvars.ContextVar[InventoryLimits] = contextvars.ContextVar(
    "hyperv_backup_inventory_limits", default=DEFAULT_LIMITS
)

#: How much of a bad key or value an error message quotes.
_SHOWN_CHARACTERS = 60


def _shorten(text: str) -> str:
    if len(text) <= _SHOWN_CHARACTERS:
        return text
    return f"{text[:_SHOWN_CHARACTERS]}... ({len(text)} characters)"


def _error(path: str, message: str) -> InventoryError:
    return InventoryError([Problem(path, message)])


# --- decoding ------------------------------------------------------------------------

#: Byte-order marks and the codec of the text after each, longest first (a UTF-32 LE
#: mark begins with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)


def _decode(data: bytes) -> str:
    """Decode UTF-8, or UTF-8/16/32 with a byte-order mark (Windows PowerShell 5.1 writes them)."""
    bom, codec, label = next(
        (entry for entry in _BOMS if data.startswith(entry[0])), (b"", "utf-8", "UTF-8")
    )
    try:
        return data[len(bom) :].decode(codec)
    except UnicodeDecodeError as exc:
        # Offsets count from the start of the file, byte-order mark included.
        offset = exc.start + len(bom)
        raise _error("", f"not valid {label} text at byte offset {offset}") from None


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
            return Problem(path, f"duplicate key {_shorten(noted[0])!r} in one object")
        items: Iterable[tuple[str, Any]] = ((_join(path, k), v) for k, v in value.items())
    elif isinstance(value, list):
        items = ((f"{path}[{i}]", v) for i, v in enumerate(value))
    else:
        return None
    for child, item in items:
        found = _locate(item, duplicates, child)
        if found is not None:
            return found
    return None


def _loads(text: str) -> Any:
    parser = _Parser()
    try:
        document = json.loads(
            text.removeprefix("\ufeff"),
            object_pairs_hook=parser.object_pairs,
            parse_constant=parser.constant,
            parse_int=parser.integer,
        )
    except json.JSONDecodeError as exc:
        raise _error(
            "", f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise _error("", "JSON nested too deeply") from None
    if parser.flawed:
        problem = _locate(document, parser.duplicates)
        assert problem is not None  # noqa: S101 - every flaw noted is in the document
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
    }
    if value is None:
        return "null"
    kind = kinds.get(type(value), type(value).__name__)
    if isinstance(value, dict | list | tuple):
        return kind
    text = safe_repr(value)
    return kind if len(text) > 60 else f"{kind} {text}"


#: The top-level ``kind`` of each root class.
_KINDS: Mapping[str, type[Host] | type[Cluster]] = {"host": Host, "cluster": Cluster}


def _join(path: str, key: object) -> str:
    shown = _shorten(key) if isinstance(key, str) else safe_repr(key)
    return f"{path}.{shown}" if path else shown


def parse_inventory(
    data: str | bytes | Mapping[str, Any], *, limits: InventoryLimits = DEFAULT_LIMITS
) -> Host | Cluster:
    """Build a :class:`Host` or :class:`Cluster` from JSON text, bytes or a parsed mapping.

    Raises :class:`InventoryError` for anything that is not a valid inventory,
    or that is over ``limits``.
    """
    if isinstance(data, str | bytes | bytearray) and len(data) > limits.max_bytes:
        raise _error("", f"the document is larger than the limit of {limits.max_bytes} bytes")
    token = _LIMITS.set(limits)
    try:
        with paused_collector():
            return _parse(data, limits)
    except MemoryError:
        raise _error("", "the document does not fit in memory") from None
    finally:
        _LIMITS.reset(token)


def _parse(data: str | bytes | Mapping[str, Any], limits: InventoryLimits) -> Host | Cluster:
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
        return _quick.build(fields, cls, limits.max_string)
    except _quick.GiveUp:
        pass
    # Something is wrong (or unusual) in the document: the careful path finds
    # out what, and where. It is imported only now, as it takes a while to set up.
    from hyperv_backup import _careful  # noqa: PLC0415

    try:
        return _careful.structure(fields, cls)
    except RecursionError:  # pragma: no cover - the model nests only a few levels
        raise _error("", "inventory nested too deeply") from None


def read_inventory(
    path: str | os.PathLike[str], *, limits: InventoryLimits = DEFAULT_LIMITS
) -> Host | Cluster:
    """Read an inventory file (UTF-8, or UTF-8/UTF-16 with a byte-order mark).

    A missing or unreadable file raises the usual :class:`OSError`; a file over
    ``limits.max_bytes`` is refused before it is read whole.
    """
    with open(path, "rb") as file:  # noqa: PTH123 - accepts any os.PathLike, as documented
        data = _read_at_most(file, limits.max_bytes)
    return parse_inventory(data, limits=limits)


def _read_at_most(file: BinaryIO, limit: int) -> bytes:
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
        raise _error("", f"the document is larger than the limit of {limit} bytes")
    if size:
        return file.read()
    chunks: list[bytes] = []
    total = 0
    while total <= limit and (chunk := file.read(min(1 << 20, limit + 1 - total))):
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def dump_inventory(obj: Host | Cluster) -> dict[str, Any]:
    """Return the JSON-ready form of an inventory: every field, sets sorted.

    ``parse_inventory(dump_inventory(x)) == x`` for every valid ``x``.
    """
    value: object = obj  # callers without type checking may pass anything
    if not isinstance(value, Host | Cluster):
        msg = f"dump_inventory() takes a Host or a Cluster, got {type(value).__name__}"
        raise TypeError(msg)
    kind = "cluster" if isinstance(value, Cluster) else "host"
    from hyperv_backup._careful import CONVERTER  # noqa: PLC0415 - see _parse

    body: dict[str, Any] = CONVERTER.unstructure(value)
    return {"kind": kind, **body}

