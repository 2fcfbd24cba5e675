"""HVB9xx: checkpoints, differencing disks, change tracking and space, each rule with a trigger and a near miss.

Docstrings name the page and heading each rule cites: the Best Practices
Analyzer's "Avoid using checkpoints on a virtual machine that runs a server
workload in a production environment" (Impact), KB3059372 (Symptoms), the
backup troubleshooting guide ("Resolution: Checkpoint and AVHDX file
management"), the checkpoint troubleshooting guide ("Checkpoints not visible
(orphaned or aged snapshots)"), the analyzer's "Recovery snapshots should be
removed after failover" (Issue), "Cluster operating system rolling upgrade",
DPM's notes of 2016 ("Enabling RCT VM backup") and DPM's "Backup
prerequisites".
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hyperv_backup import (
    VM,
    Attachment,
    BackupApplication,
    Checkpoint,
    Cluster,
    ClusterGroup,
    Disk,
    Host,
    HostOS,
    HygieneSettings,
    ReplicationRole,
    ResourceState,
    Severity,
    SnapshotType,
    VMState,
    backup_outcome,
    backup_plan,
    check,
)
from hyperv_backup.model import HostVolume, ModelError
from hyperv_backup.rules import RULES, Claim
from hyperv_backup.rules.hygiene import checkpoint_age, differencing_files
from tests.builders import HOST, assert_finding, ids, ntfs, only

WS2022 = HostOS.WINDOWS_SERVER_2022
R2 = HostOS.WINDOWS_SERVER_2012_R2
NOW = datetime(2024, 5, 6, 21, 14, 7, tzinfo=UTC)
GIB = 2**30
STANDARD, RECOVERY = SnapshotType.STANDARD, SnapshotType.RECOVERY
FOLDER = "D:\\Hyper-V\\VM1\\"
BASE = f"{FOLDER}VM1.vhdx"
FIRST = f"{FOLDER}VM1_6B8F1C2A-0D3E-4F5A-9B7C-1D2E3F4A5B6C.avhdx"
SECOND = f"{FOLDER}VM1_0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9.avhdx"


def taken(days: float = 0, hours: float = 0) -> datetime:
    return NOW - timedelta(days=days, hours=hours)


def point(name: str, kind: SnapshotType | None = STANDARD, **fields: object) -> Checkpoint:
    return Checkpoint(name=name, snapshot_type=kind, **fields)  # type: ignore[arg-type]


def vhd(path: str = BASE, *, chain: tuple[str, ...] = (), size: int | None = None) -> Disk:
    return Disk(
        name="System",
        attachment=Attachment.VIRTUAL_HARD_DISK,
        volumes=[ntfs()],
        path=path,
        chain=chain,
        file_size=size,
    )


def vm(*checkpoints: Checkpoint, **fields: object) -> VM:
    """Return running VM1 with one virtual hard disk and the given checkpoints."""
    fields.setdefault("state", VMState.RUNNING)
    fields.setdefault("disks", (vhd(),))
    fields.setdefault("configuration_version", "10.0")
    return VM(name="VM1", checkpoints=checkpoints, **fields)  # type: ignore[arg-type]


def host(*vms: VM, os: HostOS = WS2022, **fields: object) -> Host:
    fields.setdefault("collected_at", NOW)
    return Host(name=HOST, os=os, vms=vms, **fields)  # type: ignore[arg-type]


def fired(target: Host | Cluster, settings: HygieneSettings | None = None) -> list[str]:
    return ids(check(target, settings=settings))


# --- HVB901: checkpoints older than the age limit ----------------------------------------


def test_hvb901_old_checkpoints() -> None:
    """Analyzer, Impact: checkpoint files can fill the disk; kept past seven days is read as left."""
    target = host(
        vm(
            point("Before update", created_at=taken(days=74)),
            point("After update", created_at=taken(days=9)),
            point("Yesterday", created_at=taken(days=1)),
        )
    )
    found = only(check(target), "HVB901")
    assert_finding(found, "HVB901", Severity.WARNING, "VM1", host=HOST, vm="VM1")
    assert "2 checkpoints older than 7 days" in found.message
    # The oldest first, with its age at the time the facts were collected.
    assert "'Before update' (74 days), 'After update' (9 days)" in found.message
    assert "Yesterday" not in found.message


def test_hvb901_lists_a_few_and_counts_the_rest() -> None:
    many = [point(f"Daily {n}", created_at=taken(days=10 + n)) for n in range(5)]
    message = only(check(host(vm(*many))), "HVB901").message
    assert message.count("Daily") == 3
    assert "and 2 more" in message


def test_hvb901_the_limit_and_the_time_are_settings() -> None:
    """--checkpoint-age sets the limit; ``at`` measures ages at another time than the collection."""
    target = host(vm(point("Before update", created_at=taken(days=1, hours=5))))
    assert "HVB901" not in fired(target)
    message = only(
        check(target, settings=HygieneSettings(checkpoint_age=timedelta(hours=12))), "HVB901"
    ).message
    assert "older than 12 hours: 'Before update' (29 hours)" in message
    undated = host(vm(point("Before update", created_at=taken(days=1))), collected_at=None)
    assert "HVB901" not in fired(undated)
    later = HygieneSettings(at=NOW + timedelta(days=30))
    assert "HVB901" in fired(undated, later)


def test_hvb901_near_miss() -> None:
    """Young, undated, recovery and replica checkpoints are not measured here."""
    target = host(
        vm(
            point("Fresh", created_at=taken(days=6)),
            point("Undated"),
            point("Backup", RECOVERY, created_at=taken(days=40)),
            point("Replica", SnapshotType.REPLICA, created_at=taken(days=40)),
        )
    )
    assert "HVB901" not in fired(target)
    # The 2008 profile answers by the guidance, which has no such rule.
    assert "HVB901" not in ids(check(target, profile="2008"))


# --- HVB902: more checkpoints than the count limit ---------------------------------------


def test_hvb902_too_many_checkpoints() -> None:
    """Analyzer, Impact: each checkpoint is a differencing disk; more than three is read as too many."""
    target = host(vm(*(point(f"Checkpoint {n}") for n in range(4))))
    found = only(check(target), "HVB902")
    assert_finding(found, "HVB902", Severity.WARNING, "VM1", host=HOST, vm="VM1")
    assert "4 checkpoints, more than 3" in found.message
    names_only = host(VM(name="VM1", state=VMState.OFF, snapshots=["a", "b", "c", "d"]))
    assert "HVB902" in fired(names_only)


def test_hvb902_near_miss() -> None:
    """Three checkpoints, or replica recovery points beyond them, stay within the limit."""
    replicas = (point(f"Point {n}", SnapshotType.APP_CONSISTENT_REPLICA) for n in range(5))
    target = host(vm(point("a"), point("b"), point("c"), *replicas))
    assert "HVB902" not in fired(target)
    assert "HVB902" in fired(target, HygieneSettings(checkpoint_count=2))


# --- HVB903: a recovery checkpoint a backup left ----------------------------------------


def test_hvb903_recovery_checkpoint_left() -> None:
    """KB3059372, Symptoms: a failed backup leaves checkpoints of the Recovery kind behind."""
    target = host(vm(point("VM1 - Backup", RECOVERY, created_at=taken(days=3))))
    found = only(check(target), "HVB903")
    assert_finding(found, "HVB903", Severity.WARNING, "VM1 - Backup", host=HOST, vm="VM1")
    assert "taken 3 days before the facts were collected" in found.message
    assert "(8 hours)" in found.message


def test_hvb903_an_undated_recovery_checkpoint_may_be_a_running_backup() -> None:
    message = only(check(host(vm(point("Backup", RECOVERY)))), "HVB903").message
    assert "unless a backup was running" in message


def test_hvb903_near_miss() -> None:
    """A recovery checkpoint younger than the backup window may be a backup still running."""
    target = host(vm(point("Backup", RECOVERY, created_at=taken(hours=2)), point("Standard")))
    assert "HVB903" not in fired(target)
    assert "HVB903" in fired(target, HygieneSettings(window=1))


# --- HVB904: differencing disks no disk or checkpoint uses -------------------------------


def test_hvb904_unused_differencing_disk() -> None:
    """Backup troubleshooting, AVHDX file management: an AVHDX the checkpoints do not list is orphaned."""
    target = host(vm(avhdx_files=[SECOND.lower(), FIRST], disks=[vhd(FIRST, chain=(BASE,))]))
    found = only(check(target), "HVB904")
    assert_finding(found, "HVB904", Severity.WARNING, "VM1", host=HOST, vm="VM1")
    assert "1 differencing disk that no disk or checkpoint uses" in found.message
    assert SECOND.lower() in found.message


def test_hvb904_files_other_vms_of_the_cluster_use_are_in_use() -> None:
    """A folder shared with another VM, even one on another node, holds that VM's files too."""
    other = VM(
        name="VM2",
        state=VMState.RUNNING,
        disks=[Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK, path=SECOND)],
        cluster_group=ClusterGroup(
            name="VM2 Resources",
            owner_node="HV02",
            cluster_resource=ResourceState.ONLINE,
            configuration_resource=ResourceState.ONLINE,
            storage_resource=ResourceState.ONLINE,
        ),
    )
    mine = vm(avhdx_files=[SECOND])
    cluster = Cluster(
        name="C1",
        nodes=[host(mine), Host(name="HV02", os=WS2022, vms=[other])],
        functional_level=11,
    )
    assert "HVB904" not in fired(cluster)
    assert "HVB904" in fired(host(mine))


