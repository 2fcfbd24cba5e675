r"""One trigger and one near miss for every rule of the catalogue.

Each ``test_hvbNNN_*`` builds the smallest inventory (or VM and node, or
restore call) that makes the rule fire and checks the finding it produces;
its ``*_near_miss`` companion changes one fact so that the rule must stay
silent. Docstrings restate the clause of the source guidance ("Planning for
Backup") or of the specification that the test checks, with the heading it comes from.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from hyperv_backup import (
    RULES,
    VM,
    Attachment,
    Backup,
    BackupApplication,
    BackupLevel,
    BackupMode,
    Cluster,
    ClusterGroup,
    Disk,
    FileSystem,
    Finding,
    GuestDiskType,
    Host,
    HostOS,
    HostStorage,
    NetworkAdapter,
    NetworkKind,
    ResourceState,
    Severity,
    Step,
    StepKind,
    VhdType,
    VirtualNetwork,
    VMState,
    Volume,
    backup_plan,
    check,
    restore_steps,
)

HOST = "HV01"
ON, OFF, FAILED = ResourceState.ONLINE, ResourceState.OFFLINE, ResourceState.FAILED
GUID_PATH = r"\\?\Volume{5e1b7a8c-2d4f-11df-9c3a-806e6f6e6963}\VM1\VM1.vhd"
WSB = BackupApplication(name="Windows Server Backup", is_windows_server_backup=True)
LATER_RELEASES = tuple(
    os for os in HostOS if os not in (HostOS.WINDOWS_SERVER_2008, HostOS.WINDOWS_SERVER_2008_R2)
)


# --- helpers ---------------------------------------------------------------------


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
) -> ClusterGroup:
    return ClusterGroup(
        name="VM1 Resources",
        owner_node=owner,
        cluster_resource=cluster,
        configuration_resource=configuration,
        storage_resource=storage,
    )


def ntfs(name: str = "C:") -> Volume:
    return Volume(name=name, file_system=FileSystem.NTFS)


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


# --- the catalogue itself ----------------------------------------------------------


def test_every_rule_has_a_trigger_and_a_near_miss_test() -> None:
    """Every rule of the catalogue is exercised by a named test of this module."""
    names = [n for n in globals() if n.startswith("test_hvb")]
    for rule_id in RULES:
        prefix = f"test_{rule_id.lower()}_"
        mine = [n for n in names if n.startswith(prefix)]
        assert any(not n.endswith("near_miss") for n in mine), rule_id
        assert any(n.endswith("near_miss") for n in mine), rule_id


def test_catalogue_ids_and_severities() -> None:
    """SPEC 3: the catalogue holds HVB100-HVB107, HVB201-203, HVB301-309, HVB401-406, HVB501-505."""
    expected = {
        "HVB100": Severity.INFO,
        "HVB101": Severity.ERROR,
        "HVB102": Severity.ERROR,
        "HVB103": Severity.WARNING,
        "HVB104": Severity.INFO,
        "HVB105": Severity.INFO,
        "HVB106": Severity.ERROR,
        "HVB107": Severity.WARNING,
        "HVB201": Severity.WARNING,
        "HVB202": Severity.WARNING,
        "HVB203": Severity.INFO,
        "HVB301": Severity.WARNING,
        "HVB302": Severity.WARNING,
        "HVB303": Severity.WARNING,
        "HVB304": Severity.WARNING,
        "HVB305": Severity.WARNING,
        "HVB306": Severity.WARNING,
        "HVB307": Severity.INFO,
        "HVB308": Severity.WARNING,
        "HVB309": Severity.WARNING,
        "HVB401": Severity.WARNING,
        "HVB402": Severity.INFO,
        "HVB403": Severity.WARNING,
        "HVB404": Severity.INFO,
        "HVB405": Severity.WARNING,
        "HVB406": Severity.ERROR,
        "HVB501": Severity.ERROR,
        "HVB502": Severity.WARNING,
        "HVB503": Severity.WARNING,
        "HVB504": Severity.ERROR,
        "HVB505": Severity.INFO,
    }
    assert list(RULES) == list(expected)
    assert {rule_id: rule.severity for rule_id, rule in RULES.items()} == expected
    for rule_id, rule in RULES.items():
        assert rule.id == rule_id
        assert rule.title
        assert rule.remedy
        assert rule.section


def test_clean_inventory_has_no_findings() -> None:
    """Baseline: a 2008 host with one running, online-eligible VM gives no finding at all."""
    vm = VM(
        name="VM1",
        state=VMState.RUNNING,
        disks=[Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK, volumes=[ntfs()])],
    )
    assert check(make_host(vm)) == ()


# --- HVB1xx: the host and its backup application -----------------------------------


@pytest.mark.parametrize("os", LATER_RELEASES)
def test_hvb100_release_later_than_2008_r2(os: HostOS) -> None:
    """Planning for Backup: the guidance covers 2008 / 2008 R2; any later release gets HVB100."""
    findings = check(make_host(os=os))
    assert ids(findings) == ["HVB100"]
    assert_finding(findings[0], "HVB100", Severity.INFO, HOST, host=HOST, vm=None)


@pytest.mark.parametrize("os", [HostOS.WINDOWS_SERVER_2008, HostOS.WINDOWS_SERVER_2008_R2])
def test_hvb100_near_miss(os: HostOS) -> None:
    """Planning for Backup: the releases the guidance was written for get no HVB100."""
    assert ids(check(make_host(os=os, updates=["KB982210"]))) == []


def test_hvb101_application_without_vss_writer() -> None:
    """Understanding backup options: the backup application must use the Hyper-V VSS writer."""
    app = BackupApplication(name="FileCopy", uses_hyperv_vss_writer=False)
    findings = check(make_host(app=app))
    assert ids(findings) == ["HVB101"]
    assert_finding(findings[0], "HVB101", Severity.ERROR, HOST, host=HOST, vm=None)


def test_hvb101_near_miss() -> None:
    """Understanding backup options: an unknown application (None) or one using the writer is fine."""
    assert check(make_host(app=None)) == ()
    assert check(make_host(app=BackupApplication(name="Agent"))) == ()


def test_hvb102_wsb_without_registered_writer() -> None:
    """Understanding backup options: Windows Server Backup needs the Hyper-V VSS writer registered."""
    app = BackupApplication(
        name="Windows Server Backup", is_windows_server_backup=True, hyperv_writer_registered=False
    )
    findings = check(make_host(app=app))
    assert ids(findings) == ["HVB102"]
    assert_finding(findings[0], "HVB102", Severity.ERROR, HOST, host=HOST, vm=None)


def test_hvb102_near_miss() -> None:
    """Understanding backup options: the registration only matters for Windows Server Backup."""
    other = BackupApplication(name="Agent", hyperv_writer_registered=False)
    assert check(make_host(app=other)) == ()
    assert check(make_host(app=WSB)) == ()
    assert check(make_host(app=None)) == ()


@pytest.mark.parametrize("updates", [(), ("KB975354",), ("KB98221",)])
def test_hvb103_2008_r2_without_kb982210(updates: tuple[str, ...]) -> None:
    """Understanding backup options (note): a 2008 R2 host without KB982210 may slow or hang at start-up."""
    findings = check(make_host(os=HostOS.WINDOWS_SERVER_2008_R2, updates=updates))
    assert ids(findings) == ["HVB103"]
    assert_finding(findings[0], "HVB103", Severity.WARNING, HOST, host=HOST, vm=None)
    assert "KB982210" in findings[0].message


@pytest.mark.parametrize(
    ("os", "updates"),
    [
        (HostOS.WINDOWS_SERVER_2008_R2, ("KB982210",)),
        (HostOS.WINDOWS_SERVER_2008_R2, ("kb982210",)),
        (HostOS.WINDOWS_SERVER_2008_R2, (" Kb982210 ",)),
        (HostOS.WINDOWS_SERVER_2008, ()),
        (HostOS.WINDOWS_SERVER_2012, ()),
    ],
)
def test_hvb103_near_miss(os: HostOS, updates: tuple[str, ...]) -> None:
    """Understanding backup options (note): the hotfix is for 2008 R2 only; KB IDs compare in any case."""
    assert "HVB103" not in ids(check(make_host(os=os, updates=updates)))


def test_hvb104_virtual_networks() -> None:
    """Understanding backup options: a full server backup leaves out the virtual networks."""
    network = VirtualNetwork(name="Production", kind=NetworkKind.EXTERNAL)
    findings = check(make_host(networks=[network]))
    assert ids(findings) == ["HVB104"]
    assert_finding(findings[0], "HVB104", Severity.INFO, HOST, host=HOST, vm=None)
    assert "Production" in findings[0].message


def test_hvb104_near_miss() -> None:
    """Understanding backup options: a host without virtual networks has none to record."""
    vm = VM(name="VM1", state=VMState.RUNNING, network_adapters=[NetworkAdapter(name="Nic")])
    assert check(make_host(vm)) == ()


def test_hvb105_vm_snapshots() -> None:
    """Planning for Backup (note): VM snapshots are no permanent recovery solution."""
    vm = VM(name="VM1", state=VMState.RUNNING, snapshots=["Before patch"])
    findings = check(make_host(vm))
    assert ids(findings) == ["HVB105"]
    assert_finding(findings[0], "HVB105", Severity.INFO, "VM1", host=HOST, vm="VM1")


def test_hvb105_near_miss() -> None:
    """Planning for Backup (note): a VM without snapshots gets no HVB105."""
    assert check(make_host(VM(name="VM1", state=VMState.RUNNING))) == ()


def csv_vm(name: str = "VM1") -> VM:
    return VM(
        name=name,
        state=VMState.RUNNING,
        disks=[
            Disk(
                name="System",
                attachment=Attachment.VIRTUAL_HARD_DISK,
                host_storage=HostStorage.CLUSTER_SHARED_VOLUME,
            )
        ],
    )


def test_hvb106_wsb_with_cluster_shared_volume() -> None:
    """SPEC 3 (KB958662): Windows Server Backup does not support VMs on a Cluster Shared Volume."""
    findings = check(make_host(csv_vm(), app=WSB))
    assert ids(findings) == ["HVB106", "HVB505"]
    assert_finding(only(findings, "HVB106"), "HVB106", Severity.ERROR, "VM1", host=HOST, vm="VM1")


def test_hvb106_near_miss() -> None:
    """SPEC 3: HVB106 needs Windows Server Backup; another or an unknown application gets HVB505 only."""
    assert ids(check(make_host(csv_vm(), app=BackupApplication(name="Agent")))) == ["HVB505"]
    assert ids(check(make_host(csv_vm(), app=None))) == ["HVB505"]


def test_hvb107_wsb_with_two_snapshots() -> None:
    """SPEC 3 (KB958662): Windows Server Backup does not restore a VM with two or more snapshots."""
    vm = VM(name="VM1", state=VMState.RUNNING, snapshots=["One", "Two"])
    findings = check(make_host(vm, app=WSB))
    assert ids(findings) == ["HVB105", "HVB107"]
    assert_finding(only(findings, "HVB107"), "HVB107", Severity.WARNING, "VM1", host=HOST, vm="VM1")


def test_hvb107_near_miss() -> None:
    """SPEC 3: one snapshot under Windows Server Backup, or two under another application, is no HVB107."""
    one = VM(name="VM1", state=VMState.RUNNING, snapshots=["One"])
    two = VM(name="VM1", state=VMState.RUNNING, snapshots=["One", "Two"])
    assert ids(check(make_host(one, app=WSB))) == ["HVB105"]
    assert ids(check(make_host(two, app=BackupApplication(name="Agent")))) == ["HVB105"]
    assert ids(check(make_host(two, app=None))) == ["HVB105"]


# --- HVB2xx: storage the host backup misses ------------------------------------------


def test_hvb201_pass_through_disk() -> None:
    """Storage considerations: a physical disk attached directly to a VM is not backed up by the writer."""
    vm = VM(
        name="VM1",
        state=VMState.RUNNING,
        disks=[Disk(name="Archive", attachment=Attachment.PASS_THROUGH)],
    )
    findings = check(make_host(vm))
    assert ids(findings) == ["HVB201"]
    assert_finding(findings[0], "HVB201", Severity.WARNING, "Archive", host=HOST, vm="VM1")
    assert "VM1" in findings[0].message


def test_hvb201_near_miss() -> None:
    """Storage considerations: a virtual hard disk has the best compatibility; no HVB201."""
    vm = VM(
        name="VM1",
        state=VMState.RUNNING,
        disks=[Disk(name="Archive", attachment=Attachment.VIRTUAL_HARD_DISK)],
    )
    assert check(make_host(vm)) == ()


def iscsi_vm(disk_type: GuestDiskType = GuestDiskType.BASIC, volumes: Iterable[Volume] = ()) -> VM:
    return VM(
        name="VM1",
        state=VMState.RUNNING,
        disks=[
            Disk(
                name="LUN1",
                attachment=Attachment.GUEST_ISCSI,
                guest_disk_type=disk_type,
                volumes=tuple(volumes),
            )
        ],
    )


def test_hvb202_guest_iscsi_disk() -> None:
    """Storage considerations: storage reached by an iSCSI initiator in the guest is not in a host backup."""
    findings = check(make_host(iscsi_vm()))
    assert ids(findings) == ["HVB202"]
    assert_finding(findings[0], "HVB202", Severity.WARNING, "LUN1", host=HOST, vm="VM1")


def test_hvb202_near_miss() -> None:
    """Storage considerations: iSCSI connected through the management OS and holding VHDs is backed up."""
    vm = VM(
        name="VM1",
        state=VMState.RUNNING,
        disks=[
            Disk(
                name="LUN1",
                attachment=Attachment.VIRTUAL_HARD_DISK,
                host_storage=HostStorage.HOST_ISCSI,
            )
        ],
    )
    assert check(make_host(vm)) == ()


def test_hvb203_guest_iscsi_on_2008_r2_without_kb975354() -> None:
    """Storage considerations (note): on 2008 R2 without KB975354 a guest iSCSI LUN lengthens the backup."""
    findings = check(make_host(iscsi_vm(), os=HostOS.WINDOWS_SERVER_2008_R2, updates=["KB982210"]))
    assert ids(findings) == ["HVB202", "HVB203"]
    assert_finding(only(findings, "HVB203"), "HVB203", Severity.INFO, "LUN1", host=HOST, vm="VM1")


def test_hvb203_near_miss() -> None:
    """Storage considerations (note): the hotfix, a release other than 2008 R2, or no guest iSCSI: no HVB203."""
    r2 = HostOS.WINDOWS_SERVER_2008_R2
    patched = make_host(iscsi_vm(), os=r2, updates=["KB982210", "kb975354"])
    assert ids(check(patched)) == ["HVB202"]
    assert ids(check(make_host(iscsi_vm(), os=HostOS.WINDOWS_SERVER_2012))) == ["HVB100", "HVB202"]
    assert ids(check(make_host(iscsi_vm(), os=HostOS.WINDOWS_SERVER_2008))) == ["HVB202"]
    no_iscsi = VM(
        name="VM1",
        state=VMState.RUNNING,
        disks=[Disk(name="P", attachment=Attachment.PASS_THROUGH)],
    )
    assert ids(check(make_host(no_iscsi, os=r2, updates=["KB982210"]))) == ["HVB201"]


# --- HVB3xx: online or offline -----------------------------------------------------


def test_hvb301_integration_services_missing() -> None:
    """Understanding online and offline backups: integration services must be installed."""
    vm = VM(name="VM1", state=VMState.RUNNING, integration_services=False)
    findings = check(make_host(vm))
    assert ids(findings) == ["HVB301", "HVB308"]
    assert_finding(only(findings, "HVB301"), "HVB301", Severity.WARNING, "VM1", host=HOST, vm="VM1")


def test_hvb301_near_miss() -> None:
    """Understanding online and offline backups: installed integration services block nothing."""
    assert check(make_host(VM(name="VM1", state=VMState.RUNNING, integration_services=True))) == ()


def test_hvb302_backup_service_disabled() -> None:
    """Understanding online and offline backups: the backup integration service must not be disabled."""
    vm = VM(name="VM1", state=VMState.RUNNING, backup_integration_service=False)
    findings = check(make_host(vm))
    assert ids(findings) == ["HVB302", "HVB308"]
    assert_finding(only(findings, "HVB302"), "HVB302", Severity.WARNING, "VM1", host=HOST, vm="VM1")


def test_hvb302_near_miss() -> None:
    """Understanding online and offline backups: with no integration services at all, HVB301 says so alone."""
    vm = VM(
        name="VM1", state=VMState.OFF, integration_services=False, backup_integration_service=False
    )
    assert ids(check(make_host(vm))) == ["HVB301", "HVB307"]


def test_hvb303_dynamic_guest_disk() -> None:
    """Understanding online and offline backups: a disk configured as dynamic in the guest blocks online."""
    vm = VM(
        name="VM1",
        state=VMState.RUNNING,
        disks=[
            Disk(
                name="Data",
                attachment=Attachment.VIRTUAL_HARD_DISK,
                guest_disk_type=GuestDiskType.DYNAMIC,
            )
        ],
    )
    findings = check(make_host(vm))
    assert ids(findings) == ["HVB303", "HVB308"]
    assert_finding(
        only(findings, "HVB303"), "HVB303", Severity.WARNING, "Data", host=HOST, vm="VM1"
    )
    # SPEC 4: "all disks" are those of the VM's configuration, pass-through disks included.
    pass_through = VM(
        name="VM1",
        state=VMState.RUNNING,
        disks=[
            Disk(
                name="Archive",
                attachment=Attachment.PASS_THROUGH,
                guest_disk_type=GuestDiskType.DYNAMIC,
            )
        ],
    )
    assert ids(check(make_host(pass_through))) == ["HVB201", "HVB303", "HVB308"]


def test_hvb303_near_miss() -> None:
    """Online and offline backups: a dynamically expanding VHD is fully supported; guest iSCSI is HVB202's."""
    expanding = VM(
        name="VM1",
        state=VMState.RUNNING,
        disks=[
            Disk(
                name="Data",
                attachment=Attachment.VIRTUAL_HARD_DISK,
                vhd_type=VhdType.DYNAMICALLY_EXPANDING,
                volumes=[ntfs("D:")],
            )
        ],
    )
    assert check(make_host(expanding)) == ()
    assert ids(check(make_host(iscsi_vm(GuestDiskType.DYNAMIC)))) == ["HVB202"]


