r"""The reports of inventories, one per input, that the output of many inputs is made of.

An :class:`InventoryReport` is what one inventory gave: its findings, and for
each VM the outcome of its backup, whether it causes downtime and its
findings; or, for an input that could not be read, why. Every format renders
a sequence of them, in input order (:func:`~hyperv_backup.render.render_fleet`):
text, JSON, Markdown and HTML as a summary of every input then each one's own
report; SARIF (:mod:`~hyperv_backup.render.sarif`), JUnit
(:mod:`~hyperv_backup.render.junit`) and Prometheus
(:mod:`~hyperv_backup.render.prometheus`) as one document for them all.

A process that evaluates an input can make its share of the output there
(a :class:`Share`), so that only the share and the counts travel back.

>>> import hyperv_backup as hb
>>> report = inventory_report("cluster.json", "check", hb.load_example("cluster"))
>>> report.kind, report.name, len(report.vms), report.vms[1].name, report.vms[1].consistency.value
('cluster', 'HVCLUSTER01', 9, 'FS01', 'saved_state')
>>> from hyperv_backup.render import ReportFormat, render_fleet
>>> print(render_fleet([report], ReportFormat.PROMETHEUS).splitlines()[2])
hyperv_backup_inventory_read{inventory="cluster.json"} 1
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.decide.outcome import Consistency
from hyperv_backup.decide.protection import ProtectionStatus, ProtectionSummary
from hyperv_backup.model import Checkpoint, Cluster, Host, hosts_of
from hyperv_backup.render._palette import at_risk, look, worst
from hyperv_backup.render._protection import protection_counts
from hyperv_backup.rules import Finding, Profile, Severity
from hyperv_backup.rules.hygiene import checkpoint_age

if TYPE_CHECKING:
    from hyperv_backup.decide.evaluate import VMView

__all__ = [
    "OUTCOME_HEADINGS",
    "STATUS_WORDS",
    "InventoryReport",
    "Share",
    "VmReport",
    "at_risk_count",
    "collected_at",
    "collection_times",
    "consistency_count",
    "failed_report",
    "fleet_rows",
    "fleet_tables",
    "fleet_totals",
    "inventory_report",
    "outcome_rows",
    "protection_fleet_rows",
    "severity_count",
    "shared",
    "worst_outcome",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)


@attrs.frozen(kw_only=True)
class VmReport:
    """One VM of an inventory: where it is, what its backup will be, and its findings.

    ``path`` is where the VM is in the inventory document (``nodes[0].vms[2]``).
    ``checkpoints`` counts its checkpoints, Hyper-V Replica's recovery points
    left out; ``oldest_checkpoint_age`` is the age of the oldest of them, in
    seconds, when its host's facts were collected (``None``: not known).
    ``protection`` is how a backup catalogue protects it, when one was given.
    """

    name: str
    host: str
    path: str
    consistency: Consistency
    causes_downtime: bool
    findings: tuple[Finding, ...] = ()
    checkpoints: int = 0
    oldest_checkpoint_age: int | None = None
    protection: ProtectionStatus | None = None


@attrs.frozen(kw_only=True)
class InventoryReport:
    """What one input gave.

    ``source`` names the input as it was given (a path, ``-`` for standard
    input, ``example:NAME``). ``status`` is the exit status it alone would
    give. An input that could not be read has ``problems`` (one line each)
    and nothing else. ``hosts`` pairs each host's name with its place in the
    document; ``detail`` is the input's own report, in the text, JSON,
    Markdown or HTML asked for, when one was rendered.
    """

    source: str
    command: str
    status: int
    kind: str | None = None
    name: str | None = None
    hosts: tuple[tuple[str, str], ...] = ()
    vms: tuple[VmReport, ...] = ()
    findings: tuple[Finding, ...] = ()
    problems: tuple[str, ...] = ()
    detail: str = ""
    #: How many findings of each severity the inventory has (error, warning, info first to last).
    severities: Mapping[str, int] = attrs.field(factory=dict, eq=False, hash=False)
    #: How many VMs it has, how many of them by backup outcome, and how many have downtime.
    vm_count: int = 0
    consistency: Mapping[str, int] = attrs.field(factory=dict, eq=False, hash=False)
    downtime: int = 0
    #: When the inventory's data was collected, when it says.
    collected_at: datetime | None = None
    #: How many VMs by protection state, when a backup catalogue was given (else empty),
    #: and how many of them are unprotected (no good restore point within their maximum age).
    protection: Mapping[str, int] = attrs.field(factory=dict, eq=False, hash=False)
    unprotected: int = 0

    @property
    def read(self) -> bool:
        """Whether the input was read: it has no problems."""
        return not self.problems

    def summary(self) -> InventoryReport:
        """Return this report without its findings, VMs, hosts and detail, for a summary: their counts stay."""
        return attrs.evolve(self, findings=(), vms=(), hosts=(), detail="")


Part = TypeVar("Part")


@attrs.frozen
class Share(Generic[Part]):
    """One input's share of the output of many, made by one format's renderer.

    ``report`` is the input's report without its findings (its counts stay:
    :meth:`InventoryReport.summary`); ``part`` is what the renderer made of
    it (:meth:`~hyperv_backup.render.Renderer.part`).
    """

    report: InventoryReport
    part: Part


def inventory_report(
    source: str,
    command: str,
    target: Host | Cluster,
    findings: Iterable[Finding] = (),
    *,
    status: int = 0,
    profile: Profile | None = None,
    detail: str = "",
    views: Sequence[VMView] | None = None,
    protection: ProtectionSummary | None = None,
) -> InventoryReport:
    """Return the report of one inventory: ``findings`` placed on its VMs and hosts.

    Each VM's outcome is the one its evaluation gave: ``views`` are the VMs
    of an evaluation of ``target`` (``hyperv_backup.decide.evaluate``), in
    the order it lists them. Without them, ``target`` is evaluated here, once,
    each host answered by ``profile`` or its own release's profile, each VM on
    the host that lists it. ``protection`` gives each VM its protection status,
    in the same order.
    """
    if views is None:
        # Imported here: a caller that brings its evaluation needs no other.
        from hyperv_backup.decide.evaluate import evaluate  # noqa: PLC0415

        views = evaluate(target, profile=profile).vms
    kept = tuple(findings)
    by_vm: dict[tuple[str | None, str | None], list[Finding]] = {}
    for finding in kept:
        by_vm.setdefault((finding.host, finding.vm), []).append(finding)
    cluster = isinstance(target, Cluster)
    hosts = []
    vms = []
    evaluated = iter(views)
    statuses = iter(protection.statuses if protection is not None else ())
    for index, host in enumerate(hosts_of(target)):
        host_path = f"nodes[{index}]" if cluster else ""
        hosts.append((host.name, host_path))
        for number, vm in enumerate(host.vms):
            view = next(evaluated, None)
            if view is None or view.vm is not vm:
                msg = f"the views given do not list VM {vm.name!r} of {host.name!r} in its place"
                raise ValueError(msg)
            outcome = view.outcome
            vms.append(
                VmReport(
                    name=vm.name,
                    host=host.name,
                    path=f"{host_path}.vms[{number}]" if cluster else f"vms[{number}]",
                    consistency=outcome.consistency,
                    causes_downtime=outcome.causes_downtime,
                    findings=tuple(by_vm.get((host.name, vm.name), ())),
                    checkpoints=len(vm.snapshots),
                    oldest_checkpoint_age=_oldest(vm.checkpoints, host.collected_at),
                    protection=next(statuses, None),
                )
            )
    if next(evaluated, None) is not None:
        msg = f"the views given list more VMs than {target.name!r} has"
        raise ValueError(msg)
    return InventoryReport(
        source=source,
        command=command,
        status=status,
        kind="cluster" if cluster else "host",
        name=target.name,
        hosts=tuple(hosts),
        vms=tuple(vms),
        findings=kept,
        detail=detail,
        severities=severity_count(kept),
        vm_count=len(vms),
        consistency=consistency_count(vms),
        downtime=sum(vm.causes_downtime for vm in vms),
        collected_at=collected_at(target),
        **_protection_counts(protection),
    )


def _protection_counts(protection: ProtectionSummary | None) -> dict[str, Any]:
    """Return the counts by protection state of a report, when a catalogue was given."""
    if protection is None:
        return {}
    return {
        "protection": protection_counts(protection.statuses),
        "unprotected": len(protection.unprotected),
    }


def collected_at(target: Host | Cluster) -> datetime | None:
    """Return when an inventory was collected: its oldest facts, of the hosts that say."""
    return min(collection_times(target).values(), default=None)


def collection_times(target: Host | Cluster) -> dict[str, datetime]:
    """Return when each host of an inventory was collected, for the hosts that say."""
    return {h.name: h.collected_at for h in hosts_of(target) if h.collected_at is not None}


def _oldest(checkpoints: Sequence[Checkpoint], at: datetime | None) -> int | None:
    """Return the age in whole seconds of the oldest checkpoint at ``at``, or ``None``."""
    ages = [
        age
        for checkpoint in checkpoints
        if not checkpoint.is_replica and (age := checkpoint_age(checkpoint, at)) is not None
    ]
    return int(max(ages).total_seconds()) if ages else None


def failed_report(
    source: str, command: str, status: int, problems: Sequence[str]
) -> InventoryReport:
    """Return the report of an input that could not be read, with why."""
    return InventoryReport(source=source, command=command, status=status, problems=tuple(problems))


def severity_count(findings: Iterable[Finding]) -> dict[str, int]:
    """Count findings by severity, every severity listed."""
    counts = dict.fromkeys((s.value for s in _SEVERITIES), 0)
    for finding in findings:
        counts[finding.severity.value] += 1
    return counts


def consistency_count(vms: Iterable[VmReport]) -> dict[str, int]:
    """Count VMs by outcome, in the order of :class:`Consistency`, leaving out the absent ones."""
    counts = dict.fromkeys((c.value for c in Consistency), 0)
    for vm in vms:
        counts[vm.consistency.value] += 1
    return {k: v for k, v in counts.items() if v}


#: What each exit status says of one input, in the fleet summary.
STATUS_WORDS = {0: "ok", 1: "failed", 2: "unreadable", 3: "invalid"}


#: The short column heading of each outcome in the fleet summary, worst first.
OUTCOME_HEADINGS = {
    Consistency.FAILS: "fails",
    Consistency.NOT_BACKED_UP: "none",
    Consistency.NOT_APPLICATION_CONSISTENT: "no-app",
    Consistency.SAVED_STATE: "saved",
    Consistency.CRASH_CONSISTENT: "crash",
    Consistency.FILE_SYSTEM_CONSISTENT: "fs",
    Consistency.APPLICATION_CONSISTENT: "app",
    Consistency.NOT_RUNNING: "off",
}


def worst_outcome(counts: Mapping[str, int]) -> Consistency | None:
    """Return the worst outcome among counts by outcome (:func:`consistency_count`), ``None`` for no VM.

    >>> worst_outcome({"not_running": 2, "crash_consistent": 1}).value
    'crash_consistent'
    """
    return worst(Consistency(name) for name, n in counts.items() if n)


def at_risk_count(counts: Mapping[str, int]) -> int:
    """Return how many VMs are at risk among counts by outcome: their backup fails, holds nothing, is crash-consistent or saves them.

    >>> at_risk_count({"fails": 2, "saved_state": 1, "application_consistent": 5})
    3
    """
    return sum(n for name, n in counts.items() if at_risk(Consistency(name)))


def _worst_words(counts: Mapping[str, int]) -> str:
    found = worst_outcome(counts)
    return "no VMs" if found is None else look(found).label


def fleet_rows(reports: Sequence[InventoryReport], *, gated: bool = True) -> list[dict[str, str]]:
    """Return one row per input for the fleet summary, in input order, and the totals last.

    Each row says the input's worst outcome and how many VMs are at risk; an
    input that could not be read says why there. With ``gated`` (a
    ``--fail-on`` other than ``never``), ``exit`` says whether the input
    passes the gate.
    """
    rows = []
    for report in reports:
        counts = report.severities
        read = report.read
        row = {
            "input": report.source,
            "inventory": f"{report.kind} {report.name}" if read else "-",
            "VMs": str(report.vm_count) if read else "-",
            "worst outcome": _worst_words(report.consistency)
            if read
            else STATUS_WORDS.get(report.status, str(report.status)),
            "at risk": str(at_risk_count(report.consistency)) if read else "-",
            "errors": str(counts["error"]) if read else "-",
            "warnings": str(counts["warning"]) if read else "-",
            "info": str(counts["info"]) if read else "-",
        }
        if gated:
            row["exit"] = ("fails" if report.status else "passes") if read else "-"
        rows.append(row)
    totals = fleet_totals(reports)
    counts = totals["findings"]
    total = {
        "input": "total",
        "inventory": f"{totals['read']} of {totals['inputs']} read",
        "VMs": str(totals["vms"]),
        "worst outcome": _worst_words(totals["consistency"]),
        "at risk": str(totals["at_risk"]),
        "errors": str(counts["error"]),
        "warnings": str(counts["warning"]),
        "info": str(counts["info"]),
    }
    if gated:
        total["exit"] = f"{totals['failed']} fail"
    rows.append(total)
    return rows


def outcome_rows(reports: Sequence[InventoryReport]) -> tuple[list[dict[str, str]], str]:
    """Return the VMs of each read input by backup outcome, worst first (totals last), and the legend of the headings.

    Only the outcomes some VM has get a column.
    """
    read = [r for r in reports if r.read]
    total = _summed(r.consistency for r in read)
    present = [c for c in OUTCOME_HEADINGS if total.get(c.value)]
    rows = []
    for source, counts in [*((r.source, r.consistency) for r in read), ("total", total)]:
        rows.append(
            {"input": source, **{OUTCOME_HEADINGS[c]: str(counts.get(c.value, 0)) for c in present}}
        )
    legend = ", ".join(f"{OUTCOME_HEADINGS[c]}: {look(c).label}" for c in present)
    return rows, legend


#: The fleet summary: its rows (totals last), the outcome rows, and the outcome table's heading.
FleetTables = tuple[list[dict[str, str]], list[dict[str, str]], str]


def fleet_tables(reports: Sequence[InventoryReport], *, gated: bool = True) -> FleetTables:
    """Return the tables that open the text, Markdown and HTML output of many inputs."""
    outcomes, legend = outcome_rows(reports)
    heading = f"VMs by backup outcome, worst first ({legend})"
    return fleet_rows(reports, gated=gated), outcomes, heading


def protection_fleet_rows(reports: Sequence[InventoryReport]) -> list[dict[str, str]]:
    """Return the VMs of each input by protection state (totals last); empty without a catalogue.

    Only the inputs checked against a catalogue get a row, and only the states some VM has a column.
    """
    from hyperv_backup.render._protection import STATE_WORDS  # noqa: PLC0415 - its words only
    from hyperv_backup.rules.restore_points import ProtectionState  # noqa: PLC0415

    read = [r for r in reports if r.read and r.protection]
    if not read:
        return []
    total = _summed(r.protection for r in read)
    present = [s for s in ProtectionState if total.get(s.value)]
    rows = []
    for source, counts, unprotected in [
        *((r.source, r.protection, r.unprotected) for r in read),
        ("total", total, sum(r.unprotected for r in read)),
    ]:
        rows.append(
            {
                "input": source,
                **{STATE_WORDS[s]: str(counts.get(s.value, 0)) for s in present},
                "unprotected": str(unprotected),
            }
        )
    return rows


def shared(
    items: Sequence[InventoryReport | Share[Part]],
    make: Callable[[InventoryReport, int], Part],
    kind: type | tuple[type, ...],
    name: str,
) -> list[Share[Part]]:
    """Return each input's share, making with ``make(report, index)`` those not made yet.

    A share made by another format's renderer (its part not a ``kind``) is
    refused with :class:`TypeError`: the ``name`` renderer cannot read it.
    """
    found: list[Share[Part]] = []
    for index, item in enumerate(items):
        if isinstance(item, InventoryReport):
            found.append(Share(item.summary(), make(item, index)))
            continue
        if not isinstance(item.part, kind):
            msg = f"the {name} renderer cannot join a share made as {type(item.part).__name__}"
            raise TypeError(msg)
        found.append(item)
    return found


def fleet_totals(reports: Sequence[InventoryReport]) -> dict[str, Any]:
    """Return the fleet's totals: inputs, those read and not, VMs by outcome, findings by severity."""
    read = [r for r in reports if r.read]
    total = _summed(r.consistency for r in read)
    protected = [r for r in read if r.protection]
    protection = (
        {
            "protection": _summed(r.protection for r in protected),
            "unprotected": sum(r.unprotected for r in protected),
        }
        if protected
        else {}
    )
    return {
        "inputs": len(reports),
        "read": len(read),
        "not_read": len(reports) - len(read),
        "failed": sum(1 for r in read if r.status != 0),
        "vms": sum(r.vm_count for r in read),
        "consistency": {c.value: total[c.value] for c in Consistency if total.get(c.value)},
        "downtime": sum(r.downtime for r in read),
        "at_risk": at_risk_count(total),
        "findings": {
            severity: sum(r.severities.get(severity, 0) for r in read)
            for severity in severity_count(())
        },
        # Only when a backup catalogue was given: the fleet without one reads as before.
        **protection,
    }


def _summed(counts: Iterable[Mapping[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for each in counts:
        for key, value in each.items():
            total[key] = total.get(key, 0) + value
    return total
