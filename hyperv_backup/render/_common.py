"""What every format shares: counts, plain values, the rows of a plan, the notes of a step."""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import attrs

from hyperv_backup.decide.mode import BackupModeDecision
from hyperv_backup.decide.steps import Step, StepKind
from hyperv_backup.model import BackupMode
from hyperv_backup.render.safe import clean_text
from hyperv_backup.rules import RULES, Finding, Rule, Severity

# Building a plan takes the whole decision layer; rendering findings (``check``)
# needs none of it, so the plan module is imported where a function needs it.
if TYPE_CHECKING:
    from hyperv_backup.decide.plan import Plan
    from hyperv_backup.diagnose.diagnosis import Diagnosis, LogFinding

__all__ = [
    "Row",
    "backed_up_as",
    "cited_rules",
    "consistency_counts",
    "consistency_note",
    "counts_text",
    "decision_rows",
    "diagnosis_counts_text",
    "diagnosis_groups",
    "diagnosis_read_note",
    "diagnosis_rules",
    "explained_text",
    "mode_summary",
    "plain",
    "plan_hosts",
    "profile_note",
    "severity_counts",
    "step_note",
    "tabulate",
    "time_text",
    "unique",
    "vm_summary_text",
    "why_lines",
]


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """Return the number of findings of each severity, most severe first.

    >>> import hyperv_backup as hb
    >>> severity_counts(hb.check(hb.load_example("host")))
    {'error': 2, 'warning': 3, 'info': 3}
    """
    counts = {severity.value: 0 for severity in Severity}
    for item in findings:
        counts[item.severity.value] += 1
    return counts


def counts_text(counts: Mapping[str, int]) -> str:
    words = {"error": ("error", "errors"), "warning": ("warning", "warnings")}
    parts = []
    for key, number in counts.items():
        one, many = words.get(key, (key, key))
        parts.append(f"{number} {one if number == 1 else many}")
    return ", ".join(parts)


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


#: The value types of a row of :func:`decision_rows`.
Row = dict[str, str | bool | None]


def decision_rows(
    decisions: Plan | Mapping[str, BackupModeDecision] | Iterable[BackupModeDecision],
) -> list[Row]:
    """Return one plain row per VM: how it is backed up, and why.

    Each row has ``vm``, ``host``, ``mode``, ``causes_downtime``,
    ``state_during_backup``, ``state_after`` and ``reasons`` (the IDs of the
    rules that block an online backup, space-separated). Values are plain
    strings, booleans or ``None``, so ``pandas.DataFrame(rows)`` takes them as
    they are. Given a :class:`~hyperv_backup.Plan`, ``host`` is the host or node
    the VM is backed up on; given decisions alone it is the host named by the
    reasons, or ``None`` when there are none.
    """
    from hyperv_backup.decide.plan import Plan  # noqa: PLC0415 - lazy, see the imports

    hosts: dict[str, str] = {}
    if isinstance(decisions, Plan):
        hosts = plan_hosts(decisions)
        items: Iterable[BackupModeDecision] = decisions.decisions.values()
    elif isinstance(decisions, Mapping):
        items = decisions.values()
    else:
        items = decisions
    outcomes = decisions.outcomes if isinstance(decisions, Plan) else {}
    rows: list[Row] = []
    for decision in items:
        host = hosts.get(decision.vm)
        if host is None:
            host = next((r.host for r in decision.reasons if r.host is not None), None)
        row: Row = {
            "vm": decision.vm,
            "host": host,
            "mode": decision.mode.value,
            "causes_downtime": decision.causes_downtime,
            "state_during_backup": decision.state_during_backup.value,
            "state_after": decision.state_after.value,
            "reasons": " ".join(unique(r.rule.id for r in decision.reasons)),
        }
        # Plans answered by the profiles of 2012 and later say what each copy is.
        if outcomes:
            outcome = outcomes.get(decision.vm)
            row["consistency"] = None if outcome is None else outcome.consistency.value
        rows.append(row)
    return rows