def test_hvb904_files_in_use_are_worked_out_once_per_host() -> None:
    """Every VM of the host is answered from the same files in use, whichever asks first."""
    first = vm(
        avhdx_files=[SECOND], disks=[Disk(name="New", attachment=Attachment.VIRTUAL_HARD_DISK)]
    )
    second = VM(name="VM2", state=VMState.OFF, avhdx_files=[SECOND, FIRST], disks=[vhd(FIRST)])
    findings = [f for f in check(host(first, second)) if f.rule.id == "HVB904"]
    assert [f.vm for f in findings] == ["VM1", "VM2"]
    assert all(FIRST.replace("\\", "\\\\") not in f.message for f in findings)


def test_hvb904_near_miss() -> None:
    """Files used by the disk, its chain or a checkpoint; files whose checkpoint is not known."""
    used = vm(
        point("Before update", disk_paths=[FIRST]),
        avhdx_files=[FIRST, SECOND, f"{FOLDER}VM1.vhdx.rct"],
        disks=[vhd(SECOND, chain=(FIRST, BASE))],
    )
    assert "HVB904" not in fired(host(used))
    unknown = vm(point("Before update"), avhdx_files=[f"{FOLDER}old.avhdx"])
    assert "HVB904" not in fired(host(unknown))
    assert "HVB904" not in fired(host(vm()))


