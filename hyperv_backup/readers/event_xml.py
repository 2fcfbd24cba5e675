"""Reading events exported as XML: ``wevtutil qe ... /f:xml`` and Event Viewer's "Save as XML".

``wevtutil qe`` prints one ``<Event>`` element after another with no root
element around them (unless ``/e:`` names one); Event Viewer wraps them in
``<Events>`` and may add a ``<RenderingInfo>`` with the message. Both read the
same. The XML comes from elsewhere, so it is parsed with :mod:`defusedxml`: a
document type declaration or an entity, which event exports never hold, is
refused.
"""

from __future__ import annotations

import io
import re
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree

from hyperv_backup.inventory import InventoryError, Problem
from hyperv_backup.readers._events import (
    PROGRESS_EVERY,
    Event,
    EventLog,
    Progress,
    event_from_element,
)

__all__ = ["MAX_XML_LENGTH", "event_xml"]

#: The longest XML text, in characters, that :func:`event_xml` accepts (1 GiB).
MAX_XML_LENGTH = 1024 * 1024 * 1024

_DECLARATION = re.compile(r"<\?xml[^>]*\?>", re.IGNORECASE)
_DOCTYPE = re.compile(r"\s*<!DOCTYPE", re.IGNORECASE)
_WRAPPER = "<hyperv-backup-events>"


def _offset(text: str, line: int, column: int) -> int:
    """Return the character offset in ``text`` of a 1-based line and 0-based column."""
    start = 0
    for _ in range(line - 1):
        found = text.find("\n", start)
        if found < 0:
            break
        start = found + 1
    return start + column


def event_xml(
    text: str,
    *,
    skip_bad: bool = False,
    progress: Progress | None = None,
) -> EventLog:
    """Read the events of an XML export, in document order.

    Every ``<Event>`` element is read, at any depth. An event that is well-formed
    XML but lacks its provider, time or a number raises
    :class:`~hyperv_backup.inventory.InventoryError` naming it (``"record 3"``),
    or, with ``skip_bad``, is counted in :attr:`EventLog.skipped`. XML that is not
    well-formed always raises, naming the record it is in and its line, column and
    character offset.

    >>> log = event_xml('''<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">
    ... <System><Provider Name="VSS"/><EventID Qualifiers="0">8229</EventID><Level>3</Level>
    ... <TimeCreated SystemTime="2026-12-06T02:00:09.0000000Z"/><Computer>HV01</Computer></System>
    ... <EventData><Data>0x800423f4</Data></EventData></Event>''')
    >>> [(e.provider, e.event_id, e.level_label, e.data) for e in log]
    [('VSS', 8229, 'Warning', (('1', '0x800423f4'),))]
    """
    if not isinstance(text, str):
        raise TypeError(f"expected the XML as a str, got {type(text).__name__}")
    if len(text) > MAX_XML_LENGTH:
        raise InventoryError(
            [Problem("", f"the XML is longer than {MAX_XML_LENGTH} characters, the most read")]
        )
    text = text.removeprefix("\ufeff")
    declaration = _DECLARATION.match(text)
    # Blanks in place of the declaration keep every line and offset as they are;
    # the wrapper gives wevtutil's root-less output a root, shifting line 1 only.
    body = " " * declaration.end() + text[declaration.end() :] if declaration else text
    if _DOCTYPE.match(body):
        raise InventoryError(
            [
                Problem(
                    "record 1", "refused: a document type declaration, which no event export holds"
                )
            ]
        )
    source = io.BytesIO(f"{_WRAPPER}{body}</hyperv-backup-events>".encode())
    events: list[Event] = []
    problems: list[Problem] = []
    number = 0
    try:
        for _, element in defusedxml.ElementTree.iterparse(
            source, events=("end",), forbid_dtd=True
        ):
            if element.tag.rpartition("}")[2] != "Event":
                continue
            number += 1
            try:
                events.append(event_from_element(element, f"record {number}"))
            except InventoryError as exc:
                if not skip_bad:
                    raise
                problems.extend(exc.problems)
            element.clear()
            if progress is not None and number % PROGRESS_EVERY == 0:
                progress(number)
    except ParseError as exc:
        line, column = exc.position
        if line == 1:
            column = max(column - len(_WRAPPER), 0)
        offset = _offset(text, line, column)
        reason = str(exc).split(":", 1)[0]
        raise InventoryError(
            [
                Problem(
                    f"record {number + 1}",
                    f"not well-formed XML ({reason}) at line {line}, column {column + 1} "
                    f"(character offset {offset})",
                )
            ]
        ) from None
    if not events and not problems and number == 0:
        raise InventoryError([Problem("", "the XML holds no <Event> element")])
    return EventLog(tuple(events), len(problems), tuple(problems))