def single_volume_vm(*volumes: Volume, state: VMState = VMState.RUNNING) -> VM:
    return VM(
        name="VM1",
        state=state,
        disks=[Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK, volumes=volumes)],
    )


@pytest.mark.parametrize("fs", [f for f in FileSystem if f is not FileSystem.NTFS])
def test_hvb304_volume_not_ntfs(fs: FileSystem) -> None:
    """Understanding online and offline backups: every volume must be NTFS (FAT32 blocks online)."""
    findings = check(make_host(single_volume_vm(Volume(name="C:", file_system=fs))))
    assert ids(findings) == ["HVB304", "HVB308"]
    assert_finding(only(findings, "HVB304"), "HVB304", Severity.WARNING, "C:", host=HOST, vm="VM1")


def test_hvb304_near_miss() -> None:
    """Online and offline backups: NTFS passes; a FAT32 volume on guest iSCSI storage is HVB202's only."""
    assert check(make_host(single_volume_vm(ntfs()))) == ()
    fat = Volume(name="S:", file_system=FileSystem.FAT32)
    assert ids(check(make_host(iscsi_vm(volumes=[fat])))) == ["HVB202"]


def test_hvb305_vss_disabled() -> None:
    """Understanding online and offline backups: VSS must be enabled on every volume of the VM."""
    volume = Volume(name="C:", file_system=FileSystem.NTFS, vss_enabled=False)
    findings = check(make_host(single_volume_vm(volume)))
    assert ids(findings) == ["HVB305", "HVB308"]
    assert_finding(only(findings, "HVB305"), "HVB305", Severity.WARNING, "C:", host=HOST, vm="VM1")