# --- HVB905: a chain deeper than the checkpoints -----------------------------------------


def test_hvb905_chain_deeper_than_checkpoints() -> None:
    """Checkpoint troubleshooting, orphaned snapshots: a differencing file no checkpoint explains."""
    target = host(vm(disks=[vhd(FIRST, chain=(BASE,))]))
    found = only(check(target), "HVB905")
    assert_finding(found, "HVB905", Severity.WARNING, "System", host=HOST, vm="VM1")
    assert "1 differencing file made by checkpoints, but the VM has 0 checkpoints" in found.message
    deeper = host(vm(point("Before update"), disks=[vhd(SECOND, chain=(FIRST, BASE))]))
    assert "2 differencing files" in only(check(deeper), "HVB905").message


def test_hvb905_near_miss() -> None:
    """One differencing file per checkpoint, a differencing .vhdx of one's own, or no chain."""
    explained = vm(point("Before update"), disks=[vhd(FIRST, chain=(BASE,))])
    own_parent = vm(disks=[vhd(f"{FOLDER}child.vhdx", chain=(f"{FOLDER}parent.vhdx",))])
    by_name = VM(name="VM1", state=VMState.OFF, snapshots=["a"], disks=[vhd(FIRST, chain=(BASE,))])
    for target in (explained, own_parent, by_name, vm()):
        assert "HVB905" not in fired(host(target))


def test_differencing_files_count_the_disk_and_its_parents() -> None:
    assert differencing_files(vhd(SECOND, chain=(FIRST, BASE))) == 2
    assert differencing_files(Disk(name="D", attachment=Attachment.VIRTUAL_HARD_DISK)) == 0
    assert (
        differencing_files(
            Disk(name="D", attachment=Attachment.VIRTUAL_HARD_DISK, chain=("x.AVHD",))
        )
        == 1
    )


# --- HVB906: Hyper-V Replica's recovery points -------------------------------------------


def test_hvb906_replica_recovery_points() -> None:
    """Get-VMSnapshot lists a replica's recovery points with its checkpoints; they are not counted."""
    replica = vm(
        point("Point 1", SnapshotType.REPLICA),
        point("Point 2", SnapshotType.SYNCED_REPLICA),
        state=VMState.OFF,
        replication_role=ReplicationRole.REPLICA,
    )
    found = only(check(host(replica)), "HVB906")
    assert_finding(found, "HVB906", Severity.INFO, "VM1", host=HOST, vm="VM1")
    assert "2 recovery points of Hyper-V Replica; they are not counted" in found.message
    assert replica.snapshots == ()
    assert "HVB105" not in fired(host(replica))


