"""The output formats, how a result is framed, and what a renderer of one format provides.

A format's module (``render/text.py``, ``render/sarif.py``, ...) holds one
renderer: an object with a method per kind of result (findings, a plan,
steps, rules, a diagnosis, the reports of many inputs). The ``render_*``
functions of :mod:`hyperv_backup.render` look the renderer of a format up and
call the method of their kind. A format that has no form for a kind of result
raises :class:`UnsupportedResultError` from that method.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import attrs

from hyperv_backup._base import HypervBackupError
from hyperv_backup.rules import Finding, Rule, Severity

if TYPE_CHECKING:
    from hyperv_backup.decide.plan import Plan

    # Nothing resolves the frame's annotations at run time; importing the decisions
    # here would load them on every start of the command line.
    from hyperv_backup.decide.protection import ProtectionSummary  # noqa: TC004
    from hyperv_backup.decide.steps import Step
    from hyperv_backup.diagnose.diagnosis import Diagnosis
    from hyperv_backup.render.reports import InventoryReport, Share

__all__ = ["Format", "Frame", "Renderer", "ReportFormat", "UnsupportedResultError"]


class Format(enum.StrEnum):
    """An output format."""

    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"


class ReportFormat(enum.StrEnum):
    """A format made for another tool to read: code scanning, CI test reports, monitoring, plugins.

    Its renderer renders the reports of inventories (:class:`~hyperv_backup.render.reports.InventoryReport`)
    and no other kind of result.
    """

    SARIF = "sarif"
    JUNIT = "junit"
    PROMETHEUS = "prometheus"
    #: The Monitoring Plugins status line and exit status (Icinga, Nagios, Checkmk, Zabbix).
    NAGIOS = "nagios"


class UnsupportedResultError(HypervBackupError):
    """A format was asked for a kind of result it has no form for (rules as SARIF)."""


def unsupported(fmt: Format | ReportFormat, kind: str) -> UnsupportedResultError:
    """Return the error of a format that does not render ``kind``, for its renderer to raise."""
    return UnsupportedResultError(
        f"the {fmt.value} format renders the reports of inventories (check, plan), not {kind}"
    )


def _lines(lines: Iterable[str]) -> tuple[str, ...]:
    return tuple(lines)


def _times(times: Mapping[str, datetime | None] | None) -> Mapping[str, datetime | None]:
    return dict(times or {})


@attrs.frozen(kw_only=True)
class Frame:
    """What surrounds a result in its output, whatever the format.

    ``title`` and ``notes`` (lines under it) head the text, Markdown and HTML
    forms; ``meta`` adds keys to a JSON document after ``schema_version``;
    ``color`` adds ANSI colours to text, ``width`` is the text width.
    ``fails_at`` is the least severity that fails a JUnit test case
    (``None``: none fails).

    ``summary`` asks for the one-screen view (text: what fits 80 columns by
    24 lines). What makes a report one to forward is said when given:
    ``made_at`` (when it was made), ``inputs`` (the files it read, as they
    were named), ``collected_at`` (each inventory's or host's name and when
    its data was collected, ``None`` when not known) and ``profiles`` (the
    labels of the profiles that answered, when the result does not tell).
    A frame with none of them makes the same bytes every time.

    ``protection`` says how a backup catalogue protects each VM, when one was
    given: the findings' report shows it beside each VM's outcome.
    """

    title: str
    notes: tuple[str, ...] = attrs.field(default=(), converter=_lines)
    # A mapping is not hashable; leave it out of the hash, keep it in ==.
    meta: Mapping[str, Any] | None = attrs.field(default=None, hash=False)
    color: bool = False
    width: int = 80
    fails_at: Severity | None = Severity.ERROR
    summary: bool = False
    made_at: datetime | None = None
    inputs: tuple[str, ...] = attrs.field(default=(), converter=_lines)
    collected_at: Mapping[str, datetime | None] = attrs.field(
        factory=dict, converter=_times, hash=False
    )
    profiles: tuple[str, ...] = attrs.field(default=(), converter=_lines)
    protection: ProtectionSummary | None = None

    @property
    def forwarded(self) -> bool:
        """Whether the frame says when, from what and by what the report was made."""
        return self.made_at is not None or bool(self.inputs) or bool(self.collected_at)


#: One input's share of the output of many, as a format's renderer makes it.
Part = TypeVar("Part")


class Renderer(Protocol[Part]):
    """The renderer of one format: a method per kind of result, each returning the output.

    ``Part`` is the type of one input's share of the output of many
    (:meth:`part`): a process that evaluates an input makes its share, and
    :meth:`fleet` joins the shares. A :class:`~hyperv_backup.render.reports.Share`
    made by one renderer is typed so that it reaches no other.
    """

    def findings(self, findings: Sequence[Finding], frame: Frame) -> str:
        """Render findings, sorted most severe first."""
        ...

    def plan(self, plan: Plan, frame: Frame) -> str:
        """Render a backup plan."""
        ...

    def steps(self, steps: Sequence[Step], frame: Frame) -> str:
        """Render ordered steps."""
        ...

    def rules(self, rules: Sequence[Rule], frame: Frame) -> str:
        """Render rules."""
        ...

    def diagnosis(self, diagnosis: Diagnosis, frame: Frame) -> str:
        """Render a diagnosis."""
        ...

    def part(self, report: InventoryReport, index: int, frame: Frame) -> Part:
        """Return the share of the input ``report`` (``index``-th of the inputs) in the output of many."""
        ...

    def fleet(self, reports: Sequence[InventoryReport | Share[Part]], frame: Frame) -> str:
        """Render many inputs, in order; a report's share is made here unless it was made already."""
        ...