def test_hvb305_near_miss() -> None:
    """Understanding online and offline backups: VSS enabled on the volume blocks nothing."""
    volume = Volume(name="C:", file_system=FileSystem.NTFS, vss_enabled=True)
    assert check(make_host(single_volume_vm(volume))) == ()


def test_hvb306_shadow_storage_elsewhere() -> None:
    """Online and offline backups: each volume must store its own shadow copies (C: on C:)."""
    c = Volume(name="C:", file_system=FileSystem.NTFS, shadow_storage="D:")
    findings = check(make_host(single_volume_vm(c, ntfs("D:"))))
    assert ids(findings) == ["HVB306", "HVB308"]
    assert_finding(only(findings, "HVB306"), "HVB306", Severity.WARNING, "C:", host=HOST, vm="VM1")
    assert "D:" in only(findings, "HVB306").message


@pytest.mark.parametrize("storage", [None, "C:", "c:"])
def test_hvb306_near_miss(storage: str | None) -> None:
    """Online and offline backups: shadow storage on the volume itself, in any case, is right."""
    c = Volume(name="C:", file_system=FileSystem.NTFS, shadow_storage=storage)
    assert check(make_host(single_volume_vm(c))) == ()


@pytest.mark.parametrize("state", [VMState.OFF, VMState.SAVED, VMState.PAUSED])
def test_hvb307_vm_not_running(state: VMState) -> None:
    """Understanding online and offline backups: only a running VM can be backed up online."""
    findings = check(make_host(VM(name="VM1", state=state)))
    expected = ["HVB307", "HVB308"] if state is VMState.PAUSED else ["HVB307"]
    assert ids(findings) == expected
    assert_finding(only(findings, "HVB307"), "HVB307", Severity.INFO, "VM1", host=HOST, vm="VM1")


