"""What an event is, however it was exported: the record type the event readers share.

An event log reaches this package as an ``.evtx`` file, as the XML of
``wevtutil qe /f:xml`` (or Event Viewer's "Save as XML"), or as the JSON of
``Get-WinEvent | ConvertTo-Json``. Each reader turns its input into the same
:class:`Event` records, so a diagnosis never depends on how the log was
exported. The ``.evtx`` and XML readers both build records from an
``<Event>`` element, here.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import overload
from xml.etree.ElementTree import Element

import attrs

from hyperv_backup.inventory import InventoryError, Problem
from hyperv_backup.readers._scan import check, check_number, check_str

__all__ = [
    "MAX_EVENT_STRING",
    "Event",
    "EventLevel",
    "EventLog",
    "Progress",
    "event_from_element",
    "parse_time",
]

#: Called with the number of records read so far, every :data:`PROGRESS_EVERY` records.
Progress = Callable[[int], None]

#: How many records a reader reads between two calls of its ``progress`` callback.
PROGRESS_EVERY = 1000

#: The longest string an event may hold, in characters, in every form it is read from
#: (1 MiB: a message, a value, a computer's name). Windows caps an event's values
#: at 64 KiB in all.
MAX_EVENT_STRING = 1024 * 1024


class EventLevel(enum.IntEnum):
    """The standard levels of a Windows event (``<Level>``, ``Get-WinEvent``'s ``Level``).

    Classic providers write informational events with level 0 or 4.
    """

    LOG_ALWAYS = 0
    CRITICAL = 1
    ERROR = 2
    WARNING = 3
    INFORMATION = 4
    VERBOSE = 5

    @property
    def label(self) -> str:
        """The level as Event Viewer shows it: ``"Error"``, ``"Warning"``, ..."""
        return _LEVEL_LABELS[self]


_LEVEL_LABELS = {
    EventLevel.LOG_ALWAYS: "Information",
    EventLevel.CRITICAL: "Critical",
    EventLevel.ERROR: "Error",
    EventLevel.WARNING: "Warning",
    EventLevel.INFORMATION: "Information",
    EventLevel.VERBOSE: "Verbose",
}


_ZERO = timedelta(0)


def _check_time(value: object, field: str) -> None:
    ok = isinstance(value, datetime) and value.utcoffset() == timedelta(0)
    check(ok, field, value, "expected a datetime in UTC")


def _check_data(value: object, field: str) -> None:
    ok = isinstance(value, tuple) and all(
        isinstance(item, tuple)
        and len(item) == 2
        and isinstance(item[0], str)
        and isinstance(item[1], str)
        for item in value
    )
    check(ok, field, value, "expected a tuple of (name, value) string pairs")


@attrs.frozen(kw_only=True)
class Event:
    """One event, as the host recorded it.

    ``provider`` is the provider's name (``Microsoft-Windows-Hyper-V-VMMS``,
    ``VSS``); ``event_id`` its event number; ``level`` the number of its level
    (see :class:`EventLevel`; providers may define more); ``time_created`` an
    aware :class:`~datetime.datetime` in UTC; ``computer`` the host that wrote
    it; ``channel`` its log (``""`` when the export does not say).

    ``data`` holds the event's values in order as ``(name, value)`` pairs: the
    ``<Data Name="...">`` of ``<EventData>``, or the elements of
    ``<UserData>`` (which the Hyper-V providers write, such as ``VmName``).
    A value without a name is named by its position, ``"1"``, ``"2"``, ... as
    the ``%1`` and ``%2`` of a message template count them: the JSON of
    ``Get-WinEvent`` never has names. ``message`` is the rendered message where
    the export holds one (JSON does, XML saved with its rendering does).
    """

    provider: str
    event_id: int
    level: int
    time_created: datetime
    computer: str
    channel: str = ""
    record_id: int | None = None
    data: tuple[tuple[str, str], ...] = ()
    message: str | None = None

    def __attrs_post_init__(self) -> None:
        # Events are made by the hundred thousand: the common case, every field
        # of its exact type, is told in one test; anything else is asked field
        # by field, which says which one is wrong.
        # Read as objects: callers without type checking may pass anything.
        fields: tuple[object, ...] = (self.provider, self.computer, self.channel, self.message)
        provider, computer, channel, message = fields
        numbers: tuple[object, ...] = (self.event_id, self.level, self.record_id)
        event_id, level, record = numbers
        stamp: object = self.time_created
        data: object = self.data
        if (
            provider.__class__ is str
            and computer.__class__ is str
            and channel.__class__ is str
            and (message is None or message.__class__ is str)
            and event_id.__class__ is int
            and event_id >= 0
            and level.__class__ is int
            and level >= 0
            and (record is None or (record.__class__ is int and record >= 0))
            and stamp.__class__ is datetime
            and stamp.utcoffset() == _ZERO
            and data.__class__ is tuple
            and all(
                pair.__class__ is tuple
                and len(pair) == 2
                and pair[0].__class__ is str
                and pair[1].__class__ is str
                for pair in data
            )
        ):
            return
        check_str(self.provider, "provider")
        check_number(self.event_id, "event_id")
        check_number(self.level, "level")
        _check_time(self.time_created, "time_created")
        check_str(self.computer, "computer")
        check_str(self.channel, "channel")
        if self.record_id is not None:
            check_number(self.record_id, "record_id")
        _check_data(self.data, "data")
        if self.message is not None:
            check_str(self.message, "message")

    @property
    def level_label(self) -> str:
        """The level in words, or ``"Level n"`` for a level of the provider's own."""
        try:
            return EventLevel(self.level).label
        except ValueError:
            return f"Level {self.level}"

    @property
    def is_warning_or_worse(self) -> bool:
        """Whether the level is critical, error or warning."""
        return EventLevel.CRITICAL <= self.level <= EventLevel.WARNING

    def field(self, name: str) -> str | None:
        """Return the value named ``name`` (compared without regard to case), or ``None``.

        >>> event = Event(provider="VSS", event_id=8229, level=3, computer="HV01",
        ...               time_created=datetime(2026, 12, 6, tzinfo=UTC), data=(("VmName", "SQL01"),))
        >>> event.field("vmname"), event.field("VmId")
        ('SQL01', None)
        """
        folded = name.casefold()
        return next((value for key, value in self.data if key.casefold() == folded), None)


