"""Checkpoints, differencing disks, change tracking and space (HVB9xx): what earlier backups left.

A backup that goes through a checkpoint leaves nothing behind when it ends:
Hyper-V merges the checkpoint's differencing disk back into its parent. These
rules look for what is left when that did not happen, or when checkpoints are
kept on purpose: checkpoints older or more numerous than the limits of
:class:`~hyperv_backup.rules.settings.HygieneSettings`, recovery checkpoints
a backup did not clean up, differencing disks no checkpoint uses, and chains
deeper than the checkpoints explain. Hyper-V Replica's recovery points are
listed with the checkpoints but are not counted as checkpoints. Then whether
the next backup can be incremental through resilient change tracking, and
whether each volume has room for the differencing disks of the next backup.

No page gives an age or a number of checkpoints that is too many: those
limits are the user's, and the rules that use them are inferred from what the
pages say of checkpoints (they are not backups, their files grow until the
disk is full, a merge needs room). Each rule cites its page and heading, and
says whether the page states it or the project infers it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from hyperv_backup._base import public_dir
from hyperv_backup._base.quoting import quoted
from hyperv_backup.model import (
    VM,
    Checkpoint,
    Disk,
    Host,
    ReplicationRole,
    SnapshotType,
    computer_key,
)
from hyperv_backup.rules._space import gib, volume_needs
from hyperv_backup.rules.check import Check, CheckResult, Context, Effect, Phase, Scope
from hyperv_backup.rules.pages import (
    BACKUP_TROUBLESHOOTING,
    BPA_CHECKPOINTS,
    BPA_RECOVERY_SNAPSHOTS,
    CHECKPOINT_TROUBLESHOOTING,
    DPM_HYPERV,
    DPM_WHATS_NEW_2016,
    RECOVERY_CHECKPOINT_KB,
    ROLLING_UPGRADE,
)
from hyperv_backup.rules.profiles import Profile, ReleaseFacts
from hyperv_backup.rules.rule import Rule, Severity
from hyperv_backup.rules.source import Claim, Page, Source

__all__ = [
    "CHAIN_DEEPER_THAN_CHECKPOINTS",
    "CHECKPOINTS_TOO_MANY",
    "CHECKPOINTS_TOO_OLD",
    "CLUSTER_LEVEL_NO_CHANGE_TRACKING",
    "ESTIMATED_DIFFERENCING_SPACE",
    "HYGIENE_CHECKS",
    "HYGIENE_RULES",
    "RCT_VERSION",
    "RECOVERY_CHECKPOINT_LEFT",
    "REPLICA_RECOVERY_POINTS",
    "UNUSED_DIFFERENCING_DISKS",
    "checkpoint_age",
    "differencing_files",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: Both later profiles: checkpoints and differencing disks are theirs.
_LATER = frozenset({Profile.WS2012, Profile.WS2016})
#: The extensions of the differencing disk files a checkpoint makes: ``.avhdx``
#: from Windows Server 2012 on (VHDX), ``.avhd`` before.
_DIFFERENCING = (".avhdx", ".avhd")
#: The configuration version read as the first with resilient change tracking.
_RCT_VERSION = (8, 0)
#: How many names a message lists before it counts the rest.
_LISTED = 3


def _inferred(inference: str, anchor: str, page: Page, heading: str) -> Source:
    """Return the source of a claim the project infers from ``page``, read as ``anchor`` says."""
    return Source(
        page=page, heading=heading, claim=Claim.INFERRED, inference=inference, anchor=anchor
    )


def _span(span: timedelta) -> str:
    """Say a span of time in whole days, or in hours below two days: ``'74 days'``, ``'5 hours'``."""
    hours = span.total_seconds() / 3600
    if hours >= 48:
        return f"{span.days} days"
    whole = int(hours)
    return "1 hour" if whole == 1 else f"{whole} hours"


def _listed(items: Sequence[str]) -> str:
    """List the first few of ``items``, and count the others."""
    shown = ", ".join(items[:_LISTED])
    rest = len(items) - _LISTED
    return f"{shown} and {rest} more" if rest > 0 else shown


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _at(ctx: Context) -> datetime | None:
    """Return the time checkpoint ages are measured at: the settings', or the host's collection."""
    return ctx.settings.at or ctx.host.collected_at


def checkpoint_age(checkpoint: Checkpoint, at: datetime | None) -> timedelta | None:
    """Return how old ``checkpoint`` was at ``at``, or ``None`` when either time is not known.

    >>> from datetime import UTC
    >>> taken = Checkpoint(name="Before update", created_at=datetime(2024, 5, 1, tzinfo=UTC))
    >>> checkpoint_age(taken, datetime(2024, 5, 6, tzinfo=UTC)).days
    5
    """
    if at is None or checkpoint.created_at is None:
        return None
    return at - checkpoint.created_at


def differencing_files(disk: Disk) -> int:
    r"""Count the differencing files a checkpoint makes in ``disk``'s chain, the disk included.

    >>> from hyperv_backup.model import Attachment
    >>> differencing_files(Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK,
    ...     path="D:\\VM\\os_6B8F.avhdx", chain=["D:\\VM\\os.vhdx"]))
    1
    """
    paths = disk.chain if disk.path is None else (disk.path, *disk.chain)
    return sum(1 for path in paths if path.casefold().endswith(_DIFFERENCING))


#: HVB901.
CHECKPOINTS_TOO_OLD = Rule(
    id="HVB901",
    title="Checkpoint older than the age limit",
    severity=Severity.WARNING,
    profiles=_LATER,
    source=_inferred(
        "The analyzer flags every checkpoint of a VM that runs a production workload, since "
        "checkpoint files can use up the disk that holds them; a checkpoint kept past the age "
        "limit is read as one nothing needs any more. The limit is the user's "
        "(--checkpoint-age), not the page's.",
        "hvb901",
        BPA_CHECKPOINTS,
        "Impact",
    ),
    description=(
        "The VM has checkpoints older than the age limit (seven days unless set). A "
        "checkpoint is no backup, and while it is kept its differencing disk takes every "
        "write of the VM; when the disk that holds it is full, the VMs with files there are "
        "paused. Ages are measured at the time the host's facts were collected. Recovery "
        "checkpoints have a rule of their own (HVB903), and Hyper-V Replica's recovery "
        "points are not counted (HVB906)."
    ),
    remedy=(
        "Delete the checkpoints that are no longer needed (Remove-VMSnapshot); Hyper-V merges "
        "their differencing disks into their parents. Keep backups for recovery."
    ),
)


def _too_old(vm: VM, ctx: Context) -> CheckResult:
    if not vm.checkpoints:
        return None
    at = _at(ctx)
    limit = ctx.settings.checkpoint_age
    old = [
        (age, checkpoint.name)
        for checkpoint in vm.checkpoints
        if not checkpoint.is_replica
        and checkpoint.snapshot_type is not SnapshotType.RECOVERY
        and (age := checkpoint_age(checkpoint, at)) is not None
        and age > limit
    ]
    if not old:
        return None
    old.sort(key=lambda item: item[0], reverse=True)
    names = _listed([f"{quoted(name)} ({_span(age)})" for age, name in old])
    return ctx.finding(
        CHECKPOINTS_TOO_OLD,
        vm.name,
        f"VM {quoted(vm.name)} has {_plural(len(old), 'checkpoint')} older than {_span(limit)}: "
        f"{names}; a checkpoint is no backup, and its differencing disk keeps growing.",
    )


#: HVB902.
CHECKPOINTS_TOO_MANY = Rule(
    id="HVB902",
    title="More checkpoints than the count limit",
    severity=Severity.WARNING,
    profiles=_LATER,
    source=_inferred(
        "The analyzer flags every checkpoint of a VM that runs a production workload, since "
        "checkpoint files can use up the disk that holds them; more checkpoints than the "
        "limit are read as more differencing disks than anything needs. The limit is the "
        "user's (--checkpoint-count), not the page's.",
        "hvb902",
        BPA_CHECKPOINTS,
        "Impact",
    ),
    description=(
        "The VM has more checkpoints than the count limit (three unless set). Each is a "
        "differencing disk in the chain the VM's writes go through, each holds space until "
        "it is deleted and merged, and a backup that goes through a checkpoint adds one "
        "more. Hyper-V Replica's recovery points are not counted (HVB906)."
    ),
    remedy=(
        "Delete the checkpoints that are no longer needed (Remove-VMSnapshot); keep backups "
        "for recovery."
    ),
)


def _too_many(vm: VM, ctx: Context) -> CheckResult:
    # The snapshot names are the checkpoints less Hyper-V Replica's recovery points.
    count, limit = len(vm.snapshots), ctx.settings.checkpoint_count
    if count <= limit:
        return None
    return ctx.finding(
        CHECKPOINTS_TOO_MANY,
        vm.name,
        f"VM {quoted(vm.name)} has {count} checkpoints, more than {limit}: each is a differencing "
        "disk its writes go through until it is deleted and merged.",
    )


#: HVB903.
RECOVERY_CHECKPOINT_LEFT = Rule(
    id="HVB903",
    title="Recovery checkpoint left by a backup",
    severity=Severity.WARNING,
    profiles=_LATER,
    source=Source(page=RECOVERY_CHECKPOINT_KB, heading="Symptoms"),
    description=(
        "The VM holds a checkpoint of the Recovery kind: the kind a backup application "
        "asks Hyper-V for during a backup, and merges away when the backup ends. One that "
        "was taken longer ago than a backup runs (the backup window, eight hours unless "
        "set) was left by a backup that did not finish; one of unknown age was, unless a "
        "backup was running when the facts were collected. The article says Hyper-V "
        "Manager offers no action on such checkpoints and Get-VMSnapshot lists them with "
        "their kind; the backup troubleshooting guide adds that checkpoints left by "
        "incomplete backups can make later backups fail."
    ),
    remedy=(
        "Delete the recovery checkpoint (Get-VMSnapshot -VMName <vm> -SnapshotType Recovery "
        "| Remove-VMSnapshot) so that Hyper-V merges it, or merge its differencing disk by "
        "hand as the article says; then find out why the backup did not finish."
    ),
)


def _recovery_left(vm: VM, ctx: Context) -> CheckResult:
    if not vm.checkpoints:
        return None
    at, window = _at(ctx), timedelta(hours=ctx.settings.window)
    found = []
    for checkpoint in vm.checkpoints:
        if checkpoint.snapshot_type is not SnapshotType.RECOVERY:
            continue
        age = checkpoint_age(checkpoint, at)
        if age is None:
            why = (
                "unless a backup was running when the facts were collected, a backup that "
                "did not finish left it"
            )
        elif age > window:
            why = (
                f"it was taken {_span(age)} before the facts were collected, longer ago than "
                f"a backup runs ({_span(window)}): a backup that did not finish left it"
            )
        else:
            continue  # a backup may still be running
        found.append(
            ctx.finding(
                RECOVERY_CHECKPOINT_LEFT,
                checkpoint.name,
                f"VM {quoted(vm.name)} holds recovery checkpoint {quoted(checkpoint.name)}; {why}.",
            )
        )
    return found or None


#: HVB904.
UNUSED_DIFFERENCING_DISKS = Rule(
    id="HVB904",
    title="Differencing disk that no disk or checkpoint uses",
    severity=Severity.WARNING,
    profiles=_LATER,
    source=Source(
        page=BACKUP_TROUBLESHOOTING, heading="Resolution: Checkpoint and AVHDX file management"
    ),
    description=(
        "A differencing disk file (.avhdx, .avhd) lies in one of the VM's folders, and no "
        "disk of any VM of the host or cluster, no parent in their chains and no checkpoint "
        "uses it. The guide has orphaned differencing disks found this way, by comparing "
        "the checkpoints with the files in the VM's folder, and says incomplete backups "
        "leave them. Such a file holds writes the VM no longer sees, and takes space. It is "
        "looked for only where the files of every checkpoint of the VM are known."
    ),
    remedy=(
        "Check the file's parent (Get-VHD -Path <file>); merge it into its parent with "
        "Merge-VHD or the Edit Disk wizard if its writes are needed, with the VM shut down, "
        "and remove it otherwise. Never delete a differencing disk a checkpoint still uses."
    ),
)

#: Where the files every VM of a host (or cluster) uses are kept, in a walk's memo.
_IN_USE = "hygiene.files_in_use"


def _files_in_use(ctx: Context) -> frozenset[str]:
    """Return the files every VM of the context's host, or cluster, uses: worked out once."""
    found = ctx.memo.get(_IN_USE)
    if isinstance(found, frozenset):
        return found
    hosts: Sequence[Host] = ctx.cluster.nodes if ctx.cluster is not None else (ctx.host,)
    keys: set[str] = set()
    for host in hosts:
        for vm in host.vms:
            for disk in vm.disks:
                if disk.path is not None:
                    keys.add(computer_key(disk.path))
                keys.update(computer_key(parent) for parent in disk.chain)
            for checkpoint in vm.checkpoints:
                keys.update(computer_key(path) for path in checkpoint.disk_paths)
    in_use = frozenset(keys)
    ctx.memo[_IN_USE] = in_use
    return in_use