def test_hvb307_near_miss() -> None:
    """Understanding online and offline backups: a running VM gets no HVB307."""
    assert check(make_host(VM(name="VM1", state=VMState.RUNNING))) == ()


@pytest.mark.parametrize("state", [VMState.RUNNING, VMState.PAUSED])
def test_hvb308_offline_backup_saves_vm(state: VMState) -> None:
    """Online and offline backups: a running or paused VM backed up offline is saved (downtime)."""
    vm = VM(name="VM1", state=state, integration_services=False)
    findings = check(make_host(vm))
    assert "HVB308" in ids(findings)
    assert_finding(only(findings, "HVB308"), "HVB308", Severity.WARNING, "VM1", host=HOST, vm="VM1")


@pytest.mark.parametrize(
    ("state", "integration_services"),
    [(VMState.OFF, False), (VMState.SAVED, False), (VMState.RUNNING, True)],
)
def test_hvb308_near_miss(state: VMState, integration_services: bool) -> None:
    """Online and offline backups: an off or saved VM stays as it is; an online backup has no downtime."""
    vm = VM(name="VM1", state=state, integration_services=integration_services)
    assert "HVB308" not in ids(check(make_host(vm)))


def test_hvb309_guest_not_inventoried() -> None:
    """SPEC 4: a VM whose guest was not inventoried is planned offline with HVB309."""
    vm = VM(name="VM1", state=VMState.RUNNING, guest_inventoried=False)
    findings = check(make_host(vm))
    assert ids(findings) == ["HVB308", "HVB309"]
    assert_finding(only(findings, "HVB309"), "HVB309", Severity.WARNING, "VM1", host=HOST, vm="VM1")


