"""How the VMs are protected: the restore points a backup catalogue holds (HVB8xx).

These rules answer, given a backup product's catalogue
(:class:`~hyperv_backup.model.Catalogue`), which VMs have no recent good
backup: none within the maximum age (HVB801, the Best Practices Analyzer's
weekly rule unless the administrator sets another bound), none at all
(HVB802), a Hyper-V Replica pair of which one side is backed up (HVB803,
HVB804, which the same rule exempts), a disk outside the host backup whose
guest-level backup lags behind (HVB805), a last restore point that holds
less than the plan predicts (HVB806), and virtual networks whose
configuration nothing records (HVB807).

Their checks run only when a catalogue is given (``needs_catalogue``), in the
protection phase, once the VM's outcome is known; they never shape it. A VM's
restore points are matched to it by its Hyper-V id when the point and the
inventory both carry one, else by its name (:func:`~hyperv_backup.model.same_vm`).
A point taken on a host outside the inventory is the other side's of a
replicated VM (a Replica copy keeps its primary's name and id); for any
other VM it is its own, taken before the VM moved
(:mod:`~hyperv_backup.rules.restore_points` reads the catalogue so).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hyperv_backup._base import public_dir
from hyperv_backup._base.quoting import quoted
from hyperv_backup.model import (
    VM,
    Attachment,
    BackupLevel,
    Consistency,
    Disk,
    Host,
    ReplicationRole,
    computer_key,
    duration_text,
)
from hyperv_backup.rules import pages
from hyperv_backup.rules.check import Check, CheckResult, Context, Effect, Phase, Scope
from hyperv_backup.rules.pages import BPA_WEEKLY_BACKUP, GUIDANCE, REFERENCE_POINT
from hyperv_backup.rules.profiles import ALL_PROFILES, Profile
from hyperv_backup.rules.restore_points import (
    Assessment,
    ProtectionState,
    assess,
    newest,
    time_text,
)
from hyperv_backup.rules.rule import Rule, Severity
from hyperv_backup.rules.source import Claim, Source

__all__ = [
    "GUEST_BACKUP_BEHIND",
    "LESS_CONSISTENT",
    "NEVER_BACKED_UP",
    "NO_RECENT_RESTORE_POINT",
    "PRIMARY_EXEMPT",
    "PROTECTION_CHECKS",
    "PROTECTION_RULES",
    "REPLICA_EXEMPT",
    "UNRECORDED_NETWORK",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

_LATER = frozenset({Profile.WS2012, Profile.WS2016})
_HOST, _GUEST = BackupLevel.HOST, BackupLevel.GUEST
_OUTSIDE = frozenset({Attachment.PASS_THROUGH, Attachment.GUEST_ISCSI})


def _assessed(vm: VM, ctx: Context) -> Assessment:
    """Return the VM's assessment, worked out once for the checks that ask."""
    found = ctx.assessment
    if found is None:
        protection = ctx.protection
        assert protection is not None  # noqa: S101 - its checks run only with a catalogue
        found = ctx.assessment = assess(
            vm, ctx.host.name, protection, replicas=ctx.facts.has_replica
        )
    return found


def _bound_text(found: Assessment) -> str:
    return f"{duration_text(found.bound)} ({found.bound_from.words})"


#: HVB801.
NO_RECENT_RESTORE_POINT = Rule(
    id="HVB801",
    title="No good restore point within the maximum age",
    severity=Severity.ERROR,
    profiles=ALL_PROFILES,
    source=Source(page=BPA_WEEKLY_BACKUP, heading="Issue"),
    description=(
        "The VM's last good restore point in the catalogue is older than the maximum age, or "
        "none of its restore points is usable. The Best Practices Analyzer flags a VM not "
        "backed up in the past week: a failure with no recent backup can lose much data. "
        "The maximum age is a week unless the administrator sets another (--max-age, or the "
        "policy file, for every VM or one); the page is written for Windows Server 2016 to "
        "2022, and a backup's age means the same on every release."
    ),
    remedy=(
        "Find out why the VM's backups stopped or fail (hyperv-backup diagnose reads the "
        "host's logs), and schedule a backup of the VM at least as often as its maximum age."
    ),
)


