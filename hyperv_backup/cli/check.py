"""``check INVENTORY [...]``: every finding about the inventory, or about each of many."""

from __future__ import annotations

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
from hyperv_backup.decide.checks import check
from hyperv_backup.model import Cluster, Host
from hyperv_backup.render import Format, render_findings
from hyperv_backup.rules import Finding

__all__ = ["evaluate", "run"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


def evaluate(
    options: Options,
    target: Host | Cluster,
    fmt: Format | None,
    *,
    color: bool = False,
    width: int = 80,
) -> tuple[tuple[Finding, ...], int, str]:
    """Check one inventory: its findings (less ``--ignore``), its exit status, its report in ``fmt``.

    With ``fmt=None`` nothing is rendered and the report is ``""``.
    """
    findings = tuple(
        f for f in check(target, profile=options.profile) if f.rule.id not in options.ignore
    )
    status = exit_status(findings, options.fail_on)
    if fmt is None:
        return findings, status, ""
    title = f"Findings for {describe(target)}"
    meta = {
        "command": Command.CHECK.value,
        "inventory": target_meta(target),
        **profile_meta(target, options),
        **policy_meta(options, status),
    }
    text = render_findings(
        findings,
        fmt,
        title=title,
        notes=[*policy_notes(options), *profile_notes(target, options)],
        meta=meta,
        color=color,
        width=width,
    )
    return findings, status, text


def run(options: Options) -> int:
    """Run ``check``: print the findings; exit 1 when one is at or above ``--fail-on``."""
    return report_one(options, "Findings", evaluate)
