"""Write small, valid ``.evtx`` files, for the tests of the event log reader.

No public ``.evtx`` file with Hyper-V events was found, so the tests make
their own. The layout is the one Windows writes (a 4,096-byte file header,
65,536-byte chunks of 512-byte headers and records, both with their CRC32
checksums; each record a binary XML fragment holding one template instance).
The template is written in the record itself, with every value as text and
no substitutions: Windows substitutes values into shared templates, which a
reader renders to the same XML.

Only the parts the tests need are written: elements, attributes and text
values. Element and attribute names are written in place, not in the chunk's
table of shared strings.
"""

from __future__ import annotations

import struct
import uuid
import zlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import attrs

__all__ = ["Element", "EvtxRecord", "event_element", "write_evtx"]

_CHUNK_SIZE = 0x10000
_CHUNK_HEADER = 512
_FILE_HEADER = 4096
_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)


@attrs.frozen
class Element:
    """One XML element: its name, attributes in order, text or child elements."""

    name: str
    attributes: tuple[tuple[str, str], ...] = ()
    children: tuple[Element, ...] = ()
    text: str | None = None


@attrs.frozen
class EvtxRecord:
    """One record: its identifier, the time it was written, and its XML."""

    record_id: int
    written: datetime
    event: Element


def _name(name: str, offset: int) -> bytes:
    """Write a name in place: no next name, its hash, its length, UTF-16 and a NUL."""
    hashed = 0
    for char in name:
        hashed = (hashed * 65599 + ord(char)) & 0xFFFFFFFF
    return struct.pack("<IHH", 0, hashed & 0xFFFF, len(name)) + (name + "\0").encode("utf-16-le")


def _text(value: str) -> bytes:
    """Write a value token of type string: its length in characters, then UTF-16."""
    return struct.pack("<BBH", 0x05, 0x01, len(value)) + value.encode("utf-16-le")


def _element(element: Element, offset: int) -> bytes:
    """Write the tokens of ``element``, which begins at ``offset`` in the chunk."""
    token = 0x41 if element.attributes else 0x01
    # token, dependency id, size, name offset: 11 bytes, then the name in place.
    name_offset = offset + 11
    name = _name(element.name, name_offset)
    body = bytearray()
    position = name_offset + len(name)
    if element.attributes:
        position += 4  # the size of the attribute list
        attributes = bytearray()
        for index, (key, value) in enumerate(element.attributes):
            more = index + 1 < len(element.attributes)
            head = struct.pack("<BI", 0x46 if more else 0x06, position + len(attributes) + 5)
            attributes += head + _name(key, 0)
            attributes += _text(value)
        body += struct.pack("<I", len(attributes)) + attributes
        position += len(attributes)
    if element.children or element.text is not None:
        body += b"\x02"
        position += 1
        if element.text is not None:
            text = _text(element.text)
            body += text
            position += len(text)
        for child in element.children:
            tokens = _element(child, position)
            body += tokens
            position += len(tokens)
        body += b"\x04"
    else:
        body += b"\x03"
    size = len(name) + len(body)
    return struct.pack("<BHII", token, 0xFFFF, size, name_offset) + name + bytes(body)


def _record(record: EvtxRecord, offset: int) -> bytes:
    """One record at ``offset`` in the chunk: header, binary XML, size again."""
    xml = bytearray(b"\x0f\x01\x01\x00")
    # Template instance: token, unknown byte, template id, the definition's offset.
    instance_at = offset + 24 + len(xml)
    definition_at = instance_at + 10
    guid = uuid.uuid4().bytes_le
    fragment = bytearray(b"\x0f\x01\x01\x00")
    fragment += _element(record.event, definition_at + 24 + len(fragment))
    fragment += b"\x00"
    xml += struct.pack("<BBII", 0x0C, 0x01, struct.unpack("<I", guid[:4])[0], definition_at)
    xml += struct.pack("<I", 0) + guid + struct.pack("<I", len(fragment)) + fragment
    xml += struct.pack("<I", 0)  # no substitution values
    size = 24 + len(xml) + 4
    filetime = int((record.written - _FILETIME_EPOCH).total_seconds() * 10_000_000)
    head = struct.pack("<4sIQQ", b"**\x00\x00", size, record.record_id, filetime)
    return head + bytes(xml) + struct.pack("<I", size)


def _chunk(records: Sequence[EvtxRecord], number: int) -> bytes:
    body = bytearray()
    last_offset = _CHUNK_HEADER
    for record in records:
        last_offset = _CHUNK_HEADER + len(body)
        body += _record(record, last_offset)
    if _CHUNK_HEADER + len(body) > _CHUNK_SIZE:
        raise ValueError("the records do not fit in one chunk; write fewer per chunk")
    free = _CHUNK_HEADER + len(body)
    first = records[0].record_id
    last = records[-1].record_id
    header = bytearray(_CHUNK_HEADER)
    struct.pack_into(
        "<8sQQQQIIII",
        header,
        0,
        b"ElfChnk\x00",
        first,
        last,
        first,
        last,
        128,
        last_offset,
        free,
        zlib.crc32(body),
    )
    struct.pack_into("<I", header, 124, zlib.crc32(bytes(header[:120]) + bytes(header[128:])))
    chunk = bytes(header) + bytes(body)
    return chunk + bytes(_CHUNK_SIZE - len(chunk))


