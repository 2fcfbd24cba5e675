"""``plan INVENTORY [...] [--node NODE]``: the ordered backup plan and how each VM is backed up."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.cli._io import (
    answering_profiles,
    describe,
    exit_status,
    policy_meta,
    policy_notes,
    profile_meta,
    report_one,
    resolve_host,
    target_meta,
)
from hyperv_backup.cli._options import (
    Command,
    Options,
)
from hyperv_backup.model import Cluster, Host
from hyperv_backup.render import Format, Frame, plan_frame, renderer
from hyperv_backup.render.reports import InventoryReport, collection_times, inventory_report
from hyperv_backup.rules import Finding, sort_findings

if TYPE_CHECKING:
    from hyperv_backup.cli._protection import Protected
    from hyperv_backup.decide.evaluate import Evaluation
    from hyperv_backup.decide.plan import Plan

__all__ = ["evaluate", "report", "run"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


def evaluate(
    options: Options, target: Host | Cluster, fmt: Format | None, base: Frame
) -> tuple[tuple[Finding, ...], int, str]:
    """Plan one inventory: its findings (less ``--ignore``), its exit status, its report in ``fmt``.

    An unknown ``--node`` is a usage error. With ``fmt=None`` nothing is
    rendered and the report is ``""``.
    """
    findings, status, text, _, _ = _planned(options, target, fmt, base)
    return findings, status, text


def _protected_plan(
    options: Options, target: Host | Cluster, node: str | None
) -> tuple[Plan, Evaluation | None, Protected]:
    """Plan with ``--backups`` or ``--policy``: the catalogue's rules, the exceptions, each VM's status."""
    from hyperv_backup.cli import _protection  # noqa: PLC0415 - only these options need it
    from hyperv_backup.decide.evaluate import evaluate as evaluate_target  # noqa: PLC0415
    from hyperv_backup.decide.plan import plan_of  # noqa: PLC0415

    facts = _protection.facts(options, target)
    backup_node = None if node is None else resolve_host(target, node)
    evaluation = evaluate_target(
        target, backup_node, profile=options.profile, protection=facts, settings=options.settings
    )
    result = _protection.protected(options, evaluation.findings, evaluation, facts)
    plan = attrs.evolve(
        plan_of(target, evaluation, options.profile),
        findings=sort_findings(result.findings),
        protection=result.summary,
    )
    return plan, evaluation if node is None else None, result


def _planned(
    options: Options, target: Host | Cluster, fmt: Format | None, base: Frame
) -> tuple[tuple[Finding, ...], int, str, Evaluation | None, Protected | None]:
    """Like :func:`evaluate`, with the evaluation of each VM on its own host, when it is the plan's."""
    # Imported by the commands that use it: ``check`` has no need of plans or steps.
    from hyperv_backup.decide.evaluate import evaluate as evaluate_target  # noqa: PLC0415
    from hyperv_backup.decide.plan import backup_plan, plan_of  # noqa: PLC0415

    # Resolved here, so an unknown node is a usage error naming the known ones.
    node = None if options.node is None else resolve_host(target, options.node).name
    evaluation = None
    result = None
    if options.protection is not None:
        plan, evaluation, result = _protected_plan(options, target, node)
    elif node is None:
        # Each VM on the host that lists it: the one walk gives the plan and the outcomes.
        evaluation = evaluate_target(target, profile=options.profile, settings=options.settings)
        plan = plan_of(target, evaluation, options.profile)
    else:
        plan = backup_plan(target, node, profile=options.profile, settings=options.settings)
    plan = attrs.evolve(
        plan, findings=tuple(f for f in plan.findings if f.rule.id not in options.ignore)
    )
    status = exit_status(plan.findings, options.fail_on)
    if fmt is None:
        return plan.findings, status, "", evaluation, result
    notes = policy_notes(options)
    if node is not None:
        notes.insert(0, f"Clustered VMs are backed up on {node}")
    meta = {
        "command": Command.PLAN.value,
        "inventory": target_meta(target),
        "node": node,
        **profile_meta(target, options),
        **policy_meta(options, status),
    }
    frame = attrs.evolve(
        base,
        title=f"Backup plan for {describe(target)}",
        notes=notes,
        meta=meta,
        collected_at=collection_times(target),
        # Each host's own profile answers its host checks, whichever node backs
        # the clustered VMs up: the report names every profile that answered.
        profiles=tuple(
            dict.fromkeys(p.label for p in answering_profiles(target, options).values())
        ),
    )
    frame = plan_frame(plan, frame)
    if result is not None:
        from hyperv_backup.cli._protection import protection_notes  # noqa: PLC0415

        frame = attrs.evolve(frame, notes=(*frame.notes, *protection_notes(options, result)))
    text = renderer(fmt).plan(plan, frame)
    return plan.findings, status, text, evaluation, result


def report(
    source: str, options: Options, target: Host | Cluster, fmt: Format | None, base: Frame
) -> InventoryReport:
    """Plan one of many inputs: its report, with its own in ``fmt`` as the detail.

    Each VM's outcome is the one it has on the host that lists it, under
    ``--profile`` or its host's own profile, whatever ``--node`` says.
    """
    findings, status, text, evaluation, result = _planned(options, target, fmt, base)
    # A plan on a node moves clustered VMs there; the reports still give each
    # VM's outcome on its own host, from one more walk of the inventory.
    return inventory_report(
        source,
        Command.PLAN.value,
        target,
        findings,
        status=status,
        profile=options.profile,
        detail=text,
        views=None if evaluation is None else evaluation.vms,
        protection=None if result is None else result.summary,
    )


def run(options: Options) -> int:
    """Run ``plan``: print the backup plan; with ``--fail-on``, exit 1 on findings at or above it."""
    return report_one(options, "Backup plan", evaluate)
