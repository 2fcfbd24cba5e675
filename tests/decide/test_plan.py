"""Backup plans, and the JSON form of steps and plans.

The order of the steps comes from the source guidance: guest-level backups
before the host backup ("Storage considerations"), media first and guest
storage after the whole VM on restore ("Understanding the restore process"),
cluster preparation by the tables of "Considerations about clustered virtual
machines".
"""

from __future__ import annotations

import json
import re
from collections.abc import MutableMapping
from typing import Any, cast

import attrs
import pytest

import hyperv_backup as hb
from hyperv_backup import (
    VM,
    Attachment,
    Backup,
    BackupApplication,
    BackupLevel,
    BackupMode,
    BackupModeDecision,
    Cluster,
    Disk,
    Finding,
    Host,
    HostOS,
    HypervBackupError,
    NetworkKind,
    Plan,
    ResourceState,
    Rule,
    Step,
    StepKind,
    UncoveredStorage,
    VirtualNetwork,
    VMState,
    backup_mode,
    backup_plan,
    check,
    restore_steps,
    to_dict,
    uncovered_storage,
)
from tests.builders import (
    HOST,
    assert_numbered,
    fat32_disk,
    group,
    of_kind,
)
from tests.decide._shared_steps import (
    ONLINE_VM,
    K,
    full_restore_vm,
)

# --- backup_plan -------------------------------------------------------------------


def plan_cluster() -> Cluster:
    """Two nodes; clustered VMs on both, one unclustered VM on each.

    NODE1: A (clustered, blocked: take its cluster resource offline), C (pass-through disk).
    NODE2: B (clustered, online), D (clustered, blocked), E (unclustered, off).
    """
    wsb = BackupApplication(
        name="Windows Server Backup", is_windows_server_backup=True, hyperv_writer_registered=False
    )
    node1 = Host(
        name="NODE1",
        os=HostOS.WINDOWS_SERVER_2008_R2,
        backup_application=wsb,
        virtual_networks=[VirtualNetwork(name="Production", kind=NetworkKind.EXTERNAL, vlan_id=20)],
        vms=[
            VM(
                name="A",
                state=VMState.RUNNING,
                disks=[fat32_disk()],
                cluster_group=group("NODE1", vm="A"),
            ),
            VM(
                name="C",
                state=VMState.RUNNING,
                disks=[Disk(name="Archive", attachment=Attachment.PASS_THROUGH)],
            ),
        ],
    )
    node2 = Host(
        name="NODE2",
        os=HostOS.WINDOWS_SERVER_2008_R2,
        installed_updates=["KB982210"],
        backup_application=BackupApplication(name="Copy", uses_hyperv_vss_writer=False),
        vms=[
            VM(name="B", state=VMState.RUNNING, cluster_group=group("NODE2", vm="B")),
            VM(
                name="D",
                state=VMState.RUNNING,
                disks=[fat32_disk()],
                cluster_group=group("NODE2", vm="D"),
            ),
            VM(name="E", state=VMState.OFF),
        ],
    )
    return Cluster(name="CL01", nodes=[node1, node2])


PHASES = [
    {K.PREREQUISITE},
    {K.RECORD_NETWORKS},
    {K.GUEST_BACKUP},
    {K.PREPARE_CLUSTER, K.MOVE_VM},
    {K.HOST_BACKUP},
    {K.RETURN_CLUSTER_STATE},
]


def phase(step: Step) -> int:
    return next(i for i, kinds in enumerate(PHASES) if step.action in kinds)


def is_move(step: Step) -> bool:
    return "move" in step.text.lower()


@pytest.mark.parametrize("node", [None, "NODE1", "node2"])
def test_plan_phases_in_order(node: str | None) -> None:
    """prerequisites, networks, guest backups, cluster preparation, host backup, returns."""
    plan = backup_plan(plan_cluster(), node)
    phases = [phase(s) for s in plan.steps]
    assert phases == sorted(phases)
    assert set(phases) == set(range(len(PHASES)))
    assert_numbered(plan.steps)