def _unused_differencing(vm: VM, ctx: Context) -> CheckResult:
    if not vm.avhdx_files:
        return None
    # A checkpoint whose files were not collected may be the one that uses a file.
    if any(not checkpoint.disk_paths for checkpoint in vm.checkpoints):
        return None
    in_use = _files_in_use(ctx)
    unused = [
        path
        for path in vm.avhdx_files
        if path.casefold().endswith(_DIFFERENCING) and computer_key(path) not in in_use
    ]
    if not unused:
        return None
    return ctx.finding(
        UNUSED_DIFFERENCING_DISKS,
        vm.name,
        f"The folders of VM {quoted(vm.name)} hold {_plural(len(unused), 'differencing disk')} that "
        f"no disk or checkpoint uses: {_listed([quoted(p) for p in unused])}.",
    )


#: HVB905.
CHAIN_DEEPER_THAN_CHECKPOINTS = Rule(
    id="HVB905",
    title="Differencing chain deeper than the checkpoints: a merge did not complete",
    severity=Severity.WARNING,
    profiles=_LATER,
    source=_inferred(
        "The guide finds checkpoints that Hyper-V no longer shows by listing each disk's "
        "path and parents, and says failed merges break the chain; each checkpoint makes "
        "one differencing file, so a chain with more of them than the VM has checkpoints "
        "is read as a merge that did not complete.",
        "hvb905",
        CHECKPOINT_TROUBLESHOOTING,
        "Checkpoints not visible (orphaned or aged snapshots)",
    ),
    description=(
        "A virtual hard disk of the VM runs on more differencing files made by checkpoints "
        "(.avhdx, .avhd: the disk itself and the parents in its chain) than the VM has "
        "checkpoints. Each checkpoint makes one; the others were left when a checkpoint, "
        "often a backup's, was deleted and its merge did not complete. The VM's writes go "
        "through all of them, and the next backup copies the whole chain."
    ),
    remedy=(
        "Shut the VM down and let Hyper-V finish the merge, or merge the chain by hand "
        "(Merge-VHD, newest into its parent) as the guide says, then point the VM at the "
        "merged disk."
    ),
)


