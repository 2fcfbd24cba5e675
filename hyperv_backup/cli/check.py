"""``check INVENTORY [...]``: every finding about the inventory, or about each of many."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.cli._io import (
    describe,
    exit_status,
    policy_meta,
    policy_notes,
    profile_meta,
    profile_notes,
    report_one,
    target_meta,
)
from hyperv_backup.cli._options import (
    Command,
    Options,
)
from hyperv_backup.decide.evaluate import evaluate as evaluate_target
from hyperv_backup.model import Cluster, Host
from hyperv_backup.render import Format, Frame, renderer
from hyperv_backup.render.reports import InventoryReport, collection_times, inventory_report
from hyperv_backup.rules import Finding, sort_findings

if TYPE_CHECKING:
    from hyperv_backup.decide.evaluate import Evaluation

__all__ = ["evaluate", "report", "run"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


def _checked(
    options: Options, target: Host | Cluster, *, views: bool
) -> tuple[tuple[Finding, ...], Evaluation]:
    """Evaluate ``target`` once: its findings, most severe first, less ``--ignore``; and the evaluation."""
    evaluation = evaluate_target(
        target, views=views, profile=options.profile, settings=options.settings
    )
    findings = sort_findings(evaluation.findings)
    return tuple(f for f in findings if f.rule.id not in options.ignore), evaluation


def _rendered(
    options: Options,
    target: Host | Cluster,
    findings: tuple[Finding, ...],
    fmt: Format | None,
    base: Frame,
) -> tuple[int, str]:
    """Return the exit status of ``findings``, and their report in ``fmt`` (``""`` for ``None``)."""
    status = exit_status(findings, options.fail_on)
    if fmt is None:
        return status, ""
    meta = {
        "command": Command.CHECK.value,
        "inventory": target_meta(target),
        **profile_meta(target, options),
        **policy_meta(options, status),
    }
    frame = attrs.evolve(
        base,
        title=f"Findings for {describe(target)}",
        notes=[*policy_notes(options), *profile_notes(target, options)],
        meta=meta,
        collected_at=collection_times(target),
    )
    return status, renderer(fmt).findings(findings, frame)


def evaluate(
    options: Options, target: Host | Cluster, fmt: Format | None, base: Frame
) -> tuple[tuple[Finding, ...], int, str]:
    """Check one inventory: its findings (less ``--ignore``), its exit status, its report in ``fmt``.

    With ``fmt=None`` nothing is rendered and the report is ``""``.
    """
    findings, _ = _checked(options, target, views=False)
    status, text = _rendered(options, target, findings, fmt, base)
    return findings, status, text


def report(
    source: str, options: Options, target: Host | Cluster, fmt: Format | None, base: Frame
) -> InventoryReport:
    """Check one of many inputs: its report, with its own in ``fmt`` as the detail.

    Each VM's outcome comes from the evaluation that gave the findings.
    """
    findings, evaluation = _checked(options, target, views=True)
    status, text = _rendered(options, target, findings, fmt, base)
    return inventory_report(
        source,
        Command.CHECK.value,
        target,
        findings,
        status=status,
        detail=text,
        views=evaluation.vms,
    )


def run(options: Options) -> int:
    """Run ``check``: print the findings; exit 1 when one is at or above ``--fail-on``."""
    return report_one(options, "Findings", evaluate)
