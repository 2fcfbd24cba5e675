"""HVB1xx, the host and its backup application: one trigger and one near miss per rule.

Each ``test_hvbNNN_*`` builds the smallest inventory (or VM and node, or
restore call) that makes the rule fire and checks the finding it produces;
its ``*_near_miss`` companion changes one fact so that the rule must stay
silent. Docstrings restate the clause of the source guidance ("Planning for
Backup") or of the specification that the test checks, with the heading it comes from.
"""

from __future__ import annotations

import pytest

from hyperv_backup import (
    VM,
    Attachment,
    BackupApplication,
    Cluster,
    Consistency,
    Disk,
    GuestOS,
    Host,
    HostOS,
    HostStorage,
    NetworkAdapter,
    NetworkKind,
    ReplicationRole,
    Severity,
    VirtualNetwork,
    VMState,
    backup_outcome,
    check,
)
from hyperv_backup.model import HostVolume
from tests.builders import (
    HOST,
    LATER_RELEASES,
    WSB,
    assert_finding,
    ids,
    make_host,
    only,
)
from tests.rules._shared_rules import (
    csv_vm,
)

# --- HVB1xx: the host and its backup application -----------------------------------


@pytest.mark.parametrize("os", LATER_RELEASES)
def test_hvb100_release_later_than_2008_r2(os: HostOS) -> None:
    """Planning for Backup: answered by the 2008 profile, a later release gets HVB100."""
    findings = check(make_host(os=os), profile="2008")
    assert ids(findings) == ["HVB100"]
    assert_finding(findings[0], "HVB100", Severity.INFO, HOST, host=HOST, vm=None)


@pytest.mark.parametrize("os", LATER_RELEASES)
def test_hvb100_near_miss_under_the_profile_of_the_release(os: HostOS) -> None:
    """Answered by the profile of its own release (the default), a later host gets no HVB100."""
    assert ids(check(make_host(os=os))) == []


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


def test_hvb106_wsb_with_cluster_shared_volume() -> None:
    """KB958662: Windows Server Backup does not support VMs on a Cluster Shared Volume."""
    findings = check(make_host(csv_vm(), app=WSB))
    assert ids(findings) == ["HVB106", "HVB505"]
    assert_finding(only(findings, "HVB106"), "HVB106", Severity.ERROR, "VM1", host=HOST, vm="VM1")


def test_hvb106_near_miss() -> None:
    """HVB106 needs Windows Server Backup; another or an unknown application gets HVB505 only."""
    assert ids(check(make_host(csv_vm(), app=BackupApplication(name="Agent")))) == ["HVB505"]
    assert ids(check(make_host(csv_vm(), app=None))) == ["HVB505"]


def test_hvb107_wsb_with_two_snapshots() -> None:
    """KB958662: Windows Server Backup does not restore a VM with two or more snapshots."""
    vm = VM(name="VM1", state=VMState.RUNNING, snapshots=["One", "Two"])
    findings = check(make_host(vm, app=WSB))
    assert ids(findings) == ["HVB105", "HVB107"]
    assert_finding(only(findings, "HVB107"), "HVB107", Severity.WARNING, "VM1", host=HOST, vm="VM1")


def test_hvb107_near_miss() -> None:
    """One snapshot under Windows Server Backup, or two under another application, is no HVB107."""
    one = VM(name="VM1", state=VMState.RUNNING, snapshots=["One"])
    two = VM(name="VM1", state=VMState.RUNNING, snapshots=["One", "Two"])
    assert ids(check(make_host(one, app=WSB))) == ["HVB105"]
    assert ids(check(make_host(two, app=BackupApplication(name="Agent")))) == ["HVB105"]
    assert ids(check(make_host(two, app=None))) == ["HVB105"]


# --- HVB108-HVB113: the host and its backup application from Windows Server 2012 on ----------

R2, WS2012, WS2016, WS2022 = (
    HostOS.WINDOWS_SERVER_2012_R2,
    HostOS.WINDOWS_SERVER_2012,
    HostOS.WINDOWS_SERVER_2016,
    HostOS.WINDOWS_SERVER_2022,
)
RUNNING = VM(name="VM1", state=VMState.RUNNING)


