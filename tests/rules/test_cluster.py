"""HVB5xx, failover clusters: one trigger and one near miss per rule.

Each ``test_hvbNNN_*`` builds the smallest inventory (or VM and node, or
restore call) that makes the rule fire and checks the finding it produces;
its ``*_near_miss`` companion changes one fact so that the rule must stay
silent. Docstrings restate the clause of the source guidance ("Planning for
Backup") or of the specification that the test checks, with the heading it comes from.
"""

from __future__ import annotations

import attrs
import pytest

from hyperv_backup import (
    RULES,
    VM,
    Attachment,
    Cluster,
    Disk,
    Host,
    HostOS,
    HostStorage,
    Severity,
    StepKind,
    VMState,
    backup_plan,
    check,
    restore_steps,
)
from tests.builders import (
    FAILED,
    GUID_PATH,
    HOST,
    OFF,
    assert_finding,
    group,
    ids,
    make_host,
    only,
    steps_with,
)
from tests.rules._shared_rules import (
    csv_vm,
)

# --- HVB5xx: failover clusters --------------------------------------------------------


def guid_vm(*, clustered: bool = True, path: str = GUID_PATH) -> VM:
    return VM(
        name="VM1",
        state=VMState.RUNNING,
        disks=[Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK, path=path)],
        cluster_group=group() if clustered else None,
    )


def test_hvb501_guid_volume_without_kb958184() -> None:
    """Clustered VMs: without KB958184 a GUID-mounted volume may fail the whole backup (ERROR)."""
    findings = check(make_host(guid_vm()))
    assert ids(findings) == ["HVB501"]
    assert_finding(findings[0], "HVB501", Severity.ERROR, "System", host=HOST, vm="VM1")
    assert RULES["HVB501"].severity is Severity.ERROR


@pytest.mark.parametrize("kb", ["KB958184", "kb958184"])
def test_hvb501_guid_volume_with_kb958184(kb: str) -> None:
    """Clustered VMs: with KB958184 only the VM using the GUID path is left out (WARNING)."""
    findings = check(make_host(guid_vm(), updates=[kb]))
    assert ids(findings) == ["HVB501"]
    assert_finding(findings[0], "HVB501", Severity.WARNING, "System", host=HOST, vm="VM1")


def test_hvb501_lower_case_guid_prefix() -> None:
    r"""Clustered VMs: a GUID volume path is recognised whatever the case of ``\\?\Volume{``."""
    findings = check(make_host(guid_vm(path=GUID_PATH.lower())))
    assert ids(findings) == ["HVB501"]


@pytest.mark.parametrize(
    ("clustered", "path"),
    [
        (False, GUID_PATH),
        (True, r"C:\ClusterStorage\Volume1\VM1\VM1.vhd"),
        (True, r"E:\Hyper-V\VM1\VM1.vhd"),
        (True, r"\\filer\vms\VM1\VM1.vhd"),
    ],
)
def test_hvb501_near_miss(clustered: bool, path: str) -> None:
    """Clustered VMs: the GUID path rule concerns clustered VMs on GUID-mounted volumes only."""
    assert check(make_host(guid_vm(clustered=clustered, path=path))) == ()


def test_hvb502_take_cluster_resource_offline_via_check() -> None:
    """Clustered VMs (backup table): all online, offline backup: take the VM's cluster resource offline."""
    vm = VM(name="VM1", state=VMState.RUNNING, integration_services=False, cluster_group=group())
    findings = check(make_host(vm))
    assert ids(findings) == ["HVB301", "HVB308", "HVB502"]
    assert_finding(only(findings, "HVB502"), "HVB502", Severity.WARNING, "VM1", host=HOST, vm="VM1")


def two_node_cluster(vm: VM) -> Cluster:
    return Cluster(
        name="CL01",
        nodes=[
            Host(name="NODE1", os=HostOS.WINDOWS_SERVER_2008),
            Host(name="NODE2", os=HostOS.WINDOWS_SERVER_2008, vms=[vm]),
        ],
    )


def test_hvb502_move_vm_via_backup_plan() -> None:
    """Clustered VMs (backup table): a VM owned by node 2 is not reported on node 1: move it there."""
    vm = VM(name="VM1", state=VMState.RUNNING, cluster_group=group("NODE2"))
    plan = backup_plan(two_node_cluster(vm), node="NODE1")
    [move] = [s for s in plan.steps if s.action is StepKind.MOVE_VM]
    assert move.rules == ("HVB502",)
    assert move.target == "VM1"
    assert_finding(
        only(plan.findings, "HVB502"), "HVB502", Severity.WARNING, "VM1", host="NODE1", vm="VM1"
    )