def test_plan_without_node_backs_up_each_vm_on_its_owner() -> None:
    """With node=None every clustered VM is backed up where it is; nothing is moved."""
    plan = backup_plan(plan_cluster())
    assert [(s.action, s.target, s.rules) for s in plan.steps] == [
        (K.PREREQUISITE, "NODE1", ("HVB102",)),
        (K.PREREQUISITE, "NODE1", ("HVB103",)),
        (K.PREREQUISITE, "NODE2", ("HVB101",)),
        (K.RECORD_NETWORKS, "Production", ("HVB104",)),
        (K.GUEST_BACKUP, "Archive", ("HVB201",)),
        (K.PREPARE_CLUSTER, "A", ("HVB502",)),
        (K.PREPARE_CLUSTER, "D", ("HVB502",)),
        (K.HOST_BACKUP, "A", ("HVB304", "HVB308")),
        (K.HOST_BACKUP, "C", ()),
        (K.HOST_BACKUP, "B", ()),
        (K.HOST_BACKUP, "D", ("HVB304", "HVB308")),
        (K.HOST_BACKUP, "E", ("HVB307",)),
        (K.RETURN_CLUSTER_STATE, "D", ("HVB502",)),
        (K.RETURN_CLUSTER_STATE, "A", ("HVB502",)),
    ]
    where = {s.target: s.where for s in of_kind(plan.steps, K.HOST_BACKUP)}
    assert where == {"A": "NODE1", "C": "NODE1", "B": "NODE2", "D": "NODE2", "E": "NODE2"}
    assert of_kind(plan.steps, K.MOVE_VM) == []
    assert of_kind(plan.steps, K.GUEST_BACKUP)[0].where == "C"
    assert [s.where for s in of_kind(plan.steps, K.PREREQUISITE)] == ["NODE1", "NODE1", "NODE2"]


@pytest.mark.parametrize("node", ["NODE1", "node1", "Node1"])
def test_plan_with_node_moves_vms_owned_elsewhere(node: str) -> None:
    """With a node every clustered VM is backed up there; VMs owned elsewhere move first."""
    plan = backup_plan(plan_cluster(), node)
    cluster_steps = [
        (s.action, s.target, is_move(s))
        for s in plan.steps
        if s.action in {K.PREPARE_CLUSTER, K.MOVE_VM, K.RETURN_CLUSTER_STATE}
    ]
    assert cluster_steps == [
        (K.PREPARE_CLUSTER, "A", False),
        (K.MOVE_VM, "B", True),
        (K.MOVE_VM, "D", True),
        (K.PREPARE_CLUSTER, "D", False),
        # returns: the reverse order of the preparations
        (K.RETURN_CLUSTER_STATE, "D", False),
        (K.RETURN_CLUSTER_STATE, "D", True),
        (K.RETURN_CLUSTER_STATE, "B", True),
        (K.RETURN_CLUSTER_STATE, "A", False),
    ]
    for step in plan.steps:
        if step.action in {K.MOVE_VM, K.PREPARE_CLUSTER, K.RETURN_CLUSTER_STATE}:
            assert step.rules == ("HVB502",)
    where = {s.target: s.where.casefold() for s in of_kind(plan.steps, K.HOST_BACKUP)}
    # Clustered VMs on the chosen node; unclustered VMs stay on their host.
    assert where == {"A": "node1", "C": "node1", "B": "node1", "D": "node1", "E": "node2"}
    for move in of_kind(plan.steps, K.MOVE_VM):
        assert "NODE2" in move.text
        assert "NODE1".casefold() in move.text.casefold()
    assert plan == backup_plan(plan_cluster(), "NODE1")


def test_plan_findings_name_each_moved_vm() -> None:
    """The plan's findings carry HVB502 for each VM moved to the backup node."""
    moved = backup_plan(plan_cluster(), "NODE1")
    on_node1 = {f.subject for f in moved.findings if f.rule.id == "HVB502" and f.host == "NODE1"}
    assert on_node1 == {"A", "B", "D"}  # A: take offline; B and D: moved here
    unmoved = backup_plan(plan_cluster())
    hvb502 = {(f.subject, f.host) for f in unmoved.findings if f.rule.id == "HVB502"}
    assert hvb502 == {("A", "NODE1"), ("D", "NODE2")}
    ranks = [f.severity.rank for f in moved.findings]
    assert ranks == sorted(ranks)