def _chain_deeper(disk: Disk, ctx: Context) -> CheckResult:
    depth = differencing_files(disk)
    if not depth:
        return None
    vm = ctx.vm
    explained = len(vm.checkpoints) or len(vm.snapshots)
    if depth <= explained:
        return None
    return ctx.finding(
        CHAIN_DEEPER_THAN_CHECKPOINTS,
        disk.name,
        f"Disk {quoted(disk.name)} of VM {quoted(ctx.name)} runs on "
        f"{_plural(depth, 'differencing file')} made by checkpoints, but the VM has "
        f"{_plural(explained, 'checkpoint')}: a merge did not complete.",
    )


#: HVB906.
REPLICA_RECOVERY_POINTS = Rule(
    id="HVB906",
    title="Hyper-V Replica recovery points: not counted as checkpoints",
    severity=Severity.INFO,
    profiles=_LATER,
    source=Source(page=BPA_RECOVERY_SNAPSHOTS, heading="Issue"),
    description=(
        "Get-VMSnapshot lists, beside the VM's checkpoints, the recovery points Hyper-V "
        "Replica keeps on a replica VM (the Replica, AppConsistentReplica and SyncedReplica "
        "kinds). They are not checkpoints anyone took: they are left out of the count of "
        "checkpoints (HVB105, HVB901, HVB902) and of the metrics. On a VM that runs, or is "
        "no longer a replica, they are the recovery snapshots of a failover that was not "
        "completed, which the analyzer says to remove: the disk that holds them can fill."
    ),
    remedy=(
        "Nothing on a replica waiting for changes. After a failover, complete it "
        "(Complete-VMFailover), which removes the recovery snapshots."
    ),
    severity_note="warning on a VM that runs or is no longer a replica (a failover not completed)",
)


