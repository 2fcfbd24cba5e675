"""Telling the encoding of a captured listing: byte-order mark, UTF-8, the given one, a code page.

The made-up listings of ``tests/fixtures/writers/`` (``madeup-*``, see its
``PROVENANCE.md``) are the same writers in the encodings of localised hosts.
"""

from __future__ import annotations

import codecs

import pytest

from hyperv_backup.inventory import InventoryError
from hyperv_backup.readers import AmbiguousEncodingError, captured_text, vssadmin_writers
from hyperv_backup.readers.capture import (
    CODE_PAGES,
    LABEL_WORDS,
    MAX_CAPTURE_BYTES,
    MAX_TOLD_BYTES,
    Basis,
)
from tests.paths import FIXTURES

LISTINGS = FIXTURES / "writers"

#: Each made-up listing: the encoding it was written in, what is told, and by which step.
TOLD = {
    "madeup-fr-cp850-hyperv-failed.txt": ("cp850", "cp850", Basis.LABELS),
    "madeup-fr-cp1252-hyperv-failed.txt": ("cp1252", "cp1252", Basis.LABELS),
    "madeup-fr-utf16-hyperv-failed.txt": ("utf-16", "utf-16-le", Basis.BOM),
    # cp437's letters stand where cp850's do: the same text, named as cp850.
    "madeup-en-cp437-writer-name.txt": ("cp437", "cp850", Basis.WORDS),
    "madeup-pl-cp852-hyperv-failed.txt": ("cp852", "cp852", Basis.WORDS),
    "madeup-pl-cp1250-hyperv-failed.txt": ("cp1250", "cp1250", Basis.SCRIPT),
    "madeup-ru-cp866-hyperv-failed.txt": ("cp866", "cp866", Basis.SCRIPT),
    "madeup-ru-cp1251-hyperv-failed.txt": ("cp1251", "cp1251", Basis.WORDS),
    "madeup-ja-cp932-hyperv-failed.txt": ("cp932", "cp932", Basis.SCRIPT),
}


def test_every_made_up_listing_is_here() -> None:
    assert sorted(TOLD) == sorted(p.name for p in LISTINGS.glob("madeup-*"))


@pytest.mark.parametrize("name", sorted(TOLD))
def test_the_encoding_of_a_localised_listing_is_told(name: str) -> None:
    """Each listing reads as the text it was written as, and says how that was told."""
    written, told, basis = TOLD[name]
    data = (LISTINGS / name).read_bytes()
    captured = captured_text(data)
    assert captured.text == data.decode(written).removeprefix("\ufeff")
    assert (captured.encoding, captured.basis) == (told, basis)
    assert written == told or written in captured.same or basis is Basis.BOM
    writers = vssadmin_writers(captured.text)
    assert writers[0].name in {"Microsoft Hyper-V VSS Writer"}


def test_the_required_code_pages_are_tried() -> None:
    assert {"cp437", "cp850", "cp852", "cp866", "cp932", "cp1252"} <= set(CODE_PAGES)


def test_the_label_words_are_those_published() -> None:
    """LABEL_WORDS are words of the published French listing, not words made up here."""
    published = (LISTINGS / "openzfs406-win11-fr-partial.txt").read_text(encoding="utf-8")
    for word in LABEL_WORDS["French"]:
        assert word.casefold() in published.casefold(), word
        assert not word.isascii()


@pytest.mark.parametrize(
    ("bom", "codec", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    ],
)
def test_a_byte_order_mark_decides_over_everything(bom: bytes, codec: str, encoding: str) -> None:
    text = "État : [1] Stable"
    captured = captured_text(bom + text.encode(codec), encoding="cp850")
    assert (captured.text, captured.encoding, captured.basis) == (text, encoding, Basis.BOM)
    assert captured.reason == "its byte-order mark"


def test_bytes_a_byte_order_mark_does_not_describe_are_refused() -> None:
    with pytest.raises(InventoryError, match="not valid UTF-16-LE text at byte offset 4"):
        captured_text(codecs.BOM_UTF16_LE + b"a\x00\x00\xd8b\x00")


def test_ascii_and_utf8_are_read_before_a_given_encoding() -> None:
    """--encoding serves the files that do not say what they are: UTF-8 says so itself."""
    ascii_text = captured_text(b"State: [1] Stable", encoding="cp850")
    assert (ascii_text.encoding, ascii_text.basis) == ("ascii", Basis.ASCII)
    utf8 = captured_text("État : [1] Stable".encode(), encoding="cp850")
    assert (utf8.text, utf8.encoding, utf8.basis) == ("État : [1] Stable", "utf-8", Basis.UTF8)
    assert utf8.reason == "it is valid UTF-8"


def test_a_given_encoding_is_used_and_named_by_its_python_name() -> None:
    data = "Dernière erreur".encode("cp850")
    given = captured_text(data, encoding="Windows-1252")
    assert (given.encoding, given.basis, given.reason) == ("cp1252", Basis.GIVEN, "as given")
    assert given.text == data.decode("cp1252")


