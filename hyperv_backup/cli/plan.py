"""``plan INVENTORY [--node NODE]``: the ordered backup plan and how each VM is backed up."""

from __future__ import annotations

import attrs

from hyperv_backup.cli._io import (
    describe,
    exit_status,
    load,
    output,
    policy_meta,
    policy_notes,
    profile_meta,
    resolve_host,
    target_meta,
)
from hyperv_backup.cli._options import (
    Command,
    Options,
)
from hyperv_backup.render import (
    render_plan,
)

__all__ = ["run"]


def run(options: Options) -> int:
    """Run ``plan``: print the backup plan; exit 1 when a finding is at or above ``--fail-on``."""
    # Imported by the commands that use it: ``check`` has no need of plans or steps.
    from hyperv_backup.decide.plan import backup_plan  # noqa: PLC0415

    target = load(options)
    # Resolved here, so an unknown node is a usage error naming the known ones.
    node = None if options.node is None else resolve_host(target, options.node).name
    plan = backup_plan(target, node, profile=options.profile)
    plan = attrs.evolve(
        plan, findings=tuple(f for f in plan.findings if f.rule.id not in options.ignore)
    )
    status = exit_status(plan.findings, options.fail_on)
    title = f"Backup plan for {describe(target)}"
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
    output(
        options,
        title,
        lambda fmt, color, width: render_plan(
            plan, fmt, title=title, notes=notes, meta=meta, color=color, width=width
        ),
    )
    return status
