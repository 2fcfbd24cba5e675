"""What makes a rule fire: a check, what it looks at, and what it does to the backup.

Each rule family module holds its rules and, beside them, the functions that
decide when they fire, ending in one ordered tuple of :class:`Check`. A check
names

* the **scope** it looks at: the host, the VM, each disk (or each virtual hard
  disk), each volume, or the VM's cluster group;
* the **phase** of a VM's backup it belongs to, which orders the findings of a
  VM: the VM and its backup application, the disks the host backup holds,
  the guest, the VM's state during the backup, where its files are, its
  configuration, and the cluster;
* its **effect** on the backup (:class:`Effect`): nothing, a disk left out,
  a guest that cannot take part, downtime, a weaker copy, no data, or failure;
* the release facts it applies under (``applies``), if not all.

The evaluation (:mod:`hyperv_backup.decide`) walks every scope of an
inventory and runs the checks of the profile that answers, phase by phase,
and works the outcome of each VM out of the effects of its findings. A check
function takes the subject of its scope and the :class:`Context` of the walk,
and returns a finding, several, or ``None``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.model import (
    VM,
    Attachment,
    Cluster,
    ClusterAction,
    GuestOS,
    Host,
    HostOS,
    ReplicationRole,
    VMState,
)
from hyperv_backup.rules.profiles import RELEASE_FACTS, Profile, ReleaseFacts
from hyperv_backup.rules.rule import Finding, Rule, Severity, finding
from hyperv_backup.rules.settings import DEFAULT_SETTINGS, HygieneSettings

if TYPE_CHECKING:
    from hyperv_backup.model import ClusterGroup, Consistency, Disk, Volume
    from hyperv_backup.rules.restore_points import Assessment, Protection

__all__ = [
    "Check",
    "CheckResult",
    "Context",
    "Effect",
    "Obstacle",
    "Phase",
    "Scope",
    "Subject",
    "always",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


class Scope(enum.StrEnum):
    """What a check looks at."""

    HOST = "host"
    VM = "vm"
    #: Each disk of the VM, in order.
    DISK = "disk"
    #: Each virtual hard disk of the VM (the disks the host backup holds).
    VIRTUAL_HARD_DISK = "virtual_hard_disk"
    #: Each volume of each disk of the VM's configuration, in order.
    VOLUME = "volume"
    #: The cluster group of a clustered VM.
    CLUSTER_GROUP = "cluster_group"


class Phase(enum.IntEnum):
    """The parts of a backup, in the order a VM's findings are listed."""

    #: The host and its backup application.
    HOST = 0
    #: The VM as its backup application sees it: snapshots, what the application supports.
    VM = 1
    #: Which disks the host backup holds.
    DISKS = 2
    #: Whether the guest takes part in the backup, and what its copy then holds.
    GUEST = 3
    #: The VM's state while it is backed up.
    STATE = 4
    #: Where the VM's files are.
    STORAGE = 5
    #: The VM's configuration version.
    CONFIGURATION = 6
    #: The cluster: what to do on a node before the backup.
    CLUSTER = 7
    #: The restore points a backup catalogue holds of the VM: asked once its
    #: outcome is known, when a catalogue is given, and never shaping the outcome.
    PROTECTION = 8

    @property
    def shapes_outcome(self) -> bool:
        """Whether the findings of this phase are reasons of the VM's backup outcome."""
        return Phase.GUEST <= self <= Phase.CONFIGURATION


class Effect(enum.StrEnum):
    """What a finding does to the host-level backup of its VM."""

    #: Worth knowing; the backup is the same.
    NONE = "none"
    #: A disk (or the storage of an adapter) is not in the host backup.
    LEAVES_OUT = "leaves_out"
    #: The backup application copies the running VM without Hyper-V (neither its
    #: VSS writer nor its WMI backup API): the guest takes no part, and what the
    #: copy holds is not documented.
    WITHOUT_HYPERV = "without_hyperv"
    #: The guest cannot take part in the backup. A release that saves such a VM
    #: (``saves_vm_guest_cannot_quiesce``) reports the finding and saves a
    #: running VM for the backup; the others keep it running, and report the
    #: finding through the rule that restates it (:attr:`Check.obstacle`).
    GUEST_CANNOT_TAKE_PART = "guest_cannot_take_part"
    #: The running or paused VM is saved for the backup: downtime.
    SAVES = "saves"
    #: A running VM is copied without its guest's help: crash-consistent.
    NOT_QUIESCED = "not_quiesced"
    #: A running VM's guest freezes its file systems: file-system-consistent.
    FREEZES_FILE_SYSTEMS = "freezes_file_systems"
    #: Whatever its state, the copy is crash-consistent.
    CRASH_CONSISTENT = "crash_consistent"
    #: The host backup holds none of the VM's data.
    HOLDS_NO_DATA = "holds_no_data"
    #: The backup of the VM fails.
    FAILS = "fails"
    #: The next backup cannot copy only what changed through resilient change
    #: tracking; what the copy holds is the same.
    NOT_INCREMENTAL = "not_incremental"


