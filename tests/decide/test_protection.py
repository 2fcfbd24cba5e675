"""How a catalogue protects each VM, beside its outcome; and what a policy leaves out."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from hyperv_backup import VM, Host, HostOS, VMState, backup_plan, check
from hyperv_backup.decide.evaluate import evaluate
from hyperv_backup.decide.protection import (
    ProtectionState,
    ProtectionSummary,
    apply_policy,
    protection_facts,
    protection_statuses,
    protection_summary,
    state_rule,
)
from hyperv_backup.model import (
    BackupLevel,
    Catalogue,
    Consistency,
    PolicyException,
    ProtectionPolicy,
    ReplicationRole,
    RestorePoint,
)
from tests.builders import ids

NOW = datetime(2026, 12, 7, 7, tzinfo=UTC)


def point(vm: str, hours: float, host: str | None = None) -> RestorePoint:
    return RestorePoint(
        vm=vm,
        host=host,
        taken_at=NOW - timedelta(hours=hours),
        level=BackupLevel.HOST,
        product="x",
    )


def fleet() -> Host:
    return Host(
        name="HV01",
        os=HostOS.WINDOWS_SERVER_2022,
        vms=[
            VM(name="FRESH", state=VMState.RUNNING),
            VM(name="STALE", state=VMState.RUNNING),
            VM(name="NEVER", state=VMState.OFF),
            VM(name="REPL", state=VMState.OFF, replication_role=ReplicationRole.REPLICA),
        ],
    )


CATALOGUE = Catalogue(
    points=[point("FRESH", 3), point("STALE", 60), point("REPL", 4, host="PRIMARY-HOST")]
)


def test_each_vm_gets_its_status_in_inventory_order() -> None:
    """The state of each VM, its last good point and its age, beside its outcome."""
    summary = protection_summary(fleet(), CATALOGUE, now=NOW, max_age=timedelta(hours=36))
    states = [(s.vm, s.state, s.predicted) for s in summary.statuses]
    assert states == [
        ("FRESH", ProtectionState.PROTECTED, Consistency.APPLICATION_CONSISTENT),
        ("STALE", ProtectionState.STALE, Consistency.APPLICATION_CONSISTENT),
        ("NEVER", ProtectionState.NEVER, Consistency.NOT_RUNNING),
        ("REPL", ProtectionState.EXEMPT, Consistency.CRASH_CONSISTENT),
    ]
    fresh, stale, never, replica = summary.statuses
    assert fresh.age == timedelta(hours=3)
    assert fresh.last_good is CATALOGUE.points[0]
    assert replica.other_side is CATALOGUE.points[2]
    assert [s.vm for s in summary.unprotected] == ["STALE", "NEVER"]
    assert str(stale) == "STALE: stale, last good restore point 2026-12-04 19:00 UTC (2d12h ago)"
    assert str(never) == "NEVER: never backed up"
    assert summary.now == NOW


def test_the_statuses_agree_with_the_findings() -> None:
    """A VM is unprotected exactly where HVB801 or HVB802 fires."""
    findings = check(fleet(), backups=CATALOGUE, now=NOW, max_age=timedelta(hours=36))
    flagged = {f.vm for f in findings if f.rule.id in {"HVB801", "HVB802"}}
    summary = protection_summary(fleet(), CATALOGUE, now=NOW, max_age=timedelta(hours=36))
    assert {s.vm for s in summary.unprotected} == flagged == {"STALE", "NEVER"}


def test_an_excepted_or_ignored_vm_does_not_count() -> None:
    """A policy exception, or an ignored rule, keeps a VM's state from counting against it."""
    policy = ProtectionPolicy(
        exceptions=[
            PolicyException(
                vm="NEVER", rules=["HVB802"], reason="retiring", expires=date(2026, 12, 31)
            )
        ]
    )
    summary = protection_summary(
        fleet(), CATALOGUE, now=NOW, max_age=timedelta(hours=36), policy=policy
    )
    never = summary.statuses[2]
    assert never.excepted == "excepted until 2026-12-31: retiring"
    assert not never.unprotected
    assert "[excepted until 2026-12-31: retiring]" in str(never)
    assert [e.finding.rule.id for e in summary.excepted] == ["HVB802"]
    facts = protection_facts(fleet(), CATALOGUE, now=NOW, max_age=timedelta(hours=36))
    views = evaluate(fleet(), protection=facts).vms
    ignored = protection_statuses(views, facts, ignored={"HVB801"})
    assert ignored[1].excepted == "HVB801 ignored"
    assert ignored[2].excepted is None