def test_hvb502_near_miss() -> None:
    """Clustered VMs: all online with an online backup needs no preparation; without a node, no move."""
    vm = VM(name="VM1", state=VMState.RUNNING, cluster_group=group())
    assert check(make_host(vm)) == ()
    elsewhere = VM(name="VM1", state=VMState.RUNNING, cluster_group=group("NODE2"))
    plan = backup_plan(two_node_cluster(elsewhere))
    assert [s for s in plan.steps if "HVB502" in s.rules] == []
    assert "HVB502" not in ids(plan.findings)


def test_hvb503_restore_preparation() -> None:
    """Clustered VMs (restore table): all online on node 1: take cluster and configuration offline."""
    vm = VM(name="VM1", state=VMState.OFF, cluster_group=group())
    [prepare] = steps_with(restore_steps(vm, HOST), "HVB503")
    assert prepare.action is StepKind.PREPARE_CLUSTER
    assert prepare.target == "VM1"
    assert prepare.where == HOST


def test_hvb503_near_miss() -> None:
    """Clustered VMs (restore table): all three resources offline needs no preparation."""
    vm = VM(
        name="VM1",
        state=VMState.OFF,
        cluster_group=group(cluster=OFF, configuration=OFF, storage=OFF),
    )
    steps = restore_steps(vm, HOST)
    assert steps_with(steps, "HVB503") == []
    assert StepKind.PREPARE_CLUSTER not in [s.action for s in steps]


def failed_vm() -> VM:
    return VM(name="VM1", state=VMState.RUNNING, cluster_group=group(cluster=FAILED))


def test_hvb504_uncovered_states_via_check() -> None:
    """Resource states outside the backup table are NOT_COVERED and reported as HVB504."""
    findings = check(make_host(failed_vm()))
    assert ids(findings) == ["HVB504"]
    assert_finding(findings[0], "HVB504", Severity.ERROR, "VM1", host=HOST, vm="VM1")


def test_hvb504_uncovered_states_via_plan() -> None:
    """The plan's cluster preparation carries HVB504 when the table does not cover the states."""
    plan = backup_plan(make_host(failed_vm()))
    [prepare] = [s for s in plan.steps if "HVB504" in s.rules]
    assert prepare.action is StepKind.PREPARE_CLUSTER
    assert prepare.target == "VM1"
    assert ids(plan.findings) == ["HVB504"]


def test_hvb504_uncovered_states_via_restore() -> None:
    """The restore's cluster preparation carries HVB504 when the restore table does not cover it."""
    [prepare] = steps_with(restore_steps(failed_vm(), HOST), "HVB504")
    assert prepare.action is StepKind.PREPARE_CLUSTER
    assert prepare.rules == ("HVB504",)


def test_hvb504_near_miss() -> None:
    """Cluster and configuration offline with storage online is covered by both tables."""
    vm = VM(name="VM1", state=VMState.OFF, cluster_group=group(cluster=OFF, configuration=OFF))
    assert "HVB504" not in ids(check(make_host(vm)))
    assert steps_with(restore_steps(vm, HOST), "HVB504") == []
    assert [s for s in backup_plan(make_host(vm)).steps if "HVB504" in s.rules] == []


def test_hvb505_cluster_shared_volume() -> None:
    """Clustered VMs: a VM with files on a Cluster Shared Volume follows the CSV backup guidance."""
    findings = check(make_host(csv_vm()))
    assert ids(findings) == ["HVB505"]
    assert_finding(findings[0], "HVB505", Severity.INFO, "VM1", host=HOST, vm="VM1")


def test_hvb505_near_miss() -> None:
    """Clustered VMs: a VM whose disks are on a SAN, not a CSV, gets no HVB505."""
    vm = VM(
        name="VM1",
        state=VMState.RUNNING,
        disks=[
            Disk(
                name="System", attachment=Attachment.VIRTUAL_HARD_DISK, host_storage=HostStorage.SAN
            )
        ],
    )
    assert check(make_host(vm)) == ()


# --- HVB506, HVB507: from Windows Server 2012 on -----------------------------------------------


@pytest.mark.parametrize("os", [HostOS.WINDOWS_SERVER_2012_R2, HostOS.WINDOWS_SERVER_2022])
def test_hvb506_cluster_before_a_restore(os: HostOS) -> None:
    """Backing up and restoring VMs, "Failover clustering and Hyper-V VSS": a restore deletes the VM."""
    vm = VM(name="VM1", state=VMState.OFF, cluster_group=group())
    [prepare] = steps_with(restore_steps(vm, Host(name=HOST, os=os)), "HVB506")
    assert prepare.action is StepKind.PREPARE_CLUSTER
    assert prepare.where == HOST
    assert "through the Hyper-V VSS writer" in prepare.text
    assert "highly available" in prepare.text


