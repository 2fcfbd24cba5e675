r"""Reading the bytes of a captured command output: which encoding, and how it was told.

``vssadmin list writers > writers.txt`` writes what the console would show,
in the console's OEM code page (cp850 on a French host, cp866 on a Russian
one, cp932 on a Japanese one); Windows PowerShell 5.1 writes UTF-16 with a
byte-order mark, PowerShell 7 UTF-8, and a listing pasted into Notepad and
saved as "ANSI" is in the ANSI code page (cp1252, cp1250, cp1251). Nothing in
such a file names its encoding, so :func:`captured_text` finds it, in this
order, and says which step decided (:class:`Basis`):

1. a byte-order mark (UTF-8, UTF-16, UTF-32): the text is read as it says;
2. bytes that are all ASCII, then bytes that are valid UTF-8: read as such;
3. the encoding the caller gives (``encoding``); a text it cannot decode is
   refused, never read another way;
4. each code page of :data:`CODE_PAGES`, keeping those whose reading decodes
   and whose every non-ASCII character is a letter of the page's script (or
   one of a few typographic signs, :data:`SIGNS`). Pages that give the same
   text are one reading. If the readings left differ, the one holding the most
   :data:`LABEL_WORDS` is kept, then the one with the fewest odd words (a word
   mixing a script with ASCII letters, a capital after a small letter, or a
   Latin word of mostly accented letters, all of which a wrong code page
   makes). If readings still differ, :class:`AmbiguousEncodingError` names them,
   and the caller must give the encoding.

Each step is a plain rule, so the same bytes always give the same answer,
and the answer says which step gave it. Valid UTF-8 comes before a given
encoding because one ``--encoding`` serves every file of a run, and a file
that is UTF-8 (or has a byte-order mark) says so itself.

>>> captured_text("Nom du rédacteur : 'System Writer'".encode("cp850")).encoding
'cp850'
>>> captured_text(b"Writer name: 'System Writer'").basis
<Basis.ASCII: 'ascii'>
>>> captured_text(b"N\x8b")
Traceback (most recent call last):
...
hyperv_backup.readers.capture.AmbiguousEncodingError: <document>: cannot tell the code page: cp850 and cp852 read it as different text, and neither is more likely; give the encoding

The work is linear in the size of the bytes, which are refused over
:data:`MAX_CAPTURE_BYTES`; the code page is told only for bytes within
:data:`MAX_TOLD_BYTES` (a larger capture needs its encoding given).
"""

from __future__ import annotations

import codecs
import contextlib
import enum
import itertools
import re
import unicodedata
from collections.abc import Callable, Collection, Sequence

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.inventory import InventoryError, Problem
from hyperv_backup.readers._scan import MAX_TEXT_LENGTH

