"""HTML fragments (a ``<div class="hvb">``) and whole pages; every inventory string is escaped."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.decide.results import Consistency
from hyperv_backup.decide.steps import Step
from hyperv_backup.render._common import (
    Hoisted,
    VmLine,
    cited_rules,
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
from hyperv_backup.render._palette import TONES, WORST_FIRST, look
from hyperv_backup.render._protection import protection_counts_text, protection_rows
from hyperv_backup.render.links import rule_url, source_text, source_url
from hyperv_backup.render.reports import (
    OUTCOME_HEADINGS,
    InventoryReport,
    Share,
    fleet_tables,
    fleet_totals,
    protection_fleet_rows,
    shared,
)
from hyperv_backup.render.safe import escape_html
from hyperv_backup.rules import Finding, Rule, Severity, Source

if TYPE_CHECKING:
    from hyperv_backup.decide.plan import Plan
    from hyperv_backup.decide.protection import ProtectionSummary
    from hyperv_backup.diagnose.diagnosis import Diagnosis
    from hyperv_backup.render._formats import Frame

__all__ = ["RENDERER", "STYLE_SHEET", "HtmlRenderer", "html_page", "html_table"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


def _palette_css() -> str:
    """Return the classes of the outcome palette: one per outcome, its tone's colours."""
    return "".join(
        f".hvb .{look(c).css}{{background:{TONES[look(c).tone][2][1]};"
        f"color:{TONES[look(c).tone][2][0]};font-weight:600}}\n"
        for c in WORST_FIRST
    )


#: The style of the fragments, every rule scoped to ``.hvb`` so that a notebook
#: can put it beside a fragment without restyling anything else. Table cells
#: are aligned with a selector more specific than a notebook's own, which
#: aligns them right.
STYLE_SHEET = """\
.hvb{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;\
line-height:1.45}
.hvb h1{font-size:1.6rem;margin-bottom:.5rem}
.hvb h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
.hvb h3{font-size:1.35rem;margin-bottom:.5rem}
.hvb h4{font-size:1.1rem;margin-top:1.5rem}
.hvb table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}
div.hvb table th,div.hvb table td{border:1px solid #d0d7de;padding:.3rem .55rem;text-align:left;\
vertical-align:top}
.hvb th{background:#f6f8fa}
.hvb td{overflow-wrap:break-word}
.hvb td.name,.hvb span.name{white-space:nowrap}
.hvb span.path{overflow-wrap:anywhere}
.hvb code{font-family:ui-monospace,SFMono-Regular,Consolas,monospace;font-size:.92em}
.hvb a{color:#0969da}
.hvb .notes{color:#59636e;margin:0;padding-left:1.2rem}
.hvb .risk{font-size:1.05rem;margin:.5rem 0}
.hvb .summary{display:flex;flex-wrap:wrap;gap:.75rem;list-style:none;padding:0;margin:.75rem 0}
.hvb .summary li{border:1px solid #d0d7de;border-radius:6px;padding:.45rem .9rem;min-width:6rem}
.hvb .summary strong{display:block;font-size:1.5rem}
.hvb .summary.findings li{min-width:5rem;padding:.3rem .7rem}
.hvb .summary.findings strong{font-size:1.1rem}
.hvb .downtime{background:#ffebe9;color:#a40e26;font-weight:600}
.hvb .sev-error{background:#ffebe9;color:#a40e26;font-weight:600}
.hvb .sev-warning{background:#fff8c5;color:#7d4e00}
.hvb .sev-info{background:#ddf4ff;color:#0a3069}
.hvb .bad{color:#a40e26;font-weight:600}
.hvb ol.steps li{margin:.35rem 0}
.hvb .meta{color:#59636e;font-size:.9em}
.hvb p.meta{margin:.25rem 0}
.hvb .once{background:#f6f8fa;border-left:4px solid #d0d7de;padding:.4rem .7rem}
.hvb table.findings td:nth-child(4){min-width:16rem;width:30%}
.hvb table.findings td:nth-child(2){width:16%}
.hvb table.findings td:nth-child(6){width:14%}
@media (max-width:640px){
.hvb table,.hvb thead,.hvb tbody,.hvb tr,.hvb td{display:block;width:auto}
.hvb thead{position:absolute;left:-9999px}
.hvb tr{border:1px solid #d0d7de;margin:0 0 .75rem}
div.hvb table td{border:0;border-bottom:1px solid #eaeef2}
.hvb td[data-label]::before{content:attr(data-label);display:block;font-size:.8em;color:#59636e}
.hvb table.findings td:nth-child(n){width:auto;min-width:0}
div.hvb td.name{white-space:normal;overflow-wrap:anywhere}
.hvb .summary{gap:.4rem}
.hvb .summary li{min-width:0;padding:.3rem .6rem}
.hvb .summary strong{font-size:1.15rem}
}
@media print{
.hvb{font-size:9pt}
.hvb h2{break-after:avoid}
.hvb tr{break-inside:avoid}
.hvb table.findings td:nth-child(n){width:auto;min-width:0}
.hvb section.input{break-before:page}
.hvb a{color:inherit}
}
""" + _palette_css()