def _no_recent(vm: VM, ctx: Context) -> CheckResult:
    found = _assessed(vm, ctx)
    if found.state is ProtectionState.STALE:
        assert found.last_good is not None  # noqa: S101 - a stale VM has a good point
        assert found.age is not None  # noqa: S101
        message = (
            f"VM {quoted(vm.name)} has no good restore point within {_bound_text(found)}: its last "
            f"was taken {time_text(found.last_good.taken_at)}, {duration_text(found.age)} ago."
        )
    elif found.state is ProtectionState.NO_GOOD:
        message = (
            f"VM {quoted(vm.name)} has {found.points} restore point(s) in the catalogue, none of them "
            "usable: it has no good restore point."
        )
    else:
        return None
    return ctx.finding(NO_RECENT_RESTORE_POINT, vm.name, message)


#: HVB802.
NEVER_BACKED_UP = Rule(
    id="HVB802",
    title="VM never backed up",
    severity=Severity.ERROR,
    profiles=ALL_PROFILES,
    source=Source(page=BPA_WEEKLY_BACKUP, heading="Issue"),
    description=(
        "The catalogue holds no restore point of the VM at all: as far as the backup product "
        "knows, it has never been backed up. The Best Practices Analyzer flags every VM not "
        "backed up in the past week, and one never backed up first of all."
    ),
    remedy=(
        "Add the VM to a backup job, or check that the catalogue given is the one of the "
        "product that backs it up."
    ),
)


def _never(vm: VM, ctx: Context) -> CheckResult:
    if _assessed(vm, ctx).state is not ProtectionState.NEVER:
        return None
    return ctx.finding(
        NEVER_BACKED_UP,
        vm.name,
        f"VM {quoted(vm.name)} has no restore point in the catalogue: it has never been backed up, "
        "as far as the catalogue says.",
    )


def _exemption(vm: VM, ctx: Context, role: ReplicationRole, rule: Rule, side: str) -> CheckResult:
    found = _assessed(vm, ctx)
    if found.state is not ProtectionState.EXEMPT or vm.replication_role is not role:
        return None
    point = found.other_side
    assert point is not None  # noqa: S101 - an exempt VM has its other side's point
    return ctx.finding(
        rule,
        vm.name,
        f"VM {quoted(vm.name)} has no good restore point of its own within {_bound_text(found)}, "
        f"but its {side} on {quoted(point.host)} has one, taken {time_text(point.taken_at)}; the "
        "weekly backup rule exempts either side of a Replica pair whose other side is backed up.",
    )


#: HVB803.
REPLICA_EXEMPT = Rule(
    id="HVB803",
    title="Replica not backed up: its primary is",
    severity=Severity.INFO,
    profiles=_LATER,
    source=Source(page=BPA_WEEKLY_BACKUP, heading="Resolution"),
    description=(
        "The VM is a Hyper-V Replica copy with no good restore point of its own within the "
        "maximum age, but its primary VM, on a host outside the inventory, has one. The Best "
        "Practices Analyzer's weekly rule may be ignored for a replica whose primary is "
        "backed up."
    ),
    remedy="Nothing, while the primary's backups go on; back up the replica after a failover.",
)


def _replica_exempt(vm: VM, ctx: Context) -> CheckResult:
    return _exemption(vm, ctx, ReplicationRole.REPLICA, REPLICA_EXEMPT, "primary")


#: HVB804.
PRIMARY_EXEMPT = Rule(
    id="HVB804",
    title="Primary not backed up: its replica is",
    severity=Severity.INFO,
    profiles=_LATER,
    source=Source(page=BPA_WEEKLY_BACKUP, heading="Resolution"),
    description=(
        "The VM is the primary of a Hyper-V Replica pair with no good restore point of its "
        "own within the maximum age, but its replica, on a host outside the inventory, has "
        "one. The Best Practices Analyzer's weekly rule may be ignored for a primary whose "
        "replica is backed up."
    ),
    remedy="Nothing, while the replica's backups go on; a restore then comes from the replica site.",
)


