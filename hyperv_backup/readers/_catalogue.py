"""What every reader of a backup catalogue shares: its result, its limits, its times.

Each catalogue reader (``wbadmin``, ``Get-WBBackupSet``, the product-neutral
format, Veeam's and DPM's exports) returns a :class:`CatalogueRead`: the
:class:`~hyperv_backup.model.Catalogue` it read, the form it was in, and the
records it skipped with why. A record it cannot read raises
:class:`~hyperv_backup.inventory.InventoryError` naming where (a JSON path, or
``line N``), unless the caller asks to skip bad records.

Times are never guessed: a time is read only with its offset from UTC (ISO
8601 with ``Z`` or ``+hh:mm``), as the milliseconds since 1970 in UTC that
Windows PowerShell 5.1 writes (``/Date(1765000000000)/``), or, for
``wbadmin`` and ``Get-WBBackupSet``, from the version identifier, which is in
UTC.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import attrs

from hyperv_backup.inventory import InventoryError, InventoryLimits, Problem
from hyperv_backup.model import Catalogue, Consistency, ModelError

__all__ = [
    "CATALOGUE_LIMITS",
    "MAX_CATALOGUE_BYTES",
    "CatalogueRead",
    "Records",
    "aware_time",
    "hyperv_component",
    "shown_value",
    "version_time",
]

#: The largest catalogue export, in bytes or characters, that the readers take (256 MiB).
MAX_CATALOGUE_BYTES = 256 * 1024 * 1024

#: How much a catalogue may hold: 256 MiB, strings of 32,767 characters (a Windows
#: path's longest), and up to a million records or items in any one array (a
#: year of nightly points of 2,700 VMs).
CATALOGUE_LIMITS = InventoryLimits(
    max_bytes=MAX_CATALOGUE_BYTES, max_string=32_767, max_items=1_000_000
)


@attrs.frozen(kw_only=True)
class CatalogueRead:
    """What a catalogue reader read: the catalogue, its form, and what it skipped.

    ``form`` names the export (``"restore-points-json"``, ``"wbadmin"``, ...);
    ``skipped`` counts the records left out because they could not be read
    (only when bad records are skipped), ``problems`` says why, one each;
    ``versions`` counts the backups listed (a ``wbadmin`` or Windows Server
    Backup version holds several VMs, or none); ``notes`` say what was left
    out on purpose, and why.
    """

    catalogue: Catalogue
    form: str
    skipped: int = 0
    problems: tuple[Problem, ...] = ()
    versions: int = 0
    notes: tuple[str, ...] = ()


_T = TypeVar("_T")


class Records:
    """Gathers a reader's records, skipping (and counting) bad ones when asked."""

    def __init__(self, *, skip_bad: bool) -> None:
        self.skip_bad = skip_bad
        self.problems: list[Problem] = []

    def read(self, where: str, make: Callable[[], _T]) -> _T | None:
        """Return ``make()``, or ``None`` when it raises and bad records are skipped.

        A :class:`~hyperv_backup.model.ModelError` of the record is reported
        at ``where`` and the field it names.
        """
        try:
            return make()
        except ModelError as exc:
            problem = Problem(_join(where, exc.path), exc.reason)
            if not self.skip_bad:
                raise InventoryError([problem]) from None
            self.problems.append(problem)
        except InventoryError as exc:
            if not self.skip_bad:
                raise
            self.problems.extend(exc.problems)
        return None


def _join(where: str, field: str) -> str:
    if not field:
        return where
    if not where:
        return field
    return f"{where}, {field}" if where.startswith("line ") else f"{where}.{field}"


