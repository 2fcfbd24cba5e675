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
    from hyperv_backup.cli._protection import Protected
    from hyperv_backup.decide.evaluate import Evaluation

__all__ = ["evaluate", "report", "run"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


def _checked(
    options: Options, target: Host | Cluster, *, views: bool
) -> tuple[tuple[Finding, ...], Evaluation, Protected | None]:
    """Evaluate ``target`` once: its findings, most severe first, less ``--ignore``; and the evaluation.

    With ``--backups`` or ``--policy``, the catalogue's rules run too, the
    policy's exceptions leave their findings out, and each VM gets its status.
    """
    if options.protection is None:
        evaluation = evaluate_target(
            target, views=views, profile=options.profile, settings=options.settings
        )
        findings = sort_findings(evaluation.findings)
        return tuple(f for f in findings if f.rule.id not in options.ignore), evaluation, None
    from hyperv_backup.cli import _protection  # noqa: PLC0415 - only these options need it

    facts = _protection.facts(options, target)
    evaluation = evaluate_target(
        target,
        views=views or facts is not None,
        profile=options.profile,
        protection=facts,
        settings=options.settings,
    )
    result = _protection.protected(options, sort_findings(evaluation.findings), evaluation, facts)
    kept = tuple(f for f in result.findings if f.rule.id not in options.ignore)
    return kept, evaluation, result


def _rendered(
    options: Options,
    target: Host | Cluster,
    findings: tuple[Finding, ...],
    fmt: Format | None,
    base: Frame,
    *,
    result: Protected | None = None,
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
    notes = [*policy_notes(options), *profile_notes(target, options)]
    if result is not None:
        from hyperv_backup.cli._protection import protection_notes  # noqa: PLC0415

        notes.extend(protection_notes(options, result))
    frame = attrs.evolve(
        base,
        title=f"Findings for {describe(target)}",
        notes=notes,
        meta=meta,
        collected_at=collection_times(target),
        protection=None if result is None else result.summary,
    )
    return status, renderer(fmt).findings(findings, frame)


def evaluate(
    options: Options, target: Host | Cluster, fmt: Format | None, base: Frame
) -> tuple[tuple[Finding, ...], int, str]:
    """Check one inventory: its findings (less ``--ignore``), its exit status, its report in ``fmt``.

    With ``fmt=None`` nothing is rendered and the report is ``""``.
    """
    findings, _, result = _checked(options, target, views=False)
    status, text = _rendered(options, target, findings, fmt, base, result=result)
    return findings, status, text


def report(
    source: str, options: Options, target: Host | Cluster, fmt: Format | None, base: Frame
) -> InventoryReport:
    """Check one of many inputs: its report, with its own in ``fmt`` as the detail.

    Each VM's outcome comes from the evaluation that gave the findings.
    """
    findings, evaluation, result = _checked(options, target, views=True)
    status, text = _rendered(options, target, findings, fmt, base, result=result)
    return inventory_report(
        source,
        Command.CHECK.value,
        target,
        findings,
        status=status,
        detail=text,
        views=evaluation.vms,
        protection=None if result is None else result.summary,
    )


def run(options: Options) -> int:
    """Run ``check``: print the findings; exit 1 when one is at or above ``--fail-on``."""
    return report_one(options, "Findings", evaluate)