def _primary_exempt(vm: VM, ctx: Context) -> CheckResult:
    return _exemption(vm, ctx, ReplicationRole.PRIMARY, PRIMARY_EXEMPT, "replica")


#: HVB805.
GUEST_BACKUP_BEHIND = Rule(
    id="HVB805",
    title="Disk outside the host backup: no guest-level backup of the last round",
    severity=Severity.WARNING,
    profiles=ALL_PROFILES,
    source=Source(
        page=GUIDANCE,
        heading=pages.STORAGE,
        claim=Claim.INFERRED,
        inference=(
            "The guidance backs storage the host backup misses up from inside the guest "
            "before the full server backup; a round is then a guest-level backup and the host "
            "backup after it, so the last host backup has its disk's data only in a "
            "guest-level backup taken since the host backup before it."
        ),
        anchor="hvb805",
    ),
    description=(
        "A disk of the VM is one the host backup does not hold (pass-through or guest "
        "iSCSI), and the catalogue holds no good guest-level backup of it taken since the "
        "host backup before the last one: a restore from the last host backup cannot bring "
        "the disk back as of that round."
    ),
    remedy=(
        "Back the disk up from inside the guest before each host backup, and keep that "
        "backup's restore points in the catalogue given."
    ),
)


def _named(disk: str, covers: tuple[str, ...]) -> bool:
    """Whether ``covers`` names ``disk``, letter case aside, as names are compared everywhere."""
    key = computer_key(disk)
    return any(computer_key(name) == key for name in covers)


def _guest_backup_behind(disk: Disk, ctx: Context) -> CheckResult:
    if disk.attachment not in _OUTSIDE:
        return None
    found = _assessed(ctx.vm, ctx)
    host_points = [p for p in found.own if p.level is _HOST and p.good]
    if not host_points:
        return None  # no host backup to be behind; HVB801 or HVB802 says what there is
    last = host_points[-1]
    before = host_points[-2] if len(host_points) > 1 else None
    guest = [
        p
        for p in found.own
        if p.level is _GUEST and p.good and (not p.covers or _named(disk.name, p.covers))
    ]
    since = [p for p in guest if before is None or p.taken_at > before.taken_at]
    if since:
        return None
    latest = newest(guest)
    had = f"its last was taken {time_text(latest.taken_at)}" if latest else "it has none"
    window = (
        f"since the host backup before the last ({time_text(before.taken_at)})"
        if before is not None
        else "at all"
    )
    return ctx.finding(
        GUEST_BACKUP_BEHIND,
        disk.name,
        f"Disk {quoted(disk.name)} of VM {quoted(ctx.name)} is not in the host backup, and no guest-level "
        f"backup of it was taken {window} for the last host backup "
        f"({time_text(last.taken_at)}): {had}.",
    )


#: HVB806.
LESS_CONSISTENT = Rule(
    id="HVB806",
    title="Last restore point less consistent than the plan predicts",
    severity=Severity.WARNING,
    profiles=ALL_PROFILES,
    source=Source(
        page=REFERENCE_POINT,
        heading="Properties",
        claim=Claim.INFERRED,
        inference=(
            "A backup's reference point records the consistency its copy reached "
            "(application- or crash-consistent); a last restore point that holds less than "
            "the outcome the plan predicts from the inventory means the backup ran under "
            "conditions the inventory does not show, or the inventory is out of date."
        ),
        anchor="hvb806",
    ),
    description=(
        "The VM's last good host-level restore point records a consistency worse than what "
        "the plan predicts its host backup holds (crash-consistent where the plan predicts "
        "application-consistent, or saved): something the inventory does not show degraded "
        "the last backup."
    ),
    remedy=(
        "Compare the host's logs of the last backup with the plan (hyperv-backup diagnose), "
        "and collect the inventory again if the VM changed."
    ),
)

#: The outcomes a restore point can be compared with: what a copy holds when one is made.
_COMPARABLE = frozenset(
    {
        Consistency.APPLICATION_CONSISTENT,
        Consistency.FILE_SYSTEM_CONSISTENT,
        Consistency.CRASH_CONSISTENT,
        Consistency.SAVED_STATE,
    }
)


