r"""Names and paths quoted in messages, as a person would type them.

:func:`quoted` puts a value between quotes as ``repr()`` does, but keeps a
backslash as it is: ``'C:\ClusterStorage\Volume1'``, not
``'C:\\ClusterStorage\\Volume1'``, so that a path in a finding can be copied.
Characters that are not printable are still written as their escapes
(``\x1b``, ``\u200b``), as ``repr()`` writes them, so that no message carries
a control character.

>>> print(quoted("C:\\ClusterStorage\\Volume1"))
'C:\ClusterStorage\Volume1'
>>> print(quoted("O'Brien"), quoted("a\x1bb"), quoted(3))
"O'Brien" 'a\x1bb' 3
"""

from __future__ import annotations

__all__ = ["quoted"]


def quoted(value: object) -> str:
    """Return ``value`` between quotes, a backslash kept as it is; anything but a string as ``repr()``."""
    if value.__class__ is not str:
        return repr(value)
    text: str = value
    if "'" not in text and text.isprintable():
        return f"'{text}'"
    quote = '"' if "'" in text and '"' not in text else "'"
    parts: list[str] = []
    for character in text:
        if character == quote:
            parts.append("\\" + character)
        elif character.isprintable():
            parts.append(character)
        else:
            # repr() of the character alone, without its quotes: \n, \t, \x1b, \u200b ...
            parts.append(repr(character)[1:-1])
    return quote + "".join(parts) + quote
