r"""Reading events exported as ``Get-WinEvent ... | ConvertTo-Json``.

Both shapes read the same: Windows PowerShell 5.1 writes ``TimeCreated`` as
``"\/Date(1765000000000)\/"`` (milliseconds since 1970 in UTC), or as an object
whose ``value`` holds that when the time went through ``Select-Object``;
PowerShell 7 writes it as ISO 8601 with the local offset. One event is one
object, several are an array. A file saved by Windows PowerShell 5.1 is
UTF-16 or UTF-8 with a byte-order mark; both are read.

The record's ``Properties`` carry values without names, so they are named by
position (``"1"``, ``"2"``, ...); its ``Message`` is the rendered message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from hyperv_backup._base import public_dir
from hyperv_backup.inventory import (
    InventoryError,
    InventoryLimits,
    Problem,
    check_limits,
    load_document,
)
from hyperv_backup.readers._events import (
    MAX_EVENT_STRING,
    PROGRESS_EVERY,
    Event,
    EventLog,
    Progress,
    parse_time,
)

__all__ = ["JSON_LIMITS", "MAX_JSON_BYTES", "winevent_json"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: The largest JSON export, in bytes or characters, that :func:`winevent_json` reads (1 GiB).
MAX_JSON_BYTES = 1024 * 1024 * 1024

#: How much a Get-WinEvent JSON file may hold: a gigabyte, strings of a mebibyte in
#: what an event keeps (as every form of event,
#: :data:`~hyperv_backup.readers._events.MAX_EVENT_STRING`), and arrays of up to 16
#: million items (the events themselves).
JSON_LIMITS = InventoryLimits(
    max_bytes=MAX_JSON_BYTES, max_string=MAX_EVENT_STRING, max_items=16 * 1024 * 1024
)
_MS_DATE = re.compile(r"/Date\((-?\d{1,15})([+-]\d{4})?\)/")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _time(value: object) -> datetime | None:
    # A parsed document holds dicts, lists, strings, numbers, booleans and None
    # only: their classes are asked, which is quicker than isinstance().
    if value.__class__ is dict and "value" in value:
        # Windows PowerShell 5.1 adds DisplayHint and DateTime beside the value.
        value = value["value"]
    if value.__class__ is not str:
        return None
    match = _MS_DATE.fullmatch(value.strip())
    if match is not None:
        # The offset after the milliseconds says which zone the time was shown
        # in; the milliseconds are UTC either way.
        try:
            return _EPOCH + timedelta(milliseconds=int(match.group(1)))
        except OverflowError:  # past the years 1 to 9999 a datetime holds
            return None
    return parse_time(value)


def _whole(value: object) -> int | None:
    # A boolean's class is bool, not int.
    if value.__class__ is int and value >= 0:
        return value
    return None


def _shown(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)[:80]


def _value(value: object) -> str:
    if value.__class__ is str:
        return value
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False)


def _at(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


#: The names of the first values of an event, by position: ``"1"``, ``"2"``, ...
_POSITIONS = tuple(str(position) for position in range(1, 65))


def _positions(count: int) -> tuple[str, ...]:
    return tuple(str(position) for position in range(1, count + 1))


def _refuse_long(where: str, kept: Iterable[tuple[str, str | None]]) -> None:
    """Refuse a string an event keeps that is over :data:`MAX_EVENT_STRING` characters.

    ``kept`` gives each string with the key it is read from. Only the strings
    an event keeps are asked: the others of the export are not read, and the
    whole text was within :data:`MAX_JSON_BYTES`.
    """
    for key, value in kept:
        if value is not None and len(value) > MAX_EVENT_STRING:
            raise InventoryError(
                [
                    Problem(
                        _at(where, key),
                        f"a string of {len(value)} characters is longer than the limit of "
                        f"{MAX_EVENT_STRING}",
                    )
                ]
            )


def _event(item: object, where: str, *, long_strings: bool = True) -> Event:
    if item.__class__ is not dict:
        raise InventoryError([Problem(where, f"expected an event object, found {_shown(item)}")])
    item = cast("dict[str, Any]", item)
    event_id = _whole(item.get("Id"))
    if event_id is None:
        raise InventoryError(
            [
                Problem(
                    _at(where, "Id"),
                    f"expected the event id as a whole number, found {_shown(item.get('Id'))}",
                )
            ]
        )
    provider = item.get("ProviderName")
    if not isinstance(provider, str) or not provider:
        raise InventoryError(
            [
                Problem(
                    _at(where, "ProviderName"),
                    f"expected the provider's name, found {_shown(provider)}",
                )
            ]
        )
    stamp = _time(item.get("TimeCreated"))
    if stamp is None:
        raise InventoryError(
            [
                Problem(
                    _at(where, "TimeCreated"),
                    'expected a time such as "/Date(1765000000000)/" or an ISO 8601 time, '
                    f"found {_shown(item.get('TimeCreated'))}",
                )
            ]
        )
    level = item.get("Level")
    if level is not None and _whole(level) is None:
        raise InventoryError(
            [Problem(_at(where, "Level"), f"expected a level number, found {_shown(level)}")]
        )
    record = item.get("RecordId")
    if record is not None and _whole(record) is None:
        raise InventoryError(
            [Problem(_at(where, "RecordId"), f"expected a record number, found {_shown(record)}")]
        )
    properties = item.get("Properties") or []
    if not isinstance(properties, list):
        raise InventoryError(
            [Problem(_at(where, "Properties"), f"expected an array, found {_shown(properties)}")]
        )
    positions = _POSITIONS if len(properties) <= len(_POSITIONS) else _positions(len(properties))
    values: list[tuple[str, str]] = []
    # A value that is not a string is written as JSON, which can be longer than
    # the text it was read from: its length is asked whatever the file's size.
    converted = False
    for name, entry in zip(positions, properties, strict=False):
        value = entry.get("Value") if entry.__class__ is dict else entry
        if value.__class__ is not str and value is not None:
            converted = True
        values.append((name, _value(value)))
    data = tuple(values)
    message = item.get("Message")
    message = message if message.__class__ is str and message else None
    computer, channel = _value(item.get("MachineName")), _value(item.get("LogName"))
    most = MAX_EVENT_STRING
    if (long_strings or converted) and (
        len(provider) > most
        or len(computer) > most
        or len(channel) > most
        or (message is not None and len(message) > most)
        or any(len(value) > most for _, value in data)
    ):
        _refuse_long(
            where,
            [
                ("ProviderName", provider),
                ("MachineName", computer),
                ("LogName", channel),
                ("Message", message),
                *((f"Properties[{int(name) - 1}]", value) for name, value in data),
            ],
        )
    return Event(
        provider=provider,
        event_id=event_id,
        level=0 if level is None else level,
        time_created=stamp,
        computer=computer,
        channel=channel,
        record_id=record,
        data=data,
        message=message,
    )


def winevent_json(
    data: str | bytes,
    *,
    skip_bad: bool = False,
    progress: Progress | None = None,
) -> EventLog:
    r"""Read the events of ``Get-WinEvent | ConvertTo-Json`` output, in order.

    An event without its ``Id``, ``ProviderName`` or ``TimeCreated``, or with a
    value of the wrong kind, raises :class:`~hyperv_backup.inventory.InventoryError`
    naming its path (``"[3].TimeCreated"``), or, with ``skip_bad``, is counted in
    :attr:`EventLog.skipped`. Text that is not JSON always raises. A missing
    ``Level`` reads as 0.

    >>> log = winevent_json('{"Id": 8229, "ProviderName": "VSS", "Level": 3, '
    ...                     '"TimeCreated": "\\/Date(1765000000000)\\/", "MachineName": "HV01",'
    ...                     '"Properties": [{"Value": "0x800423f4"}]}')
    >>> [(e.provider, e.time_created.isoformat(), e.data) for e in log]
    [('VSS', '2025-12-06T05:46:40+00:00', (('1', '0x800423f4'),))]
    """
    # The arrays are bounded as they are read; the strings as each event is
    # made, only those it keeps, and not at all when the whole text is shorter
    # than the longest string allowed.
    document: Any = load_document(data, limits=JSON_LIMITS, checked=False)
    check_limits(document, JSON_LIMITS, strings=False)
    long_strings = len(data) > MAX_EVENT_STRING
    items = document if isinstance(document, list) else [document]
    single = not isinstance(document, list)
    events: list[Event] = []
    problems: list[Problem] = []
    for index, item in enumerate(items):
        try:
            events.append(_event(item, "" if single else f"[{index}]", long_strings=long_strings))
        except InventoryError as exc:
            if not skip_bad:
                raise
            problems.extend(exc.problems)
        if progress is not None and (index + 1) % PROGRESS_EVERY == 0:
            progress(index + 1)
    return EventLog(tuple(events), len(problems), tuple(problems))
