"""HVB2xx, storage the host backup misses: one trigger and one near miss per rule.

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
    HostOS,
    HostStorage,
    Severity,
    VMState,
    backup_outcome,
    check,
)
from tests.builders import (
    HOST,
    assert_finding,
    ids,
    make_host,
    only,
)
from tests.rules._shared_rules import (
    iscsi_vm,
)

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
    later = make_host(iscsi_vm(), os=HostOS.WINDOWS_SERVER_2012)
    assert ids(check(later, profile="2008")) == ["HVB100", "HVB202"]
    # Under the profile of its release the VM, with guest iSCSI storage only, gets HVB620.
    assert ids(check(later)) == ["HVB202", "HVB620"]
    assert ids(check(make_host(iscsi_vm(), os=HostOS.WINDOWS_SERVER_2008))) == ["HVB202"]
    no_iscsi = VM(
        name="VM1",
        state=VMState.RUNNING,
        disks=[Disk(name="P", attachment=Attachment.PASS_THROUGH)],
    )
    assert ids(check(make_host(no_iscsi, os=r2, updates=["KB982210"]))) == ["HVB201"]


# --- HVB204, HVB205: from Windows Server 2012 on ---------------------------------------------

WS2022, R2 = HostOS.WINDOWS_SERVER_2022, HostOS.WINDOWS_SERVER_2012_R2


def _app(ignores: bool | None = False, wmi: bool | None = True) -> BackupApplication:
    return BackupApplication(
        name="Agent",
        uses_hyperv_vss_writer=False,
        uses_wmi_backup=wmi,
        ignores_non_snapshottable_disks=ignores,
    )


def _system() -> Disk:
    return Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK, path="D:\\VM1.vhdx")


def _pass_through_vm() -> VM:
    archive = Disk(name="Archive", attachment=Attachment.PASS_THROUGH)
    return VM(name="VM1", state=VMState.RUNNING, disks=[_system(), archive])


def _fibre_channel_vm() -> VM:
    return VM(
        name="VM1", state=VMState.RUNNING, disks=[_system()], fibre_channel_adapters=["SAN A"]
    )


@pytest.mark.parametrize(
    ("vm", "subject"), [(_pass_through_vm(), "Archive"), (_fibre_channel_vm(), "SAN A")]
)
def test_hvb204_disk_a_checkpoint_cannot_hold(vm: VM, subject: str) -> None:
    """Msvm_VirtualSystemSnapshotSettingData: a checkpoint that does not ignore such disks fails."""
    host = make_host(vm, os=WS2022, app=_app())
    finding = only(check(host), "HVB204")
    assert_finding(finding, "HVB204", Severity.ERROR, subject, host=HOST, vm="VM1")
    outcome = backup_outcome(vm, host)
    assert outcome.consistency is Consistency.FAILS
    assert "HVB204" in [r.rule.id for r in outcome.reasons]


@pytest.mark.parametrize(
    ("os", "app"),
    [
        (WS2022, _app(ignores=True)),
        (WS2022, _app(ignores=None)),
        (WS2022, _app(wmi=False)),
        (R2, _app()),
        (WS2022, None),
    ],
)
def test_hvb204_near_miss(os: HostOS, app: BackupApplication | None) -> None:
    """Disks left out, an unknown setting, no WMI backup, or 2012 R2: no HVB204."""
    for vm in (_pass_through_vm(), _fibre_channel_vm()):
        assert "HVB204" not in ids(check(make_host(vm, os=os, app=app)))


def test_hvb204_not_in_a_cluster_at_the_2012_r2_level() -> None:
    """Below the 2016 functional level the WMI backup API of 2016 is not there (HVB507)."""
    node = make_host(_pass_through_vm(), os=WS2022, app=_app())
    assert "HVB204" not in ids(check(Cluster(name="C", nodes=[node], functional_level=8)))
    assert "HVB204" in ids(check(Cluster(name="C", nodes=[node], functional_level=11)))


@pytest.mark.parametrize("server", ["10.0.0.5", "fe80--1.ipv6-literal.net"])
def test_hvb205_share_named_by_address(server: str) -> None:
    """DPM, "Backup prerequisites": an IPv4 or IPv6 address for the file server is not supported."""
    disk = Disk(
        name="System",
        attachment=Attachment.VIRTUAL_HARD_DISK,
        path=f"\\\\{server}\\VMs\\VM1.vhdx",
        host_storage=HostStorage.SMB,
    )
    vm = VM(name="VM1", state=VMState.RUNNING, disks=[disk])
    findings = check(make_host(vm, os=R2))
    assert_finding(
        only(findings, "HVB205"), "HVB205", Severity.WARNING, "System", host=HOST, vm="VM1"
    )
    assert (
        backup_outcome(vm, make_host(vm, os=R2)).consistency is Consistency.APPLICATION_CONSISTENT
    )


def test_hvb205_near_miss() -> None:
    """A share named by its server's name, a local path, or the 2008 profile: no HVB205."""
    for path in ("\\\\FS01\\VMs\\VM1.vhdx", "D:\\VM1.vhdx", "\\\\?\\Volume{1}\\VM1.vhdx"):
        disk = Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK, path=path)
        vm = VM(name="VM1", state=VMState.RUNNING, disks=[disk])
        assert "HVB205" not in ids(check(make_host(vm, os=R2)))
    disk = Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK, path="\\\\10.0.0.5\\V\\a")
    vm = VM(name="VM1", state=VMState.RUNNING, disks=[disk])
    assert "HVB205" not in ids(check(make_host(vm)))