def test_hvb506_on_the_owner_and_on_a_shared_volume() -> None:
    """Owned by another node, on its owner; on a CSV, the CSV page's warning is a step of its own."""
    vm = csv_vm()
    vm = VM(name="VM1", state=VMState.OFF, disks=vm.disks, cluster_group=group(owner="HV02"))
    steps = restore_steps(vm, Host(name=HOST, os=HostOS.WINDOWS_SERVER_2022))
    [prepare] = steps_with(steps, "HVB506")
    assert prepare.where == "HV02"
    [shared] = steps_with(steps, "HVB616")
    assert "Cluster Shared Volume" in shared.text


def test_hvb506_near_miss() -> None:
    """Resources already offline, a VM in no cluster, or the 2008 profile: no HVB506."""
    offline = VM(name="VM1", state=VMState.OFF, cluster_group=group(cluster=OFF, configuration=OFF))
    node = Host(name=HOST, os=HostOS.WINDOWS_SERVER_2022)
    assert steps_with(restore_steps(offline, node), "HVB506") == []
    assert steps_with(restore_steps(VM(name="VM1", state=VMState.OFF), node), "HVB506") == []
    clustered = VM(name="VM1", state=VMState.OFF, cluster_group=group())
    assert steps_with(restore_steps(clustered, HOST), "HVB506") == []
    failed = VM(name="VM1", state=VMState.OFF, cluster_group=group(cluster=FAILED))
    assert [
        s.rules for s in restore_steps(failed, node) if s.action is StepKind.PREPARE_CLUSTER
    ] == [("HVB504",)]


def _nodes(*releases: HostOS) -> list[Host]:
    return [Host(name=f"N{i}", os=os) for i, os in enumerate(releases, 1)]


@pytest.mark.parametrize(
    ("releases", "level", "fires_on"),
    [
        ((HostOS.WINDOWS_SERVER_2016, HostOS.WINDOWS_SERVER_2012_R2), None, ["N1"]),
        ((HostOS.WINDOWS_SERVER_2019, HostOS.WINDOWS_SERVER_2016), 8, ["N1", "N2"]),
    ],
)
def test_hvb507_cluster_at_the_2012_r2_level(
    releases: tuple[HostOS, ...], level: int | None, fires_on: list[str]
) -> None:
    """What's new in Hyper-V, "Rolling Hyper-V Cluster upgrade": a 2012 R2 feature level until raised."""
    findings = check(Cluster(name="C", nodes=_nodes(*releases), functional_level=level))
    assert [f.subject for f in findings if f.rule.id == "HVB507"] == fires_on
    for f in findings:
        assert_finding(f, "HVB507", Severity.WARNING, f.subject, host=f.subject, vm=None)


@pytest.mark.parametrize("level", [None, 9, 11])
def test_hvb507_near_miss(level: int | None) -> None:
    """Every node on 2016 or later and the level raised (or not known): no HVB507; nor on 2012 R2."""
    cluster = Cluster(
        name="C",
        nodes=_nodes(HostOS.WINDOWS_SERVER_2022, HostOS.WINDOWS_SERVER_2019),
        functional_level=level,
    )
    assert "HVB507" not in ids(check(cluster))
    old = Cluster(name="C", nodes=_nodes(HostOS.WINDOWS_SERVER_2012_R2), functional_level=8)
    assert "HVB507" not in ids(check(old))
    assert "HVB507" not in ids(check(Host(name="N1", os=HostOS.WINDOWS_SERVER_2016)))


def test_hvb507_under_a_forced_2016_profile_names_only_nodes_of_2016_or_later() -> None:
    """A 2012 R2 node answered by the 2016 profile does not run 2016; its cluster's level still holds."""
    disk = Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK)
    vm = VM(
        name="VM1",
        state=VMState.RUNNING,
        configuration_version="8.0",
        disks=[disk],
        cluster_group=group("N2"),
    )
    nodes = _nodes(HostOS.WINDOWS_SERVER_2016, HostOS.WINDOWS_SERVER_2012_R2)
    cluster = Cluster(name="C", nodes=[nodes[0], attrs.evolve(nodes[1], vms=[vm])])
    findings = check(cluster, profile="2016")
    assert [f.subject for f in findings if f.rule.id == "HVB507"] == ["N1"]
    # The VM of the 2012 R2 node is in a cluster at the 2012 R2 level: no change tracking.
    assert [f.vm for f in findings if f.rule.id == "HVB907"] == ["VM1"]