def test_hvb309_near_miss() -> None:
    """SPEC 4: an inventoried, running, unblocked VM is online and gets no HVB309."""
    assert check(make_host(VM(name="VM1", state=VMState.RUNNING, guest_inventoried=True))) == ()


def test_hvb303_to_306_not_evaluated_without_guest_facts() -> None:
    """SPEC 6: without guest facts HVB303-306 are not evaluated; HVB301/302/307 and HVB202/203 still are."""
    blocked_volumes = (
        Volume(name="C:", file_system=FileSystem.FAT32, vss_enabled=False, shadow_storage="D:"),
        ntfs("D:"),
    )
    disks = (
        Disk(
            name="Data",
            attachment=Attachment.VIRTUAL_HARD_DISK,
            guest_disk_type=GuestDiskType.DYNAMIC,
            volumes=blocked_volumes,
        ),
        Disk(name="LUN1", attachment=Attachment.GUEST_ISCSI),
    )
    running = VM(
        name="VM1",
        state=VMState.RUNNING,
        backup_integration_service=False,
        disks=disks,
        guest_inventoried=False,
    )
    off = VM(
        name="VM2", state=VMState.OFF, integration_services=False, disks=(), guest_inventoried=False
    )
    findings = check(
        make_host(running, off, os=HostOS.WINDOWS_SERVER_2008_R2, updates=["KB982210"])
    )
    by_vm = {name: ids(f for f in findings if f.vm == name) for name in ("VM1", "VM2")}
    assert by_vm["VM1"] == ["HVB202", "HVB203", "HVB302", "HVB308", "HVB309"]
    assert by_vm["VM2"] == ["HVB301", "HVB307", "HVB309"]
    # The same VM with its guest inventoried raises every one of them.
    inventoried = VM(
        name="VM1", state=VMState.RUNNING, backup_integration_service=False, disks=disks
    )
    assert {"HVB303", "HVB304", "HVB305", "HVB306"} <= set(ids(check(make_host(inventoried))))