def test_plan_findings_match_check_without_moves() -> None:
    """Without a node, the plan reports what check() reports."""
    cluster = plan_cluster()
    assert backup_plan(cluster).findings == check(cluster)


def test_plan_host_backup_rules_are_the_reasons() -> None:
    """A HOST_BACKUP step carries the VM's reasons, and HVB308 when it causes downtime."""
    plan = backup_plan(plan_cluster(), "NODE2")
    steps = of_kind(plan.steps, K.HOST_BACKUP)
    assert [s.target for s in steps] == ["A", "C", "B", "D", "E"]
    for step in steps:
        decision = plan.decisions[step.target]
        expected = tuple(r.rule.id for r in decision.reasons)
        if decision.causes_downtime:
            expected += ("HVB308",)
        assert step.rules == expected
        assert step.target in step.text


def test_plan_unknown_node_is_refused() -> None:
    """A node that is not part of the target is a ValueError (HypervBackupError)."""
    with pytest.raises(HypervBackupError, match="NODE9"):
        backup_plan(plan_cluster(), "NODE9")
    with pytest.raises(ValueError, match="NODE9"):
        backup_plan(plan_cluster(), "NODE9")


def small_host() -> Host:
    vm = VM(name="VM1", state=VMState.RUNNING, disks=[fat32_disk()])
    return Host(name=HOST, os=HostOS.WINDOWS_SERVER_2008, vms=[vm])


@pytest.mark.parametrize("node", [None, HOST, HOST.lower()])
def test_plan_of_a_host_accepts_its_own_name(node: str | None) -> None:
    """For a Host target, node must be None or that host's name."""
    plan = backup_plan(small_host(), node)
    [backup] = of_kind(plan.steps, K.HOST_BACKUP)
    assert backup.where.casefold() == HOST.casefold()
    assert backup.rules == ("HVB304", "HVB308")


def test_plan_of_a_host_refuses_another_name() -> None:
    """For a Host target, any other node name raises ValueError."""
    with pytest.raises(ValueError, match="HV02"):
        backup_plan(small_host(), "HV02")


def test_plan_decisions_cover_every_vm_and_are_read_only() -> None:
    """Plan.decisions is a read-only mapping of every VM name to its decision."""
    plan = backup_plan(plan_cluster())
    assert list(plan.decisions) == ["A", "C", "B", "D", "E"]  # inventory order
    cluster = plan_cluster()
    for host in cluster.nodes:
        for vm in host.vms:
            decision = plan.decisions[vm.name]
            assert decision.mode is backup_mode(vm).mode
            assert decision.causes_downtime is backup_mode(vm).causes_downtime
    writable = cast("MutableMapping[str, BackupModeDecision]", plan.decisions)
    with pytest.raises(TypeError):
        writable["Z"] = plan.decisions["A"]
    with pytest.raises(TypeError):
        del writable["A"]
    assert "Z" not in plan.decisions


def test_plan_is_deterministic() -> None:
    """Same input, same output."""
    assert backup_plan(plan_cluster(), "NODE1") == backup_plan(plan_cluster(), "NODE1")
    first = json.dumps(to_dict(backup_plan(plan_cluster(), "NODE1")))
    assert first == json.dumps(to_dict(backup_plan(plan_cluster(), "NODE1")))


SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def all_steps() -> list[Step]:
    """Return the steps of plans and restores that touch every kind of step."""
    cluster = plan_cluster()
    steps = [*backup_plan(cluster).steps, *backup_plan(cluster, "NODE1").steps]
    for host in cluster.nodes:
        for vm in host.vms:
            steps.extend(restore_steps(vm, host))
            steps.extend(restore_steps(vm, "NODE3", []))
    uncovered = VM(
        name="VM1", state=VMState.OFF, cluster_group=group(HOST, cluster=ResourceState.FAILED)
    )
    steps.extend(restore_steps(uncovered, HOST))
    steps.extend(backup_plan(Host(name=HOST, os=HostOS.WINDOWS_SERVER_2008, vms=[uncovered])).steps)
    steps.extend(restore_steps(ONLINE_VM, HOST))
    steps.extend(restore_steps(full_restore_vm(), HOST))
    return steps


