"""The output formats: documents for people and programs, and reports for other tools."""

from __future__ import annotations

import enum

__all__ = ["Format", "ReportFormat"]


class Format(enum.StrEnum):
    """An output format."""

    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"


class ReportFormat(enum.StrEnum):
    """A format made for another tool to read: code scanning, CI test reports, monitoring.

    :mod:`hyperv_backup.render.reports` renders them.
    """

    SARIF = "sarif"
    JUNIT = "junit"
    PROMETHEUS = "prometheus"