# --- HVB4xx: restore -----------------------------------------------------------------


@pytest.mark.parametrize("state", [VMState.RUNNING, VMState.PAUSED, VMState.SAVED])
def test_hvb401_restore_replaces_existing_vm(state: VMState) -> None:
    """Understanding the restore process (note): a VM that is not off is turned off and deleted first."""
    steps = restore_steps(VM(name="VM1", state=state), HOST)
    [warning] = steps_with(steps, "HVB401")
    assert warning.action is StepKind.WARN_VM_DELETED
    assert warning.rules == ("HVB401",)
    assert warning.target == "VM1"
    assert "VM1" in warning.text
    assert state.value in warning.text


def test_hvb401_near_miss() -> None:
    """SPEC 6: HVB401 fires only for a VM in a state other than off."""
    steps = restore_steps(VM(name="VM1", state=VMState.OFF), HOST)
    assert steps_with(steps, "HVB401") == []
    assert StepKind.WARN_VM_DELETED not in [s.action for s in steps]


def test_hvb402_restore_from_online_backup() -> None:
    """Understanding the restore process (note): after an online backup, ignore the unclean-shutdown message."""
    record = Backup(vm="VM1", node=HOST, level=BackupLevel.HOST, mode=BackupMode.ONLINE)
    steps = restore_steps(VM(name="VM1", state=VMState.RUNNING), HOST, record)
    [first_start] = steps_with(steps, "HVB402")
    assert first_start.action is StepKind.FIRST_START
    assert first_start.rules == ("HVB402",)
    assert first_start is steps[-1]


