"""The profiles: which one answers, what each decides, and that the 2008 one answers as before."""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hyperv_backup as hb
from hyperv_backup import (
    VM,
    Attachment,
    BackupApplication,
    BackupMode,
    CheckpointType,
    Cluster,
    ClusterGroup,
    Consistency,
    Disk,
    FileSystem,
    GuestOS,
    Host,
    HostOS,
    HostStorage,
    Profile,
    ResourceState,
    StepKind,
    VMState,
    Volume,
    backup_outcome,
    backup_plan,
    check,
    parse_inventory,
    profile_for,
    restore_steps,
    to_dict,
)
from hyperv_backup.decide.evaluate import evaluate
from hyperv_backup.rules import PROFILE_RULES
from tests.golden_2008 import GOLDEN, outputs
from tests.strategies import inventories

ON = ResourceState.ONLINE

# --- which profile answers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("os", "profile"),
    [
        (HostOS.WINDOWS_SERVER_2008, Profile.WS2008),
        (HostOS.WINDOWS_SERVER_2008_R2, Profile.WS2008),
        (HostOS.WINDOWS_SERVER_2012, Profile.WS2012),
        (HostOS.WINDOWS_SERVER_2012_R2, Profile.WS2012),
        (HostOS.WINDOWS_SERVER_2016, Profile.WS2016),
        (HostOS.WINDOWS_SERVER_2019, Profile.WS2016),
        (HostOS.WINDOWS_SERVER_2022, Profile.WS2016),
        (HostOS.WINDOWS_SERVER_2025, Profile.WS2016),
    ],
)
def test_profile_of_each_release(os: HostOS, profile: Profile) -> None:
    assert profile_for(os) is profile
    outcome = backup_outcome(VM(name="V", state=VMState.RUNNING), Host(name="H", os=os))
    assert outcome.profile is profile


@pytest.mark.parametrize("bad", ["2019", "", "ws2016", 2016])
def test_an_unknown_profile_is_refused_everywhere(bad: Any) -> None:
    host = Host(name="H", os=HostOS.WINDOWS_SERVER_2022, vms=[VM(name="V", state=VMState.OFF)])
    for call in (
        lambda: check(host, profile=bad),
        lambda: backup_plan(host, profile=bad),
        lambda: restore_steps(host.vms[0], host, profile=bad),
        lambda: backup_outcome(host.vms[0], host, profile=bad),
    ):
        with pytest.raises(hb.HypervBackupError, match="unknown profile"):
            call()


def test_a_named_profile_answers_for_every_host() -> None:
    """``profile=`` overrides the release: a 2022 host answered as 2008 gets the guidance's HVB100."""
    host = Host(name="H", os=HostOS.WINDOWS_SERVER_2022, vms=[VM(name="V", state=VMState.RUNNING)])
    assert [f.rule.id for f in check(host, profile="2008")] == ["HVB100"]
    assert check(host) == ()
    assert backup_outcome(host.vms[0], host, profile=Profile.WS2012).profile is Profile.WS2012


# --- the table of each profile: every condition, trigger and near miss ---------------------


def _vm(**facts: Any) -> VM:
    disk = facts.pop("disk", None) or Disk(
        name="System",
        attachment=Attachment.VIRTUAL_HARD_DISK,
        volumes=[
            Volume(
                name="C:",
                file_system=facts.pop("fs", FileSystem.NTFS),
                vss_enabled=facts.pop("vss", True),
            )
        ],
        guest_disk_type=facts.pop("guest_disk", "basic"),
        host_storage=facts.pop("storage", HostStorage.LOCAL),
    )
    facts.setdefault("state", VMState.RUNNING)
    return VM(name="V", disks=[disk], **facts)


_2008, _2008R2 = HostOS.WINDOWS_SERVER_2008, HostOS.WINDOWS_SERVER_2008_R2
_2012, _2012R2 = HostOS.WINDOWS_SERVER_2012, HostOS.WINDOWS_SERVER_2012_R2
_2016, _2022 = HostOS.WINDOWS_SERVER_2016, HostOS.WINDOWS_SERVER_2022
APP, FS, CRASH = (
    Consistency.APPLICATION_CONSISTENT,
    Consistency.FILE_SYSTEM_CONSISTENT,
    Consistency.CRASH_CONSISTENT,
)
SAVED, OFF, FAILS = Consistency.SAVED_STATE, Consistency.NOT_RUNNING, Consistency.FAILS
LINUX: dict[str, Any] = {"guest_os": GuestOS.LINUX, "fs": FileSystem.OTHER}