_ISO = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?"
    r"(?:Z|[+-][0-9]{2}:?[0-9]{2})",
    re.IGNORECASE,
)
_MS_DATE = re.compile(r"\\?/Date\((-?[0-9]{1,15})(?:[+-][0-9]{4})?\)\\?/")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def aware_time(value: object) -> datetime | None:
    """Read a time that says its offset from UTC; ``None`` for anything else.

    Takes ISO 8601 with ``Z`` or an offset (up to 9 decimals of a second) and
    Windows PowerShell 5.1's ``/Date(milliseconds)/`` (UTC whatever zone
    follows it), also as the object ``{"value": "/Date(...)/", ...}`` that
    ``Select-Object`` leaves. A time without an offset is not read: which
    zone it is in cannot be known.

    >>> aware_time("2026-12-06T23:10:00.1234567+01:00").isoformat()
    '2026-12-06T22:10:00.123456+00:00'
    >>> aware_time("/Date(1765000000000)/").isoformat(), aware_time("2026-12-06T22:10:00")
    ('2025-12-06T05:46:40+00:00', None)
    """
    if isinstance(value, Mapping) and "value" in value:
        value = value["value"]
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = _MS_DATE.fullmatch(text)
    if match is not None:
        try:
            return _EPOCH + timedelta(milliseconds=int(match.group(1)))
        except OverflowError:
            return None
    if _ISO.fullmatch(text) is None:
        return None
    # Python reads six decimals at most; the seventh to ninth say nothing a backup needs.
    text = re.sub(r"(\.[0-9]{6})[0-9]+", r"\1", text)
    try:
        return datetime.fromisoformat(text.upper().replace("Z", "+00:00")).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


_VERSION = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4})-([0-9]{2}):([0-9]{2})")


def version_time(identifier: str) -> datetime | None:
    """Read a Windows Server Backup version identifier, ``MM/dd/yyyy-HH:mm`` in UTC.

    >>> version_time("10/05/2020-22:27").isoformat(), version_time("5/10/2020 22:27")
    ('2020-10-05T22:27:00+00:00', None)
    """
    match = _VERSION.fullmatch(identifier.strip())
    if match is None:
        return None
    month, day, year, hour, minute = (int(g) for g in match.groups())
    try:
        return datetime(year, month, day, hour, minute, tzinfo=UTC)
    except ValueError:
        return None


#: The captions the Hyper-V VSS writer gives a VM's component, by how it is
#: backed up (System Center DPM's account of the writer): the VM's name follows.
_CAPTIONS = (
    ("backup using saved state\\", Consistency.SAVED_STATE),
    ("backup using child partition snapshot\\", Consistency.APPLICATION_CONSISTENT),
)
#: The component of the Hyper-V application that is the host's own configuration.
_HOST_COMPONENT = "host component"
_GUID_TEXT = "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
_ID_SUFFIX = re.compile(rf"(.*?)\s*\(\{{?({_GUID_TEXT})\}}?\)")
_GUID = re.compile(rf"\{{?({_GUID_TEXT})\}}?")


def hyperv_component(text: str) -> tuple[str, str | None, Consistency | None] | None:
    r"""Read one component of the Hyper-V application: the VM's name, its id, what its copy holds.

    A caption the writer gives by how the VM is backed up (``Backup Using
    Saved State\VM``, ``Backup Using Child Partition Snapshot\VM``) says what
    the copy holds; any other word before a backslash is left out with it
    (what it says is not documented). A ``(GUID)`` after the name is the VM's
    id. The host's own component gives ``None``.

    >>> hyperv_component("Backup Using Saved State\\LNX02 (4C3E1A77-1B1D-4E7A-9E0B-2F3C4D5E6F70)")
    ('LNX02', '4c3e1a77-1b1d-4e7a-9e0b-2f3c4d5e6f70', <Consistency.SAVED_STATE: 'saved_state'>)
    >>> hyperv_component("Host Component") is None
    True
    """
    name = text.strip()
    consistency = None
    for caption, meaning in _CAPTIONS:
        if name.casefold().startswith(caption):
            name, consistency = name[len(caption) :].strip(), meaning
            break
    else:
        # Other captions put a word before a backslash too; the VM's name follows it.
        name = name.rpartition("\\")[2].strip()
    vm_id = None
    suffixed = _ID_SUFFIX.fullmatch(name)
    if suffixed is not None and suffixed.group(1):
        name, vm_id = suffixed.group(1), suffixed.group(2).lower()
    else:
        bare = _GUID.fullmatch(name)
        if bare is not None:
            vm_id = bare.group(1).lower()
    if not name or name.casefold() == _HOST_COMPONENT:
        return None
    return name, vm_id, consistency


def shown_value(value: Any) -> str:
    """Quote a value of a document for a message: at most 60 characters of it."""
    import json  # noqa: PLC0415 - only messages need it

    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = type(value).__name__
    return text if len(text) <= 60 else f"{text[:60]}... ({len(text)} characters)"
