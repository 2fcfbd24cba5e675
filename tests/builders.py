"""Small builders and assertions shared by the tests of several layers.

Property-based generators live in :mod:`tests.strategies`; these are the
hand-made inventories and the checks on findings and steps that the rule,
decision, plan and restore tests have in common.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from hyperv_backup import (
    RULES,
    VM,
    Attachment,
    Backup,
    BackupApplication,
    BackupLevel,
    BackupMode,
    ClusterGroup,
    Disk,
    FileSystem,
    Finding,
    Host,
    HostOS,
    ResourceState,
    Severity,
    Step,
    StepKind,
    VirtualNetwork,
    VMState,
    Volume,
)

HOST = "HV01"
ON, OFF, FAILED = ResourceState.ONLINE, ResourceState.OFFLINE, ResourceState.FAILED
GUID_PATH = r"\\?\Volume{5e1b7a8c-2d4f-11df-9c3a-806e6f6e6963}\VM1\VM1.vhd"
WSB = BackupApplication(name="Windows Server Backup", is_windows_server_backup=True)
LATER_RELEASES = tuple(
    os for os in HostOS if os not in (HostOS.WINDOWS_SERVER_2008, HostOS.WINDOWS_SERVER_2008_R2)
)


def make_host(
    *vms: VM,
    os: HostOS = HostOS.WINDOWS_SERVER_2008,
    updates: Iterable[str] = (),
    app: BackupApplication | None = None,
    networks: Iterable[VirtualNetwork] = (),
) -> Host:
    """Return host HV01; by default a 2008 host that raises no host-level rule."""
    return Host(
        name=HOST,
        os=os,
        vms=vms,
        installed_updates=frozenset(updates),
        backup_application=app,
        virtual_networks=tuple(networks),
    )


def group(
    owner: str = HOST,
    cluster: ResourceState = ON,
    configuration: ResourceState = ON,
    storage: ResourceState = ON,
    *,
    vm: str = "VM1",
) -> ClusterGroup:
    """Return the cluster group of ``vm``, owned by ``owner``, in the given states."""
    return ClusterGroup(
        name=f"{vm} Resources",
        owner_node=owner,
        cluster_resource=cluster,
        configuration_resource=configuration,
        storage_resource=storage,
    )


def ntfs(name: str = "C:") -> Volume:
    return Volume(name=name, file_system=FileSystem.NTFS)


def fat32_disk() -> Disk:
    """Return a virtual hard disk whose FAT32 volume blocks an online backup."""
    return Disk(
        name="System",
        attachment=Attachment.VIRTUAL_HARD_DISK,
        volumes=[Volume(name="C:", file_system=FileSystem.FAT32)],
    )


def host_record(
    mode: BackupMode,
    taken_at: datetime | None = None,
    *,
    vm: str = "VM1",
    vm_state: VMState | None = None,
) -> Backup:
    """Return a host-level backup record of ``vm`` taken on HV01."""
    return Backup(
        vm=vm, node=HOST, level=BackupLevel.HOST, mode=mode, taken_at=taken_at, vm_state=vm_state
    )


def ids(findings: Iterable[Finding]) -> list[str]:
    return sorted(f.rule.id for f in findings)


def only(findings: Iterable[Finding], rule_id: str) -> Finding:
    """Return the one finding of ``rule_id``; fail if there is none or several."""
    matching = [f for f in findings if f.rule.id == rule_id]
    assert len(matching) == 1, f"expected one {rule_id}, got {matching!r}"
    return matching[0]


def assert_finding(
    item: Finding,
    rule_id: str,
    severity: Severity,
    subject: str,
    *,
    host: str | None,
    vm: str | None,
) -> None:
    assert item.rule == RULES[rule_id]
    assert item.severity is severity
    assert item.subject == subject
    assert item.host == host
    assert item.vm == vm
    assert subject in item.message


def steps_with(steps: Iterable[Step], rule_id: str) -> list[Step]:
    return [s for s in steps if rule_id in s.rules]


def actions(steps: Iterable[Step]) -> list[StepKind]:
    return [s.action for s in steps]


def of_kind(steps: Iterable[Step], kind: StepKind) -> list[Step]:
    return [s for s in steps if s.action is kind]


def assert_numbered(steps: tuple[Step, ...]) -> None:
    assert [s.order for s in steps] == list(range(1, len(steps) + 1))