#: (release, facts of the VM, consistency, downtime): each condition of each
#: profile, with the near miss that keeps it from applying.
TABLE: list[tuple[HostOS, dict[str, Any], Consistency, bool]] = [
    # 2008 / 2008 R2: online, or saved for the backup.
    (_2008R2, {}, APP, False),
    (_2008R2, {"integration_services": False}, SAVED, True),
    (_2008R2, {"fs": FileSystem.REFS}, SAVED, True),
    (_2008, {"state": VMState.OFF}, OFF, False),
    (_2008R2, {"state": VMState.PAUSED}, SAVED, True),
    # The later facts do not change the guidance's answer.
    (_2008R2, {**LINUX, "fs": FileSystem.NTFS, "vss_daemon": False}, APP, False),
    # 2012: still saved, but ReFS takes part and Linux guests are saved.
    (_2012, {}, APP, False),
    (_2012, {"fs": FileSystem.REFS}, APP, False),
    (_2012, {"fs": FileSystem.FAT32}, SAVED, True),
    (_2012, {"guest_disk": "dynamic"}, SAVED, True),
    (_2012, {**LINUX, "vss_daemon": True}, SAVED, True),
    (_2012, {"state": VMState.OFF}, OFF, False),
    # 2012 R2: the VM keeps running.
    (_2012R2, {}, APP, False),
    (_2012R2, {"integration_services": False}, CRASH, False),
    (_2012R2, {"backup_integration_service": False}, CRASH, False),
    (_2012R2, {"guest_inventoried": False}, CRASH, False),
    (_2012R2, {"fs": FileSystem.FAT32}, CRASH, False),
    (_2012R2, {"fs": FileSystem.REFS}, APP, False),
    # The guidance's VSS and shadow storage conditions: not documented from 2012 R2 (HVB312).
    (_2012R2, {"vss": False}, APP, False),
    (_2012, {"vss": False}, SAVED, True),
    (_2012R2, {**LINUX, "vss_daemon": True}, FS, False),
    (_2012R2, {**LINUX, "vss_daemon": None}, CRASH, False),
    (_2012R2, {"generation": 1, "scsi_controller": False}, FAILS, False),
    (_2012R2, {"generation": 1, "scsi_controller": True}, APP, False),
    # ProductionOnly is a 2016 setting: on 2012 R2 the fallback happens anyway.
    (_2012R2, {"integration_services": False, "checkpoint_type": "production_only"}, CRASH, False),
    # 2016 and later: checkpoints.
    (_2022, {}, APP, False),
    (_2022, {"integration_services": False}, CRASH, False),
    (_2022, {"integration_services": False, "checkpoint_type": "production"}, CRASH, False),
    (_2022, {"integration_services": False, "checkpoint_type": "standard"}, CRASH, False),
    # Whether a backup's checkpoint honours production-only is not documented (HVB603).
    (_2022, {"integration_services": False, "checkpoint_type": "production_only"}, CRASH, False),
    (_2022, {"checkpoint_type": CheckpointType.PRODUCTION_ONLY}, APP, False),
    (_2022, {**LINUX, "vss_daemon": True}, FS, False),
    (_2022, {**LINUX, "vss_daemon": False}, CRASH, False),
    (_2022, {**LINUX, "vss_daemon": True, "storage": HostStorage.SMB}, FAILS, False),
    (_2022, {**LINUX, "vss_daemon": True, "storage": HostStorage.HOST_ISCSI}, FAILS, False),
    (_2022, {**LINUX, "vss_daemon": True, "storage": HostStorage.SAN}, FS, False),
    (_2022, {"configuration_version": "7.1"}, FAILS, False),
    (_2022, {"configuration_version": "8.0"}, APP, False),
    (_2016, {"configuration_version": "5.0"}, APP, False),
    (_2022, {"state": VMState.SAVED}, OFF, False),
    (_2022, {"state": VMState.OFF, "replication_role": "replica"}, CRASH, False),
    (_2022, {"state": VMState.OFF, "replication_role": "replica", "replication_ready": False}, FAILS, False),
    (_2012, {"state": VMState.OFF, "replication_role": "replica"}, FAILS, False),
    # 2012 saves the VM for the backup of its configuration, which is all it holds.
    (_2012, {"integration_services": False, "disk": Disk(name="P", attachment=Attachment.PASS_THROUGH)}, Consistency.NOT_BACKED_UP, True),
    (_2022, {"disk": Disk(name="P", attachment=Attachment.PASS_THROUGH)}, Consistency.NOT_BACKED_UP, False),
]  # fmt: skip


