r"""What a backup product's catalogue says: the restore points of VMs, and records of networks.

A :class:`RestorePoint` is one backup of one VM that a product can restore
from: when it was taken (an aware time, kept in UTC), at which level (on the
host, or inside the guest), what its copy holds (its :class:`Consistency`,
``None`` when the product does not say), which disks it holds, and whether
the product marks it usable. A :class:`NetworkRecord` says that the
configuration of some virtual networks (switches) of a host was recorded,
and when: a full server backup leaves them out ("Planning for Backup",
"Understanding backup options and considerations"). A :class:`Catalogue`
holds both, from one or several exports.

The readers of :mod:`hyperv_backup.readers` build them from what products
export; the protection rules (HVB8xx) read them.

>>> from datetime import datetime, UTC
>>> point = RestorePoint(vm="SQL01", taken_at=datetime(2026, 12, 6, 22, 10, tzinfo=UTC),
...                      level=BackupLevel.HOST, product="Windows Server Backup")
>>> point.taken_at.isoformat(), point.good
('2026-12-06T22:10:00+00:00', True)
>>> RestorePoint(vm="SQL01", taken_at=datetime(2026, 12, 6, 22, 10), level="host", product="x")
Traceback (most recent call last):
...
hyperv_backup.model.ModelError: taken_at: expected a time with its offset from UTC (no time zone is guessed), got datetime.datetime(2026, 12, 6, 22, 10)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.model._checks import (
    ModelError,
    check_bool,
    check_collection,
    check_name,
    computer_key,
    set_enum,
    shown,
    to_tuple,
)
from hyperv_backup.model.consistency import Consistency
from hyperv_backup.model.enums import BackupLevel

__all__ = [
    "Catalogue",
    "NetworkRecord",
    "RestorePoint",
    "join_catalogues",
    "same_vm",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: What a restore point cannot hold: it is a copy that exists.
_NOT_A_COPY = frozenset({Consistency.FAILS, Consistency.NOT_BACKED_UP})


def _utc(obj: object, field: str) -> None:
    """Refuse a naive time; keep an aware one in UTC, whatever offset it was given in."""
    value = getattr(obj, field)
    if not isinstance(value, datetime):
        raise ModelError(field, value, f"expected a datetime, got {shown(value)}")
    if value.utcoffset() is None:
        raise ModelError(
            field,
            value,
            f"expected a time with its offset from UTC (no time zone is guessed), got {shown(value)}",
        )
    object.__setattr__(obj, field, value.astimezone(UTC))


def _optional_name(obj: object, field: str) -> None:
    value = getattr(obj, field)
    if value is not None:
        check_name(value, field)


def _names(obj: object, field: str) -> None:
    check_collection(obj, field)
    for index, name in enumerate(getattr(obj, field)):
        check_name(name, f"{field}[{index}]")


@attrs.frozen(kw_only=True)
class RestorePoint:
    """One backup of one VM that a product can restore from.

    ``vm`` is the VM's name as the product records it, ``vm_id`` its Hyper-V
    id where the product records that too; ``host`` the host or node it was
    taken on (``None``: the catalogue does not say). ``taken_at`` is when the
    copy was taken, an aware time held in UTC. ``level`` says whether the host
    took it (through Hyper-V) or a backup application inside the guest.
    ``consistency`` is what its copy holds, ``None`` when the product does not
    record it; ``covers`` names the disks it holds (empty: the product does
    not list them; for a host-level point, the whole VM as the host backup
    holds it). ``usable`` is false when the product marks the point damaged
    or incomplete. ``product`` names the product, ``id`` the point in its
    catalogue and ``location`` where the copy is kept, when known.
    """

    vm: str
    taken_at: datetime
    level: BackupLevel
    product: str
    host: str | None = None
    vm_id: str | None = None
    consistency: Consistency | None = None
    covers: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    usable: bool = True
    id: str | None = None
    location: str | None = None

    def __attrs_post_init__(self) -> None:
        check_name(self.vm, "vm")
        _utc(self, "taken_at")
        set_enum(self, "level", BackupLevel)
        check_name(self.product, "product")
        for field in ("host", "vm_id", "id", "location"):
            _optional_name(self, field)
        if self.consistency is not None:
            set_enum(self, "consistency", Consistency)
            if self.consistency in _NOT_A_COPY:
                raise ModelError(
                    "consistency",
                    self.consistency.value,
                    f"a restore point holds a copy; {self.consistency.value!r} is what a "
                    "backup that made none would be",
                )
        _names(self, "covers")
        check_bool(self, "usable")

    @property
    def good(self) -> bool:
        """Whether the point can be restored from, as far as the catalogue says."""
        return self.usable


@attrs.frozen(kw_only=True)
class NetworkRecord:
    """A record, kept with the backups, of the configuration of a host's virtual networks.

    ``host`` names the host (or the cluster, for every node of it) whose
    ``networks`` (virtual switches) it records, ``taken_at`` when (aware,
    held in UTC); ``product`` what recorded it and ``location`` where it is
    kept, when known.
    """

    host: str
    taken_at: datetime
    networks: tuple[str, ...] = attrs.field(converter=to_tuple)
    product: str | None = None
    location: str | None = None

    def __attrs_post_init__(self) -> None:
        check_name(self.host, "host")
        _utc(self, "taken_at")
        _names(self, "networks")
        if not self.networks:
            raise ModelError("networks", (), "a record names at least one virtual network")
        for field in ("product", "location"):
            _optional_name(self, field)


def _points(value: Iterable[RestorePoint]) -> tuple[RestorePoint, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class Catalogue:
    """What one or more catalogue exports hold: restore points and network records.

    ``exported_at`` is when the export was made, when it says (aware, UTC).
    """

    points: tuple[RestorePoint, ...] = attrs.field(default=(), converter=_points)
    networks: tuple[NetworkRecord, ...] = attrs.field(default=(), converter=to_tuple)
    exported_at: datetime | None = None

    def __attrs_post_init__(self) -> None:
        check_collection(self, "points")
        check_collection(self, "networks")
        for field, cls in (("points", RestorePoint), ("networks", NetworkRecord)):
            for index, item in enumerate(getattr(self, field)):
                if not isinstance(item, cls):
                    raise ModelError(
                        f"{field}[{index}]", item, f"expected a {cls.__name__}, got {shown(item)}"
                    )
        if self.exported_at is not None:
            _utc(self, "exported_at")


def join_catalogues(catalogues: Iterable[Catalogue]) -> Catalogue:
    """Join catalogues into one: their points and records in order.

    The joined catalogue was exported when the earliest of them was, if each says.

    >>> join_catalogues([]).points
    ()
    """
    given = list(catalogues)
    times = [c.exported_at for c in given if c.exported_at is not None]
    return Catalogue(
        points=tuple(p for c in given for p in c.points),
        networks=tuple(r for c in given for r in c.networks),
        exported_at=min(times) if given and len(times) == len(given) else None,
    )


def same_vm(point: RestorePoint, name: str, vm_id: str | None) -> bool:
    """Whether ``point`` is of the VM named ``name`` whose Hyper-V id is ``vm_id``.

    Ids decide when both are known (a VM created again under its old name is
    another VM); otherwise names do, as Windows compares them: without regard
    to case. A Hyper-V Replica copy keeps its primary's name and id.

    >>> from datetime import datetime, UTC
    >>> p = RestorePoint(vm="sql01", taken_at=datetime(2026, 1, 1, tzinfo=UTC), level="host",
    ...                  product="x")
    >>> same_vm(p, "SQL01", None), same_vm(attrs.evolve(p, vm_id="a"), "SQL01", "b")
    (True, False)
    """
    if point.vm_id is not None and vm_id is not None:
        return point.vm_id.casefold() == vm_id.casefold()
    return computer_key(point.vm) == computer_key(name)