@attrs.frozen
class EventLog:
    """The events one reader read, in the order of the input, and what it skipped.

    A record that cannot be read is an error, unless the caller asked to skip
    such records: then ``skipped`` counts them and ``problems`` says where each
    was and why. An ``EventLog`` iterates, indexes and measures like the
    tuple of its events.
    """

    events: tuple[Event, ...]
    skipped: int = 0
    problems: tuple[Problem, ...] = ()

    def __len__(self) -> int:
        return len(self.events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    @overload
    def __getitem__(self, index: int) -> Event: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Event, ...]: ...
    def __getitem__(self, index: int | slice) -> Event | tuple[Event, ...]:
        return self.events[index]


_TIME = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?\s*(Z|[+-]\d\d:?\d\d)?",
    re.IGNORECASE,
)


def parse_time(value: str) -> datetime | None:
    """Read an event time, ISO 8601 with up to 9 decimals, as an aware UTC datetime.

    Windows writes ``SystemTime`` in UTC with a ``Z``; a time with no offset is
    read as UTC too (the ``.evtx`` libraries leave the ``Z`` out). Returns
    ``None`` for text that is no such time.

    >>> parse_time("2026-12-06T02:00:01.1234567Z")
    datetime.datetime(2026, 12, 6, 2, 0, 1, 123456, tzinfo=datetime.timezone.utc)
    >>> parse_time("2026-12-06T03:00:01+01:00").hour, parse_time("6 December") is None
    (2, True)
    """
    match = _TIME.fullmatch(value.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    offset = timedelta(0)
    if zone and zone.upper() != "Z":
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        if zone[0] == "-":
            offset = -offset
    try:
        stamp = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), micro
        )
    except ValueError:
        return None
    try:
        return (stamp - offset).replace(tzinfo=UTC)
    except OverflowError:
        return None


