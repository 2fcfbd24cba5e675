"""HTML fragments (a ``<div class="hvb">``) and whole pages; every inventory string is escaped."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.decide.steps import Step
from hyperv_backup.render._common import (
    backed_up_as,
    cited_rules,
    decision_rows,
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
from hyperv_backup.render.safe import escape_html
from hyperv_backup.rules import Finding, Rule, Severity, Source
from hyperv_backup.rules.pages import citation

if TYPE_CHECKING:
    from hyperv_backup.decide.plan import Plan
    from hyperv_backup.decide.protection import ProtectionSummary
    from hyperv_backup.diagnose.diagnosis import Diagnosis
    from hyperv_backup.render._formats import Frame

__all__ = ["RENDERER", "STYLE_SHEET", "HtmlRenderer", "html_page", "html_table"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


#: The style of the fragments, every rule scoped to ``.hvb`` so that a notebook
#: can put it beside a fragment without restyling anything else.
STYLE_SHEET = """\
.hvb{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;\
line-height:1.45}
.hvb h1{font-size:1.6rem;margin-bottom:.5rem}
.hvb h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
.hvb table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}
.hvb th,.hvb td{border:1px solid #d0d7de;padding:.3rem .55rem;text-align:left;vertical-align:top}
.hvb th{background:#f6f8fa}
.hvb code{font-family:ui-monospace,SFMono-Regular,Consolas,monospace;font-size:.92em}
.hvb .notes{color:#59636e;margin:0;padding-left:1.2rem}
.hvb .summary{display:flex;flex-wrap:wrap;gap:.75rem;list-style:none;padding:0}
.hvb .summary li{border:1px solid #d0d7de;border-radius:6px;padding:.45rem .9rem;min-width:6rem}
.hvb .summary strong{display:block;font-size:1.5rem}
.hvb .mode-online{background:#dafbe1;color:#116329;font-weight:600}
.hvb .mode-offline{background:#fff8c5;color:#7d4e00;font-weight:600}
.hvb .downtime{background:#ffebe9;color:#a40e26;font-weight:600}
.hvb .sev-error{background:#ffebe9;color:#a40e26;font-weight:600}
.hvb .sev-warning{background:#fff8c5;color:#7d4e00}
.hvb .sev-info{background:#ddf4ff;color:#0a3069}
.hvb ol.steps li{margin:.35rem 0}
.hvb .meta{color:#59636e;font-size:.9em}
.hvb table.findings td:nth-child(4){min-width:20rem;width:34%}
.hvb table.findings td:nth-child(2){width:16%}
.hvb table.findings td:nth-child(6){width:12%}
"""

#: What a whole page adds to :data:`STYLE_SHEET`.
_PAGE_STYLE = "body{margin:2rem auto;max-width:78rem;padding:0 1rem}\n"


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
    """Return a table whose header is text and whose cells are HTML already."""
    head = "".join(f'<th scope="col">{escape_html(h)}</th>' for h in header)
    body = []
    for row in rows:
        cells = []
        for cell in row:
            html, cls = (cell, "") if isinstance(cell, str) else cell
            cells.append(f'<td class="{cls}">{html}</td>' if cls else f"<td>{html}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>\n")
    table = f'<table class="{css}">' if css else "<table>"
    return (
        f"{table}\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "".join(body)
        + "</tbody>\n</table>\n"
    )


def _html_header(title: str, notes: Sequence[str]) -> str:
    out = f"<h1>{escape_html(title)}</h1>\n"
    if notes:
        items = "".join(f"<li>{escape_html(n)}</li>" for n in notes)
        out += f'<ul class="notes">{items}</ul>\n'
    return out


def _html_summary(items: Sequence[tuple[int, str, str]]) -> str:
    cells = "".join(
        (f'<li class="{css}">' if css else "<li>")
        + f"<strong>{number}</strong>{escape_html(label)}</li>"
        for number, label, css in items
    )
    return f'<ul class="summary">{cells}</ul>\n'


def _findings_summary(findings: Sequence[Finding]) -> list[tuple[int, str, str]]:
    return [
        (number, f"{name} finding{'' if number == 1 else 's'}", f"sev-{name}")
        for name, number in severity_counts(findings).items()
    ]


def _html_steps(steps: Sequence[Step]) -> str:
    if not steps:
        return "<p>No steps.</p>\n"
    items = "".join(
        f'<li value="{s.order}">{escape_html(s.text)}<br>'
        f'<span class="meta">{escape_html(step_note(s))}</span></li>\n'
        for s in steps
    )
    return f'<ol class="steps">\n{items}</ol>\n'


def _html_source(source: Source) -> str:
    """Return a rule's source as a link to its page, its text the one-line citation."""
    return f'<a href="{escape_html(source.page.url)}">{escape_html(citation(source))}</a>'


def _html_findings(findings: Sequence[Finding]) -> str:
    if not findings:
        return "<p>No findings.</p>\n"
    return _cells_table(
        ["Severity", "Rule", "Subject", "Finding", "Remedy", "Source section"],
        (
            [
                (f.severity.value, f"sev-{f.severity.value}"),
                f"<code>{escape_html(f.rule.id)}</code><br>{escape_html(f.rule.title)}",
                escape_html(f.subject),
                escape_html(f.message),
                escape_html(f.rule.remedy),
                _html_source(f.rule.source),
            ]
            for f in findings
        ),
        css="findings",
    )


def _html_rules(rules: Sequence[Rule]) -> str:
    if not rules:
        return "<p>No rules.</p>\n"
    return _cells_table(
        ["Rule", "Severity", "Title", "Fires when", "Remedy", "Source section"],
        (
            [
                f"<code>{escape_html(rule.id)}</code>",
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


def _plan_html(plan: Plan, title: str, notes: Sequence[str]) -> str:
    modes = mode_summary(plan)
    parts = [
        '<div class="hvb">\n',
        _html_header(title, notes),
        _html_summary(
            [
                (modes["vms"], "VMs", ""),
                (modes["online"], "online", "mode-online"),
                (modes["offline"], "offline", "mode-offline"),
                (modes["downtime"], "with downtime", "downtime"),
                *_findings_summary(plan.findings),
            ]
        ),
        "<h2>Virtual machines</h2>\n",
    ]
    if plan.decisions:
        rows: list[list[str | _HtmlCell]] = []
        for row, decision in zip(decision_rows(plan), plan.decisions.values(), strict=True):
            mode = decision.mode.value
            rows.append(
                [
                    escape_html(decision.vm),
                    escape_html(str(row["host"] or "")),
                    (backed_up_as(plan, decision), f"mode-{mode}"),
                    ("yes", "downtime") if decision.causes_downtime else "no",
                    decision.state_during_backup.value,
                    decision.state_after.value,
                    "<br>".join(escape_html(x) for x in why_lines(decision)),
                ]
            )
        parts.append(
            _cells_table(
                ["VM", "Host", "Mode", "Downtime", "During backup", "After", "Why"],
                rows,
                css="vms",
            )
        )
    else:
        parts.append("<p>No virtual machines.</p>\n")
    parts += ["<h2>Steps</h2>\n", _html_steps(plan.steps)]
    parts += ["<h2>Findings</h2>\n", _html_findings(plan.findings), "</div>\n"]
    return "".join(parts)


def html_table(items: object, columns: Sequence[str] | None = None) -> str:
    """Return an HTML ``<table>`` of model or result objects, or of mappings.

    Takes what :func:`markdown_table` takes; every string is escaped.
    """
    header, rows = tabulate(items, columns)
    return _cells_table(header, [[escape_html(c) for c in row] for row in rows])


def _diagnosis_html(item: Diagnosis, title: str, notes: Sequence[str]) -> str:
    header = [diagnosis_read_note(item), *notes]
    summary = item.summary
    parts = [
        _html_header(title, header),
        _html_summary(
            [
                *(
                    (
                        summary[s.value],
                        f"{s.value} finding{'' if summary[s.value] == 1 else 's'}",
                        f"sev-{s.value}",
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
                        f"<code>{escape_html(entry.rule.id)}</code><br>{escape_html(entry.rule.title)}",
                        escape_html(entry.message),
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
            + _html_header(frame.title, frame.notes)
            + _html_summary(_findings_summary(findings))
            + _html_findings(findings)
            + _html_protection(frame.protection)
            + "</div>\n"
        )

    def plan(self, plan: Plan, frame: Frame) -> str:
        """Render a plan: summary tiles, the per-VM table, the steps and the findings."""
        html = _plan_html(plan, frame.title, frame.notes)
        protection = _html_protection(plan.protection)
        return html.removesuffix("</div>\n") + protection + "</div>\n" if protection else html

    def steps(self, steps: Sequence[Step], frame: Frame) -> str:
        """Render numbered steps, then the rules they cite."""
        html = '<div class="hvb">\n' + _html_header(frame.title, frame.notes) + _html_steps(steps)
        cited = cited_rules(steps)
        if cited:
            html += "<h2>Rules cited</h2>\n" + _html_rules(cited)
        return html + "</div>\n"

    def rules(self, rules: Sequence[Rule], frame: Frame) -> str:
        """Render rules as one table."""
        return (
            '<div class="hvb">\n'
            + _html_header(frame.title, frame.notes)
            + _html_rules(rules)
            + "</div>\n"
        )

    def diagnosis(self, diagnosis: Diagnosis, frame: Frame) -> str:
        """Render a diagnosis: a table per VM in time order, then the rules it cites."""
        return _diagnosis_html(diagnosis, frame.title, frame.notes)

    def part(self, report: InventoryReport, index: int, frame: Frame) -> str:
        """Return the HTML of an input's section: its own report, or why it could not be read."""
        if report.read:
            return report.detail
        return "<ul>" + "".join(f"<li>{escape_html(p)}</li>" for p in report.problems) + "</ul>\n"

    def fleet(self, reports: Sequence[InventoryReport | Share[str]], frame: Frame) -> str:
        """Render a fleet: the summary tables, then a section per input holding its report."""
        shares = shared(reports, functools.partial(self.part, frame=frame), str, "HTML")
        rows, outcomes, heading = fleet_tables([s.report for s in shares])
        parts = [
            '<div class="hvb">\n',
            _html_header(frame.title, frame.notes),
            html_table(rows),
            "\n",
        ]
        if len(outcomes[0]) > 1:
            parts += [f"<p>{escape_html(heading)}</p>\n", html_table(outcomes), "\n"]
        protection = protection_fleet_rows([s.report for s in shares])
        if protection:
            parts += ["<p>VMs by protection</p>\n", html_table(protection), "\n"]
        for share in shares:
            source = escape_html(share.report.source)
            parts.append(f"<section>\n<h2>Input: {source}</h2>\n{share.part}</section>\n")
        parts.append("</div>\n")
        return "".join(parts)


#: The HTML renderer.
RENDERER = HtmlRenderer()
