"""SARIF, JUnit and Prometheus reports, each read back by its schema or parser."""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

import attrs
import pytest
from defusedxml.ElementTree import fromstring as parse_xml
from jsonschema import Draft7Validator
from junitparser import Error, Failure, JUnitXml
from prometheus_client.parser import text_string_to_metric_families

import hyperv_backup as hb
from hyperv_backup.decide.results import Consistency
from hyperv_backup.render.reports import (
    InventoryReport,
    failed_report,
    finding_path,
    inventory_report,
    render_junit,
    render_prometheus,
    render_sarif,
)
from hyperv_backup.rules import RULES, Severity
from tests.paths import FIXTURES

#: The SARIF 2.1.0 JSON Schema of OASIS (its provenance beside it).
SARIF_SCHEMA_FILE = FIXTURES / "sarif" / "sarif-schema-2.1.0.json"


@functools.cache
def _sarif_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SARIF_SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


def _report(name: str, source: str | None = None) -> InventoryReport:
    target = hb.load_example(name)
    return inventory_report(source or f"{name}.json", "check", target, hb.check(target), status=1)


def _fleet() -> list[InventoryReport]:
    bad = failed_report(
        "bad.json", "check", 3, ("not a valid inventory:", "name: required field missing")
    )
    return [_report("cluster"), bad, _report("host"), _report("cluster-2022", "site b/c 2022.json")]


# --- SARIF ----------------------------------------------------------------------------------


def test_the_sarif_log_is_valid_sarif_2_1_0() -> None:
    Draft7Validator.check_schema(_sarif_schema())
    log = json.loads(render_sarif(_fleet()))
    Draft7Validator(_sarif_schema()).validate(log)
    assert log["version"] == "2.1.0"


def test_the_schema_check_catches_a_broken_log() -> None:
    log = json.loads(render_sarif(_fleet()))
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert list(Draft7Validator(_sarif_schema()).iter_errors(log))


def test_one_result_per_finding_with_its_file_and_place() -> None:
    reports = _fleet()
    run = json.loads(render_sarif(reports))["runs"][0]
    expected = [(r, f) for r in reports for f in r.findings]
    assert len(run["results"]) == len(expected)
    for result, (report, finding) in zip(run["results"], expected, strict=True):
        assert result["ruleId"] == finding.rule.id
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == finding.rule.id
        assert result["message"]["text"] == finding.message
        assert (
            result["level"]
            == {"error": "error", "warning": "warning", "info": "note"}[finding.severity.value]
        )
        (location,) = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert run["artifacts"][artifact["index"]]["location"]["uri"] == artifact["uri"]
        assert location["logicalLocations"][0]["fullyQualifiedName"] == (
            finding_path(report, finding) or "$"
        )
    assert {a["location"]["uri"] for a in run["artifacts"]} == {
        "cluster.json",
        "bad.json",
        "host.json",
        "site%20b/c%202022.json",
    }


