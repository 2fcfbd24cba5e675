r"""Renderers: findings, plans, steps and rules as text, JSON, Markdown or HTML.

One module per format (:mod:`~hyperv_backup.render.text`,
:mod:`~hyperv_backup.render.markdown`, :mod:`~hyperv_backup.render.html`,
:mod:`~hyperv_backup.render.json`); :mod:`~hyperv_backup.render.notebook` gives
models and results their notebook display. Every function here is pure: it takes result objects and returns a string (or
plain rows), so the command line and notebook display hooks share one
rendering. Inventory strings are made safe for each format on the way out:
control characters (terminal escape sequences among them) are removed from
text, Markdown metacharacters are escaped, HTML is escaped with
:func:`html.escape`.

>>> import hyperv_backup as hb
>>> plan = hb.backup_plan(hb.load_example("host"))
>>> for row in decision_rows(plan):
...     print(row["vm"], row["mode"], row["consistency"], row["reasons"] or "-")
DC01 offline not_application_consistent HVB109
PRINT01 offline not_running HVB307 HVB112
APP02 offline not_application_consistent HVB109 HVB608
>>> print(markdown_table([{"vm": "a|b", "mode": "online"}]))
| vm | mode |
| --- | --- |
| a\|b | online |

HTML comes as a fragment (a ``<div class="hvb">``) that a notebook can show;
:func:`html_page` wraps one into a complete page with its style sheet.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, assert_never

import attrs

from hyperv_backup._base import LazyNames
from hyperv_backup.render._formats import Format, ReportFormat
from hyperv_backup.render.safe import clean_text, escape_html, escape_markdown
from hyperv_backup.rules import Finding, Rule, sort_findings

if TYPE_CHECKING:
    from hyperv_backup.decide.plan import Plan
    from hyperv_backup.decide.steps import Step
    from hyperv_backup.diagnose.diagnosis import Diagnosis
    from hyperv_backup.render._common import Row, decision_rows, severity_counts
    from hyperv_backup.render.html import STYLE_SHEET, html_page, html_table
    from hyperv_backup.render.json import SCHEMA_VERSION, to_dict
    from hyperv_backup.render.markdown import markdown_table
    from hyperv_backup.render.reports import InventoryReport

# The format modules are imported by the functions that render in them: a
# command writing JSON loads neither the text, Markdown nor HTML renderer.
# ruff: noqa: PLC0415

__all__ = [
    "SCHEMA_VERSION",
    "STYLE_SHEET",
    "Format",
    "ReportFormat",
    "Row",
    "clean_text",
    "decision_rows",
    "escape_html",
    "escape_markdown",
    "html_page",
    "html_table",
    "markdown_table",
    "render_diagnosis",
    "render_findings",
    "render_fleet",
    "render_plan",
    "render_rules",
    "render_steps",
    "severity_counts",
    "to_dict",
]

#: Where each name this package re-exports lives, imported on first use.
_NAMES = LazyNames(
    __name__,
    globals(),
    {
        "_common": ("Row", "decision_rows", "severity_counts"),
        "html": ("STYLE_SHEET", "html_page", "html_table"),
        "json": ("SCHEMA_VERSION", "to_dict"),
        "markdown": ("markdown_table",),
    },
)

# For the interpreter only: type checkers read the imports above instead.
if not TYPE_CHECKING:  # pragma: no branch

    def __getattr__(name: str) -> object:
        """Import a re-exported name the first time it is asked for."""
        return _NAMES.load(name)


def render_findings(
    findings: Sequence[Finding],
    fmt: Format = Format.TEXT,
    *,
    title: str = "Findings",
    notes: Sequence[str] = (),
    meta: Mapping[str, Any] | None = None,
    color: bool = False,
    width: int = 80,
) -> str:
    """Render findings, most severe first, each with its rule, remedy and source.

    ``title`` and ``notes`` (lines under it) head the text, Markdown and HTML
    forms; ``meta`` adds keys to the JSON document after ``schema_version``.
    ``color`` adds ANSI colours to text; ``width`` is the text width.
    """
    from hyperv_backup.render._common import severity_counts

    findings = sort_findings(findings)
    counts = severity_counts(findings)
    match fmt:
        case Format.TEXT:
            from hyperv_backup.render import text

            return text.findings(findings, counts, title, notes, color=color, width=width)
        case Format.JSON:
            from hyperv_backup.render import json
            from hyperv_backup.render.json import to_dict

            body = {"summary": counts, "findings": [to_dict(f) for f in findings]}
            return json.document(meta, body)
        case Format.MARKDOWN:
            from hyperv_backup.render import markdown

            return markdown.findings(findings, counts, title, notes)
        case Format.HTML:
            from hyperv_backup.render import html

            return html.findings(findings, title, notes)
        case _:
            assert_never(fmt)


def render_diagnosis(
    diagnosis: Diagnosis,
    fmt: Format = Format.TEXT,
    *,
    title: str = "Diagnosis",
    notes: Sequence[str] = (),
    meta: Mapping[str, Any] | None = None,
    color: bool = False,
    width: int = 80,
    ignore: Collection[str] = (),
) -> str:
    """Render a diagnosis: per VM, what the logs say in time order, then what to do.

    ``ignore`` leaves out the findings of those rules. The other arguments are
    those of :func:`render_findings`.
    """
    if ignore:
        kept = tuple(f for f in diagnosis.findings if f.rule.id not in ignore)
        diagnosis = attrs.evolve(diagnosis, findings=kept)
    match fmt:
        case Format.TEXT:
            from hyperv_backup.render import text

            return text.diagnosis(diagnosis, title, notes, color=color, width=width)
        case Format.JSON:
            from hyperv_backup.render import json
            from hyperv_backup.render.json import to_dict

            return json.document(meta, to_dict(diagnosis))
        case Format.MARKDOWN:
            from hyperv_backup.render import markdown

            return markdown.diagnosis(diagnosis, title, notes)
        case Format.HTML:
            from hyperv_backup.render import html

            return html.diagnosis(diagnosis, title, notes)
        case _:
            assert_never(fmt)


def render_fleet(
    reports: Sequence[InventoryReport],
    fmt: Format = Format.TEXT,
    *,
    title: str = "Fleet",
    notes: Sequence[str] = (),
    meta: Mapping[str, Any] | None = None,
    color: bool = False,
    width: int = 80,
) -> str:
    """Render many inputs: a summary of each (the last row the totals), then each one's report.

    ``reports`` come from :mod:`hyperv_backup.render.reports`, in input order;
    each report's ``detail`` is its own report in ``fmt`` (JSON text for
    JSON), and an input that could not be read shows its problems. Other
    parameters as for :func:`render_findings`.
    """
    from hyperv_backup.render.reports import (
        STATUS_WORDS,
        fleet_rows,
        fleet_totals,
        outcome_rows,
    )

    if fmt is Format.JSON:
        # Each input's document is set in as it was written, indented one level
        # deeper, rather than parsed and written again: it is already JSON.
        import re

        from hyperv_backup.render import json

        inputs = [
            {
                "input": r.source,
                "status": STATUS_WORDS.get(r.status, str(r.status)),
                "exit_status": r.status,
                "problems": list(r.problems),
                "result": f"\0hvb-result-{i}\0" if r.detail else None,
            }
            for i, r in enumerate(reports)
        ]
        document = json.document(meta, {"fleet": fleet_totals(reports), "inventories": inputs})
        return re.sub(
            r'"result": "\\u0000hvb-result-(\d+)\\u0000"',
            lambda m: (
                '"result": '
                + reports[int(m.group(1))].detail.rstrip("\n").replace("\n", "\n      ")
            ),
            document,
        )
    outcomes, legend = outcome_rows(reports)
    tables = (fleet_rows(reports), outcomes, f"VMs by backup outcome ({legend})")
    match fmt:
        case Format.TEXT:
            from hyperv_backup.render import text

            details = [
                (r.source, r.detail if r.read else "\n".join(clean_text(p) for p in r.problems))
                for r in reports
            ]
            return text.fleet(tables, details, title, notes, color=color, width=width)
        case Format.MARKDOWN:
            from hyperv_backup.render import markdown

            md = [
                (
                    r.source,
                    r.detail
                    if r.read
                    else "\n".join(f"- {escape_markdown(p)}" for p in r.problems),
                )
                for r in reports
            ]
            return markdown.fleet(tables, md, title, notes)
        case Format.HTML:
            from hyperv_backup.render import html

            page = [
                (
                    r.source,
                    r.detail
                    if r.read
                    else "<ul>"
                    + "".join(f"<li>{escape_html(p)}</li>" for p in r.problems)
                    + "</ul>\n",
                )
                for r in reports
            ]
            return html.fleet(tables, page, title, notes)
        case _:
            assert_never(fmt)


def render_plan(
    plan: Plan,
    fmt: Format = Format.TEXT,
    *,
    title: str = "Backup plan",
    notes: Sequence[str] = (),
    meta: Mapping[str, Any] | None = None,
    color: bool = False,
    width: int = 80,
) -> str:
    """Render a backup plan: a summary, the per-VM table, the ordered steps, the findings.

    Parameters as for :func:`render_findings`. A plan answered by a profile of
    Windows Server 2012 or later says so under the title, and its JSON adds
    each VM's ``outcomes``.
    """
    from hyperv_backup.render._common import (
        consistency_counts,
        consistency_note,
        decision_rows,
        mode_summary,
        profile_note,
        severity_counts,
    )

    later = [n for n in (consistency_note(plan), profile_note(plan)) if n is not None]
    notes = (*notes, *later)
    match fmt:
        case Format.TEXT:
            from hyperv_backup.render import text

            return text.plan(plan, title, notes, color=color, width=width)
        case Format.JSON:
            from hyperv_backup.render import json
            from hyperv_backup.render.json import to_dict

            body = to_dict(plan)
            return json.document(
                meta,
                {
                    "summary": {
                        **mode_summary(plan),
                        **({"consistency": consistency_counts(plan)} if plan.outcomes else {}),
                        "findings": severity_counts(plan.findings),
                    },
                    "vms": decision_rows(plan),
                    "steps": body["steps"],
                    "findings": body["findings"],
                    "decisions": body["decisions"],
                    **({"outcomes": body["outcomes"]} if "outcomes" in body else {}),
                },
            )
        case Format.MARKDOWN:
            from hyperv_backup.render import markdown

            return markdown.plan(plan, title, notes)
        case Format.HTML:
            from hyperv_backup.render import html

            return html.plan(plan, title, notes)
        case _:
            assert_never(fmt)


def render_steps(
    steps: Sequence[Step],
    fmt: Format = Format.TEXT,
    *,
    title: str = "Steps",
    notes: Sequence[str] = (),
    meta: Mapping[str, Any] | None = None,
    color: bool = False,
    width: int = 80,
) -> str:
    """Render ordered steps, then the rules they cite.

    Parameters as for :func:`render_findings`.
    """
    from hyperv_backup.render._common import cited_rules

    cited = cited_rules(steps)
    match fmt:
        case Format.TEXT:
            from hyperv_backup.render import text

            return text.steps(steps, cited, title, notes, color=color, width=width)
        case Format.JSON:
            from hyperv_backup.render import json
            from hyperv_backup.render.json import to_dict

            return json.document(meta, {"steps": [to_dict(s) for s in steps]})
        case Format.MARKDOWN:
            from hyperv_backup.render import markdown

            return markdown.steps(steps, cited, title, notes)
        case Format.HTML:
            from hyperv_backup.render import html

            return html.steps(steps, cited, title, notes)
        case _:
            assert_never(fmt)


def render_rules(
    rules: Iterable[Rule],
    fmt: Format = Format.TEXT,
    *,
    title: str = "Rules",
    notes: Sequence[str] = (),
    meta: Mapping[str, Any] | None = None,
    color: bool = False,
    width: int = 80,
) -> str:
    """Render rules with their severity, title, description, remedy and source section.

    Parameters as for :func:`render_findings`.
    """
    items = list(rules)
    match fmt:
        case Format.TEXT:
            from hyperv_backup.render import text

            return text.rules(items, title, notes, color=color, width=width)
        case Format.JSON:
            from hyperv_backup.render import json
            from hyperv_backup.render.json import to_dict

            return json.document(meta, {"rules": [to_dict(r) for r in items]})
        case Format.MARKDOWN:
            from hyperv_backup.render import markdown

            return markdown.rules(items, title, notes)
        case Format.HTML:
            from hyperv_backup.render import html

            return html.rules(items, title, notes)
        case _:
            assert_never(fmt)