def _replica_points(vm: VM, ctx: Context) -> CheckResult:
    points = sum(1 for checkpoint in vm.checkpoints if checkpoint.is_replica)
    if not points:
        return None
    held = _plural(points, "recovery point")
    if ctx.running or vm.replication_role is not ReplicationRole.REPLICA:
        return ctx.finding(
            REPLICA_RECOVERY_POINTS,
            vm.name,
            f"VM {quoted(vm.name)} {'runs' if ctx.running else 'is no longer a replica'} and holds "
            f"{held} of Hyper-V Replica: a failover that was not completed keeps them "
            "(Complete-VMFailover removes them).",
            Severity.WARNING,
        )
    return ctx.finding(
        REPLICA_RECOVERY_POINTS,
        vm.name,
        f"Replica VM {quoted(vm.name)} holds {held} of Hyper-V Replica; they are not counted as "
        "its checkpoints.",
    )


#: HVB907.
CLUSTER_LEVEL_NO_CHANGE_TRACKING = Rule(
    id="HVB907",
    title="Cluster at the Windows Server 2012 R2 level: no resilient change tracking",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2016}),
    source=_inferred(
        "The page says the new Hyper-V features of 2016 wait until every node runs 2016 and "
        "the functional level is raised, and VM configuration versions cannot be upgraded "
        "before; resilient change tracking is read as one of them, as backup vendors say "
        "of mixed clusters.",
        "hvb907",
        ROLLING_UPGRADE,
        "Cluster OS Rolling Upgrade Process",
    ),
    description=(
        "The VM is in a cluster that runs at the Windows Server 2012 R2 level: a node runs "
        "2012 R2, or the functional level was not raised (HVB507). Its virtual hard disks "
        "have no resilient change tracking until the rolling upgrade is finished, so the "
        "next backup cannot copy only what changed through it. Whether the backup then "
        "reads every block or falls back to a tracking of the backup application's own "
        "depends on the application."
    ),
    remedy=(
        "Finish the rolling upgrade: every node on 2016 or later, Update-ClusterFunctionalLevel, "
        "then Update-VMVersion on each VM."
    ),
)


