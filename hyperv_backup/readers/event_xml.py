"""Reading events exported as XML: ``wevtutil qe ... /f:xml`` and Event Viewer's "Save as XML".

``wevtutil qe`` prints one ``<Event>`` element after another with no root
element around them (unless ``/e:`` names one); Event Viewer wraps them in
``<Events>`` and may add a ``<RenderingInfo>`` with the message. Both read the
same. The XML comes from elsewhere, so it is parsed with :mod:`defusedxml`: a
document type declaration or an entity, which event exports never hold, is
refused.

A piece of markup longer than :data:`MAX_XML_TOKEN` characters (a tag, a
comment, a CDATA section) is refused before the parser sees it. Expat before
2.6, which Python may bundle, scans such a piece again each time more of the
input arrives, in time growing with the square of its length: a 16 MB
comment took 35 s. No event export holds one.
"""

from __future__ import annotations

import io
import re
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree

from hyperv_backup._base import public_dir
from hyperv_backup.inventory import InventoryError, Problem
from hyperv_backup.readers._events import (
    MAX_EVENT_STRING,
    PROGRESS_EVERY,
    Event,
    EventLog,
    Progress,
    event_from_element,
)

__all__ = ["MAX_XML_LENGTH", "MAX_XML_TOKEN", "event_xml"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: The longest XML text, in characters, that :func:`event_xml` accepts (1 GiB).
MAX_XML_LENGTH = 1024 * 1024 * 1024

#: The longest piece of markup :func:`event_xml` hands to the parser, in characters:
#: the longest string an event holds, with room for the tags around it.
MAX_XML_TOKEN = MAX_EVENT_STRING + 64 * 1024

# From a "<", a run as long as a token may be without another "<": a tag (whose
# attribute values cannot hold "<") and the text after it. A plain search, which
# runs at the speed of a scan: each character is looked at once.
_LONG_RUN = re.compile(f"<[^<]{{{MAX_XML_TOKEN}}}")
# Comments, CDATA sections and processing instructions may hold "<": each is
# measured from its opening to its close.
_OPENING = re.compile(r"<(?:!--|!\[CDATA\[|\?)")
_CLOSING = {"<!--": "-->", "<![CDATA[": "]]>", "<?": "?>"}

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


def _long_token(text: str) -> int | None:
    """Return where a piece of markup longer than :data:`MAX_XML_TOKEN` begins, if one does."""
    found = _LONG_RUN.search(text)
    if found is not None:
        return found.start()
    position = 0
    while (opening := _OPENING.search(text, position)) is not None:
        start = opening.start()
        end = text.find(_CLOSING[opening.group()], opening.end())
        # One not closed runs to the end, and the parser would scan it to there.
        end = len(text) if end < 0 else end
        if end - start > MAX_XML_TOKEN:
            return start
        position = end
    return None


def _refuse_long_token(text: str) -> None:
    start = _long_token(text)
    if start is None:
        return
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    raise InventoryError(
        [
            Problem(
                "",
                f"refused: a piece of markup longer than {MAX_XML_TOKEN} characters (a tag "
                f"with its text, a comment or a CDATA section) begins at line {line}, column "
                f"{column} (character offset {start}); no event export holds one",
            )
        ]
    )


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
    _refuse_long_token(text)
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
