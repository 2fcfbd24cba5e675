"""What the two vssadmin readers share: its banner, and its answer that nothing matched."""

from __future__ import annotations

import re

from hyperv_backup.readers._scan import PROMPT, error, first_line, shown

__all__ = ["nothing_listed"]

_BANNER = re.compile(r"vssadmin\s+[0-9]+\.[0-9]+(?:\s|$)", re.IGNORECASE)

#: vssadmin's answer when nothing matches, as its English message table words it.
_NOTHING_FOUND = frozenset({"no items found that satisfy the query."})
#: The English note ``list writers`` may print before the first writer.
_WAITING = frozenset(
    {"waiting for responses.", "these may be delayed if a shadow copy is being prepared."}
)


def nothing_listed(lines: list[str], command: str) -> tuple[()]:
    """Return ``()`` if ``lines`` are vssadmin's answer that nothing matched; raise otherwise.

    The English answer is recognised by its words. For other languages the
    wording is not assumed: the text passes only if, after the vssadmin
    banner, it holds exactly one message, a sentence without a colon (error
    messages start with a label and a colon, as in ``Error: ...``), and
    nothing else.
    """
    banner = 0
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.casefold() in _NOTHING_FOUND:
            return ()
        if not banner and _BANNER.match(stripped):
            banner = number
    if not banner:
        raise error(
            first_line(lines),
            f"expected the output of {command}; found none of its records and no vssadmin banner",
        )
    messages = []
    for number in range(banner + 1, len(lines) + 1):
        stripped = lines[number - 1].strip()
        copyright_line = number == banner + 1 and stripped[:3].upper() == "(C)"
        if (
            stripped
            and not copyright_line
            and not PROMPT.match(stripped)
            and stripped.casefold() not in _WAITING
        ):
            messages.append((number, stripped))
    if len(messages) == 1 and ":" not in messages[0][1] and messages[0][1].endswith("."):
        return ()
    if not messages:
        raise error(banner, f"vssadmin printed nothing after its banner; expected {command}")
    number, stripped = messages[0]
    raise error(
        number,
        f"expected the records of {command}, or vssadmin's one-line answer that "
        f"nothing matched, found {shown(stripped)}",
    )