def _local(tag: str) -> str:
    """Return the name of an element without its ``{namespace}``."""
    return tag.rpartition("}")[2]


def _child(element: Element, name: str) -> Element | None:
    return next((child for child in element if _local(child.tag) == name), None)


def _text(element: Element | None, where: str = "") -> str:
    if element is None:
        return ""
    text = "".join(element.itertext()).strip()
    if len(text) > MAX_EVENT_STRING:
        name = _local(element.tag)
        raise InventoryError(
            [
                Problem(
                    where,
                    f"<{name}> holds {len(text)} characters, more than the limit of "
                    f"{MAX_EVENT_STRING}",
                )
            ]
        )
    return text


def _number(text: str, where: str, what: str) -> int:
    if not text.isascii() or not text.isdigit() or len(text) > 20:
        raise InventoryError(
            [Problem(where, f"expected {what} as a whole number, found {text!r:.80}")]
        )
    return int(text)


def _values(element: Element | None, where: str) -> tuple[tuple[str, str], ...]:
    """Return the named values of ``<EventData>`` or ``<UserData>``, in order."""
    if element is None:
        return ()
    values: list[tuple[str, str]] = []
    if _local(element.tag) == "UserData":
        # One element of the provider's own, whose children are the values.
        holder = next(iter(element), None)
        children = list(holder) if holder is not None else []
        for position, child in enumerate(children, 1):
            values.append((_local(child.tag) or str(position), _text(child, where)))
        return tuple(values)
    for position, child in enumerate(element, 1):
        name = child.get("Name") or (_local(child.tag) if _local(child.tag) != "Data" else "")
        values.append((name or str(position), _text(child, where)))
    return tuple(values)


def _children(element: Element) -> dict[str, Element]:
    """Return the children of ``element`` by their names without namespace, the first of each name."""
    found: dict[str, Element] = {}
    for child in element:
        found.setdefault(child.tag.rpartition("}")[2], child)
    return found


def event_from_element(element: Element, where: str) -> Event:
    """Build an :class:`Event` from an ``<Event>`` element; ``where`` names it in errors."""
    # Each element's children are looked at once, not once per name asked for.
    parts = _children(element)
    system_element = parts.get("System")
    if system_element is None:
        raise InventoryError([Problem(where, "the event has no <System> element")])
    system = _children(system_element)
    provider = system.get("Provider")
    name = "" if provider is None else provider.get("Name") or provider.get("EventSourceName") or ""
    if not name:
        raise InventoryError([Problem(where, "the event names no provider (<Provider Name=...>)")])
    created = system.get("TimeCreated")
    stamp_text = "" if created is None else created.get("SystemTime") or ""
    stamp = parse_time(stamp_text)
    if stamp is None:
        raise InventoryError(
            [
                Problem(
                    where,
                    f"expected <TimeCreated SystemTime=...> as an ISO 8601 time, found {stamp_text!r:.80}",
                )
            ]
        )
    level_text = _text(system.get("Level"), where) or "0"
    record_text = _text(system.get("EventRecordID"), where)
    data = parts.get("EventData")
    if data is None:
        data = parts.get("UserData")
    rendering = parts.get("RenderingInfo")
    message = _child(rendering, "Message") if rendering is not None else None
    if len(name) > MAX_EVENT_STRING:
        raise InventoryError(
            [Problem(where, f"the provider's name is longer than {MAX_EVENT_STRING} characters")]
        )
    return Event(
        provider=name,
        event_id=_number(_text(system.get("EventID"), where), where, "<EventID>"),
        level=_number(level_text, where, "<Level>"),
        time_created=stamp,
        computer=_text(system.get("Computer"), where),
        channel=_text(system.get("Channel"), where),
        record_id=_number(record_text, where, "<EventRecordID>") if record_text else None,
        data=_values(data, where),
        message=_text(message, where) or None,
    )
