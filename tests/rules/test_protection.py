"""HVB8xx, protection: one trigger and one near miss per rule, and the family's edges.

Each ``test_hvbNNN_*`` builds the smallest inventory and catalogue that make
the rule fire; its ``*_near_miss`` companion changes one fact so that the
rule must stay silent. Docstrings restate the clause of the page the rule
cites: the Best Practices Analyzer's "Virtual machines should be backed up
at least once every week" (Issue, Resolution), the guidance's "Storage
considerations" and "Understanding backup options and considerations", and
the reference point's recorded consistency.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from hyperv_backup import (
    VM,
    Attachment,
    Cluster,
    ClusterGroup,
    Disk,
    Host,
    HostOS,
    NetworkKind,
    ReplicationRole,
    VirtualNetwork,
    VMState,
    check,
)
from hyperv_backup.decide.evaluate import evaluate
from hyperv_backup.model import (
    BackupLevel,
    Catalogue,
    Consistency,
    MaxAge,
    NetworkRecord,
    PolicyException,
    ProtectionPolicy,
    RestorePoint,
)
from hyperv_backup.rules import RULES, Phase
from hyperv_backup.rules.protection import PROTECTION_CHECKS
from hyperv_backup.rules.restore_points import (
    MaxAgeFrom,
    Protection,
    ProtectionState,
    assess,
    newest,
)
from tests.builders import ON, ids

NOW = datetime(2026, 12, 7, 7, tzinfo=UTC)
LATER = HostOS.WINDOWS_SERVER_2022


def point(
    vm: str = "VM1",
    hours: float = 9,
    *,
    level: BackupLevel = BackupLevel.HOST,
    host: str | None = None,
    consistency: Consistency | None = None,
    covers: tuple[str, ...] = (),
    usable: bool = True,
    vm_id: str | None = None,
) -> RestorePoint:
    return RestorePoint(
        vm=vm,
        vm_id=vm_id,
        host=host,
        taken_at=NOW - timedelta(hours=hours),
        level=level,
        consistency=consistency,
        product="Contoso Backup",
        covers=covers,
        usable=usable,
    )


def running(name: str = "VM1", **fields: object) -> VM:
    disks = fields.pop("disks", [Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK)])
    return VM(name=name, state=VMState.RUNNING, disks=disks, **fields)  # type: ignore[arg-type]


def host(*vms: VM, os: HostOS = LATER, networks: tuple[VirtualNetwork, ...] = ()) -> Host:
    return Host(name="HV01", os=os, vms=vms, virtual_networks=networks)


def found(
    target: Host | Cluster,
    *points: RestorePoint,
    max_age: timedelta | None = None,
    policy: ProtectionPolicy | None = None,
    networks: tuple[NetworkRecord, ...] = (),
) -> list[str]:
    """Return the IDs of the family's findings (the other families' are tested elsewhere)."""
    catalogue = Catalogue(points=points, networks=networks)
    findings = check(target, backups=catalogue, now=NOW, max_age=max_age, policy=policy)
    return [i for i in ids(findings) if i.startswith("HVB8")]


def messages(target: Host | Cluster, rule: str, *points: RestorePoint, **kw: object) -> list[str]:
    catalogue = Catalogue(points=points)
    return [
        f.message
        for f in check(target, backups=catalogue, now=NOW, **kw)  # type: ignore[arg-type]
        if f.rule.id == rule
    ]


# --- HVB801 -----------------------------------------------------------------------------


def test_hvb801_no_restore_point_within_the_maximum_age() -> None:
    """Issue: a VM that has not been backed up in the past week is flagged."""
    [message] = messages(host(running()), "HVB801", point(hours=8 * 24))
    assert "VM 'VM1' has no good restore point within 7d (the weekly backup" in message
    assert "2026-11-29 07:00 UTC, 8d ago" in message


def test_hvb801_with_the_maximum_age_given() -> None:
    """The administrator's bound replaces the week: a point of 40 hours is stale against 36."""
    [message] = messages(host(running()), "HVB801", point(hours=40), max_age=timedelta(hours=36))
    assert "within 1d12h (the maximum age given)" in message


