"""The protection section, the Prometheus gauges of restore points, and the Monitoring Plugins format.

Each is checked on reports made here, in this process, so that every branch
of the renderers is seen (the command line's tests make them in workers too).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import attrs
import pytest

import hyperv_backup as hb
from hyperv_backup.decide.protection import ProtectionSummary, protection_summary
from hyperv_backup.model import (
    Catalogue,
    PolicyException,
    ProtectionPolicy,
    ReplicationRole,
    RestorePoint,
)
from hyperv_backup.render import Frame, ReportFormat, UnsupportedResultError, render_fleet
from hyperv_backup.render._protection import protection_document, protection_rows, state_text
from hyperv_backup.render.nagios import RENDERER as NAGIOS
from hyperv_backup.render.nagios import PluginState, plugin_state
from hyperv_backup.render.reports import (
    InventoryReport,
    Share,
    failed_report,
    inventory_report,
    protection_fleet_rows,
)

NOW = datetime(2026, 12, 7, 7, tzinfo=UTC)


def _point(vm: str, hours: float, host: str | None = None) -> RestorePoint:
    return RestorePoint(
        vm=vm,
        host=host,
        taken_at=NOW - timedelta(hours=hours),
        level=hb.BackupLevel.HOST,
        product="x",
    )


def _host(*, replica: bool = False) -> hb.Host:
    role = ReplicationRole.REPLICA if replica else ReplicationRole.NONE
    return hb.Host(
        name="HV01",
        os=hb.HostOS.WINDOWS_SERVER_2022,
        vms=[
            hb.VM(name="A=1", state=hb.VMState.RUNNING),
            hb.VM(name="B'|x", state=hb.VMState.OFF, replication_role=role),
        ],
    )


def _report(
    catalogue: Catalogue | None, *, status: int = 0, policy: ProtectionPolicy | None = None
) -> InventoryReport:
    target = _host(replica=True)
    summary = (
        None if catalogue is None else protection_summary(target, catalogue, now=NOW, policy=policy)
    )
    return inventory_report("inv.json", "check", target, status=status, protection=summary)


def _summary(*points: RestorePoint, policy: ProtectionPolicy | None = None) -> ProtectionSummary:
    return protection_summary(_host(replica=True), Catalogue(points=points), now=NOW, policy=policy)


def test_rows_say_each_state() -> None:
    """Exempt names the other side; an excepted VM says why; a VM with no point says none."""
    summary = _summary(_point("A=1", 3), _point("B'|x", 2, host="PRIMARY"))
    a, b = protection_rows(summary)
    assert (a["Protection"], a["Holds"], a["Age"]) == ("protected", "not recorded", "3h")
    held = attrs.evolve(_point("A=1", 3), consistency=hb.Consistency.CRASH_CONSISTENT)
    (c, _) = protection_rows(_summary(held))
    assert (c["Holds"], c["Last good restore point"]) == (
        "crash-consistent",
        "2026-12-07 04:00 UTC (host)",
    )
    assert b["Protection"] == "exempt (its other side on PRIMARY is backed up)"
    assert b["Last good restore point"] == "none"
    policy = ProtectionPolicy(
        exceptions=[
            PolicyException(vm="B'|x", rules=["HVB802"], reason="gone", expires=date(2027, 1, 1))
        ]
    )
    excepted = _summary(_point("A=1", 3), policy=policy)
    assert state_text(excepted.statuses[1]) == "never backed up (excepted until 2027-01-01: gone)"
    document = protection_document(excepted)
    assert document["excepted"][0]["reason"] == "gone"
    assert document["vms"][1]["last_good"] is None


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_a_plan_shows_its_protection_and_without_one_reads_as_before(fmt: str) -> None:
    """A plan with a catalogue has the section in every format; one without, none."""
    target = _host(replica=True)
    with_one = hb.backup_plan(target, backups=Catalogue(points=[_point("A=1", 3)]), now=NOW)
    plain = hb.backup_plan(target)
    rendered = hb.render.render_plan(with_one, fmt)  # type: ignore[arg-type]
    if fmt == "json":
        section = json.loads(rendered)["protection"]
        assert section["states"] == {"protected": 1, "never_backed_up": 1}
        assert [vm["age_seconds"] for vm in section["vms"]] == [10800, None]
    else:
        assert "Protection: 1 protected, 1 never backed up (as of 2026-12-07 07:00 UTC)" in rendered
    assert "rotection" not in hb.render.render_plan(plain, fmt)  # type: ignore[arg-type]


def test_an_empty_inventory_has_an_empty_section() -> None:
    """No VM: the section says so."""
    empty = hb.Host(name="HV01", os=hb.HostOS.WINDOWS_SERVER_2022)
    plan = hb.backup_plan(empty, backups=Catalogue(), now=NOW)
    for fmt in ("text", "markdown", "html"):
        assert "No virtual machines." in hb.render.render_plan(plan, fmt)  # type: ignore[arg-type]


def test_the_fleet_rows_of_protection() -> None:
    """Only inputs checked against a catalogue get a row, and only states some VM has a column."""
    assert protection_fleet_rows([_report(None)]) == []
    rows = protection_fleet_rows([_report(Catalogue(points=[_point("A=1", 300)])), _report(None)])
    assert rows == [
        {"input": "inv.json", "stale": "1", "never backed up": "1", "unprotected": "2"},
        {"input": "total", "stale": "1", "never backed up": "1", "unprotected": "2"},
    ]


def test_prometheus_gauges_of_restore_points() -> None:
    """Each VM's protected flag and maximum age; its age only when it has a good point."""
    text = render_fleet([_report(Catalogue(points=[_point("A=1", 3)]))], ReportFormat.PROMETHEUS)
    assert 'hyperv_backup_vm_protected{inventory="inv.json",host="HV01",vm="A=1"} 1' in text
    assert 'hyperv_backup_vm_protected{inventory="inv.json",host="HV01",vm="B\'|x"} 0' in text
    assert (
        'hyperv_backup_vm_restore_point_max_age_seconds{inventory="inv.json",host="HV01",vm="A=1"} 604800'
        in text
    )
    assert (
        'hyperv_backup_vm_last_good_restore_point_age_seconds{inventory="inv.json",host="HV01",vm="A=1"} 10800'
        in text
    )
    assert 'last_good_restore_point_age_seconds{inventory="inv.json",host="HV01",vm="B' not in text
    plain = render_fleet([_report(None)], ReportFormat.PROMETHEUS)
    assert "restore_point" not in plain
    assert "vm_protected" not in plain


