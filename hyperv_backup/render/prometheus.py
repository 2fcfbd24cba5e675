r"""The Prometheus text exposition format, for the node_exporter textfile collector.

Every metric is a gauge. Labels: ``inventory`` (the input as given),
``host``, ``vm``, ``severity`` (error, warning, info) and ``outcome`` (a
:class:`~hyperv_backup.Consistency` value). Every VM has a ``vm_outcome``
sample per outcome, so a query can select one.

Given a backup catalogue (``--backups``), each VM also has how it is
protected: whether it has a good restore point within its maximum age
(``vm_protected``), that maximum age, and the seconds since its last good
restore point (no sample for a VM that has none). Without a catalogue these
metrics are not written at all.

A label value is UTF-8 text in which the format escapes a backslash, a double
quote and a line break, and nothing else. Half of a surrogate pair has no
UTF-8 form: it is written as its escape, its backslash escaped in turn, so
that the value reads ``\ud800``.

>>> import hyperv_backup as hb
>>> from hyperv_backup.render.reports import inventory_report
>>> report = inventory_report("host.json", "check", hb.load_example("host"))
>>> print(RENDERER.fleet([report], Frame(title="check")).splitlines()[2])
hyperv_backup_inventory_read{inventory="host.json"} 1
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.decide.outcome import Consistency
from hyperv_backup.render._formats import Frame, ReportFormat, unsupported
from hyperv_backup.render.reports import InventoryReport, Share, severity_count, shared
from hyperv_backup.rules import Finding, Rule

if TYPE_CHECKING:
    from hyperv_backup.decide.plan import Plan
    from hyperv_backup.decide.steps import Step
    from hyperv_backup.diagnose.diagnosis import Diagnosis

__all__ = ["METRICS", "RENDERER", "PrometheusPart", "PrometheusRenderer"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: The metrics, without their ``hyperv_backup_`` prefix, in the order they are written, with their help.
METRICS = (
    ("inventory_read", "1 when the inventory was read, 0 when it could not be."),
    ("inventory_findings", "Findings about the inventory that name no host, by severity."),
    ("host_vms", "VMs on the host."),
    ("host_findings", "Findings about the host itself (not one of its VMs), by severity."),
    ("vm_outcome", "1 for what the VM's host-level backup will be, 0 for the other outcomes."),
    ("vm_downtime", "1 when the VM's backup takes it offline (saved for the copy), else 0."),
    ("vm_findings", "Findings about the VM, by severity."),
    ("vm_checkpoints", "Checkpoints of the VM, Hyper-V Replica's recovery points left out."),
    (
        "vm_oldest_checkpoint_age_seconds",
        "Age of the VM's oldest checkpoint when its host's facts were collected, in seconds; "
        "no sample when not known.",
    ),
    # Given a backup catalogue only (_PROTECTION_METRICS).
    (
        "vm_protected",
        "1 when the VM has a good restore point within its maximum age (or is exempt, or "
        "excepted), 0 when not.",
    ),
    ("vm_restore_point_max_age_seconds", "The maximum age of the VM's last good restore point."),
    ("vm_last_good_restore_point_age_seconds", "Seconds since the VM's last good restore point."),
)

#: The metrics written only when a backup catalogue was given: an output without one
#: is the same as before they were added.
_PROTECTION_METRICS = frozenset(
    {"vm_protected", "vm_restore_point_max_age_seconds", "vm_last_good_restore_point_age_seconds"}
)


#: What a label value escapes: a backslash, a double quote, a line break; and
#: half of a surrogate pair, which has no UTF-8 form.
_ESCAPED = re.compile('[\\\\"\n\ud800-\udfff]')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n"}


def _escape(char: str) -> str:
    found = _ESCAPES.get(char)
    return found if found is not None else f"\\\\u{ord(char):04x}"


def _label(value: str) -> str:
    return _ESCAPED.sub(lambda m: _escape(m.group()), value)


def _labels(**labels: str) -> str:
    return ",".join(f'{key}="{_label(value)}"' for key, value in labels.items())


@attrs.frozen
class PrometheusPart:
    """One input's share of the exposition: its samples, a line each, by metric name (without prefix)."""

    samples: Mapping[str, str] = attrs.field(hash=False)