def test_hvb801_when_no_point_is_usable() -> None:
    """A point the product marks damaged is no backup to restore from."""
    [message] = messages(host(running()), "HVB801", point(hours=1, usable=False))
    assert message == (
        "VM 'VM1' has 1 restore point(s) in the catalogue, none of them usable: it has no good "
        "restore point."
    )


def test_hvb801_near_miss() -> None:
    """A point within the week, or exactly a week old, is recent enough."""
    assert "HVB801" not in found(host(running()), point(hours=7 * 24))
    assert "HVB801" not in found(host(running()), point(hours=8 * 24), point(hours=2))


# --- HVB802 -----------------------------------------------------------------------------


def test_hvb802_never_backed_up() -> None:
    """Issue: a VM with no backup at all is one not backed up in the past week."""
    assert found(host(running()), point("OTHER")) == ["HVB802"]


def test_hvb802_near_miss() -> None:
    """A VM with any restore point was backed up once: HVB801 speaks of its age instead."""
    assert found(host(running()), point(hours=30 * 24)) == ["HVB801"]


# --- HVB803, HVB804 ---------------------------------------------------------------------


def test_hvb803_replica_exempt_by_its_primary() -> None:
    """Resolution: the rule may be ignored for a replica whose primary is backed up."""
    replica = running(replication_role=ReplicationRole.REPLICA)
    [message] = messages(host(replica), "HVB803", point(hours=5, host="HV-PRIMARY"))
    assert "its primary on 'HV-PRIMARY' has one, taken 2026-12-07 02:00 UTC" in message
    assert "HVB801" not in found(host(replica), point(hours=5, host="HV-PRIMARY"))
    assert "HVB802" not in found(host(replica), point(hours=5, host="HV-PRIMARY"))


def test_hvb803_near_miss() -> None:
    """A primary whose own last backup is stale too exempts nothing: the replica is unprotected."""
    replica = running(replication_role=ReplicationRole.REPLICA)
    assert found(host(replica), point(hours=9 * 24, host="HV-PRIMARY")) == ["HVB802"]
    # A release that knows no Replica takes every point of the VM's name as its own.
    assert found(host(replica, os=HostOS.WINDOWS_SERVER_2008_R2), point(hours=5, host="X")) == []


def test_hvb804_primary_exempt_by_its_replica() -> None:
    """Resolution: the rule may be ignored for a primary whose replica is backed up."""
    primary = running(replication_role=ReplicationRole.PRIMARY)
    stale_own = point(hours=10 * 24)
    assert found(host(primary), stale_own, point(hours=3, host="HV-DR")) == ["HVB804"]
    [message] = messages(host(primary), "HVB804", stale_own, point(hours=3, host="HV-DR"))
    assert "its replica on 'HV-DR'" in message


def test_hvb804_near_miss() -> None:
    """A VM that replicates nowhere is not exempted by a point taken on another host: it is its own."""
    plain = running()
    assert found(host(plain), point(hours=3, host="HV-OLD")) == []
    primary = running(replication_role=ReplicationRole.PRIMARY)
    assert found(host(primary), point(hours=2)) == []


# --- HVB805 -----------------------------------------------------------------------------


def _tape_vm() -> VM:
    return running(
        disks=[
            Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK),
            Disk(name="Tape", attachment=Attachment.PASS_THROUGH),
        ]
    )


def test_hvb805_guest_backup_behind_the_host_backup() -> None:
    """Storage considerations: back up from inside the guest before the host backup, every round."""
    points = (
        point(hours=48),
        point(hours=24),
        point(hours=50, level=BackupLevel.GUEST, covers=("Tape",)),
    )
    [message] = messages(host(_tape_vm()), "HVB805", *points)
    assert message == (
        "Disk 'Tape' of VM 'VM1' is not in the host backup, and no guest-level backup of it "
        "was taken since the host backup before the last (2026-12-05 07:00 UTC) for the last "
        "host backup (2026-12-06 07:00 UTC): its last was taken 2026-12-05 05:00 UTC."
    )