def backed_up_as(plan: Plan, decision: BackupModeDecision) -> str:
    """Return how the plan's table shows a VM's backup: its consistency, else its mode."""
    outcome = plan.outcomes.get(decision.vm)
    if outcome is None:
        return decision.mode.value
    return outcome.consistency.label


def consistency_counts(plan: Plan) -> dict[str, int]:
    """Return how many VMs of the plan's outcomes have each consistency, in enum order."""
    from hyperv_backup.decide.outcome import Consistency  # noqa: PLC0415 - with plans only

    counts = dict.fromkeys(Consistency, 0)
    for outcome in plan.outcomes.values():
        counts[outcome.consistency] += 1
    return {c.value: count for c, count in counts.items() if count}


def consistency_note(plan: Plan) -> str | None:
    """Return the line counting the outcomes by consistency, if the plan has outcomes."""
    from hyperv_backup.decide.outcome import Consistency  # noqa: PLC0415 - with plans only

    counts = consistency_counts(plan)
    if not counts:
        return None
    parts = ", ".join(f"{n} {Consistency(name).label}" for name, n in counts.items())
    return f"Backups: {parts}"


def profile_note(plan: Plan) -> str | None:
    """Return the line naming the profiles of 2012 and later that answered, if any."""
    labels = unique(o.profile.label for o in plan.outcomes.values())
    if not labels:
        return None
    return f"Answered by the profile of {' and '.join(labels)}"


def plan_hosts(plan: Plan) -> dict[str, str]:
    """Map each VM to the host or node its host backup runs on."""
    return {s.target: s.where for s in plan.steps if s.action is StepKind.HOST_BACKUP}


def _plain_attrs(value: object) -> str:
    cls = type(value)
    name = getattr(value, "name", None)
    if isinstance(name, str) or not attrs.has(cls):
        return str(name) if isinstance(name, str) else str(value)
    return ", ".join(f"{a.name}={plain(getattr(value, a.name))}" for a in attrs.fields(cls))


@functools.cache
def _plain_forms() -> tuple[tuple[type | tuple[type, ...], Callable[[Any], str]], ...]:
    """Return the plain-text forms of the value types in models and results, checked in order."""
    return (
        (bool, lambda v: "yes" if v else "no"),
        (enum.Enum, lambda v: str(v.value)),
        (str, str),
        ((datetime, date), lambda v: v.isoformat()),
        (Rule, lambda v: v.id),
        (Finding, lambda v: f"{v.rule.id} ({v.subject})"),
        (Step, lambda v: f"{v.order}. {v.text}"),
        (BackupModeDecision, lambda v: v.mode.value),
        (Mapping, lambda v: ", ".join(plain(key) for key in v)),
        ((frozenset, set), lambda v: ", ".join(sorted(plain(item) for item in v))),
        ((tuple, list), lambda v: ", ".join(plain(item) for item in v)),
    )


def plain(value: object) -> str:
    """Return a short plain-text form of any value found in a model or result."""
    if value is None:
        return ""
    for kind, form in _plain_forms():
        if isinstance(value, kind):
            return form(value)
    return _plain_attrs(value)


def tabulate(items: object, columns: Sequence[str] | None) -> tuple[list[str], list[list[str]]]:
    """Turn objects or mappings into a header and rows of plain strings."""
    records: list[Mapping[str, object]]
    if isinstance(items, Mapping) and items and all(attrs.has(type(v)) for v in items.values()):
        items = list(items.values())
    if isinstance(items, Mapping):
        records = [{"field": str(key), "value": value} for key, value in items.items()]
    elif attrs.has(cls := type(items)):
        records = [{"field": a.name, "value": getattr(items, a.name)} for a in attrs.fields(cls)]
    elif isinstance(items, Iterable) and not isinstance(items, str | bytes):
        records = []
        for item in items:
            if isinstance(item, Mapping):
                records.append({str(key): value for key, value in item.items()})
            elif attrs.has(item_cls := type(item)):
                records.append({a.name: getattr(item, a.name) for a in attrs.fields(item_cls)})
            else:
                records.append({"value": item})
    else:
        records = [{"value": items}]
    header = list(columns) if columns is not None else unique(k for r in records for k in r)
    rows = [[plain(record.get(key)) for key in header] for record in records]
    return header, rows