def test_step_text_is_one_sentence() -> None:
    """A Step's text is one imperative sentence, ending with a full stop."""
    steps = all_steps()
    assert set(StepKind) == {s.action for s in steps}
    several = [s.text for s in steps if len(SENTENCE_BREAK.split(s.text)) != 1]
    assert several == []
    for step in steps:
        assert step.text.endswith("."), step.text
        assert step.text[0].isupper(), step.text


def test_finding_message_is_one_sentence_naming_its_subject() -> None:
    """A Finding's message is one sentence naming its subject."""
    cluster = plan_cluster()
    findings = [*check(cluster), *backup_plan(cluster, "NODE1").findings]
    for item in findings:
        assert item.subject in item.message
        assert len(SENTENCE_BREAK.split(item.message)) == 1, item.message
        assert item.message.endswith("."), item.message


# --- to_dict -------------------------------------------------------------------------


def roundtrip(data: dict[str, Any]) -> dict[str, Any]:
    loaded = json.loads(json.dumps(data))
    assert isinstance(loaded, dict)
    return loaded


def field_names(cls: type) -> set[str]:
    return {f.name for f in attrs.fields(cls)}


def assert_plain(value: object) -> None:
    """Only JSON types: no enum members or other str subclasses hide in the output."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert type(key) is str
            assert_plain(item)
    elif isinstance(value, list):
        for item in value:
            assert_plain(item)
    else:
        assert value is None or type(value) in (str, int, bool, float), repr(value)


def test_to_dict_of_a_plan() -> None:
    """A Plan serialises to JSON with its steps, findings and decisions."""
    plan = backup_plan(plan_cluster(), "NODE1")
    data = to_dict(plan)
    assert list(data) == ["steps", "findings", "decisions"]
    # A plan answered by the 2008 profile alone has no outcomes and writes none.
    # Nor protection: no catalogue was given.
    assert set(data) | {"outcomes", "protection"} == field_names(Plan)
    assert roundtrip(data) == data
    assert_plain(data)
    assert [s["order"] for s in data["steps"]] == [s.order for s in plan.steps]
    assert data["steps"][0]["action"] == "prerequisite"
    assert set(data["decisions"]) == set(plan.decisions)
    assert data["decisions"]["A"]["mode"] == "offline"
    assert data["decisions"]["A"]["state_during_backup"] == "saved"


def test_to_dict_of_a_step() -> None:
    """A Step has order, action, target, where, text and rules; the action as its string."""
    step = restore_steps(VM(name="VM1", state=VMState.RUNNING), HOST)[-1]
    data = to_dict(step)
    assert list(data) == ["order", "action", "target", "where", "text", "rules"]
    assert set(data) == field_names(Step)
    assert data == {
        "order": step.order,
        "action": "first_start",
        "target": "VM1",
        "where": HOST,
        "text": step.text,
        "rules": ["HVB402"],
    }
    assert roundtrip(data) == data
    assert_plain(data)


def test_to_dict_of_a_finding_and_a_rule() -> None:
    """A Finding names its rule by ID; a Rule carries id, title, severity, section, remedy."""
    vm = VM(
        name="VM1",
        state=VMState.RUNNING,
        disks=[Disk(name="P", attachment=Attachment.PASS_THROUGH)],
    )
    [item] = check(Host(name=HOST, os=HostOS.WINDOWS_SERVER_2008, vms=[vm]))
    data = to_dict(item)
    assert list(data) == ["rule", "severity", "subject", "message", "host", "vm"]
    assert set(data) == field_names(Finding)
    assert data == {
        "rule": "HVB201",
        "severity": "warning",
        "subject": "P",
        "message": item.message,
        "host": HOST,
        "vm": "VM1",
    }
    assert_plain(data)
    rule_data = to_dict(item.rule)
    assert list(rule_data) == [
        "id", "title", "severity", "section", "source", "description", "remedy",
    ]  # fmt: skip
    # The JSON of a rule is its catalogue entry; which profiles report it, its
    # severity note and its plan step are for the reference pages and plans.
    assert set(rule_data) == field_names(Rule) - {"profiles", "severity_note", "prerequisite"} | {
        "section"
    }
    assert {"id", "title", "severity", "section", "remedy"} <= set(rule_data)
    assert rule_data["id"] == "HVB201"
    assert rule_data["severity"] == "warning"
    assert rule_data["section"] == "Storage considerations"
    assert roundtrip(rule_data) == rule_data
    assert_plain(rule_data)


def test_to_dict_of_a_decision() -> None:
    """A BackupModeDecision serialises with its mode, downtime, states and reasons."""
    decision = backup_mode(VM(name="VM1", state=VMState.PAUSED, integration_services=False))
    data = to_dict(decision)
    keys = ["vm", "mode", "causes_downtime", "state_during_backup", "state_after", "reasons"]
    assert list(data) == keys
    assert set(data) == field_names(BackupModeDecision)
    assert data["mode"] == "offline"
    assert data["causes_downtime"] is True
    assert data["state_during_backup"] == "saved"
    assert data["state_after"] == "paused"
    assert [r["rule"] for r in data["reasons"]] == ["HVB301", "HVB307"]
    assert roundtrip(data) == data
    assert_plain(data)


def test_to_dict_of_uncovered_storage() -> None:
    """An UncoveredStorage serialises as vm, disk and the rule's ID."""
    vm = VM(
        name="VM1",
        state=VMState.RUNNING,
        disks=[
            Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK),
            Disk(name="LUN1", attachment=Attachment.GUEST_ISCSI),
        ],
    )
    [item] = uncovered_storage(Host(name=HOST, os=HostOS.WINDOWS_SERVER_2008, vms=[vm]))
    data = to_dict(item)
    assert list(data) == ["vm", "disk", "rule"]
    assert set(data) == field_names(UncoveredStorage)
    assert data == {"vm": "VM1", "disk": "LUN1", "rule": "HVB202"}
    assert_plain(data)


