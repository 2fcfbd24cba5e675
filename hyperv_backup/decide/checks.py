"""Findings about an inventory as it stands, and the storage the host backup misses.

:func:`check` evaluates every rule that applies before a backup: the host and
its backup application (HVB1xx), storage outside the host backup (HVB2xx),
the online conditions (HVB3xx), the cluster rules (HVB5xx: a clustered VM is
evaluated on its owner node, and from 2012 on a VM on a Cluster Shared Volume
needs no move) and, under the later profiles, the rules of HVB6xx, the
checkpoint and disk hygiene of HVB9xx; given a backup catalogue, the rules of
HVB8xx too. Restore-time rules come from :func:`~hyperv_backup.restore_steps`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup._base.quoting import quoted
from hyperv_backup.decide.evaluate import evaluate
from hyperv_backup.decide.protection import apply_policy, protection_facts
from hyperv_backup.decide.targets import require_target
from hyperv_backup.model import Catalogue, Cluster, Host, ProtectionPolicy
from hyperv_backup.rules import (
    DEFAULT_SETTINGS,
    Findings,
    HygieneSettings,
    Profile,
    Rule,
    as_profile,
    sort_findings,
)
from hyperv_backup.rules.modern import FIBRE_CHANNEL_STORAGE

__all__ = ["UncoveredStorage", "check", "uncovered_storage"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


@attrs.frozen(kw_only=True)
class UncoveredStorage:
    """Storage of ``vm`` that a host-level backup does not hold, and the rule that says so.

    ``disk`` names a disk (a pass-through disk, HVB201; a disk of the guest's
    own iSCSI initiator, HVB202) or, under the profiles of 2012 and later, a
    virtual Fibre Channel adapter whose SAN storage the backup does not hold
    (HVB619).
    """

    vm: str
    disk: str
    rule: Rule

    def __str__(self) -> str:
        """Return ``disk 'Archive' of VM 'FS01': HVB201 ...``: the storage, and the rule that says so."""
        what = "virtual Fibre Channel adapter" if self.rule is FIBRE_CHANNEL_STORAGE else "disk"
        return (
            f"{what} {quoted(self.disk)} of VM {quoted(self.vm)}: {self.rule.id} {self.rule.title}"
        )


def uncovered_storage(
    target: Host | Cluster, *, profile: Profile | str | None = None
) -> tuple[UncoveredStorage, ...]:
    """Return the storage the host-level backup misses, VM by VM in inventory order.

    Each host is answered by the profile of its release, or by ``profile``
    for all of them, and each clustered VM on the node that owns it, as
    :func:`check` answers.

    >>> from hyperv_backup.model import VM, Disk, Attachment, VMState, HostOS
    >>> vm = VM(name="FS01", state=VMState.RUNNING, disks=[
    ...     Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK),
    ...     Disk(name="Archive", attachment=Attachment.PASS_THROUGH)])
    >>> [(u.vm, u.disk, u.rule.id) for u in uncovered_storage(
    ...     Host(name="HV01", os=HostOS.WINDOWS_SERVER_2008_R2, vms=[vm]))]
    [('FS01', 'Archive', 'HVB201')]

    A ``target`` that is not a :class:`Host` or :class:`Cluster` (a path, a
    name) raises :class:`TypeError`.
    """
    require_target("uncovered_storage", target)
    return tuple(
        UncoveredStorage(vm=view.vm.name, disk=found.subject, rule=found.rule)
        for view in evaluate(target, profile=as_profile(profile)).vms
        for found in view.left_out
    )


def check(
    target: Host | Cluster,
    *,
    profile: Profile | str | None = None,
    backups: Catalogue | None = None,
    now: datetime | None = None,
    max_age: timedelta | None = None,
    policy: ProtectionPolicy | None = None,
    settings: HygieneSettings | None = None,
) -> Findings:
    """Return every finding about ``target``, most severe first, then in inventory order.

    Each clustered VM is evaluated on the node that owns it. Each host is
    answered by the profile of its release, or by ``profile`` (``"2008"``,
    ``"2012"`` or ``"2016"``) for all of them. ``settings`` are the limits of
    the checkpoint rules and the estimate of the space rule
    (:class:`~hyperv_backup.HygieneSettings`; its defaults unless given). A
    ``target`` that is not a :class:`Host` or :class:`Cluster` (a path, a
    name) raises :class:`TypeError`.

    Given ``backups``, a backup catalogue, the rules of HVB8xx say how it
    protects each VM, with ages measured at ``now`` (an aware time; the
    current time when ``None``) against ``max_age`` (a week when ``None``).
    ``policy`` sets maximum ages of single VMs and exceptions: the findings
    an exception covers are left out until its date
    (:func:`~hyperv_backup.decide.protection.protection_summary` lists them).
    """
    require_target("check", target)
    facts = None
    if backups is not None:
        facts = protection_facts(target, backups, now=now, max_age=max_age, policy=policy)
    findings = evaluate(
        target,
        views=False,
        profile=as_profile(profile),
        protection=facts,
        settings=DEFAULT_SETTINGS if settings is None else settings,
    ).findings
    if policy is not None:
        today = (facts.now if facts is not None else now or datetime.now(UTC)).date()
        findings = apply_policy(findings, policy, today).kept
    return sort_findings(findings)
