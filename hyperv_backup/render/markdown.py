"""Markdown, for reports and notebooks; every inventory string is escaped."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from hyperv_backup.decide.steps import Step
from hyperv_backup.model import BackupMode
from hyperv_backup.render._common import (
    backed_up_as,
    counts_text,
    decision_rows,
    diagnosis_counts_text,
    diagnosis_groups,
    diagnosis_read_note,
    diagnosis_rules,
    explained_text,
    mode_summary,
    place_text,
    severity_counts,
    step_note,
    tabulate,
    time_text,
    vm_summary_text,
    why_lines,
)
from hyperv_backup.render.safe import escape_markdown
from hyperv_backup.rules import Finding, Rule, Severity
from hyperv_backup.rules.pages import citation

if TYPE_CHECKING:
    from hyperv_backup.decide.plan import Plan
    from hyperv_backup.diagnose.diagnosis import Diagnosis

__all__ = ["diagnosis", "findings", "markdown_table", "plan", "rules", "steps"]


def markdown_table(items: object, columns: Sequence[str] | None = None) -> str:
    """Return a Markdown table of model or result objects, or of mappings.

    One object (or a mapping of names to values) gives a field/value table; a
    sequence of objects or mappings gives one row each, with ``columns`` (by
    default every field or key, in order of first appearance).
    """
    header, rows = tabulate(items, columns)
    lines = [
        "| " + " | ".join(escape_markdown(h) for h in header) + " |",
        "|" + " --- |" * len(header),
    ]
    lines.extend("| " + " | ".join(escape_markdown(c) for c in row) + " |" for row in rows)
    return "\n".join(lines)


def _md_header(title: str, notes: Sequence[str]) -> list[str]:
    lines = [f"# {escape_markdown(title)}", ""]
    if notes:
        lines.extend(f"- {escape_markdown(note)}" for note in notes)
        lines.append("")
    return lines


def _md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """Return a table whose cells are Markdown already."""
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def _md_steps(steps: Sequence[Step]) -> list[str]:
    if not steps:
        return ["No steps."]
    return [
        f"{s.order}. {escape_markdown(s.text)} *({escape_markdown(step_note(s))})*" for s in steps
    ]


def _md_findings(findings: Sequence[Finding]) -> list[str]:
    if not findings:
        return ["No findings."]
    return _md_table(
        ["Severity", "Rule", "Finding", "Remedy", "Source section"],
        (
            [
                f"**{f.severity.value}**" if f.severity is Severity.ERROR else f.severity.value,
                f"`{f.rule.id}` {escape_markdown(f.rule.title)}",
                escape_markdown(f.message),
                escape_markdown(f.rule.remedy),
                escape_markdown(citation(f.rule.source)),
            ]
            for f in findings
        ),
    )


def _md_rules(rules: Sequence[Rule]) -> list[str]:
    if not rules:
        return ["No rules."]
    return _md_table(
        ["Rule", "Severity", "Title", "Fires when", "Remedy", "Source section"],
        (
            [
                f"`{rule.id}`",
                rule.severity.value,
                escape_markdown(rule.title),
                escape_markdown(rule.description),
                escape_markdown(rule.remedy),
                escape_markdown(citation(rule.source)),
            ]
            for rule in rules
        ),
    )


def _plan_markdown(plan: Plan, title: str, notes: Sequence[str]) -> str:
    modes = mode_summary(plan)
    lines = _md_header(
        title,
        [
            vm_summary_text(modes),
            f"Findings: {counts_text(severity_counts(plan.findings))}",
            *notes,
        ],
    )
    lines += ["## Virtual machines", ""]
    if plan.decisions:
        rows = []
        for row, decision in zip(decision_rows(plan), plan.decisions.values(), strict=True):
            rows.append(
                [
                    escape_markdown(decision.vm),
                    escape_markdown(str(row["host"] or "")),
                    f"**{backed_up_as(plan, decision)}**"
                    if decision.mode is BackupMode.OFFLINE
                    else backed_up_as(plan, decision),
                    "**yes**" if decision.causes_downtime else "no",
                    decision.state_during_backup.value,
                    decision.state_after.value,
                    "<br>".join(escape_markdown(x) for x in why_lines(decision)),
                ]
            )
        lines += _md_table(
            ["VM", "Host", "Mode", "Downtime", "During backup", "After", "Why"], rows
        )
    else:
        lines.append("No virtual machines.")
    lines += ["", "## Steps", "", *_md_steps(plan.steps)]
    lines += ["", "## Findings", "", *_md_findings(plan.findings)]
    return "\n".join(lines) + "\n"


def findings(
    items: Sequence[Finding], counts: Mapping[str, int], title: str, notes: Sequence[str]
) -> str:
    """Render sorted findings as one table, with remedies and sources."""
    lines = _md_header(title, [f"Findings: {counts_text(counts)}", *notes])
    return "\n".join([*lines, *_md_findings(items)]) + "\n"


def plan(item: Plan, title: str, notes: Sequence[str]) -> str:
    """Render a plan: the summary, the per-VM table, the steps and the findings."""
    return _plan_markdown(item, title, notes)


def steps(items: Sequence[Step], cited: Sequence[Rule], title: str, notes: Sequence[str]) -> str:
    """Render numbered steps, then the rules they cite."""
    lines = [*_md_header(title, notes), *_md_steps(items)]
    if cited:
        lines += ["", "## Rules cited", "", *_md_rules(cited)]
    return "\n".join(lines) + "\n"


def rules(items: Sequence[Rule], title: str, notes: Sequence[str]) -> str:
    """Render rules as one table."""
    return "\n".join([*_md_header(title, notes), *_md_rules(items)]) + "\n"


def diagnosis(item: Diagnosis, title: str, notes: Sequence[str]) -> str:
    """Render a diagnosis: a table per VM in time order, then the rules it cites."""
    header = [f"Findings: {diagnosis_counts_text(item)}", diagnosis_read_note(item), *notes]
    lines = _md_header(title, header)
    groups = diagnosis_groups(item)
    if not groups:
        lines.extend(["Nothing in the logs points to a failed or degraded backup.", ""])
    for heading, found in groups:
        lines.extend([f"## {escape_markdown(heading)}", ""])
        lines.extend(
            _md_table(
                ["Time", "Where", "Severity", "Rule", "What the log says", "Explained by"],
                (
                    [
                        time_text(entry.time),
                        escape_markdown(place_text(entry)),
                        f"**{entry.severity.value}**"
                        if entry.severity is Severity.ERROR
                        else entry.severity.value,
                        f"`{entry.rule.id}` {escape_markdown(entry.rule.title)}",
                        escape_markdown(entry.message),
                        "<br>".join(escape_markdown(line) for line in explained_text(entry)),
                    ]
                    for entry in found
                ),
            )
        )
        lines.append("")
    cited = diagnosis_rules(item)
    if cited:
        lines.extend(["## What to do", "", *_md_rules(cited), ""])
    return "\n".join(lines).rstrip("\n") + "\n"


def fleet(
    tables: tuple[Sequence[Mapping[str, str]], Sequence[Mapping[str, str]], str],
    details: Sequence[tuple[str, str]],
    title: str,
    notes: Sequence[str],
) -> str:
    """Render a fleet: the summary tables, then each input's report one heading level down."""
    rows, outcomes, heading = tables
    lines = [*_md_header(title, notes), markdown_table(rows)]
    if len(outcomes[0]) > 1:
        lines += ["", escape_markdown(heading), "", markdown_table(outcomes)]
    for source, detail in details:
        lines += ["", f"## Input: {escape_markdown(source)}", ""]
        lines += [
            f"#{line}" if line.startswith("#") else line
            for line in detail.rstrip("\n").splitlines()
        ]
    return "\n".join(lines) + "\n"