__all__ = [
    "CODE_PAGES",
    "LABEL_WORDS",
    "MAX_CAPTURE_BYTES",
    "MAX_TOLD_BYTES",
    "SIGNS",
    "AmbiguousEncodingError",
    "Basis",
    "CapturedText",
    "captured_text",
    "text_encoding",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: The most bytes a capture may hold: the readers' text limit in UTF-32, its widest form.
MAX_CAPTURE_BYTES = 4 * MAX_TEXT_LENGTH
#: The most bytes whose code page is told from the bytes (1 MiB, some 3,000 writers
#: of ``vssadmin list writers``): the weighing of readings is bounded by it.
MAX_TOLD_BYTES = 1024 * 1024


class _Script(enum.Enum):
    LATIN = enum.auto()
    CYRILLIC = enum.auto()
    JAPANESE = enum.auto()


#: Each code page a localised vssadmin writes, and the script of its letters, in
#: the order a tie of identical readings is named: the OEM pages of the console
#: first (what ``>`` writes from cmd.exe), then the ANSI pages (what Notepad
#: saves). cp437's letters all stand at the same bytes in cp850, so a cp437
#: capture reads the same as cp850.
_SCRIPTS = {
    "cp850": _Script.LATIN,  # OEM, Western Europe
    "cp437": _Script.LATIN,  # OEM, United States
    "cp852": _Script.LATIN,  # OEM, Central Europe
    "cp866": _Script.CYRILLIC,  # OEM, Cyrillic
    "cp932": _Script.JAPANESE,  # OEM and ANSI, Japanese
    "cp1252": _Script.LATIN,  # ANSI, Western Europe
    "cp1250": _Script.LATIN,  # ANSI, Central Europe
    "cp1251": _Script.CYRILLIC,  # ANSI, Cyrillic
}

#: The code pages tried, in the order of :data:`_SCRIPTS`.
CODE_PAGES = tuple(_SCRIPTS)

#: The signs other than letters a localised listing may hold: no-break spaces
#: (French puts one before a colon), quotation marks and apostrophes, dashes
#: and the ellipsis. Anything else that is not a letter rules a reading out.
SIGNS = frozenset("\u00a0\u202f\u2018\u2019\u201a\u201c\u201d\u201e\u00ab\u00bb\u2013\u2014\u2026")

#: Words of a localised vssadmin's labels, as published, that hold a letter
#: outside ASCII (only those tell code pages apart). French: the listing of
#: openzfsonwindows/openzfs issue 406 (tests/fixtures/writers/PROVENANCE.md).
#: Compared without regard to case.
LABEL_WORDS: dict[str, tuple[str, ...]] = {
    "French": ("rédacteur", "état", "dernière", "cliché", "instantané"),
}

_FOLDED_LABELS = tuple(word.casefold() for words in LABEL_WORDS.values() for word in words)

#: The beginnings of the Unicode names of the letters of Japanese text.
_JAPANESE = ("HIRAGANA", "KATAKANA", "HALFWIDTH KATAKANA", "CJK UNIFIED IDEOGRAPH")
_WORD = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(r"\S+")
#: A Latin word is odd when most of its letters (of at least this many) are accented.
_ACCENTED_WORD = 4


class Basis(enum.StrEnum):
    """Which step told the encoding of a capture."""

    BOM = "bom"
    ASCII = "ascii"
    UTF8 = "utf-8"
    GIVEN = "given"
    SCRIPT = "script"
    LABELS = "labels"
    WORDS = "words"


_REASONS = {
    Basis.BOM: "its byte-order mark",
    Basis.ASCII: "every byte is ASCII",
    Basis.UTF8: "it is valid UTF-8",
    Basis.GIVEN: "as given",
    Basis.SCRIPT: "the only code page that reads it as letters of one script",
    Basis.LABELS: "the code page whose reading holds the most known label words",
    Basis.WORDS: "the code page whose reading has the fewest odd words",
}


@attrs.frozen(kw_only=True)
class CapturedText:
    """A capture's text, the encoding it was read in, and how that was told.

    ``encoding`` is the Python name of the codec (``"utf-8"``, ``"utf-16-le"``,
    ``"cp850"``); ``basis`` the step that told it; ``same`` the other code
    pages that read the bytes as the same text (for a code page).
    """

    text: str
    encoding: str
    basis: Basis
    same: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        """Why this encoding, in a few words: ``"its byte-order mark"``."""
        reason = _REASONS[self.basis]
        if self.same:
            reason += (
                f"; {' and '.join(self.same)} read{'s' if len(self.same) == 1 else ''} the same"
            )
        return reason


class AmbiguousEncodingError(InventoryError):
    """The code pages left read a capture as different text, and none is more likely.

    ``candidates`` names one code page per reading, in :data:`CODE_PAGES` order.
    """

    def __init__(self, candidates: Sequence[str]) -> None:
        self.candidates = tuple(candidates)
        names = f"{', '.join(self.candidates[:-1])} and {self.candidates[-1]}"
        none = "neither" if len(self.candidates) == 2 else "none"
        super().__init__(
            [
                Problem(
                    "",
                    f"cannot tell the code page: {names} read it as different text, and "
                    f"{none} is more likely; give the encoding",
                )
            ]
        )


#: Byte-order marks and their codecs, longest first (a UTF-32 LE mark begins with
#: the UTF-16 LE one). The codec of a mark reads the mark too, and drops it.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)


def _error(message: str) -> InventoryError:
    return InventoryError([Problem("", message)])


def _decoded(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise _error(f"not valid {name} text at byte offset {exc.start}") from None
    except UnicodeError as exc:  # idna and punycode say where in their own words
        raise _error(f"not valid {name} text: {exc}") from None


def text_encoding(encoding: str) -> str:
    """Return the Python name of a text encoding, or raise :class:`LookupError`.

    >>> text_encoding("CP850"), text_encoding("latin-1")
    ('cp850', 'iso8859-1')
    """
    info = codecs.lookup(encoding)
    # codecs.lookup also finds bytes-to-bytes and text-to-text transforms (hex,
    # rot13), which decoding refuses with LookupError (but not for empty bytes,
    # which it does not decode at all). A UnicodeError is a text encoding in
    # which "-" alone is no text (UTF-16).
    with contextlib.suppress(UnicodeError):
        b"-".decode(info.name)
    return info.name


def captured_text(
    data: bytes | bytearray | memoryview, encoding: str | None = None
) -> CapturedText:
    """Decode a captured command output; the module's docstring gives the order of the steps.

    ``encoding`` is used when the bytes carry no byte-order mark and are not
    UTF-8. Raises :class:`LookupError` for an ``encoding`` Python does not
    know as a text encoding, :class:`AmbiguousEncodingError` when code pages read
    the bytes as different text and none is more likely, and
    :class:`~hyperv_backup.inventory.InventoryError` for bytes over
    :data:`MAX_CAPTURE_BYTES`, bytes the given or marked encoding cannot
    decode, and bytes no code page reads.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        # A programming error, not bad input: the captures are read as bytes.
        raise TypeError(f"expected the capture's bytes, got {type(data).__name__}")
    data = bytes(data)
    given = None if encoding is None else text_encoding(encoding)
    if len(data) > MAX_CAPTURE_BYTES:
        raise _error(
            f"the capture is larger than the limit of {MAX_CAPTURE_BYTES} bytes; a real "
            "listing is far shorter"
        )
    for bom, name, codec in _BOMS:
        if data.startswith(bom):
            text = _decoded(data, codec, name.upper())
            return CapturedText(text=text.removeprefix("\ufeff"), encoding=name, basis=Basis.BOM)
    if data.isascii():
        return CapturedText(text=data.decode("ascii"), encoding="ascii", basis=Basis.ASCII)
    try:
        return CapturedText(text=data.decode("utf-8"), encoding="utf-8", basis=Basis.UTF8)
    except UnicodeDecodeError:
        pass
    if given is not None:
        return CapturedText(text=_decoded(data, given, given), encoding=given, basis=Basis.GIVEN)
    return _code_page(data)


def _code_page(data: bytes) -> CapturedText:
    if len(data) > MAX_TOLD_BYTES:
        raise _error(
            f"not UTF-8, and larger than {MAX_TOLD_BYTES} bytes, the most whose code page is "
            "told from the text; give the encoding"
        )
    readings: dict[str, list[str]] = {}
    for page, script in _SCRIPTS.items():
        try:
            text = data.decode(page)
        except UnicodeDecodeError:
            continue
        if _letters_of(text, script):
            readings.setdefault(text, []).append(page)
    if not readings:
        raise _error(
            "not UTF-8, and no code page a localised vssadmin writes ("
            f"{', '.join(CODE_PAGES)}) reads it as letters of one script; give the encoding"
        )
    basis = Basis.SCRIPT
    texts = list(readings)
    if len(texts) > 1:
        # Only the words with a character outside ASCII differ between readings;
        # each is weighed once, however often it is repeated.
        tokens = {text: {t for t in _TOKEN.findall(text) if not t.isascii()} for text in texts}
        basis = Basis.LABELS
        texts = _most(texts, lambda text: _label_words(tokens[text]))
        if len(texts) > 1:
            basis = Basis.WORDS
            texts = _most(
                texts, lambda text: -_odd_words(tokens[text], _SCRIPTS[readings[text][0]])
            )
    if len(texts) > 1:
        raise AmbiguousEncodingError([readings[text][0] for text in texts])
    first, *same = readings[texts[0]]
    return CapturedText(text=texts[0], encoding=first, basis=basis, same=tuple(same))


def _most(texts: list[str], score: Callable[[str], int]) -> list[str]:
    """Keep the texts of the highest score, in their order."""
    scores = [score(text) for text in texts]
    best = max(scores)
    return [text for text, value in zip(texts, scores, strict=True) if value == best]


def _letters_of(text: str, script: _Script) -> bool:
    """Whether every non-ASCII character of ``text`` is a letter of ``script`` or a sign."""
    return all(char.isascii() or _of_script(char, script) for char in set(text))


def _of_script(char: str, script: _Script) -> bool:
    if char in SIGNS:
        return True
    name = unicodedata.name(char, "")
    if script is _Script.JAPANESE:
        # Japanese text also holds its own punctuation (U+3000-U+303F, such as
        # the ideographic comma and full stop) and full-width signs, but not
        # full-width Latin letters, which cp932 makes of other pages' bytes.
        return (
            name.startswith(_JAPANESE)
            or "\u3000" <= char <= "\u303f"
            or ("\uff01" <= char <= "\uff20" and not char.isalpha())
        )
    return char.isalpha() and name.startswith(script.name)


def _label_words(tokens: Collection[str]) -> int:
    """Count the known label words found in ``tokens``."""
    folded = " ".join(tokens).casefold()
    return sum(word in folded for word in _FOLDED_LABELS)


def _odd_words(tokens: Collection[str], script: _Script) -> int:
    """Count the words a wrong code page would make, among ``tokens`` (which are not ASCII).

    A wrong code page puts letters (or signs) of its script where the right one
    had accented letters: inside ASCII words (``fБr`` or ``f〉`` for ``für``), as
    capitals after small letters (``DerniŐre``), or, read as Latin, as words
    of mostly accented letters (``Ñîñòîÿíèå`` for ``Состояние``).
    """
    odd = 0
    for token in tokens:
        if script is not _Script.LATIN and any(c.isascii() and c.isalpha() for c in token):
            odd += 1
            continue
        for word in _WORD.findall(token):
            accented = sum(not char.isascii() for char in word)
            mostly = (
                script is _Script.LATIN and len(word) >= _ACCENTED_WORD and 2 * accented > len(word)
            )
            if mostly or any(a.islower() and b.isupper() for a, b in itertools.pairwise(word)):
                odd += 1
                break
    return odd
