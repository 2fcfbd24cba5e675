"""Reading an event log in whichever form it was exported: ``.evtx``, XML or JSON.

:func:`read_events` tells the form from the first bytes and hands the input to
its reader (:func:`~hyperv_backup.readers.evtx.evtx_events`,
:func:`~hyperv_backup.readers.event_xml.event_xml` or
:func:`~hyperv_backup.readers.event_json.winevent_json`).
"""

from __future__ import annotations

import codecs

from hyperv_backup.inventory import InventoryError, Problem, decode_text
from hyperv_backup.readers._events import (
    Event,
    EventLevel,
    EventLog,
    Progress,
    parse_time,
)
from hyperv_backup.readers.event_json import winevent_json
from hyperv_backup.readers.event_xml import event_xml
from hyperv_backup.readers.evtx import EVTX_SIGNATURE, evtx_events

#: Byte-order marks and their codecs, longest first (a UTF-32 LE mark begins with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

__all__ = [
    "Event",
    "EventLevel",
    "EventLog",
    "Progress",
    "event_form",
    "parse_time",
    "read_events",
]


def event_form(data: bytes) -> str:
    r"""Say which form ``data`` is in: ``"evtx"``, ``"xml"`` or ``"json"``.

    >>> event_form(EVTX_SIGNATURE), event_form(codecs.BOM_UTF8 + b"  <Events>"), event_form(b"[]")
    ('evtx', 'xml', 'json')
    """
    if data.startswith(EVTX_SIGNATURE):
        return "evtx"
    head = data[:256]
    for bom, codec in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :].decode(codec, errors="ignore").encode()
            break
    first = head.lstrip(b" \t\r\n")[:1]
    if first == b"<":
        return "xml"
    if first in (b"[", b"{"):
        return "json"
    raise InventoryError(
        [
            Problem(
                "",
                "not an event log: expected an .evtx file, the XML of 'wevtutil qe /f:xml' "
                "or the JSON of 'Get-WinEvent | ConvertTo-Json'",
            )
        ]
    )


def read_events(
    data: bytes,
    *,
    skip_bad: bool = False,
    progress: Progress | None = None,
) -> EventLog:
    """Read the events of an exported log, in whichever of the three forms it is.

    Raises :class:`~hyperv_backup.inventory.InventoryError` for input that is
    none of them, and as each reader does.
    """
    form = event_form(data)
    if form == "evtx":
        return evtx_events(data, skip_bad=skip_bad, progress=progress)
    if form == "xml":
        return event_xml(decode_text(data), skip_bad=skip_bad, progress=progress)
    return winevent_json(data, skip_bad=skip_bad, progress=progress)
