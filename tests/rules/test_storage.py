"""HVB2xx, storage the host backup misses: one trigger and one near miss per rule.

Each ``test_hvbNNN_*`` builds the smallest inventory (or VM and node, or
restore call) that makes the rule fire and checks the finding it produces;
its ``*_near_miss`` companion changes one fact so that the rule must stay
silent. Docstrings restate the clause of the source guidance ("Planning for
Backup") or of the specification that the test checks, with the heading it comes from.
"""

from __future__ import annotations

from hyperv_backup import (
    VM,
    Attachment,
    Disk,
    HostOS,
    HostStorage,
    Severity,
    VMState,
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
