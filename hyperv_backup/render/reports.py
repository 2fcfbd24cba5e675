r"""Reports of many inventories at once, and the formats other tools read them in.

An :class:`InventoryReport` is what one inventory gave: its findings, and for
each VM the outcome of its backup, whether it causes downtime and its
findings; or, for an input that could not be read, why. The functions here
render a sequence of them, in input order:

* :func:`render_sarif`: SARIF 2.1.0, for code-scanning dashboards; one
  result per finding, the rule catalogue as the tool's rules;
* :func:`render_junit`: JUnit XML, one test case per VM (and one per host for
  the host's own findings), failing on findings at or above a severity;
* :func:`render_prometheus`: the Prometheus text exposition format, for the
  node_exporter textfile collector: gauges per VM and host with stable labels;
* :func:`render_fleet`: a summary of every inventory, then each one's own
  report, in text, JSON, Markdown or HTML.

>>> import hyperv_backup as hb
>>> report = inventory_report("cluster.json", "check", hb.load_example("cluster"))
>>> report.kind, report.name, len(report.vms), report.vms[1].name, report.vms[1].consistency.value
('cluster', 'HVCLUSTER01', 9, 'FS01', 'saved_state')
>>> print(render_prometheus([report]).splitlines()[2])
hyperv_backup_inventory_read{inventory="cluster.json"} 1
"""

from __future__ import annotations

import json as _json
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from hyperv_backup._version import __version__
from hyperv_backup.decide.outcome import Consistency, backup_outcome
from hyperv_backup.model import Cluster, Host, hosts_of
from hyperv_backup.render._formats import ReportFormat
from hyperv_backup.rules import RULES, Finding, Profile, Rule, Severity, profile_for
from hyperv_backup.rules.pages import citation

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

__all__ = [
    "InventoryReport",
    "ReportFormat",
    "VmReport",
    "failed_report",
    "fleet_rows",
    "fleet_totals",
    "inventory_report",
    "junit_part",
    "outcome_rows",
    "prometheus_part",
    "render_junit",
    "render_prometheus",
    "render_sarif",
    "report_part",
    "sarif_part",
]

#: The program's name, as the reports give it.
TOOL = "hyperv-backup"
#: Where the rules are described; each rule's help URI is this with its anchor.
RULES_DOCUMENT = "docs/rules.md"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)


@attrs.frozen(kw_only=True)
class VmReport:
    """One VM of an inventory: where it is, what its backup will be, and its findings.

    ``path`` is where the VM is in the inventory document (``nodes[0].vms[2]``).
    """

    name: str
    host: str
    path: str
    consistency: Consistency
    causes_downtime: bool
    findings: tuple[Finding, ...] = ()