def _app(writer: bool = False, wmi: bool | None = None, **more: object) -> BackupApplication:
    return BackupApplication(
        name="FileCopy",
        uses_hyperv_vss_writer=writer,
        uses_wmi_backup=wmi,
        **more,  # type: ignore[arg-type]
    )


#: (release, application, severity of HVB108 or None, consistency of a running VM)
ROUTES = [
    # 2012 and 2012 R2: the VSS writer is the only route.
    (WS2012, _app(), Severity.ERROR, Consistency.NOT_APPLICATION_CONSISTENT),
    (R2, _app(), Severity.ERROR, Consistency.NOT_APPLICATION_CONSISTENT),
    (R2, _app(wmi=True), Severity.ERROR, Consistency.NOT_APPLICATION_CONSISTENT),
    (R2, _app(writer=True), None, Consistency.APPLICATION_CONSISTENT),
    # 2016 and later: the WMI API is the other route.
    (WS2022, _app(wmi=False), Severity.ERROR, Consistency.NOT_APPLICATION_CONSISTENT),
    (WS2022, _app(), Severity.WARNING, Consistency.APPLICATION_CONSISTENT),
    (WS2022, _app(wmi=True), None, Consistency.APPLICATION_CONSISTENT),
    (WS2016, _app(writer=True, wmi=False), None, Consistency.APPLICATION_CONSISTENT),
]


@pytest.mark.parametrize(("os", "app", "severity", "consistency"), ROUTES)
def test_hvb108_hvb109_backup_application_without_hyperv(
    os: HostOS, app: BackupApplication, severity: Severity | None, consistency: Consistency
) -> None:
    """Hyper-V Backup Approaches: a host backup of VMs goes through the VSS writer or, from 2016, WMI."""
    host = make_host(RUNNING, os=os, app=app)
    findings = check(host)
    outcome = backup_outcome(RUNNING, host)
    assert outcome.consistency is consistency
    if severity is None:
        assert "HVB108" not in ids(findings)
        return
    assert_finding(only(findings, "HVB108"), "HVB108", severity, HOST, host=HOST, vm=None)
    if severity is Severity.ERROR:
        assert [r.rule.id for r in outcome.reasons] == ["HVB109"]
        assert_finding(
            only(findings, "HVB109"), "HVB109", Severity.WARNING, "VM1", host=HOST, vm="VM1"
        )
        assert not outcome.causes_downtime
    else:
        assert "HVB109" not in ids(findings)
        assert "was not given" in only(findings, "HVB108").message


def test_hvb108_near_miss() -> None:
    """Under the 2008 profile the guidance's HVB101 answers; an unknown application raises nothing."""
    assert ids(check(make_host(os=R2, app=_app()), profile="2008")) == ["HVB100", "HVB101"]
    assert ids(check(make_host(os=WS2022, app=None))) == []


def test_hvb109_near_miss() -> None:
    """A VM that is not running is copied as it is: no HVB109, and its consistency stays 'not running'."""
    off = VM(name="VM1", state=VMState.OFF)
    host = make_host(off, os=R2, app=_app())
    assert "HVB109" not in ids(check(host))
    assert backup_outcome(off, host).consistency is Consistency.NOT_RUNNING


def test_hvb109_the_writer_saves_nothing_it_does_not_back_up() -> None:
    """On 2012, a guest that cannot take part is saved by the writer; a copy without it is not."""
    vm = VM(name="VM1", state=VMState.RUNNING, integration_services=False)
    outcome = backup_outcome(vm, make_host(vm, os=WS2012, app=_app()))
    assert outcome.consistency is Consistency.NOT_APPLICATION_CONSISTENT
    assert not outcome.causes_downtime
    assert [r.rule.id for r in outcome.reasons] == ["HVB109", "HVB301"]


def test_hvb109_restates_obstacles_without_promising_a_copy() -> None:
    """From 2012 R2 on, an obstacle is still named, but no crash-consistent copy is promised."""
    vm = VM(name="VM1", state=VMState.RUNNING, integration_services=False)
    outcome = backup_outcome(vm, make_host(vm, os=R2, app=_app()))
    assert outcome.consistency is Consistency.NOT_APPLICATION_CONSISTENT
    assert "does not go through Hyper-V" in only(outcome.reasons, "HVB602").message


