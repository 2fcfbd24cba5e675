r"""Reading Veeam's ``Get-VBRRestorePoint | ConvertTo-Json``, mapped to restore points.

Veeam documents what ``Get-VBRRestorePoint`` returns (``COib`` objects:
restore points of backup jobs are full and increment backup files, those of
replication jobs are snapshots), but not their properties, and no published
output of it was found. The properties read here are those Veeam's staff and
community scripts read (``VmName``, ``CreationTime``, ``Type``, ``Id``,
``IsConsistent``, ``IsCorrupted``); ``docs/catalogues.md`` gives the mapping
to the product-neutral format, and this reader is it:

* ``VmName`` (else ``Name``) is the VM; ``CreationTime`` when the point was
  taken, read only with its offset from UTC (as Windows PowerShell 5.1's
  ``/Date(...)/`` or an ISO 8601 time with an offset);
* every point is a host-level one, its consistency not recorded;
* ``IsCorrupted: true``, and ``IsConsistent: false`` (read as an incomplete
  point, which is not documented), make it not usable;
* a point whose ``Type`` is the text ``Snapshot`` is a replica's, no backup:
  it is left out, and counted in the result's notes.

>>> read = veeam_restore_points('[{"VmName": "SQL01", "CreationTime": "/Date(1796595000000)/",'
...                             ' "Type": "Increment", "IsCorrupted": false}]')
>>> [(p.vm, p.taken_at.isoformat(), p.product) for p in read.catalogue.points]
[('SQL01', '2026-12-06T22:10:00+00:00', 'Veeam Backup & Replication')]
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from hyperv_backup._base import public_dir
from hyperv_backup.inventory import InventoryError, Problem, load_document
from hyperv_backup.model import BackupLevel, Catalogue, RestorePoint
from hyperv_backup.readers._catalogue import (
    CATALOGUE_LIMITS,
    CatalogueRead,
    Records,
    aware_time,
    shown_value,
)

__all__ = ["VEEAM", "veeam_restore_points"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: The product the points of this export are of.
VEEAM = "Veeam Backup & Replication"


def _error(path: str, message: str) -> InventoryError:
    return InventoryError([Problem(path, message)])


def _at(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _flag(item: Mapping[str, Any], key: str, where: str) -> bool | None:
    value = item.get(key)
    if value is None or type(value) is bool:
        return value
    raise _error(_at(where, key), f"expected true or false, found {shown_value(value)}")


def _point(item: object, where: str) -> RestorePoint:
    if not isinstance(item, Mapping):
        raise _error(where, f"expected a restore point object, found {shown_value(item)}")
    key = "VmName" if "VmName" in item else "Name"
    name = item.get(key)
    if not isinstance(name, str) or not name.strip():
        raise _error(_at(where, key), f"expected the VM's name, found {shown_value(name)}")
    stamp = aware_time(item.get("CreationTime"))
    if stamp is None:
        raise _error(
            _at(where, "CreationTime"),
            "expected a time with its offset from UTC, such as /Date(1796595000000)/ or "
            f"2026-12-06T23:10:00+01:00 (no time zone is guessed), found "
            f"{shown_value(item.get('CreationTime'))}",
        )
    corrupted = _flag(item, "IsCorrupted", where)
    consistent = _flag(item, "IsConsistent", where)
    point_id = item.get("Id")
    return RestorePoint(
        vm=name.strip(),
        taken_at=stamp,
        level=BackupLevel.HOST,
        product=VEEAM,
        usable=corrupted is not True and consistent is not False,
        id=point_id.strip() if isinstance(point_id, str) and point_id.strip() else None,
    )


def veeam_restore_points(data: str | bytes, *, skip_bad: bool = False) -> CatalogueRead:
    """Read the restore points of ``Get-VBRRestorePoint | ConvertTo-Json`` output.

    A point without a VM's name, or without a time that says its offset,
    raises :class:`~hyperv_backup.inventory.InventoryError` naming its path
    (``[3].CreationTime``), or with ``skip_bad`` is left out and counted.
    The replicas' points left out are counted in the result's ``notes``.
    """
    document: Any = load_document(data, limits=CATALOGUE_LIMITS)
    single = not isinstance(document, list)
    items = [document] if single else document
    records = Records(skip_bad=skip_bad)
    points: list[RestorePoint] = []
    replicas = 0
    for index, item in enumerate(items):
        where = "" if single else f"[{index}]"
        if isinstance(item, Mapping) and item.get("Type") == "Snapshot":
            replicas += 1
            continue
        found = records.read(where, functools.partial(_point, item, where))
        if found is not None:
            points.append(found)
    return CatalogueRead(
        catalogue=Catalogue(points=points),
        form="veeam-json",
        skipped=len(records.problems),
        problems=tuple(records.problems),
        notes=(f"{replicas} replica restore point(s) left out: a replica is no backup",)
        if replicas
        else (),
    )
