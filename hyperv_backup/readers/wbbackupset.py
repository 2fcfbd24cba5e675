r"""Reading ``Get-WBBackupSet | ConvertTo-Json -Depth 4``: Windows Server Backup's catalogue, as objects.

Each backup set (``WBBackupSet``) has its ``VersionId`` (``MM/dd/yyyy-HH:mm``,
in UTC, as ``wbadmin``'s version identifier), its ``BackupTime`` (local: in
the host's culture when it is shown as text, milliseconds since 1970 in UTC
in the JSON of Windows PowerShell 5.1), its ``BackupTarget``, what it can
recover (``RecoverableItems``) and its applications (``Application``).
``Start-WBHyperVRecovery`` takes a VM of a backup set as
``$set.Application[0].Component[0]``, a ``WBVirtualMachine``: each component
of an application that carries a ``VMName`` is a VM, but the host's own
(``Host Component``). The time read is the ``VersionId``'s; ``BackupTime`` is
not read.

``ConvertTo-Json`` writes nested objects as text below its depth (2 unless
given): an export without ``-Depth 4`` has lost its VMs' names, and is
refused with that said. ``host.ps1 -Catalog`` writes the same properties.

>>> read = wbbackupset_json('[{"VersionId": "12/06/2026-22:10", "BackupTime": "/Date(1796595000000)/",'
...     ' "BackupTarget": "F:", "Application": [{"Component": [{"VMName": "Host Component"},'
...     ' {"VMName": "SQL01"}]}]}]')
>>> [(p.vm, p.taken_at.isoformat(), p.location) for p in read.catalogue.points], read.versions
([('SQL01', '2026-12-06T22:10:00+00:00', 'F:')], 1)
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
    shown_value,
    version_time,
)

__all__ = ["wbbackupset_json"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

_PRODUCT = "Windows Server Backup"
_HOST_COMPONENT = "host component"
_DEPTH = (
    "ConvertTo-Json cut the set's applications short at its depth: export with "
    "Get-WBBackupSet | ConvertTo-Json -Depth 4"
)


def _error(path: str, message: str) -> InventoryError:
    return InventoryError([Problem(path, message)])


def _location(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, Mapping):
        for key in ("Label", "Path"):
            found = value.get(key)
            if isinstance(found, str) and found.strip():
                return found.strip()
    return None


def _vms(applications: object, where: str) -> list[str]:
    """Return the names of the VMs among a set's applications' components."""
    if applications is None:
        return []
    if not isinstance(applications, list):
        applications = [applications]  # ConvertTo-Json writes a collection of one as its item
    names = []
    for index, application in enumerate(applications):
        path = f"{where}.Application[{index}]" if where else f"Application[{index}]"
        if isinstance(application, str):
            if application.strip().casefold() == "hyper-v":
                raise _error(path, _DEPTH)
            continue
        if not isinstance(application, Mapping):
            raise _error(path, f"expected an application object, found {shown_value(application)}")
        components = application.get("Component")
        if components is None:
            continue
        if isinstance(components, str):
            raise _error(f"{path}.Component", _DEPTH)
        names.extend(_component_vms(components, path))
    return names


def _component_vms(components: object, path: str) -> list[str]:
    """Return the names of the VMs among an application's components."""
    names = []
    for number, component in enumerate(
        components if isinstance(components, list) else [components]
    ):
        if not isinstance(component, Mapping) or component.get("VMName") is None:
            continue  # a component of another writer
        name = component["VMName"]
        if not isinstance(name, str) or not name.strip():
            raise _error(
                f"{path}.Component[{number}].VMName",
                f"expected the VM's name, found {shown_value(name)}",
            )
        if name.strip().casefold() != _HOST_COMPONENT:
            names.append(name.strip())
    return names


def _set(item: object, where: str, host: str | None) -> list[RestorePoint]:
    if not isinstance(item, Mapping):
        raise _error(where, f"expected a backup set object, found {shown_value(item)}")
    identifier = item.get("VersionId")
    stamp = version_time(identifier) if isinstance(identifier, str) else None
    if stamp is None:
        raise _error(
            f"{where}.VersionId" if where else "VersionId",
            "expected the version identifier as MM/dd/yyyy-HH:mm (UTC), found "
            f"{shown_value(identifier)}",
        )
    assert isinstance(identifier, str)  # noqa: S101 - read as one above
    location = _location(item.get("BackupTarget"))
    return [
        RestorePoint(
            vm=name,
            host=host,
            taken_at=stamp,
            level=BackupLevel.HOST,
            product=_PRODUCT,
            id=identifier,
            location=location,
        )
        for name in _vms(item.get("Application"), where)
    ]


def wbbackupset_json(
    data: str | bytes, *, host: str | None = None, skip_bad: bool = False
) -> CatalogueRead:
    """Read the backup sets of ``Get-WBBackupSet | ConvertTo-Json -Depth 4`` output.

    Each VM of a set's Hyper-V application gives one host-level restore
    point, on ``host`` when given. A set without a readable ``VersionId``,
    or whose applications ``ConvertTo-Json`` cut short, raises
    :class:`~hyperv_backup.inventory.InventoryError` naming its path
    (``[2].VersionId``), or with ``skip_bad`` is left out and counted.
    """
    document: Any = load_document(data, limits=CATALOGUE_LIMITS)
    single = not isinstance(document, list)
    items = [document] if single else document
    records = Records(skip_bad=skip_bad)
    points: list[RestorePoint] = []
    read = 0
    for index, item in enumerate(items):
        where = "" if single else f"[{index}]"
        found = records.read(where, functools.partial(_set, item, where, host))
        if found is not None:
            read += 1
            points.extend(found)
    return CatalogueRead(
        catalogue=Catalogue(points=points),
        form="wbbackupset-json",
        skipped=len(records.problems),
        problems=tuple(records.problems),
        versions=read,
    )
