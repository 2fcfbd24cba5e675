"""The restore points of a backup catalogue as the protection rules (HVB8xx) read them.

:class:`Protection` holds a catalogue with the time ages are measured at and
the maximum ages that apply; :func:`assess` says how it protects one VM. The
checks of :mod:`~hyperv_backup.rules.protection` and the statuses of
:mod:`hyperv_backup.decide.protection` both ask :func:`assess`, so a VM's
status and its findings never disagree.

>>> from datetime import datetime, timedelta, UTC
>>> from hyperv_backup.model import Catalogue, RestorePoint, VM, VMState
>>> now = datetime(2026, 12, 7, 7, tzinfo=UTC)
>>> point = RestorePoint(vm="SQL01", taken_at=now - timedelta(hours=40), level="host",
...                      product="Windows Server Backup")
>>> facts = Protection(Catalogue(points=[point]), now, ["HV01"], max_age=timedelta(hours=36))
>>> found = assess(VM(name="SQL01", state=VMState.RUNNING), "HV01", facts, replicas=True)
>>> found.state.value, found.age, found.bound_from.words
('stale', datetime.timedelta(days=1, seconds=57600), 'the maximum age given')
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import NamedTuple

from hyperv_backup._base import public_dir
from hyperv_backup.model import (
    VM,
    WEEKLY,
    Attachment,
    BackupLevel,
    Catalogue,
    ProtectionPolicy,
    ReplicationRole,
    RestorePoint,
    computer_key,
)

__all__ = [
    "Assessment",
    "MaxAgeFrom",
    "Protection",
    "ProtectionState",
    "assess",
    "holds_the_vm",
    "newest",
    "time_text",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


class MaxAgeFrom(enum.StrEnum):
    """Where the maximum age of a VM's last good restore point comes from."""

    #: The policy file's bound for this VM.
    POLICY_VM = "policy_vm"
    #: The bound the caller gave (``--max-age``).
    GIVEN = "given"
    #: The policy file's bound for every VM.
    POLICY = "policy"
    #: The Best Practices Analyzer's weekly bound, when nothing else is given.
    WEEKLY = "weekly"

    @property
    def words(self) -> str:
        """Where the bound comes from, in a few words for a message."""
        return _FROM_WORDS[self]


_FROM_WORDS = {
    MaxAgeFrom.POLICY_VM: "the policy's maximum age for this VM",
    MaxAgeFrom.GIVEN: "the maximum age given",
    MaxAgeFrom.POLICY: "the policy's maximum age",
    MaxAgeFrom.WEEKLY: "the weekly backup the Best Practices Analyzer asks for",
}


class ProtectionState(enum.StrEnum):
    """How a catalogue protects one VM."""

    #: Its last good restore point is within the maximum age.
    PROTECTED = "protected"
    #: Its last good restore point is older than the maximum age (HVB801).
    STALE = "stale"
    #: It has restore points, none of them usable (HVB801).
    NO_GOOD = "no_good_point"
    #: It has no restore point at all (HVB802).
    NEVER = "never_backed_up"
    #: It has no recent good one, but the other side of its Hyper-V Replica pair has (HVB803, HVB804).
    EXEMPT = "exempt"

    @property
    def unprotected(self) -> bool:
        """Whether the VM has no good restore point within its maximum age, and no exemption."""
        return self in _UNPROTECTED


_UNPROTECTED = frozenset({ProtectionState.STALE, ProtectionState.NO_GOOD, ProtectionState.NEVER})


def time_text(when: datetime) -> str:
    """Write an aware time in UTC, to the minute: ``2026-12-06 22:10 UTC``."""
    return when.strftime("%Y-%m-%d %H:%M UTC")


_HOST_LEVEL, _VHD = BackupLevel.HOST, Attachment.VIRTUAL_HARD_DISK

#: How far ahead of the time of the check a restore point may be dated and
#: still count (a host's clock ahead of the checking one's); a point later
#: than that was taken after the time asked about (``--now`` in the past).
CLOCK_SKEW = timedelta(hours=1)


def _short(name: str) -> str:
    """Return the key of a computer's name without its domain: ``hv01`` for ``HV01.contoso.com``."""
    return computer_key(name).split(".", 1)[0]


def holds_the_vm(point: RestorePoint, vm: VM) -> bool:
    """Whether ``point`` restores ``vm`` as a whole, as its last good point must.

    A guest-level point that lists the disks it covers holds the VM when it
    covers each of them (letter case aside); a host-level point holds the
    VM's data only when the host sees one of its disks (or it has none: its
    configuration is the VM).
    """
    if point.level is _HOST_LEVEL:
        return not vm.disks or any(d.attachment is _VHD for d in vm.disks)
    if not point.covers:
        return True
    covered = {computer_key(name) for name in point.covers}
    return all(computer_key(d.name) in covered for d in vm.disks)


def newest(points: Iterable[RestorePoint]) -> RestorePoint | None:
    """Return the latest point; among equal times the last given."""
    latest: RestorePoint | None = None
    for point in points:
        if latest is None or point.taken_at >= latest.taken_at:
            latest = point
    return latest


