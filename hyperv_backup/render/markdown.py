"""Markdown, for reports and notebooks; every inventory string is escaped."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.decide.results import Consistency
from hyperv_backup.decide.steps import Step
from hyperv_backup.render._common import (
    Hoisted,
    cited_rules,
    counts_text,
    diagnosis_counts_text,
    diagnosis_groups,
    diagnosis_read_note,
    diagnosis_rules,
    explained_text,
    fleet_frame,
    hoisted_reasons,
    outcome_counts,
    place_text,
    plan_profiles,
    report_line,
    risk_text,
    severity_counts,
    step_note,
    tabulate,
    time_text,
    vm_lines,
)
from hyperv_backup.render._palette import WORST_FIRST, at_risk, look
from hyperv_backup.render._protection import protection_counts_text, protection_rows
from hyperv_backup.render.links import rule_url, source_text, source_url
from hyperv_backup.render.reports import (
    InventoryReport,
    Share,
    fleet_tables,
    fleet_totals,
    protection_fleet_rows,
    shared,
)
from hyperv_backup.render.safe import escape_markdown
from hyperv_backup.rules import Finding, Rule, Severity, Source

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
        "|" + _LEFT * len(header),
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
    """Return a rule's source as a link to its page's public address, its text the heading and the page."""
    from urllib.parse import quote  # noqa: PLC0415 - only Markdown links need it

    return f"[{escape_markdown(source_text(source))}]({quote(source_url(source), safe=_URL_SAFE)})"


def _md_header(title: str, notes: Sequence[str]) -> list[str]:
    return [f"# {escape_markdown(title)}", "", *_md_header_notes(notes)]


def _md_header_notes(notes: Sequence[str]) -> list[str]:
    if not notes:
        return []
    return [*(f"- {escape_markdown(note)}" for note in notes), ""]


#: The line under a table's header, for each of its columns.
_LEFT = " --- |"


def _md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """Return a table whose cells are Markdown already."""
    lines = ["| " + " | ".join(header) + " |", "|" + _LEFT * len(header)]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def _md_steps(steps: Sequence[Step]) -> list[str]:
    if not steps:
        return ["No steps."]
    return [
        f"{s.order}. {escape_markdown(s.text)} *({escape_markdown(step_note(s))})*" for s in steps
    ]


def _md_subject(item: Finding) -> str:
    if item.vm is not None and item.subject != item.vm:
        return f"{escape_markdown(item.subject)} (VM {escape_markdown(item.vm)})"
    return escape_markdown(item.subject)


def _md_findings(findings: Sequence[Finding], hoisted: Sequence[Hoisted] = ()) -> list[str]:
    if not findings:
        return ["No findings."]
    said = {(h.rule.id, vm) for h in hoisted for vm in h.vms}
    rows = [
        [
            f"**{f.severity.value}**" if f.severity is Severity.ERROR else f.severity.value,
            f"{_md_rule(f.rule)} {escape_markdown(f.rule.title)}",
            _md_subject(f),
            escape_markdown(f.message),
            escape_markdown(f.rule.remedy),
            _md_source(f.rule.source),
        ]
        for f in findings
        if not (f.severity is Severity.INFO and (f.rule.id, f.vm) in said)
    ]
    rows.extend(
        [
            "info",
            f"{_md_rule(h.rule)} {escape_markdown(h.rule.title)}",
            escape_markdown(h.where),
            escape_markdown(f"Said once: {h.rule.description}"),
            escape_markdown(h.rule.remedy),
            _md_source(h.rule.source),
        ]
        for h in hoisted
    )
    return _md_table(["Severity", "Rule", "Subject", "Finding", "Remedy", "Source section"], rows)


def _md_rules(rules: Sequence[Rule]) -> list[str]:
    if not rules:
        return ["No rules."]
    return _md_table(
        ["Rule", "Severity", "Title", "Fires when", "Remedy", "Source section"],
        (
            [
                _md_rule(rule),
                rule.severity.value,
                escape_markdown(rule.title),
                escape_markdown(rule.description),
                escape_markdown(rule.remedy),
                _md_source(rule.source),
            ]
            for rule in rules
        ),
    )


def _badge(consistency: Consistency) -> str:
    """Return an outcome as a badge: its tone's mark, then its words in bold when at risk."""
    shown = look(consistency)
    words = f"**{shown.label}**" if at_risk(consistency) else shown.label
    return f"{shown.badge} {words}"


def _md_lead(counts: Mapping[Consistency, int], findings: str) -> list[str]:
    """Return what opens a report: the backups by outcome, worst first, then what is at risk."""
    badges = " · ".join(f"{_badge(c)} {n}" for c, n in counts.items()) or "no VMs"
    return [f"**Backups:** {badges}", "", f"{risk_text(counts)}; findings: {findings}", ""]


def _md_rule(rule: Rule) -> str:
    """Return a rule's ID as a link to its entry in the reference pages."""
    from urllib.parse import quote  # noqa: PLC0415 - only Markdown links need it

    return f"[`{rule.id}`]({quote(rule_url(rule.id), safe=_URL_SAFE)})"