#: What a check function returns: one finding, several, or none.
CheckResult: TypeAlias = Finding | Sequence[Finding] | None


def always(_: ReleaseFacts) -> bool:
    """Apply under every release."""
    return True


@attrs.frozen(kw_only=True)
class Check:
    """When ``rule`` fires: ``findings`` asked of each subject of ``scope``.

    ``applies`` says under which release facts the check runs at all, in
    addition to the rule's ``profiles``. A check with the effect
    :attr:`Effect.GUEST_CANNOT_TAKE_PART` gives in ``obstacle`` what keeps
    the guest from taking part, as words a restating rule can quote; it is
    formatted with ``subject`` (the subject's name, quoted) and the fields of
    the subject. ``summary`` says in a few words what a VM needs so that the
    check does not fire, for the reference pages. A check that reads a
    backup catalogue (``needs_catalogue``) runs only when one is given.
    """

    rule: Rule
    scope: Scope
    phase: Phase
    effect: Effect
    findings: Callable[[Any, Context], CheckResult] = attrs.field(eq=False)
    applies: Callable[[ReleaseFacts], bool] = attrs.field(default=always, eq=False)
    obstacle: str | None = None
    summary: str | None = None
    needs_catalogue: bool = False

    def __attrs_post_init__(self) -> None:
        if self.effect is Effect.GUEST_CANNOT_TAKE_PART and self.obstacle is None:
            msg = f"a check of {self.rule.id} that keeps the guest out needs its obstacle"
            raise ValueError(msg)
        if (self.scope is Scope.HOST) is not (self.phase is Phase.HOST):
            msg = f"a check of {self.rule.id}: host checks, and only they, are of the host phase"
            raise ValueError(msg)


#: The guest families that take part through a VSS daemon rather than VSS.
_UNIX = frozenset({GuestOS.LINUX, GuestOS.FREEBSD})
_RUNNING, _VHD = VMState.RUNNING, Attachment.VIRTUAL_HARD_DISK


#: What a check looks at.
Subject: TypeAlias = "Host | VM | Disk | Volume | ClusterGroup"


class Obstacle:
    """A finding that keeps the guest from taking part, with the check and subject behind it."""

    __slots__ = ("check", "finding", "subject")

    def __init__(self, check: Check, subject: Subject, found: Finding) -> None:
        self.check = check
        self.subject = subject
        self.finding = found


#: The releases before Windows Server 2016, whose nodes hold a cluster at the 2012 R2 level.
_BEFORE_2016 = frozenset(
    {
        HostOS.WINDOWS_SERVER_2008,
        HostOS.WINDOWS_SERVER_2008_R2,
        HostOS.WINDOWS_SERVER_2012,
        HostOS.WINDOWS_SERVER_2012_R2,
    }
)
#: The cluster functional level of Windows Server 2016 ("Cluster operating system rolling upgrade").
LEVEL_2016 = 9


def _below_2016_level(cluster: Cluster | None, facts: ReleaseFacts) -> bool:
    """Tell whether a node answered as 2016 or later (``facts``), in ``cluster``, runs at the level of 2012 R2."""
    if cluster is None or facts.backs_up_through_vss_writer_only:
        return False
    level = cluster.functional_level
    if level is not None and level < LEVEL_2016:
        return True
    return any(node.os in _BEFORE_2016 for node in cluster.nodes)


