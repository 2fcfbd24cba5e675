"""SARIF, JUnit and Prometheus reports, each read back by its schema or parser."""

from __future__ import annotations

import functools
import itertools
import json
import os
import re
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import attrs
import pytest
from defusedxml.ElementTree import fromstring as parse_xml
from jsonschema import Draft7Validator
from junitparser import Error, Failure, JUnitXml
from prometheus_client.parser import text_string_to_metric_families

import hyperv_backup as hb
from hyperv_backup.decide.evaluate import evaluate
from hyperv_backup.decide.results import Consistency
from hyperv_backup.render import ReportFormat, render_fleet
from hyperv_backup.render.reports import (
    InventoryReport,
    VmReport,
    failed_report,
    inventory_report,
)
from hyperv_backup.rules import RULES, Finding, Severity
from hyperv_backup.rules import finding as make_finding
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


def _place(report: InventoryReport, found: Finding) -> str:
    """Where a finding is in its document: its VM's place, else its host's, else the whole ("$")."""
    for vm in report.vms:
        if (vm.host, vm.name) == (found.host, found.vm):
            return vm.path
    return next((path for name, path in report.hosts if name == found.host), "") or "$"


def render_sarif(reports: list[InventoryReport]) -> str:
    return render_fleet(reports, ReportFormat.SARIF)


def render_junit(
    reports: list[InventoryReport], threshold: Severity | None, *, title: str = "hyperv-backup"
) -> str:
    return render_fleet(reports, ReportFormat.JUNIT, title=title, fails_at=threshold)


def render_prometheus(reports: list[InventoryReport]) -> str:
    return render_fleet(reports, ReportFormat.PROMETHEUS)


def _fleet() -> list[InventoryReport]:
    bad = failed_report(
        "bad.json", "check", 3, ("not a valid inventory:", "name: required field missing")
    )
    return [_report("cluster"), bad, _report("host"), _report("cluster-2022", "site b/c 2022.json")]


# --- the reports -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["cluster", "host", "cluster-2022"])
def test_a_report_takes_each_outcome_from_the_evaluation(name: str) -> None:
    """The outcome of each VM is the one its evaluation gave, as backup_outcome gives it too."""
    target = hb.load_example(name)
    evaluation = evaluate(target)
    report = inventory_report("a.json", "check", target, evaluation.findings, views=evaluation.vms)
    assert report == inventory_report("a.json", "check", target, evaluation.findings)
    for vm, view in zip(report.vms, evaluation.vms, strict=True):
        outcome = hb.backup_outcome(view.vm, view.host)
        assert (vm.name, vm.host) == (view.vm.name, view.host.name)
        assert (vm.consistency, vm.causes_downtime) == (
            outcome.consistency,
            outcome.causes_downtime,
        )


def test_views_of_another_inventory_are_refused() -> None:
    target = hb.load_example("cluster")
    other = evaluate(hb.load_example("host")).vms
    with pytest.raises(ValueError, match="do not list VM 'SQL01' of 'HV-NODE1' in its place"):
        inventory_report("a.json", "check", target, views=other)
    more = evaluate(target).vms
    with pytest.raises(ValueError, match="list more VMs than 'HVCLUSTER01' has"):
        inventory_report("a.json", "check", target, views=(*more, more[0]))


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
        assert location["logicalLocations"][0]["fullyQualifiedName"] == _place(report, finding)
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
    for entry in rules:
        source = RULES[entry["id"]].source
        # An absolute address, which a dashboard can open as it is.
        assert entry["helpUri"] == source.page.url
        assert urlsplit(entry["helpUri"]).scheme == "https"
        assert entry["properties"]["source"] == {
            "title": source.page.title,
            "url": source.page.url,
            "heading": source.heading,
            "claim": source.claim.value,
        }


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


def _many_vms(count: int) -> InventoryReport:
    """Return the report of a host of ``count`` VMs, every eighth with a finding, the last one's first.

    Findings come in the reverse order of the VMs, so a search through the VMs
    for each finding's place goes furthest. The report is made up, not
    evaluated: only rendering it is timed, and making it stays cheap.
    """
    rule = RULES["HVB105"]
    vms = tuple(
        VmReport(
            name=f"VM{n:05d}",
            host="HV01",
            path=f"vms[{n}]",
            consistency=hb.Consistency.APPLICATION_CONSISTENT,
            causes_downtime=False,
        )
        for n in range(count)
    )
    findings = tuple(
        make_finding(
            rule, vm.name, f"VM {vm.name!r} has 1 VM snapshot(s).", host="HV01", vm=vm.name
        )
        for vm in reversed(vms[::8])
    )
    return InventoryReport(
        source="many.json",
        command="check",
        status=0,
        kind="host",
        name="HV01",
        hosts=(("HV01", ""),),
        vms=vms,
        findings=findings,
    )