#: What a whole page adds to :data:`STYLE_SHEET`.
_PAGE_STYLE = (
    "body{margin:2rem auto;max-width:78rem;padding:0 1rem}\n"
    "@media print{body{margin:0;max-width:none;padding:0}}\n"
)


def html_page(title: str, body: str) -> str:
    """Return a complete, self-contained HTML5 page: ``body`` under ``title``.

    ``body`` is HTML already (a fragment from the ``render_*`` functions);
    ``title`` is text and is escaped. The page has inline CSS only: no
    scripts, no external resources.
    """
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape_html(title)}</title>\n"
        f"<style>\n{_PAGE_STYLE}{STYLE_SHEET}</style>\n"
        "</head>\n"
        "<body>\n"
        f"{body}"
        "</body>\n"
        "</html>\n"
    )


#: An HTML table cell: its HTML and its class ("" for none).
_HtmlCell = tuple[str, str]


def _cells_table(
    header: Sequence[str], rows: Iterable[Sequence[str | _HtmlCell]], css: str = ""
) -> str:
    """Return a table whose header is text and whose cells are HTML already.

    Each cell names its column (``data-label``): on a narrow screen a row
    shows as a card, each value under its column's name.
    """
    head = "".join(f'<th scope="col">{escape_html(h)}</th>' for h in header)
    labels = [f' data-label="{escape_html(h)}"' for h in header]
    body = []
    for row in rows:
        cells = []
        for label, cell in zip(labels, row, strict=True):
            html, cls = (cell, "") if isinstance(cell, str) else cell
            css_attr = f' class="{cls}"' if cls else ""
            cells.append(f"<td{css_attr}{label}>{html}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>\n")
    table = f'<table class="{css}">' if css else "<table>"
    return (
        f"{table}\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "".join(body)
        + "</tbody>\n</table>\n"
    )


def _html_header(
    title: str,
    notes: Sequence[str],
    lead: str = "",
    frame: Frame | None = None,
    profiles: Sequence[str] = (),
) -> str:
    """Return the title, the ``lead`` (HTML already: what the backups will be), the notes and the report lines."""
    out = f"<h1>{escape_html(title)}</h1>\n{lead}"
    if notes:
        items = "".join(f"<li>{escape_html(n)}</li>" for n in notes)
        out += f'<ul class="notes">{items}</ul>\n'
    for line in report_line(frame, profiles) if frame is not None else ():
        out += f'<p class="meta">{escape_html(line)}</p>\n'
    return out


def _outcome_cards(counts: Mapping[Consistency, int]) -> str:
    """Return a card per outcome some VM has, worst first, in the outcome's colours."""
    return _html_summary([(n, look(c).label, look(c).css) for c, n in counts.items()], "outcomes")


def _outcome_lead(
    counts: Mapping[Consistency, int], findings: Sequence[tuple[int, str, str]]
) -> str:
    """Return what opens a report: the backups by outcome, what is at risk, the findings by severity."""
    return (
        '<div class="lead">\n'
        + _outcome_cards(counts)
        + f'<p class="risk">{escape_html(risk_text(counts))}</p>\n'
        + _html_summary(findings, "findings")
        + "</div>\n"
    )


def _rule_link(rule: Rule) -> str:
    """Return a rule's ID as a link to its entry in the reference pages."""
    return f'<a href="{escape_html(rule_url(rule.id))}"><code>{escape_html(rule.id)}</code></a>'


def _subject(item: Finding) -> str:
    """Return what a finding is about, with the VM of a disk, volume or adapter it names."""
    subject = escape_html(item.subject)
    if _is_path(item.subject):
        # A file's path, say: it may break anywhere rather than widen the table.
        subject = f'<span class="path">{subject}</span>'
    if item.vm is not None and item.subject != item.vm:
        return f'{subject} <span class="meta">(VM {escape_html(item.vm)})</span>'
    return subject


def _html_summary(items: Sequence[tuple[int, str, str]], kind: str = "") -> str:
    cells = "".join(
        (f'<li class="{css}">' if css else "<li>")
        + f"<strong>{number}</strong>{escape_html(label)}</li>"
        for number, label, css in items
    )
    return f'<ul class="summary{" " + kind if kind else ""}">{cells}</ul>\n'


