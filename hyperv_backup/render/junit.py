r"""JUnit XML, for CI systems that show test reports: a test suite per input, a test case per VM.

A VM's case fails when one of its findings is at the frame's ``fails_at``
or more severe (``None``: none fails); the others are its output. Each host
has a case for its own findings, and each inventory one for the findings of
no host. An input that could not be read is a suite with one case in error.
What XML 1.0 cannot hold, even as a character reference, is written as its
escape (``\x01``, ``\ud800``).

>>> import hyperv_backup as hb
>>> from hyperv_backup.render.reports import inventory_report
>>> target = hb.load_example("host")
>>> report = inventory_report("host.json", "check", target, hb.check(target), status=1)
>>> print(RENDERER.fleet([report], Frame(title="hyperv-backup check")).splitlines()[1].split("><")[0])
<testsuites name="hyperv-backup check" tests="4" failures="2" errors="0"
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.render._formats import Frame, ReportFormat, unsupported
from hyperv_backup.render.reports import InventoryReport, Share, shared
from hyperv_backup.rules import Finding, Rule, Severity

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from hyperv_backup.decide.plan import Plan
    from hyperv_backup.decide.steps import Step
    from hyperv_backup.diagnose.diagnosis import Diagnosis

__all__ = ["RENDERER", "JunitPart", "JunitRenderer"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


#: What XML 1.0 cannot hold, even as a character reference: control characters
#: other than tab and line breaks, surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    r"""Return ``text`` with what XML cannot hold written as ``\xNN`` or ``\uNNNN``."""
    return _NOT_XML.sub(lambda m: ascii(m.group())[1:-1], text)


@attrs.frozen
class JunitPart:
    """One input's share of the report: its test suite, as XML text, and its counts."""

    suite: str
    tests: int
    failures: int
    errors: int


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


def _part(report: InventoryReport, threshold: Severity | None) -> JunitPart:
    """Return one input's test suite and its counts of tests, failures and errors."""
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
    return JunitPart(tostring(suite, encoding="unicode"), **counts)


@attrs.frozen
class JunitRenderer:
    """The reports of many inputs as one JUnit XML report (``Part``: :class:`JunitPart`)."""

    def findings(self, findings: Sequence[Finding], frame: Frame) -> str:
        """Refuse: a test case is a VM or host of an inventory."""
        raise unsupported(ReportFormat.JUNIT, "findings alone")

    def plan(self, plan: Plan, frame: Frame) -> str:
        """Refuse: JUnit renders reports of inventories only."""
        raise unsupported(ReportFormat.JUNIT, "a plan")

    def steps(self, steps: Sequence[Step], frame: Frame) -> str:
        """Refuse: JUnit renders reports of inventories only."""
        raise unsupported(ReportFormat.JUNIT, "steps")

    def rules(self, rules: Sequence[Rule], frame: Frame) -> str:
        """Refuse: JUnit renders reports of inventories only."""
        raise unsupported(ReportFormat.JUNIT, "rules")

    def diagnosis(self, diagnosis: Diagnosis, frame: Frame) -> str:
        """Refuse: JUnit renders reports of inventories only."""
        raise unsupported(ReportFormat.JUNIT, "a diagnosis")

    def part(self, report: InventoryReport, index: int, frame: Frame) -> JunitPart:
        """Return one input's test suite, failing at ``frame.fails_at``, and its counts."""
        return _part(report, frame.fails_at)

    def fleet(self, reports: Sequence[InventoryReport | Share[JunitPart]], frame: Frame) -> str:
        """Render the reports as one report named ``frame.title``: a suite per input."""
        from xml.sax.saxutils import quoteattr  # noqa: PLC0415 - only JUnit output needs it

        parts = [
            s.part
            for s in shared(reports, functools.partial(self.part, frame=frame), JunitPart, "JUnit")
        ]
        tests = sum(p.tests for p in parts)
        failures = sum(p.failures for p in parts)
        errors = sum(p.errors for p in parts)
        name = quoteattr(_xml_text(frame.title))
        suites = "".join(p.suite for p in parts)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuites name={name} tests="{tests}" failures="{failures}" errors="{errors}">'
            f"{suites}</testsuites>\n"
        )


#: The JUnit renderer.
RENDERER = JunitRenderer()
