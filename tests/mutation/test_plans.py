"""Tests that kill the mutants of plans and restore steps.

Each test pins down a behaviour that a changed line of the rules, decisions or
readers could break without any other test noticing: an edge of a reader's
grammar, the exact error a record refuses a value with, a clause of a step
text that the plan and restore steps promise. They are grouped by module.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from hyperv_backup import (
    VM,
    Attachment,
    Backup,
    BackupApplication,
    BackupLevel,
    BackupMode,
    ClusterGroup,
    Disk,
    Host,
    HostOS,
    NetworkKind,
    ResourceState,
    StepKind,
    VirtualNetwork,
    VMState,
    backup_plan,
    restore_steps,
)
from tests.mutation._shared_mutants import (
    _clustered,
    _two_node_cluster,
)

# --- steps: the backup plan ---------------------------------------------------------------


def _host(**fields: object) -> Host:
    return Host(name="HV01", os=HostOS.WINDOWS_SERVER_2008_R2, **fields)  # type: ignore[arg-type]


def _steps(plan_or_steps: object, kind: StepKind) -> list[tuple[str, str, str, tuple[str, ...]]]:
    steps = getattr(plan_or_steps, "steps", plan_or_steps)
    return [(s.target, s.where, s.text, s.rules) for s in steps if s.action is kind]  # type: ignore[attr-defined]


def test_prerequisite_steps_name_the_host() -> None:
    """Each unmet prerequisite is one step naming the host."""
    host = _host(
        backup_application=BackupApplication(
            name="WSB",
            uses_hyperv_vss_writer=False,
            is_windows_server_backup=True,
            hyperv_writer_registered=False,
        )
    )
    assert _steps(backup_plan(host), StepKind.PREREQUISITE) == [
        (
            "HV01",
            "HV01",
            "Switch 'HV01' to a backup application that uses the Hyper-V VSS writer.",
            ("HVB101",),
        ),
        (
            "HV01",
            "HV01",
            "Register the Hyper-V VSS writer with Windows Server Backup on 'HV01' (KB958662).",
            ("HVB102",),
        ),
        ("HV01", "HV01", "Install KB982210 on 'HV01'.", ("HVB103",)),
    ]


def test_network_records_list_exactly_the_details_known() -> None:
    """Recording a virtual network names its kind, and its adapter and VLAN when it has them."""
    host = _host(
        installed_updates=["KB982210"],
        virtual_networks=[
            VirtualNetwork(
                name="LAN", kind=NetworkKind.EXTERNAL, physical_adapter="NIC1", vlan_id=20
            ),
            VirtualNetwork(name="Lab", kind=NetworkKind.PRIVATE),
            VirtualNetwork(name="Zero", kind=NetworkKind.INTERNAL, vlan_id=0),
        ],
    )
    assert [text for _, _, text, _ in _steps(backup_plan(host), StepKind.RECORD_NETWORKS)] == [
        "Record the configuration of virtual network 'LAN' on 'HV01' (kind external, "
        "physical adapter 'NIC1', VLAN 20).",
        "Record the configuration of virtual network 'Lab' on 'HV01' (kind private).",
        "Record the configuration of virtual network 'Zero' on 'HV01' (kind internal, VLAN 0).",
    ]


def test_guest_iscsi_backup_step_carries_hvb203_without_kb975354() -> None:
    """GUEST_BACKUP steps carry HVB202, plus HVB203 on 2008 R2 without KB975354."""
    vm = VM(
        name="APP01", state=VMState.OFF, disks=[Disk(name="LUN", attachment=Attachment.GUEST_ISCSI)]
    )
    without = _steps(backup_plan(_host(vms=[vm])), StepKind.GUEST_BACKUP)
    assert without == [
        (
            "LUN",
            "APP01",
            "From inside the guest of VM 'APP01', back up disk 'LUN' before the host backup.",
            ("HVB202", "HVB203"),
        ),
    ]
    patched = _steps(
        backup_plan(_host(vms=[vm], installed_updates=["KB975354"])), StepKind.GUEST_BACKUP
    )
    assert [rules for *_, rules in patched] == [("HVB202",)]


@pytest.mark.parametrize(
    ("state", "integration", "text", "rules"),
    [
        (VMState.RUNNING, True, "Back up VM 'VM1' on 'HV01' online, with no downtime.", ()),
        (
            VMState.RUNNING,
            False,
            "Back up VM 'VM1' on 'HV01' offline: it is saved while the backup runs (downtime) and set back to running afterwards.",
            ("HVB301", "HVB308"),
        ),
        (VMState.OFF, True, "Back up VM 'VM1' on 'HV01' offline; it stays off.", ("HVB307",)),
    ],
)
def test_host_backup_step_says_how_and_with_what_downtime(
    state: VMState, integration: bool, text: str, rules: tuple[str, ...]
) -> None:
    """The host backup step states each VM's mode and downtime."""
    vm = VM(name="VM1", state=state, integration_services=integration)
    assert _steps(
        backup_plan(_host(vms=[vm], installed_updates=["KB982210"])), StepKind.HOST_BACKUP
    ) == [("VM1", "HV01", text, rules)]