@pytest.mark.parametrize(("os", "facts", "consistency", "downtime"), TABLE)
def test_profile_table(
    os: HostOS, facts: dict[str, Any], consistency: Consistency, downtime: bool
) -> None:
    vm = _vm(**dict(facts))
    host = Host(name="H", os=os, vms=[vm])
    outcome = backup_outcome(vm, host)
    assert (outcome.consistency, outcome.causes_downtime) == (consistency, downtime)
    assert outcome.state_during_backup is (VMState.SAVED if downtime else vm.state)
    assert outcome.state_after is vm.state
    # The plan's step says the same, and its decision agrees.
    plan = backup_plan(host)
    decision = plan.decisions["V"]
    assert decision.causes_downtime is downtime
    assert decision.mode is (
        BackupMode.ONLINE
        if consistency in (APP, FS, CRASH) and vm.state is VMState.RUNNING
        else BackupMode.OFFLINE
    )
    if profile_for(os) is Profile.WS2008:
        assert plan.outcomes == {}
    else:
        assert plan.outcomes["V"] == outcome


def test_every_reason_names_what_it_is_about() -> None:
    """A reason names its disk or volume as its subject, and in its message."""
    vm = _vm(fs=FileSystem.FAT32)
    outcome = backup_outcome(vm, Host(name="H", os=_2022, vms=[vm]))
    [reason] = outcome.reasons
    assert (reason.rule.id, reason.subject) == ("HVB602", "C:")
    assert "'C:'" in reason.message
    assert "fat32" in reason.message


# --- plans and restores per profile ---------------------------------------------------------


def _clustered(name: str, owner: str, storage: HostStorage, **facts: Any) -> VM:
    group = ClusterGroup(
        name=name,
        owner_node=owner,
        cluster_resource=ON,
        configuration_resource=ON,
        storage_resource=ON,
    )
    disk = Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK, host_storage=storage)
    return VM(name=name, state=VMState.RUNNING, disks=[disk], cluster_group=group, **facts)


def _cluster(os: HostOS) -> Cluster:
    return Cluster(
        name="CL",
        nodes=[
            Host(
                name="N1",
                os=os,
                vms=[
                    _clustered("ON-CSV", "N1", HostStorage.CLUSTER_SHARED_VOLUME),
                    _clustered("ON-DISK", "N1", HostStorage.SAN, integration_services=False),
                ],
            ),
            Host(name="N2", os=os),
        ],
    )


def test_2016_plan_saves_nothing_and_moves_no_csv_vm() -> None:
    """On 2016+, no save step where none happens and no owner move for a VM on a CSV."""
    plan = backup_plan(_cluster(_2022), "N2")
    kinds = [(s.action, s.target) for s in plan.steps]
    assert (StepKind.MOVE_VM, "ON-CSV") not in kinds
    # A VM on an ordinary cluster disk is still reported only by its owner.
    assert (StepKind.MOVE_VM, "ON-DISK") in kinds
    assert (StepKind.PREPARE_CLUSTER, "ON-DISK") not in kinds
    assert not any("saved" in s.text for s in plan.steps)
    assert not any(d.causes_downtime for d in plan.decisions.values())
    [crash] = [s for s in plan.steps if s.target == "ON-DISK" and s.action is StepKind.HOST_BACKUP]
    assert "crash-consistent" in crash.text
    assert "HVB602" in crash.rules


def test_2012_plan_still_saves_and_takes_the_cluster_resource_offline() -> None:
    plan = backup_plan(_cluster(_2012), "N1")
    kinds = [(s.action, s.target) for s in plan.steps]
    assert (StepKind.PREPARE_CLUSTER, "ON-DISK") in kinds
    assert plan.decisions["ON-DISK"].causes_downtime
    [step] = [s for s in plan.steps if s.target == "ON-DISK" and s.action is StepKind.HOST_BACKUP]
    assert "saved" in step.text