def test_hvb805_with_no_guest_backup_at_all() -> None:
    """A disk outside the host backup that no guest-level backup holds is not protected."""
    [message] = messages(
        host(_tape_vm()), "HVB805", point(hours=24), point(level=BackupLevel.GUEST, covers=("X",))
    )
    assert "no guest-level backup of it was taken at all" in message
    assert message.endswith("it has none.")


def test_hvb805_near_miss() -> None:
    """A guest-level backup since the host backup before the last belongs to the last round."""
    points = (
        point(hours=48),
        point(hours=24),
        point(hours=25, level=BackupLevel.GUEST, covers=("Tape",)),
    )
    assert "HVB805" not in found(host(_tape_vm()), *points)
    # Disks are named as the inventory names them, letter case aside.
    lower = (*points[:2], point(hours=25, level=BackupLevel.GUEST, covers=("tape",)))
    assert "HVB805" not in found(host(_tape_vm()), *lower)
    # A guest-level point that names no disk holds the whole guest.
    assert "HVB805" not in found(host(_tape_vm()), point(hours=5), point(level=BackupLevel.GUEST))
    # No host backup: nothing to be behind.
    assert "HVB805" not in found(
        host(_tape_vm()), point(hours=2, level=BackupLevel.GUEST, covers=("X",))
    )


# --- HVB806 -----------------------------------------------------------------------------


def test_hvb806_less_consistent_than_predicted() -> None:
    """A point that holds a crash-consistent copy where the plan predicts application-consistent."""
    [message] = messages(host(running()), "HVB806", point(consistency=Consistency.CRASH_CONSISTENT))
    assert message == (
        "The last restore point of VM 'VM1' (2026-12-06 22:00 UTC, Contoso Backup) is "
        "crash-consistent, less than the application-consistent copy the plan predicts."
    )


def test_hvb806_near_miss() -> None:
    """As consistent as predicted, or unrecorded, or a VM that is off: nothing to compare."""
    assert found(host(running()), point(consistency=Consistency.APPLICATION_CONSISTENT)) == []
    assert found(host(running()), point()) == []
    off = VM(name="VM1", state=VMState.OFF)
    assert found(host(off), point(consistency=Consistency.CRASH_CONSISTENT)) == []
    # Only the last host-level point counts: an older, worse one does not.
    newer = point(hours=2, consistency=Consistency.APPLICATION_CONSISTENT)
    older = point(hours=30, consistency=Consistency.SAVED_STATE)
    assert found(host(running()), older, newer) == []


# --- HVB807 -----------------------------------------------------------------------------

COMPUTE = VirtualNetwork(name="Compute", kind=NetworkKind.EXTERNAL, physical_adapter="NIC1")


def test_hvb807_network_without_a_recorded_configuration() -> None:
    """Understanding backup options: virtual networks are left out; record their configuration."""
    target = host(running(), networks=(COMPUTE,))
    assert found(target, point()) == ["HVB807"]
    [message] = messages(target, "HVB807", point())
    assert message == (
        "Virtual network 'Compute' of host 'HV01' has no recorded configuration in the "
        "catalogue; a full server backup leaves it out."
    )


def test_hvb807_near_miss() -> None:
    """A record of the host's networks, or of the cluster's, names the network."""
    target = host(running(), networks=(COMPUTE,))
    record = NetworkRecord(host="hv01", taken_at=NOW, networks=["compute"])
    assert found(target, point(), networks=(record,)) == []
    cluster = Cluster(name="CLU", nodes=[target])
    shared = NetworkRecord(host="CLU", taken_at=NOW, networks=["Compute"])
    assert found(cluster, point(), networks=(shared,)) == []
    # No catalogue, no protection rule.
    assert [i for i in ids(check(target)) if i.startswith("HVB8")] == []