def test_hvb402_near_miss() -> None:
    """Understanding the restore process: a restore from an offline backup carries no HVB402."""
    record = Backup(vm="VM1", node=HOST, level=BackupLevel.HOST, mode=BackupMode.OFFLINE)
    steps = restore_steps(VM(name="VM1", state=VMState.RUNNING), HOST, record)
    assert steps_with(steps, "HVB402") == []
    assert steps[-1].action is StepKind.FIRST_START


def test_hvb403_uncovered_storage_restored_from_guest() -> None:
    """Understanding the restore process: restore the VM, then the unsupported media from the guest."""
    vm = VM(
        name="VM1",
        state=VMState.OFF,
        disks=[Disk(name="Archive", attachment=Attachment.PASS_THROUGH)],
    )
    steps = restore_steps(vm, HOST)
    [guest] = steps_with(steps, "HVB403")
    assert guest.action is StepKind.GUEST_RESTORE
    assert guest.rules == ("HVB403",)
    assert guest.target == "Archive"
    assert guest.where == "VM1"
    assert [s.action for s in steps].index(StepKind.RESTORE_VM) < steps.index(guest)


def test_hvb403_near_miss() -> None:
    """Understanding the restore process: with all storage covered by the writer there is no guest restore."""
    vm = VM(
        name="VM1",
        state=VMState.OFF,
        disks=[Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK)],
    )
    steps = restore_steps(vm, HOST)
    assert steps_with(steps, "HVB403") == []
    assert StepKind.GUEST_RESTORE not in [s.action for s in steps]


def test_hvb404_whole_vm_only() -> None:
    """Understanding the restore process: the writer restores whole VMs, never part of one."""
    steps = restore_steps(VM(name="VM1", state=VMState.OFF), HOST)
    [restore] = steps_with(steps, "HVB404")
    assert restore.action is StepKind.RESTORE_VM
    assert restore.target == "VM1"


def test_hvb404_near_miss() -> None:
    """SPEC 6: restore-time rules (HVB401-406, HVB503) never come from check()."""
    vm = VM(
        name="VM1",
        state=VMState.RUNNING,
        disks=[Disk(name="Archive", attachment=Attachment.PASS_THROUGH)],
        network_adapters=[NetworkAdapter(name="Nic", virtual_network="Production")],
        cluster_group=group(),
    )
    restore_ids = {"HVB401", "HVB402", "HVB403", "HVB404", "HVB405", "HVB406", "HVB503"}
    assert restore_ids.isdisjoint(ids(check(make_host(vm))))


def test_hvb405_reattach_network_adapters() -> None:
    """Understanding backup options: recreate the virtual networks and reattach each adapter after a restore."""
    vm = VM(
        name="VM1",
        state=VMState.OFF,
        network_adapters=[NetworkAdapter(name="Nic", virtual_network="Production")],
    )
    [reconnect] = steps_with(restore_steps(vm, HOST), "HVB405")
    assert reconnect.action is StepKind.RECONNECT_NETWORK
    assert reconnect.target == "Production"
    assert "Nic" in reconnect.text
    assert "Production" in reconnect.text


def test_hvb405_near_miss() -> None:
    """Understanding backup options: an adapter attached to no network has nothing to reattach."""
    vm = VM(name="VM1", state=VMState.OFF, network_adapters=[NetworkAdapter(name="Nic")])
    assert steps_with(restore_steps(vm, HOST), "HVB405") == []


def archive_vm(name: str = "VM1") -> VM:
    return VM(
        name=name,
        state=VMState.OFF,
        disks=[Disk(name="Archive", attachment=Attachment.PASS_THROUGH)],
    )


def test_hvb406_no_guest_backup_of_uncovered_storage() -> None:
    """SPEC 6: given a backup set, an uncovered disk no GUEST record of this VM covers gets HVB406."""
    vm = archive_vm()
    other_vm = Backup(
        vm="VM2", node=HOST, level=BackupLevel.GUEST, mode=BackupMode.OFFLINE, covers=["Archive"]
    )
    host_level = Backup(
        vm="VM1", node=HOST, level=BackupLevel.HOST, mode=BackupMode.OFFLINE, covers=["Archive"]
    )
    other_disk = Backup(
        vm="VM1", node=HOST, level=BackupLevel.GUEST, mode=BackupMode.OFFLINE, covers=["System"]
    )
    for backup_set in ([], [other_vm], [host_level], [other_disk], (host_level, other_vm)):
        [guest] = steps_with(restore_steps(vm, HOST, backup_set), "HVB406")
        assert guest.action is StepKind.GUEST_RESTORE
        assert guest.rules == ("HVB403", "HVB406")
        assert guest.target == "Archive"


