r"""Reading System Center DPM's ``Get-DPMRecoveryPoint | ConvertTo-Json``, mapped to restore points.

DPM documents that ``Get-DPMRecoveryPoint`` returns recovery points of a data
source, but not their properties, and no published output of it was found.
The properties read here are those scripts read (``RepresentedPointInTime``,
``DataSource.Name``, ``DataSource.ProductionServerName``, ``DataLocation``);
``docs/catalogues.md`` gives the mapping to the product-neutral format, and
this reader is it:

* ``RepresentedPointInTime`` is when the point was taken, read only with its
  offset from UTC;
* ``DataSource.Name`` names the VM: the Hyper-V VSS writer names a VM's data
  source by how it is backed up (``Backup Using Child Partition
  Snapshot\VM`` online, ``Backup Using Saved State\VM`` offline, in DPM's
  account of the writer), which sets the point's consistency; any other word
  before a backslash is left out with it;
* ``DataSource.ProductionServerName`` is the host;
* every point is a host-level one; ``DataLocation`` is where it is kept.

>>> read = dpm_recovery_points('{"RepresentedPointInTime": "2026-12-06T23:10:00+01:00",'
...     ' "DataSource": {"Name": "Backup Using Saved State\\\\LNX02",'
...     ' "ProductionServerName": "HV22-NODE1.contoso.com"}, "DataLocation": "Disk"}')
>>> [(p.vm, p.host, p.consistency.value, p.location) for p in read.catalogue.points]
[('LNX02', 'HV22-NODE1', 'saved_state', 'Disk')]
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
    hyperv_component,
    shown_value,
)

__all__ = ["DPM", "dpm_recovery_points"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: The product the points of this export are of.
DPM = "System Center Data Protection Manager"


def _error(path: str, message: str) -> InventoryError:
    return InventoryError([Problem(path, message)])


def _at(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _host(server: object) -> str | None:
    """Return the host a data source is on: its production server, by its computer name."""
    if not isinstance(server, str) or not server.strip():
        return None
    # The server is named by its FQDN; inventories name hosts by their host name.
    return server.strip().split(".", 1)[0]


def _point(item: object, where: str) -> RestorePoint | None:
    if not isinstance(item, Mapping):
        raise _error(where, f"expected a recovery point object, found {shown_value(item)}")
    source = item.get("DataSource")
    path = _at(where, "DataSource")
    if not isinstance(source, Mapping):
        raise _error(path, f"expected the data source object, found {shown_value(source)}")
    name = source.get("Name")
    if not isinstance(name, str) or not name.strip():
        raise _error(f"{path}.Name", f"expected the data source's name, found {shown_value(name)}")
    found = hyperv_component(name)
    if found is None:
        return None  # the host's own component
    vm, vm_id, consistency = found
    stamp = aware_time(item.get("RepresentedPointInTime"))
    if stamp is None:
        raise _error(
            _at(where, "RepresentedPointInTime"),
            "expected a time with its offset from UTC (no time zone is guessed), found "
            f"{shown_value(item.get('RepresentedPointInTime'))}",
        )
    location = item.get("DataLocation")
    return RestorePoint(
        vm=vm,
        vm_id=vm_id,
        host=_host(source.get("ProductionServerName")),
        taken_at=stamp,
        level=BackupLevel.HOST,
        consistency=consistency,
        product=DPM,
        location=location.strip() if isinstance(location, str) and location.strip() else None,
    )


def dpm_recovery_points(data: str | bytes, *, skip_bad: bool = False) -> CatalogueRead:
    """Read the recovery points of ``Get-DPMRecoveryPoint | ConvertTo-Json`` output.

    A point without its data source's name or a time that says its offset
    raises :class:`~hyperv_backup.inventory.InventoryError` naming its path
    (``[3].RepresentedPointInTime``), or with ``skip_bad`` is left out and counted.
    """
    document: Any = load_document(data, limits=CATALOGUE_LIMITS)
    single = not isinstance(document, list)
    items = [document] if single else document
    records = Records(skip_bad=skip_bad)
    points: list[RestorePoint] = []
    for index, item in enumerate(items):
        where = "" if single else f"[{index}]"
        found = records.read(where, functools.partial(_point, item, where))
        if found is not None:
            points.append(found)
    return CatalogueRead(
        catalogue=Catalogue(points=points),
        form="dpm-json",
        skipped=len(records.problems),
        problems=tuple(records.problems),
    )