def _plan_markdown(plan: Plan, frame: Frame) -> str:
    hoisted = hoisted_reasons(plan)
    vms = vm_lines(plan, hoisted)
    counts = outcome_counts(line.consistency for line in vms)
    lines = [f"# {escape_markdown(frame.title)}", ""]
    lines += _md_lead(counts, counts_text(severity_counts(plan.findings)))
    lines += _md_header_notes([*frame.notes, *report_line(frame, plan_profiles(plan))])
    lines += ["## Virtual machines, worst first", ""]
    lines += [
        f"For {escape_markdown(h.where)}: {_md_rule(h.rule)} {escape_markdown(h.rule.title)}"
        for h in hoisted
    ]
    if hoisted:
        lines.append("")
    if vms:
        rows = [
            [
                escape_markdown(line.vm),
                escape_markdown(line.host),
                _badge(line.consistency),
                "<br>".join(
                    f"{_md_rule(r.rule)} {escape_markdown(r.rule.title)}"
                    + ("" if r.subject == line.vm else f" ({escape_markdown(r.subject)})")
                    for r in line.reasons
                )
                or "-",
            ]
            for line in vms
        ]
        lines += _md_table(["VM", "Host", "Backup", "Why"], rows)
    else:
        lines.append("No virtual machines.")
    lines += ["", "## Findings", "", *_md_findings(plan.findings, hoisted)]
    lines += ["", "## Steps", "", *_md_steps(plan.steps), *_md_protection(plan.protection)]
    return "\n".join(lines) + "\n"


def _diagnosis_markdown(item: Diagnosis, frame: Frame) -> str:
    header = [
        f"Findings: {diagnosis_counts_text(item)}",
        diagnosis_read_note(item),
        *frame.notes,
        *report_line(frame),
    ]
    lines = _md_header(frame.title, header)
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
                        f"{_md_rule(entry.rule)} {escape_markdown(entry.rule.title)}",
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


#: Each outcome, by the words the reports show it in.
_BY_LABEL = {look(c).label: c for c in WORST_FIRST}


def _with_badge(row: Mapping[str, str]) -> dict[str, str]:
    """Return a row of the summary of many inputs, its worst outcome marked in its tone."""
    found = _BY_LABEL.get(row.get("worst outcome", ""))
    if found is None:
        return dict(row)
    return {**row, "worst outcome": f"{look(found).badge} {row['worst outcome']}"}


@attrs.frozen
class MarkdownRenderer:
    """Markdown: every kind of result (``Part``: the Markdown under an input's heading)."""

    def findings(self, findings: Sequence[Finding], frame: Frame) -> str:
        """Render sorted findings as one table, with remedies and sources."""
        counts = severity_counts(findings)
        notes = [f"Findings: {counts_text(counts)}", *frame.notes, *report_line(frame)]
        lines = _md_header(frame.title, notes)
        return (
            "\n".join([*lines, *_md_findings(findings), *_md_protection(frame.protection)]) + "\n"
        )

    def plan(self, plan: Plan, frame: Frame) -> str:
        """Render a plan: the summary, the per-VM table, the steps and the findings."""
        return _plan_markdown(plan, frame)

    def steps(self, steps: Sequence[Step], frame: Frame) -> str:
        """Render numbered steps, then the rules they cite."""
        lines = [*_md_header(frame.title, [*frame.notes, *report_line(frame)]), *_md_steps(steps)]
        cited = cited_rules(steps)
        if cited:
            lines += ["", "## Rules cited", "", *_md_rules(cited)]
        return "\n".join(lines) + "\n"

    def rules(self, rules: Sequence[Rule], frame: Frame) -> str:
        """Render rules as one table."""
        header = _md_header(frame.title, [*frame.notes, *report_line(frame)])
        return "\n".join([*header, *_md_rules(rules)]) + "\n"

    def diagnosis(self, diagnosis: Diagnosis, frame: Frame) -> str:
        """Render a diagnosis: a table per VM in time order, then the rules it cites."""
        return _diagnosis_markdown(diagnosis, frame)

    def part(self, report: InventoryReport, index: int, frame: Frame) -> str:
        """Return the Markdown under an input's heading: its own report, or why it could not be read."""
        if report.read:
            return report.detail
        return "\n".join(f"- {escape_markdown(p)}" for p in report.problems)

    def fleet(self, reports: Sequence[InventoryReport | Share[str]], frame: Frame) -> str:
        """Render a fleet: the backups by outcome, the summary tables, then each input's report two heading levels down."""
        shares = shared(reports, functools.partial(self.part, frame=frame), str, "Markdown")
        summaries = [s.report for s in shares]
        frame = fleet_frame(frame, summaries)
        rows, outcomes, heading = fleet_tables(summaries, gated=frame.fails_at is not None)
        totals = fleet_totals(summaries)
        by_name = totals["consistency"]
        counts = {c: by_name[c.value] for c in WORST_FIRST if by_name.get(c.value)}
        lines = [f"# {escape_markdown(frame.title)}", ""]
        lines += _md_lead(counts, counts_text(totals["findings"]))
        lines += _md_header_notes([*frame.notes, *report_line(frame)])
        lines.append(markdown_table([_with_badge(row) for row in rows]))
        if len(outcomes[0]) > 1:
            lines += ["", escape_markdown(heading), "", markdown_table(outcomes)]
        protection = protection_fleet_rows([s.report for s in shares])
        if protection:
            lines += ["", "VMs by protection", "", markdown_table(protection)]
        for share in shares:
            lines += ["", f"## Input: {escape_markdown(share.report.source)}", ""]
            lines += [
                f"##{line}" if line.startswith("#") else line
                for line in share.part.rstrip("\n").splitlines()
            ]
        return "\n".join(lines) + "\n"


#: The Markdown renderer.
RENDERER = MarkdownRenderer()
