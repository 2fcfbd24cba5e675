"""The ordered steps to restore one VM.

The order follows "Understanding the restore process": gather the media,
prepare the cluster (the restore table of "Considerations about clustered
virtual machines"), restore the whole VM, then the storage outside the host
backup from inside the guest, reconnect the network adapters, and say what to
expect at the first start.

Under the profiles of Windows Server 2012 and later the same steps follow the
Hyper-V WMI page "Backing up and restoring virtual machines": the cluster is
prepared for a restore through the Hyper-V VSS writer, or the backup
application recovers the clustered VM itself (HVB506); the virtual switches
the VM's adapters use are created before the restore, since the restore
connects adapters only to switches that exist, and the connections are checked
after it (HVB409); the VM comes back whole (HVB408) and starts from a copy of
a running system (HVB407).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from hyperv_backup._base import HypervBackupError, public_dir
from hyperv_backup._base.quoting import quoted
from hyperv_backup.decide.cluster import cluster_restore_action
from hyperv_backup.decide.evaluate import VMView, evaluate_vm, left_out_text, on_shared_volume
from hyperv_backup.decide.results import Consistency
from hyperv_backup.decide.steps import Draft, StepKind, Steps, numbered
from hyperv_backup.decide.targets import node_name, require_vm
from hyperv_backup.model import (
    VM,
    Backup,
    BackupLevel,
    BackupMode,
    Host,
    VMState,
    computer_key,
)
from hyperv_backup.model._checks import shown
from hyperv_backup.rules import Profile, as_profile, profile_for
from hyperv_backup.rules.cluster import (
    RESTORE_CLUSTERED,
    RESTORE_PREPARATION,
    STATES_NOT_COVERED,
    ClusterAction,
    action_text,
    states_text,
)
from hyperv_backup.rules.modern import CSV_ANY_NODE
from hyperv_backup.rules.restore import (
    ADAPTERS_RECONNECTED,
    FIRST_START,
    GUEST_RESTORE,
    NO_GUEST_BACKUP,
    RECONNECT_ADAPTERS,
    RESTORE_REPLACES_VM,
    UNEXPECTED_SHUTDOWN,
    WHOLE_VM,
    WHOLE_VM_ONLY,
)

__all__ = ["latest_host_backup", "restore_steps"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


def _records(backup: Backup | Sequence[Backup] | None, vm: VM) -> list[Backup] | None:
    """Return the records of ``vm`` in the backup set, or ``None`` when no set is given."""
    value: object = backup  # callers without type checking may pass anything
    if value is None:
        return None
    if isinstance(value, Backup):
        given: Sequence[object] = [value]
    elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
        given = value
    else:
        msg = f"backup must be a Backup or a sequence of them, got {type(value).__name__}"
        raise TypeError(msg)
    records = []
    for index, record in enumerate(given):
        if not isinstance(record, Backup):
            msg = f"backup[{index}] must be a Backup, got {type(record).__name__}"
            raise TypeError(msg)
        if record.vm == vm.name:
            records.append(record)
    return records


def _mode(value: object) -> BackupMode:
    """Accept a backup mode or its spelling; refuse the rest with the package's error."""
    try:
        return value if isinstance(value, BackupMode) else BackupMode(str(value))
    except ValueError:
        msg = f"mode must be 'online' or 'offline', got {shown(value)}"
        raise HypervBackupError(msg) from None


def _when(record: Backup) -> tuple[bool, datetime]:
    # Records without a time sort before every timed one; a naive time is read as
    # UTC so that naive and aware times can be compared.
    taken = record.taken_at
    if taken is None:
        return (False, datetime.min.replace(tzinfo=UTC))
    return (True, taken if taken.tzinfo is not None else taken.replace(tzinfo=UTC))


def latest_host_backup(records: Iterable[Backup]) -> Backup | None:
    """Return the latest host-level record; among equal times the last given."""
    latest: Backup | None = None
    for record in records:
        if record.level is BackupLevel.HOST and (latest is None or _when(record) >= _when(latest)):
            latest = record
    return latest