# --- the Monitoring Plugins format --------------------------------------------------------


def test_the_plugin_states() -> None:
    """CRITICAL on an unprotected VM; UNKNOWN on an input not read; WARNING on findings; else OK."""
    unprotected = _report(Catalogue())
    protected = _report(Catalogue(points=[_point("A=1", 1), _point("B'|x", 1)]))
    failed = _report(Catalogue(points=[_point("A=1", 1), _point("B'|x", 1)]), status=1)
    unread = failed_report("bad.json", "check", 3, ["not JSON"])
    assert plugin_state([protected]) is PluginState.OK
    assert plugin_state([failed, protected]) is PluginState.WARNING
    assert plugin_state([unread, failed]) is PluginState.UNKNOWN
    assert plugin_state([unread, unprotected]) is PluginState.CRITICAL
    assert plugin_state([]) is PluginState.UNKNOWN
    share = Share(protected.summary(), NAGIOS.part(protected, 0, Frame(title="x")))
    assert plugin_state([share]) is PluginState.OK


def test_the_plugin_text() -> None:
    """Labels lose = and '; the status line names at most three VMs; an unread input says why."""
    frame = Frame(title="check")
    many = _report(Catalogue())
    text = NAGIOS.fleet([many, many], frame)
    first, *rest = text.splitlines()
    assert first.startswith("HYPERV_BACKUP CRITICAL - 4 of 4 VMs without a good restore point")
    assert "A=1, B'/x, A=1 and 1 more" in first
    assert first.endswith("| vms=4;;;0 unprotected=4;;0;0;4 errors=0;;;0 warnings=0;;;0 info=0;;;0")
    assert rest[:3] == [
        "inv.json: host HV01, 2 VMs, 2 unprotected, 0 errors, 0 warnings, 0 info",
        "A=1 (HV01): never backed up, max age 7d",
        "B'/x (HV01): never backed up, max age 7d",
    ]
    ages = "'HV01/A_1 age'=U;;604800;0; 'HV01/B_/x age'=U;;604800;0;"
    assert rest[-1] == f"| {ages} {ages}"
    stale = NAGIOS.fleet([_report(Catalogue(points=[_point("A=1", 300)]))], frame).splitlines()
    assert stale[2] == (
        "A=1 (HV01): stale, last good restore point 2026-11-24 19:00 UTC (12d12h ago), max age 7d"
    )
    assert stale[-1].startswith("| 'HV01/A_1 age'=1080000s;;604800;0; ")
    unread = failed_report("bad.json", "check", 3, ["invalid JSON at line 1\ncolumn 2"])
    lines = NAGIOS.fleet([unread], frame).splitlines()
    assert lines[0].startswith("HYPERV_BACKUP UNKNOWN - 1 of 1 inputs not read | vms=0")
    assert lines[1] == "bad.json: not read: invalid JSON at line 1/column 2"
    warned = _report(Catalogue(points=[_point("A=1", 1), _point("B'|x", 1)]), status=1)
    line = NAGIOS.fleet([warned], Frame(title="x", fails_at=hb.Severity.WARNING)).splitlines()[0]
    assert line.startswith("HYPERV_BACKUP WARNING - findings at or above warning")
    assert "every VM protected" in line
    calm = _report(Catalogue(points=[_point("A=1", 1), _point("B'|x", 1)]))
    fine = NAGIOS.fleet([calm], Frame(title="x", fails_at=None)).splitlines()[0]
    assert fine.startswith("HYPERV_BACKUP OK - 2 VMs, no gate on findings; every VM protected |")


def test_the_plugin_renders_reports_only() -> None:
    """Findings, plans, steps, rules and diagnoses are no plugin output."""
    frame = Frame(title="x")
    calls: list[Callable[[], str]] = [
        lambda: NAGIOS.findings([], frame),
        lambda: NAGIOS.plan(hb.backup_plan(_host()), frame),
        lambda: NAGIOS.steps([], frame),
        lambda: NAGIOS.rules([], frame),
        lambda: NAGIOS.diagnosis(None, frame),  # type: ignore[arg-type]
    ]
    for call in calls:
        with pytest.raises(UnsupportedResultError, match="nagios"):
            call()
    part = NAGIOS.part(_report(None), 0, frame)
    assert (part.state, part.line, part.vms) == (
        PluginState.OK,
        "inv.json: host HV01, 2 VMs, 0 errors, 0 warnings, 0 info",
        2,
    )
    assert (part.unprotected, part.details, part.ages, part.catalogued) == ((), (), (), False)
