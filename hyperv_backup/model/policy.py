"""How old a VM's last good restore point may be, and the exceptions an administrator grants.

A :class:`ProtectionPolicy` holds the maximum age of a VM's last good restore
point (:data:`WEEKLY`, the Best Practices Analyzer's weekly bound, unless
given), maximum ages of single VMs (:class:`MaxAge`), and exceptions
(:class:`PolicyException`): a VM, or a host, left out of some rules for a
reason, until a date. ``docs/catalogues.md`` describes the file it is read
from (:func:`~hyperv_backup.inventory.parse_policy`).

>>> parse_duration("36h"), parse_duration("1d12h"), parse_duration("2w")
(datetime.timedelta(days=1, seconds=43200), datetime.timedelta(days=1, seconds=43200), datetime.timedelta(days=14))
>>> duration_text(timedelta(hours=36)), duration_text(timedelta(days=7))
('1d12h', '7d')
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.model._checks import (
    ModelError,
    check_collection,
    check_name,
    computer_key,
    shown,
    to_tuple,
)

__all__ = [
    "MAX_DURATION",
    "WEEKLY",
    "MaxAge",
    "PolicyException",
    "ProtectionPolicy",
    "duration_text",
    "parse_duration",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: The Best Practices Analyzer's bound: a VM backed up at least once every week.
WEEKLY = timedelta(days=7)

#: The longest maximum age taken: ten years, past which no backup is "recent".
MAX_DURATION = timedelta(days=3653)

_PART = re.compile(r"([0-9]{1,6})([wdhm])")
_UNITS = {"w": timedelta(weeks=1), "d": timedelta(days=1), "h": timedelta(hours=1),
          "m": timedelta(minutes=1)}  # fmt: skip


def parse_duration(text: str) -> timedelta:
    """Read a duration written as numbers with units: ``36h``, ``7d``, ``2w``, ``90m``, ``1d12h``.

    Units are ``w`` (weeks), ``d`` (days), ``h`` (hours) and ``m`` (minutes),
    each once at most, largest first. Raises :class:`ValueError` saying what
    is expected for anything else, for a duration of zero and for one longer
    than :data:`MAX_DURATION`.
    """
    given: object = text  # callers without type checking may pass anything
    value = given.strip().lower() if isinstance(given, str) else ""
    parts = _PART.findall(value)
    units = [unit for _, unit in parts]
    well_formed = (
        bool(parts)
        and "".join(n + u for n, u in parts) == value
        and units == sorted(set(units), key="wdhm".index)
    )
    if not well_formed:
        msg = f"expected a duration such as 36h, 7d, 2w, 90m or 1d12h, got {shown(text)}"
        raise ValueError(msg)
    total = sum((int(n) * _UNITS[u] for n, u in parts), timedelta())
    if not timedelta() < total <= MAX_DURATION:
        msg = f"expected a duration longer than zero and at most 10 years, got {shown(text)}"
        raise ValueError(msg)
    return total


def duration_text(span: timedelta) -> str:
    """Write a duration the way :func:`parse_duration` reads it, to the minute (``1d12h``)."""
    minutes = max(0, int(span.total_seconds()) // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    text = "".join(f"{n}{u}" for n, u in ((days, "d"), (hours, "h"), (minutes, "m")) if n)
    return text or "0m"


def _duration(obj: object, field: str) -> None:
    value = getattr(obj, field)
    if not isinstance(value, timedelta) or not timedelta() < value <= MAX_DURATION:
        raise ModelError(
            field,
            value,
            f"expected a duration longer than zero and at most 10 years, got {shown(value)}",
        )


def _optional_name(obj: object, field: str) -> None:
    value = getattr(obj, field)
    if value is not None:
        check_name(value, field)


@attrs.frozen(kw_only=True)
class MaxAge:
    """The maximum age of the last good restore point of one VM (on one host, if ``host`` is given)."""

    vm: str
    max_age: timedelta
    host: str | None = None
    reason: str | None = None

    def __attrs_post_init__(self) -> None:
        check_name(self.vm, "vm")
        _duration(self, "max_age")
        _optional_name(self, "host")
        _optional_name(self, "reason")

    def matches(self, vm: str, host: str) -> bool:
        """Whether this applies to the VM named ``vm`` listed by ``host`` (names without regard to case)."""
        return computer_key(self.vm) == computer_key(vm) and (
            self.host is None or computer_key(self.host) == computer_key(host)
        )


@attrs.frozen(kw_only=True)
class PolicyException:
    """Leave the findings of ``rules`` about a VM (or a host) out, for ``reason``, until ``expires``.

    ``vm`` names the VM, ``host`` the host or node (the VM's, or the host's
    own findings when no VM is named); at least one is given. The exception
    applies up to and including the day ``expires``; after it, it is reported
    as expired and no longer applied.
    """

    rules: tuple[str, ...] = attrs.field(converter=to_tuple)
    reason: str
    expires: date
    vm: str | None = None
    host: str | None = None

    def __attrs_post_init__(self) -> None:
        check_collection(self, "rules")
        if not self.rules:
            raise ModelError("rules", (), "an exception names at least one rule")
        for index, rule in enumerate(self.rules):
            check_name(rule, f"rules[{index}]")
        check_name(self.reason, "reason")
        if not isinstance(self.expires, date):
            raise ModelError("expires", self.expires, f"expected a date, got {shown(self.expires)}")
        _optional_name(self, "vm")
        _optional_name(self, "host")
        if self.vm is None and self.host is None:
            raise ModelError("vm", None, "an exception names a VM, a host, or both")

    def expired(self, today: date) -> bool:
        """Whether the exception no longer applies on ``today``."""
        return today > self.expires

    def covers(self, rule: str, vm: str | None, host: str | None) -> bool:
        """Whether a finding of ``rule`` about ``vm`` on ``host`` is one this exception leaves out."""
        if rule not in self.rules:
            return False
        if self.vm is not None and (vm is None or computer_key(vm) != computer_key(self.vm)):
            return False
        if self.vm is None and vm is not None:
            return False  # a host's exception is for the host's own findings
        return self.host is None or (
            host is not None and computer_key(host) == computer_key(self.host)
        )


@attrs.frozen(kw_only=True)
class ProtectionPolicy:
    """The maximum ages of restore points, and the exceptions granted.

    ``max_age`` is the bound for every VM (``None``: :data:`WEEKLY`), unless
    one of ``max_ages`` names the VM.
    """

    max_age: timedelta | None = None
    max_ages: tuple[MaxAge, ...] = attrs.field(default=(), converter=to_tuple)
    exceptions: tuple[PolicyException, ...] = attrs.field(default=(), converter=to_tuple)

    def __attrs_post_init__(self) -> None:
        if self.max_age is not None:
            _duration(self, "max_age")
        for field, cls in (("max_ages", MaxAge), ("exceptions", PolicyException)):
            check_collection(self, field)
            for index, item in enumerate(getattr(self, field)):
                if not isinstance(item, cls):
                    raise ModelError(
                        f"{field}[{index}]", item, f"expected a {cls.__name__}, got {shown(item)}"
                    )

    def max_age_of(self, vm: str, host: str) -> MaxAge | None:
        """Return the maximum age the policy sets for this VM, the first that names it."""
        return next((m for m in self.max_ages if m.matches(vm, host)), None)
