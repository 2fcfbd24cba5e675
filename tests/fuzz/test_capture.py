"""Fuzzing the decoding of captures: bad bytes in every code page give text or InventoryError.

Listings (published, made up, and the samples of every command) are written
in each code page :func:`captured_text` tries, and in UTF-8 and UTF-16 with
their marks; their bytes are then cut, flipped and spliced. Whether the
encoding is told or given, the answer is decoded text, which every reader
then reads or refuses, or an ``InventoryError``: never another exception.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable

import attrs
from hypothesis import event, given
from hypothesis import strategies as st

from hyperv_backup import InventoryError, readers
from hyperv_backup.readers import AmbiguousEncodingError, CapturedText, captured_text
from hyperv_backup.readers.capture import CODE_PAGES
from tests.fuzz._shared_fuzz import FUZZ, _check_problems
from tests.paths import FIXTURES

READERS: tuple[Callable[[str], tuple[object, ...]], ...] = (
    readers.vssadmin_writers,
    readers.vssadmin_shadow_storage,
    readers.diskpart_disks,
    readers.diskpart_volumes,
)

#: Each code page tried, then the encodings a byte-order mark names.
ENCODINGS = (*CODE_PAGES, "utf-8-sig", "utf-16", "utf-32")

_TEXTS = sorted(
    {
        captured_text(path.read_bytes()).text
        for folder in ("writers", "samples")
        for path in (FIXTURES / folder).glob("*.txt")
    }
)


def _written(text: str, encoding: str) -> bytes:
    """Return ``text`` as a host would have written it in ``encoding`` (what it lacks as ``?``)."""
    return text.encode(encoding, errors="replace")


@st.composite
def _damaged(draw: st.DrawFn) -> tuple[bytes, str]:
    encoding = draw(st.sampled_from(ENCODINGS))
    data = bytearray(_written(draw(st.sampled_from(_TEXTS)), encoding))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "flip", "insert", "high"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "truncate":
            del data[at:]
        elif kind == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        else:  # a byte every code page reads differently, where letters were
            data[at:at] = bytes([draw(st.integers(0x80, 0xFF))])
    return bytes(data), encoding


def _check(data: bytes, encoding: str | None) -> None:
    try:
        captured = captured_text(data, encoding)
    except InventoryError as exc:
        _refused(exc, data)
        return
    assert isinstance(captured, CapturedText)
    assert isinstance(captured.text, str)
    assert captured.reason
    event(f"told by {captured.basis.value}")
    for reader in READERS:
        try:
            records = reader(captured.text)
        except InventoryError as exc:
            _check_problems(exc, captured.text, line_paths=True)
            continue
        assert all(attrs.has(type(record)) for record in records)


def _refused(exc: InventoryError, data: bytes) -> None:
    _check_problems(exc, data)
    if isinstance(exc, AmbiguousEncodingError):
        assert len(exc.candidates) >= 2
        assert set(exc.candidates) <= set(CODE_PAGES)
        event("ambiguous")
    else:
        event("refused")


@FUZZ
@given(case=_damaged(), told=st.booleans())
def test_damaged_captures_in_every_encoding_give_text_or_an_inventory_error(
    case: tuple[bytes, str], told: bool
) -> None:
    data, encoding = case
    _check(data, None if told else codecs.lookup(encoding).name)


@FUZZ
@given(data=st.binary(max_size=600), encoding=st.sampled_from([None, *ENCODINGS]))
def test_arbitrary_bytes_give_text_or_an_inventory_error(data: bytes, encoding: str | None) -> None:
    _check(data, encoding)


@FUZZ
@given(text=st.text(max_size=200), encoding=st.sampled_from(ENCODINGS))
def test_any_text_written_in_a_code_page_gives_text_or_an_inventory_error(
    text: str, encoding: str
) -> None:
    _check(_written(text, encoding), None)


def test_every_encoding_has_a_seed_that_reads() -> None:
    """The fuzzing starts from listings each encoding reads as they were written."""
    french = next(t for t in _TEXTS if "rédacteur" in t)
    for encoding in ENCODINGS:
        data = _written(french, encoding)
        try:
            text = captured_text(data).text
        except AmbiguousEncodingError:
            text = captured_text(data, encoding).text
        assert readers.vssadmin_writers(text)