def _findings_summary(findings: Sequence[Finding]) -> list[tuple[int, str, str]]:
    return [
        # A count of none is shown plain: a red card says something is wrong.
        (number, f"{name} finding{'' if number == 1 else 's'}", f"sev-{name}" if number else "")
        for name, number in severity_counts(findings).items()
    ]


#: A quoted name in escaped text: ``'HV22-NODE1'``, its quotes escaped.
_QUOTED = re.compile("&#x27;([^<]{1,200}?)&#x27;")
#: The longest quoted name kept on one line; a longer one may break anywhere.
_NAME_LENGTH = 48


def _is_path(text: str) -> bool:
    """Whether ``text`` reads as a path, or is too long to keep on one line."""
    return "\\" in text or "/" in text or len(text) > _NAME_LENGTH


def _quoted(match: re.Match[str]) -> str:
    kind = "path" if _is_path(match.group(1)) else "name"
    return f'<span class="{kind}">&#x27;{match.group(1)}&#x27;</span>'


def _prose(text: str) -> str:
    """Return text as HTML, each quoted name kept on one line (a browser breaks after a hyphen).

    A quoted path too long for a column may break anywhere instead, so that it
    does not widen the page.
    """
    return _QUOTED.sub(_quoted, escape_html(text))


def _html_steps(steps: Sequence[Step]) -> str:
    if not steps:
        return "<p>No steps.</p>\n"
    items = "".join(
        f'<li value="{s.order}">{_prose(s.text)}<br>'
        f'<span class="meta">{escape_html(step_note(s))}</span></li>\n'
        for s in steps
    )
    return f'<ol class="steps">\n{items}</ol>\n'


def _html_source(source: Source) -> str:
    """Return a rule's source as a link to its page's public address, its text the heading and the page."""
    return f'<a href="{escape_html(source_url(source))}">{escape_html(source_text(source))}</a>'


def _html_findings(findings: Sequence[Finding], hoisted: Sequence[Hoisted] = ()) -> str:
    """Return a table of findings; the info findings of ``hoisted`` rules are one row per rule."""
    if not findings:
        return "<p>No findings.</p>\n"
    said = {(h.rule.id, vm) for h in hoisted for vm in h.vms}
    rows: list[list[str | _HtmlCell]] = [
        [
            (f.severity.value, f"sev-{f.severity.value}"),
            f"{_rule_link(f.rule)}<br>{escape_html(f.rule.title)}",
            _subject(f),
            _prose(f.message),
            _prose(f.rule.remedy),
            _html_source(f.rule.source),
        ]
        for f in findings
        if not (f.severity is Severity.INFO and (f.rule.id, f.vm) in said)
    ]
    rows.extend(
        [
            ("info", "sev-info"),
            f"{_rule_link(h.rule)}<br>{escape_html(h.rule.title)}",
            escape_html(h.where),
            escape_html(f"Said once: {h.rule.description}"),
            escape_html(h.rule.remedy),
            _html_source(h.rule.source),
        ]
        for h in hoisted
    )
    return _cells_table(
        ["Severity", "Rule", "Subject", "Finding", "Remedy", "Source section"],
        rows,
        css="findings",
    )


def _html_rules(rules: Sequence[Rule]) -> str:
    if not rules:
        return "<p>No rules.</p>\n"
    return _cells_table(
        ["Rule", "Severity", "Title", "Fires when", "Remedy", "Source section"],
        (
            [
                _rule_link(rule),
                (rule.severity.value, f"sev-{rule.severity.value}"),
                escape_html(rule.title),
                escape_html(rule.description),
                escape_html(rule.remedy),
                _html_source(rule.source),
            ]
            for rule in rules
        ),
        css="rules",
    )


def _why_html(line: VmLine) -> str:
    """Return the rules behind a VM's outcome, each a link, with its title and subject."""
    parts = []
    for reason in line.reasons:
        text = f"{_rule_link(reason.rule)} {escape_html(reason.rule.title)}"
        if reason.subject != line.vm:
            text += f" ({escape_html(reason.subject)})"
        parts.append(text)
    return "<br>".join(parts) or "-"