# --- the family as a whole ---------------------------------------------------------------


def test_without_a_catalogue_no_protection_rule_runs() -> None:
    """The rules of HVB8xx read a catalogue: without one, check() answers as before."""
    target = host(running(), networks=(COMPUTE,))
    assert [f for f in check(target) if f.rule.id.startswith("HVB8")] == []


def test_the_protection_checks_run_last_and_shape_no_outcome() -> None:
    """The protection phase comes after the cluster's, and its findings are no reasons."""
    assert Phase.PROTECTION > Phase.CLUSTER
    assert not Phase.PROTECTION.shapes_outcome
    assert all(c.needs_catalogue for c in PROTECTION_CHECKS)
    facts = Protection(Catalogue(), NOW, ["HV01"])
    view = evaluate(host(running()), protection=facts).vms[0]
    assert view.outcome.reasons == ()
    assert ids(view.findings) == ["HVB802"]


def test_every_rule_of_the_family_is_in_the_catalogue() -> None:
    """HVB801-HVB807, their severities as the pages weigh them."""
    family = {i: r.severity.value for i, r in RULES.items() if i.startswith("HVB8")}
    assert family == {
        "HVB801": "error",
        "HVB802": "error",
        "HVB803": "info",
        "HVB804": "info",
        "HVB805": "warning",
        "HVB806": "warning",
        "HVB807": "warning",
    }


def test_a_clustered_vm_is_matched_on_any_node() -> None:
    """A point taken on another node of the cluster is the VM's own, not its other side's."""
    vm = running(
        replication_role=ReplicationRole.REPLICA,
        cluster_group=ClusterGroup(
            name="VM1",
            owner_node="N1",
            cluster_resource=ON,
            configuration_resource=ON,
            storage_resource=ON,
        ),
    )
    cluster = Cluster(
        name="CLU",
        nodes=[Host(name="N1", os=LATER, vms=[vm]), Host(name="N2", os=LATER)],
    )
    assert found(cluster, point(hours=3, host="n2")) == []


def test_points_are_matched_by_id_before_name() -> None:
    """A VM created again under an old name is another VM: its id tells."""
    vm = running(id="1111")
    assert found(host(vm), point(vm_id="2222")) == ["HVB802"]
    assert found(host(vm), point(vm="RENAMED", vm_id="1111")) == []
    assert found(host(running()), point(vm="vm1", vm_id="2222")) == []


@pytest.mark.parametrize(
    ("policy", "given", "bound", "origin"),
    [
        (None, None, timedelta(days=7), MaxAgeFrom.WEEKLY),
        (None, timedelta(hours=36), timedelta(hours=36), MaxAgeFrom.GIVEN),
        (ProtectionPolicy(max_age=timedelta(days=2)), None, timedelta(days=2), MaxAgeFrom.POLICY),
        (
            ProtectionPolicy(
                max_age=timedelta(days=2),
                max_ages=[MaxAge(vm="vm1", max_age=timedelta(days=30), host="hv01")],
            ),
            timedelta(hours=36),
            timedelta(days=30),
            MaxAgeFrom.POLICY_VM,
        ),
        (
            ProtectionPolicy(max_ages=[MaxAge(vm="VM1", max_age=timedelta(days=30), host="X")]),
            timedelta(hours=36),
            timedelta(hours=36),
            MaxAgeFrom.GIVEN,
        ),
    ],
)
def test_the_maximum_age_of_a_vm(
    policy: ProtectionPolicy | None,
    given: timedelta | None,
    bound: timedelta,
    origin: MaxAgeFrom,
) -> None:
    """The policy's bound for the VM, else the one given, else the policy's, else a week."""
    facts = Protection(Catalogue(), NOW, ["HV01"], max_age=given, policy=policy)
    assert facts.bound("VM1", "HV01") == (bound, origin)