def _less_consistent(vm: VM, ctx: Context) -> CheckResult:
    predicted = ctx.predicted
    if predicted not in _COMPARABLE:
        return None
    assert predicted is not None  # noqa: S101 - a comparable outcome is one
    found = _assessed(vm, ctx)
    last = newest(p for p in found.own if p.level is _HOST and p.good)
    if last is None or last.consistency is None or last.consistency.rank >= predicted.rank:
        return None
    return ctx.finding(
        LESS_CONSISTENT,
        vm.name,
        f"The last restore point of VM {quoted(vm.name)} ({time_text(last.taken_at)}, "
        f"{last.product}) is {last.consistency.label}, less than the {predicted.label} copy "
        "the plan predicts.",
    )


#: HVB807.
UNRECORDED_NETWORK = Rule(
    id="HVB807",
    title="Virtual network with no recorded configuration",
    severity=Severity.WARNING,
    profiles=ALL_PROFILES,
    source=Source(page=GUIDANCE, heading=pages.OPTIONS),
    description=(
        "The host has a virtual network (virtual switch) that no record in the catalogue "
        "names. A full server backup leaves virtual networks out, and the guidance asks for "
        "their configuration to be recorded so they can be recreated after a restore; from "
        "2012 on, a restore connects VMs only to switches that exist (HVB110)."
    ),
    remedy=(
        "Record each virtual switch's name, type, physical adapter and VLAN with the "
        "backups, and add the record to the catalogue (docs/catalogues.md)."
    ),
)


def _unrecorded_networks(host: Host, ctx: Context) -> CheckResult:
    protection = ctx.protection
    assert protection is not None  # noqa: S101 - its checks run only with a catalogue
    return [
        ctx.finding(
            UNRECORDED_NETWORK,
            network.name,
            f"Virtual network {quoted(network.name)} of host {quoted(host.name)} has no recorded "
            "configuration in the catalogue; a full server backup leaves it out.",
        )
        for network in host.virtual_networks
        if not protection.recorded(host.name, network.name)
    ]


#: The rules of this family, in ID order.
PROTECTION_RULES: tuple[Rule, ...] = (
    NO_RECENT_RESTORE_POINT,
    NEVER_BACKED_UP,
    REPLICA_EXEMPT,
    PRIMARY_EXEMPT,
    GUEST_BACKUP_BEHIND,
    LESS_CONSISTENT,
    UNRECORDED_NETWORK,
)


def _check(
    rule: Rule, scope: Scope, findings: Callable[[Any, Context], CheckResult], summary: str
) -> Check:
    """Return a check of this family: it reads the catalogue, and shapes no outcome."""
    phase = Phase.HOST if scope is Scope.HOST else Phase.PROTECTION
    return Check(
        rule=rule,
        scope=scope,
        phase=phase,
        effect=Effect.NONE,
        findings=findings,
        summary=summary,
        needs_catalogue=True,
    )


#: When the rules of this family fire, in the order their findings are listed.
PROTECTION_CHECKS: tuple[Check, ...] = (
    _check(UNRECORDED_NETWORK, Scope.HOST, _unrecorded_networks, "its configuration is recorded"),
    _check(
        NO_RECENT_RESTORE_POINT, Scope.VM, _no_recent, "a good restore point within its maximum age"
    ),
    _check(NEVER_BACKED_UP, Scope.VM, _never, "a restore point in the catalogue"),
    _check(REPLICA_EXEMPT, Scope.VM, _replica_exempt, "a recent restore point of its own"),
    _check(PRIMARY_EXEMPT, Scope.VM, _primary_exempt, "a recent restore point of its own"),
    _check(
        LESS_CONSISTENT,
        Scope.VM,
        _less_consistent,
        "a last restore point as consistent as predicted",
    ),
    _check(
        GUEST_BACKUP_BEHIND, Scope.DISK, _guest_backup_behind, "a guest-level backup in every round"
    ),
)
