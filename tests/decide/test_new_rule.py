"""A rule added by following docs/architecture.md fires under every profile, with its outcome.

The rule is made up for the test: a VM-level condition that keeps the guest
from taking part, added to the online family's checks as the guide says.
"""

from __future__ import annotations

import pytest

from hyperv_backup.decide.evaluate import evaluate
from hyperv_backup.model import VM, Cluster, ClusterGroup, Host, HostOS, ResourceState, VMState
from hyperv_backup.rules import (
    FAMILIES,
    PROFILE_RULES,
    Check,
    CheckResult,
    Context,
    Effect,
    Phase,
    Profile,
    Rule,
    Scope,
    Severity,
    Source,
)
from hyperv_backup.rules.pages import GUIDANCE, ONLINE

OLD_GUEST = Rule(
    id="HVB310",
    title="Guest too old to take part",
    severity=Severity.WARNING,
    profiles={Profile.WS2008, Profile.WS2012},
    source=Source(page=GUIDANCE, heading=ONLINE),
    description="The guest is too old to take part in an online backup.",
    remedy="Upgrade the guest.",
)


def _old_guest(vm: VM, ctx: Context) -> CheckResult:
    if not vm.name.startswith("OLD"):
        return None
    return ctx.finding(OLD_GUEST, vm.name, f"VM {vm.name!r} is too old to take part.")


CHECK = Check(
    rule=OLD_GUEST,
    scope=Scope.VM,
    phase=Phase.GUEST,
    effect=Effect.GUEST_CANNOT_TAKE_PART,
    findings=_old_guest,
    obstacle="its guest is too old",
)

CHECKS = tuple(
    c
    for family in FAMILIES
    for c in ((*family.checks, CHECK) if family.prefix == "HVB3" else family.checks)
)


def _view(os: HostOS, name: str = "OLDAPP", state: VMState = VMState.RUNNING) -> object:
    host = Host(name="HV", os=os, vms=[VM(name=name, state=state)])
    return evaluate(host, checks=CHECKS).vms[0]


@pytest.mark.parametrize("os", [HostOS.WINDOWS_SERVER_2008, HostOS.WINDOWS_SERVER_2008_R2])
def test_the_2008_profile_saves_the_vm_for_it(os: HostOS) -> None:
    view = evaluate(Host(name="HV", os=os, vms=[VM(name="OLDAPP", state=VMState.RUNNING)]),
                    checks=CHECKS).vms[0]  # fmt: skip
    assert view.decision.mode.value == "offline"
    assert [r.rule for r in view.decision.reasons] == [OLD_GUEST]
    assert view.outcome.consistency.value == "saved_state"
    assert view.outcome.causes_downtime
    assert [f.rule.id for f in view.findings] == ["HVB310", "HVB308"]


def test_windows_server_2012_saves_it_too() -> None:
    host = Host(name="HV", os=HostOS.WINDOWS_SERVER_2012,
                vms=[VM(name="OLDAPP", state=VMState.RUNNING)])  # fmt: skip
    view = evaluate(host, checks=CHECKS).vms[0]
    assert view.outcome.consistency.value == "saved_state"
    assert [f.rule.id for f in view.findings] == ["HVB310", "HVB308"]


@pytest.mark.parametrize(
    "os",
    [HostOS.WINDOWS_SERVER_2012_R2, HostOS.WINDOWS_SERVER_2016, HostOS.WINDOWS_SERVER_2025],
)
def test_later_releases_keep_it_running_crash_consistent(os: HostOS) -> None:
    host = Host(name="HV", os=os, vms=[VM(name="OLDAPP", state=VMState.RUNNING)])
    view = evaluate(host, checks=CHECKS).vms[0]
    assert view.decision.mode.value == "online"
    assert view.outcome.consistency.value == "crash_consistent"
    assert not view.outcome.causes_downtime
    (reason,) = view.outcome.reasons
    assert reason.rule.id == "HVB602"
    assert reason.message == (
        "VM 'OLDAPP' cannot take part in its backup (its guest is too old); it keeps running, "
        "and its copy is not application-consistent (read as crash-consistent)."
    )
    # The condition itself is not reported where the release keeps the VM running.
    assert all(f.rule is not OLD_GUEST for f in view.findings)


def test_a_forced_profile_answers_with_its_own_facts() -> None:
    vm = VM(name="OLDAPP", state=VMState.RUNNING)
    host = Host(name="HV", os=HostOS.WINDOWS_SERVER_2022, vms=[vm])
    view = evaluate(host, checks=CHECKS, profile=Profile.WS2008).vms[0]
    assert view.outcome.consistency.value == "saved_state"
    assert [r.rule for r in view.decision.reasons] == [OLD_GUEST]


def test_the_near_miss_fires_nothing() -> None:
    for os in (HostOS.WINDOWS_SERVER_2008_R2, HostOS.WINDOWS_SERVER_2022):
        host = Host(name="HV", os=os, vms=[VM(name="NEWAPP", state=VMState.RUNNING)])
        view = evaluate(host, checks=CHECKS).vms[0]
        assert view.findings == ()
        assert view.outcome.consistency.value == "application_consistent"


def test_a_clustered_vm_is_saved_through_the_cluster_on_2008() -> None:
    """The decision the new rule makes reaches the cluster table: offline takes the resource offline."""
    on = ResourceState.ONLINE
    group = ClusterGroup(name="OLDAPP", owner_node="N1", cluster_resource=on,
                         configuration_resource=on, storage_resource=on)  # fmt: skip
    vm = VM(name="OLDAPP", state=VMState.RUNNING, cluster_group=group)
    node = Host(name="N1", os=HostOS.WINDOWS_SERVER_2008_R2, vms=[vm])
    view = evaluate(Cluster(name="C", nodes=[node]), checks=CHECKS).vms[0]
    assert view.action.value == "take_cluster_resource_offline"
    assert [f.rule.id for f in view.findings] == ["HVB310", "HVB308", "HVB502"]


def test_the_real_catalogue_does_not_know_it() -> None:
    assert "HVB310" not in PROFILE_RULES[Profile.WS2008]
