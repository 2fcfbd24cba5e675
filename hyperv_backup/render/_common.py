"""What every format shares: counts, plain values, the rows of a plan, the notes of a step."""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import attrs

from hyperv_backup._version import __version__
from hyperv_backup.decide.mode import BackupModeDecision
from hyperv_backup.decide.results import Consistency
from hyperv_backup.decide.steps import Step, StepKind
from hyperv_backup.model import BackupMode
from hyperv_backup.render._palette import SEVERITY, WORST_FIRST, at_risk, look
from hyperv_backup.rules import RULES, Finding, Rule, Severity

# Building a plan takes the whole decision layer; rendering findings (``check``)
# needs none of it, so the plan module is imported where a function needs it.
if TYPE_CHECKING:
    from hyperv_backup.decide.plan import Plan
    from hyperv_backup.diagnose.diagnosis import Diagnosis, LogFinding
    from hyperv_backup.render._formats import Frame
    from hyperv_backup.render.reports import InventoryReport

__all__ = [
    "TOOL",
    "Hoisted",
    "Row",
    "VmLine",
    "cited_rules",
    "consistency_counts",
    "counts_text",
    "decision_rows",
    "diagnosis_counts_text",
    "diagnosis_groups",
    "diagnosis_read_note",
    "diagnosis_rules",
    "explained_text",
    "fleet_frame",
    "gate_note",
    "hoisted_reasons",
    "mode_summary",
    "outcome_counts",
    "outcome_text",
    "plain",
    "plan_hosts",
    "plan_outcomes",
    "plan_profiles",
    "profile_note",
    "report_line",
    "report_meta",
    "risk_text",
    "severity_counts",
    "step_note",
    "tabulate",
    "time_text",
    "unique",
    "vm_lines",
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


def consistency_counts(plan: Plan) -> dict[str, int]:
    """Return how many VMs of the plan's outcomes have each consistency, in enum order."""
    from hyperv_backup.decide.outcome import Consistency  # noqa: PLC0415 - with plans only

    counts = dict.fromkeys(Consistency, 0)
    for outcome in plan.outcomes.values():
        counts[outcome.consistency] += 1
    return {c.value: count for c, count in counts.items() if count}


def answered_by(labels: Sequence[str]) -> str:
    """Return the note naming the profiles of 2012 and later that answered, by their labels."""
    return f"Answered by the profile of {' and '.join(labels)}"


def profile_note(plan: Plan) -> str | None:
    """Return the line naming the profiles of 2012 and later that answered, if any."""
    labels = unique(o.profile.label for o in plan.outcomes.values())
    return answered_by(labels) if labels else None


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


def mode_summary(plan: Plan) -> dict[str, int]:
    decisions = list(plan.decisions.values())
    return {
        "vms": len(decisions),
        "online": sum(d.mode is BackupMode.ONLINE for d in decisions),
        "offline": sum(d.mode is BackupMode.OFFLINE for d in decisions),
        "downtime": sum(d.causes_downtime for d in decisions),
    }


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


# --- outcome first --------------------------------------------------------------------------

#: The program's name, as reports give it beside its version.
TOOL = "hyperv-backup"


def plan_outcomes(plan: Plan) -> dict[str, Consistency]:
    """Return what each VM's backup will be, in the plan's order.

    A VM answered by a profile of 2012 or later has its outcome; one answered
    by the 2008 profile has the outcome its mode gives: online is
    application-consistent, a running VM taken offline is saved, any other is
    copied as it is (that profile has no rule that makes a backup fail or
    hold nothing).
    """
    return {name: _outcome_of(plan, decision) for name, decision in plan.decisions.items()}


def _outcome_of(plan: Plan, decision: BackupModeDecision) -> Consistency:
    outcome = plan.outcomes.get(decision.vm)
    if outcome is not None:
        return outcome.consistency
    if decision.mode is BackupMode.ONLINE:
        return Consistency.APPLICATION_CONSISTENT
    return Consistency.SAVED_STATE if decision.causes_downtime else Consistency.NOT_RUNNING


def plan_profiles(plan: Plan) -> list[str]:
    """Return the labels of the profiles that answered a plan: the 2008 profile's for VMs without outcomes."""
    from hyperv_backup.rules import Profile  # noqa: PLC0415 - with plans only

    labels = [plan.outcomes[name].profile.label for name in plan.decisions if name in plan.outcomes]
    if len(plan.outcomes) < len(plan.decisions):
        labels.insert(0, Profile.WS2008.label)
    return unique(labels)


def outcome_counts(outcomes: Iterable[Consistency]) -> dict[Consistency, int]:
    """Count outcomes, worst first, leaving out those no VM has.

    >>> c = Consistency
    >>> outcome_counts([c.NOT_RUNNING, c.FAILS, c.FAILS])
    {<Consistency.FAILS: 'fails'>: 2, <Consistency.NOT_RUNNING: 'not_running'>: 1}
    """
    counts = dict.fromkeys(WORST_FIRST, 0)
    for consistency in outcomes:
        counts[consistency] += 1
    return {c: n for c, n in counts.items() if n}


def outcome_text(counts: Mapping[Consistency, int]) -> str:
    """Say the counts of :func:`outcome_counts` in words.

    >>> outcome_text({Consistency.FAILS: 6, Consistency.APPLICATION_CONSISTENT: 4})
    '6 fail, 4 application-consistent'
    >>> outcome_text({})
    'no VMs'
    """
    parts = [
        f"{n} {'fail' if c is Consistency.FAILS and n != 1 else look(c).label}"
        for c, n in counts.items()
    ]
    return ", ".join(parts) or "no VMs"


def risk_text(counts: Mapping[Consistency, int]) -> str:
    """Say how many VMs there are and how many are at risk.

    >>> risk_text({Consistency.FAILS: 2, Consistency.NOT_RUNNING: 1})
    '3 VMs, 2 at risk'
    """
    total = sum(counts.values())
    risky = sum(n for c, n in counts.items() if at_risk(c))
    return f"{total} VM{'' if total == 1 else 's'}, {risky} at risk"


@attrs.frozen
class Hoisted:
    """An info finding that holds for many VMs, said once: its rule, and which VMs it holds for."""

    rule: Rule
    vms: tuple[str, ...]
    #: Where it holds, in words: "every VM", "every VM on HV01", "15 of the 16 VMs (all but ...)".
    where: str


def _holds_for(vms: Sequence[str], every: Sequence[str], hosts: Mapping[str, str]) -> str:
    if len(vms) == len(every):
        return f"every VM ({len(vms)})"
    chosen = set(vms)
    by_host: dict[str, list[str]] = {}
    for name in every:
        by_host.setdefault(hosts.get(name, ""), []).append(name)
    whole = [h for h, names in by_host.items() if h and chosen.issuperset(names)]
    if whole and sum(len(by_host[h]) for h in whole) == len(vms):
        return f"every VM on {', '.join(whole)} ({len(vms)})"
    left = [name for name in every if name not in chosen]
    return f"{len(vms)} of the {len(every)} VMs (all but {', '.join(left)})"


#: The least number of VMs an info finding is said once for (and it must hold for more than half).
_MANY = 3


def hoisted_reasons(plan: Plan) -> list[Hoisted]:
    """Return the info findings said once for many VMs rather than on each VM's row.

    An info rule is said once when it is a reason of at least three VMs, and
    of more than half of them: a cluster on Cluster Shared Volumes says
    HVB616 of nearly every VM. Where it holds is said in words: every VM,
    every VM of some hosts, or the VMs it leaves out.
    """
    every = list(plan.decisions)
    holders: dict[str, list[str]] = {}
    rules: dict[str, Rule] = {}
    for name, decision in plan.decisions.items():
        for reason in _reasons(plan, decision):
            if reason.severity is Severity.INFO and reason.subject == name:
                found = holders.setdefault(reason.rule.id, [])
                if not found or found[-1] != name:
                    found.append(name)
                rules[reason.rule.id] = reason.rule
    hosts = plan_hosts(plan)
    return [
        Hoisted(rules[rule_id], tuple(vms), _holds_for(vms, every, hosts))
        for rule_id, vms in holders.items()
        if len(vms) >= _MANY and 2 * len(vms) > len(every)
    ]


def _reasons(plan: Plan, decision: BackupModeDecision) -> tuple[Finding, ...]:
    """Return the findings behind a VM's outcome: those of its outcome, else of its decision."""
    outcome = plan.outcomes.get(decision.vm)
    return decision.reasons if outcome is None else outcome.reasons


@attrs.frozen
class VmLine:
    """One VM of a plan as the reports list it: its outcome and the reasons not said once for all."""

    vm: str
    host: str
    consistency: Consistency
    decision: BackupModeDecision
    reasons: tuple[Finding, ...]


def vm_lines(plan: Plan, hoisted: Sequence[Hoisted] = ()) -> list[VmLine]:
    """Return the VMs of a plan worst first (in plan order within an outcome), each with its reasons.

    The reasons are the findings behind the outcome, most severe first, less
    those of ``hoisted`` rules; each rule once per subject.
    """
    outcomes = plan_outcomes(plan)
    hosts = plan_hosts(plan)
    said = {h.rule.id for h in hoisted}
    lines = []
    for name, decision in plan.decisions.items():
        seen: set[tuple[str, str]] = set()
        kept = []
        for reason in sorted(_reasons(plan, decision), key=lambda f: f.severity.rank):
            key = (reason.rule.id, reason.subject)
            if reason.rule.id in said or key in seen:
                continue
            seen.add(key)
            kept.append(reason)
        host = hosts.get(name) or next((r.host for r in decision.reasons if r.host), "") or ""
        lines.append(VmLine(name, host, outcomes[name], decision, tuple(kept)))
    lines.sort(key=lambda line: SEVERITY[line.consistency])
    return lines


def gate_note(fails_at: Severity | None) -> str:
    """Say what the exit status gates on (``--fail-on``), as it is.

    >>> gate_note(Severity.ERROR), gate_note(None)
    ('Exit status: gates on errors', 'Exit status: does not gate (--fail-on never)')
    """
    if fails_at is None:
        return "Exit status: does not gate (--fail-on never)"
    words = {
        Severity.ERROR: "errors",
        Severity.WARNING: "warnings and errors",
        Severity.INFO: "any finding",
    }
    return f"Exit status: gates on {words[fails_at]}"


def _stamp(value: datetime) -> str:
    """Show a time as the reports show it: UTC to the minute, or as given when it has no zone."""
    from datetime import UTC  # noqa: PLC0415 - only forwarded reports need it

    if value.tzinfo is None:
        return value.strftime("%Y-%m-%d %H:%M")
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%MZ")


def report_line(frame: Frame, profiles: Sequence[str] = ()) -> list[str]:
    """Return the lines that say when, from what and by what a report was made, if the frame says.

    ``profiles`` are the labels of the profiles a result tells of, used when
    the frame names none.
    """
    if not frame.forwarded:
        return []
    made = f"Made by {TOOL} {__version__}"
    if frame.made_at is not None:
        made += f" on {_stamp(frame.made_at)}"
    lines = [made]
    if frame.inputs:
        lines.append(f"Read from: {', '.join(frame.inputs)}")
    if frame.collected_at:
        parts = [
            f"{name} {'at an unknown time' if when is None else _stamp(when)}"
            for name, when in frame.collected_at.items()
        ]
        lines.append(f"Collected: {', '.join(parts)}")
    named = frame.profiles or tuple(profiles)
    if named:
        lines.append(f"Profile{'' if len(named) == 1 else 's'}: {', '.join(named)}")
    return lines


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def report_meta(frame: Frame) -> dict[str, Any]:
    """Return the ``report`` key of a JSON document, if the frame says when and from what it was made."""
    if not frame.forwarded:
        return {}
    report: dict[str, Any] = {
        "made_at": _iso(frame.made_at),
        "tool": {"name": TOOL, "version": __version__},
        "inputs": list(frame.inputs),
        "collected_at": {name: _iso(when) for name, when in frame.collected_at.items()},
    }
    if frame.profiles:
        report["profiles"] = list(frame.profiles)
    return {"report": report}


def fleet_frame(frame: Frame, reports: Sequence[InventoryReport]) -> Frame:
    """Return the frame of many inputs, saying when each inventory read was collected, if it says anything of itself.

    The times the frame names already come first; each inventory read adds
    its own, by its name.
    """
    if not frame.forwarded:
        return frame
    times = dict(frame.collected_at)
    for report in reports:
        if report.read and report.name is not None:
            times.setdefault(report.name, report.collected_at)
    return attrs.evolve(frame, collected_at=times)
