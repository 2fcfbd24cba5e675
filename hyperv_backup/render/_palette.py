"""The outcome palette: how every format names and colours what a VM's backup will be.

One table, so that text, HTML, Markdown and the notebook agree: a backup that
fails or holds nothing is red, one that is only crash-consistent or takes the
VM down (saved) is amber, a consistent one is green, and the copy of a VM that
is not running is neutral. The outcomes are listed worst first, the order
every report counts and sorts them in.

>>> [look(c).label for c in WORST_FIRST]
['fails', 'not backed up', 'not application-consistent', 'saved with downtime', 'crash-consistent', 'file-system-consistent', 'application-consistent', 'not running']
>>> look(Consistency.CRASH_CONSISTENT).tone, look(Consistency.FAILS).css
('amber', 'out-fails')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.decide.results import Consistency

__all__ = ["PALETTE", "SEVERITY", "TONES", "WORST_FIRST", "Look", "at_risk", "look", "worst"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


@attrs.frozen
class Look:
    """How the reports show one outcome.

    ``label`` is its words; ``tone`` its colour (``red``, ``amber``, ``green``
    or ``neutral``); ``css`` the HTML class of a cell or card showing it;
    ``sgr`` the ANSI SGR code of text showing it (``None``: no colour);
    ``badge`` the mark a Markdown report puts before it, since Markdown has
    no colours of its own.
    """

    label: str
    tone: str
    css: str
    sgr: str | None
    badge: str


#: Each tone: its ANSI SGR code, its Markdown badge, and its HTML colours (text, background).
TONES: Mapping[str, tuple[str | None, str, tuple[str, str]]] = {
    "red": ("1;31", "\N{LARGE RED CIRCLE}", ("#a40e26", "#ffebe9")),
    "amber": ("33", "\N{LARGE ORANGE CIRCLE}", ("#7d4e00", "#fff8c5")),
    "green": ("32", "\N{LARGE GREEN CIRCLE}", ("#116329", "#dafbe1")),
    "neutral": (None, "\N{MEDIUM WHITE CIRCLE}", ("#424a53", "#eaeef2")),
}

_WORDS = {
    # A copy taken without Hyper-V: what it holds is not known, so it is at
    # risk, though it is a copy of some kind.
    Consistency.NOT_APPLICATION_CONSISTENT: ("not application-consistent", "amber", "noapp"),
    Consistency.FAILS: ("fails", "red", "fails"),
    Consistency.NOT_BACKED_UP: ("not backed up", "red", "none"),
    Consistency.SAVED_STATE: ("saved with downtime", "amber", "saved"),
    Consistency.CRASH_CONSISTENT: ("crash-consistent", "amber", "crash"),
    Consistency.FILE_SYSTEM_CONSISTENT: ("file-system-consistent", "green", "fs"),
    Consistency.APPLICATION_CONSISTENT: ("application-consistent", "green", "app"),
    Consistency.NOT_RUNNING: ("not running", "neutral", "off"),
}

#: How the reports show each outcome.
PALETTE: Mapping[Consistency, Look] = {
    consistency: Look(
        label=label,
        tone=tone,
        css=f"out-{css}",
        sgr=TONES[tone][0],
        badge=TONES[tone][1],
    )
    for consistency, (label, tone, css) in _WORDS.items()
}

#: The outcomes, worst first for a person: the order the reports count and sort
#: them in. A copy taken without Hyper-V comes after a backup that fails or
#: holds nothing (it holds the VM's files, of no documented consistency); the
#: walk ranks it first only so that it stands for a copy no Hyper-V outcome
#: describes (:attr:`Consistency.rank`).
WORST_FIRST: tuple[Consistency, ...] = (
    Consistency.FAILS,
    Consistency.NOT_BACKED_UP,
    Consistency.NOT_APPLICATION_CONSISTENT,
    Consistency.SAVED_STATE,
    Consistency.CRASH_CONSISTENT,
    Consistency.FILE_SYSTEM_CONSISTENT,
    Consistency.APPLICATION_CONSISTENT,
    Consistency.NOT_RUNNING,
)
#: Each outcome's place in :data:`WORST_FIRST`.
SEVERITY: dict[Consistency, int] = {c: place for place, c in enumerate(WORST_FIRST)}


def look(consistency: Consistency) -> Look:
    """Return how the reports show ``consistency``."""
    return PALETTE[consistency]


def at_risk(consistency: Consistency) -> bool:
    """Whether a VM with this outcome is at risk: its backup fails, holds nothing, is crash-consistent or saves it.

    >>> [c.value for c in WORST_FIRST if at_risk(c)]
    ['fails', 'not_backed_up', 'not_application_consistent', 'saved_state', 'crash_consistent']
    """
    return PALETTE[consistency].tone in ("red", "amber")


def worst(outcomes: Iterable[Consistency]) -> Consistency | None:
    """Return the worst of ``outcomes``, ``None`` for none.

    >>> worst([Consistency.NOT_RUNNING, Consistency.CRASH_CONSISTENT]).value
    'crash_consistent'
    """
    return min(outcomes, key=SEVERITY.__getitem__, default=None)
