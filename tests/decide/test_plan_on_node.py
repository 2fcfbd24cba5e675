"""A plan that names a node: clustered VMs are evaluated, prepared and backed up there."""

from __future__ import annotations

import hyperv_backup as hb
from hyperv_backup import (
    VM,
    Attachment,
    BackupApplication,
    Cluster,
    ClusterGroup,
    Disk,
    FileSystem,
    Host,
    HostOS,
    HostStorage,
    ResourceState,
    Severity,
    StepKind,
    VMState,
    Volume,
    backup_plan,
)
from hyperv_backup.decide.evaluate import evaluate

ON, OFF, FAILED = ResourceState.ONLINE, ResourceState.OFFLINE, ResourceState.FAILED
WSB = BackupApplication(name="Windows Server Backup", is_windows_server_backup=True)
SUITE = BackupApplication(name="Backup Suite")


def _group(owner: str, cluster: ResourceState = ON) -> ClusterGroup:
    return ClusterGroup(
        name=f"G-{owner}-{cluster}",
        owner_node=owner,
        cluster_resource=cluster,
        configuration_resource=ON,
        storage_resource=ON,
    )


def _vm(name: str, owner: str, **kwargs: object) -> VM:
    return VM(name=name, state=VMState.RUNNING, cluster_group=_group(owner), **kwargs)  # type: ignore[arg-type]


def _cluster(vm: VM, n1: dict[str, object], n2: dict[str, object]) -> Cluster:
    return Cluster(
        name="C",
        nodes=[
            Host(name="N1", os=HostOS.WINDOWS_SERVER_2008_R2, vms=[vm], **n1),  # type: ignore[arg-type]
            Host(name="N2", os=HostOS.WINDOWS_SERVER_2008_R2, **n2),  # type: ignore[arg-type]
        ],
    )


def _rules(findings: tuple[hb.Finding, ...], vm: str) -> dict[str, str | None]:
    return {f.rule.id: f.host for f in findings if f.vm == vm}


def test_backup_application_and_hotfixes_of_the_backup_node_count() -> None:
    """HVB106, HVB107 and HVB203 ask the node that runs the backup, not the owner."""
    vm = _vm(
        "V",
        "N1",
        snapshots=["a", "b"],
        disks=[
            Disk(
                name="System",
                attachment=Attachment.VIRTUAL_HARD_DISK,
                host_storage=HostStorage.CLUSTER_SHARED_VOLUME,
            ),
            Disk(name="LUN", attachment=Attachment.GUEST_ISCSI),
        ],
    )
    cluster = _cluster(
        vm,
        {"backup_application": WSB},
        {"backup_application": SUITE, "installed_updates": ["KB975354", "KB982210"]},
    )
    on_owner = _rules(backup_plan(cluster).findings, "V")
    assert {"HVB106", "HVB107", "HVB203"} <= set(on_owner)
    on_n2 = backup_plan(cluster, "n2")
    found = _rules(on_n2.findings, "V")
    assert not {"HVB106", "HVB107", "HVB203"} & set(found)
    assert set(found.values()) == {"N2"}
    [guest] = [s for s in on_n2.steps if s.action is StepKind.GUEST_BACKUP]
    assert guest.rules == ("HVB202",)


def test_hvb501_asks_the_backup_node_for_kb958184() -> None:
    guid = Disk(
        name="System",
        attachment=Attachment.VIRTUAL_HARD_DISK,
        path="\\\\?\\Volume{0e5f2f4a-1111-2222-3333-444455556666}\\V.vhd",
    )
    cluster = _cluster(_vm("V", "N1", disks=[guid]), {}, {"installed_updates": ["KB958184"]})
    [on_owner] = [f for f in hb.check(cluster) if f.rule.id == "HVB501"]
    assert (on_owner.severity, on_owner.host) == (Severity.ERROR, "N1")
    plan = backup_plan(cluster, "N2")
    [on_n2] = [f for f in plan.findings if f.rule.id == "HVB501"]
    assert (on_n2.severity, on_n2.host) == (Severity.WARNING, "N2")
    [step] = [s for s in plan.steps if s.action is StepKind.HOST_BACKUP]
    assert step.text.startswith("Expect VM 'V' to be left out of the backup on 'N2'")
    assert "HVB501" in step.rules


def test_move_findings_keep_inventory_order() -> None:
    """A moved VM's HVB502 stands with its other findings, not after every host's."""
    first = _vm("A", "N1")
    second = VM(name="B", state=VMState.OFF, cluster_group=_group("N2"))
    cluster = Cluster(
        name="C",
        nodes=[
            Host(name="N1", os=HostOS.WINDOWS_SERVER_2012, vms=[first]),
            Host(name="N2", os=HostOS.WINDOWS_SERVER_2012, vms=[second]),
        ],
    )
    preparations = [f.vm for f in backup_plan(cluster, "N2").findings if f.rule.id == "HVB502"]
    # A (on N1, moved) comes before B (on N2, resource taken offline), as in the inventory.
    assert preparations == ["A", "B"]