@attrs.frozen(kw_only=True)
class InventoryReport:
    """What one input gave.

    ``source`` names the input as it was given (a path, ``-`` for standard
    input, ``example:NAME``). ``status`` is the exit status it alone would
    give. An input that could not be read has ``problems`` (one line each)
    and nothing else. ``hosts`` pairs each host's name with its place in the
    document; ``detail`` is the input's own report, in the output format asked
    for, when one was rendered.
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
    #: This input's share of a report format, made where the report was made
    #: (:func:`report_part`), so that a process evaluating inputs also renders
    #: them; ``None`` when it was not made.
    part: Any = attrs.field(default=None, eq=False, hash=False)

    @property
    def read(self) -> bool:
        """Whether the input was read: it has no problems."""
        return not self.problems

    def summary(self) -> InventoryReport:
        """Return this report without its findings, VMs and hosts, for a summary: their counts stay."""
        return attrs.evolve(self, findings=(), vms=(), hosts=())


def inventory_report(
    source: str,
    command: str,
    target: Host | Cluster,
    findings: Iterable[Finding] = (),
    *,
    status: int = 0,
    profile: Profile | None = None,
    detail: str = "",
) -> InventoryReport:
    """Return the report of one inventory: ``findings`` placed on its VMs and hosts.

    Each VM's outcome is :func:`~hyperv_backup.backup_outcome` under
    ``profile``, or its host's own profile.
    """
    kept = tuple(findings)
    by_vm: dict[tuple[str | None, str | None], list[Finding]] = {}
    for finding in kept:
        by_vm.setdefault((finding.host, finding.vm), []).append(finding)
    cluster = isinstance(target, Cluster)
    hosts = []
    vms = []
    for index, host in enumerate(hosts_of(target)):
        host_path = f"nodes[{index}]" if cluster else ""
        hosts.append((host.name, host_path))
        answering = profile or profile_for(host.os)
        for number, vm in enumerate(host.vms):
            outcome = backup_outcome(vm, host, profile=answering)
            vms.append(
                VmReport(
                    name=vm.name,
                    host=host.name,
                    path=f"{host_path}.vms[{number}]" if cluster else f"vms[{number}]",
                    consistency=outcome.consistency,
                    causes_downtime=outcome.causes_downtime,
                    findings=tuple(by_vm.get((host.name, vm.name), ())),
                )
            )
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
    )


def failed_report(
    source: str, command: str, status: int, problems: Sequence[str]
) -> InventoryReport:
    """Return the report of an input that could not be read, with why."""
    return InventoryReport(source=source, command=command, status=status, problems=tuple(problems))


def finding_path(report: InventoryReport, finding: Finding) -> str:
    """Return where ``finding`` is in the inventory document: its VM, else its host, else the whole."""
    for vm in report.vms:
        if vm.host == finding.host and vm.name == finding.vm:
            return vm.path
    return next((path for name, path in report.hosts if name == finding.host), "")


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


#: The short column heading of each outcome in the fleet summary.
OUTCOME_HEADINGS = {
    Consistency.APPLICATION_CONSISTENT: "app",
    Consistency.FILE_SYSTEM_CONSISTENT: "fs",
    Consistency.CRASH_CONSISTENT: "crash",
    Consistency.SAVED_STATE: "saved",
    Consistency.NOT_RUNNING: "off",
    Consistency.NOT_BACKED_UP: "none",
    Consistency.NOT_APPLICATION_CONSISTENT: "no-app",
    Consistency.FAILS: "fails",
}


def fleet_rows(reports: Sequence[InventoryReport]) -> list[dict[str, str]]:
    """Return one row per input for the fleet summary, in input order, and the totals last."""
    rows = []
    for report in reports:
        counts = report.severities
        read = report.read
        rows.append(
            {
                "input": report.source,
                "inventory": f"{report.kind} {report.name}" if read else "-",
                "VMs": str(report.vm_count) if read else "-",
                "errors": str(counts["error"]) if read else "-",
                "warnings": str(counts["warning"]) if read else "-",
                "info": str(counts["info"]) if read else "-",
                "status": STATUS_WORDS.get(report.status, str(report.status)),
            }
        )
    totals = fleet_totals(reports)
    counts = totals["findings"]
    rows.append(
        {
            "input": "total",
            "inventory": f"{totals['read']} of {totals['inputs']} read",
            "VMs": str(totals["vms"]),
            "errors": str(counts["error"]),
            "warnings": str(counts["warning"]),
            "info": str(counts["info"]),
            "status": f"{totals['failed']} failed",
        }
    )
    return rows


def outcome_rows(reports: Sequence[InventoryReport]) -> tuple[list[dict[str, str]], str]:
    """Return the VMs of each read input by backup outcome (totals last), and the legend of the headings.

    Only the outcomes some VM has get a column.
    """
    read = [r for r in reports if r.read]
    total = _summed(r.consistency for r in read)
    present = [c for c in Consistency if total.get(c.value)]
    rows = []
    for source, counts in [*((r.source, r.consistency) for r in read), ("total", total)]:
        rows.append(
            {"input": source, **{OUTCOME_HEADINGS[c]: str(counts.get(c.value, 0)) for c in present}}
        )
    legend = ", ".join(f"{OUTCOME_HEADINGS[c]}: {c.label}" for c in present)
    return rows, legend


def fleet_totals(reports: Sequence[InventoryReport]) -> dict[str, Any]:
    """Return the fleet's totals: inputs, those read and not, VMs by outcome, findings by severity."""
    read = [r for r in reports if r.read]
    total = _summed(r.consistency for r in read)
    return {
        "inputs": len(reports),
        "read": len(read),
        "not_read": len(reports) - len(read),
        "failed": sum(1 for r in read if r.status != 0),
        "vms": sum(r.vm_count for r in read),
        "consistency": {c.value: total[c.value] for c in Consistency if total.get(c.value)},
        "downtime": sum(r.downtime for r in read),
        "findings": {
            severity: sum(r.severities.get(severity, 0) for r in read)
            for severity in severity_count(())
        },
    }


