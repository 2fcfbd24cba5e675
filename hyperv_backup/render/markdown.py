"""Markdown, for reports and notebooks; every inventory string is escaped."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.decide.steps import Step
from hyperv_backup.model import BackupMode
from hyperv_backup.render._common import (
    backed_up_as,
    cited_rules,
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
from hyperv_backup.render._protection import protection_counts_text, protection_rows
from hyperv_backup.render.reports import (
    InventoryReport,
    Share,
    fleet_tables,
    protection_fleet_rows,
    shared,
)
from hyperv_backup.render.safe import escape_markdown
from hyperv_backup.rules import Finding, Rule, Severity, Source
from hyperv_backup.rules.pages import citation

if TYPE_CHECKING:
    from hyperv_backup.decide.plan import Plan
    from hyperv_backup.decide.protection import ProtectionSummary
    from hyperv_backup.diagnose.diagnosis import Diagnosis
    from hyperv_backup.render._formats import Frame

__all__ = ["RENDERER", "MarkdownRenderer", "markdown_table"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


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


#: What stays as it is in a link's address: everything a URL may hold but the
#: characters that would end a Markdown link or table cell (spaces, ``<``, ``>``,
#: ``|``), which are percent-encoded. Parentheses stay: the pages' addresses
#: hold them in pairs (``dd252619(v=ws.10)``), which CommonMark reads as part
#: of the address.
_URL_SAFE = "!#$%&'()*+,/:;=?@[]~"


def _md_source(source: Source) -> str:
    """Return a rule's source as a link to its page, its text the one-line citation."""
    from urllib.parse import quote  # noqa: PLC0415 - only Markdown links need it

    return f"[{escape_markdown(citation(source))}]({quote(source.page.url, safe=_URL_SAFE)})"


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
                _md_source(f.rule.source),
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
                _md_source(rule.source),
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


def _diagnosis_markdown(item: Diagnosis, title: str, notes: Sequence[str]) -> str:
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


def _md_protection(summary: ProtectionSummary | None) -> list[str]:
    """Return the protection section; nothing without a catalogue."""
    if summary is None:
        return []
    rows = protection_rows(summary)
    table = markdown_table(rows) if rows else "No virtual machines."
    return ["", "## Protection", "", escape_markdown(protection_counts_text(summary)), "", table]


@attrs.frozen
class MarkdownRenderer:
    """Markdown: every kind of result (``Part``: the Markdown under an input's heading)."""

    def findings(self, findings: Sequence[Finding], frame: Frame) -> str:
        """Render sorted findings as one table, with remedies and sources."""
        counts = severity_counts(findings)
        lines = _md_header(frame.title, [f"Findings: {counts_text(counts)}", *frame.notes])
        return "\n".join([*lines, *_md_findings(findings), *_md_protection(frame.protection)]) + "\n"

    def plan(self, plan: Plan, frame: Frame) -> str:
        """Render a plan: the summary, the per-VM table, the steps and the findings."""
        text = _plan_markdown(plan, frame.title, frame.notes)
        protection = _md_protection(plan.protection)
        return text + "\n".join(protection) + "\n" if protection else text

    def steps(self, steps: Sequence[Step], frame: Frame) -> str:
        """Render numbered steps, then the rules they cite."""
        lines = [*_md_header(frame.title, frame.notes), *_md_steps(steps)]
        cited = cited_rules(steps)
        if cited:
            lines += ["", "## Rules cited", "", *_md_rules(cited)]
        return "\n".join(lines) + "\n"

    def rules(self, rules: Sequence[Rule], frame: Frame) -> str:
        """Render rules as one table."""
        return "\n".join([*_md_header(frame.title, frame.notes), *_md_rules(rules)]) + "\n"

    def diagnosis(self, diagnosis: Diagnosis, frame: Frame) -> str:
        """Render a diagnosis: a table per VM in time order, then the rules it cites."""
        return _diagnosis_markdown(diagnosis, frame.title, frame.notes)

    def part(self, report: InventoryReport, index: int, frame: Frame) -> str:
        """Return the Markdown under an input's heading: its own report, or why it could not be read."""
        if report.read:
            return report.detail
        return "\n".join(f"- {escape_markdown(p)}" for p in report.problems)

    def fleet(self, reports: Sequence[InventoryReport | Share[str]], frame: Frame) -> str:
        """Render a fleet: the summary tables, then each input's report one heading level down."""
        shares = shared(reports, functools.partial(self.part, frame=frame), str, "Markdown")
        rows, outcomes, heading = fleet_tables([s.report for s in shares])
        lines = [*_md_header(frame.title, frame.notes), markdown_table(rows)]
        if len(outcomes[0]) > 1:
            lines += ["", escape_markdown(heading), "", markdown_table(outcomes)]
        protection = protection_fleet_rows([s.report for s in shares])
        if protection:
            lines += ["", "VMs by protection", "", markdown_table(protection)]
        for share in shares:
            lines += ["", f"## Input: {escape_markdown(share.report.source)}", ""]
            lines += [
                f"#{line}" if line.startswith("#") else line
                for line in share.part.rstrip("\n").splitlines()
            ]
        return "\n".join(lines) + "\n"


#: The Markdown renderer.
RENDERER = MarkdownRenderer()
