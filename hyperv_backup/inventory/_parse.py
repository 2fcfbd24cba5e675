"""Reading an inventory into the model, and writing one out."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from hyperv_backup.inventory import _quick
from hyperv_backup.inventory._json import check_limits, decode, loads, read_at_most
from hyperv_backup.inventory._positions import with_positions
from hyperv_backup.inventory._problems import (
    CURRENT_LIMITS,
    DEFAULT_LIMITS,
    InventoryError,
    InventoryLimits,
    describe,
    error,
)
from hyperv_backup.model import Cluster, Host

__all__ = ["INVENTORY_SCHEMA", "dump_inventory", "parse_inventory", "read_inventory", "with_schema"]

#: The ``$id`` of the inventory's JSON Schema (``hyperv_backup/schemas/inventory.json``),
#: which ``collect`` and ``example`` write as the document's ``$schema``.
INVENTORY_SCHEMA = "urn:hyperv-backup:schema:inventory:1"

#: The top-level keys that are no field of the host or cluster: what it is, and its schema.
_NOT_FIELDS = frozenset({"kind", "$schema"})

#: The top-level ``kind`` of each root class.
_KINDS: Mapping[str, type[Host] | type[Cluster]] = {"host": Host, "cluster": Cluster}


def parse_inventory(
    data: str | bytes | Mapping[str, Any], *, limits: InventoryLimits = DEFAULT_LIMITS
) -> Host | Cluster:
    """Build a :class:`Host` or :class:`Cluster` from JSON text, bytes or a parsed mapping.

    Raises :class:`InventoryError` for anything that is not a valid inventory,
    or that is over ``limits``.
    """
    if isinstance(data, str | bytes | bytearray) and len(data) > limits.max_bytes:
        raise error("", f"the document is larger than the limit of {limits.max_bytes} bytes")
    token = CURRENT_LIMITS.set(limits)
    try:
        return _parse(data, limits)
    except MemoryError:
        raise error("", "the document does not fit in memory") from None
    finally:
        CURRENT_LIMITS.reset(token)


def _parse(data: str | bytes | Mapping[str, Any], limits: InventoryLimits) -> Host | Cluster:
    if isinstance(data, bytes | bytearray):
        data = decode(bytes(data))
    document = loads(data) if isinstance(data, str) else data
    # Strings are held to their limit as the model is built, each problem with the others.
    check_limits(document, limits, strings=False)
    if not isinstance(document, Mapping):
        raise error("", f"expected a JSON object, got {describe(document)}")
    if "kind" not in document:
        raise error("kind", f"required field missing: 'host' or 'cluster'{_kind_hint(document)}")
    kind = document["kind"]
    cls = _KINDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        hint = ""
        if isinstance(kind, str) and kind.casefold() in _KINDS:
            hint = f"; did you mean {kind.casefold()!r}?"
        raise error("kind", f"expected 'host' or 'cluster', got {describe(kind)}{hint}")
    if "$schema" in document and not isinstance(document["$schema"], str):
        found = describe(document["$schema"])
        raise error("$schema", f"expected the address of a JSON Schema (a string), got {found}")
    # "$schema" points an editor at the schema the document follows; it is no field.
    fields = {key: value for key, value in document.items() if key not in _NOT_FIELDS}
    try:
        return _quick.build(fields, cls, limits.max_string)
    except _quick.GiveUp:
        pass
    # Something is wrong (or unusual) in the document: the careful path finds
    # out what, and where. It is imported only now, as it takes a while to set up.
    from hyperv_backup.inventory import _careful  # noqa: PLC0415

    try:
        return _careful.structure(fields, cls)
    except RecursionError:  # pragma: no cover - the model nests only a few levels
        raise error("", "inventory nested too deeply") from None


def _kind_hint(document: Mapping[str, Any]) -> str:
    """Say which key was meant for ``kind``, when one is ``kind`` in another case."""
    # A mapping built in Python may have keys that are not strings.
    keys: list[object] = list(document)
    spelt = next((k for k in keys if isinstance(k, str) and k.casefold() == "kind"), None)
    return "" if spelt is None else f" ({spelt!r} is no field; did you mean 'kind'?)"


def read_inventory(
    path: str | os.PathLike[str], *, limits: InventoryLimits = DEFAULT_LIMITS
) -> Host | Cluster:
    """Read an inventory file (UTF-8, or UTF-8/UTF-16 with a byte-order mark).

    A missing or unreadable file raises the usual :class:`OSError`; a file over
    ``limits.max_bytes`` is refused before it is read whole. Each problem of
    an :class:`InventoryError` says where it is in the file: its line and column.
    """
    with open(path, "rb") as file:  # noqa: PTH123 - accepts any os.PathLike, as documented
        data = read_at_most(file, limits.max_bytes)
    try:
        return parse_inventory(data, limits=limits)
    except InventoryError as exc:
        # Located only now, from the file's text: reading a valid file costs nothing more.
        raise with_positions(exc, data) from None


def with_schema(document: Mapping[str, Any], schema: str = INVENTORY_SCHEMA) -> dict[str, Any]:
    """Return an inventory document with ``$schema`` first, naming the schema it follows.

    >>> list(with_schema({"kind": "host", "name": "HV01"}))
    ['$schema', 'kind', 'name']
    """
    return {"$schema": schema, **{k: v for k, v in document.items() if k != "$schema"}}


def dump_inventory(obj: Host | Cluster) -> dict[str, Any]:
    """Return the JSON-ready form of an inventory: every field, sets sorted.

    ``parse_inventory(dump_inventory(x)) == x`` for every valid ``x``.
    """
    value: object = obj  # callers without type checking may pass anything
    if not isinstance(value, Host | Cluster):
        msg = f"dump_inventory() takes a Host or a Cluster, got {type(value).__name__}"
        raise TypeError(msg)
    kind = "cluster" if isinstance(value, Cluster) else "host"
    from hyperv_backup.inventory._careful import CONVERTER  # noqa: PLC0415 - see _parse

    body: dict[str, Any] = CONVERTER.unstructure(value)
    return {"kind": kind, **body}
