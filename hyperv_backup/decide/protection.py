"""How a backup catalogue protects each VM, beside what tonight's backup of it will be.

Given a catalogue (:class:`~hyperv_backup.model.Catalogue`), the time ages are
measured at, and optionally a maximum age and a policy
(:class:`~hyperv_backup.model.ProtectionPolicy`), each VM gets a
:class:`ProtectionStatus`: its last good restore point, how old it is, what
it holds, whether that is within its maximum age, and the outcome the plan
predicts for tonight. The state comes from the same assessment as the rules
HVB801-HVB804 (:func:`~hyperv_backup.rules.protection.assess`), so the two
never disagree.

A policy's exceptions leave findings out (:func:`apply_policy`); an exception
past its date is not applied, and is listed as expired instead.

>>> from datetime import datetime, timedelta, UTC
>>> import hyperv_backup as hb
>>> from hyperv_backup.model import Catalogue, RestorePoint
>>> now = datetime(2026, 12, 7, 7, tzinfo=UTC)
>>> point = RestorePoint(vm="DC01", taken_at=now - timedelta(hours=9), level="host",
...                      product="Contoso FileCopy Agent 4")
>>> summary = protection_summary(hb.load_example("host"), Catalogue(points=[point]), now=now)
>>> for status in summary.statuses:
...     print(status)
DC01: protected, last good restore point 2026-12-06 22:00 UTC (9h ago)
PRINT01: never backed up
APP02: never backed up
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup._base.display import NotebookDisplay
from hyperv_backup.decide.evaluate import VMView, evaluate
from hyperv_backup.decide.targets import require_target
from hyperv_backup.model import (
    Catalogue,
    Cluster,
    Consistency,
    Host,
    PolicyException,
    ProtectionPolicy,
    RestorePoint,
    duration_text,
    hosts_of,
)
from hyperv_backup.rules import Finding, Profile, as_profile, release_facts
from hyperv_backup.rules.protection import NEVER_BACKED_UP, NO_RECENT_RESTORE_POINT
from hyperv_backup.rules.restore_points import (
    MaxAgeFrom,
    Protection,
    ProtectionState,
    assess,
    time_text,
)

__all__ = [
    "Excepted",
    "PolicyResult",
    "ProtectionState",
    "ProtectionStatus",
    "ProtectionSummary",
    "apply_policy",
    "protection_facts",
    "protection_statuses",
    "protection_summary",
    "state_rule",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


@attrs.frozen(kw_only=True)
class ProtectionStatus:
    """How one VM is protected, beside what tonight's backup of it will be.

    ``host`` lists the VM. ``last_good`` is its latest usable restore point
    (any level), ``age`` how long before the time of the check it was taken;
    ``max_age`` its bound and ``max_age_from`` where that comes from.
    ``predicted`` is what the plan predicts tonight's host backup holds.
    ``other_side`` is the restore point of the other side of a Hyper-V
    Replica pair that exempts the VM; ``points`` how many restore points of
    its own the catalogue holds. ``excepted`` says why its state does not
    count against it (a policy exception, an ignored rule), ``None`` when it does.
    """

    vm: str
    host: str
    state: ProtectionState
    predicted: Consistency
    last_good: RestorePoint | None
    age: timedelta | None
    max_age: timedelta
    max_age_from: MaxAgeFrom
    other_side: RestorePoint | None = None
    points: int = 0
    excepted: str | None = None

    @property
    def unprotected(self) -> bool:
        """Whether the VM has no good restore point within its maximum age, counted against it."""
        return self.state.unprotected and self.excepted is None

    def __str__(self) -> str:
        """Return ``SQL01: stale, last good restore point 2026-12-05 22:00 UTC (1d9h ago)``."""
        words = self.state.value.replace("_", " ")
        point = self.last_good
        if point is not None and self.age is not None:
            words += f", last good restore point {time_text(point.taken_at)} ({duration_text(self.age)} ago)"
        if self.excepted is not None:
            words += f" [{self.excepted}]"
        return f"{self.vm}: {words}"


@attrs.frozen(kw_only=True)
class Excepted:
    """A finding a policy exception left out, and the exception."""

    finding: Finding
    exception: PolicyException


@attrs.frozen(kw_only=True)
class PolicyResult:
    """Findings once a policy's exceptions are applied: those kept, those left out, and the expired exceptions."""

    kept: tuple[Finding, ...]
    excepted: tuple[Excepted, ...] = ()
    expired: tuple[PolicyException, ...] = ()


@attrs.frozen(kw_only=True)
class ProtectionSummary(NotebookDisplay):
    """The protection of every VM of an inventory, when ages were measured, and the policy's effect.

    ``now`` is the time ages are measured at; ``statuses`` one per VM, in
    inventory order; ``excepted`` the findings policy exceptions left out and
    ``expired`` the exceptions past their date, not applied.
    """

    now: datetime
    statuses: tuple[ProtectionStatus, ...]
    excepted: tuple[Excepted, ...] = ()
    expired: tuple[PolicyException, ...] = ()

    @property
    def unprotected(self) -> tuple[ProtectionStatus, ...]:
        """The VMs with no good restore point within their maximum age, counted against them."""
        return tuple(s for s in self.statuses if s.unprotected)

    def __str__(self) -> str:
        """Return one line per VM."""
        return "\n".join(map(str, self.statuses)) if self.statuses else "no virtual machines"


