"""Reading ``.evtx`` files: the event logs Windows writes and ``wevtutil epl`` exports.

The binary format is read by the ``evtx`` library (a maintained Rust parser
with wheels for every platform), which renders each record as XML; the XML
is read as :mod:`~hyperv_backup.readers.event_xml` reads an export, with
:mod:`defusedxml`. The library is imported on the first call only.

Before the library sees the file, its length is checked against the layout of
the format (a 4,096-byte header, then chunks of 65,536 bytes): the library
passes over a chunk cut short without a word, and a file cut short by a copy
must not lose its last records unseen.
"""

from __future__ import annotations

import io
import re
import warnings
from xml.etree.ElementTree import ParseError

import defusedxml
import defusedxml.ElementTree

from hyperv_backup.inventory import InventoryError, Problem
from hyperv_backup.readers._events import (
    PROGRESS_EVERY,
    Event,
    EventLog,
    Progress,
    event_from_element,
)

__all__ = ["EVTX_SIGNATURE", "MAX_EVTX_BYTES", "evtx_events"]

#: The first eight bytes of every ``.evtx`` file.
EVTX_SIGNATURE = b"ElfFile\x00"

#: The largest ``.evtx`` file :func:`evtx_events` reads, in bytes (4 GiB, the format's limit).
MAX_EVTX_BYTES = 4 * 1024 * 1024 * 1024

_HEADER = 4096
_CHUNK = 65536
_RECORD = re.compile(r"record (?:number )?(\d+)", re.IGNORECASE)


def _check_layout(data: bytes) -> None:
    if len(data) > MAX_EVTX_BYTES:
        raise InventoryError([Problem("", f"the file is larger than {MAX_EVTX_BYTES} bytes")])
    if len(data) < _HEADER:
        raise InventoryError(
            [Problem("header", f"the file ends at byte {len(data)}, inside its 4096-byte header")]
        )
    if not data.startswith(EVTX_SIGNATURE):
        raise InventoryError(
            [
                Problem(
                    "header", f"not an .evtx file: it begins {data[:8]!r}, not {EVTX_SIGNATURE!r}"
                )
            ]
        )
    rest = (len(data) - _HEADER) % _CHUNK
    if rest:
        chunk = (len(data) - _HEADER) // _CHUNK
        raise InventoryError(
            [
                Problem(
                    f"chunk {chunk}",
                    f"the file ends at byte {len(data)}, {rest} bytes into chunk {chunk} "
                    f"(at offset {_HEADER + chunk * _CHUNK}) of {_CHUNK}: it was cut short",
                )
            ]
        )


def _library_problem(exc: BaseException | Warning | str) -> Problem:
    text = str(exc)
    found = _RECORD.search(text)
    where = f"record {found.group(1)}" if found else "file"
    detail = text.split("deserialize evtx stream.:", 1)[-1].strip() or text
    return Problem(where, f"the record cannot be read: {detail[:300]}")


def _event(xml: str, where: str) -> Event:
    try:
        element = defusedxml.ElementTree.fromstring(xml, forbid_dtd=True)
    except (ParseError, defusedxml.DefusedXmlException) as exc:
        raise InventoryError([Problem(where, f"the record's XML cannot be read: {exc}")]) from None
    return event_from_element(element, where)


def evtx_events(
    data: bytes,
    *,
    skip_bad: bool = False,
    progress: Progress | None = None,
) -> EventLog:
    """Read the events of an ``.evtx`` file's bytes, in the order of the file.

    A file cut short, or that is no ``.evtx`` file, raises
    :class:`~hyperv_backup.inventory.InventoryError` naming the header or the
    chunk and its offset. A record that cannot be read raises one naming the
    record and the offset within its chunk, or, with ``skip_bad``, is counted in
    :attr:`EventLog.skipped`.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"expected the file's bytes, got {type(data).__name__}")
    data = bytes(data)
    _check_layout(data)
    from evtx import PyEvtxParser  # noqa: PLC0415 - a compiled library, loaded when needed

    events: list[Event] = []
    problems: list[Problem] = []
    count = 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        try:
            parser = PyEvtxParser(io.BytesIO(data), skip_errors=skip_bad)
            for record in parser.records():
                assert record is not None  # noqa: S101 - the library never yields None
                count += 1
                where = f"record {record['event_record_id']}"
                try:
                    events.append(_event(record["data"], where))
                except InventoryError as exc:
                    if not skip_bad:
                        raise
                    problems.extend(exc.problems)
                if progress is not None and count % PROGRESS_EVERY == 0:
                    progress(count)
        except (RuntimeError, OSError) as exc:
            raise InventoryError([_library_problem(exc)]) from None
    problems.extend(
        _library_problem(item.message)
        for item in caught
        if issubclass(item.category, RuntimeWarning)
    )
    return EventLog(tuple(events), len(problems), tuple(problems))