def test_host_backup_step_of_a_vm_on_a_guid_volume_without_the_hotfix() -> None:
    """HVB501 without KB958184: the step warns the whole backup can fail."""
    ((_, _, text, rules),) = _steps(backup_plan(_clustered(patched=False)), StepKind.HOST_BACKUP)
    assert text == (
        "Back up VM 'SQL01' on 'N1' online, with no downtime; without KB958184 on 'N1', its "
        "disk on a volume mounted by GUID path can make the whole backup fail."
    )
    assert rules == ("HVB501",)


def test_host_backup_step_of_a_vm_on_a_guid_volume_with_the_hotfix() -> None:
    """HVB501 with KB958184: the VM is left out of the backup, and the step says so."""
    ((_, _, text, rules),) = _steps(backup_plan(_clustered(patched=True)), StepKind.HOST_BACKUP)
    assert text == (
        "Expect VM 'SQL01' to be left out of the backup on 'N1': a disk is on a volume mounted "
        "by GUID path; mount it at a drive letter or folder to include the VM."
    )
    assert rules == ("HVB501",)


def test_a_finding_before_hvb106_does_not_stop_the_step_from_telling_it() -> None:
    """Every finding that changes the host backup step is applied, whatever comes before it.

    The VM's snapshots (HVB105) are found before its Cluster Shared Volume
    (HVB106); the step still names the other application HVB106 asks for.
    """
    plan = backup_plan(_clustered(patched=True, wsb=True, snapshots=1))
    ((*_, rules),) = _steps(plan, StepKind.HOST_BACKUP)
    assert rules == ("HVB106", "HVB501")


def test_cluster_preparation_texts() -> None:
    """An offline backup of a VM whose resources are online takes its cluster resource offline."""
    plan = backup_plan(_two_node_cluster(), "N2")
    assert [text for *_, text, _ in _steps(plan, StepKind.PREPARE_CLUSTER)] == [
        "Put the cluster resource of VM 'FS01' offline through the Cluster service.",
        "Bring the resources of VM 'ODD' (cluster resource offline, configuration resource "
        "online, storage resource offline), a combination the guidance does not cover, into a "
        "covered state before backing it up.",
    ]
    assert next(text for *_, text, _ in _steps(plan, StepKind.MOVE_VM)) == (
        "Move VM 'FS01' from 'N1' to 'N2', since only the owning node reports it for backup."
    )


# --- steps: restoring one VM --------------------------------------------------------------


def test_restore_step_texts() -> None:
    """The restore warns, restores the whole VM, then guest storage, then starts it."""
    vm = VM(
        name="APP01",
        state=VMState.RUNNING,
        disks=[Disk(name="LUN", attachment=Attachment.GUEST_ISCSI)],
    )
    steps = restore_steps(vm, "HV01", [])
    texts = {s.action: s.text for s in steps}
    assert texts[StepKind.WARN_VM_DELETED] == (
        "Know that the restore removes VM 'APP01', now running, and puts the backed-up copy in "
        "its place; its current state is lost."
    )
    assert texts[StepKind.RESTORE_VM] == (
        "Restore the whole of VM 'APP01' on 'HV01' from the online host-level backup."
    )
    assert texts[StepKind.GUEST_RESTORE] == (
        "After VM 'APP01' is restored, restore disk 'LUN' from inside the guest; no guest-level "
        "backup in the set holds it, so its data cannot be restored."
    )
    assert texts[StepKind.FIRST_START] == (
        "Start VM 'APP01', which comes back off, and ignore any report from the guest of an "
        "unexpected shutdown."
    )


