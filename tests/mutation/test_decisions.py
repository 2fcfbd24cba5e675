"""Tests that kill the mutants of the decisions: online or offline, and the evaluation pass.

Each test pins down a behaviour that a changed line of the rules, decisions or
readers could break without any other test noticing: an edge of a reader's
grammar, the exact error a record refuses a value with, a clause of a step
text that the decisions promise. They are grouped by module.
"""

from __future__ import annotations

import pytest

from hyperv_backup import (
    VM,
    Attachment,
    BackupApplication,
    Cluster,
    Disk,
    FileSystem,
    GuestDiskType,
    Host,
    HostOS,
    HypervBackupError,
    NetworkKind,
    VirtualNetwork,
    VMState,
    Volume,
    backup_mode,
    backup_plan,
    check,
)
from tests.mutation._shared_mutants import (
    _clustered,
    _two_node_cluster,
)

# --- mode --------------------------------------------------------------------------------


def test_a_guest_iscsi_disk_does_not_hide_the_disks_after_it() -> None:
    """Guest iSCSI storage is skipped; the disks listed after it are still asked."""
    vm = VM(
        name="APP01",
        state=VMState.RUNNING,
        disks=[
            Disk(name="LUN", attachment=Attachment.GUEST_ISCSI),
            Disk(
                name="Data",
                attachment=Attachment.VIRTUAL_HARD_DISK,
                guest_disk_type=GuestDiskType.DYNAMIC,
                volumes=[Volume(name="D:", file_system=FileSystem.FAT32)],
            ),
        ],
    )
    decision = backup_mode(vm)
    assert [(r.rule.id, r.subject) for r in decision.reasons] == [
        ("HVB303", "Data"),
        ("HVB304", "D:"),
    ]
    assert decision.reasons[1].message == (
        "Volume 'D:' of VM 'APP01' is fat32, not NTFS, which blocks an online backup."
    )


# --- _evaluate: the findings of check and backup_plan ------------------------------------


def _messages(
    target: Host | Cluster, node: str | None = None, profile: str | None = None
) -> dict[str, list[str]]:
    findings = (
        check(target, profile=profile)
        if node is None
        else backup_plan(target, node, profile=profile).findings
    )
    found: dict[str, list[str]] = {}
    for f in findings:
        found.setdefault(f.rule.id, []).append(f.message)
    return found


@pytest.mark.parametrize(
    ("os", "message"),
    [
        (
            HostOS.WINDOWS_SERVER_2012,
            "Host 'HV01' runs Windows Server 2012, later than the 2008 R2 the guidance was "
            "written for.",
        ),
        (
            HostOS.WINDOWS_SERVER_2012_R2,
            "Host 'HV01' runs Windows Server 2012 R2, later than the 2008 R2 the guidance was "
            "written for; it takes a checkpoint instead of saving a VM, so treat the downtime "
            "figures as an upper bound.",
        ),
    ],
)
def test_hvb100_names_the_release_and_says_when_downtime_is_an_upper_bound(
    os: HostOS, message: str
) -> None:
    """HVB100: from 2012 R2 on, a checkpoint replaces the saved state."""
    assert _messages(Host(name="HV01", os=os), profile="2008")["HVB100"] == [message]


def test_host_level_messages() -> None:
    """HVB101 names the application; HVB104 lists the virtual networks."""
    host = Host(
        name="HV01",
        os=HostOS.WINDOWS_SERVER_2008,
        backup_application=BackupApplication(name="Agent", uses_hyperv_vss_writer=False),
        virtual_networks=[
            VirtualNetwork(name="A", kind=NetworkKind.PRIVATE),
            VirtualNetwork(name="B", kind=NetworkKind.INTERNAL),
        ],
    )
    found = _messages(host)
    assert found["HVB101"] == [
        "Backup application 'Agent' on host 'HV01' does not use the Hyper-V VSS writer."
    ]
    assert found["HVB104"] == [
        "Host 'HV01' has virtual networks ('A', 'B') that a full server backup leaves out; "
        "record their configuration."
    ]


def test_vm_and_disk_level_messages() -> None:
    """HVB107, HVB201 and HVB202 each name the VM and, for a disk, the disk."""
    vm = VM(
        name="V",
        state=VMState.OFF,
        snapshots=["a", "b"],
        disks=[
            Disk(name="P", attachment=Attachment.PASS_THROUGH),
            Disk(name="I", attachment=Attachment.GUEST_ISCSI),
        ],
    )
    host = Host(
        name="HV01",
        os=HostOS.WINDOWS_SERVER_2008,
        vms=[vm],
        backup_application=BackupApplication(name="WSB", is_windows_server_backup=True),
    )
    found = _messages(host)
    assert found["HVB107"] == [
        "VM 'V' has 2 VM snapshots; Windows Server Backup does not restore such a VM."
    ]
    assert found["HVB201"] == [
        "Disk 'P' of VM 'V' is a pass-through disk; the host backup does not hold it."
    ]
    assert found["HVB202"] == [
        "Disk 'I' of VM 'V' is reached through the guest's iSCSI initiator; the host backup "
        "does not hold it."
    ]


@pytest.mark.parametrize(
    ("patched", "outcome"),
    [
        (True, "only this VM is left out of the backup on 'N1'"),
        (False, "the whole backup on 'N1' can fail (KB958184 is not installed)"),
    ],
)
def test_hvb501_says_what_the_hotfix_changes(patched: bool, outcome: str) -> None:
    """HVB501: with KB958184 only the VM is left out; without it the backup can fail."""
    assert _messages(_clustered(patched=patched))["HVB501"] == [
        f"Disk 'Data' of clustered VM 'SQL01' is on a volume mounted by GUID path; {outcome}."
    ]


def test_cluster_findings_name_the_owner_and_the_backup_node() -> None:
    """HVB502 and HVB504 of a plan on another node name both nodes where it matters."""
    found = _messages(_two_node_cluster(), "N2")
    assert found["HVB502"] == [
        "Before clustered VM 'FS01' is backed up on 'N2', move it from 'N1' to 'N2' first, "
        "since only the owning node reports it for backup.",
        "Before clustered VM 'FS01' is backed up on 'N2', put its cluster resource offline "
        "through the Cluster service.",
        "Before clustered VM 'ODD' is backed up on 'N2', move it from 'N1' to 'N2' first, "
        "since only the owning node reports it for backup.",
    ]
    assert found["HVB504"] == [
        "Clustered VM 'ODD' on 'N2' has cluster resource offline, configuration resource "
        "online, storage resource offline, a combination the guidance does not cover."
    ]


def test_node_arguments_are_checked_with_clear_errors() -> None:
    """A node that is not a name or a Host, or names no node of the target, is refused."""
    cluster = _two_node_cluster()
    with pytest.raises(TypeError, match=r"^node must be a Host or a host's name, got int$"):
        backup_plan(cluster, 5)  # type: ignore[arg-type]
    with pytest.raises(
        HypervBackupError, match=r"^no node named 'N9' in cluster 'C'; known: 'N1', 'N2'$"
    ):
        backup_plan(cluster, "N9")
    host = Host(name="HV01", os=HostOS.WINDOWS_SERVER_2008)
    with pytest.raises(
        HypervBackupError, match=r"^no node named 'N9' in host 'HV01'; known: 'HV01'$"
    ):
        backup_plan(host, "N9")