def test_2008_plan_is_the_guidance() -> None:
    plan = backup_plan(_cluster(_2008R2), "N2")
    kinds = [(s.action, s.target) for s in plan.steps]
    assert (StepKind.MOVE_VM, "ON-CSV") in kinds
    assert plan.outcomes == {}


@pytest.mark.parametrize(
    ("node", "profile", "online"),
    [
        # Without a record: a running VM whose guest cannot take part was saved
        # (2008) or kept running (2016+), which decides the first-start step.
        (Host(name="H", os=_2022), None, True),
        (Host(name="H", os=_2008R2), None, False),
        ("H", None, False),
        ("H", "2016", True),
        ("H", "2012", True),
    ],
)
def test_restore_assumes_the_mode_of_the_profile(
    node: Any, profile: str | None, online: bool
) -> None:
    vm = _vm(integration_services=False)
    steps = restore_steps(vm, node, profile=profile)
    first_start = {"HVB402", "HVB407"}
    assert any(not first_start.isdisjoint(s.rules) for s in steps) is online


# --- the 2008 profile answers exactly as before ------------------------------------------------


def _golden() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(GOLDEN.read_text(encoding="utf-8"))
    return data


def _kept(then: Any, now: Any, where: str = "$") -> list[str]:
    """Return where ``now`` differs from ``then`` but for keys ``now`` adds: an additive change keeps all."""
    if isinstance(then, dict) and isinstance(now, dict):
        return [
            p for key, value in then.items() for p in _kept(value, now.get(key), f"{where}.{key}")
        ]
    if isinstance(then, list) and isinstance(now, list) and len(then) == len(now):
        return [
            p
            for i, pair in enumerate(zip(then, now, strict=True))
            for p in _kept(*pair, f"{where}[{i}]")
        ]
    return [] if then == now else [where]


def _plan_schema_2(outputs: dict[str, str]) -> dict[str, str]:
    """Return 0.2's outputs with its plan document in the shape of schema 2.

    The plan's rows give their reasons as an array of rule IDs since schema
    2, where 0.2 wrote one string of them, space-separated; the rest of the
    document is 0.2's, byte for byte.
    """
    document = json.loads(outputs["plan.json"])
    assert document["schema_version"] == 1
    document["schema_version"] = 2
    for row in document["vms"]:
        row["reasons"] = row["reasons"].split()
    return {**outputs, "plan.json": json.dumps(document, indent=2, ensure_ascii=True) + "\n"}


@pytest.mark.parametrize("name", sorted(_golden()))
def test_2008_outputs_are_those_of_the_release_before_the_profiles(name: str) -> None:
    """Every answer given for a 2008 / 2008 R2 inventory is what 0.2 gave.

    The JSON documents hold the answers: each keeps every key and value 0.2
    wrote, and may add keys; the plan rows' reasons are an array since the
    plan's schema 2. The text, Markdown and HTML reports are laid out anew
    (backups by outcome first) and are not compared here.
    """
    entry = _golden()[name]
    target = parse_inventory(entry["inventory"])
    assert hb.dump_inventory(target) == entry["inventory"]
    found = outputs(target)
    expected = _plan_schema_2(entry["outputs"])
    documents = [key for key in expected if key.endswith(".json")]
    assert documents
    for key in documents:
        assert _kept(json.loads(expected[key]), json.loads(found[key])) == [], key


_LATER_FACTS = st.fixed_dictionaries(
    {
        "generation": st.sampled_from([None, 1, 2]),
        "configuration_version": st.sampled_from([None, "5.0", "10.0"]),
        "checkpoint_type": st.one_of(st.none(), st.sampled_from(CheckpointType)),
        "guest_os": st.sampled_from(GuestOS),
        "vss_daemon": st.sampled_from([None, True, False]),
        "scsi_controller": st.sampled_from([None, True, False]),
        "replication_role": st.sampled_from(hb.ReplicationRole),
        "replication_ready": st.booleans(),
    }
)


