"""What a rule and a finding are: the types of the catalogue."""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

from hyperv_backup._base.display import NotebookDisplay

__all__ = ["Finding", "Findings", "Rule", "Severity", "sort_findings"]


class Severity(enum.StrEnum):
    """How much a finding matters."""

    #: The backup fails, or data is left unprotected.
    ERROR = "error"
    #: Downtime, or an extra step is required.
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Order for sorting: 0 for ERROR, 1 for WARNING, 2 for INFO."""
        return _RANK[self]


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@attrs.frozen(kw_only=True)
class Rule:
    """One entry of the catalogue.

    ``description`` says when the rule fires; ``remedy`` what to do about it;
    ``section`` is the heading of the source guidance it comes from.
    """

    id: str
    title: str
    severity: Severity
    section: str
    description: str
    remedy: str


@attrs.frozen(kw_only=True)
class Finding:
    """One observation about an inventory, or about a restore.

    ``subject`` is the name of the host, VM, disk, volume or network the
    finding is about; ``host`` and ``vm`` locate it (``None`` where they do
    not apply). ``severity`` is normally the rule's; HVB501, HVB612 and
    HVB613 decide it case by case.
    """

    rule: Rule
    severity: Severity
    subject: str
    message: str
    host: str | None = None
    vm: str | None = None


class Findings(tuple[Finding, ...], NotebookDisplay):
    """A tuple of findings, as :func:`~hyperv_backup.check` returns them.

    It is an ordinary tuple that a notebook also shows as a report.
    """

    __slots__ = ()


def sort_findings(findings: Iterable[Finding]) -> Findings:
    """Sort by severity; the sort is stable, so inventory order is kept within one."""
    # There are three ranks: putting each finding in the list of its rank and
    # joining the lists gives the order of a stable sort, without a sort key
    # call for each finding.
    ranked: tuple[list[Finding], ...] = tuple([] for _ in Severity)
    for item in findings:
        ranked[item.severity.rank].append(item)
    return Findings([item for group in ranked for item in group])