class Context:
    """What the checks of one host, or of one VM on the node that backs it up, are given.

    ``host`` lists the VM (its owner node, for a clustered VM); ``node`` backs
    it up and is the host the findings name; ``cluster`` is the cluster of
    both, if any. ``facts`` are the facts the answering ``profile`` asks of
    the node's release; ``release`` the facts of the node's own release
    (which hotfixes it needs, which configuration versions it runs).
    ``below_2016_level`` says that the node runs Windows Server 2016 or later
    in a cluster that runs at the level of 2012 R2 (a lower functional level,
    or a node of an earlier release); ``wmi_backup`` that the WMI backup API
    of 2016 is there to use. For a VM: ``unix`` and ``replica`` say whether it is a
    Linux or FreeBSD guest, or a Hyper-V Replica copy, as far as the release
    knows such VMs; ``obstacles`` are what keeps its guest from taking part,
    found so far; ``quiesced`` turns false once its copy is known not to be
    quiesced, ``through_hyperv`` once its backup application is known to copy
    it without Hyper-V. For the cluster phase, ``action`` is what the cluster backup
    table asks on the node and ``moved`` whether the VM is moved to it first.
    When a backup catalogue is given, ``protection`` holds it as the checks of
    the protection phase read it, ``predicted`` is what the VM's copy is
    predicted to hold once the walk knows, and ``assessment`` is how the
    catalogue protects the VM, worked out by the first check that asks.
    ``settings`` are the limits the hygiene checks apply; ``memo`` holds what
    a check works out once for the whole walk (the files every VM uses).
    """

    #: The VM of the context; unset in a host's context.
    vm: VM

    __slots__ = (
        "action",
        "assessment",
        "at",
        "below_2016_level",
        "cluster",
        "csv",
        "facts",
        "host",
        "memo",
        "moved",
        "name",
        "node",
        "obstacles",
        "predicted",
        "profile",
        "protection",
        "quiesced",
        "release",
        "replica",
        "running",
        "settings",
        "through_hyperv",
        "unix",
        "visible",
        "vm",
        "windows_server_backup",
        "wmi_backup",
    )

    def __init__(
        self,
        host: Host,
        node: Host,
        profile: Profile,
        facts: ReleaseFacts,
        cluster: Cluster | None = None,
        *,
        protection: Protection | None = None,
        settings: HygieneSettings = DEFAULT_SETTINGS,
    ) -> None:
        self.host = host
        self.node = node
        self.at = node.name
        self.profile = profile
        self.facts = facts
        self.release = RELEASE_FACTS[node.os]
        self.cluster = cluster
        self.below_2016_level = _below_2016_level(cluster, facts)
        self.wmi_backup = not facts.backs_up_through_vss_writer_only and not self.below_2016_level
        app = node.backup_application
        self.windows_server_backup = app is not None and app.is_windows_server_backup
        self.name: str | None = None
        self.running = False
        self.unix = False
        self.replica = False
        self.csv = False
        self.quiesced = True
        self.through_hyperv = True
        self.visible: tuple[Disk, ...] = ()
        self.obstacles: list[Obstacle] = []
        self.action: ClusterAction | None = None
        self.moved = False
        self.protection = protection
        self.predicted: Consistency | None = None
        self.assessment: Assessment | None = None
        self.settings = settings
        self.memo: dict[str, object] = {}

    def on(self, vm: VM, *, csv: bool) -> Context:
        """Return the context of ``vm`` on this context's node; ``csv``: it has files on a CSV."""
        ctx = Context.__new__(Context)
        ctx.host, ctx.node, ctx.at = self.host, self.node, self.at
        ctx.profile, ctx.facts, ctx.release = self.profile, self.facts, self.release
        ctx.cluster, ctx.below_2016_level = self.cluster, self.below_2016_level
        ctx.wmi_backup = self.wmi_backup
        ctx.windows_server_backup = self.windows_server_backup
        ctx.vm, ctx.name = vm, vm.name
        ctx.running = vm.state is _RUNNING
        facts = self.facts
        ctx.unix = facts.knows_unix_guests and vm.guest_os in _UNIX
        ctx.replica = facts.has_replica and vm.replication_role is ReplicationRole.REPLICA
        ctx.csv = csv
        ctx.quiesced = True
        ctx.through_hyperv = True
        ctx.visible = tuple(d for d in vm.disks if d.attachment is _VHD)
        ctx.obstacles = []
        ctx.action = None
        ctx.moved = False
        ctx.protection = self.protection
        ctx.predicted = None
        ctx.assessment = None
        ctx.settings, ctx.memo = self.settings, self.memo
        return ctx

    def finding(
        self, rule: Rule, subject: str, message: str, severity: Severity | None = None
    ) -> Finding:
        """Build a finding of ``rule`` about ``subject``, located at this node and VM."""
        return finding(rule, subject, message, host=self.at, vm=self.name, severity=severity)