def write_evtx(records: Iterable[EvtxRecord], *, per_chunk: int = 50) -> bytes:
    """Return the bytes of an ``.evtx`` file holding ``records``, ``per_chunk`` to a chunk."""
    items = list(records)
    groups = [items[i : i + per_chunk] for i in range(0, len(items), per_chunk)] or [[]]
    chunks = [_chunk(group, n) for n, group in enumerate(groups) if group]
    header = bytearray(_FILE_HEADER)
    next_id = (items[-1].record_id + 1) if items else 1
    struct.pack_into(
        "<8sQQQIHHHH",
        header,
        0,
        b"ElfFile\x00",
        0,
        max(len(chunks) - 1, 0),
        next_id,
        128,
        1,
        3,
        _FILE_HEADER,
        len(chunks),
    )
    struct.pack_into("<I", header, 124, zlib.crc32(bytes(header[:120])))
    return bytes(header) + b"".join(chunks)


_EVENT_NS = "http://schemas.microsoft.com/win/2004/08/events/event"


def event_element(
    *,
    provider: str,
    event_id: int,
    level: int,
    time_created: datetime,
    record_id: int,
    channel: str,
    computer: str,
    data: Sequence[tuple[str | None, str]] = (),
    user_data: tuple[str, str, Sequence[tuple[str, str]]] | None = None,
) -> Element:
    """Build the ``<Event>`` element Windows writes for one event.

    ``data`` becomes ``<EventData>`` (a ``None`` name writes an unnamed
    ``<Data>``); ``user_data`` is ``(element, namespace, fields)`` for
    ``<UserData>``, as the Hyper-V providers write it.
    """
    stamp = time_created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    system = Element(
        "System",
        children=(
            Element("Provider", (("Name", provider),)),
            Element("EventID", text=str(event_id)),
            Element("Level", text=str(level)),
            Element("TimeCreated", (("SystemTime", stamp),)),
            Element("EventRecordID", text=str(record_id)),
            Element("Channel", text=channel),
            Element("Computer", text=computer),
        ),
    )
    children = [system]
    if user_data is not None:
        tag, namespace, fields = user_data
        inner = tuple(Element(key, text=value) for key, value in fields)
        children.append(
            Element("UserData", children=(Element(tag, (("xmlns", namespace),), inner),))
        )
    else:
        items = tuple(
            Element("Data", () if key is None else (("Name", key),), text=value)
            for key, value in data
        )
        children.append(Element("EventData", children=items))
    return Element("Event", (("xmlns", _EVENT_NS),), tuple(children))


#: Where the name of a record's ``<Event>`` element begins, from the start of the record:
#: the record header (24), the fragment header (4), the template instance (10), the
#: template definition's header (24), its fragment header (4) and the element token (11).
EVENT_NAME_AT = 24 + 4 + 10 + 24 + 4 + 11
#: Where a record's template definition begins, from the start of the record.
TEMPLATE_AT = 24 + 4 + 10


def record_offsets(data: bytes, chunk: int = 0) -> list[int]:
    """Return where each record of chunk ``chunk`` begins, from the start of the chunk."""
    base = _FILE_HEADER + chunk * _CHUNK_SIZE
    free = struct.unpack_from("<I", data, base + 48)[0]
    offsets, position = [], _CHUNK_HEADER
    while position < free:
        offsets.append(position)
        position += struct.unpack_from("<I", data, base + position + 4)[0]
    return offsets


def with_loop(data: bytes, table: str, steps: int = 2, chunk: int = 0) -> bytes:
    """Return ``data`` with a chain of the chunk's names or templates that loops.

    The first entry of the chunk header's table of names (``table="names"``)
    or of templates points at the first record's entry, whose next-entry
    offset points at the second record's, and so on for ``steps`` records;
    the last points back at the first. Both checksums of the chunk are made
    right again, so nothing but the loop is wrong.
    """
    out = bytearray(data)
    base = _FILE_HEADER + chunk * _CHUNK_SIZE
    at = EVENT_NAME_AT if table == "names" else TEMPLATE_AT
    entries = [offset + at for offset in record_offsets(data, chunk)[:steps]]
    for index, entry in enumerate(entries):
        struct.pack_into("<I", out, base + entry, entries[(index + 1) % len(entries)])
    struct.pack_into("<I", out, base + (128 if table == "names" else 384), entries[0])
    return rechecked(bytes(out), chunk)


def rechecked(data: bytes, chunk: int = 0) -> bytes:
    """Return ``data`` with the checksums of chunk ``chunk`` made right for its bytes."""
    out = bytearray(data)
    base = _FILE_HEADER + chunk * _CHUNK_SIZE
    free = struct.unpack_from("<I", out, base + 48)[0]
    struct.pack_into(
        "<I", out, base + 52, zlib.crc32(bytes(out[base + _CHUNK_HEADER : base + free]))
    )
    header = bytes(out[base : base + _CHUNK_HEADER])
    struct.pack_into("<I", out, base + 124, zlib.crc32(header[:120] + header[128:]))
    return bytes(out)