def test_a_policy_exception_leaves_a_finding_out_until_its_date() -> None:
    """Per-object exceptions: the VM's HVB802 is left out through the day of its expiry, not after."""
    target = host(running())
    exception = PolicyException(
        vm="VM1", rules=["HVB802"], reason="decommissioned", expires=date(2026, 12, 7)
    )
    policy = ProtectionPolicy(exceptions=[exception])
    assert found(target, point("OTHER"), policy=policy) == []
    later = check(target, backups=Catalogue(), now=NOW + timedelta(days=1), policy=policy)
    assert ids(later) == ["HVB802"]


def test_an_assessment_of_a_future_point_is_not_negative() -> None:
    """A point dated a little after the time of the check (a clock ahead) is of age zero."""
    facts = Protection(Catalogue(points=[point(hours=-0.5)]), NOW, ["HV01"])
    found_ = assess(running(), "HV01", facts, replicas=True)
    assert found_.age == timedelta()
    assert found_.state is ProtectionState.PROTECTED
    # Hours later, it was taken after the time asked about: it does not count.
    later = Protection(Catalogue(points=[point(hours=9), point(hours=-2)]), NOW, ["HV01"])
    found_ = assess(running(), "HV01", later, replicas=True)
    assert found_.last_good is not None
    assert found_.age == timedelta(hours=9)
    assert found_.points == 1
    assert newest([]) is None
    older, younger = point(hours=5), point(hours=1)
    assert newest([younger, older]) is younger


def test_protection_needs_an_aware_time() -> None:
    """No time zone is guessed: a naive time of the check is refused."""
    with pytest.raises(ValueError, match="aware"):
        Protection(Catalogue(), datetime(2026, 12, 7), ["HV01"])


def test_the_last_good_point_holds_the_whole_vm() -> None:
    """A guest point of some disks, or a host point of a VM whose disks the host cannot see, is not the VM's."""
    two = running(
        disks=[
            Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK),
            Disk(name="Tape", attachment=Attachment.PASS_THROUGH),
        ]
    )
    partial = point(hours=2, level=BackupLevel.GUEST, covers=("Tape",))
    facts = Protection(Catalogue(points=[point(hours=24 * 30), partial]), NOW, ["HV01"])
    found_ = assess(two, "HV01", facts, replicas=True)
    assert found_.state is ProtectionState.STALE
    assert found_.age == timedelta(days=30)
    whole = point(hours=2, level=BackupLevel.GUEST, covers=("system", "TAPE"))
    facts = Protection(Catalogue(points=[whole]), NOW, ["HV01"])
    assert assess(two, "HV01", facts, replicas=True).state is ProtectionState.PROTECTED
    # The host holds only the configuration of a VM of pass-through disks.
    archive = running(disks=[Disk(name="Archive", attachment=Attachment.PASS_THROUGH)])
    facts = Protection(Catalogue(points=[point(hours=2)]), NOW, ["HV01"])
    assert assess(archive, "HV01", facts, replicas=True).state is ProtectionState.NO_GOOD
    assert assess(running(disks=[]), "HV01", facts, replicas=True).state is (
        ProtectionState.PROTECTED
    )


def test_a_point_taken_on_the_cluster_or_a_node_named_in_full_is_the_vms_own() -> None:
    """Not the other side of a Replica pair: the cluster's name and a node's FQDN are inside."""
    primary = running(replication_role=ReplicationRole.PRIMARY)
    for where in ("HVCLUSTER", "hv01.contoso.com"):
        facts = Protection(
            Catalogue(points=[point(hours=2, host=where)]), NOW, ["HV01"], cluster="HVCLUSTER"
        )
        found_ = assess(primary, "HV01", facts, replicas=True)
        assert found_.state is ProtectionState.PROTECTED, where
        assert found_.other_side is None
