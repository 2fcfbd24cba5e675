r"""SARIF 2.1.0, for code-scanning dashboards: one run, one result per finding.

The run's rules are the whole catalogue, each with its title, description,
remedy and source: the page it cites is its help URI, and the page's title,
address, heading and claim are in its properties. A result's location is the
input file (an artifact of the run) and, as a logical location, the place in
the document it is about (``nodes[0].vms[2]``). An input that could not be
read is an error notification of the invocation, which is then not
successful.

Text the log carries from an inventory is valid Unicode: half of a surrogate
pair, which a JSON document can escape but which stands for no character, is
written as its escape, ``\ud800``.

>>> import json
>>> import hyperv_backup as hb
>>> from hyperv_backup.render.reports import inventory_report
>>> target = hb.load_example("host")
>>> report = inventory_report("host.json", "check", target, hb.check(target), status=1)
>>> run = json.loads(RENDERER.fleet([report], Frame(title="check")))["runs"][0]
>>> run["results"][1]["ruleId"], run["results"][1]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
('HVB608', 'vms[2]')
>>> run["tool"]["driver"]["rules"][0]["helpUri"]
'https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-server-2008-R2-and-2008/dd252619(v=ws.10)'
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup._version import __version__
from hyperv_backup.render._formats import Frame, ReportFormat, unsupported
from hyperv_backup.render.links import source_text
from hyperv_backup.render.reports import InventoryReport, Share, shared
from hyperv_backup.rules import RULES, Finding, Rule, Severity

if TYPE_CHECKING:
    from hyperv_backup.decide.plan import Plan
    from hyperv_backup.decide.steps import Step
    from hyperv_backup.diagnose.diagnosis import Diagnosis

__all__ = ["RENDERER", "SARIF_SCHEMA", "SarifPart", "SarifRenderer"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: The program's name, as the log gives it.
TOOL = "hyperv-backup"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


#: Half of a surrogate pair, alone: it stands for no character.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _shown(text: str) -> str:
    r"""Return ``text`` with each lone surrogate written as its escape (``\ud800``)."""
    # Most text is ASCII; only the rest is searched.
    if text.isascii() or _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@attrs.frozen
class SarifPart:
    """One input's share of the log: its results, as JSON text a line each, and its notifications."""

    results: str
    notifications: tuple[Mapping[str, Any], ...] = ()


def _uri(source: str) -> str:
    """Return an input's name as a URI reference: a relative path stays relative."""
    from urllib.parse import quote  # noqa: PLC0415 - only SARIF needs it

    if source.startswith("example:"):
        return _shown(source)
    if source == "-":
        return "stdin"

    def quoted(text: str, safe: str = "/") -> str:
        # A name the file system gave as bytes that are not UTF-8 holds them as
        # lone surrogates (PEP 383): the URI takes those bytes back.
        try:
            return quote(text, safe=safe, errors="surrogateescape")
        except UnicodeEncodeError:
            return quote(_shown(text), safe=safe)

    if source.startswith("/"):
        return "file://" + quoted(source)
    if len(source) > 2 and source[1] == ":" and source[2] in "\\/":  # C:\...
        return "file:///" + quoted(source.replace("\\", "/"), safe="/:")
    # A backslash separates folders on Windows only; elsewhere it is part of a name.
    return quoted(source.replace("\\", "/") if os.sep == "\\" else source)


def _rule(rule: Rule) -> dict[str, Any]:
    source = rule.source
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description},
        "help": {
            "text": f"{rule.remedy}\nSource: {source_text(source)} <{source.page.url}>",
            "markdown": f"{rule.remedy}\n\nSource: [{source_text(source)}]({source.page.url})",
        },
        # A dashboard shows this address as it is: it must be absolute.
        "helpUri": source.page.url,
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        "properties": {
            "source": {
                "title": source.page.title,
                "url": source.page.url,
                "heading": source.heading,
                "claim": source.claim.value,
            }
        },
    }


def _fingerprint(inventory: str, finding: Finding) -> str:
    key = "\x1f".join(
        (finding.rule.id, inventory, finding.host or "", finding.vm or "", finding.subject)
    )
    # Hashed as the log shows the names: a lone surrogate has no UTF-8 form.
    return hashlib.sha256(_shown(key).encode("utf-8")).hexdigest()[:32]


def _paths(report: InventoryReport) -> dict[tuple[str | None, str | None], str]:
    """Map each (host, VM) of the report, and each (host, ``None``), to its place in the document.

    Looked up once per finding, so the log takes time linear in the findings
    and VMs. Of two alike names, the first is the one a finding is placed on.
    """
    paths: dict[tuple[str | None, str | None], str] = {}
    for vm in report.vms:
        paths.setdefault((vm.host, vm.name), vm.path)
    for name, path in report.hosts:
        paths.setdefault((name, None), path)
    return paths