def restore_steps(
    vm: VM,
    node: str | Host,
    backup: Backup | Sequence[Backup] | None = None,
    *,
    mode: BackupMode | None = None,
    profile: Profile | str | None = None,
) -> Steps:
    """Return the ordered steps to restore ``vm`` on ``node``.

    ``backup`` is the backup set: one record or several (records of other VMs
    are ignored). The host-level record used is the latest; without one, the
    backup is assumed to have ``mode`` when it is given, else the mode
    :func:`~hyperv_backup.backup_mode` gives today. When a backup set is given,
    every disk outside the host backup that no guest-level record of this VM
    covers is flagged (HVB406).

    The profile that answers is ``profile``, else that of ``node``'s release
    when it is a :class:`~hyperv_backup.Host`, else the guidance's (2008).
    It decides the mode assumed without a record (under the profiles of 2012
    and later, a VM copied while it ran counts as online) and the steps'
    wording: the guidance's for 2008, the Hyper-V WMI page's for 2012 and
    later (see the module's description).

    ``node`` is a :class:`~hyperv_backup.Host`, or a host's name. A name is
    taken as it is: given a VM and no inventory, this function cannot know
    the nodes, and a restore may go to a host that is in none (a rebuilt or
    replacement server). Pass the ``Host`` (found with the nodes of the
    inventory) to have its release and virtual networks count;
    :func:`~hyperv_backup.backup_plan` and the command line, which have the
    inventory, refuse a node it does not have. A ``vm`` that is not a
    :class:`~hyperv_backup.VM` (a name) raises :class:`TypeError`.
    """
    require_vm("restore_steps", vm)
    chosen = as_profile(profile)
    answering = chosen
    if answering is None:
        answering = profile_for(node.os) if isinstance(node, Host) else Profile.WS2008
    later = answering.states_outcomes
    where = node_name(node)
    records = _records(backup, vm)
    host_record = latest_host_backup(records or ())
    state_then = vm.state
    # What a backup taken today on the node would be: its mode, when no record
    # or caller gives one, and the storage it leaves to the guest.
    today = _today(vm, node, chosen)
    # Whether a VM that ran was saved for its backup: a record or a mode given
    # says offline; a backup assumed from today's says it only if it saves the VM.
    saved = True
    if host_record is not None:
        mode = host_record.mode
        state_then = host_record.vm_state or vm.state
    elif mode is None:
        mode = today.decision.mode
        saved = today.outcome.causes_downtime
    else:
        mode = _mode(mode)
    drafts: list[Draft] = [
        (
            StepKind.GATHER_MEDIA,
            vm.name,
            where,
            f"Have the backup media and equipment for VM {quoted(vm.name)} at hand on {quoted(where)}.",
            (),
        )
    ]
    if later:
        drafts.extend(_later_preparation(vm, where))
        drafts.extend(_switches_first(vm, node, where))
    else:
        drafts.extend(_restore_preparation(vm, where))
    if vm.state is not VMState.OFF:
        drafts.append(
            (
                StepKind.WARN_VM_DELETED,
                vm.name,
                where,
                f"Know that the restore removes VM {quoted(vm.name)}, now {vm.state.value}, and puts "
                "the backed-up copy in its place; its current state is lost.",
                (RESTORE_REPLACES_VM.id,),
            )
        )
    if later:
        restore = (
            f"Restore VM {quoted(vm.name)} on {quoted(where)} from the {mode.value} host-level backup; it "
            "comes back as a whole VM (single files only through a backup application's "
            "item-level recovery)."
        )
    else:
        restore = (
            f"Restore the whole of VM {quoted(vm.name)} on {quoted(where)} from the {mode.value} "
            "host-level backup."
        )
    rule = WHOLE_VM if later else WHOLE_VM_ONLY
    drafts.append((StepKind.RESTORE_VM, vm.name, where, restore, (rule.id,)))
    drafts.extend(_guest_restore_drafts(today, records))
    if later:
        drafts.extend(_connections_checked(vm, node, where))
    else:
        drafts.extend(_reconnect_drafts(vm, node, where))
    drafts.append(_first_start_draft(today, where, mode, state_then, later=later, saved=saved))
    return numbered(drafts)