def _plan_html(plan: Plan, frame: Frame) -> str:
    hoisted = hoisted_reasons(plan)
    lines = vm_lines(plan, hoisted)
    counts = outcome_counts(line.consistency for line in lines)
    lead = _outcome_lead(counts, _findings_summary(plan.findings))
    parts = [
        '<div class="hvb">\n',
        _html_header(frame.title, frame.notes, lead, frame, plan_profiles(plan)),
        "<h2>Virtual machines, worst first</h2>\n",
    ]
    parts.extend(
        f'<p class="once">For {escape_html(h.where)}: {_rule_link(h.rule)} '
        f"{escape_html(h.rule.title)}</p>\n"
        for h in hoisted
    )
    if lines:
        rows: list[list[str | _HtmlCell]] = [
            [
                (escape_html(line.vm), "name"),
                (escape_html(line.host), "name"),
                (escape_html(look(line.consistency).label), f"name {look(line.consistency).css}"),
                _why_html(line),
            ]
            for line in lines
        ]
        parts.append(_cells_table(["VM", "Host", "Backup", "Why"], rows, css="vms"))
    else:
        parts.append("<p>No virtual machines.</p>\n")
    parts += ["<h2>Findings</h2>\n", _html_findings(plan.findings, hoisted)]
    parts += ["<h2>Steps</h2>\n", _html_steps(plan.steps)]
    parts += [_html_protection(plan.protection), "</div>\n"]
    return "".join(parts)


def html_table(items: object, columns: Sequence[str] | None = None) -> str:
    """Return an HTML ``<table>`` of model or result objects, or of mappings.

    Takes what :func:`markdown_table` takes; every string is escaped.
    """
    header, rows = tabulate(items, columns)
    return _cells_table(header, [[escape_html(c) for c in row] for row in rows])


def _diagnosis_html(item: Diagnosis, frame: Frame) -> str:
    header = [diagnosis_read_note(item), *frame.notes]
    summary = item.summary
    parts = [
        _html_header(frame.title, header, frame=frame),
        _html_summary(
            [
                *(
                    (
                        summary[s.value],
                        f"{s.value} finding{'' if summary[s.value] == 1 else 's'}",
                        f"sev-{s.value}" if summary[s.value] else "",
                    )
                    for s in Severity
                ),
                (summary["not_recognised"], "not recognised", ""),
            ]
        ),
    ]
    groups = diagnosis_groups(item)
    if not groups:
        parts.append("<p>Nothing in the logs points to a failed or degraded backup.</p>\n")
    for heading, found in groups:
        parts.append(f"<h2>{escape_html(heading)}</h2>\n")
        parts.append(
            _cells_table(
                ["Time", "Where", "Severity", "Rule", "What the log says", "Explained by"],
                (
                    [
                        escape_html(time_text(entry.time)),
                        escape_html(place_text(entry)),
                        (entry.severity.value, f"sev-{entry.severity.value}"),
                        f"{_rule_link(entry.rule)}<br>{escape_html(entry.rule.title)}",
                        _prose(entry.message),
                        "<br>".join(escape_html(line) for line in explained_text(entry)),
                    ]
                    for entry in found
                ),
                css="diagnosis",
            )
        )
    cited = diagnosis_rules(item)
    if cited:
        parts.append(f"<h2>What to do</h2>\n{_html_rules(cited)}")
    return '<div class="hvb">\n' + "".join(parts) + "</div>\n"


def _html_protection(summary: ProtectionSummary | None) -> str:
    """Return the protection section; nothing without a catalogue."""
    if summary is None:
        return ""
    rows = protection_rows(summary)
    table = html_table(rows) if rows else "<p>No virtual machines.</p>\n"
    counts = escape_html(protection_counts_text(summary))
    return f"<h2>Protection</h2>\n<p>{counts}</p>\n{table}\n"


