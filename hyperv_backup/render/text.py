"""Plain text for a terminal: wrapped to its width, with ANSI colours when asked."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.decide.mode import BackupModeDecision
from hyperv_backup.decide.steps import Step
from hyperv_backup.model import duration_text
from hyperv_backup.render._common import (
    backed_up_as,
    cited_rules,
    counts_text,
    diagnosis_counts_text,
    diagnosis_groups,
    diagnosis_read_note,
    diagnosis_rules,
    explained_text,
    mode_summary,
    place_text,
    plan_hosts,
    severity_counts,
    step_note,
    time_text,
    vm_summary_text,
    why_lines,
)
from hyperv_backup.render._protection import STATE_WORDS, protection_counts_text
from hyperv_backup.render.reports import (
    OUTCOME_HEADINGS,
    InventoryReport,
    Share,
    fleet_tables,
    protection_fleet_rows,
    shared,
)
from hyperv_backup.render.safe import clean_text
from hyperv_backup.rules import Finding, Rule, Severity
from hyperv_backup.rules.pages import citation

if TYPE_CHECKING:
    from hyperv_backup.decide.plan import Plan
    from hyperv_backup.decide.protection import ProtectionSummary
    from hyperv_backup.diagnose.diagnosis import Diagnosis
    from hyperv_backup.render._formats import Frame

__all__ = ["RENDERER", "TextRenderer"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

_RESET = "\x1b[0m"
#: ANSI SGR codes of the styles used in text output.
_SGR = {
    "heading": "1",
    "error": "1;31",
    "warning": "33",
    "info": "36",
    "online": "32",
    "offline": "33",
    "downtime": "31",
    "dim": "2",
}

#: A text table cell: its lines and an optional style.
_Cell = tuple[list[str], str | None]


@attrs.frozen
class _Text:
    color: bool
    width: int

    def paint(self, text: str, style: str | None) -> str:
        if not self.color or style is None or not text:
            return text
        return f"\x1b[{_SGR[style]}m{text}{_RESET}"

    def wrap(self, text: str, first: str = "", rest: str = "") -> list[str]:
        import textwrap  # noqa: PLC0415 - only text output needs it

        lines = textwrap.wrap(
            clean_text(text),
            width=max(self.width, len(rest) + 20),
            initial_indent=first,
            subsequent_indent=rest,
            break_long_words=True,
            break_on_hyphens=False,
        )
        return lines or [first.rstrip()]

    def heading(self, text: str, underline: str) -> list[str]:
        title = clean_text(text)
        return [self.paint(title, "heading"), underline * min(len(title), self.width)]

    def table(self, header: Sequence[str], rows: Sequence[Sequence[_Cell]]) -> list[str]:
        gap = 2
        natural = [len(h) for h in header]
        for row in rows:
            for i, (lines, _) in enumerate(row):
                natural[i] = max([natural[i], *(len(line) for line in lines)])
        widths = list(natural)
        floor = [max(len(h), min(n, 10)) for h, n in zip(header, natural, strict=True)]
        while sum(widths) + gap * (len(widths) - 1) > self.width:
            shrinkable = [i for i, w in enumerate(widths) if w > floor[i]]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda i: widths[i])
            widths[widest] -= 1
        out = [
            self._join([(h.ljust(w), "heading") for h, w in zip(header, widths, strict=True)]),
            self._join([("-" * w, None) for w in widths]),
        ]
        for row in rows:
            cells = [
                [part for line in lines for part in _wrap_cell(line, widths[i])]
                for i, (lines, _) in enumerate(row)
            ]
            height = max(len(c) for c in cells)
            for n in range(height):
                out.append(
                    self._join(
                        [
                            ((cell[n] if n < len(cell) else "").ljust(widths[i]), row[i][1])
                            for i, cell in enumerate(cells)
                        ]
                    )
                )
        return out

    def _join(self, parts: Sequence[tuple[str, str | None]]) -> str:
        painted = []
        for text, style in parts:
            stripped = text.rstrip()
            painted.append(self.paint(stripped, style) + text[len(stripped) :])
        return "  ".join(painted).rstrip()


def _wrap_cell(line: str, width: int) -> list[str]:
    import textwrap  # noqa: PLC0415 - only text output needs it

    return textwrap.wrap(line, width=width, break_long_words=True, break_on_hyphens=False) or [""]


def _text_steps(steps: Sequence[Step], out: _Text) -> list[str]:
    if not steps:
        return ["No steps."]
    digits = len(str(len(steps)))
    indent = " " * (digits + 2)
    lines: list[str] = []
    for step in steps:
        lines.extend(out.wrap(step.text, f"{step.order:>{digits}}. ", indent))
        lines.extend(out.paint(line, "dim") for line in out.wrap(step_note(step), indent, indent))
    return lines


def _text_findings(findings: Sequence[Finding], out: _Text) -> list[str]:
    """Group findings by severity and rule, each group with its remedy and source."""
    if not findings:
        return ["No findings."]
    groups: dict[tuple[Severity, str], list[Finding]] = {}
    for item in findings:
        groups.setdefault((item.severity, item.rule.id), []).append(item)
    lines: list[str] = []
    for (severity, _), items in groups.items():
        rule = items[0].rule
        label = severity.value.ljust(7)
        head = out.wrap(f"{label} {rule.id}  {rule.title}", "", " " * 16)
        head[0] = out.paint(label.rstrip(), severity.value) + head[0][len(label.rstrip()) :]
        lines.extend(head)
        for item in items:
            lines.extend(out.wrap(item.message, "  - ", "    "))
        lines.extend(out.wrap(f"Remedy: {rule.remedy}", "  ", "    "))
        lines.extend(
            out.paint(x, "dim") for x in out.wrap(f"Source: {citation(rule.source)}", "  ", "    ")
        )
        lines.append("")
    return lines[:-1]


def _finding_cells(item: Finding) -> list[_Cell]:
    return [
        ([item.severity.value], item.severity.value),
        ([item.rule.id], None),
        ([clean_text(item.message)], None),
    ]


def _text_header(title: str, notes: Sequence[str], out: _Text) -> list[str]:
    lines = out.heading(title, "=")
    for note in notes:
        lines.extend(out.wrap(note))
    return [*lines, ""]


def _text_section(title: str, body: list[str], out: _Text) -> list[str]:
    return ["", *out.heading(title, "-"), *body]


def _plan_text(plan: Plan, title: str, notes: Sequence[str], out: _Text) -> str:
    modes = mode_summary(plan)
    lines = _text_header(
        title,
        [
            vm_summary_text(modes),
            f"Findings: {counts_text(severity_counts(plan.findings))}",
            *notes,
        ],
        out,
    )
    lines.pop()
    rows: list[list[_Cell]] = []
    hosts = plan_hosts(plan)
    for name, decision in plan.decisions.items():
        host = hosts.get(name)
        rows.append(
            [
                ([clean_text(name)], None),
                ([clean_text(host or "")], None),
                ([backed_up_as(plan, decision)], decision.mode.value),
                (["yes" if decision.causes_downtime else "no"], _downtime_style(decision)),
                (why_lines(decision), None),
            ]
        )
    table = (
        out.table(["VM", "Host", "Mode", "Downtime", "Why"], rows)
        if rows
        else ["No virtual machines."]
    )
    lines.extend(_text_section("Virtual machines", table, out))
    lines.extend(_text_section("Steps", _text_steps(plan.steps, out), out))
    findings = (
        out.table(["Severity", "Rule", "Finding"], [_finding_cells(f) for f in plan.findings])
        if plan.findings
        else ["No findings."]
    )
    lines.extend(_text_section("Findings", findings, out))
    return "\n".join(lines) + "\n"


def _downtime_style(decision: BackupModeDecision) -> str | None:
    return "downtime" if decision.causes_downtime else None


def _text_rules_table(rules: Sequence[Rule], out: _Text) -> list[str]:
    return out.table(
        ["Rule", "Severity", "Title"],
        [
            [([r.id], None), ([r.severity.value], r.severity.value), ([r.title], None)]
            for r in rules
        ],
    )


def _text_rules(rules: Sequence[Rule], out: _Text) -> list[str]:
    lines: list[str] = []
    for rule in rules:
        label = rule.severity.value.ljust(7)
        head = out.wrap(f"{rule.id}  {label} {rule.title}", "", " " * 8)
        start = len(rule.id) + 2
        head[0] = (
            head[0][:start]
            + out.paint(label.rstrip(), rule.severity.value)
            + head[0][start + len(label.rstrip()) :]
        )
        lines.extend(head)
        lines.extend(out.wrap(rule.description, " " * 8, " " * 8))
        lines.extend(out.wrap(f"Remedy: {rule.remedy}", " " * 8, " " * 10))
        lines.extend(
            out.paint(x, "dim")
            for x in out.wrap(f"Source: {citation(rule.source)}", " " * 8, " " * 10)
        )
        lines.append("")
    return lines[:-1] if lines else ["No rules."]


def _diagnosis_text(item: Diagnosis, title: str, notes: Sequence[str], out: _Text) -> str:
    header = [f"Findings: {diagnosis_counts_text(item)}", diagnosis_read_note(item), *notes]
    lines = _text_header(title, header, out)
    groups = diagnosis_groups(item)
    if not groups:
        lines.append("Nothing in the logs points to a failed or degraded backup.")
    for heading, found in groups:
        lines.extend([*out.heading(clean_text(heading), "-")])
        for entry in found:
            label = entry.severity.value.ljust(7)
            head = out.wrap(
                f"{time_text(entry.time)}  {label} {entry.rule.id}  {entry.rule.title}",
                "",
                " " * 4,
            )
            lines.extend(head)
            lines.extend(out.wrap(clean_text(entry.message), "    ", "      "))
            lines.extend(out.wrap(clean_text(f"Logged on: {place_text(entry)}"), "    ", "      "))
            for line in explained_text(entry):
                lines.extend(out.wrap(clean_text(line), "    ", "      "))
        lines.append("")
    cited = diagnosis_rules(item)
    if cited:
        lines.extend(out.heading("What to do", "-"))
        for rule in cited:
            lines.extend(out.wrap(f"{rule.id}  {rule.title}", "", "        "))
            lines.extend(out.wrap(f"Cause: {rule.description}", "  ", "    "))
            lines.extend(out.wrap(f"Remedy: {rule.remedy}", "  ", "    "))
            lines.extend(
                out.paint(x, "dim")
                for x in out.wrap(f"Source: {citation(rule.source)}", "  ", "    ")
            )
        lines.append("")
    return "\n".join(lines[:-1] if lines[-1] == "" else lines) + "\n"


#: The columns of the protection table in text, narrower than the other formats': what
#: tonight's backup will be and what the last good point holds, by the fleet's short words.
_PROTECTION_COLUMNS = ["VM", "Tonight", "Last good (UTC)", "Age", "Holds", "Protection"]


def _text_protection(summary: ProtectionSummary | None, out: _Text) -> list[str]:
    """Return the protection section: the counts by state, then a row per VM; nothing without a catalogue."""
    if summary is None:
        return []
    rows: list[list[_Cell]] = []
    for status in summary.statuses:
        point = status.last_good
        holds = "-" if point is None else "?"
        if point is not None and point.consistency is not None:
            holds = OUTCOME_HEADINGS[point.consistency]
        when = "none" if point is None else f"{point.taken_at:%Y-%m-%d %H:%M} {point.level.value}"
        state = STATE_WORDS[status.state] + (" (excepted)" if status.excepted else "")
        rows.append(
            [
                ([clean_text(status.vm)], None),
                ([OUTCOME_HEADINGS[status.predicted]], None),
                ([when], None),
                (["-" if status.age is None else duration_text(status.age)], None),
                ([holds], None),
                ([state], "error" if status.unprotected else None),
            ]
        )
    table = out.table(_PROTECTION_COLUMNS, rows) if rows else ["No virtual machines."]
    legend = ", ".join(f"{OUTCOME_HEADINGS[c]}: {c.label}" for c in OUTCOME_HEADINGS)
    return _text_section(
        "Protection",
        [
            *out.wrap(protection_counts_text(summary)),
            "",
            *table,
            "",
            *out.wrap(f"({legend}; ?: not recorded)"),
        ],
        out,
    )


@attrs.frozen
class TextRenderer:
    """Plain text: every kind of result, for a terminal (``Part``: the text under an input's heading)."""

    def findings(self, findings: Sequence[Finding], frame: Frame) -> str:
        """Render sorted findings, grouped by rule, each group with its remedy and source."""
        out = _Text(frame.color, frame.width)
        counts = severity_counts(findings)
        lines = _text_header(frame.title, [f"Findings: {counts_text(counts)}", *frame.notes], out)
        protection = _text_protection(frame.protection, out)
        return "\n".join([*lines, *_text_findings(findings, out), *protection]) + "\n"

    def plan(self, plan: Plan, frame: Frame) -> str:
        """Render a plan: the summary, the per-VM table, the steps and the findings."""
        out = _Text(frame.color, frame.width)
        text = _plan_text(plan, frame.title, frame.notes, out)
        protection = _text_protection(plan.protection, out)
        return text + "\n".join(protection) + "\n" if protection else text

    def steps(self, steps: Sequence[Step], frame: Frame) -> str:
        """Render numbered steps, then the rules they cite."""
        out = _Text(frame.color, frame.width)
        lines = [*_text_header(frame.title, frame.notes, out), *_text_steps(steps, out)]
        cited = cited_rules(steps)
        if cited:
            lines += _text_section("Rules cited", _text_rules_table(cited, out), out)
        return "\n".join(lines) + "\n"

    def rules(self, rules: Sequence[Rule], frame: Frame) -> str:
        """Render rules with their severity, title, description, remedy and source."""
        out = _Text(frame.color, frame.width)
        lines = [*_text_header(frame.title, frame.notes, out), *_text_rules(rules, out)]
        return "\n".join(lines) + "\n"

    def diagnosis(self, diagnosis: Diagnosis, frame: Frame) -> str:
        """Render a diagnosis: per VM, what happened in time order; then the rules with their remedies."""
        return _diagnosis_text(diagnosis, frame.title, frame.notes, _Text(frame.color, frame.width))

    def part(self, report: InventoryReport, index: int, frame: Frame) -> str:
        """Return the text under an input's heading: its own report, or why it could not be read."""
        if report.read:
            return report.detail
        return "\n".join(clean_text(p) for p in report.problems)

    def fleet(self, reports: Sequence[InventoryReport | Share[str]], frame: Frame) -> str:
        """Render a fleet: the summary of each input, its VMs by outcome, then each input's report."""
        shares = shared(reports, functools.partial(self.part, frame=frame), str, "text")
        out = _Text(frame.color, frame.width)
        rows, outcomes, heading = fleet_tables([s.report for s in shares])
        styles = {"failed": "error", "invalid": "error", "unreadable": "error"}

        def cells(items: Sequence[Mapping[str, str]]) -> list[list[_Cell]]:
            return [
                [
                    ([clean_text(v)], styles.get(v) if k == "status" else None)
                    for k, v in row.items()
                ]
                for row in items
            ]

        lines = [
            *_text_header(frame.title, frame.notes, out),
            *out.table(list(rows[0]), cells(rows)),
        ]
        if len(outcomes[0]) > 1:
            lines += ["", *out.wrap(heading), "", *out.table(list(outcomes[0]), cells(outcomes))]
        protection = protection_fleet_rows([s.report for s in shares])
        if protection:
            lines += ["", "VMs by protection", "", *out.table(list(protection[0]), cells(protection))]
        for share in shares:
            lines += [
                "",
                *out.heading(f"Input: {share.report.source}", "#"),
                "",
                share.part.rstrip("\n"),
            ]
        return "\n".join(lines) + "\n"


#: The text renderer.
RENDERER = TextRenderer()
