"""How a backup catalogue protects each VM, in the words and shapes every format shares.

Each format shows a :class:`~hyperv_backup.decide.protection.ProtectionSummary`
as one table beside the findings or the plan: per VM, what tonight's backup
will be, its last good restore point, how old it is, what it holds, its
maximum age and its state. JSON writes the same as values
(:func:`protection_document`).

>>> from datetime import datetime, timedelta, UTC
>>> import hyperv_backup as hb
>>> from hyperv_backup.decide.protection import protection_summary
>>> from hyperv_backup.model import Catalogue, RestorePoint
>>> now = datetime(2026, 12, 7, 7, tzinfo=UTC)
>>> point = RestorePoint(vm="DC01", taken_at=now - timedelta(hours=9), level="host", product="x")
>>> summary = protection_summary(hb.load_example("host"), Catalogue(points=[point]), now=now)
>>> protection_rows(summary)[0]
{'VM': 'DC01', 'Host': 'HV-STANDALONE01', 'Tonight': 'not application-consistent', 'Last good restore point': '2026-12-06 22:00 UTC (host)', 'Age': '9h', 'Holds': 'not recorded', 'Max age': '7d', 'Protection': 'protected'}
>>> protection_counts_text(summary)
'Protection: 1 protected, 2 never backed up (as of 2026-12-07 07:00 UTC)'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from hyperv_backup.model import duration_text
from hyperv_backup.rules.restore_points import ProtectionState, time_text

if TYPE_CHECKING:
    from hyperv_backup.decide.protection import ProtectionStatus, ProtectionSummary
    from hyperv_backup.model import RestorePoint

__all__ = [
    "STATE_WORDS",
    "protection_counts",
    "protection_counts_text",
    "protection_document",
    "protection_rows",
    "state_text",
]

#: The words of each state, as the reports show them.
STATE_WORDS = {
    ProtectionState.PROTECTED: "protected",
    ProtectionState.STALE: "stale",
    ProtectionState.NO_GOOD: "no good restore point",
    ProtectionState.NEVER: "never backed up",
    ProtectionState.EXEMPT: "exempt",
}


def state_text(status: ProtectionStatus) -> str:
    """Return a VM's state in words, with why it does not count against it, if it does not."""
    words = STATE_WORDS[status.state]
    if status.state is ProtectionState.EXEMPT and status.other_side is not None:
        words += f" (its other side on {status.other_side.host} is backed up)"
    if status.excepted is not None:
        words += f" ({status.excepted})"
    return words


def _point_text(point: RestorePoint | None) -> str:
    if point is None:
        return "none"
    return f"{time_text(point.taken_at)} ({point.level.value})"


def protection_rows(summary: ProtectionSummary) -> list[dict[str, str]]:
    """Return one row per VM: its outcome tonight beside its last good restore point and state."""
    rows = []
    for status in summary.statuses:
        point = status.last_good
        holds = "-" if point is None else "not recorded"
        if point is not None and point.consistency is not None:
            holds = point.consistency.label
        rows.append(
            {
                "VM": status.vm,
                "Host": status.host,
                "Tonight": status.predicted.label,
                "Last good restore point": _point_text(point),
                "Age": "-" if status.age is None else duration_text(status.age),
                "Holds": holds,
                "Max age": duration_text(status.max_age),
                "Protection": state_text(status),
            }
        )
    return rows


def protection_counts(statuses: Iterable[ProtectionStatus]) -> dict[str, int]:
    """Count VMs by state, in the order of the states, leaving out the absent ones."""
    counts = dict.fromkeys((s.value for s in ProtectionState), 0)
    for status in statuses:
        counts[status.state.value] += 1
    return {k: v for k, v in counts.items() if v}


def protection_counts_text(summary: ProtectionSummary) -> str:
    """Return the line that counts the VMs by state: ``Protection: 12 protected, 2 stale (as of ...)``."""
    counts = protection_counts(summary.statuses)
    parts = [f"{n} {STATE_WORDS[ProtectionState(state)]}" for state, n in counts.items()]
    return f"Protection: {', '.join(parts) or 'no VMs'} (as of {time_text(summary.now)})"


def _time(value: Any) -> str:
    return str(value.isoformat().replace("+00:00", "Z"))


def _point(point: RestorePoint | None) -> dict[str, Any] | None:
    if point is None:
        return None
    return {
        "vm": point.vm,
        "host": point.host,
        "taken_at": _time(point.taken_at),
        "level": point.level.value,
        "consistency": None if point.consistency is None else point.consistency.value,
        "product": point.product,
        "id": point.id,
    }


def protection_document(summary: ProtectionSummary) -> dict[str, Any]:
    """Return the JSON of a summary: when, counts by state, each VM, and the policy's effect."""
    vms: list[Mapping[str, Any]] = [
        {
            "vm": status.vm,
            "host": status.host,
            "state": status.state.value,
            "unprotected": status.unprotected,
            "outcome": status.predicted.value,
            "last_good": _point(status.last_good),
            "age_seconds": None if status.age is None else int(status.age.total_seconds()),
            "max_age_seconds": int(status.max_age.total_seconds()),
            "max_age_from": status.max_age_from.value,
            "other_side": _point(status.other_side),
            "restore_points": status.points,
            "excepted": status.excepted,
        }
        for status in summary.statuses
    ]
    return {
        "now": _time(summary.now),
        "states": protection_counts(summary.statuses),
        "unprotected": len(summary.unprotected),
        "vms": vms,
        "excepted": [
            {
                "rule": item.finding.rule.id,
                "subject": item.finding.subject,
                "host": item.finding.host,
                "vm": item.finding.vm,
                "reason": item.exception.reason,
                "expires": item.exception.expires.isoformat(),
            }
            for item in summary.excepted
        ],
        "expired": [
            {
                "rules": list(e.rules),
                "vm": e.vm,
                "host": e.host,
                "reason": e.reason,
                "expires": e.expires.isoformat(),
            }
            for e in summary.expired
        ],
    }
