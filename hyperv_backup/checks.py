"""Findings about an inventory as it stands, and the storage the host backup misses.

:func:`check` evaluates every rule that applies before a backup: the host and
its backup application (HVB1xx), storage outside the host backup (HVB2xx),
the online conditions (HVB3xx) and the cluster rules (HVB501, HVB502, HVB504
on each VM's owner node, HVB505). Restore-time rules come from
:func:`~hyperv_backup.restore_steps`.
"""

from __future__ import annotations

import attrs

from hyperv_backup._evaluate import evaluate, hosts_of, sort_findings, uncovered_rule
from hyperv_backup.model import Cluster, Host
from hyperv_backup.rules import RULES, Findings, Rule

__all__ = ["UncoveredStorage", "check", "hosts_of", "uncovered_storage"]


@attrs.frozen(kw_only=True)
class UncoveredStorage:
    """A disk of ``vm`` that a host-level backup does not hold, and the rule that says so."""

    vm: str
    disk: str
    rule: Rule


def uncovered_storage(target: Host | Cluster) -> tuple[UncoveredStorage, ...]:
    """Return every disk the host-level backup misses, in inventory order.

    >>> from hyperv_backup.model import VM, Disk, Attachment, VMState, HostOS
    >>> vm = VM(name="FS01", state=VMState.RUNNING, disks=[
    ...     Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK),
    ...     Disk(name="Archive", attachment=Attachment.PASS_THROUGH)])
    >>> [(u.vm, u.disk, u.rule.id) for u in uncovered_storage(
    ...     Host(name="HV01", os=HostOS.WINDOWS_SERVER_2008_R2, vms=[vm]))]
    [('FS01', 'Archive', 'HVB201')]
    """
    return tuple(
        UncoveredStorage(vm=vm.name, disk=disk.name, rule=RULES[rule_id])
        for host in hosts_of(target)
        for vm in host.vms
        for disk in vm.disks
        if (rule_id := uncovered_rule(disk)) is not None
    )


def check(target: Host | Cluster) -> Findings:
    """Return every finding about ``target``, most severe first, then in inventory order.

    Each clustered VM is evaluated on the node that owns it.
    """
    return sort_findings(evaluate(target, views=False).findings)