def test_hvb110_virtual_switches() -> None:
    """Backing up and restoring VMs, "Restoring the virtual machines": adapters reconnect to existing switches."""
    network = VirtualNetwork(name="Production", kind=NetworkKind.EXTERNAL)
    findings = check(make_host(os=WS2022, networks=[network]))
    assert ids(findings) == ["HVB110"]
    assert_finding(findings[0], "HVB110", Severity.INFO, HOST, host=HOST, vm=None)
    assert "Production" in findings[0].message


def test_hvb110_near_miss() -> None:
    """No switch, nothing to record; under the 2008 profile the guidance's HVB104 says it instead."""
    assert ids(check(make_host(os=R2))) == []
    network = VirtualNetwork(name="Production", kind=NetworkKind.EXTERNAL)
    assert ids(check(make_host(networks=[network]))) == ["HVB104"]


@pytest.mark.parametrize(
    ("os", "rule", "kind"),
    [
        (HostOS.WINDOWS_SERVER_2008, "HVB104", "virtual networks"),
        (WS2022, "HVB110", "virtual switches"),
    ],
)
def test_hvb104_hvb110_name_a_few_of_many_networks(os: HostOS, rule: str, kind: str) -> None:
    """A host's finding names five of its networks at most, then says how many there are in all.

    A host can have thousands; the finding stays one short line however many.
    """
    few = [VirtualNetwork(name=f"N{i}", kind=NetworkKind.PRIVATE) for i in range(5)]
    (finding,) = check(make_host(os=os, networks=few))
    assert f"has {kind} ('N0', 'N1', 'N2', 'N3', 'N4')" in finding.message
    many = [VirtualNetwork(name=f"N{i}", kind=NetworkKind.PRIVATE) for i in range(50_000)]
    (finding,) = check(make_host(os=os, networks=many))
    assert finding.rule.id == rule
    assert f"has 50000 {kind} ('N0', 'N1', 'N2', 'N3', 'N4' and 49995 more)" in finding.message
    assert len(finding.message) < 250


GIB = 2**30


def _space_host(free: int, churn: int | None, *, os: HostOS = R2) -> Host:
    disk = Disk(
        name="System",
        attachment=Attachment.VIRTUAL_HARD_DISK,
        path="D:\\VMs\\VM1.vhdx",
        file_size=100 * GIB,
    )
    other = Disk(
        name="Other", attachment=Attachment.VIRTUAL_HARD_DISK, path="E:\\VM1.vhdx", file_size=GIB
    )
    vm = VM(name="VM1", state=VMState.RUNNING, disks=[disk, other])
    return Host(
        name=HOST,
        os=os,
        vms=[vm],
        backup_application=BackupApplication(name="Agent", churn_percent=churn),
        host_volumes=[HostVolume(name="D:\\", free_space=free)],
    )


@pytest.mark.parametrize("os", [R2, WS2022])
def test_hvb111_too_little_space_for_differencing_disks(os: HostOS) -> None:
    """DPM, "Backup prerequisites": free space of at least disk size times churn times window."""
    findings = check(_space_host(9 * GIB, 10, os=os))
    assert ids(findings) == ["HVB111"]
    assert_finding(findings[0], "HVB111", Severity.WARNING, "D:\\", host=HOST, vm=None)
    assert "10.0 GiB" in findings[0].message


@pytest.mark.parametrize(("free", "churn"), [(10 * GIB, 10), (GIB, None), (0, 0)])
def test_hvb111_near_miss(free: int, churn: int | None) -> None:
    """Enough free space, or no churn given: no HVB111."""
    assert "HVB111" not in ids(check(_space_host(free, churn)))


def test_hvb111_counts_every_node_on_a_cluster_shared_volume() -> None:
    """DPM: several backups on a cluster need the space of every VM on the shared volume."""
    csv = "C:\\ClusterStorage\\Volume1\\"

    def node(name: str, vm: str, volumes: list[HostVolume]) -> Host:
        disk = Disk(
            name="System",
            attachment=Attachment.VIRTUAL_HARD_DISK,
            path=f"{csv}{vm}.vhdx",
            host_storage=HostStorage.CLUSTER_SHARED_VOLUME,
            file_size=60 * GIB,
        )
        return Host(
            name=name,
            os=R2,
            vms=[VM(name=vm, state=VMState.RUNNING, disks=[disk])],
            backup_application=BackupApplication(name="Agent", churn_percent=10),
            host_volumes=volumes,
        )

    volumes = [HostVolume(name=csv, free_space=11 * GIB)]
    alone = Cluster(name="C", nodes=[node("N1", "VM1", volumes)])
    assert "HVB111" not in ids(check(alone))
    both = Cluster(name="C", nodes=[node("N1", "VM1", volumes), node("N2", "VM2", [])])
    assert ids(check(both)).count("HVB111") == 1