def _samples(report: InventoryReport) -> dict[str, list[str]]:
    samples: dict[str, list[str]] = {name: [] for name, _ in METRICS}
    outcomes = [c.value for c in Consistency]
    where = _labels(inventory=report.source)
    samples["inventory_read"].append(f"hyperv_backup_inventory_read{{{where}}} {int(report.read)}")
    if not report.read:
        return samples
    loose = severity_count(f for f in report.findings if f.host is None)
    samples["inventory_findings"].extend(
        f'hyperv_backup_inventory_findings{{{where},severity="{s}"}} {n}' for s, n in loose.items()
    )
    for host, _ in report.hosts:
        on = f"{where},{_labels(host=host)}"
        on_host = [vm for vm in report.vms if vm.host == host]
        samples["host_vms"].append(f"hyperv_backup_host_vms{{{on}}} {len(on_host)}")
        own = severity_count(f for f in report.findings if f.host == host and f.vm is None)
        samples["host_findings"].extend(
            f'hyperv_backup_host_findings{{{on},severity="{s}"}} {n}' for s, n in own.items()
        )
        for vm in on_host:
            labels = f"{on},{_labels(vm=vm.name)}"
            actual = vm.consistency.value
            samples["vm_outcome"].extend(
                f'hyperv_backup_vm_outcome{{{labels},outcome="{o}"}} {int(o == actual)}'
                for o in outcomes
            )
            samples["vm_downtime"].append(
                f"hyperv_backup_vm_downtime{{{labels}}} {int(vm.causes_downtime)}"
            )
            samples["vm_findings"].extend(
                f'hyperv_backup_vm_findings{{{labels},severity="{s}"}} {n}'
                for s, n in severity_count(vm.findings).items()
            )
            samples["vm_checkpoints"].append(
                f"hyperv_backup_vm_checkpoints{{{labels}}} {vm.checkpoints}"
            )
            if vm.oldest_checkpoint_age is not None:
                samples["vm_oldest_checkpoint_age_seconds"].append(
                    f"hyperv_backup_vm_oldest_checkpoint_age_seconds{{{labels}}} "
                    f"{vm.oldest_checkpoint_age}"
                )
            status = vm.protection
            if status is not None:
                samples["vm_protected"].append(
                    f"hyperv_backup_vm_protected{{{labels}}} {int(not status.unprotected)}"
                )
                samples["vm_restore_point_max_age_seconds"].append(
                    f"hyperv_backup_vm_restore_point_max_age_seconds{{{labels}}} "
                    f"{int(status.max_age.total_seconds())}"
                )
                if status.age is not None:
                    samples["vm_last_good_restore_point_age_seconds"].append(
                        f"hyperv_backup_vm_last_good_restore_point_age_seconds{{{labels}}} "
                        f"{int(status.age.total_seconds())}"
                    )
    return samples


@attrs.frozen
class PrometheusRenderer:
    """The reports of many inputs as one exposition, all gauges (``Part``: :class:`PrometheusPart`)."""

    def findings(self, findings: Sequence[Finding], frame: Frame) -> str:
        """Refuse: a sample is labelled with its inventory."""
        raise unsupported(ReportFormat.PROMETHEUS, "findings alone")

    def plan(self, plan: Plan, frame: Frame) -> str:
        """Refuse: Prometheus renders reports of inventories only."""
        raise unsupported(ReportFormat.PROMETHEUS, "a plan")

    def steps(self, steps: Sequence[Step], frame: Frame) -> str:
        """Refuse: Prometheus renders reports of inventories only."""
        raise unsupported(ReportFormat.PROMETHEUS, "steps")

    def rules(self, rules: Sequence[Rule], frame: Frame) -> str:
        """Refuse: Prometheus renders reports of inventories only."""
        raise unsupported(ReportFormat.PROMETHEUS, "rules")

    def diagnosis(self, diagnosis: Diagnosis, frame: Frame) -> str:
        """Refuse: Prometheus renders reports of inventories only."""
        raise unsupported(ReportFormat.PROMETHEUS, "a diagnosis")

    def part(self, report: InventoryReport, index: int, frame: Frame) -> PrometheusPart:
        """Return one input's samples, by metric."""
        return PrometheusPart({name: "\n".join(lines) for name, lines in _samples(report).items()})

    def fleet(
        self, reports: Sequence[InventoryReport | Share[PrometheusPart]], frame: Frame
    ) -> str:
        """Render the reports as one exposition: each metric's help and type, then its samples."""
        parts = [
            s.part
            for s in shared(
                reports, functools.partial(self.part, frame=frame), PrometheusPart, "Prometheus"
            )
        ]
        lines = []
        for name, help_text in METRICS:
            if name in _PROTECTION_METRICS and not any(part.samples[name] for part in parts):
                continue
            lines += [
                f"# HELP hyperv_backup_{name} {help_text}",
                f"# TYPE hyperv_backup_{name} gauge",
            ]
            lines += [part.samples[name] for part in parts if part.samples[name]]
        return "\n".join(lines) + "\n"


#: The Prometheus renderer.
RENDERER = PrometheusRenderer()