def test_a_finding_is_placed_on_its_vm_else_its_host_else_the_whole() -> None:
    """A VM the inventory does not list leaves its finding on the host; no host, on the document."""
    report = _many_vms(16)
    rule = RULES["HVB105"]
    odd = [
        make_finding(rule, "VM00003", "on a VM", host="HV01", vm="VM00003"),
        make_finding(rule, "GONE", "on a VM not listed", host="HV01", vm="GONE"),
        make_finding(rule, "HV01", "on the host", host="HV01"),
        make_finding(rule, "x", "on another host", host="HV02", vm="VM00003"),
        make_finding(rule, "x", "on nothing"),
    ]
    report = attrs.evolve(report, hosts=(("HV01", "nodes[0]"),), findings=tuple(odd))
    results = json.loads(render_sarif([report]))["runs"][0]["results"]
    places = [r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] for r in results]
    assert places == ["vms[3]", "nodes[0]", "nodes[0]", "$", "$"]
    assert places == [_place(report, f) for f in odd]


def _median_seconds(call: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def test_sarif_takes_time_linear_in_the_vms() -> None:
    """Each doubling of the VMs (and findings) must not much more than double the time.

    Linear work grows 8 times over three doublings, work that searches every
    VM for each finding 64 times; the bound, 27 (three times per doubling),
    is far from both, for a loaded machine. Times are medians of five runs.
    Searching the VMs for each finding's place took 9 s at 8,000 VMs and
    963 s at 50,000.
    """
    sizes = [2000, 4000, 8000, 16000]
    times = []
    for size in sizes:
        report = _many_vms(size)
        times.append(_median_seconds(functools.partial(render_sarif, [report])))
    ratios = ", ".join(f"{b / a:.2f}" for a, b in itertools.pairwise(times))
    shown = ", ".join(f"{n}: {t * 1000:.1f} ms" for n, t in zip(sizes, times, strict=True))
    assert times[-1] / times[0] <= 27, f"{shown}; each doubling: {ratios}"


def _surrogate_names(vm: str = "WEB\ud80001") -> InventoryReport:
    """Return the report of a host whose name and one VM's hold half of a surrogate pair, alone."""
    target = hb.load_example("host")
    assert isinstance(target, hb.Host)
    odd = attrs.evolve(
        target, name="HV\udc0001", vms=(attrs.evolve(target.vms[2], name=vm), *target.vms[:2])
    )
    return inventory_report("odd.json", "check", odd, hb.check(odd), status=1)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def test_sarif_writes_a_lone_surrogate_as_its_escape() -> None:
    r"""Half of a surrogate pair is no character: the log shows it as ``\ud800``, and is valid Unicode."""
    log = json.loads(render_sarif([_surrogate_names()]))
    Draft7Validator(_sarif_schema()).validate(log)
    for text in _strings(log):
        text.encode("utf-8")  # no lone surrogate left
    results = log["runs"][0]["results"]
    assert {r["properties"]["vm"] for r in results} >= {"WEB\\ud80001"}
    assert {r["properties"]["host"] for r in results} == {"HV\\udc0001"}
    assert any("WEB\\ud80001" in r["message"]["text"] for r in results)


def test_sarif_fingerprints_tell_lone_surrogates_apart() -> None:
    def prints(vm: str) -> set[str]:
        results = json.loads(render_sarif([_surrogate_names(vm)]))["runs"][0]["results"]
        return {r["partialFingerprints"]["hypervBackupFinding/v1"] for r in results}

    assert prints("WEB\ud80001") == prints("WEB\ud80001")
    assert prints("WEB\ud80001") != prints("WEB\ud80101")


@pytest.mark.parametrize(
    ("source", "uri"),
    [
        # A file name in bytes that are not UTF-8 (PEP 383): the URI has the bytes back.
        ("caf\udce9.json", "caf%E9.json"),
        ("/srv/caf\udce9.json", "file:///srv/caf%E9.json"),
        # Half of a surrogate pair that no byte gave: written as its escape.
        ("\ud800.json", "%5Cud800.json"),
        ("example:\ud800", "example:\\ud800"),
    ],
)
def test_an_input_with_a_lone_surrogate_in_its_name_has_a_uri(source: str, uri: str) -> None:
    log = json.loads(render_sarif([failed_report(source, "check", 2, ("gone \udce9",))]))
    assert log["runs"][0]["artifacts"][0]["location"]["uri"] == uri
    (notice,) = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notice["message"]["text"].endswith("could not be read: gone \\udce9")


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
        "hyperv_backup_vm_checkpoints",
        "hyperv_backup_vm_oldest_checkpoint_age_seconds",
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


def test_prometheus_gives_each_vm_its_checkpoints_and_the_age_of_the_oldest() -> None:
    """A count for every VM, Hyper-V Replica's recovery points left out; an age where one is known."""
    families = _samples(render_prometheus(_fleet()))
    counts = {
        s.labels["vm"]: s.value
        for s in families["hyperv_backup_vm_checkpoints"]
        if s.labels["inventory"] == "site b/c 2022.json"
    }
    assert (counts["SQL01"], counts["FC01"], counts["REPL01"], counts["DC02"]) == (2, 4, 0, 0)
    # PRINT01 of the host example has a checkpoint, but its host does not say when it was collected.
    host = {
        s.labels["vm"]: s.value
        for s in families["hyperv_backup_vm_checkpoints"]
        if s.labels["inventory"] == "host.json"
    }
    assert host["PRINT01"] == 1
    ages = {
        s.labels["vm"]: s.value for s in families["hyperv_backup_vm_oldest_checkpoint_age_seconds"]
    }
    # Collected at 2026-12-06T03:00Z: SQL01's 'Before SQL CU22' was taken at
    # 2026-09-21T18:05:12Z, FC01's first daily checkpoint at 2026-12-02T00:15Z.
    assert ages == {"SQL01": 6512088, "FC01": 355500}


def test_the_oldest_age_leaves_replica_points_and_undated_checkpoints_out() -> None:
    taken = datetime(2024, 5, 1, tzinfo=UTC)
    vm = hb.VM(
        name="VM1",
        state=hb.VMState.OFF,
        checkpoints=[
            hb.Checkpoint(name="Point", snapshot_type=hb.SnapshotType.REPLICA, created_at=taken),
            hb.Checkpoint(name="Undated"),
            hb.Checkpoint(name="Standard", created_at=taken + timedelta(days=3)),
        ],
    )
    host = hb.Host(
        name="H", os=hb.HostOS.WINDOWS_SERVER_2022, vms=[vm], collected_at=taken + timedelta(days=4)
    )
    report = inventory_report("a.json", "check", host)
    assert (report.vms[0].checkpoints, report.vms[0].oldest_checkpoint_age) == (2, 86400)
    only_replica = attrs.evolve(vm, checkpoints=vm.checkpoints[:1], snapshots=())
    bare = inventory_report("a.json", "check", attrs.evolve(host, vms=[only_replica]))
    assert (bare.vms[0].checkpoints, bare.vms[0].oldest_checkpoint_age) == (0, None)


def test_prometheus_label_values_are_escaped() -> None:
    target = hb.load_example("host")
    assert isinstance(target, hb.Host)
    odd = hb.Host(name='H\\"1\n', os=target.os, vms=(target.vms[0],))
    report = inventory_report('a "b"\\c.json', "check", odd, hb.check(odd), status=1)
    families = _samples(render_prometheus([report]))
    (sample,) = families["hyperv_backup_host_vms"]
    assert sample.labels == {"inventory": 'a "b"\\c.json', "host": 'H\\"1\n'}


def test_prometheus_label_values_carry_no_lone_surrogate() -> None:
    """The exposition is UTF-8 and escapes nothing but what the format defines."""
    text = render_prometheus(
        [_surrogate_names(), failed_report("caf\udce9.json", "check", 2, ("x",))]
    )
    text.encode("utf-8")  # no lone surrogate left
    assert set(re.findall(r"\\(.)", text)) <= {"\\", '"', "n"}
    families = _samples(text)
    (host,) = families["hyperv_backup_host_vms"]
    assert host.labels["host"] == "HV\\udc0001"
    assert "WEB\\ud80001" in {s.labels["vm"] for s in families["hyperv_backup_vm_downtime"]}
    read = {s.labels["inventory"] for s in families["hyperv_backup_inventory_read"]}
    assert read == {"odd.json", "caf\\udce9.json"}


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
