"""Making inventory strings safe for each output format.

Control characters (terminal escape sequences among them) are removed from
text, Markdown metacharacters are escaped, HTML is escaped with
:func:`html.escape`. Characters that show as nothing (zero-width spaces and
joiners, the byte-order mark, non-characters) are shown as their escape,
``\u200b``, so that one name cannot pass for another.
"""

from __future__ import annotations

import re

from hyperv_backup._base import public_dir

__all__ = ["clean_text", "escape_html", "escape_markdown", "strip_controls"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: Terminal escape sequences: CSI (``ESC [ ... letter``), OSC (``ESC ] ... BEL``) and
#: the two-character forms. Removed whole, so no stray ``[2J`` is left behind.
_ESCAPE_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-_])")

#: Control characters that stand for a line or column break: shown as a space.
_BREAKS = frozenset("\t\n\v\f\r\x1c\x1d\x1e\x1f\x85\u2028\u2029")

#: Bidirectional controls can make a name read differently from what it is.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


#: Characters that show as nothing, or not at all: zero-width space, joiners and
#: non-joiner, word joiner, the byte-order mark (zero-width no-break space), the
#: Mongolian vowel separator.
_INVISIBLE = frozenset("\u180e\u200b\u200c\u200d\u2060\ufeff")


def _is_invisible(char: str) -> bool:
    """Whether ``char`` shows as nothing: the characters above, and the non-characters."""
    code = ord(char)
    return (
        char in _INVISIBLE
        or 0xFDD0 <= code <= 0xFDEF
        or code & 0xFFFE == 0xFFFE  # U+FFFE and U+FFFF of every plane
        or 0xD800 <= code <= 0xDFFF  # half of a surrogate pair, alone
    )


def _shown(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _is_control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or 0x7F <= code < 0xA0 or char in _BIDI


def strip_controls(value: str, *, keep_newlines: bool = False) -> str:
    r"""Remove escape sequences and control characters; breaks become spaces (or stay).

    A character that shows as nothing becomes its escape (``\u200b``).
    """
    # Every character this changes is one that str.isprintable refuses (a
    # control, a format character, a separator other than the space, a
    # surrogate, an unassigned code point; a test walks every code point), so
    # text that passes is returned as it is, at the speed of one C loop.
    if value.isprintable():
        return value
    return _stripped(value, keep_newlines=keep_newlines)


def _stripped(value: str, *, keep_newlines: bool) -> str:
    """Return ``value`` as :func:`strip_controls` does, character by character."""
    value = _ESCAPE_SEQUENCE.sub("", value)
    out: list[str] = []
    for char in value:
        if char == "\n" and keep_newlines:
            out.append(char)
        elif char in _BREAKS:
            out.append(" ")
        elif _is_invisible(char):
            out.append(_shown(char))
        elif not _is_control(char):
            out.append(char)
    return "".join(out)


def clean_text(value: str) -> str:
    r"""Return ``value`` fit for a terminal: no control characters or escape sequences.

    Characters that show as nothing are shown as their escape.

    >>> clean_text("VM\x1b[2J01\tweb")
    'VM01 web'
    >>> print(clean_text("SQL\u200b01"))
    SQL\u200b01
    """
    return strip_controls(value)


_MARKDOWN_ESCAPES = {
    "\\": "\\\\",
    "|": "\\|",
    "*": "\\*",
    "_": "\\_",
    "`": "\\`",
    "~": "\\~",
    "[": "\\[",
    "]": "\\]",
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "\n": "<br>",
}
_MARKDOWN_SPECIAL = re.compile("|".join(re.escape(c) for c in _MARKDOWN_ESCAPES))


def escape_markdown(value: str) -> str:
    r"""Return ``value`` as literal Markdown text, safe inside a table cell.

    >>> print(escape_markdown("<b>a|b</b> *x_y*"))
    &lt;b&gt;a\|b&lt;/b&gt; \*x\_y\*
    """
    text = strip_controls(value, keep_newlines=True)
    return _MARKDOWN_SPECIAL.sub(lambda m: _MARKDOWN_ESCAPES[m.group()], text)


def escape_html(value: str) -> str:
    """Return ``value`` as HTML text: control characters removed, then escaped.

    >>> escape_html("<script>alert('x')</script>")
    '&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;'
    """
    import html  # noqa: PLC0415 - only HTML output needs it

    return html.escape(strip_controls(value), quote=True)