@pytest.mark.parametrize("os", [R2, WS2022])
def test_hvb112_integration_services_of_another_version(os: HostOS) -> None:
    """DPM, "Backup prerequisites": the guest's integration components are the host's version."""
    vm = VM(name="VM1", state=VMState.RUNNING, integration_services_current=False)
    findings = check(make_host(vm, os=os))
    assert ids(findings) == ["HVB112"]
    assert_finding(findings[0], "HVB112", Severity.WARNING, "VM1", host=HOST, vm="VM1")
    assert (
        backup_outcome(vm, make_host(vm, os=os)).consistency is Consistency.APPLICATION_CONSISTENT
    )


def test_hvb112_near_miss() -> None:
    """Current or unknown integration services, a replica copy, or the 2008 profile: no HVB112."""
    for current in (True, None):
        vm = VM(name="VM1", state=VMState.RUNNING, integration_services_current=current)
        assert ids(check(make_host(vm, os=R2))) == []
    replica = VM(
        name="VM1",
        state=VMState.OFF,
        integration_services_current=False,
        replication_role=ReplicationRole.REPLICA,
    )
    assert "HVB112" not in ids(check(make_host(replica, os=R2)))
    vm = VM(name="VM1", state=VMState.RUNNING, integration_services_current=False)
    assert "HVB112" not in ids(check(make_host(vm), profile="2008"))


def _linux(path: str, guest: GuestOS = GuestOS.LINUX) -> VM:
    disk = Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK, path=path)
    return VM(name="VM1", state=VMState.RUNNING, disks=[disk], guest_os=guest, vss_daemon=True)


@pytest.mark.parametrize("guest", [GuestOS.LINUX, GuestOS.FREEBSD])
def test_hvb113_backup_target_on_the_volume_backed_up(guest: GuestOS) -> None:
    """Linux and FreeBSD features, "Storage": the backup target is not on the volume backed up."""
    app = BackupApplication(name="Agent", backup_target="D:\\Backups")
    findings = check(make_host(_linux("D:\\VMs\\VM1.vhdx", guest), os=WS2022, app=app))
    assert ids(findings) == ["HVB113", "HVB604"]
    assert_finding(
        only(findings, "HVB113"), "HVB113", Severity.WARNING, "System", host=HOST, vm="VM1"
    )


def test_hvb113_near_miss() -> None:
    """Another volume, no target, a Windows guest, or 2012 (which saves Linux guests): no HVB113."""
    app = BackupApplication(name="Agent", backup_target="E:\\Backups")
    assert "HVB113" not in ids(check(make_host(_linux("D:\\VM1.vhdx"), os=WS2022, app=app)))
    plain = BackupApplication(name="Agent")
    assert "HVB113" not in ids(check(make_host(_linux("D:\\VM1.vhdx"), os=WS2022, app=plain)))
    same = BackupApplication(name="Agent", backup_target="D:\\Backups")
    windows = _linux("D:\\VM1.vhdx", GuestOS.WINDOWS)
    assert "HVB113" not in ids(check(make_host(windows, os=WS2022, app=same)))
    assert "HVB113" not in ids(check(make_host(_linux("D:\\VM1.vhdx"), os=WS2012, app=same)))


def test_hvb109_a_vm_with_no_disk_the_host_sees_holds_no_data_whatever_the_application() -> None:
    """WMI page (note): pass-through disks are invisible to the host, so no host-level copy holds them."""
    vm = VM(
        name="VM1",
        state=VMState.RUNNING,
        disks=[Disk(name="Archive", attachment=Attachment.PASS_THROUGH)],
    )
    outcome = backup_outcome(vm, make_host(vm, os=R2, app=_app()))
    assert outcome.consistency is Consistency.NOT_BACKED_UP
    assert {"HVB109", "HVB620"} <= {r.rule.id for r in outcome.reasons}