class Protection:
    """A backup catalogue as the protection checks read it, with the time they measure ages at.

    ``hosts`` are the hosts (nodes) of the inventory, ``cluster`` the name of
    its cluster if it is one: a network record may name the cluster for
    every node. The maximum age of a VM is the ``policy``'s for that VM,
    else ``max_age``, else the policy's for every VM, else :data:`~hyperv_backup.model.WEEKLY`.
    """

    __slots__ = (
        "_by_id",
        "_by_name",
        "_hosts",
        "_inside",
        "_recorded",
        "catalogue",
        "max_age",
        "now",
        "policy",
    )

    def __init__(
        self,
        catalogue: Catalogue,
        now: datetime,
        hosts: Iterable[str],
        *,
        max_age: timedelta | None = None,
        policy: ProtectionPolicy | None = None,
        cluster: str | None = None,
    ) -> None:
        if now.utcoffset() is None:
            msg = "now must be an aware time: no time zone is guessed"
            raise ValueError(msg)
        self.catalogue = catalogue
        self.now = now
        self.max_age = max_age
        self.policy = policy
        self._hosts = frozenset(computer_key(h) for h in hosts)
        # The computers of the inventory, by the first label of their names: a
        # point taken on a node named by its FQDN, or on the cluster, is inside.
        self._inside = frozenset(_short(h) for h in (*self._hosts, *filter(None, [cluster])))
        # Every VM is looked up here: the points are indexed once, by name and by id.
        self._by_name: dict[str, list[RestorePoint]] = {}
        self._by_id: dict[str, list[RestorePoint]] = {}
        for point in catalogue.points:
            self._by_name.setdefault(computer_key(point.vm), []).append(point)
            if point.vm_id is not None:
                self._by_id.setdefault(point.vm_id.casefold(), []).append(point)
        self._recorded: dict[str, set[str]] = {}
        for record in catalogue.networks:
            names = self._recorded.setdefault(computer_key(record.host), set())
            names.update(computer_key(n) for n in record.networks)
        if cluster is not None:
            # A record of the cluster records every node's networks.
            shared = self._recorded.get(computer_key(cluster), set())
            for host in self._hosts:
                self._recorded.setdefault(host, set()).update(shared)

    def bound(self, vm: str, host: str) -> tuple[timedelta, MaxAgeFrom]:
        """Return the maximum age of the last good restore point of ``vm`` on ``host``, and its origin."""
        policy = self.policy
        own = policy.max_age_of(vm, host) if policy is not None else None
        if own is not None:
            return own.max_age, MaxAgeFrom.POLICY_VM
        if self.max_age is not None:
            return self.max_age, MaxAgeFrom.GIVEN
        if policy is not None and policy.max_age is not None:
            return policy.max_age, MaxAgeFrom.POLICY
        return WEEKLY, MaxAgeFrom.WEEKLY

    def points(self, vm: VM, *, replicated: bool) -> tuple[list[RestorePoint], list[RestorePoint]]:
        """Return the restore points of ``vm``, its own and, when ``replicated``, its other side's.

        A point carrying an id is matched by it when the VM has one too; any
        other by name. With ``replicated``, a point taken on a host outside
        the inventory is the other side's.
        """
        found: list[RestorePoint] = []
        vm_id = vm.id.casefold() if vm.id is not None else None
        if vm_id is not None:
            found.extend(self._by_id.get(vm_id, ()))
        found.extend(
            p
            for p in self._by_name.get(computer_key(vm.name), ())
            if p.vm_id is None or vm_id is None
        )
        own: list[RestorePoint] = []
        other: list[RestorePoint] = []
        for point in found:
            outside = point.host is not None and _short(point.host) not in self._inside
            (other if replicated and outside else own).append(point)
        return own, other

    def recorded(self, host: str, network: str) -> bool:
        """Whether a record of the catalogue holds the configuration of ``network`` on ``host``."""
        return computer_key(network) in self._recorded.get(computer_key(host), ())


class Assessment(NamedTuple):
    """How the catalogue protects one VM, and why.

    ``last_good`` is its latest usable restore point of any level, ``age`` how
    long before ``now`` it was taken (never less than zero); ``bound`` the
    maximum age and ``bound_from`` where it comes from. ``other_side`` is the
    latest good point of the other side of a Hyper-V Replica pair, within the
    bound, that exempts the VM; ``points`` how many restore points of its own
    the catalogue holds; ``own`` those points, oldest first.
    """

    state: ProtectionState
    last_good: RestorePoint | None
    age: timedelta | None
    bound: timedelta
    bound_from: MaxAgeFrom
    other_side: RestorePoint | None
    points: int
    own: tuple[RestorePoint, ...]


def assess(vm: VM, host: str, protection: Protection, *, replicas: bool) -> Assessment:
    """Assess how the catalogue protects ``vm``, listed by ``host``.

    ``replicas`` says whether the release knows Hyper-V Replica (2012 and
    later): only then does the other side of a pair exempt a VM, as the weekly
    rule allows.
    """
    replicated = replicas and vm.replication_role is not ReplicationRole.NONE
    now = protection.now
    # A point taken after ``now`` did not exist then, but for a clock ahead
    # by less than CLOCK_SKEW: such a point is of age zero.
    latest = now + CLOCK_SKEW
    own, other = (
        [p for p in points if p.taken_at <= latest]
        for points in protection.points(vm, replicated=replicated)
    )
    own.sort(key=lambda p: p.taken_at)
    bound, origin = protection.bound(vm.name, host)
    last_good = newest(p for p in own if p.good and holds_the_vm(p, vm))
    age = max(timedelta(), now - last_good.taken_at) if last_good is not None else None
    if age is not None and age <= bound:
        state = ProtectionState.PROTECTED
        exempting = None
    else:
        side = newest(p for p in other if p.good and (p.level is _HOST_LEVEL or not p.covers))
        exempting = side if side is not None and now - side.taken_at <= bound else None
        if exempting is not None:
            state = ProtectionState.EXEMPT
        elif last_good is not None:
            state = ProtectionState.STALE
        else:
            state = ProtectionState.NO_GOOD if own else ProtectionState.NEVER
    return Assessment(state, last_good, age, bound, origin, exempting, len(own), tuple(own))