def _cluster_level(vm: VM, ctx: Context) -> CheckResult:
    if not ctx.below_2016_level or not ctx.visible:
        return None
    cluster = ctx.cluster
    assert cluster is not None  # noqa: S101 - a level below 2016 is a cluster's
    return ctx.finding(
        CLUSTER_LEVEL_NO_CHANGE_TRACKING,
        vm.name,
        f"VM {quoted(vm.name)} is in cluster {quoted(cluster.name)}, which runs at the Windows Server "
        "2012 R2 level: its next backup cannot be incremental through resilient change "
        "tracking.",
    )


#: HVB908.
RCT_VERSION = Rule(
    id="HVB908",
    title="Configuration version before 8.0: no resilient change tracking",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2016}),
    source=_inferred(
        "The notes say VMs made on Windows Server 2012 R2 or earlier (version 5.0) have no "
        "resilient change tracking until their configuration version is upgraded, and name "
        "no number; versions below 8.0, the first of Windows Server 2016 proper, are read "
        "as having none, as backup vendors' tables say (one names 6.2).",
        "hvb908",
        DPM_WHATS_NEW_2016,
        "Enabling RCT VM backup",
    ),
    description=(
        "The VM's configuration version is older than 8.0. VMs made on Windows Server 2012 "
        "R2 or earlier have no resilient change tracking until their version is upgraded, "
        "so the next backup cannot copy only what changed through it; versions 6.2 to 7.1 "
        "(made by previews of 2016 and by Windows 10) are read the same way, the careful "
        "reading of what vendors publish. System Center DPM also asks that such a VM be "
        "protected again once upgraded."
    ),
    remedy=(
        "Upgrade the configuration version (Update-VMVersion, with the VM shut down) once it "
        "no longer needs to move back to an older host; then check what the backup "
        "application asks (DPM: stop protection keeping the data, and protect the VM again)."
    ),
)


def _rct_version(vm: VM, ctx: Context) -> CheckResult:
    version = vm.configuration_version_tuple
    if version is None or version >= _RCT_VERSION or ctx.below_2016_level or not ctx.visible:
        return None
    supported = ctx.release.configuration_versions
    if supported is not None and not supported[0] <= version <= supported[1]:
        return None  # HVB609 says more: the VM does not start there at all
    return ctx.finding(
        RCT_VERSION,
        vm.name,
        f"VM {quoted(vm.name)} has configuration version {vm.configuration_version}, older than "
        "the 8.0 resilient change tracking is read to need: its next backup cannot be "
        "incremental through it.",
    )