def _restore_preparation(vm: VM, where: str) -> Iterable[Draft]:
    action = cluster_restore_action(vm, where)
    if action in (ClusterAction.NOT_CLUSTERED, ClusterAction.NONE):
        return
    group = vm.cluster_group
    assert group is not None  # noqa: S101 - a clustered action implies a group
    if action is ClusterAction.NOT_COVERED:
        yield _states_not_covered(vm, where)
        return
    on_owner = action is ClusterAction.TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE_ON_OWNER
    yield (
        StepKind.PREPARE_CLUSTER,
        vm.name,
        group.owner_node if on_owner else where,
        f"Before VM {quoted(vm.name)} is restored on {quoted(where)}, "
        f"{action_text(action, group.owner_node, where)}.",
        (RESTORE_PREPARATION.id,),
    )


def _states_not_covered(vm: VM, where: str) -> Draft:
    """Return the step that brings resource states the tables do not cover into covered ones."""
    return (
        StepKind.PREPARE_CLUSTER,
        vm.name,
        where,
        f"Bring the resources of VM {quoted(vm.name)} ({states_text(vm)}), a combination the "
        "guidance does not cover, into a covered state before restoring it.",
        (STATES_NOT_COVERED.id,),
    )


def _later_preparation(vm: VM, where: str) -> Iterable[Draft]:
    """Yield the cluster steps of a restore under the profiles of 2012 and later."""
    action = cluster_restore_action(vm, where)
    group = vm.cluster_group
    if action is ClusterAction.NOT_COVERED:
        yield _states_not_covered(vm, where)
    elif action not in (ClusterAction.NOT_CLUSTERED, ClusterAction.NONE):
        assert group is not None  # noqa: S101 - a clustered action implies a group
        on_owner = action is ClusterAction.TAKE_CLUSTER_AND_CONFIGURATION_RESOURCES_OFFLINE_ON_OWNER
        yield (
            StepKind.PREPARE_CLUSTER,
            vm.name,
            group.owner_node if on_owner else where,
            f"Before VM {quoted(vm.name)} is restored on {quoted(where)} through the Hyper-V VSS writer, "
            f"{action_text(action, group.owner_node, where)}: the restore deletes the VM, "
            "which the cluster would otherwise treat as a failure. A backup application that "
            "recovers clustered VMs itself (recovery to the original instance) keeps the VM "
            "highly available while its cluster group exists; a VM it recovers to another "
            "host must be made highly available again.",
            (RESTORE_CLUSTERED.id,),
        )
    if group is not None and on_shared_volume(vm):
        yield (
            StepKind.PREPARE_CLUSTER,
            vm.name,
            where,
            f"VM {quoted(vm.name)} is on a Cluster Shared Volume: know what the backup application "
            f"keeps consistent across nodes; restored on another node than the one that backed "
            "it up, some applications overwrite application state on the node that restores.",
            (CSV_ANY_NODE.id,),
        )


def _switches(node: str | Host) -> set[str] | None:
    """Return the virtual switches of ``node`` by key; ``None`` for a node known by name only."""
    if isinstance(node, Host):
        return {computer_key(n.name) for n in node.virtual_networks}
    return None


def _switches_first(vm: VM, node: str | Host, where: str) -> Iterable[Draft]:
    """Yield, under the later profiles, the switches the restore must find, made before it."""
    existing = _switches(node)
    if existing is None:
        return
    for adapter in vm.network_adapters:
        network = adapter.virtual_network
        if network is None or computer_key(network) in existing:
            continue
        yield (
            StepKind.RECONNECT_NETWORK,
            network,
            where,
            f"Before the restore, create virtual switch {quoted(network)} on {quoted(where)} from its "
            f"recorded configuration, by that name, so that the restore connects adapter "
            f"{quoted(adapter.name)} of VM {quoted(vm.name)} to it.",
            (ADAPTERS_RECONNECTED.id,),
        )


def _connections_checked(vm: VM, node: str | Host, where: str) -> Iterable[Draft]:
    """Yield, under the later profiles, the check of each adapter's connection after it."""
    known = _switches(node) is not None
    for adapter in vm.network_adapters:
        network = adapter.virtual_network
        if network is None:
            continue
        if known:
            text = (
                f"Check that adapter {quoted(adapter.name)} of VM {quoted(vm.name)} is connected to "
                f"virtual switch {quoted(network)}: the restore connects it to the switch of that "
                f"name on {quoted(where)}."
            )
        else:
            text = (
                f"Check that adapter {quoted(adapter.name)} of VM {quoted(vm.name)} is connected to "
                f"virtual switch {quoted(network)}; where {quoted(where)} has no switch of that name the "
                "restore leaves it unconnected: create the switch from its recorded "
                "configuration and connect the adapter."
            )
        yield (StepKind.RECONNECT_NETWORK, network, where, text, (ADAPTERS_RECONNECTED.id,))