@pytest.mark.parametrize(
    "value",
    [
        VM(name="VM1", state=VMState.OFF),
        {"rule": "HVB201"},
        None,
        "HVB201",
        StepKind.FIRST_START,
        (VM(name="VM1", state=VMState.OFF),),
        Host(name=HOST, os=HostOS.WINDOWS_SERVER_2008),
    ],
)
def test_to_dict_refuses_other_objects(value: object) -> None:
    """Only result objects serialise; anything else is a TypeError."""
    with pytest.raises(TypeError):
        to_dict(value)  # type: ignore[call-overload]


def test_mode_keyword_stands_for_the_host_backup_without_a_record() -> None:
    """restore_steps(mode=...) says how the host backup was taken when no record does.

    A host-level record in the backup set still wins over it.
    """
    vm = VM(name="VM1", state=VMState.OFF)
    online = restore_steps(vm, "HV01", mode=BackupMode.ONLINE)
    assert online[-1].rules == ("HVB402",)
    assert "comes back off" in online[-1].text
    running = VM(name="VM1", state=VMState.RUNNING)
    offline = restore_steps(running, "HV01", mode=BackupMode.OFFLINE)
    assert offline[-1].rules == ()
    assert "comes back saved" in offline[-1].text
    record = Backup(vm="VM1", node="HV01", level=BackupLevel.HOST, mode=BackupMode.OFFLINE)
    assert restore_steps(running, "HV01", record, mode=BackupMode.ONLINE)[-1].rules == ()


def test_virtual_fibre_channel_storage_is_backed_up_from_the_guest() -> None:
    """HVB619: the plan backs up, from the guest, the SAN storage the host backup does not hold."""
    vm = hb.VM(name="SAN1", state=hb.VMState.RUNNING, fibre_channel_adapters=["FC A", "FC B"])
    target = hb.Host(name="HV01", os=hb.HostOS.WINDOWS_SERVER_2019, vms=[vm])
    steps = [s for s in hb.backup_plan(target).steps if s.action is hb.StepKind.GUEST_BACKUP]
    assert [(s.target, s.rules) for s in steps] == [("FC A", ("HVB619",)), ("FC B", ("HVB619",))]
    assert "virtual Fibre Channel adapter 'FC A'" in steps[0].text
    found = hb.uncovered_storage(target)
    assert [(u.disk, u.rule.id) for u in found] == [("FC A", "HVB619"), ("FC B", "HVB619")]
    assert str(found[0]).startswith("virtual Fibre Channel adapter 'FC A' of VM 'SAN1'")
    # The guidance of 2008 R2 knows no virtual Fibre Channel.
    assert hb.uncovered_storage(target, profile="2008") == ()