def _part(report: InventoryReport, artifact: int, rules: Mapping[str, Rule] = RULES) -> SarifPart:
    """Return one input's share of the log; ``artifact`` is its place among the inputs."""
    location = {
        "physicalLocation": {"artifactLocation": {"uri": _uri(report.source), "index": artifact}}
    }
    if not report.read:
        problems = " ".join(report.problems)
        notice = {
            "level": "error",
            "message": {"text": _shown(f"{report.source} could not be read: {problems}")},
            "locations": [location],
        }
        return SarifPart("", (notice,))
    index = {rule_id: i for i, rule_id in enumerate(rules)}
    paths = _paths(report)
    inventory = report.name or ""
    results = []
    for finding in report.findings:
        # A finding about a VM is placed on it; one about a host, or about a VM
        # the inventory does not list, on the host; any other on the whole.
        path = paths.get((finding.host, finding.vm)) or paths.get((finding.host, None), "")
        rule_id = finding.rule.id
        result = {
            "ruleId": rule_id,
            **({"ruleIndex": index[rule_id]} if rule_id in index else {}),
            "level": _LEVELS[finding.severity],
            "message": {"text": _shown(finding.message)},
            "locations": [
                {
                    **location,
                    "logicalLocations": [{"fullyQualifiedName": path or "$", "kind": "object"}],
                }
            ],
            "partialFingerprints": {"hypervBackupFinding/v1": _fingerprint(inventory, finding)},
            "properties": {
                "inventory": None if report.name is None else _shown(report.name),
                "host": None if finding.host is None else _shown(finding.host),
                "vm": None if finding.vm is None else _shown(finding.vm),
                "subject": _shown(finding.subject),
                "jsonPath": path,
            },
        }
        results.append(json.dumps(result, ensure_ascii=True, separators=(",", ":")))
    return SarifPart(",\n".join(results))


def _log(shares: Sequence[Share[SarifPart]], rules: Mapping[str, Rule]) -> str:
    results = [s.part.results for s in shares if s.part.results]
    notifications = [n for s in shares for n in s.part.notifications]
    run = {
        "tool": {
            "driver": {
                "name": TOOL,
                "version": __version__,
                "rules": [_rule(rule) for rule in rules.values()],
            }
        },
        "invocations": [
            {
                "executionSuccessful": all(s.report.read for s in shares),
                **({"toolExecutionNotifications": notifications} if notifications else {}),
            }
        ],
        "artifacts": [{"location": {"uri": _uri(s.report.source)}} for s in shares],
        "results": [],
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    # The results, which are most of the log, go in a line each, as written.
    head = json.dumps(log, indent=2, ensure_ascii=True)
    marker = '"results": []'
    at = head.rindex(marker)
    body = ",\n".join(results)
    filled = f'"results": [\n{body}\n      ]' if body else marker
    return head[:at] + filled + head[at + len(marker) :] + "\n"


@attrs.frozen
class SarifRenderer:
    """The reports of many inputs as one SARIF 2.1.0 log (``Part``: :class:`SarifPart`).

    ``catalogue`` holds the run's rules: the whole catalogue unless given.
    """

    catalogue: Mapping[str, Rule] = attrs.field(default=RULES, hash=False)

    def findings(self, findings: Sequence[Finding], frame: Frame) -> str:
        """Refuse: a SARIF result needs the inventory it is located in."""
        raise unsupported(ReportFormat.SARIF, "findings alone")

    def plan(self, plan: Plan, frame: Frame) -> str:
        """Refuse: SARIF renders reports of inventories only."""
        raise unsupported(ReportFormat.SARIF, "a plan")

    def steps(self, steps: Sequence[Step], frame: Frame) -> str:
        """Refuse: SARIF renders reports of inventories only."""
        raise unsupported(ReportFormat.SARIF, "steps")

    def rules(self, rules: Sequence[Rule], frame: Frame) -> str:
        """Refuse: the rules are in every log, as the tool's rules."""
        raise unsupported(ReportFormat.SARIF, "rules")

    def diagnosis(self, diagnosis: Diagnosis, frame: Frame) -> str:
        """Refuse: SARIF renders reports of inventories only."""
        raise unsupported(ReportFormat.SARIF, "a diagnosis")

    def part(self, report: InventoryReport, index: int, frame: Frame) -> SarifPart:
        """Return one input's results, as JSON text a line each, and its notifications."""
        return _part(report, index, self.catalogue)

    def fleet(self, reports: Sequence[InventoryReport | Share[SarifPart]], frame: Frame) -> str:
        """Render the reports as one log: one run, one result per finding."""
        shares = shared(reports, functools.partial(self.part, frame=frame), SarifPart, "SARIF")
        return _log(shares, self.catalogue)


#: The SARIF renderer.
RENDERER = SarifRenderer()
