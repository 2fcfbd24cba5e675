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
    BackupApplication,
    HostOS,
    NetworkAdapter,
    NetworkKind,
    Severity,
    VirtualNetwork,
    VMState,
    check,
)
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
