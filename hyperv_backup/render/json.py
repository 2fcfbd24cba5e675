"""JSON: the dictionaries of results (findings, decisions, steps, plans) and the documents.

The shapes are public and stable; ``docs/results.md`` describes them. Enums
are written as their string values and rules by their ID. Each document is
``schema_version``, then the keys of the frame's ``meta``, then the body of
its kind of result, built here (:class:`JsonRenderer`).

>>> from hyperv_backup.rules import RULES, finding
>>> to_dict(finding(RULES["HVB105"], "SQL01", "VM 'SQL01' has 1 VM snapshot(s).", vm="SQL01"))
{'rule': 'HVB105', 'severity': 'info', 'subject': 'SQL01', 'message': "VM 'SQL01' has 1 VM snapshot(s).", 'host': None, 'vm': 'SQL01'}
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias, overload

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup._base.jsontext import json_text
from hyperv_backup.decide.checks import UncoveredStorage
from hyperv_backup.decide.mode import BackupModeDecision
from hyperv_backup.decide.outcome import BackupOutcome
from hyperv_backup.decide.steps import Step
from hyperv_backup.render._common import (
    consistency_counts,
    decision_rows,
    fleet_frame,
    mode_summary,
    outcome_counts,
    plan_outcomes,
    report_meta,
    severity_counts,
)
from hyperv_backup.render._palette import at_risk
from hyperv_backup.render._protection import protection_document
from hyperv_backup.render.reports import (
    STATUS_WORDS,
    InventoryReport,
    Share,
    at_risk_count,
    fleet_totals,
    shared,
    worst_outcome,
)
from hyperv_backup.rules import Finding, Rule, Source

# Writing findings (``check``) needs no plans, and the plan module takes the
# whole decision layer: it is imported when a plan is first written.
if TYPE_CHECKING:
    from datetime import datetime

    from hyperv_backup.decide.plan import Plan
    from hyperv_backup.diagnose.diagnosis import Diagnosis, LogFinding
    from hyperv_backup.readers import Event, VssWriter
    from hyperv_backup.render._formats import Frame

__all__ = [
    "PLAN_SCHEMA_VERSION",
    "RENDERER",
    "SCHEMA_VERSION",
    "JsonRenderer",
    "document",
    "to_dict",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: The version of every JSON document written here but the plan's; each kind of
#: document has its own, bumped on an incompatible change of that kind.
SCHEMA_VERSION = 1

#: The version of the plan's document: 2 since ``vms[].reasons`` is an array of
#: rule IDs (it was one string of them, space-separated).
PLAN_SCHEMA_VERSION = 2

#: What :func:`to_dict` takes.
Result: TypeAlias = (
    "Rule | Finding | BackupModeDecision | BackupOutcome | UncoveredStorage | Step | Plan"
    " | Diagnosis | LogFinding | Event | VssWriter"
)


def _source(source: Source) -> dict[str, Any]:
    page = source.page
    found: dict[str, Any] = {
        "title": page.title,
        "url": page.url,
        "repository": page.repository,
        "path": page.path,
        "heading": source.heading,
        "claim": source.claim.value,
    }
    if source.inference is not None:
        found["inference"] = source.inference
        found["anchor"] = source.anchor
    return found


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "title": rule.title,
        "severity": rule.severity.value,
        "section": rule.section,
        "source": _source(rule.source),
        "description": rule.description,
        "remedy": rule.remedy,
    }


def _finding(item: Finding) -> dict[str, Any]:
    return {
        "rule": item.rule.id,
        "severity": item.severity.value,
        "subject": item.subject,
        "message": item.message,
        "host": item.host,
        "vm": item.vm,
    }


def _decision(decision: BackupModeDecision) -> dict[str, Any]:
    return {
        "vm": decision.vm,
        "mode": decision.mode.value,
        "causes_downtime": decision.causes_downtime,
        "state_during_backup": decision.state_during_backup.value,
        "state_after": decision.state_after.value,
        "reasons": [_finding(r) for r in decision.reasons],
    }


def _outcome(outcome: BackupOutcome) -> dict[str, Any]:
    return {
        "vm": outcome.vm,
        "profile": outcome.profile.value,
        "consistency": outcome.consistency.value,
        "causes_downtime": outcome.causes_downtime,
        "state_during_backup": outcome.state_during_backup.value,
        "state_after": outcome.state_after.value,
        "reasons": [_finding(r) for r in outcome.reasons],
        "incremental": outcome.incremental,
        "incremental_reasons": [_finding(r) for r in outcome.incremental_reasons],
    }


def _uncovered(item: UncoveredStorage) -> dict[str, Any]:
    return {"vm": item.vm, "disk": item.disk, "rule": item.rule.id}


def _step(step: Step) -> dict[str, Any]:
    return {
        "order": step.order,
        "action": step.action.value,
        "target": step.target,
        "where": step.where,
        "text": step.text,
        "rules": list(step.rules),
    }


def _plan(plan: Plan) -> dict[str, Any]:
    body = {
        "steps": [_step(s) for s in plan.steps],
        "findings": [_finding(f) for f in plan.findings],
        "decisions": {name: _decision(d) for name, d in plan.decisions.items()},
    }
    # Only the profiles of 2012 and later give outcomes: a plan answered by the
    # 2008 profile alone is written as before.
    if plan.outcomes:
        body["outcomes"] = {name: _outcome(o) for name, o in plan.outcomes.items()}
    return body


#: A result type's writer.
_Writer = Callable[[Any], dict[str, Any]]

_WRITERS: dict[type, _Writer] = {
    Rule: _rule,
    Step: _step,
    Finding: _finding,
    BackupModeDecision: _decision,
    BackupOutcome: _outcome,
    UncoveredStorage: _uncovered,
}


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def _event(event: Event) -> dict[str, Any]:
    return {
        "provider": event.provider,
        "event_id": event.event_id,
        "level": event.level,
        "time_created": _time(event.time_created),
        "computer": event.computer,
        "channel": event.channel,
        "record_id": event.record_id,
        "data": [{"name": name, "value": value} for name, value in event.data],
        "message": event.message,
    }


def _writer(writer: VssWriter) -> dict[str, Any]:
    return {
        "name": writer.name,
        "writer_id": writer.writer_id,
        "instance_id": writer.instance_id,
        "state": writer.state,
        "last_error": writer.last_error,
    }


def _log_finding(item: LogFinding) -> dict[str, Any]:
    return {
        "rule": item.rule.id,
        "severity": item.severity.value,
        "recognised": item.recognised,
        "time": _time(item.time),
        "host": item.host,
        "vm": item.vm,
        "place": item.place.value,
        "message": item.message,
        "explained_by": [_finding(f) for f in item.explained_by],
        "event": None if item.event is None else _event(item.event),
        "writer": None if item.writer is None else _writer(item.writer),
    }


def _diagnosis(diagnosis: Diagnosis) -> dict[str, Any]:
    return {
        "summary": diagnosis.summary,
        "read": {
            "events": diagnosis.events,
            "considered": diagnosis.considered,
            "skipped": diagnosis.skipped,
            "writers": diagnosis.writers,
            "since": _time(diagnosis.since),
        },
        "findings": [_log_finding(item) for item in diagnosis.findings],
    }


@functools.cache
def _plan_writer() -> dict[type, _Writer]:
    """Return the writers of plans and diagnoses, importing their modules (see the imports)."""
    from hyperv_backup.decide.plan import Plan  # noqa: PLC0415 - lazy, see the imports
    from hyperv_backup.diagnose.diagnosis import Diagnosis, LogFinding  # noqa: PLC0415
    from hyperv_backup.readers import Event, VssWriter  # noqa: PLC0415

    return {
        Plan: _plan,
        Diagnosis: _diagnosis,
        LogFinding: _log_finding,
        Event: _event,
        VssWriter: _writer,
    }


@overload
def to_dict(result: Result) -> dict[str, Any]: ...


@overload
def to_dict(result: Sequence[Result]) -> list[dict[str, Any]]: ...


def to_dict(result: Result | Sequence[Result]) -> dict[str, Any] | list[dict[str, Any]]:
    """Return the JSON-ready dictionary of a result object, or the list of a sequence of them.

    A sequence is what :func:`~hyperv_backup.check` (``Findings``),
    :func:`~hyperv_backup.restore_steps` (``Steps``) and
    :func:`~hyperv_backup.uncovered_storage` return, or any tuple or list of
    result objects: its list holds each one's dictionary, in order. Raises
    :class:`TypeError` for anything else, naming the first item that is no
    result (for an inventory, use :func:`~hyperv_backup.dump_inventory`).
    """
    writer = _writer_of(result)
    if writer is not None:
        return writer(result)
    given: object = result  # callers without type checking may pass anything
    if isinstance(given, list | tuple):
        items: list[dict[str, Any]] = []
        for index, item in enumerate(given):
            found = _writer_of(item)
            if found is None:
                msg = (
                    f"to_dict() takes a result object or a sequence of them, got "
                    f"{type(item).__name__} at index {index} of {type(given).__name__}"
                )
                raise TypeError(msg)
            items.append(found(item))
        return items
    kind = type(result).__name__
    hint = "; write an inventory with dump_inventory()" if kind in {"Host", "Cluster"} else ""
    msg = f"to_dict() takes a result object or a sequence of them, got {kind}{hint}"
    raise TypeError(msg)


def _writer_of(result: object) -> _Writer | None:
    return _WRITERS.get(type(result)) or _plan_writer().get(type(result))


def document(
    meta: Mapping[str, Any] | None,
    body: Mapping[str, Any],
    frame: Frame | None = None,
    *,
    version: int = SCHEMA_VERSION,
) -> str:
    """Return the JSON text of a document: ``schema_version``, then ``meta``, then ``report``, then ``body``.

    ``report`` (when, from what and by what the document was made) is there
    when the ``frame`` says so.
    """
    made = report_meta(frame) if frame is not None else {}
    content = {"schema_version": version, **(meta or {}), **made, **body}
    # json.dumps(content, indent=2, ensure_ascii=True), byte for byte, faster.
    return json_text(content) + "\n"


@attrs.frozen
class JsonRenderer:
    """JSON documents of every kind of result (``Part``: an input's own document, as JSON text)."""

    def findings(self, findings: Sequence[Finding], frame: Frame) -> str:
        """Write findings, with their counts by severity."""
        body = {"summary": severity_counts(findings), "findings": [_finding(f) for f in findings]}
        if frame.protection is not None:
            body["protection"] = protection_document(frame.protection)
        return document(frame.meta, frame=frame, body=body)

    def plan(self, plan: Plan, frame: Frame) -> str:
        """Write a plan: its summary, a row per VM, then the plan itself."""
        body = _plan(plan)
        outcomes = plan_outcomes(plan).values()
        summary = {
            **mode_summary(plan),
            **({"consistency": consistency_counts(plan)} if plan.outcomes else {}),
            "findings": severity_counts(plan.findings),
            # Every VM's outcome, the 2008 profile's too, worst first.
            "outcomes": {c.value: n for c, n in outcome_counts(outcomes).items()},
            "at_risk": sum(1 for c in outcomes if at_risk(c)),
        }
        # A list of rule IDs is an array, as a step's rules are; the other
        # formats show the row's space-separated IDs as they are.
        rows = [{**row, "reasons": str(row["reasons"]).split()} for row in decision_rows(plan)]
        return document(
            frame.meta,
            {
                "summary": summary,
                "vms": rows,
                "steps": body["steps"],
                "findings": body["findings"],
                "decisions": body["decisions"],
                **({"outcomes": body["outcomes"]} if "outcomes" in body else {}),
                **(
                    {"protection": protection_document(plan.protection)}
                    if plan.protection is not None
                    else {}
                ),
            },
            frame,
            version=PLAN_SCHEMA_VERSION,
        )

    def steps(self, steps: Sequence[Step], frame: Frame) -> str:
        """Write ordered steps."""
        return document(frame.meta, frame=frame, body={"steps": [_step(s) for s in steps]})

    def rules(self, rules: Sequence[Rule], frame: Frame) -> str:
        """Write rules, each with its source."""
        return document(frame.meta, frame=frame, body={"rules": [_rule(r) for r in rules]})

    def diagnosis(self, diagnosis: Diagnosis, frame: Frame) -> str:
        """Write a diagnosis."""
        return document(frame.meta, frame=frame, body=_diagnosis(diagnosis))

    def part(self, report: InventoryReport, index: int, frame: Frame) -> str | None:
        """Return an input's own document, as it was written; ``None`` when none was."""
        return report.detail or None

    def fleet(self, reports: Sequence[InventoryReport | Share[str | None]], frame: Frame) -> str:
        """Write the totals of many inputs, then each one with its own document as ``result``."""
        import re  # noqa: PLC0415 - only the document of many inputs needs it

        shares = shared(
            reports, functools.partial(self.part, frame=frame), (str, type(None)), "JSON"
        )
        summaries = [s.report for s in shares]
        frame = fleet_frame(frame, summaries)
        inputs = [
            {
                "input": r.source,
                "status": STATUS_WORDS.get(r.status, str(r.status)),
                "exit_status": r.status,
                "worst_outcome": None if (w := worst_outcome(r.consistency)) is None else w.value,
                "at_risk": at_risk_count(r.consistency),
                "problems": list(r.problems),
                "result": f"\0hvb-result-{i}\0" if share.part else None,
            }
            for i, (r, share) in enumerate(zip(summaries, shares, strict=True))
        ]
        text = document(
            frame.meta, frame=frame, body={"fleet": fleet_totals(summaries), "inventories": inputs}
        )
        # Each input's document is set in as it was written, indented one level
        # deeper, rather than parsed and written again: it is already JSON.
        return re.sub(
            r'"result": "\\u0000hvb-result-(\d+)\\u0000"',
            lambda m: (
                '"result": '
                + (shares[int(m.group(1))].part or "").rstrip("\n").replace("\n", "\n      ")
            ),
            text,
        )


#: The JSON renderer.
RENDERER = JsonRenderer()
