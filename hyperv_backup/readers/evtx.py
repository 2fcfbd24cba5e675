"""Reading ``.evtx`` files: the event logs Windows writes and ``wevtutil epl`` exports.

The binary format is read by the ``evtx`` library (a maintained Rust parser
with wheels for every platform), which renders each record as XML; the XML
is read into the same :class:`Event` records as an export is
(:mod:`~hyperv_backup.readers.event_xml`): with :mod:`defusedxml` when it
holds a declaration (``<!``), with the standard library's parser otherwise,
as it can then hold no entity. The library is imported on the first call only.

The library is handed one chunk at a time, and only a chunk checked here
first. A file is a 4,096-byte header, then chunks of 65,536 bytes, each a
512-byte header and the records. Before the library sees a chunk:

* the file's length must fit that layout, and its header must match its
  checksum and count no more chunks than the file holds (a copy cut short
  must not lose its last records unseen);
* the chunk must begin with its signature and match its header checksum;
  its records must follow one another up to where the header says the free
  space begins, each with its size at both ends;
* the chains of names and of templates the chunk header points to must stay
  inside the records and never come back to a place already visited. The
  library follows those chains without such a check: two names that point
  at each other make it loop for ever, in native code that Ctrl-C cannot
  interrupt.

A chunk that fails is an error naming it and its offset, or, with
``skip_bad``, is left out and counted. A chunk of zeros counts as damaged too,
unless it lies beyond the chunks the header counts: that is space Windows set
aside and has not used. The records must also match the chunk's checksum of
them; when they do not, the record the library cannot read is named, or,
when it reads them all, the chunk. A file with no chunk that could be read is
no empty log: it is an error.

Handing over one chunk at a time also keeps each call into native code short
(Ctrl-C is seen between chunks) and lets a file be read from a stream without
holding it whole (:func:`iter_evtx`).
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import zlib
from collections.abc import Callable, Iterator
from typing import BinaryIO
from xml.etree.ElementTree import XML, ParseError

import defusedxml
import defusedxml.ElementTree

from hyperv_backup._base import public_dir
from hyperv_backup.inventory import InventoryError, Problem
from hyperv_backup.readers._events import (
    PROGRESS_EVERY,
    Event,
    EventLog,
    Progress,
    event_from_element,
)

__all__ = ["EVTX_SIGNATURE", "MAX_EVTX_BYTES", "evtx_events", "iter_evtx"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: The first eight bytes of every ``.evtx`` file.
EVTX_SIGNATURE = b"ElfFile\x00"
_CHUNK_SIGNATURE = b"ElfChnk\x00"
_RECORD_SIGNATURE = b"**\x00\x00"

#: The largest ``.evtx`` file :func:`evtx_events` reads, in bytes (4 GiB, the format's limit).
MAX_EVTX_BYTES = 4 * 1024 * 1024 * 1024

_HEADER = 4096
_CHUNK = 65536
_CHUNK_HEADER = 512
_ZEROS = bytes(_CHUNK)
#: A record: signature, size, record id, time (24 bytes), its binary XML, its size again.
_RECORD_MIN = 28
#: The chunk header's tables: 64 offsets of names, then 32 offsets of templates.
_NAMES_AT, _NAMES = 128, 64
_TEMPLATES_AT, _TEMPLATES = 384, 32
_RECORD = re.compile(r"record (?:number )?(\d+)", re.IGNORECASE)

#: Reads up to ``n`` bytes, as ``BinaryIO.read`` does.
_Read = Callable[[int], bytes]


def _bad(where: str, message: str) -> InventoryError:
    return InventoryError([Problem(where, message)])


def _check_size(size: int) -> None:
    if size > MAX_EVTX_BYTES:
        raise _bad("", f"the file is larger than {MAX_EVTX_BYTES} bytes")
    if size < _HEADER:
        raise _bad("header", f"the file ends at byte {size}, inside its 4096-byte header")


def _check_header(header: bytes, size: int) -> tuple[int, int]:
    """Check the file header against the file's length; return the chunks held and counted."""
    if not header.startswith(EVTX_SIGNATURE):
        raise _bad("header", f"not an .evtx file: it begins {header[:8]!r}, not {EVTX_SIGNATURE!r}")
    rest = (size - _HEADER) % _CHUNK
    chunks = (size - _HEADER) // _CHUNK
    if rest:
        raise _bad(
            f"chunk {chunks}",
            f"the file ends at byte {size}, {rest} bytes into chunk {chunks} "
            f"(at offset {_HEADER + chunks * _CHUNK}) of {_CHUNK}: it was cut short",
        )
    (stored,) = struct.unpack_from("<I", header, 124)
    computed = zlib.crc32(header[:120])
    if stored != computed:
        raise _bad(
            "header",
            f"the file header is damaged: its checksum is {stored:#010x}, its bytes give "
            f"{computed:#010x}",
        )
    (counted,) = struct.unpack_from("<H", header, 42)
    if counted > chunks:
        raise _bad(
            "header",
            f"the header counts {counted} chunks, the file holds {chunks}: it was cut short",
        )
    return chunks, counted