def test_hvb406_near_miss() -> None:
    """SPEC 6: no HVB406 without a backup set, or when a GUEST record of this VM covers the disk."""
    vm = archive_vm()
    assert steps_with(restore_steps(vm, HOST), "HVB406") == []
    assert steps_with(restore_steps(vm, HOST, None), "HVB406") == []
    guest = Backup(
        vm="VM1", node=HOST, level=BackupLevel.GUEST, mode=BackupMode.OFFLINE, covers=["Archive"]
    )
    assert steps_with(restore_steps(vm, HOST, guest), "HVB406") == []
    assert steps_with(restore_steps(vm, HOST, [guest]), "HVB406") == []
    [step] = steps_with(restore_steps(vm, HOST, [guest]), "HVB403")
    assert step.rules == ("HVB403",)


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
    """SPEC 5: resource states outside the backup table are NOT_COVERED and reported as HVB504."""
    findings = check(make_host(failed_vm()))
    assert ids(findings) == ["HVB504"]
    assert_finding(findings[0], "HVB504", Severity.ERROR, "VM1", host=HOST, vm="VM1")


def test_hvb504_uncovered_states_via_plan() -> None:
    """SPEC 6: the plan's cluster preparation carries HVB504 when the table does not cover the states."""
    plan = backup_plan(make_host(failed_vm()))
    [prepare] = [s for s in plan.steps if "HVB504" in s.rules]
    assert prepare.action is StepKind.PREPARE_CLUSTER
    assert prepare.target == "VM1"
    assert ids(plan.findings) == ["HVB504"]


def test_hvb504_uncovered_states_via_restore() -> None:
    """SPEC 6: the restore's cluster preparation carries HVB504 when the restore table does not cover it."""
    [prepare] = steps_with(restore_steps(failed_vm(), HOST), "HVB504")
    assert prepare.action is StepKind.PREPARE_CLUSTER
    assert prepare.rules == ("HVB504",)


def test_hvb504_near_miss() -> None:
    """SPEC 5: cluster and configuration offline with storage online is covered by both tables."""
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


# --- order of check() --------------------------------------------------------------


def noisy_host() -> Host:
    app = BackupApplication(
        name="Windows Server Backup", is_windows_server_backup=True, hyperv_writer_registered=False
    )
    first = VM(
        name="A", state=VMState.RUNNING, disks=[Disk(name="PA", attachment=Attachment.PASS_THROUGH)]
    )
    second = VM(
        name="B",
        state=VMState.RUNNING,
        snapshots=["Snap"],
        disks=[Disk(name="PB", attachment=Attachment.PASS_THROUGH)],
    )
    return make_host(
        first,
        second,
        os=HostOS.WINDOWS_SERVER_2008_R2,
        app=app,
        networks=[VirtualNetwork(name="Production", kind=NetworkKind.EXTERNAL)],
    )


def test_check_sorted_by_severity_then_inventory_order() -> None:
    """SPEC 6: check() sorts its findings by severity (error, warning, info), then inventory order."""
    findings = check(noisy_host())
    assert [(f.rule.id, f.subject) for f in findings] == [
        ("HVB102", HOST),
        ("HVB103", HOST),
        ("HVB201", "PA"),
        ("HVB201", "PB"),
        ("HVB104", HOST),
        ("HVB105", "B"),
    ]
    ranks = [f.severity.rank for f in findings]
    assert ranks == sorted(ranks)


def test_check_is_deterministic() -> None:
    """SPEC 1: same input, same output."""
    assert check(noisy_host()) == check(noisy_host())
    assert repr(check(noisy_host())) == repr(check(noisy_host()))


def test_check_orders_cluster_nodes_in_inventory_order() -> None:
    """SPEC 6: within one severity, findings follow the order of the nodes and their VMs."""
    first = VM(
        name="A", state=VMState.RUNNING, disks=[Disk(name="PA", attachment=Attachment.PASS_THROUGH)]
    )
    second = VM(
        name="B", state=VMState.RUNNING, disks=[Disk(name="PB", attachment=Attachment.PASS_THROUGH)]
    )
    cluster = Cluster(
        name="CL01",
        nodes=[
            Host(name="NODE2", os=HostOS.WINDOWS_SERVER_2008, vms=[second]),
            Host(name="NODE1", os=HostOS.WINDOWS_SERVER_2008, vms=[first]),
        ],
    )
    assert [(f.host, f.subject) for f in check(cluster)] == [("NODE2", "PB"), ("NODE1", "PA")]
