r"""The Monitoring Plugins format: one status line with performance data, and the plugin's exit status.

Icinga, Nagios, Checkmk and Zabbix run a check as a plugin: it writes a
status line on standard output, ``SERVICE STATUS - text | performance data``,
and its exit status is the service's state (the Monitoring Plugin
Development Guidelines, https://www.monitoring-plugins.org/doc/guidelines.html,
"Plugin Return Codes" and "Plugin Output for Nagios"). The state comes from
the exit status alone, never from the text; here they always agree:

=============  ====  ============================================================
state          exit  when
=============  ====  ============================================================
``CRITICAL``   2     a VM has no good restore point within its maximum age, and no
                     exemption or exception (HVB801, HVB802): its data is at risk now
``UNKNOWN``    3     an input (inventory, catalogue, policy) could not be read, or the
                     command line could not be run: the answer is not known
``WARNING``    1     a finding at or above ``--fail-on`` (``check``: error by default;
                     ``plan``: never by default), after ``--ignore`` and the
                     policy's exceptions: tonight's backup is at risk
``OK``         0     none of these
=============  ====  ============================================================

The worst state of all the inputs is the plugin's, in that order. Without a
catalogue no VM is unprotected, so the state says what the findings say.

After the status line come long-text lines: each input, then each VM that is
unprotected; the last line holds more performance data, each VM's age.
Performance data follow the guidelines' "Performance data":
``'label'=value[UOM];[warn];[crit];[min];[max]``, a space between; a label
never holds ``=`` or ``'`` (the guidelines disagree on quoting them: they are
replaced by ``_``); a VM with no good restore point has the value ``U``.

>>> import hyperv_backup as hb
>>> from hyperv_backup.render.reports import inventory_report
>>> from hyperv_backup.render._formats import Frame
>>> report = inventory_report("host.json", "check", hb.load_example("host"), status=0)
>>> print(RENDERER.fleet([report], Frame(title="check")))
HYPERV_BACKUP OK - 3 VMs, no finding at or above error; no catalogue given, protection not checked | vms=3;;;0 unprotected=0;;0;0;3 errors=0;;;0 warnings=0;;;0 info=0;;;0
host.json: host HV-STANDALONE01, 3 VMs, 0 errors, 0 warnings, 0 info
<BLANKLINE>
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.model import duration_text
from hyperv_backup.render._formats import Frame, ReportFormat, unsupported
from hyperv_backup.render._protection import STATE_WORDS
from hyperv_backup.render.reports import InventoryReport, Share, shared
from hyperv_backup.rules import Finding, Rule, Severity
from hyperv_backup.rules.restore_points import ProtectionState, time_text

if TYPE_CHECKING:
    from hyperv_backup.decide.plan import Plan
    from hyperv_backup.decide.steps import Step
    from hyperv_backup.diagnose.diagnosis import Diagnosis

__all__ = ["RENDERER", "NagiosPart", "NagiosRenderer", "PluginState", "plugin_state"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: What the status line begins with: the service, as the guidelines write it in capitals.
SERVICE = "HYPERV_BACKUP"

#: How many unprotected VMs the status line names; the long text names them all.
_NAMED = 3
_EXEMPT = ProtectionState.EXEMPT


class PluginState(enum.IntEnum):
    """A plugin's state, which is its exit status."""

    OK = 0
    WARNING = 1
    CRITICAL = 2
    UNKNOWN = 3


#: The states from least to most urgent: the plugin's is the most urgent of its inputs'.
_URGENCY = (PluginState.OK, PluginState.WARNING, PluginState.UNKNOWN, PluginState.CRITICAL)

#: The exit status of ``check`` or ``plan`` that says a finding is at or above ``--fail-on``.
_FAILED = 1

_UNSAFE = re.compile(r"[|\r\n]")


def _text(value: str) -> str:
    """Make ``value`` safe in the status line or long text: no line break, no ``|``."""
    return _UNSAFE.sub("/", value)


def _label(value: str) -> str:
    """Make ``value`` a performance data label: without ``=`` or ``'``, quoted."""
    cleaned = _UNSAFE.sub("/", value).replace("=", "_").replace("'", "_")
    return f"'{cleaned}'"


@attrs.frozen
class NagiosPart:
    """One input's share: its state, its line of long text, its counts, its VMs' lines and ages."""

    state: PluginState
    line: str
    vms: int = 0
    unprotected: tuple[str, ...] = ()
    details: tuple[str, ...] = ()
    errors: int = 0
    warnings: int = 0
    info: int = 0
    catalogued: bool = False
    ages: tuple[str, ...] = ()


