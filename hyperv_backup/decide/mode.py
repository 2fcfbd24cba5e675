"""Online or offline: whether a VM can be backed up without downtime, as the guidance decides.

The conditions come from the source section "Understanding online and offline
backups" and are the online conditions of the rule catalogue
(:data:`~hyperv_backup.rules.online.ONLINE_CONDITIONS`, HVB301-HVB309). A VM is
backed up **online** exactly when it is running, its guest was inventoried,
and none of them blocks it. Otherwise it is backed up **offline**: a running
or paused VM is saved for the backup and returned to its state afterwards.
How each condition is read is written beside it, in
:mod:`hyperv_backup.rules.online`.

>>> from hyperv_backup.model import VM, VMState
>>> decision = backup_mode(VM(name="WEB01", state=VMState.RUNNING, integration_services=False))
>>> decision.mode, decision.causes_downtime, decision.state_during_backup
(<BackupMode.OFFLINE: 'offline'>, True, <VMState.SAVED: 'saved'>)
>>> [reason.rule.id for reason in decision.reasons]
['HVB301']
"""

from __future__ import annotations

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.decide.evaluate import evaluate_vm
from hyperv_backup.decide.results import BackupModeDecision
from hyperv_backup.decide.targets import node_name, require_vm
from hyperv_backup.model import VM, Host, HostOS
from hyperv_backup.rules import Profile
from hyperv_backup.rules.online import ONLINE_CONDITIONS

__all__ = ["ONLINE_CONDITIONS", "BackupModeDecision", "backup_mode"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: The host a decision is asked on when the caller names none: the guidance's
#: own release. The decision does not depend on the host.
_ANY_HOST = Host(name="(any host)", os=HostOS.WINDOWS_SERVER_2008_R2)


def backup_mode(vm: VM, host: str | Host | None = None) -> BackupModeDecision:
    """Decide whether ``vm`` is backed up online or offline, by the guidance, with every reason.

    ``host``, the host or node that backs the VM up, is named on the reasons,
    as :func:`~hyperv_backup.check` and :func:`~hyperv_backup.backup_plan` do;
    the decision itself does not depend on it.
    """
    require_vm("backup_mode", vm)
    name = None if host is None else node_name(host)
    decision = evaluate_vm(vm, _ANY_HOST, Profile.WS2008).decision
    return attrs.evolve(
        decision, reasons=tuple(attrs.evolve(r, host=name) for r in decision.reasons)
    )