def _chain_problem(chunk: bytes, start: int, end: int, what: str, size: int) -> str | None:
    """Follow one chain of names or templates from ``start``; say what is wrong with it.

    Each entry begins with the offset of the next (0 ends the chain) and is
    ``size`` bytes at least; every entry must lie among the records
    (``512`` to ``end``) and none may be visited twice.
    """
    seen: set[int] = set()
    offset = start
    while offset:
        if offset in seen:
            return f"the chain of {what} loops back to offset {offset}"
        if not _CHUNK_HEADER <= offset <= end - size:
            return f"the chain of {what} leads to offset {offset}, outside the records"
        seen.add(offset)
        (offset,) = struct.unpack_from("<I", chunk, offset)
    return None


def _chunk_problem(chunk: bytes) -> str | None:
    """Say what keeps the library from being handed ``chunk`` safely, or ``None``."""
    return _header_problem(chunk) or _records_problem(chunk) or _tables_problem(chunk)


def _header_problem(chunk: bytes) -> str | None:
    if chunk == _ZEROS:
        return "the chunk is all zeros"
    if not chunk.startswith(_CHUNK_SIGNATURE):
        return f"the chunk begins {chunk[:8]!r}, not {_CHUNK_SIGNATURE!r}"
    (stored,) = struct.unpack_from("<I", chunk, 124)
    computed = zlib.crc32(chunk[128:_CHUNK_HEADER], zlib.crc32(chunk[:120]))
    if stored != computed:
        return (
            f"the chunk header is damaged: its checksum is {stored:#010x}, its bytes give "
            f"{computed:#010x}"
        )
    (free,) = struct.unpack_from("<I", chunk, 48)
    if not _CHUNK_HEADER <= free <= _CHUNK:
        return f"the chunk header puts its free space at offset {free}, outside the chunk"
    return None


def _records_problem(chunk: bytes) -> str | None:
    """Walk the records from the header to the free space: each must begin where the last ended."""
    first, last = struct.unpack_from("<QQ", chunk, 24)
    (free,) = struct.unpack_from("<I", chunk, 48)
    position = _CHUNK_HEADER
    expected = first
    while position < free:
        if free - position < _RECORD_MIN or chunk[position : position + 4] != _RECORD_SIGNATURE:
            return f"no record begins at offset {position} of the chunk"
        size, number = struct.unpack_from("<IQ", chunk, position + 4)
        if not _RECORD_MIN <= size <= free - position:
            return f"the record at offset {position} of the chunk gives its size as {size}"
        if struct.unpack_from("<I", chunk, position + size - 4)[0] != size:
            return f"the record at offset {position} of the chunk does not end where its size says"
        if number != expected:
            return (
                f"the record at offset {position} of the chunk is record {number}, not {expected}"
            )
        expected += 1
        position += size
    if position > _CHUNK_HEADER and expected - 1 != last:
        return f"the chunk header says its last record is {last}, its records end at {expected - 1}"
    return None


def _tables_problem(chunk: bytes) -> str | None:
    """Follow every chain of names and of templates the chunk header starts."""
    (free,) = struct.unpack_from("<I", chunk, 48)
    tables = (
        (_NAMES_AT, _NAMES, "names", 10),
        (_TEMPLATES_AT, _TEMPLATES, "templates", 24),
    )
    for at, count, what, size in tables:
        for start in struct.unpack_from(f"<{count}I", chunk, at):
            problem = _chain_problem(chunk, start, free, what, size)
            if problem is not None:
                return problem
    return None


def _records_match(chunk: bytes) -> bool:
    """Whether the records of a checked chunk match the chunk's checksum of them."""
    free, stored = struct.unpack_from("<II", chunk, 48)
    return bool(zlib.crc32(chunk[_CHUNK_HEADER:free]) == stored)


def _one_chunk_file(header: bytes, chunk: bytes) -> bytes:
    """Return a file of ``chunk`` alone: the library is never handed more than one checked chunk."""
    head = bytearray(header)
    struct.pack_into("<QQ", head, 8, 0, 0)  # first and last chunk numbers
    struct.pack_into("<H", head, 42, 1)
    struct.pack_into("<I", head, 124, zlib.crc32(bytes(head[:120])))
    return bytes(head) + chunk


def _library_problem(exc: BaseException | Warning | str, where: str) -> Problem:
    text = str(exc)
    found = _RECORD.search(text)
    place = f"record {found.group(1)}" if found else where
    detail = text.split("deserialize evtx stream.:", 1)[-1].strip() or text
    return Problem(place, f"the record cannot be read: {detail[:300]}")