def _part(report: InventoryReport) -> NagiosPart:
    if not report.read:
        # An input not read has its problems; the first says why.
        why = _text(report.problems[0])
        return NagiosPart(PluginState.UNKNOWN, f"{_text(report.source)}: not read: {why}")
    counts = report.severities
    statuses = [vm.protection for vm in report.vms if vm.protection is not None]
    unprotected = [s for s in statuses if s.unprotected]
    if unprotected:
        state = PluginState.CRITICAL
    elif report.status == _FAILED:
        state = PluginState.WARNING
    else:
        state = PluginState.OK
    line = (
        f"{_text(report.source)}: {report.kind} {_text(report.name or '')}, {report.vm_count} VMs, "
        + (f"{len(unprotected)} unprotected, " if statuses else "")
        + f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} info"
    )
    details = []
    for status in unprotected:
        last = status.last_good
        since = (
            f", last good restore point {time_text(last.taken_at)}"
            f" ({duration_text(status.age)} ago)"
            if last is not None and status.age is not None
            else ""
        )
        details.append(
            f"{_text(status.vm)} ({_text(status.host)}): {STATE_WORDS[status.state]}{since}, "
            f"max age {duration_text(status.max_age)}"
        )
    # Each VM's age, named by its host too (the two sides of a Replica pair
    # have one name); an exempt VM has no critical threshold, as it is not judged by it.
    ages = [
        f"{_label(f'{status.host}/{status.vm} age')}="
        + ("U" if status.age is None else f"{int(status.age.total_seconds())}s")
        + (";;;0;" if status.state is _EXEMPT else f";;{int(status.max_age.total_seconds())};0;")
        for status in statuses
    ]
    return NagiosPart(
        state,
        line,
        vms=report.vm_count,
        unprotected=tuple(_text(s.vm) for s in unprotected),
        details=tuple(details),
        errors=counts["error"],
        warnings=counts["warning"],
        info=counts["info"],
        catalogued=bool(statuses) or bool(report.protection),
        ages=tuple(ages),
    )


def plugin_state(reports: Sequence[InventoryReport | Share[NagiosPart]]) -> PluginState:
    """Return the plugin's state of many inputs: the most urgent of theirs (the module says how)."""
    states = [item.part.state if isinstance(item, Share) else _part(item).state for item in reports]
    return max(states, key=_URGENCY.index, default=PluginState.UNKNOWN)


def _gate(fails_at: Severity | None) -> str:
    return "no gate on findings" if fails_at is None else f"no finding at or above {fails_at.value}"


def _summary(state: PluginState, parts: Sequence[NagiosPart], fails_at: Severity | None) -> str:
    vms = sum(p.vms for p in parts)
    unread = sum(1 for p in parts if p.state is PluginState.UNKNOWN)
    unprotected = [name for p in parts for name in p.unprotected]
    if unprotected:
        named = ", ".join(unprotected[:_NAMED])
        more = f" and {len(unprotected) - _NAMED} more" if len(unprotected) > _NAMED else ""
        return (
            f"{len(unprotected)} of {vms} VMs without a good restore point within their maximum "
            f"age: {named}{more}"
        )
    if unread:
        return f"{unread} of {len(parts)} inputs not read"
    protection = (
        "every VM protected"
        if any(p.catalogued for p in parts)
        else "no catalogue given, protection not checked"
    )
    if state is PluginState.WARNING:
        errors = sum(p.errors for p in parts)
        warnings = sum(p.warnings for p in parts)
        return (
            f"findings at or above {fails_at.value if fails_at else 'the gate'} "
            f"({errors} errors, {warnings} warnings) in {vms} VMs; {protection}"
        )
    return f"{vms} VMs, {_gate(fails_at)}; {protection}"


@attrs.frozen
class NagiosRenderer:
    """The reports of many inputs as one plugin output (``Part``: :class:`NagiosPart`)."""

    def findings(self, findings: Sequence[Finding], frame: Frame) -> str:
        """Refuse: a plugin's state is that of reports of inventories."""
        raise unsupported(ReportFormat.NAGIOS, "findings alone")

    def plan(self, plan: Plan, frame: Frame) -> str:
        """Refuse: the plugin format renders reports of inventories only."""
        raise unsupported(ReportFormat.NAGIOS, "a plan")

    def steps(self, steps: Sequence[Step], frame: Frame) -> str:
        """Refuse: the plugin format renders reports of inventories only."""
        raise unsupported(ReportFormat.NAGIOS, "steps")

    def rules(self, rules: Sequence[Rule], frame: Frame) -> str:
        """Refuse: the plugin format renders reports of inventories only."""
        raise unsupported(ReportFormat.NAGIOS, "rules")

    def diagnosis(self, diagnosis: Diagnosis, frame: Frame) -> str:
        """Refuse: the plugin format renders reports of inventories only."""
        raise unsupported(ReportFormat.NAGIOS, "a diagnosis")

    def part(self, report: InventoryReport, index: int, frame: Frame) -> NagiosPart:
        """Return one input's state, long text and performance data."""
        return _part(report)

    def fleet(self, reports: Sequence[InventoryReport | Share[NagiosPart]], frame: Frame) -> str:
        """Render the status line, the long text of each input and VM, then the VMs' ages."""
        shares = shared(reports, functools.partial(self.part, frame=frame), NagiosPart, "Nagios")
        parts = [s.part for s in shares]
        state = plugin_state(shares)
        vms = sum(p.vms for p in parts)
        unprotected = sum(len(p.unprotected) for p in parts)
        totals = " ".join(
            [
                f"vms={vms};;;0",
                f"unprotected={unprotected};;0;0;{vms}",
                f"errors={sum(p.errors for p in parts)};;;0",
                f"warnings={sum(p.warnings for p in parts)};;;0",
                f"info={sum(p.info for p in parts)};;;0",
            ]
        )
        lines = [
            f"{SERVICE} {state.name} - {_summary(state, parts, frame.fails_at)} | {totals}",
            *(line for p in parts for line in (p.line, *p.details)),
        ]
        ages = [age for p in parts for age in p.ages]
        if ages:
            # More performance data after a | on a later line; the space after the | keeps
            # it apart from the first line's, which Nagios joins to it as they are.
            lines.append("| " + " ".join(ages))
        return "\n".join(lines) + "\n"


#: The Monitoring Plugins renderer.
RENDERER = NagiosRenderer()