def _where(step: Step) -> str:
    if step.action in (StepKind.GUEST_BACKUP, StepKind.GUEST_RESTORE):
        return f"in the guest of {step.where}"
    return f"on {step.where}"


def step_note(step: Step) -> str:
    note = f"{step.action.value.replace('_', ' ')} {_where(step)}"
    if step.rules:
        note += f"; {', '.join(step.rules)}"
    return note


def why_lines(decision: BackupModeDecision) -> list[str]:
    lines = []
    for reason in decision.reasons:
        line = f"{reason.rule.id} {reason.rule.title}"
        if reason.subject != decision.vm:
            line += f" ({reason.subject})"
        lines.append(clean_text(line))
    return lines or ["-"]


def mode_summary(plan: Plan) -> dict[str, int]:
    decisions = list(plan.decisions.values())
    return {
        "vms": len(decisions),
        "online": sum(d.mode is BackupMode.ONLINE for d in decisions),
        "offline": sum(d.mode is BackupMode.OFFLINE for d in decisions),
        "downtime": sum(d.causes_downtime for d in decisions),
    }


def vm_summary_text(modes: Mapping[str, int]) -> str:
    return (
        f"VMs: {modes['vms']} ({modes['online']} online, {modes['offline']} offline, "
        f"{modes['downtime']} with downtime)"
    )


def cited_rules(steps: Iterable[Step]) -> list[Rule]:
    return [RULES[rule_id] for rule_id in unique(r for s in steps for r in s.rules)]


def time_text(value: datetime | None) -> str:
    """Show an event time as the reports show it, in UTC to the second: ``2026-12-06 02:00:01Z``."""
    if value is None:
        return "writers"
    return value.strftime("%Y-%m-%d %H:%M:%SZ")


def diagnosis_read_note(diagnosis: Diagnosis) -> str:
    """Return the line saying how much a diagnosis read."""
    parts = [f"{diagnosis.events} events"]
    if diagnosis.since is not None:
        parts.append(f"{diagnosis.considered} since {time_text(diagnosis.since)}")
    if diagnosis.skipped:
        parts.append(f"{diagnosis.skipped} records skipped as unreadable")
    if diagnosis.writers:
        parts.append(f"{diagnosis.writers} VSS writers")
    return "Read: " + ", ".join(parts)


def diagnosis_counts_text(diagnosis: Diagnosis) -> str:
    """Count the findings of a diagnosis by severity, and how many were not recognised."""
    summary = diagnosis.summary
    counts = {severity.value: summary[severity.value] for severity in Severity}
    text = counts_text(counts)
    if summary["not_recognised"]:
        text += f" ({summary['not_recognised']} not recognised)"
    return text


def diagnosis_groups(diagnosis: Diagnosis) -> list[tuple[str, tuple[LogFinding, ...]]]:
    """Put the findings of a diagnosis under a heading per VM, then those naming none."""
    return [
        (f"VM {vm}" if vm is not None else "Host and VSS", items)
        for vm, items in diagnosis.by_vm().items()
    ]


def diagnosis_rules(diagnosis: Diagnosis) -> list[Rule]:
    """Return the rules a diagnosis cites, in catalogue order, the explaining ones included."""
    ids = {item.rule.id for item in diagnosis.findings}
    ids |= {f.rule.id for item in diagnosis.findings for f in item.explained_by}
    return [rule for rule_id, rule in RULES.items() if rule_id in ids]


def explained_text(item: LogFinding) -> list[str]:
    """Return the lines naming the inventory findings that explain a log finding."""
    return [f"Explained by {f.rule.id}: {f.message}" for f in item.explained_by]


def place_text(item: LogFinding) -> str:
    """Say where a finding's event was logged: ``host HV01``, ``guest``, ``not known``."""
    where = {"host": "host", "guest": "guest", "unknown": "not known"}[item.place.value]
    if item.host and item.place.value != "unknown":
        return f"{where} {item.host}"
    return where
