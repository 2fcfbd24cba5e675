"""What a signature is: how a recorded event or a VSS writer's state is recognised.

A signature ties a rule of the HVB7xx family (its title, the cause as its
description, the remedy and the source) to what the host records when that
cause strikes: events of a provider with one of some event ids, optionally
holding a pattern; or a VSS writer in one of some states, optionally with a
last error. ``explained_by`` names the inventory rules whose condition is a
known cause of it, so a diagnosis given the inventory can say which one holds.

The matching itself is in :mod:`hyperv_backup.diagnose`; here is only data.
"""

from __future__ import annotations

import enum
import re

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.rules.rule import Rule

__all__ = ["EventMatch", "Place", "Signature", "WriterMatch"]


class Place(enum.StrEnum):
    """Where an event was logged: on the Hyper-V host, inside a guest, or not known."""

    HOST = "host"
    GUEST = "guest"
    UNKNOWN = "unknown"


#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


def _pattern(_: object, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is not None:
        re.compile(value)


@attrs.frozen(kw_only=True)
class EventMatch:
    """Events of one of ``providers`` whose id is one of ``event_ids``.

    ``pattern``, when given, is a regular expression that must be found
    (ignoring case) in the event's message or one of its values. Provider
    names compare without regard to case. No providers means any provider,
    and no event ids any id; a match that names no event id needs a pattern.
    ``places``, when given, are where the event must have been logged for the
    match to hold (the same event can mean another thing on the host and in a
    guest); none means anywhere.
    """

    providers: tuple[str, ...]
    event_ids: tuple[int, ...]
    pattern: str | None = attrs.field(default=None, validator=_pattern)
    places: tuple[Place, ...] = ()

    def __attrs_post_init__(self) -> None:
        if not self.event_ids and self.pattern is None:
            msg = "an EventMatch without event ids needs a pattern"
            raise ValueError(msg)


@attrs.frozen(kw_only=True)
class WriterMatch:
    """A VSS writer in one of ``states`` (``VSS_WRITER_STATE`` numbers).

    ``writer_id`` limits it to one writer (``None``: any writer);
    ``last_error``, when given, is a regular expression matched (ignoring case)
    against the last error as ``vssadmin`` prints it.
    """

    states: tuple[int, ...]
    writer_id: str | None = None
    last_error: str | None = attrs.field(default=None, validator=_pattern)


@attrs.frozen(kw_only=True)
class Signature:
    """One entry of the signature catalogue: a rule and what recognises it.

    The profiles it applies to are its rule's.
    """

    rule: Rule
    events: tuple[EventMatch, ...] = ()
    writers: tuple[WriterMatch, ...] = ()
    explained_by: tuple[str, ...] = ()