def protection_facts(
    target: Host | Cluster,
    catalogue: Catalogue,
    *,
    now: datetime | None = None,
    max_age: timedelta | None = None,
    policy: ProtectionPolicy | None = None,
) -> Protection:
    """Return the catalogue as the checks read it, for ``target``, with ages measured at ``now``.

    ``now`` must be an aware time (:class:`ValueError` otherwise); ``None`` is
    the current time.
    """
    return Protection(
        catalogue,
        datetime.now(UTC) if now is None else now,
        [h.name for h in hosts_of(target)],
        max_age=max_age,
        policy=policy,
        cluster=target.name if isinstance(target, Cluster) else None,
    )


def state_rule(state: ProtectionState) -> str | None:
    """Return the ID of the rule whose finding says ``state``, for the states a rule reports as unprotected."""
    if state is ProtectionState.NEVER:
        return NEVER_BACKED_UP.id
    if state.unprotected:
        return NO_RECENT_RESTORE_POINT.id
    return None


def protection_statuses(
    views: Iterable[VMView],
    protection: Protection,
    *,
    excepted: Iterable[Excepted] = (),
    ignored: Iterable[str] = (),
) -> tuple[ProtectionStatus, ...]:
    """Return the protection status of the VM of each view, in order.

    A VM whose finding of HVB801 or HVB802 a policy exception left out
    (``excepted``), or whose rule is ``ignored``, is marked so: its state no
    longer counts against it.
    """
    left_out = {(e.finding.rule.id, e.finding.host, e.finding.vm): e.exception for e in excepted}
    skipped = frozenset(ignored)
    statuses = []
    for view in views:
        vm, host = view.vm, view.host
        facts = release_facts(view.outcome.profile, view.node.os)
        found = assess(vm, host.name, protection, replicas=facts.has_replica)
        rule = state_rule(found.state)
        why = None
        if rule is not None:
            exception = left_out.get((rule, view.node.name, vm.name))
            if exception is not None:
                why = f"excepted until {exception.expires.isoformat()}: {exception.reason}"
            elif rule in skipped:
                why = f"{rule} ignored"
        statuses.append(
            ProtectionStatus(
                vm=vm.name,
                host=host.name,
                state=found.state,
                predicted=view.outcome.consistency,
                last_good=found.last_good,
                age=found.age,
                max_age=found.bound,
                max_age_from=found.bound_from,
                other_side=found.other_side,
                points=found.points,
                excepted=why,
            )
        )
    return tuple(statuses)


def apply_policy(
    findings: Sequence[Finding], policy: ProtectionPolicy | None, today: date
) -> PolicyResult:
    """Leave out the findings ``policy``'s exceptions cover on ``today``; list the expired ones.

    An exception applies up to and including its date; after it, its
    findings are kept and the exception is listed as expired.
    """
    if policy is None or not policy.exceptions:
        return PolicyResult(kept=tuple(findings))
    live = [e for e in policy.exceptions if not e.expired(today)]
    expired = tuple(e for e in policy.exceptions if e.expired(today))
    kept: list[Finding] = []
    excepted: list[Excepted] = []
    for item in findings:
        exception = next((e for e in live if e.covers(item.rule.id, item.vm, item.host)), None)
        if exception is None:
            kept.append(item)
        else:
            excepted.append(Excepted(finding=item, exception=exception))
    return PolicyResult(kept=tuple(kept), excepted=tuple(excepted), expired=expired)


def protection_summary(
    target: Host | Cluster,
    backups: Catalogue,
    *,
    now: datetime | None = None,
    max_age: timedelta | None = None,
    policy: ProtectionPolicy | None = None,
    profile: Profile | str | None = None,
) -> ProtectionSummary:
    """Return how ``backups`` protects every VM of ``target``, with ages measured at ``now``.

    ``now`` is an aware time (the current time when ``None``); ``max_age``
    bounds the age of every VM's last good restore point, unless ``policy``
    sets one for the VM (without either, a week). Each host is answered by
    the profile of its release, or by ``profile``. A ``target`` that is not
    a :class:`Host` or :class:`Cluster` raises :class:`TypeError`.
    """
    require_target("protection_summary", target)
    facts = protection_facts(target, backups, now=now, max_age=max_age, policy=policy)
    evaluation = evaluate(target, profile=as_profile(profile), protection=facts)
    applied = apply_policy(evaluation.findings, policy, facts.now.date())
    return ProtectionSummary(
        now=facts.now,
        statuses=protection_statuses(evaluation.vms, facts, excepted=applied.excepted),
        excepted=applied.excepted,
        expired=applied.expired,
    )
