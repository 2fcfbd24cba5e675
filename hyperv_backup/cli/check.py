"""``check INVENTORY``: every finding about the inventory."""

from __future__ import annotations

from hyperv_backup.cli._io import (
    describe,
    exit_status,
    load,
    output,
    policy_meta,
    policy_notes,
    profile_meta,
    profile_notes,
    target_meta,
)
from hyperv_backup.cli._options import (
    Command,
    Options,
)
from hyperv_backup.decide.checks import check
from hyperv_backup.render import (
    render_findings,
)

__all__ = ["run"]


def run(options: Options) -> int:
    """Run ``check``: print the findings; exit 1 when one is at or above ``--fail-on``."""
    target = load(options)
    findings = tuple(
        f for f in check(target, profile=options.profile) if f.rule.id not in options.ignore
    )
    status = exit_status(findings, options.fail_on)
    title = f"Findings for {describe(target)}"
    meta = {
        "command": Command.CHECK.value,
        "inventory": target_meta(target),
        **profile_meta(target, options),
        **policy_meta(options, status),
    }
    output(
        options,
        title,
        lambda fmt, color, width: render_findings(
            findings,
            fmt,
            title=title,
            notes=[*policy_notes(options), *profile_notes(target, options)],
            meta=meta,
            color=color,
            width=width,
        ),
    )
    return status
