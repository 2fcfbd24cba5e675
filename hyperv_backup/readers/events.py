"""Reading an event log in whichever form it was exported: ``.evtx``, XML or JSON.

:func:`read_events` tells the form from the first bytes and hands the input to
its reader (:func:`~hyperv_backup.readers.evtx.evtx_events`,
:func:`~hyperv_backup.readers.event_xml.event_xml` or
:func:`~hyperv_backup.readers.event_json.winevent_json`).
"""

from __future__ import annotations

from hyperv_backup._base import public_dir
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

__all__ = [
    "Event",
    "EventLevel",
    "EventLog",
    "Progress",
    "event_form",
    "parse_time",
    "read_events",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


def event_form(data: bytes) -> str:
    r"""Say which form ``data`` is in: ``"evtx"``, ``"xml"`` or ``"json"``.

    >>> import codecs
    >>> event_form(EVTX_SIGNATURE), event_form(codecs.BOM_UTF8 + b"  <Events>"), event_form(b"[]")
    ('evtx', 'xml', 'json')
    """
    if data.startswith(EVTX_SIGNATURE):
        return "evtx"
    first = decode_text(data[:256], partial=True).lstrip(" \t\r\n")[:1]
    if first == "<":
        return "xml"
    if first in ("[", "{"):
        return "json"
    if not data.strip():
        raise InventoryError([Problem("", "an empty file, not an event log")])
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