def _as_2008(target: Host | Cluster) -> Host | Cluster:
    def host(h: Host) -> Host:
        return attrs.evolve(h, os=HostOS.WINDOWS_SERVER_2008_R2)

    if isinstance(target, Cluster):
        return attrs.evolve(target, nodes=[host(n) for n in target.nodes])
    return host(target)


def _with_facts(target: Host | Cluster, facts: dict[str, Any]) -> Host | Cluster:
    def host(h: Host) -> Host:
        return attrs.evolve(
            h, vms=[attrs.evolve(vm, **facts) for vm in h.vms], file_server_vss_agent=False
        )

    if isinstance(target, Cluster):
        return attrs.evolve(target, nodes=[host(n) for n in target.nodes])
    return host(target)


def _bare(target: Host | Cluster) -> Host | Cluster:
    """Return ``target`` with every later fact at its default."""
    defaults: dict[str, Any] = {
        "generation": None,
        "configuration_version": None,
        "checkpoint_type": None,
        "guest_os": GuestOS.UNKNOWN,
        "vss_daemon": None,
        "scsi_controller": None,
        "fibre_channel_adapters": (),
        "replication_role": hb.ReplicationRole.NONE,
        "replication_ready": True,
    }

    def host(h: Host) -> Host:
        vms = []
        for vm in h.vms:
            disks = [attrs.evolve(d, shared=False) for d in vm.disks]
            vms.append(attrs.evolve(vm, disks=disks, **defaults))
        return attrs.evolve(h, vms=vms, file_server_vss_agent=None)

    if isinstance(target, Cluster):
        return attrs.evolve(target, nodes=[host(n) for n in target.nodes])
    return host(target)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inventories(), _LATER_FACTS)
def test_the_2008_profile_reads_none_of_the_later_facts(
    target: Host | Cluster, facts: dict[str, Any]
) -> None:
    """For a 2008 R2 inventory, no later fact changes any decision, finding, step or output."""
    bare = _bare(_as_2008(target))
    later = _with_facts(bare, facts)
    assert outputs(later) == outputs(bare)
    assert evaluate(later).findings == evaluate(bare).findings


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inventories(), st.sampled_from([None, *Profile]))
def test_each_profile_reports_only_its_rules(
    target: Host | Cluster, profile: Profile | None
) -> None:
    """Every finding is of a rule the answering profile holds (PROFILE_RULES)."""
    hosts = target.nodes if isinstance(target, Cluster) else (target,)
    answering = {profile or profile_for(h.os) for h in hosts}
    allowed = set().union(*(PROFILE_RULES[p] for p in answering))
    plan = backup_plan(target, profile=profile)
    assert {f.rule.id for f in plan.findings} <= allowed
    assert {r for s in plan.steps for r in s.rules} <= allowed
    for outcome in plan.outcomes.values():
        assert outcome.profile in answering


# --- serialised -------------------------------------------------------------------------------


def test_outcome_to_dict() -> None:
    vm = _vm(integration_services=False)
    outcome = backup_outcome(vm, Host(name="H", os=_2022, vms=[vm]))
    data = to_dict(outcome)
    assert data == {
        "vm": "V",
        "profile": "2016",
        "consistency": "crash_consistent",
        "causes_downtime": False,
        "state_during_backup": "running",
        "state_after": "running",
        "reasons": [to_dict(r) for r in outcome.reasons],
        "incremental": None,
        "incremental_reasons": [],
    }
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {f.name for f in attrs.fields(hb.BackupOutcome)}


def test_plan_of_a_later_host_writes_its_outcomes() -> None:
    host = Host(name="H", os=_2022, vms=[_vm()])
    data = to_dict(backup_plan(host))
    assert list(data) == ["steps", "findings", "decisions", "outcomes"]
    assert data["outcomes"]["V"]["consistency"] == "application_consistent"


def test_outcome_shows_in_a_notebook() -> None:
    vm = _vm(integration_services=False)
    outcome = backup_outcome(vm, Host(name="H", os=_2022, vms=[vm]))
    markdown = outcome._repr_markdown_()
    assert "crash-consistent" in markdown
    assert "Windows Server 2016 and later" in markdown
    assert "HVB602" in markdown
    assert "HVB602" in outcome._repr_html_()


@pytest.mark.parametrize("consistency", list(Consistency))
def test_every_consistency_has_words(consistency: Consistency) -> None:
    assert consistency.label
    assert "_" not in consistency.label


