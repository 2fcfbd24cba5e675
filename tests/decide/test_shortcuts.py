"""The shortcuts taken for large inventories give the answers of the plain way.

Deciding a VM's mode passes healthy VMs, disks and volumes over without asking
each online condition; findings, steps and decisions are built by setting
their slots; findings are sorted into one list per severity; the cluster
table is asked with the node's key worked out once. Each test here compares a
shortcut with the straightforward computation it replaces.
"""

from __future__ import annotations

import enum
import importlib.util
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hyperv_backup as hb
from hyperv_backup import (
    ONLINE_CONDITIONS,
    VM,
    Attachment,
    BackupMode,
    BackupModeDecision,
    Cluster,
    Disk,
    FileSystem,
    Finding,
    Host,
    Severity,
    Step,
    Volume,
    cluster_backup_action,
)
from hyperv_backup._base.slots import slot_setters
from hyperv_backup.decide._evaluate import evaluate
from hyperv_backup.decide.cluster import backup_action
from hyperv_backup.decide.mode import decide_mode
from hyperv_backup.model import VMState, computer_key
from hyperv_backup.rules import RULES, finding, sort_findings
from tests.paths import BENCHMARKS
from tests.strategies import cluster_groups, inventories, names, vms

_SAVED_FOR_BACKUP = (VMState.RUNNING, VMState.PAUSED)


def _fields(obj: VM | Disk | Volume) -> dict[str, object]:
    return {
        field.name: (value.value if isinstance(value, enum.Enum) else value)
        for field in attrs.fields(type(obj))
        if isinstance(value := getattr(obj, field.name), str | enum.Enum | bool | None)
    }


def every_condition_asked(vm: VM, host: str | None) -> BackupModeDecision:
    """Decide the mode by asking every condition of every subject, message from every field."""
    reasons: list[Finding] = []

    def ask(scope: str, subject: VM | Disk | Volume) -> None:
        for condition in ONLINE_CONDITIONS:
            if condition.scope == scope and condition.blocks(subject):
                message = condition.message.format(**{**_fields(subject), "vm": vm.name})
                reasons.append(
                    Finding(
                        rule=RULES[condition.rule],
                        severity=RULES[condition.rule].severity,
                        subject=subject.name,
                        message=message,
                        host=host,
                        vm=vm.name,
                    )
                )

    ask("vm", vm)
    if vm.guest_inventoried:
        for disk in vm.disks:
            if disk.attachment is not Attachment.GUEST_ISCSI:
                ask("disk", disk)
                for volume in disk.volumes:
                    ask("volume", volume)
    online = vm.state is VMState.RUNNING and not reasons
    downtime = not online and vm.state in _SAVED_FOR_BACKUP
    return BackupModeDecision(
        vm=vm.name,
        mode=BackupMode.ONLINE if online else BackupMode.OFFLINE,
        reasons=tuple(reasons),
        causes_downtime=downtime,
        state_during_backup=VMState.SAVED if downtime else vm.state,
        state_after=vm.state,
    )


def _same(built: object, plain: object) -> None:
    """Equal, with the same hash and repr, and as frozen as the plain object."""
    assert built == plain
    assert hash(built) == hash(plain)
    assert repr(built) == repr(plain)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        built.vm = "other"  # type: ignore[attr-defined]


@settings(max_examples=300)
@given(vms(), st.one_of(st.none(), names()))
def test_decision_is_that_of_asking_every_condition(vm: VM, host: str | None) -> None:
    _same(decide_mode(vm, host), every_condition_asked(vm, host))


def _generated_cluster() -> Cluster:
    path = BENCHMARKS / "generate.py"
    spec = importlib.util.spec_from_file_location("generate", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    target = hb.parse_inventory(module.cluster_json(480))
    assert isinstance(target, Cluster)
    return target


@pytest.mark.parametrize(
    "target",
    [hb.load_example("cluster"), hb.load_example("host"), _generated_cluster()],
    ids=["cluster example", "host example", "generated cluster"],
)
def test_decisions_of_mostly_healthy_inventories(target: Host | Cluster) -> None:
    """Realistic inventories, where most subjects take the quick way, decide as before."""
    hosts = target.nodes if isinstance(target, Cluster) else (target,)
    vms_seen = [(host, vm) for host in hosts for vm in host.vms]
    assert any(not every_condition_asked(vm, None).reasons for _, vm in vms_seen)
    for host, vm in vms_seen:
        _same(decide_mode(vm, host.name), every_condition_asked(vm, host.name))


def test_healthy_vm_on_a_healthy_disk_has_no_reasons() -> None:
    volume = Volume(name="C:", file_system=FileSystem.NTFS, shadow_storage="c:")
    disk = Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK, volumes=[volume])
    vm = VM(name="WEB01", state=VMState.RUNNING, disks=[disk])
    assert decide_mode(vm, "HV01") == every_condition_asked(vm, "HV01")
    assert decide_mode(vm, "HV01").reasons == ()