def test_restore_preparation_names_the_node_as_given() -> None:
    """Preparing a restore on the owner is done where the restore runs, spelled as given."""
    on = ResourceState.ONLINE
    vm = VM(
        name="SQL01",
        state=VMState.OFF,
        cluster_group=ClusterGroup(
            name="SQL01",
            owner_node="hv-node1",
            cluster_resource=on,
            configuration_resource=on,
            storage_resource=on,
        ),
    )
    (prepare,) = _steps(restore_steps(vm, "HV-NODE1"), StepKind.PREPARE_CLUSTER)
    assert prepare == (
        "SQL01",
        "HV-NODE1",
        "Before VM 'SQL01' is restored on 'HV-NODE1', put its cluster and configuration "
        "resources offline.",
        ("HVB503",),
    )
    (elsewhere,) = _steps(restore_steps(vm, "HV-NODE2"), StepKind.PREPARE_CLUSTER)
    assert elsewhere == (
        "SQL01",
        "hv-node1",
        "Before VM 'SQL01' is restored on 'HV-NODE2', put its cluster and configuration "
        "resources offline on 'hv-node1', which owns it, so that two nodes do not both hold it.",
        ("HVB503",),
    )


def test_restore_preparation_of_resource_states_not_covered() -> None:
    off = ResourceState.OFFLINE
    vm = VM(
        name="ODD",
        state=VMState.OFF,
        cluster_group=ClusterGroup(
            name="ODD",
            owner_node="N1",
            cluster_resource=ResourceState.FAILED,
            configuration_resource=off,
            storage_resource=off,
        ),
    )
    ((_, where, text, rules),) = _steps(restore_steps(vm, "N1"), StepKind.PREPARE_CLUSTER)
    assert (where, rules) == ("N1", ("HVB504",))
    assert text == (
        "Bring the resources of VM 'ODD' (cluster resource failed, configuration resource "
        "offline, storage resource offline), a combination the guidance does not cover, into a "
        "covered state before restoring it."
    )


def test_the_latest_record_is_found_by_instant_whatever_the_time_zone() -> None:
    """The latest host-level record is the latest in time, across time zones.

    10:00 at UTC+2 is 08:00 UTC, earlier than 09:00 UTC, though given last.
    """
    vm = VM(name="VM1", state=VMState.RUNNING)
    utc = Backup(
        vm="VM1",
        node="HV01",
        level=BackupLevel.HOST,
        mode=BackupMode.ONLINE,
        taken_at=datetime(2024, 5, 1, 9, tzinfo=UTC),
    )
    plus_two = Backup(
        vm="VM1",
        node="HV01",
        level=BackupLevel.HOST,
        mode=BackupMode.OFFLINE,
        taken_at=datetime(2024, 5, 1, 10, tzinfo=timezone(timedelta(hours=2))),
    )
    naive = Backup(
        vm="VM1",
        node="HV01",
        level=BackupLevel.HOST,
        mode=BackupMode.OFFLINE,
        taken_at=datetime(2024, 5, 1, 8, 30),
    )
    (restore,) = _steps(restore_steps(vm, "HV01", [utc, plus_two, naive]), StepKind.RESTORE_VM)
    assert "from the online host-level backup" in restore[2]


def test_a_backup_set_of_the_wrong_type_is_named_in_the_error() -> None:
    vm = VM(name="VM1", state=VMState.OFF)
    with pytest.raises(
        TypeError, match=r"^backup must be a Backup or a sequence of them, got int$"
    ):
        restore_steps(vm, "HV01", 5)  # type: ignore[arg-type]
