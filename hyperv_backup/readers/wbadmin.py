r"""Reading ``wbadmin get versions`` and ``wbadmin get items -version:``: Windows Server Backup's catalogue.

``wbadmin get versions`` lists one block per backup version: its local
``Backup time`` (in the host's format and zone, which ``wbadmin`` does not
print), where it is kept (``Backup location:`` for a network share,
``Backup target:`` for a disk), its ``Version identifier`` and what it can
recover, and on later releases a ``Snapshot ID``. The version identifier,
``MM/dd/yyyy-HH:mm``, is in UTC (every published capture differs from its
``Backup time`` by the host's offset) and names the version everywhere:
it is the time read, and ``Backup time`` is kept only as printed.

Which VMs a version holds, ``get versions`` does not say: ``wbadmin get items
-version:ID`` lists the applications of the version and their components,
one line each (``Application = Hyper-V``, ``Component = ...``). Its output
does not repeat the version, so a capture of it is read after its command
line (``wbadmin get items -version:10/05/2020-22:27``), which names it; each
component of the Hyper-V application but the host's own is a VM.
:func:`wbadmin_catalogue` reads a capture of both commands (one may follow
the other) into restore points, one per VM of each version listed by
``get items``.

The labels are read in English only: no localized capture of either command
was found to read. No published ``get items`` capture listing Hyper-V
components was found either: that part of the format follows the
application lines published for other writers (``Application = AD``,
``Component = ntds``) and is unverified.

>>> read = wbadmin_catalogue('''
... Backup time: 12/6/2026 2:10 PM
... Backup target: Fixed Disk labeled F:
... Version identifier: 12/06/2026-22:10
... Can recover: Volume(s), File(s), Application(s)
...
... C:\\> wbadmin get items -version:12/06/2026-22:10
... Application = Hyper-V
... Component = Host Component
... Component = SQL01
... ''')
>>> [(p.vm, p.taken_at.isoformat(), p.location) for p in read.catalogue.points]
[('SQL01', '2026-12-06T22:10:00+00:00', 'Fixed Disk labeled F:')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.model import BackupLevel, Catalogue, RestorePoint
from hyperv_backup.readers._catalogue import CatalogueRead, hyperv_component, version_time
from hyperv_backup.readers._scan import check, check_str, error, shown, split_lines

__all__ = [
    "WINDOWS_SERVER_BACKUP",
    "WbadminItems",
    "WbadminVersion",
    "wbadmin_catalogue",
    "wbadmin_items",
    "wbadmin_versions",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: The product that ``wbadmin`` and ``Get-WBBackupSet`` restore points are of.
WINDOWS_SERVER_BACKUP = "Windows Server Backup"

_LABELS = {
    "backup time": "backup_time",
    "backup location": "location",
    "backup target": "location",
    "version identifier": "identifier",
    "can recover": "can_recover",
    "snapshot id": "snapshot_id",
}
_ITEMS = re.compile(r"\bget\s+items\b.*?-version:\s*(\S+)", re.IGNORECASE)
_ASSIGNMENT = re.compile(r"(Application|Component)\s*=\s*(.*)", re.IGNORECASE)


@attrs.frozen(kw_only=True)
class WbadminVersion:
    """One backup version of ``wbadmin get versions``.

    ``identifier`` is the version identifier as printed (``MM/dd/yyyy-HH:mm``,
    UTC) and ``taken_at`` the same time, read; ``backup_time`` is the local
    time as printed, ``location`` where the backup is kept as printed (after
    ``Backup location:`` or ``Backup target:``), ``can_recover`` what it can
    recover, ``snapshot_id`` its snapshot id where printed.
    """

    identifier: str
    taken_at: datetime
    backup_time: str | None = None
    location: str | None = None
    can_recover: tuple[str, ...] = ()
    snapshot_id: str | None = None

    def __attrs_post_init__(self) -> None:
        check_str(self.identifier, "identifier")
        check(isinstance(self.taken_at, datetime), "taken_at", self.taken_at, "expected a datetime")


@attrs.frozen(kw_only=True)
class WbadminItems:
    """What one ``wbadmin get items -version:ID`` listed: each application and its components."""

    version: str
    taken_at: datetime
    applications: tuple[tuple[str, tuple[str, ...]], ...] = ()


def _label(stripped: str) -> tuple[str, str] | None:
    label, colon, value = stripped.partition(":")
    field = _LABELS.get(label.strip().casefold())
    return (field, value.strip()) if colon and field else None


class _Reader:
    """Reads a capture line by line: version blocks, and the items runs after their command."""

    def __init__(self) -> None:
        self.versions: list[WbadminVersion] = []
        self.items: list[WbadminItems] = []
        self.block: dict[str, str] = {}
        self.start = 0
        self.run: tuple[int, str, datetime] | None = None
        self.applications: list[tuple[str, list[str]]] = []

    def feed(self, number: int, stripped: str) -> None:
        labelled = _label(stripped)
        if labelled is not None:
            self._labelled(number, *labelled)
            return
        self._close()
        command = _ITEMS.search(stripped)
        if command is not None:
            self._end_run()
            identifier = command.group(1)
            stamp = version_time(identifier)
            if stamp is None:
                raise error(
                    number,
                    f"expected the version of 'get items' as MM/dd/yyyy-HH:mm, found {shown(identifier)}",
                )
            self.run = (number, identifier, stamp)
            return
        assignment = _ASSIGNMENT.fullmatch(stripped)
        if assignment is not None:
            self._assignment(number, assignment.group(1).casefold(), assignment.group(2).strip())

    def _labelled(self, number: int, field: str, value: str) -> None:
        if field in self.block:
            self._close()
        if not self.block:
            self.start = number
        self.block[field] = value
        if field == "identifier" and version_time(value) is None:
            raise error(
                number,
                f"expected the version identifier as MM/dd/yyyy-HH:mm (UTC), found {shown(value)}",
            )

    def _assignment(self, number: int, kind: str, value: str) -> None:
        if self.run is None:
            raise error(
                number,
                f"{shown(kind.capitalize() + ' = ' + value)} comes before any "
                "'wbadmin get items -version:ID' line: the version it belongs to is not known",
            )
        if kind == "application":
            self.applications.append((value, []))
        elif not self.applications:
            raise error(number, f"the component {shown(value)} belongs to no application")
        else:
            self.applications[-1][1].append(value)

    def _close(self) -> None:
        block, self.block = self.block, {}
        if not block:
            return
        identifier = block.get("identifier")
        if identifier is None:
            raise error(
                self.start,
                "the version that begins here has no 'Version identifier:' line, the time "
                "that names it",
            )
        stamp = version_time(identifier)
        assert stamp is not None  # noqa: S101 - checked as it was read
        recover = block.get("can_recover")
        self.versions.append(
            WbadminVersion(
                identifier=identifier,
                taken_at=stamp,
                backup_time=block.get("backup_time"),
                location=block.get("location"),
                can_recover=tuple(p.strip() for p in recover.split(",") if p.strip())
                if recover
                else (),
                snapshot_id=block.get("snapshot_id"),
            )
        )

    def _end_run(self) -> None:
        run, self.run = self.run, None
        if run is None:
            return
        _, identifier, stamp = run
        applications = tuple((name, tuple(parts)) for name, parts in self.applications)
        self.applications = []
        self.items.append(
            WbadminItems(version=identifier, taken_at=stamp, applications=applications)
        )

    def finish(self) -> None:
        self._close()
        self._end_run()


def _read(text: str) -> _Reader:
    reader = _Reader()
    for number, line in enumerate(split_lines(text), 1):
        reader.feed(number, line.strip())
    reader.finish()
    return reader


def wbadmin_versions(text: str) -> tuple[WbadminVersion, ...]:
    """Read the versions of a ``wbadmin get versions`` capture, in the order printed.

    Banners, command prompts and other lines outside the version blocks are
    skipped. A block without its version identifier, or with one that is not
    ``MM/dd/yyyy-HH:mm``, raises :class:`~hyperv_backup.inventory.InventoryError`
    naming the line; so does text with no version at all.
    """
    reader = _read(text)
    if not reader.versions:
        raise error(1, "no backup version found: expected the output of 'wbadmin get versions'")
    return tuple(reader.versions)


def wbadmin_items(text: str) -> tuple[WbadminItems, ...]:
    """Read each ``wbadmin get items -version:ID`` of a capture: its applications and components.

    Raises :class:`~hyperv_backup.inventory.InventoryError` naming the line of
    an application or component listed before any such command line, and for
    text with no such command at all.
    """
    reader = _read(text)
    if not reader.items:
        raise error(1, "no 'wbadmin get items -version:ID' command line found")
    return tuple(reader.items)


def _points(
    items: Iterable[WbadminItems], where: dict[str, str | None], host: str | None
) -> list[RestorePoint]:
    points = []
    for run in items:
        for application, components in run.applications:
            if application.casefold() != "hyper-v":
                continue
            for component in components:
                found = hyperv_component(component)
                if found is None:
                    continue
                name, vm_id, consistency = found
                points.append(
                    RestorePoint(
                        vm=name,
                        vm_id=vm_id,
                        host=host,
                        taken_at=run.taken_at,
                        level=BackupLevel.HOST,
                        consistency=consistency,
                        product=WINDOWS_SERVER_BACKUP,
                        id=run.version,
                        location=where.get(run.version),
                    )
                )
    return points


def wbadmin_catalogue(
    text: str, *, host: str | None = None, skip_bad: bool = False
) -> CatalogueRead:
    """Read a capture of ``wbadmin get versions`` and ``get items`` into restore points.

    Each VM component of a version's Hyper-V application gives one host-level
    restore point, taken at the version identifier's time, kept where
    ``get versions`` says (when it lists the version), on ``host`` when given.
    Versions listed without their items give no point: ``versions`` counts
    them all. Raises :class:`~hyperv_backup.inventory.InventoryError` as
    :func:`wbadmin_versions` and :func:`wbadmin_items` do, and for text with
    neither; ``skip_bad`` is accepted for the readers' common signature (a
    capture's line is no record to skip).
    """
    del skip_bad
    reader = _read(text)
    if not reader.versions and not reader.items:
        raise error(
            1,
            "expected the output of 'wbadmin get versions' or 'wbadmin get items -version:ID'",
        )
    where = {v.identifier: v.location for v in reader.versions}
    listed = {v.identifier for v in reader.versions} | {i.version for i in reader.items}
    unlisted = listed - {i.version for i in reader.items}
    notes = (
        (
            f"{len(unlisted)} version(s) listed without their items, so without their VMs: "
            "'wbadmin get items -version:ID' lists them",
        )
        if unlisted
        else ()
    )
    return CatalogueRead(
        catalogue=Catalogue(points=_points(reader.items, where, host)),
        form="wbadmin",
        versions=len(listed),
        notes=notes,
    )