#: HVB909.
ESTIMATED_DIFFERENCING_SPACE = Rule(
    id="HVB909",
    title="Too little free space for the backup's differencing disks, by the estimate",
    severity=Severity.WARNING,
    profiles=_LATER,
    source=Source(page=DPM_HYPERV, heading="Backup prerequisites"),
    description=(
        "While a VM is backed up, Hyper-V keeps its writes in differencing disks on the "
        "volume of its virtual hard disks; the prerequisites ask for free space there of at "
        "least the disks' size times the churn rate times the backup window, for every VM "
        "backed up at the same time (on a cluster, every VM on the shared volume). The "
        "backup application gives no churn of its own (churn_percent, HVB111), so the "
        "estimate takes a churn of 1% of a disk an hour over an eight-hour window unless "
        "set (--churn, --window); the figures are in the finding. The volume's free space "
        "is less than that."
    ),
    remedy=(
        "Free space on the volume, move VMs to another one, or back fewer of its VMs up at "
        "the same time; give the backup application's churn_percent, or --churn and "
        "--window, for a closer estimate."
    ),
)


def _estimated_space(host: Host, ctx: Context) -> CheckResult:
    app = host.backup_application
    if (app is not None and app.churn_percent is not None) or not host.host_volumes:
        return None
    settings = ctx.settings
    share = settings.written_share
    found = [
        ctx.finding(
            ESTIMATED_DIFFERENCING_SPACE,
            need.volume.name,
            f"Volume {quoted(need.volume.name)} of host {quoted(host.name)} has "
            f"{gib(need.volume.free_space)} free; the differencing disks of a backup of the "
            f"VMs on it need about {gib(need.needed)} by the estimate: {gib(need.size)} of "
            f"virtual hard disks times {settings.churn:g}% an hour times "
            f"{settings.window:g} hours.",
        )
        for need in volume_needs(host, ctx.cluster, lambda size: int(size * share / 100))
        if need.needed > need.volume.free_space
    ]
    return found or None


#: The rules of this family, in ID order.
HYGIENE_RULES: tuple[Rule, ...] = (
    CHECKPOINTS_TOO_OLD,
    CHECKPOINTS_TOO_MANY,
    RECOVERY_CHECKPOINT_LEFT,
    UNUSED_DIFFERENCING_DISKS,
    CHAIN_DEEPER_THAN_CHECKPOINTS,
    REPLICA_RECOVERY_POINTS,
    CLUSTER_LEVEL_NO_CHANGE_TRACKING,
    RCT_VERSION,
    ESTIMATED_DIFFERENCING_SPACE,
)


def _change_tracking(facts: ReleaseFacts) -> bool:
    return facts.resilient_change_tracking


def _check(rule: Rule, scope: Scope, phase: Phase, effect: Effect, **more: Any) -> Check:
    return Check(rule=rule, scope=scope, phase=phase, effect=effect, **more)


_VM, _VHD, _VM_PHASE = Scope.VM, Scope.VIRTUAL_HARD_DISK, Phase.VM

#: When the rules of this family fire, in the order their findings are listed.
HYGIENE_CHECKS: tuple[Check, ...] = (
    # The host: room for the next backup's differencing disks.
    _check(
        ESTIMATED_DIFFERENCING_SPACE, Scope.HOST, Phase.HOST, Effect.NONE,
        findings=_estimated_space,
    ),
    # The VM: what earlier checkpoints and backups left, then its change tracking.
    _check(CHECKPOINTS_TOO_OLD, _VM, _VM_PHASE, Effect.NONE, findings=_too_old),
    _check(CHECKPOINTS_TOO_MANY, _VM, _VM_PHASE, Effect.NONE, findings=_too_many),
    _check(RECOVERY_CHECKPOINT_LEFT, _VM, _VM_PHASE, Effect.NONE, findings=_recovery_left),
    _check(REPLICA_RECOVERY_POINTS, _VM, _VM_PHASE, Effect.NONE, findings=_replica_points),
    _check(UNUSED_DIFFERENCING_DISKS, _VM, _VM_PHASE, Effect.NONE, findings=_unused_differencing),
    _check(CHAIN_DEEPER_THAN_CHECKPOINTS, _VHD, _VM_PHASE, Effect.NONE, findings=_chain_deeper),
    _check(
        CLUSTER_LEVEL_NO_CHANGE_TRACKING, _VM, _VM_PHASE, Effect.NOT_INCREMENTAL,
        findings=_cluster_level, applies=_change_tracking,
    ),
    _check(
        RCT_VERSION, _VM, _VM_PHASE, Effect.NOT_INCREMENTAL,
        findings=_rct_version, applies=_change_tracking,
    ),
)  # fmt: skip