@attrs.frozen
class HtmlRenderer:
    """HTML fragments (a ``<div class="hvb">``) of every kind of result (``Part``: an input's section)."""

    def findings(self, findings: Sequence[Finding], frame: Frame) -> str:
        """Render sorted findings: a summary by severity, then one table."""
        return (
            '<div class="hvb">\n'
            + _html_header(frame.title, frame.notes, frame=frame)
            + _html_summary(_findings_summary(findings), "findings")
            + _html_findings(findings)
            + _html_protection(frame.protection)
            + "</div>\n"
        )

    def plan(self, plan: Plan, frame: Frame) -> str:
        """Render a plan: summary tiles, the per-VM table, the steps and the findings."""
        return _plan_html(plan, frame)

    def steps(self, steps: Sequence[Step], frame: Frame) -> str:
        """Render numbered steps, then the rules they cite."""
        html = (
            '<div class="hvb">\n'
            + _html_header(frame.title, frame.notes, frame=frame)
            + _html_steps(steps)
        )
        cited = cited_rules(steps)
        if cited:
            html += "<h2>Rules cited</h2>\n" + _html_rules(cited)
        return html + "</div>\n"

    def rules(self, rules: Sequence[Rule], frame: Frame) -> str:
        """Render rules as one table."""
        return (
            '<div class="hvb">\n'
            + _html_header(frame.title, frame.notes, frame=frame)
            + _html_rules(rules)
            + "</div>\n"
        )

    def diagnosis(self, diagnosis: Diagnosis, frame: Frame) -> str:
        """Render a diagnosis: a table per VM in time order, then the rules it cites."""
        return _diagnosis_html(diagnosis, frame)

    def part(self, report: InventoryReport, index: int, frame: Frame) -> str:
        """Return the HTML of an input's section: its own report two heading levels down, or why it could not be read."""
        if report.read:
            return _demoted(report.detail)
        return "<ul>" + "".join(f"<li>{escape_html(p)}</li>" for p in report.problems) + "</ul>\n"

    def fleet(self, reports: Sequence[InventoryReport | Share[str]], frame: Frame) -> str:
        """Render a fleet: the backups by outcome, the summary tables, then a section per input holding its report."""
        shares = shared(reports, functools.partial(self.part, frame=frame), str, "HTML")
        summaries = [s.report for s in shares]
        frame = fleet_frame(frame, summaries)
        rows, outcomes, _ = fleet_tables(summaries, gated=frame.fails_at is not None)
        totals = fleet_totals(summaries)
        by_name = totals["consistency"]
        counts = {c: by_name[c.value] for c in WORST_FIRST if by_name.get(c.value)}
        findings = [
            (n, f"{name} finding{'' if n == 1 else 's'}", f"sev-{name}" if n else "")
            for name, n in totals["findings"].items()
        ]
        notes = frame.notes
        parts = [
            '<div class="hvb">\n',
            _html_header(frame.title, notes, _outcome_lead(counts, findings), frame),
            "<h2>Inputs</h2>\n",
            _cells_table(list(rows[0]), (_fleet_cells(row) for row in rows), css="inputs"),
        ]
        if len(outcomes[0]) > 1:
            parts += [
                "<h2>VMs by backup outcome, worst first</h2>\n",
                _cells_table(
                    [_OUTCOME_LABELS.get(key, key) for key in outcomes[0]],
                    (_outcome_cells(row) for row in outcomes),
                    css="outcomes",
                ),
            ]
        protection = protection_fleet_rows(summaries)
        if protection:
            parts += ["<h2>VMs by protection</h2>\n", html_table(protection)]
        for share in shares:
            source = escape_html(share.report.source)
            parts.append(
                f'<section class="input">\n<h2>Input: {source}</h2>\n{share.part}</section>\n'
            )
        parts.append("</div>\n")
        return "".join(parts)


def _fleet_cells(row: Mapping[str, str]) -> list[str | _HtmlCell]:
    """Return the cells of a row of the fleet summary, the worst outcome in its colours."""
    cells: list[str | _HtmlCell] = []
    for key, value in row.items():
        css = ""
        if key == "worst outcome":
            found = _BY_LABEL.get(value)
            css = look(found).css if found is not None else ("" if value == "no VMs" else "bad")
        elif key == "exit" and value == "fails":
            css = "bad"
        elif key in ("input", "inventory"):
            css = "name"
        cells.append((escape_html(value), css))
    return cells


#: Each outcome, by the words the reports show it in.
_BY_LABEL = {look(c).label: c for c in WORST_FIRST}

#: Each outcome's words, by its short heading in the summary of many inputs.
_OUTCOME_HEADS = {heading: c for c, heading in OUTCOME_HEADINGS.items()}
_OUTCOME_LABELS = {heading: look(c).label for heading, c in _OUTCOME_HEADS.items()}


def _outcome_cells(row: Mapping[str, str]) -> list[str | _HtmlCell]:
    """Return the cells of a row of VMs by outcome, each count of some VM in its outcome's colours."""
    cells: list[str | _HtmlCell] = []
    for key, value in row.items():
        found = _OUTCOME_HEADS.get(key)
        css = look(found).css if found is not None and value != "0" else ""
        cells.append((escape_html(value), "name" if key == "input" else css))
    return cells


#: An opening or closing heading tag of a report (the reports write them bare).
_HEADING = re.compile(r"<(/?)h([1-4])>")


def _demoted(detail: str) -> str:
    """Return a report's HTML with its headings two levels down, to sit under its input's ``<h2>``.

    Inventory text is escaped, so every ``<h1>`` in it is one the renderer wrote.
    """
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 2}>", detail)


#: The HTML renderer.
RENDERER = HtmlRenderer()