@given(
    names(),
    names(),
    st.sampled_from(Severity),
    st.one_of(st.none(), names()),
    st.one_of(st.none(), names()),
)
def test_finding_is_the_attrs_class_built_by_its_init(
    subject: str, message: str, severity: Severity, host: str | None, vm: str | None
) -> None:
    rule = RULES["HVB501"]
    _same(
        finding("HVB501", subject, message, host=host, vm=vm, severity=severity),
        Finding(rule=rule, severity=severity, subject=subject, message=message, host=host, vm=vm),
    )
    _same(
        finding("HVB501", subject, message, host=host, vm=vm),
        Finding(
            rule=rule, severity=rule.severity, subject=subject, message=message, host=host, vm=vm
        ),
    )


@settings(max_examples=50)
@given(inventories())
def test_plan_steps_are_the_attrs_class_built_by_its_init(target: Host | Cluster) -> None:
    for step in hb.backup_plan(target).steps:
        plain = Step(
            order=step.order,
            action=step.action,
            target=step.target,
            where=step.where,
            text=step.text,
            rules=step.rules,
        )
        assert type(step) is Step
        assert step == plain
        assert hash(step) == hash(plain)
        assert repr(step) == repr(plain)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            step.text = "other"  # type: ignore[misc]


@attrs.frozen
class _Checked:
    value: int = attrs.field(validator=attrs.validators.instance_of(int))


@attrs.frozen
class _Converted:
    value: int = attrs.field(converter=int)


@attrs.frozen
class _Hooked:
    value: int

    def __attrs_post_init__(self) -> None:
        pass


@attrs.frozen
class _Plain:
    first: int
    second: str


@pytest.mark.parametrize("cls", [_Checked, _Converted, _Hooked])
def test_slot_setters_refuse_a_class_that_runs_code_when_built(cls: type) -> None:
    with pytest.raises(TypeError, match="runs code when it is built"):
        slot_setters(cls, "value")


@pytest.mark.parametrize("names_given", [(), ("first",), ("first", "second", "third")])
def test_slot_setters_want_every_field_once(names_given: tuple[str, ...]) -> None:
    with pytest.raises(TypeError, match="every field of _Plain once"):
        slot_setters(_Plain, *names_given)


def test_slot_setters_set_the_named_fields_in_the_order_given() -> None:
    set_second, set_first = slot_setters(_Plain, "second", "first")
    item: Any = object.__new__(_Plain)
    set_second(item, "two")
    set_first(item, 1)
    assert item == _Plain(first=1, second="two")


_FINDINGS = st.builds(
    finding,
    st.sampled_from(sorted(RULES)),
    names(),
    names(),
    severity=st.one_of(st.none(), st.sampled_from(Severity)),
)


@given(st.lists(_FINDINGS, max_size=30))
def test_sorting_by_severity_is_a_stable_sort(findings: list[Finding]) -> None:
    expected = sorted(findings, key=lambda item: item.severity.rank)
    assert list(sort_findings(findings)) == expected
    assert list(sort_findings(iter(findings))) == expected


@settings(max_examples=50)
@given(inventories())
def test_findings_alone_are_those_of_the_full_evaluation(target: Host | Cluster) -> None:
    full = evaluate(target)
    alone = evaluate(target, views=False)
    assert alone.findings == full.findings
    assert alone.vms == ()
    assert len(full.vms) == sum(
        len(host.vms) for host in (target.nodes if isinstance(target, Cluster) else (target,))
    )


@given(vms(cluster_group=cluster_groups()), names(), st.sampled_from(BackupMode))
def test_backup_action_with_the_node_key_is_that_of_the_node(
    vm: VM, node: str, mode: BackupMode
) -> None:
    group = vm.cluster_group
    assert group is not None
    for name in (node, group.owner_node, group.owner_node.swapcase()):
        assert backup_action(group, computer_key(name), mode) == cluster_backup_action(
            vm, name, mode
        )