def test_a_given_encoding_that_cannot_decode_is_refused_not_replaced() -> None:
    with pytest.raises(InventoryError, match="not valid cp932 text at byte offset 3"):
        captured_text(b"abc\x82 ", encoding="cp932")
    with pytest.raises(InventoryError, match="not valid idna text at byte offset 0"):
        captured_text(b"\xff", encoding="idna")
    # A codec that says no without a place: its own words are kept.
    with pytest.raises(InventoryError, match=r"not valid undefined text: .*undefined encoding"):
        captured_text(b"\xff", encoding="undefined")


@pytest.mark.parametrize("encoding", ["no-such-encoding", "hex", "rot13"])
def test_a_name_that_is_no_text_encoding_is_a_lookup_error(encoding: str) -> None:
    with pytest.raises(LookupError):
        captured_text(b"x", encoding=encoding)


def test_a_text_encoding_that_cannot_read_one_byte_is_still_one() -> None:
    assert captured_text("é".encode("utf-16-le"), encoding="utf-16-le").text == "é"


def test_code_pages_reading_the_same_text_are_named_together() -> None:
    captured = captured_text("Sicherungsdienst für Datenbanken".encode("cp437"))
    assert (captured.encoding, captured.same) == ("cp850", ("cp437", "cp852"))
    assert captured.reason.endswith("; cp437 and cp852 read the same")
    one = captured_text("Dernière erreur".encode("cp850"))
    assert one.reason.endswith("; cp437 reads the same")


def test_readings_that_stay_apart_are_named_and_the_encoding_asked_for() -> None:
    with pytest.raises(AmbiguousEncodingError) as two:
        captured_text(b"N\x8b")
    assert two.value.candidates == ("cp850", "cp852")
    assert "cp850 and cp852 read it as different text, and neither" in str(two.value)
    with pytest.raises(AmbiguousEncodingError) as three:
        captured_text(b"a\x85")
    assert three.value.candidates == ("cp850", "cp852", "cp1252")
    assert "cp850, cp852 and cp1252 read it as different text, and none" in str(three.value)
    assert isinstance(three.value, InventoryError)


def test_bytes_no_code_page_reads_as_letters_are_refused() -> None:
    """0x80 0xB0: a letter and a box-drawing sign, a sign and a degree sign, a control."""
    with pytest.raises(InventoryError, match="no code page a localised vssadmin writes"):
        captured_text(b"\x80\xb0")


def test_typographic_signs_do_not_rule_a_reading_out() -> None:
    text = "Nom du rédacteur\u00a0: \u2019 \u00ab \u2026 \u2014"
    assert captured_text(text.encode("cp1252")).encoding == "cp1252"


def test_japanese_punctuation_is_of_its_script_but_full_width_letters_are_not() -> None:
    colon, letters = "\uff1a", "\uff21\uff22"  # a full-width colon; full-width A and B
    assert captured_text(f"状態{colon}「安定」、".encode("cp932")).encoding == "cp932"
    with pytest.raises(InventoryError):
        captured_text(letters.encode("cp932"))


@pytest.mark.parametrize(
    ("text", "page"),
    [
        ("Ostatni błąd: Brak błędu", "cp852"),  # cp850 reads a capital inside a word
        ("Состояние: [1] Стабильный", "cp1251"),  # cp1252 reads words of accented letters
        ("Last error: für", "cp850"),  # cp866 reads a Cyrillic letter inside a Latin word
    ],
)
def test_the_reading_with_fewer_odd_words_is_kept(text: str, page: str) -> None:
    captured = captured_text(text.encode(page))
    assert (captured.text, captured.basis) == (text, Basis.WORDS)
    assert page in {captured.encoding, *captured.same}


def test_the_reading_with_more_label_words_is_kept() -> None:
    """cp1250 reads 'rédacteur' as cp1252 does, but not 'Dernière'."""
    text = "Nom du rédacteur : 'x'\nDernière erreur : Aucune erreur"
    captured = captured_text(text.encode("cp1252"))
    assert (captured.encoding, captured.basis) == ("cp1252", Basis.LABELS)


def test_sizes_are_bounded() -> None:
    with pytest.raises(InventoryError, match=f"larger than the limit of {MAX_CAPTURE_BYTES}"):
        captured_text(bytes(MAX_CAPTURE_BYTES + 1))
    with pytest.raises(InventoryError, match=f"larger than {MAX_TOLD_BYTES} bytes"):
        captured_text(b"\x82" * (MAX_TOLD_BYTES + 1))
    big = "é".encode("cp850") * (MAX_TOLD_BYTES + 1)
    assert captured_text(big, encoding="cp850").basis is Basis.GIVEN


def test_text_is_no_capture() -> None:
    with pytest.raises(TypeError, match="expected the capture's bytes, got str"):
        captured_text("State: [1] Stable")  # type: ignore[arg-type]
    assert captured_text(bytearray(b"x")).text == "x"
