"""Ordered steps, the common shape of a backup plan and of a restore.

A plan (:mod:`~hyperv_backup.decide.plan`) and a restore
(:mod:`~hyperv_backup.decide.restore`) first write their steps as drafts, in
order, then number them once.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup._base.display import NotebookDisplay
from hyperv_backup._base.slots import slot_setters

__all__ = ["Draft", "Step", "StepKind", "Steps", "numbered"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


class StepKind(enum.StrEnum):
    """What a step does."""

    PREREQUISITE = "prerequisite"
    RECORD_NETWORKS = "record_networks"
    GUEST_BACKUP = "guest_backup"
    PREPARE_CLUSTER = "prepare_cluster"
    MOVE_VM = "move_vm"
    HOST_BACKUP = "host_backup"
    RETURN_CLUSTER_STATE = "return_cluster_state"
    GATHER_MEDIA = "gather_media"
    WARN_VM_DELETED = "warn_vm_deleted"
    RESTORE_VM = "restore_vm"
    GUEST_RESTORE = "guest_restore"
    RECONNECT_NETWORK = "reconnect_network"
    FIRST_START = "first_start"


@attrs.frozen(kw_only=True)
class Step:
    """One step of a plan or a restore.

    ``target`` is the VM, disk or network the step acts on; ``where`` the
    host, guest (VM name) or cluster node it is carried out on; ``text`` one
    imperative sentence; ``rules`` the IDs of the rules behind it.
    """

    order: int
    action: StepKind
    target: str
    where: str
    text: str
    rules: tuple[str, ...] = ()

    def __str__(self) -> str:
        """Return the step as a line of a numbered list, with its rules: ``4. Restore ... (HVB404)``."""
        rules = f" ({', '.join(self.rules)})" if self.rules else ""
        return f"{self.order}. {self.text}{rules}"


class Steps(tuple[Step, ...], NotebookDisplay):
    """A tuple of ordered steps, as :func:`restore_steps` returns them.

    It is an ordinary tuple that a notebook also shows as a numbered list;
    ``str()`` gives one line per step.
    """

    __slots__ = ()

    def __str__(self) -> str:
        return "\n".join(map(str, self)) if self else "no steps"


#: A step before it is numbered: (action, target, where, text, rules).
Draft = tuple[StepKind, str, str, str, tuple[str, ...]]


# Plans of large fleets have a step or more per VM: setting the slots directly
# halves the cost of Step(...) (see slot_setters).
_STEP_SLOTS = slot_setters(Step, "order", "action", "target", "where", "text", "rules")


def numbered(drafts: Iterable[Draft]) -> Steps:
    """Return the drafts as steps, numbered 1, 2, 3, ... in order."""
    set_order, set_action, set_target, set_where, set_text, set_rules = _STEP_SLOTS
    steps: list[Step] = []
    for order, (action, target, where, text, rules) in enumerate(drafts, start=1):
        step: Step = object.__new__(Step)
        set_order(step, order)
        set_action(step, action)
        set_target(step, target)
        set_where(step, where)
        set_text(step, text)
        set_rules(step, rules)
        steps.append(step)
    return Steps(steps)