def test_uncovered_states_are_fixed_on_the_owner_before_the_move() -> None:
    vm = VM(name="V", state=VMState.OFF, cluster_group=_group("N1", cluster=FAILED))
    steps = backup_plan(_cluster(vm, {}, {}), "N2").steps
    kinds = [(s.action, s.where) for s in steps if s.target == "V"]
    assert kinds[:2] == [(StepKind.PREPARE_CLUSTER, "N1"), (StepKind.MOVE_VM, "N1")]
    assert steps[[s.action for s in steps].index(StepKind.PREPARE_CLUSTER)].rules == ("HVB504",)


def test_host_backup_rules_are_listed_once() -> None:
    """Two FAT32 volumes give HVB304 twice as reasons, but once on the step."""
    vm = VM(
        name="V",
        state=VMState.RUNNING,
        disks=[
            Disk(
                name="D",
                attachment=Attachment.VIRTUAL_HARD_DISK,
                volumes=[
                    Volume(name="E:", file_system=FileSystem.FAT32),
                    Volume(name="F:", file_system=FileSystem.FAT32),
                ],
            )
        ],
    )
    plan = backup_plan(Host(name="H", os=HostOS.WINDOWS_SERVER_2008, vms=[vm]))
    assert [r.rule.id for r in plan.decisions["V"].reasons] == ["HVB304", "HVB304"]
    [step] = [s for s in plan.steps if s.action is StepKind.HOST_BACKUP]
    assert step.rules == ("HVB304", "HVB308")


def test_windows_server_backup_on_a_shared_volume_changes_the_step() -> None:
    vm = VM(
        name="V",
        state=VMState.RUNNING,
        disks=[
            Disk(
                name="D",
                attachment=Attachment.VIRTUAL_HARD_DISK,
                host_storage=HostStorage.CLUSTER_SHARED_VOLUME,
            )
        ],
    )
    host = Host(name="H", os=HostOS.WINDOWS_SERVER_2008_R2, vms=[vm], backup_application=WSB)
    [step] = [s for s in backup_plan(host).steps if s.action is StepKind.HOST_BACKUP]
    assert step.text.startswith("Back up VM 'V' with an application other than Windows Server")
    assert step.rules == ("HVB106",)


def test_a_node_may_be_given_as_a_host() -> None:
    vm = _vm("V", "N1")
    cluster = _cluster(vm, {}, {})
    assert backup_plan(cluster, cluster.nodes[1]) == backup_plan(cluster, "N2")


def test_a_node_of_another_release_answers_for_the_vms_it_backs_up() -> None:
    """A 2012 R2 node backs up a VM of a 2016 owner: the 2012 R2 rules hold there (HVB608)."""
    vm = _vm("APP1", "N1", generation=1, scsi_controller=False)
    cluster = Cluster(
        name="C",
        nodes=[
            Host(name="N1", os=HostOS.WINDOWS_SERVER_2016, vms=[vm]),
            Host(name="N2", os=HostOS.WINDOWS_SERVER_2012_R2),
        ],
    )
    n2 = cluster.nodes[1]
    assert "HVB608" not in _rules(backup_plan(cluster).findings, "APP1")
    plan = backup_plan(cluster, "N2")
    assert _rules(plan.findings, "APP1")["HVB608"] == "N2"
    alone = hb.backup_outcome(vm, n2)
    assert alone.consistency is hb.Consistency.FAILS
    view = evaluate(cluster, n2).vms[0]
    assert view.outcome == alone
    assert view.outcome.profile is hb.Profile.WS2012


def test_a_running_vm_whose_backup_fails_is_not_taken_offline() -> None:
    """A running VM that cannot be backed up (SMB storage, no VSS agent) is not saved by the cluster."""
    disk = Disk(
        name="System",
        attachment=Attachment.VIRTUAL_HARD_DISK,
        host_storage=HostStorage.SMB,
        volumes=[Volume(name="C:", file_system=FileSystem.NTFS)],
    )
    vm = _vm("V", "N1", disks=[disk])
    node = Host(name="N1", os=HostOS.WINDOWS_SERVER_2012, vms=[vm], file_server_vss_agent=False)
    cluster = Cluster(name="C", nodes=[node, Host(name="N2", os=HostOS.WINDOWS_SERVER_2012)])
    plan = backup_plan(cluster)
    assert hb.backup_outcome(vm, node).consistency is hb.Consistency.FAILS
    assert "HVB502" not in _rules(plan.findings, "V")
    assert not [s for s in plan.steps if s.action is StepKind.PREPARE_CLUSTER]


def test_a_node_named_in_other_letters_is_the_owner() -> None:
    """The owner named as ``n1`` is no other node: nothing is moved."""
    vm = _vm("V", "N1")
    cluster = _cluster(vm, {}, {})
    assert "HVB502" not in _rules(backup_plan(cluster, "n1").findings, "V")
    view = evaluate(cluster, Host(name="n1", os=HostOS.WINDOWS_SERVER_2008_R2))
    assert not view.vms[0].moved
