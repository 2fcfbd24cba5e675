"""What a rule and a finding are: the types of the catalogue."""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup._base.display import NotebookDisplay
from hyperv_backup._base.slots import slot_setters
from hyperv_backup.rules.profiles import Profile
from hyperv_backup.rules.source import Source

__all__ = ["Finding", "Findings", "Rule", "Severity", "finding", "sort_findings"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


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


def _profile_set(profiles: Iterable[Profile]) -> frozenset[Profile]:
    return frozenset(profiles)


def _profiles(_: object, attribute: attrs.Attribute[frozenset[Profile]], value: object) -> None:
    if not value:
        msg = "a rule is reported by at least one profile"
        raise ValueError(msg)


# Rules are looked up in sets and dictionaries for every finding: their hash is kept.
@attrs.frozen(kw_only=True, cache_hash=True)
class Rule:
    """One entry of the catalogue.

    ``description`` says when the rule fires; ``remedy`` what to do about it;
    ``source`` the page and heading it rests on, and whether the page states it.
    ``profiles`` are the profiles that can report it. ``severity_note`` says
    when one of its findings has another severity than ``severity``;
    ``prerequisite`` is the text of the plan's step that a finding of a host
    rule asks for (``{host}`` is the host's name, quoted).
    """

    id: str
    title: str
    severity: Severity
    profiles: frozenset[Profile] = attrs.field(converter=_profile_set, validator=_profiles)
    source: Source
    description: str
    remedy: str
    severity_note: str | None = None
    prerequisite: str | None = None

    @property
    def section(self) -> str:
        """The heading of the source the rule comes from (``source.heading``)."""
        return self.source.heading


@attrs.frozen(kw_only=True)
class Finding:
    """One observation about an inventory, or about a restore.

    ``subject`` is the name of the host, VM, disk, volume or network the
    finding is about; ``host`` and ``vm`` locate it (``None`` where they do
    not apply). ``severity`` is normally the rule's; the rules with a
    ``severity_note`` (HVB108, HVB501, HVB612, HVB613) decide it case by case.
    """

    rule: Rule
    severity: Severity
    subject: str
    message: str
    host: str | None = None
    vm: str | None = None

    def __str__(self) -> str:
        """Return the rule, the severity and the message: ``HVB305 warning: Volume ...``."""
        return f"{self.rule.id} {self.severity.value}: {self.message}"


class Findings(tuple[Finding, ...], NotebookDisplay):
    """A tuple of findings, as :func:`~hyperv_backup.check` returns them.

    It is an ordinary tuple that a notebook also shows as a report; ``str()``
    gives one line per finding.
    """

    __slots__ = ()

    def __str__(self) -> str:
        return "\n".join(map(str, self)) if self else "no findings"


def sort_findings(findings: Iterable[Finding]) -> Findings:
    """Sort by severity; the sort is stable, so inventory order is kept within one."""
    # There are three ranks: putting each finding in the list of its rank and
    # joining the lists gives the order of a stable sort, without a sort key
    # call for each finding.
    ranked: tuple[list[Finding], ...] = tuple([] for _ in Severity)
    for item in findings:
        ranked[item.severity.rank].append(item)
    return Findings([item for group in ranked for item in group])


# One finding is built per condition met, by the hundred thousand on a fleet:
# setting its slots directly halves the cost of Finding(...) (see slot_setters).
_FINDING_SLOTS = slot_setters(Finding, "rule", "severity", "subject", "message", "host", "vm")


def finding(
    rule: Rule,
    subject: str,
    message: str,
    *,
    host: str | None = None,
    vm: str | None = None,
    severity: Severity | None = None,
) -> Finding:
    """Build a finding of ``rule``, at the rule's severity unless given.

    >>> from hyperv_backup.rules.host import VM_SNAPSHOTS
    >>> finding(VM_SNAPSHOTS, "SQL01", "VM 'SQL01' has 2 VM snapshots.", vm="SQL01").severity
    <Severity.INFO: 'info'>
    """
    set_rule, set_severity, set_subject, set_message, set_host, set_vm = _FINDING_SLOTS
    item: Finding = object.__new__(Finding)
    set_rule(item, rule)
    set_severity(item, rule.severity if severity is None else severity)
    set_subject(item, subject)
    set_message(item, message)
    set_host(item, host)
    set_vm(item, vm)
    return item