def test_the_rules_are_the_catalogue_with_help() -> None:
    rules = json.loads(render_sarif([]))["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    first = rules[0]
    rule = RULES[first["id"]]
    assert first["shortDescription"]["text"] == rule.title
    assert rule.remedy in first["help"]["text"]
    assert first["helpUri"] == f"docs/rules.md#{rule.id.lower()}"
    assert (Path(__file__).parents[2] / "docs" / "rules.md").read_text(encoding="utf-8").count(
        f"## {rule.id}\n"
    ) == 1


def test_an_input_not_read_is_a_failed_invocation() -> None:
    (invocation,) = json.loads(render_sarif(_fleet()))["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    (notice,) = invocation["toolExecutionNotifications"]
    assert notice["level"] == "error"
    assert notice["message"]["text"].startswith(
        "bad.json could not be read: not a valid inventory:"
    )
    good = json.loads(render_sarif([_report("host")]))["runs"][0]["invocations"][0]
    assert good == {"executionSuccessful": True}


def test_fingerprints_are_stable_and_tell_findings_apart() -> None:
    first = json.loads(render_sarif([_report("cluster")]))["runs"][0]["results"]
    again = json.loads(render_sarif([_report("cluster", "moved/cluster.json")]))["runs"][0][
        "results"
    ]
    prints = [r["partialFingerprints"]["hypervBackupFinding/v1"] for r in first]
    assert prints == [r["partialFingerprints"]["hypervBackupFinding/v1"] for r in again]
    assert len(set(prints)) == len(prints)


@pytest.mark.parametrize(
    ("source", "uri"),
    [
        ("-", "stdin"),
        ("example:cluster", "example:cluster"),
        ("/srv/inv/a b.json", "file:///srv/inv/a%20b.json"),
        ("C:\\inv\\a.json", "file:///C:/inv/a.json"),
        # A backslash separates folders on Windows only; elsewhere it is in the name.
        ("inv\\a.json", "inv/a.json" if os.sep == "\\" else "inv%5Ca.json"),
    ],
)
def test_an_input_becomes_a_uri(source: str, uri: str) -> None:
    log = json.loads(render_sarif([failed_report(source, "check", 2, ("gone",))]))
    assert log["runs"][0]["artifacts"][0]["location"]["uri"] == uri
    Draft7Validator(_sarif_schema()).validate(log)


# --- JUnit --------------------------------------------------------------------------------


def _junit(reports: list[InventoryReport], threshold: Severity | None) -> JUnitXml:
    return JUnitXml.fromstring(render_junit(reports, threshold, title="hyperv-backup check"))


def test_junit_has_a_suite_per_input_and_a_case_per_vm_and_host() -> None:
    reports = _fleet()
    xml = _junit(reports, Severity.ERROR)
    suites = list(xml)
    assert [s.name for s in suites] == [r.source for r in reports]
    cluster = suites[0]
    names = [case.name for case in cluster]
    assert names[:9] == [vm.name for vm in reports[0].vms]
    assert names[9:] == ["host HV-NODE1", "host HV-NODE2"]
    assert cluster.tests == 11
    failing = {case.name for case in cluster if any(isinstance(r, Failure) for r in case.result)}
    expected = {
        vm.name for vm in reports[0].vms if any(f.severity is Severity.ERROR for f in vm.findings)
    }
    hosts = {
        f"host {f.host}"
        for f in reports[0].findings
        if f.vm is None and f.severity is Severity.ERROR
    }
    assert failing == expected | hosts
    assert cluster.failures == len(failing)


def test_junit_fails_more_at_a_lower_threshold_and_none_at_never() -> None:
    reports = [_report("cluster")]
    counts = {
        t: next(iter(_junit(reports, t))).failures
        for t in (Severity.ERROR, Severity.WARNING, Severity.INFO, None)
    }
    assert counts[None] == 0
    assert counts[Severity.ERROR] < counts[Severity.WARNING] <= counts[Severity.INFO]
    # Below the threshold, findings are the case's output, not a failure.
    case = next(c for c in next(iter(_junit(reports, None))) if c.name == "FS01")
    assert "HVB303" in (case.system_out or "")


def test_an_input_not_read_is_a_suite_in_error() -> None:
    suite = list(_junit(_fleet(), Severity.ERROR))[1]
    assert (suite.tests, suite.errors) == (1, 1)
    (case,) = list(suite)
    (error,) = case.result
    assert isinstance(error, Error)
    assert error.message == "not a valid inventory:"


def test_junit_escapes_what_an_inventory_holds() -> None:
    target = hb.load_example("host")
    assert isinstance(target, hb.Host)
    odd = hb.Host(name='H<&"1', os=target.os, vms=(target.vms[0],))
    xml = _junit(
        [inventory_report('a<&">.json', "check", odd, hb.check(odd), status=1)], Severity.INFO
    )
    suite = next(iter(xml))
    assert suite.name == 'a<&">.json'
    assert [c.name for c in suite] == [target.vms[0].name, 'host H<&"1']


# --- Prometheus ------------------------------------------------------------------------------


def _samples(text: str) -> dict[str, list[Any]]:
    return {family.name: family.samples for family in text_string_to_metric_families(text)}


def test_prometheus_parses_back_with_a_sample_per_vm_and_outcome() -> None:
    reports = _fleet()
    families = _samples(render_prometheus(reports))
    assert list(families) == [
        "hyperv_backup_inventory_read",
        "hyperv_backup_inventory_findings",
        "hyperv_backup_host_vms",
        "hyperv_backup_host_findings",
        "hyperv_backup_vm_outcome",
        "hyperv_backup_vm_downtime",
        "hyperv_backup_vm_findings",
    ]
    read = {s.labels["inventory"]: s.value for s in families["hyperv_backup_inventory_read"]}
    assert read == {"cluster.json": 1, "bad.json": 0, "host.json": 1, "site b/c 2022.json": 1}
    vms = [vm for r in reports for vm in r.vms]
    outcome = [s for s in families["hyperv_backup_vm_outcome"] if s.value == 1]
    assert [(s.labels["vm"], s.labels["outcome"]) for s in outcome] == [
        (vm.name, vm.consistency.value) for vm in vms
    ]
    assert len(families["hyperv_backup_vm_outcome"]) == len(Consistency) * len(
        vms
    )  # one sample per outcome
    downtime = [s.value for s in families["hyperv_backup_vm_downtime"]]
    assert downtime == [int(vm.causes_downtime) for vm in vms]
    errors = [
        s.value for s in families["hyperv_backup_vm_findings"] if s.labels["severity"] == "error"
    ]
    assert errors == [sum(f.severity is Severity.ERROR for f in vm.findings) for vm in vms]
    assert set(families["hyperv_backup_vm_findings"][0].labels) == {
        "inventory",
        "host",
        "vm",
        "severity",
    }


def test_prometheus_label_values_are_escaped() -> None:
    target = hb.load_example("host")
    assert isinstance(target, hb.Host)
    odd = hb.Host(name='H\\"1\n', os=target.os, vms=(target.vms[0],))
    report = inventory_report('a "b"\\c.json', "check", odd, hb.check(odd), status=1)
    families = _samples(render_prometheus([report]))
    (sample,) = families["hyperv_backup_host_vms"]
    assert sample.labels == {"inventory": 'a "b"\\c.json', "host": 'H\\"1\n'}


def test_junit_writes_what_xml_cannot_hold_as_escapes() -> None:
    target = hb.load_example("host")
    assert isinstance(target, hb.Host)
    odd = hb.Host(
        name="H\x01ost\ufffe",
        os=target.os,
        vms=(attrs.evolve(target.vms[0], name="esc\x1b[31m"),),
    )
    bad = failed_report("in\x00put.json", "check", 3, ("key 'k\x00' unknown",))
    text = render_junit(
        [inventory_report("a\x02.json", "check", odd, hb.check(odd), status=1), bad], Severity.INFO
    )
    root = parse_xml(text.encode("utf-8"))  # well-formed XML 1.0
    names = [case.get("name") for case in root.iter("testcase")]
    assert names == ["esc\\x1b[31m", "host H\\x01ost\\ufffe", "read"]
    assert [suite.get("name") for suite in root.iter("testsuite")] == [
        "a\\x02.json",
        "in\\x00put.json",
    ]
    assert "k\\x00" in (next(root.iter("error")).get("message") or "")