def test_apply_policy() -> None:
    """Live exceptions leave findings out; expired ones are listed and not applied."""
    findings = check(fleet(), backups=CATALOGUE, now=NOW, max_age=timedelta(hours=36))
    assert apply_policy(findings, None, NOW.date()).kept == tuple(findings)
    assert apply_policy(findings, ProtectionPolicy(), NOW.date()).kept == tuple(findings)
    live = PolicyException(vm="STALE", rules=["HVB801"], reason="a", expires=date(2026, 12, 7))
    gone = PolicyException(vm="NEVER", rules=["HVB802"], reason="b", expires=date(2026, 12, 6))
    result = apply_policy(findings, ProtectionPolicy(exceptions=[live, gone]), NOW.date())
    assert [e.finding.vm for e in result.excepted] == ["STALE"]
    assert result.expired == (gone,)
    assert "HVB802" in ids(result.kept)


def test_state_rule() -> None:
    """The rule that reports each unprotected state."""
    assert state_rule(ProtectionState.NEVER) == "HVB802"
    assert state_rule(ProtectionState.STALE) == "HVB801"
    assert state_rule(ProtectionState.NO_GOOD) == "HVB801"
    assert state_rule(ProtectionState.PROTECTED) is None
    assert state_rule(ProtectionState.EXEMPT) is None


def test_a_plan_with_a_catalogue() -> None:
    """The plan's findings hold HVB8xx and its protection the statuses; without one, none."""
    plan = backup_plan(fleet(), backups=CATALOGUE, now=NOW, max_age=timedelta(hours=36))
    assert isinstance(plan.protection, ProtectionSummary)
    assert "HVB802" in ids(plan.findings)
    assert backup_plan(fleet()).protection is None
    assert "HVB802" not in ids(backup_plan(fleet()).findings)


def test_a_policy_without_a_catalogue() -> None:
    """Exceptions apply to any rule, catalogue or not, on the day of ``now``."""
    target = Host(name="HV01", os=HostOS.WINDOWS_SERVER_2022, vms=[VM(name="A", state=VMState.OFF)])
    assert "HVB307" in ids(check(target))
    policy = ProtectionPolicy(
        exceptions=[
            PolicyException(vm="A", rules=["HVB307"], reason="x", expires=date(2026, 12, 7))
        ]
    )
    assert "HVB307" not in ids(check(target, policy=policy, now=NOW))
    assert "HVB307" in ids(check(target, policy=policy, now=NOW + timedelta(days=1)))
    plan = backup_plan(target, policy=policy, now=NOW)
    assert plan.protection is None
    assert "HVB307" not in ids(plan.findings)
    # Without a time, today's date decides: an exception of 2999 is live.
    forever = ProtectionPolicy(
        exceptions=[PolicyException(vm="A", rules=["HVB307"], reason="x", expires=date(2999, 1, 1))]
    )
    assert "HVB307" not in ids(check(target, policy=forever))
    assert "HVB307" not in ids(backup_plan(target, policy=forever).findings)


def test_summary_text() -> None:
    """One line per VM, or a line saying there are none."""
    empty = protection_summary(
        Host(name="HV01", os=HostOS.WINDOWS_SERVER_2022), Catalogue(), now=NOW
    )
    assert str(empty) == "no virtual machines"
    assert str(protection_summary(fleet(), CATALOGUE, now=NOW)).count("\n") == 3


def test_a_target_is_required() -> None:
    """A path is no inventory."""
    with pytest.raises(TypeError, match="protection_summary"):
        protection_summary("inv.json", Catalogue())  # type: ignore[arg-type]


def test_now_defaults_to_the_current_time() -> None:
    """Without ``now``, ages are measured at the time of the call."""
    facts = protection_facts(fleet(), Catalogue())
    assert abs(facts.now - datetime.now(UTC)) < timedelta(minutes=1)