def test_hvb906_after_a_failover_they_should_be_removed() -> None:
    """Analyzer, "Recovery snapshots should be removed after failover": Complete-VMFailover removes them."""
    running = vm(point("Point", SnapshotType.REPLICA), replication_role=ReplicationRole.REPLICA)
    found = only(check(host(running)), "HVB906")
    assert found.severity is Severity.WARNING
    assert "runs and holds 1 recovery point" in found.message
    primary = vm(point("Point", SnapshotType.REPLICA), state=VMState.OFF)
    assert "is no longer a replica" in only(check(host(primary)), "HVB906").message


def test_hvb906_near_miss() -> None:
    assert "HVB906" not in fired(host(vm(point("Before update"), state=VMState.OFF)))


# --- HVB907, HVB908: resilient change tracking -------------------------------------------


def _mixed(*vms: VM, level: int | None = None) -> Cluster:
    return Cluster(
        name="C1",
        nodes=[host(*vms), Host(name="HV02", os=R2)],
        functional_level=level,
    )


def test_hvb907_cluster_at_the_2012_r2_level() -> None:
    """Rolling upgrade: the 2016 features wait for every node and the raised functional level."""
    target = _mixed(vm())
    found = only(check(target), "HVB907")
    assert_finding(found, "HVB907", Severity.WARNING, "VM1", host=HOST, vm="VM1")
    assert "C1" in found.message
    outcome = backup_plan(target).outcomes["VM1"]
    assert outcome.incremental is False
    assert [r.rule.id for r in outcome.incremental_reasons] == ["HVB907"]
    # The reason is given once: the version cannot be upgraded before the level is.
    old = _mixed(vm(configuration_version="5.0"))
    assert "HVB908" not in fired(old)
    raised_late = Cluster(name="C1", nodes=[host(vm())], functional_level=8)
    assert "HVB907" in fired(raised_late)


def test_hvb907_holds_whatever_copies_the_vm() -> None:
    """A backup application that goes around Hyper-V does not give the disks their tracking."""
    around = BackupApplication(name="Agent", uses_hyperv_vss_writer=False, uses_wmi_backup=True)
    cluster = Cluster(
        name="C1", nodes=[host(vm(), backup_application=around), Host(name="HV02", os=R2)]
    )
    outcome = backup_plan(cluster).outcomes["VM1"]
    assert "HVB109" in [r.rule.id for r in outcome.reasons]
    assert outcome.incremental is False
    assert [r.rule.id for r in outcome.incremental_reasons] == ["HVB907"]


def test_hvb907_near_miss() -> None:
    """All nodes on 2016 or later at their level; or no disk the host sees."""
    upgraded = Cluster(name="C1", nodes=[host(vm())], functional_level=11)
    assert "HVB907" not in fired(upgraded)
    passthrough = vm(disks=[Disk(name="Data", attachment=Attachment.PASS_THROUGH)])
    assert "HVB907" not in fired(_mixed(passthrough))
    level_not_known = Cluster(name="C1", nodes=[host(vm()), Host(name="HV02", os=WS2022)])
    assert "HVB907" not in fired(level_not_known)
    assert "HVB907" not in ids(check(_mixed(vm()), profile="2012"))


def test_hvb908_configuration_version_before_8() -> None:
    """DPM 2016, Enabling RCT VM backup: VMs from 2012 R2 or earlier have no RCT until upgraded."""
    target = host(vm(configuration_version="7.1"), os=HostOS.WINDOWS_SERVER_2019)
    found = only(check(target), "HVB908")
    assert_finding(found, "HVB908", Severity.WARNING, "VM1", host=HOST, vm="VM1")
    assert "configuration version 7.1" in found.message
    outcome = backup_outcome(target.vms[0], target)
    assert outcome.incremental is False
    assert [r.rule.id for r in outcome.incremental_reasons] == ["HVB908"]
    assert "HVB908" in fired(host(vm(configuration_version="5.0"), os=HostOS.WINDOWS_SERVER_2016))


def test_hvb908_near_miss() -> None:
    """8.0 and later; a version the host cannot run (HVB609 says more); no version known."""
    assert "HVB908" not in fired(host(vm(configuration_version="8.0")))
    unsupported = fired(host(vm(configuration_version="5.0")))
    assert "HVB609" in unsupported
    assert "HVB908" not in unsupported
    assert "HVB908" not in fired(host(vm(configuration_version=None)))


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (host(vm()), True),
        (host(vm(configuration_version=None)), None),
        (host(vm(configuration_version="9.0"), os=R2), None),
        (host(vm(disks=[Disk(name="Data", attachment=Attachment.GUEST_ISCSI)])), None),
        (
            host(
                vm(),
                backup_application=BackupApplication(
                    name="Contoso Agent", uses_hyperv_vss_writer=False, uses_wmi_backup=False
                ),
            ),
            None,
        ),
    ],
    ids=[
        "2022, version 10.0",
        "version not known",
        "2012 R2",
        "no visible disk",
        "without Hyper-V",
    ],
)
def test_incremental_is_answered_where_hyper_v_can_say(target: Host, expected: bool | None) -> None:
    """True when the node, cluster and VM meet resilient change tracking's conditions."""
    outcome = backup_outcome(target.vms[0], target)
    assert outcome.incremental is expected
    assert outcome.incremental_reasons == ()