def _guest_restore_drafts(today: VMView, records: list[Backup] | None) -> Iterable[Draft]:
    covered: set[str] = set()
    for record in records or ():
        if record.level is BackupLevel.GUEST:
            covered.update(record.covers)
    vm = today.vm
    for found in today.left_out:
        what = left_out_text(found)
        text = f"After VM {quoted(vm.name)} is restored, restore {what} from inside the guest"
        rules: tuple[str, ...] = (GUEST_RESTORE.id,)
        if records is not None and found.subject not in covered:
            rules = (GUEST_RESTORE.id, NO_GUEST_BACKUP.id)
            text += "; no guest-level backup in the set holds it, so its data cannot be restored"
        yield (StepKind.GUEST_RESTORE, found.subject, vm.name, text + ".", rules)


def _reconnect_drafts(vm: VM, node: str | Host, where: str) -> Iterable[Draft]:
    existing = (
        {computer_key(n.name) for n in node.virtual_networks} if isinstance(node, Host) else None
    )
    for adapter in vm.network_adapters:
        network = adapter.virtual_network
        if network is None:
            continue
        if existing is not None and computer_key(network) not in existing:
            text = (
                f"Recreate virtual network {quoted(network)} on {quoted(where)} from its recorded "
                f"configuration, then connect adapter {quoted(adapter.name)} of VM {quoted(vm.name)} to it."
            )
        else:
            text = (
                f"Connect adapter {quoted(adapter.name)} of VM {quoted(vm.name)} to virtual network "
                f"{quoted(network)}."
            )
        yield (StepKind.RECONNECT_NETWORK, network, where, text, (RECONNECT_ADAPTERS.id,))


def _today(vm: VM, node: str | Host, profile: Profile | None) -> VMView:
    """Return what a backup of ``vm`` taken today on ``node`` would be, by the profile that answers."""
    if profile is None:
        # A node known by name only is answered by the guidance.
        profile = profile_for(node.os) if isinstance(node, Host) else Profile.WS2008
    # A node known by name only runs the latest release the profile answers for;
    # the backup does not depend on the node's name.
    host = node if isinstance(node, Host) else Host(name="node", os=profile.latest)
    return evaluate_vm(vm, host, profile)


#: The outcomes of a backup that does not copy the VM through Hyper-V's saved state.
_NOT_COPIED_BY_HYPERV = frozenset(
    {Consistency.FAILS, Consistency.NOT_BACKED_UP, Consistency.NOT_APPLICATION_CONSISTENT}
)


def _first_start_draft(
    today: VMView, where: str, mode: BackupMode, state_then: VMState, *, later: bool, saved: bool
) -> Draft:
    vm = today.vm
    if mode is BackupMode.ONLINE and later:
        return (
            StepKind.FIRST_START,
            vm.name,
            where,
            f"Start VM {quoted(vm.name)}, which comes back off: its guest starts from a copy taken "
            "while it ran, and may report that it was not shut down properly.",
            (FIRST_START.id,),
        )
    if mode is BackupMode.ONLINE:
        return (
            StepKind.FIRST_START,
            vm.name,
            where,
            f"Start VM {quoted(vm.name)}, which comes back off, and ignore any report from the guest "
            "of an unexpected shutdown.",
            (UNEXPECTED_SHUTDOWN.id,),
        )
    ran = state_then in (VMState.RUNNING, VMState.PAUSED)
    consistency = today.outcome.consistency
    if ran and not saved and consistency in _NOT_COPIED_BY_HYPERV:
        # Assumed from a backup taken today, which would not save the VM: it
        # fails, holds nothing, or is copied another way than through Hyper-V.
        return (
            StepKind.FIRST_START,
            vm.name,
            where,
            f"Start VM {quoted(vm.name)}. A backup taken today would not save it "
            f"({consistency.label}): check how the backup restored was taken, and how the VM "
            "comes back.",
            (),
        )
    comes_back = VMState.SAVED if ran else state_then
    return (
        StepKind.FIRST_START,
        vm.name,
        where,
        f"Start VM {quoted(vm.name)}, which comes back {comes_back.value}.",
        (),
    )