def _event(xml: str, where: str) -> Event:
    try:
        if "<!" in xml:
            element = defusedxml.ElementTree.fromstring(xml, forbid_dtd=True)
        else:
            # With no "<!", the XML declares no document type and so no entity:
            # nothing defusedxml guards against can be in it, and the standard
            # library's parser, whose handlers are compiled, reads it several
            # times faster than defusedxml's, whose handlers are Python.
            element = XML(xml)
    except (ParseError, defusedxml.DefusedXmlException) as exc:
        raise _bad(where, f"the record's XML cannot be read: {exc}") from None
    return event_from_element(element, where)


def _chunk_events(
    header: bytes, chunk: bytes, number: int, *, skip_bad: bool, problems: list[Problem]
) -> list[Event]:
    """Read the records of one checked chunk with the library."""
    from evtx import PyEvtxParser  # noqa: PLC0415 - a compiled library, loaded when needed

    where = f"chunk {number}"
    events: list[Event] = []
    failed = 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        try:
            parser = PyEvtxParser(
                io.BytesIO(_one_chunk_file(header, chunk)),
                number_of_threads=1,
                skip_errors=skip_bad,
            )
            for record in parser.records():
                assert record is not None  # noqa: S101 - the library never yields None
                place = f"record {record['event_record_id']}"
                try:
                    events.append(_event(record["data"], place))
                except InventoryError as exc:
                    if not skip_bad:
                        raise
                    problems.extend(exc.problems)
                    failed += 1
        except (RuntimeError, OSError) as exc:
            raise InventoryError([_library_problem(exc, where)]) from None
    for item in caught:
        if issubclass(item.category, RuntimeWarning):
            problems.append(_library_problem(item.message, where))
            failed += 1
    if not failed and not _records_match(chunk):
        # Every record read, yet its bytes are not those the checksum was taken of:
        # a value may have changed unseen.
        message = (
            "its records do not match the chunk's checksum of them "
            f"(at offset {_HEADER + number * _CHUNK})"
        )
        if not skip_bad:
            raise _bad(where, message)
        problems.append(Problem(where, f"skipped: {message}"))
        return []
    return events


def iter_evtx(
    source: bytes | BinaryIO,
    *,
    skip_bad: bool = False,
    problems: list[Problem] | None = None,
    progress: Progress | None = None,
) -> Iterator[Event]:
    """Yield the events of an ``.evtx`` file, chunk by chunk, from its bytes or a binary file.

    A file is read 64 KiB at a time, never whole. Problems with what was
    skipped (with ``skip_bad``) are added to ``problems``, one per record or
    chunk left out. Raises :class:`~hyperv_backup.inventory.InventoryError`
    as :func:`evtx_events` does.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        size = len(data)
        read: _Read = io.BytesIO(data).read
    else:
        size = _stream_size(source)
        read = source.read
    kept = problems if problems is not None else []
    _check_size(size)
    header = read(_HEADER)
    chunks, counted = _check_header(header, size)
    valid = 0
    count = 0
    for number in range(chunks):
        chunk = read(_CHUNK)
        if len(chunk) != _CHUNK:
            raise _bad(f"chunk {number}", "the file ended while it was being read")
        offset = _HEADER + number * _CHUNK
        if number >= counted and chunk == _ZEROS:
            continue  # space set aside beyond the chunks the header counts
        problem = _chunk_problem(chunk)
        if problem is not None:
            if not skip_bad:
                raise _bad(f"chunk {number}", f"{problem} (at offset {offset})")
            kept.append(Problem(f"chunk {number}", f"skipped: {problem} (at offset {offset})"))
            continue
        events = _chunk_events(header, chunk, number, skip_bad=skip_bad, problems=kept)
        valid += 1
        for event in events:
            count += 1
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count)
            yield event
    if not valid:
        raise _bad(
            "",
            "the file holds no chunk that could be read: it is no event log, not even an "
            "empty one (Windows writes a chunk into every log)",
        )


def _stream_size(file: BinaryIO) -> int:
    """Return how many bytes are left to read in ``file``, without reading them."""
    position = file.tell()
    end = file.seek(0, io.SEEK_END)
    file.seek(position)
    return end - position


def evtx_events(
    data: bytes,
    *,
    skip_bad: bool = False,
    progress: Progress | None = None,
) -> EventLog:
    """Read the events of an ``.evtx`` file's bytes, in the order of the file.

    A file cut short, damaged, or that is no ``.evtx`` file, raises
    :class:`~hyperv_backup.inventory.InventoryError` naming the header, or the
    chunk and its offset. A record that cannot be read raises one naming the
    record, or, with ``skip_bad``, is counted in :attr:`EventLog.skipped`; so is
    a damaged chunk, counted once.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"expected the file's bytes, got {type(data).__name__}")
    problems: list[Problem] = []
    events = tuple(iter_evtx(data, skip_bad=skip_bad, problems=problems, progress=progress))
    return EventLog(events, len(problems), tuple(problems))
