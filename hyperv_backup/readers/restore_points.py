r"""Reading and writing the product-neutral restore-point format, as JSON or CSV.

Any product's catalogue can be written in this format (``docs/catalogues.md``
maps Veeam's and DPM's exports to it); the bundled examples' catalogues are
in it, and ``collect -o`` keeps a host's Windows Server Backup catalogue in it.

JSON is one object: ``restore_points``, each one VM's point (``vm``,
``taken_at``, ``level``, ``product``, and optionally ``vm_id``, ``host``,
``consistency``, ``covers``, ``usable``, ``id``, ``location``),
``network_records``, each a record of a host's virtual networks (``host``,
``taken_at``, ``networks``, and optionally ``product``, ``location``), and
optionally ``exported_at`` and ``$schema`` (:data:`RESTORE_POINTS_SCHEMA`).
Times carry their offset from UTC; a time without one is refused. Unknown
keys are refused, naming their path.

CSV has a header row naming its columns, the same names; ``covers`` lists
names separated by ``;``; a row whose ``kind`` is ``networks`` is a network
record (its ``covers`` names the networks), any other a restore point.

>>> read = restore_points_csv(
...     "vm,host,taken_at,level,consistency,product\n"
...     "SQL01,HV01,2026-12-06T22:10:00Z,host,application_consistent,Windows Server Backup\n")
>>> [(p.vm, p.taken_at.isoformat(), p.consistency.value) for p in read.catalogue.points]
[('SQL01', '2026-12-06T22:10:00+00:00', 'application_consistent')]
>>> restore_points_json('{"restore_points": [{"vm": "SQL01", "taken_at": "2026-12-06T22:10:00",'
...                     ' "level": "host", "product": "x"}]}')
Traceback (most recent call last):
...
hyperv_backup.inventory.InventoryError: restore_points[0].taken_at: expected a time with its offset from UTC, such as "2026-12-06T22:10:00Z" (no time zone is guessed), found "2026-12-06T22:10:00"
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from hyperv_backup._base import public_dir
from hyperv_backup.inventory import (
    InventoryError,
    Problem,
    decode_text,
    load_document,
)
from hyperv_backup.model import (
    BackupLevel,
    Catalogue,
    Consistency,
    NetworkRecord,
    RestorePoint,
)
from hyperv_backup.readers._catalogue import (
    CATALOGUE_LIMITS,
    CatalogueRead,
    Records,
    aware_time,
    shown_value,
)

__all__ = [
    "CSV_COLUMNS",
    "RESTORE_POINTS_SCHEMA",
    "dump_restore_points",
    "restore_points_csv",
    "restore_points_json",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: The ``$schema`` of the format's JSON (``hyperv_backup/schemas/restore-points.json``).
RESTORE_POINTS_SCHEMA = "urn:hyperv-backup:schema:restore-points:1"

_POINT_KEYS = (
    "vm",
    "vm_id",
    "host",
    "taken_at",
    "level",
    "consistency",
    "product",
    "covers",
    "usable",
    "id",
    "location",
)
_POINT_REQUIRED = ("vm", "taken_at", "level", "product")
_RECORD_KEYS = ("host", "taken_at", "networks", "product", "location")
_RECORD_REQUIRED = ("host", "taken_at", "networks")
_TOP_KEYS = ("$schema", "exported_at", "restore_points", "network_records")

#: The columns of the CSV form, in the order the writer puts them.
CSV_COLUMNS = ("kind", *_POINT_KEYS)


def _error(path: str, message: str) -> InventoryError:
    return InventoryError([Problem(path, message)])


def _at(where: str, key: str) -> str:
    if where.startswith("line "):
        return f"{where}, {key}"  # a CSV row: its line, then the column
    return f"{where}.{key}" if where else key


def _time(value: object, path: str) -> datetime:
    stamp = aware_time(value)
    if stamp is None:
        raise _error(
            path,
            'expected a time with its offset from UTC, such as "2026-12-06T22:10:00Z" '
            f"(no time zone is guessed), found {shown_value(value)}",
        )
    return stamp


def _required(item: Mapping[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _error(_at(where, key), f"expected a non-empty string, found {shown_value(value)}")
    return value


def _text(item: Mapping[str, Any], key: str, where: str) -> str | None:
    return None if item.get(key) is None else _required(item, key, where)


def _names(item: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = item.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _error(_at(where, key), f"expected an array of names, found {shown_value(value)}")
    return tuple(value)


def _choice(value: str, key: str, where: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        names = ", ".join(repr(a) for a in allowed)
        raise _error(_at(where, key), f"expected one of {names}, found {shown_value(value)}")
    return value


def _keys(
    item: object, where: str, allowed: Sequence[str], required: Sequence[str]
) -> Mapping[str, Any]:
    if not isinstance(item, Mapping):
        raise _error(where, f"expected an object, found {shown_value(item)}")
    for key in item:
        if key not in allowed:
            raise _error(_at(where, str(key)), f"unknown key; expected one of {', '.join(allowed)}")
    for key in required:
        if key not in item:
            raise _error(_at(where, key), "missing")
    return item


_LEVELS = tuple(level.value for level in BackupLevel)
_CONSISTENCIES = tuple(
    c.value for c in Consistency if c not in {Consistency.FAILS, Consistency.NOT_BACKED_UP}
)


def _point(item: object, where: str) -> RestorePoint:
    found = _keys(item, where, _POINT_KEYS, _POINT_REQUIRED)
    consistency = _text(found, "consistency", where)
    usable = found.get("usable", True)
    if type(usable) is not bool:
        raise _error(_at(where, "usable"), f"expected true or false, found {shown_value(usable)}")
    level = _required(found, "level", where)
    return RestorePoint(
        vm=_required(found, "vm", where),
        vm_id=_text(found, "vm_id", where),
        host=_text(found, "host", where),
        taken_at=_time(found["taken_at"], _at(where, "taken_at")),
        level=BackupLevel(_choice(level, "level", where, _LEVELS)),
        consistency=(
            None
            if consistency is None
            else Consistency(_choice(consistency, "consistency", where, _CONSISTENCIES))
        ),
        product=_required(found, "product", where),
        covers=_names(found, "covers", where),
        usable=usable,
        id=_text(found, "id", where),
        location=_text(found, "location", where),
    )


def _record(item: object, where: str) -> NetworkRecord:
    found = _keys(item, where, _RECORD_KEYS, _RECORD_REQUIRED)
    return NetworkRecord(
        host=_required(found, "host", where),
        taken_at=_time(found["taken_at"], _at(where, "taken_at")),
        networks=_names(found, "networks", where),
        product=_text(found, "product", where),
        location=_text(found, "location", where),
    )


def _listed(document: Mapping[str, Any], key: str) -> list[Any]:
    value = document.get(key, [])
    if not isinstance(value, list):
        raise _error(key, f"expected an array, found {shown_value(value)}")
    return value


def restore_points_json(data: str | bytes, *, skip_bad: bool = False) -> CatalogueRead:
    """Read the product-neutral format's JSON.

    A record that cannot be read raises
    :class:`~hyperv_backup.inventory.InventoryError` naming its path
    (``restore_points[3].taken_at``); with ``skip_bad`` it is left out and
    counted. A document that is not this format's always raises.
    """
    document: Any = load_document(data, limits=CATALOGUE_LIMITS)
    if not isinstance(document, Mapping):
        raise _error("", "expected an object holding restore_points")
    _keys(document, "", _TOP_KEYS, ())
    schema = document.get("$schema")
    if schema is not None and schema != RESTORE_POINTS_SCHEMA:
        raise _error("$schema", f"expected {RESTORE_POINTS_SCHEMA!r}, found {shown_value(schema)}")
    exported = document.get("exported_at")
    exported_at = None if exported is None else _time(exported, "exported_at")
    records = Records(skip_bad=skip_bad)
    points = _gather(records, _listed(document, "restore_points"), "restore_points", _point)
    networks = _gather(records, _listed(document, "network_records"), "network_records", _record)
    return CatalogueRead(
        catalogue=Catalogue(points=points, networks=networks, exported_at=exported_at),
        form="restore-points-json",
        skipped=len(records.problems),
        problems=tuple(records.problems),
    )


def _gather(
    records: Records, items: list[Any], key: str, make: Callable[[object, str], Any]
) -> list[Any]:
    found = []
    for index, item in enumerate(items):
        where = f"{key}[{index}]"
        made = records.read(where, functools.partial(make, item, where))
        if made is not None:
            found.append(made)
    return found


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _csv_record(row: Mapping[str, str], line: int) -> RestorePoint | NetworkRecord:
    where = f"line {line}"
    cells = {key: value.strip() for key, value in row.items() if value.strip()}
    kind = cells.pop("kind", "restore_point")
    if kind == "networks":
        unused = [
            k for k in cells if k not in {"host", "taken_at", "covers", "product", "location"}
        ]
        if unused:
            raise _error(
                f"{where}, {unused[0]}", "a network record has no such column; leave it empty"
            )
        if "covers" not in cells:
            raise _error(f"{where}, covers", "a network record names its networks in covers")
        record = {key: value for key, value in cells.items() if key != "covers"}
        return _record({**record, "networks": _split(cells["covers"])}, where)
    if kind != "restore_point":
        raise _error(f"{where}, kind", f"expected 'restore_point' or 'networks', found {kind!r}")
    item: dict[str, Any] = dict(cells)
    if "covers" in item:
        item["covers"] = _split(item["covers"])
    if "usable" in item:
        usable = item["usable"].casefold()
        if usable not in {"true", "false"}:
            raise _error(f"{where}, usable", f"expected true or false, found {item['usable']!r}")
        item["usable"] = usable == "true"
    return _point(item, where)


def _columns(reader: Any) -> list[str]:
    """Read the header row: the column names, each known and named once."""
    try:
        columns = next(reader, None)
    except csv.Error as exc:
        raise _error("line 1", f"not CSV: {exc}") from None
    if not columns or not any(c.strip() for c in columns):
        raise _error(
            "line 1", "expected a header row naming the columns (vm, taken_at, level, product, ...)"
        )
    names = [c.strip().casefold() for c in columns]
    for name in names:
        if name not in CSV_COLUMNS:
            raise _error(
                f"line 1, {name}", f"unknown column; expected some of {', '.join(CSV_COLUMNS)}"
            )
    if len(set(names)) != len(names):
        raise _error("line 1", "a column is named twice")
    if "taken_at" not in names:
        raise _error("line 1", "the column taken_at is missing")
    return names


def _row(names: list[str], row: list[str], start: int) -> RestorePoint | NetworkRecord:
    if len(row) != len(names):
        raise _error(f"line {start}", f"expected {len(names)} cells, found {len(row)}")
    return _csv_record(dict(zip(names, row, strict=True)), start)


def restore_points_csv(data: str | bytes, *, skip_bad: bool = False) -> CatalogueRead:
    """Read the product-neutral format's CSV: a header row, then one record per row.

    The delimiter is a comma, or a semicolon when the header holds one and no
    comma (``Export-Csv -UseCulture`` in many locales). A row that cannot be
    read raises :class:`~hyperv_backup.inventory.InventoryError` naming its
    line and column (``line 12, taken_at``); with ``skip_bad`` it is left out
    and counted. A header naming an unknown column, or lacking ``taken_at``,
    always raises, and so does text that is not CSV.
    """
    limit = CATALOGUE_LIMITS.max_bytes
    if len(data) > limit:
        raise _error("", f"the document is larger than the limit of {limit} bytes")
    text = (data if isinstance(data, str) else decode_text(bytes(data))).removeprefix("\ufeff")
    header, _, rest = text.partition("\n")
    # Windows PowerShell 5.1's Export-Csv writes "#TYPE ..." above the header
    # unless given -NoTypeInformation: that line is passed over.
    typed = header.startswith("#TYPE ")
    if typed:
        header = rest.split("\n", 1)[0]
    delimiter = ";" if ";" in header and "," not in header else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    if typed:
        next(reader, None)
    names = _columns(reader)
    records = Records(skip_bad=skip_bad)
    found: list[RestorePoint | NetworkRecord | None] = []
    line = reader.line_num
    while True:
        start = line + 1
        try:
            row = next(reader, None)
        except csv.Error as exc:
            raise _error(f"line {start}", f"not CSV: {exc}") from None
        if row is None:
            break
        line = reader.line_num
        if any(cell.strip() for cell in row):
            if len(found) >= CATALOGUE_LIMITS.max_items:
                raise _error(f"line {start}", f"more than {CATALOGUE_LIMITS.max_items} rows")
            found.append(records.read(f"line {start}", functools.partial(_row, names, row, start)))
    return CatalogueRead(
        catalogue=Catalogue(
            points=[r for r in found if isinstance(r, RestorePoint)],
            networks=[r for r in found if isinstance(r, NetworkRecord)],
        ),
        form="restore-points-csv",
        skipped=len(records.problems),
        problems=tuple(records.problems),
    )


def _point_dict(point: RestorePoint) -> dict[str, Any]:
    found: dict[str, Any] = {"vm": point.vm}
    if point.vm_id is not None:
        found["vm_id"] = point.vm_id
    if point.host is not None:
        found["host"] = point.host
    found["taken_at"] = point.taken_at.isoformat().replace("+00:00", "Z")
    found["level"] = point.level.value
    if point.consistency is not None:
        found["consistency"] = point.consistency.value
    found["product"] = point.product
    if point.covers:
        found["covers"] = list(point.covers)
    if not point.usable:
        found["usable"] = False
    for key in ("id", "location"):
        value = getattr(point, key)
        if value is not None:
            found[key] = value
    return found


def _record_dict(record: NetworkRecord) -> dict[str, Any]:
    found: dict[str, Any] = {
        "host": record.host,
        "taken_at": record.taken_at.isoformat().replace("+00:00", "Z"),
        "networks": list(record.networks),
    }
    for key in ("product", "location"):
        value = getattr(record, key)
        if value is not None:
            found[key] = value
    return found


def dump_restore_points(catalogue: Catalogue) -> dict[str, Any]:
    """Return ``catalogue`` as the format's JSON document (a dictionary), with its ``$schema``.

    :func:`restore_points_json` reads it back to the same catalogue.
    """
    document: dict[str, Any] = {"$schema": RESTORE_POINTS_SCHEMA}
    if catalogue.exported_at is not None:
        document["exported_at"] = catalogue.exported_at.isoformat().replace("+00:00", "Z")
    document["restore_points"] = [_point_dict(p) for p in catalogue.points]
    if catalogue.networks:
        document["network_records"] = [_record_dict(r) for r in catalogue.networks]
    return document