# --- HVB909: the estimated space of the next backup's differencing disks -----------------


def _spacious(free: int, app: BackupApplication | None = None) -> Host:
    return host(
        vm(disks=[vhd(size=200 * GIB)]),
        host_volumes=[HostVolume(name="D:\\", free_space=free)],
        backup_application=app,
    )


def test_hvb909_estimated_space() -> None:
    """DPM, Backup prerequisites: disk size x churn x window; 1% an hour over 8 hours unless set."""
    found = only(check(_spacious(10 * GIB)), "HVB909")
    assert_finding(found, "HVB909", Severity.WARNING, "D:\\", host=HOST, vm=None)
    assert "has 10.0 GiB free" in found.message
    assert "need about 16.0 GiB by the estimate: 200.0 GiB of virtual hard disks" in found.message
    assert "times 1% an hour times 8 hours" in found.message
    app = BackupApplication(name="Contoso Agent")
    assert "HVB909" in fired(_spacious(10 * GIB, app))
    settings = HygieneSettings(churn=0.5, window=2.5)
    message = only(check(_spacious(GIB), settings=settings), "HVB909").message
    assert "need about 2.5 GiB" in message
    assert "0.5% an hour times 2.5 hours" in message


def test_hvb909_near_miss() -> None:
    """Room enough; a backup application with a churn of its own (HVB111); no volumes listed."""
    assert "HVB909" not in fired(_spacious(17 * GIB))
    churned = BackupApplication(name="DPM", churn_percent=10)
    answered = fired(_spacious(10 * GIB, churned))
    assert "HVB909" not in answered
    assert "HVB111" in answered
    assert "HVB909" not in fired(host(vm(disks=[vhd(size=200 * GIB)])))
    # A disk of unknown size, and one on a volume the host does not list.
    data = Disk(
        name="Data",
        attachment=Attachment.VIRTUAL_HARD_DISK,
        path="E:\\VM1\\data.vhdx",
        file_size=900 * GIB,
    )
    elsewhere = host(
        vm(disks=[vhd(size=None), data]), host_volumes=[HostVolume(name="D:\\", free_space=GIB)]
    )
    assert "HVB909" not in fired(elsewhere)


# --- the family ---------------------------------------------------------------------------


def test_the_family_cites_its_pages() -> None:
    """Stated where the page says it; the limits and thresholds are inferences, with entries."""
    claims = {rule_id: RULES[rule_id].source.claim for rule_id in RULES if rule_id >= "HVB9"}
    inferred = {"HVB901", "HVB902", "HVB905", "HVB907", "HVB908"}
    assert {r for r, c in claims.items() if c is Claim.INFERRED} == inferred
    assert len(claims) == 9


def test_checkpoint_age_needs_both_times() -> None:
    dated = point("a", created_at=taken(days=2))
    assert checkpoint_age(dated, NOW) == timedelta(days=2)
    assert checkpoint_age(dated, None) is None
    assert checkpoint_age(point("b"), NOW) is None


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"checkpoint_age": timedelta(0)}, "checkpoint_age"),
        ({"checkpoint_age": 7}, "checkpoint_age"),
        ({"checkpoint_count": -1}, "checkpoint_count"),
        ({"checkpoint_count": 2.0}, "checkpoint_count"),
        ({"churn": 0}, "churn"),
        ({"churn": 101}, "churn"),
        ({"churn": "1"}, "churn"),
        ({"window": 0}, "window"),
        ({"window": 24 * 7 + 1}, "window"),
        ({"at": "2024-05-06"}, "at"),
    ],
)
def test_settings_refuse_what_makes_no_sense(fields: dict[str, object], path: str) -> None:
    with pytest.raises(ModelError) as info:
        HygieneSettings(**fields)  # type: ignore[arg-type]
    assert info.value.path == path


def test_settings_read_a_time_without_a_zone_as_utc() -> None:
    at = HygieneSettings(at=datetime(2024, 5, 6, 21, 14, 7)).at
    assert at == NOW
    assert HygieneSettings(churn=50, window=168).written_share == 100.0
