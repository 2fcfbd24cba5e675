r"""Renderers: findings, plans, steps, rules, diagnoses and the reports of many inputs.

One module per format, each holding one renderer (:class:`Renderer`):
:mod:`~hyperv_backup.render.text`, :mod:`~hyperv_backup.render.markdown`,
:mod:`~hyperv_backup.render.html` and :mod:`~hyperv_backup.render.json` for
every kind of result; :mod:`~hyperv_backup.render.sarif`,
:mod:`~hyperv_backup.render.junit`, :mod:`~hyperv_backup.render.prometheus`
and :mod:`~hyperv_backup.render.nagios` for the reports of inventories (:mod:`~hyperv_backup.render.reports`) only.
Each ``render_*`` function here looks the renderer of its format up
(:func:`renderer`) and calls the method of its kind; a format is imported
when it is first asked for. :mod:`~hyperv_backup.render.notebook` gives
models and results their notebook display. Every function here is pure: it
takes result objects and returns a string (or plain rows), so the command
line and notebook display hooks share one rendering. Inventory strings are made safe for each format on the way out:
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

import importlib
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from hyperv_backup._base import LazyNames, public_dir
from hyperv_backup.render._formats import (
    Format,
    Frame,
    Renderer,
    ReportFormat,
    UnsupportedResultError,
)
from hyperv_backup.render.safe import clean_text, escape_html, escape_markdown
from hyperv_backup.rules import Finding, Rule, Severity, sort_findings

if TYPE_CHECKING:
    from datetime import datetime

    from hyperv_backup.decide.plan import Plan
    from hyperv_backup.decide.steps import Step
    from hyperv_backup.diagnose.diagnosis import Diagnosis
    from hyperv_backup.render._common import (
        Row,
        answered_by,
        decision_rows,
        gate_note,
        severity_counts,
    )
    from hyperv_backup.render.html import STYLE_SHEET, html_page, html_table
    from hyperv_backup.render.json import SCHEMA_VERSION, to_dict
    from hyperv_backup.render.markdown import markdown_table
    from hyperv_backup.render.reports import InventoryReport, Share, collection_times

__all__ = [
    "SCHEMA_VERSION",
    "STYLE_SHEET",
    "Format",
    "Frame",
    "Renderer",
    "ReportFormat",
    "Row",
    "UnsupportedResultError",
    "answered_by",
    "clean_text",
    "collection_times",
    "decision_rows",
    "escape_html",
    "escape_markdown",
    "gate_note",
    "html_page",
    "html_table",
    "markdown_table",
    "plan_frame",
    "render_diagnosis",
    "render_findings",
    "render_fleet",
    "render_plan",
    "render_rules",
    "render_steps",
    "renderer",
    "severity_counts",
    "to_dict",
]

#: Where each name this package re-exports lives, imported on first use.
_NAMES = LazyNames(
    __name__,
    globals(),
    {
        "_common": ("Row", "answered_by", "decision_rows", "gate_note", "severity_counts"),
        "reports": ("collection_times",),
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


#: The module of each format, imported when the format is first asked for: a
#: command writing JSON loads neither the text, Markdown nor HTML renderer.
_MODULES: dict[Format | ReportFormat, str] = {
    Format.TEXT: "text",
    Format.JSON: "json",
    Format.MARKDOWN: "markdown",
    Format.HTML: "html",
    ReportFormat.SARIF: "sarif",
    ReportFormat.JUNIT: "junit",
    ReportFormat.PROMETHEUS: "prometheus",
    ReportFormat.NAGIOS: "nagios",
}


def renderer(fmt: Format | ReportFormat) -> Renderer[Any]:
    r"""Return the renderer of ``fmt``, importing its module the first time.

    >>> renderer(Format.JSON).rules([], Frame(title="Rules"))
    '{\n  "schema_version": 1,\n  "rules": []\n}\n'

    A value that is no format is a :class:`KeyError` naming it.
    """
    module: Any = importlib.import_module(f"{__name__}.{_MODULES[fmt]}")
    found: Renderer[Any] = module.RENDERER
    return found


def __dir__() -> list[str]:
    """List the public names and the format modules, imported or not yet."""
    return sorted({*_NAMES.listing(__all__), *public_dir(__name__, ())()})


def render_findings(
    findings: Sequence[Finding],
    fmt: Format | ReportFormat = Format.TEXT,
    *,
    title: str = "Findings",
    notes: Sequence[str] = (),
    meta: Mapping[str, Any] | None = None,
    color: bool = False,
    width: int = 80,
    summary: bool = False,
    made_at: datetime | None = None,
    inputs: Sequence[str] = (),
    collected_at: Mapping[str, datetime | None] | None = None,
    profiles: Sequence[str] = (),
) -> str:
    """Render findings, most severe first, each with its rule, remedy and source.

    ``title`` and ``notes`` (lines under it) head the text, Markdown and HTML
    forms; ``meta`` adds keys to the JSON document after ``schema_version``.
    ``color`` adds ANSI colours to text; ``width`` is the text width.
    ``summary`` asks for the one-screen view. ``made_at``, ``inputs``,
    ``collected_at`` and ``profiles`` say when, from what and by which
    profiles the report was made (see :class:`Frame`); each report carries
    them, with the tool's version, when one is given. The
    formats for other tools render the reports of inventories only
    (:func:`render_fleet`); asked for findings, they raise
    :class:`UnsupportedResultError`.
    """
    frame = Frame(
        title=title,
        notes=notes,
        meta=meta,
        color=color,
        width=width,
        summary=summary,
        made_at=made_at,
        inputs=inputs,
        collected_at=collected_at,
        profiles=profiles,
    )
    return renderer(fmt).findings(sort_findings(findings), frame)


def render_diagnosis(
    diagnosis: Diagnosis,
    fmt: Format | ReportFormat = Format.TEXT,
    *,
    title: str = "Diagnosis",
    notes: Sequence[str] = (),
    meta: Mapping[str, Any] | None = None,
    color: bool = False,
    width: int = 80,
    ignore: Collection[str] = (),
    summary: bool = False,
    made_at: datetime | None = None,
    inputs: Sequence[str] = (),
    collected_at: Mapping[str, datetime | None] | None = None,
    profiles: Sequence[str] = (),
) -> str:
    """Render a diagnosis: per VM, what the logs say in time order, then what to do.

    ``ignore`` leaves out the findings of those rules. The other arguments are
    those of :func:`render_findings`.
    """
    if ignore:
        kept = tuple(f for f in diagnosis.findings if f.rule.id not in ignore)
        diagnosis = attrs.evolve(diagnosis, findings=kept)
    frame = Frame(
        title=title,
        notes=notes,
        meta=meta,
        color=color,
        width=width,
        summary=summary,
        made_at=made_at,
        inputs=inputs,
        collected_at=collected_at,
        profiles=profiles,
    )
    return renderer(fmt).diagnosis(diagnosis, frame)


def render_fleet(
    reports: Sequence[InventoryReport | Share[Any]],
    fmt: Format | ReportFormat = Format.TEXT,
    *,
    title: str = "Fleet",
    notes: Sequence[str] = (),
    meta: Mapping[str, Any] | None = None,
    color: bool = False,
    width: int = 80,
    fails_at: Severity | None = Severity.ERROR,
    summary: bool = False,
    made_at: datetime | None = None,
    inputs: Sequence[str] = (),
    collected_at: Mapping[str, datetime | None] | None = None,
    profiles: Sequence[str] = (),
) -> str:
    """Render many inputs, in input order.

    Text, JSON, Markdown and HTML give a summary of each input (the last row
    the totals), then each one's report: its ``detail``, or the problems of
    an input that could not be read. SARIF, JUnit and Prometheus give one
    document for them all; a JUnit test case fails on a finding at
    ``fails_at`` or more severe (``None``: none fails), and ``title`` names
    the JUnit report. ``reports`` come from
    :mod:`hyperv_backup.render.reports`; a :class:`~hyperv_backup.render.reports.Share`
    made already by this format's renderer is taken as it is. Other
    parameters as for :func:`render_findings`.
    """
    frame = Frame(
        title=title,
        notes=notes,
        meta=meta,
        color=color,
        width=width,
        fails_at=fails_at,
        summary=summary,
        made_at=made_at,
        inputs=inputs,
        collected_at=collected_at,
        profiles=profiles,
    )
    return renderer(fmt).fleet(reports, frame)


def render_plan(
    plan: Plan,
    fmt: Format | ReportFormat = Format.TEXT,
    *,
    title: str = "Backup plan",
    notes: Sequence[str] = (),
    meta: Mapping[str, Any] | None = None,
    color: bool = False,
    width: int = 80,
    summary: bool = False,
    made_at: datetime | None = None,
    inputs: Sequence[str] = (),
    collected_at: Mapping[str, datetime | None] | None = None,
    profiles: Sequence[str] = (),
) -> str:
    """Render a backup plan: a summary, the per-VM table, the ordered steps, the findings.

    Parameters as for :func:`render_findings`. A plan answered by a profile of
    Windows Server 2012 or later says so under the title, and its JSON adds
    each VM's ``outcomes``.
    """
    frame = Frame(
        title=title,
        notes=notes,
        meta=meta,
        color=color,
        width=width,
        summary=summary,
        made_at=made_at,
        inputs=inputs,
        collected_at=collected_at,
        profiles=profiles,
    )
    return renderer(fmt).plan(plan, plan_frame(plan, frame))


def plan_frame(plan: Plan, frame: Frame) -> Frame:
    """Return ``frame`` with the notes every format gives a plan under its own.

    Each format opens with the backups by outcome itself, coloured: the notes
    add only which profiles answered, when a later one did and the report
    does not already say it on the line of when and from what it was made.
    """
    from hyperv_backup.render._common import profile_note  # noqa: PLC0415

    note = None if frame.forwarded else profile_note(plan)
    return frame if note is None else attrs.evolve(frame, notes=(*frame.notes, note))


def render_steps(
    steps: Sequence[Step],
    fmt: Format | ReportFormat = Format.TEXT,
    *,
    title: str = "Steps",
    notes: Sequence[str] = (),
    meta: Mapping[str, Any] | None = None,
    color: bool = False,
    width: int = 80,
    summary: bool = False,
    made_at: datetime | None = None,
    inputs: Sequence[str] = (),
    collected_at: Mapping[str, datetime | None] | None = None,
    profiles: Sequence[str] = (),
) -> str:
    """Render ordered steps, then the rules they cite.

    Parameters as for :func:`render_findings`.
    """
    frame = Frame(
        title=title,
        notes=notes,
        meta=meta,
        color=color,
        width=width,
        summary=summary,
        made_at=made_at,
        inputs=inputs,
        collected_at=collected_at,
        profiles=profiles,
    )
    return renderer(fmt).steps(steps, frame)


def render_rules(
    rules: Iterable[Rule],
    fmt: Format | ReportFormat = Format.TEXT,
    *,
    title: str = "Rules",
    notes: Sequence[str] = (),
    meta: Mapping[str, Any] | None = None,
    color: bool = False,
    width: int = 80,
    summary: bool = False,
    made_at: datetime | None = None,
    inputs: Sequence[str] = (),
    collected_at: Mapping[str, datetime | None] | None = None,
    profiles: Sequence[str] = (),
) -> str:
    """Render rules with their severity, title, description, remedy and source section.

    Parameters as for :func:`render_findings`.
    """
    frame = Frame(
        title=title,
        notes=notes,
        meta=meta,
        color=color,
        width=width,
        summary=summary,
        made_at=made_at,
        inputs=inputs,
        collected_at=collected_at,
        profiles=profiles,
    )
    return renderer(fmt).rules(list(rules), frame)
