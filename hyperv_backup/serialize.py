"""JSON-ready dictionaries of results: findings, decisions, steps and plans.

The shapes are public and stable; ``docs/results.md`` describes them. Enums
are written as their string values and rules by their ID.

>>> from hyperv_backup.rules import finding
>>> to_dict(finding("HVB105", "SQL01", "VM 'SQL01' has 1 VM snapshot(s).", vm="SQL01"))
{'rule': 'HVB105', 'severity': 'info', 'subject': 'SQL01', 'message': "VM 'SQL01' has 1 VM snapshot(s).", 'host': None, 'vm': 'SQL01'}
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

from hyperv_backup.checks import UncoveredStorage
from hyperv_backup.mode import BackupModeDecision
from hyperv_backup.rules import Finding, Rule

# Writing findings (``check``) needs no plans or steps, and hyperv_backup.steps takes
# a while to import: it is imported when a step or a plan is first written.
if TYPE_CHECKING:
    from hyperv_backup.steps import Plan, Step

__all__ = ["to_dict"]

#: What :func:`to_dict` takes.
Result: TypeAlias = "Rule | Finding | BackupModeDecision | UncoveredStorage | Step | Plan"


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "title": rule.title,
        "severity": rule.severity.value,
        "section": rule.section,
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
    return {
        "steps": [_step(s) for s in plan.steps],
        "findings": [_finding(f) for f in plan.findings],
        "decisions": {name: _decision(d) for name, d in plan.decisions.items()},
    }


#: A result type's writer.
_Writer = Callable[[Any], dict[str, Any]]

_WRITERS: dict[type, _Writer] = {
    Rule: _rule,
    Finding: _finding,
    BackupModeDecision: _decision,
    UncoveredStorage: _uncovered,
}


@functools.cache
def _step_writers() -> dict[type, _Writer]:
    """Return the writers of steps and plans, importing their module (see the imports)."""
    from hyperv_backup.steps import Plan, Step  # noqa: PLC0415 - lazy, see the imports

    return {Step: _step, Plan: _plan}


def to_dict(result: Result) -> dict[str, Any]:
    """Return the JSON-ready dictionary of a result object.

    Raises :class:`TypeError` for anything else (for an inventory, use
    :func:`~hyperv_backup.dump_inventory`).
    """
    writer = _WRITERS.get(type(result)) or _step_writers().get(type(result))
    if writer is None:
        msg = f"to_dict() takes a result object, got {type(result).__name__}"
        raise TypeError(msg)
    return writer(result)