def _summed(counts: Iterable[Mapping[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for each in counts:
        for key, value in each.items():
            total[key] = total.get(key, 0) + value
    return total


# --- SARIF 2.1.0 ----------------------------------------------------------------------


def _uri(source: str) -> str:
    """Return an input's name as a URI reference: a relative path stays relative."""
    from urllib.parse import quote  # noqa: PLC0415 - only SARIF needs it

    if source.startswith("example:"):
        return source
    if source == "-":
        return "stdin"
    if source.startswith("/"):
        return "file://" + quote(source)
    if len(source) > 2 and source[1] == ":" and source[2] in "\\/":  # C:\...
        return "file:///" + quote(source.replace("\\", "/"), safe="/:")
    # A backslash separates folders on Windows only; elsewhere it is part of a name.
    return quote(source.replace("\\", "/") if os.sep == "\\" else source)


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    anchor = rule.id.lower()
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description},
        "help": {
            "text": f"{rule.remedy}\nSource: {citation(rule.source)}",
            "markdown": f"{rule.remedy}\n\nSource: {citation(rule.source)}",
        },
        "helpUri": f"{RULES_DOCUMENT}#{anchor}",
        "defaultConfiguration": {"level": _SARIF_LEVELS[rule.severity]},
    }


def _fingerprint(report: InventoryReport, finding: Finding) -> str:
    import hashlib  # noqa: PLC0415 - only SARIF needs it

    key = "\x1f".join(
        (finding.rule.id, report.name or "", finding.host or "", finding.vm or "", finding.subject)
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def sarif_part(
    report: InventoryReport, artifact: int, rules: Mapping[str, Rule] = RULES
) -> tuple[str, list[dict[str, Any]]]:
    """Return one input's SARIF results, as JSON text a line each, and its notifications.

    ``artifact`` is the input's place among the inputs.
    """
    index = {rule_id: i for i, rule_id in enumerate(rules)}
    location = {
        "physicalLocation": {"artifactLocation": {"uri": _uri(report.source), "index": artifact}}
    }
    if not report.read:
        notice = {
            "level": "error",
            "message": {"text": f"{report.source} could not be read: " + " ".join(report.problems)},
            "locations": [location],
        }
        return "", [notice]
    results = []
    for finding in report.findings:
        path = finding_path(report, finding)
        logical = [{"fullyQualifiedName": path or "$", "kind": "object"}]
        results.append(
            {
                "ruleId": finding.rule.id,
                **({"ruleIndex": index[finding.rule.id]} if finding.rule.id in index else {}),
                "level": _SARIF_LEVELS[finding.severity],
                "message": {"text": finding.message},
                "locations": [{**location, "logicalLocations": logical}],
                "partialFingerprints": {"hypervBackupFinding/v1": _fingerprint(report, finding)},
                "properties": {
                    "inventory": report.name,
                    "host": finding.host,
                    "vm": finding.vm,
                    "subject": finding.subject,
                    "jsonPath": path,
                },
            }
        )
    text = ",\n".join(_json.dumps(r, ensure_ascii=True, separators=(",", ":")) for r in results)
    return text, []


def render_sarif(reports: Sequence[InventoryReport], rules: Mapping[str, Rule] = RULES) -> str:
    """Render the reports as one SARIF 2.1.0 log: one run, one result per finding.

    The run's rules are ``rules`` (the whole catalogue), each with its title,
    description, remedy and source, and a help URI to its entry in
    ``docs/rules.md``. A result's location is the input file (an artifact of
    the run) and, as a logical location, the place in the document it is
    about (``nodes[0].vms[2]``). An input that could not be read is an error
    notification of the invocation, which is then not successful. A report's
    ``part``, when made, is its share (:func:`sarif_part`).
    """
    results: list[str] = []
    notifications: list[dict[str, Any]] = []
    for artifact, report in enumerate(reports):
        text, notices = (
            report.part if report.part is not None else sarif_part(report, artifact, rules)
        )
        if text:
            results.append(text)
        notifications.extend(notices)
    run = {
        "tool": {
            "driver": {
                "name": TOOL,
                "version": __version__,
                "rules": [_sarif_rule(rule) for rule in rules.values()],
            }
        },
        "invocations": [
            {
                "executionSuccessful": all(r.read for r in reports),
                **({"toolExecutionNotifications": notifications} if notifications else {}),
            }
        ],
        "artifacts": [{"location": {"uri": _uri(r.source)}} for r in reports],
        "results": [],
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    # The results, which are most of the log, go in a line each, as written.
    head = _json.dumps(log, indent=2, ensure_ascii=True)
    marker = '"results": []'
    at = head.rindex(marker)
    body = ",\n".join(results)
    filled = f'"results": [\n{body}\n      ]' if body else marker
    return head[:at] + filled + head[at + len(marker) :] + "\n"


# --- JUnit XML -------------------------------------------------------------------------


#: What XML 1.0 cannot hold, even as a character reference: control characters
#: other than tab and line breaks, surrogates, U+FFFE and U+FFFF.
_NOT_XML = "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"


def _xml_text(text: str) -> str:
    r"""Return ``text`` with what XML cannot hold written as ``\xNN`` or ``\uNNNN``."""
    import re  # noqa: PLC0415 - only JUnit output needs it

    return re.sub(_NOT_XML, lambda m: ascii(m.group())[1:-1], text)


def _fails(finding: Finding, threshold: Severity | None) -> bool:
    return threshold is not None and finding.severity.rank <= threshold.rank


def _finding_lines(findings: Iterable[Finding]) -> str:
    return "\n".join(f"{f.severity.value} {f.rule.id}: {f.message}" for f in findings)


def _testcase(
    parent: Element,
    classname: str,
    name: str,
    findings: Sequence[Finding],
    threshold: Severity | None,
) -> bool:
    from xml.etree.ElementTree import SubElement  # noqa: PLC0415 - only JUnit output needs it

    case = SubElement(
        parent,
        "testcase",
        {"classname": _xml_text(classname), "name": _xml_text(name), "time": "0"},
    )
    failing = [f for f in findings if _fails(f, threshold)]
    if failing:
        worst = failing[0]
        failure = SubElement(
            case,
            "failure",
            {
                "type": worst.rule.id,
                "message": _xml_text(f"{len(failing)} finding(s); first: {worst.message}"),
            },
        )
        failure.text = _xml_text(_finding_lines(failing))
    rest = [f for f in findings if not _fails(f, threshold)]
    if rest:
        SubElement(case, "system-out").text = _xml_text(_finding_lines(rest))
    return bool(failing)


def junit_part(
    report: InventoryReport, threshold: Severity | None = Severity.ERROR
) -> tuple[str, dict[str, int]]:
    """Return one input's JUnit test suite, as XML text, and its counts of tests, failures and errors."""
    from xml.etree.ElementTree import Element, SubElement, tostring  # noqa: PLC0415

    suite = Element("testsuite", {"name": _xml_text(report.source)})
    counts = {"tests": 0, "failures": 0, "errors": 0}
    if not report.read:
        case = SubElement(
            suite, "testcase", {"classname": _xml_text(report.source), "name": "read", "time": "0"}
        )
        message = _xml_text(report.problems[0])
        error = SubElement(case, "error", {"type": "InventoryError", "message": message})
        error.text = _xml_text("\n".join(report.problems))
        counts.update(tests=1, errors=1)
    else:
        inventory = report.name or report.source
        placed: set[int] = set()
        for vm in report.vms:
            placed.update(id(f) for f in vm.findings)
            counts["failures"] += _testcase(
                suite, f"{inventory}.{vm.host}", vm.name, vm.findings, threshold
            )
            counts["tests"] += 1
        for host, _ in report.hosts:
            own = [f for f in report.findings if f.host == host and id(f) not in placed]
            placed.update(id(f) for f in own)
            counts["failures"] += _testcase(suite, inventory, f"host {host}", own, threshold)
            counts["tests"] += 1
        others = [f for f in report.findings if id(f) not in placed]
        if others:
            counts["failures"] += _testcase(suite, inventory, "inventory", others, threshold)
            counts["tests"] += 1
    for key, value in counts.items():
        suite.set(key, str(value))
    suite.set("skipped", "0")
    suite.set("time", "0")
    return tostring(suite, encoding="unicode"), counts


def render_junit(
    reports: Sequence[InventoryReport],
    threshold: Severity | None = Severity.ERROR,
    *,
    title: str = TOOL,
) -> str:
    """Render the reports as JUnit XML: a test suite per input, a test case per VM.

    A VM's case fails when one of its findings is at ``threshold`` or more
    severe (``None``: none fails); the others are its output. Each host has a
    case for its own findings, and each inventory one for the findings of no
    host. An input that could not be read is a suite with one case in error.
    A report's ``part``, when made, is its share (:func:`junit_part`).
    """
    from xml.sax.saxutils import quoteattr  # noqa: PLC0415

    parts = [r.part if r.part is not None else junit_part(r, threshold) for r in reports]
    totals = {
        key: sum(counts[key] for _, counts in parts) for key in ("tests", "failures", "errors")
    }
    attributes = " ".join(f'{key}="{value}"' for key, value in totals.items())
    suites = "".join(text for text, _ in parts)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<testsuites name={quoteattr(_xml_text(title))} {attributes}>{suites}</testsuites>\n"
    )


# --- Prometheus text exposition ---------------------------------------------------------------

_METRICS = (
    ("inventory_read", "1 when the inventory was read, 0 when it could not be."),
    ("inventory_findings", "Findings about the inventory that name no host, by severity."),
    ("host_vms", "VMs on the host."),
    ("host_findings", "Findings about the host itself (not one of its VMs), by severity."),
    ("vm_outcome", "1 for what the VM's host-level backup will be, 0 for the other outcomes."),
    ("vm_downtime", "1 when the VM's backup takes it offline (saved for the copy), else 0."),
    ("vm_findings", "Findings about the VM, by severity."),
)


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(**labels: str) -> str:
    return ",".join(f'{key}="{_label(value)}"' for key, value in labels.items())


def prometheus_part(report: InventoryReport) -> dict[str, str]:
    """Return one input's Prometheus samples, by metric name (without its prefix), a line each."""
    return {name: "\n".join(lines) for name, lines in _prometheus_samples(report).items()}


def _prometheus_samples(report: InventoryReport) -> dict[str, list[str]]:
    samples: dict[str, list[str]] = {name: [] for name, _ in _METRICS}
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
    return samples


def render_prometheus(reports: Sequence[InventoryReport]) -> str:
    """Render the reports in the Prometheus text exposition format (all gauges).

    Labels: ``inventory`` (the input as given), ``host``, ``vm``,
    ``severity`` (error, warning, info) and ``outcome`` (a
    :class:`~hyperv_backup.Consistency` value). Every VM has a
    ``vm_outcome`` sample per outcome, so a query can select one. A report's
    ``part``, when made, is its share (:func:`prometheus_part`).
    """
    parts = [r.part if r.part is not None else prometheus_part(r) for r in reports]
    lines = []
    for name, help_text in _METRICS:
        lines += [f"# HELP hyperv_backup_{name} {help_text}", f"# TYPE hyperv_backup_{name} gauge"]
        lines += [part[name] for part in parts if part[name]]
    return "\n".join(lines) + "\n"


def report_part(
    report: InventoryReport, fmt: ReportFormat, artifact: int, threshold: Severity | None
) -> InventoryReport:
    """Return ``report`` with its share of ``fmt`` made, and without its findings (their counts stay).

    ``artifact`` is the input's place among the inputs (SARIF), ``threshold``
    the least severity that fails (JUnit).
    """
    match fmt:
        case ReportFormat.SARIF:
            part: Any = sarif_part(report, artifact)
        case ReportFormat.JUNIT:
            part = junit_part(report, threshold)
        case ReportFormat.PROMETHEUS:
            part = prometheus_part(report)
    return attrs.evolve(report.summary(), part=part)