def test_the_2008_profile_says_a_vm_with_no_virtual_disk_is_not_backed_up() -> None:
    vm = VM(
        name="V", state=VMState.RUNNING, disks=[Disk(name="P", attachment=Attachment.PASS_THROUGH)]
    )
    outcome = backup_outcome(vm, Host(name="H", os=_2008R2, vms=[vm]))
    assert outcome.consistency is Consistency.NOT_BACKED_UP
    assert outcome.profile is Profile.WS2008


def test_a_plan_of_two_profiles_shows_each_vm_as_its_profile_answers() -> None:
    """A 2008 R2 node beside a 2012 node: each VM's outcome as its own profile answers."""
    from hyperv_backup.render import Format, decision_rows, render_plan

    cluster = Cluster(
        name="CL",
        nodes=[
            Host(name="OLD", os=_2008R2, vms=[VM(name="A", state=VMState.RUNNING)]),
            Host(name="NEW", os=_2012, vms=[VM(name="B", state=VMState.RUNNING)]),
        ],
    )
    plan = backup_plan(cluster)
    assert set(plan.outcomes) == {"B"}
    rows = {row["vm"]: row for row in decision_rows(plan)}
    assert (rows["A"]["consistency"], rows["B"]["consistency"]) == (None, "application_consistent")
    text = render_plan(plan, Format.TEXT)
    assert "Answered by the profile of Windows Server 2012 and 2012 R2" in text
    line_a = next(line for line in text.splitlines() if line.startswith("A "))
    # The 2008 profile's online backup is application-consistent.
    assert "application-consistent" in line_a


# --- the later facts, profile by profile: each one's trigger and near miss -------------------

_FILE_COPY = {"uses_hyperv_vss_writer": False}
NOT_APP = Consistency.NOT_APPLICATION_CONSISTENT

#: (release, fields of the backup application, fields of the VM, consistency): the
#: facts added for the later pages change nothing under the 2008 profile.
FACT_TABLE: list[tuple[HostOS, dict[str, Any], dict[str, Any], Consistency]] = [
    (_2008R2, _FILE_COPY, {}, APP),  # the guidance says HVB101, and the plan does not change
    (_2012, _FILE_COPY, {}, NOT_APP),
    (_2012, _FILE_COPY, {"integration_services": False}, NOT_APP),  # not saved by a writer not used
    (_2012R2, _FILE_COPY, {}, NOT_APP),
    (_2012R2, {}, {}, APP),
    (_2022, {**_FILE_COPY, "uses_wmi_backup": False}, {}, NOT_APP),
    (_2022, {**_FILE_COPY, "uses_wmi_backup": True}, {}, APP),
    (_2022, _FILE_COPY, {}, APP),  # the WMI API not given: a warning only (HVB108)
    (_2008R2, {}, {"snapshot_file_location": "E:\\C"}, APP),
    (_2012, {}, {"snapshot_file_location": "E:\\C"}, SAVED),
    (_2012R2, {}, {"snapshot_file_location": "E:\\C"}, CRASH),
    (_2012R2, {}, {"snapshot_file_location": "D:\\C"}, APP),
    (_2022, {}, {"integration_services_current": False}, APP),  # HVB112, a warning
    (_2022, {}, {"guest_os": GuestOS.FREEBSD, "fs": FileSystem.OTHER, "vss_daemon": True,
                 "writable_file_systems": ("ufs", "zfs")}, CRASH),
    (_2022, {}, {"guest_os": GuestOS.FREEBSD, "fs": FileSystem.OTHER, "vss_daemon": True,
                 "writable_file_systems": ("ufs",)}, FS),
]  # fmt: skip


@pytest.mark.parametrize(("os", "app", "facts", "consistency"), FACT_TABLE)
def test_later_fact_table(
    os: HostOS, app: dict[str, Any], facts: dict[str, Any], consistency: Consistency
) -> None:
    vm = _vm(**dict(facts))
    vm = attrs.evolve(vm, disks=[attrs.evolve(vm.disks[0], path="D:\\VMs\\V.vhdx")])
    host = Host(name="H", os=os, vms=[vm], backup_application=BackupApplication(name="A", **app))
    assert backup_outcome(vm, host).consistency is consistency
