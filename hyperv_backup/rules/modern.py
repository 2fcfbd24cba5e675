"""Windows Server 2012 and later (HVB6xx): what a host-level backup does on the later releases.

Each rule cites the Microsoft page and heading it comes from, and says whether
the page states it or the project infers it (then with the inference, and its
entry in ``docs/interpretation.md``). Behaviours no page was found for are not
rules, or are warnings that say the outcome is not documented.
"""

from __future__ import annotations

from typing import Any

from hyperv_backup._base import public_dir
from hyperv_backup._base.quoting import quoted
from hyperv_backup.model import (
    VM,
    Attachment,
    CheckpointType,
    Disk,
    GuestOS,
    HostStorage,
    computer_key,
    os_label,
)
from hyperv_backup.rules._paths import smb_server
from hyperv_backup.rules.check import Check, CheckResult, Context, Effect, Obstacle, Phase, Scope
from hyperv_backup.rules.pages import (
    CHECKPOINT_TROUBLESHOOTING,
    CHECKPOINTS,
    CSV_MANAGE,
    DPM_HYPERV,
    FREEBSD_VSS_DAEMON,
    GUEST_CLUSTER_KB,
    INTEGRATION_SERVICES_MANAGE,
    LINUX_FEATURES,
    LINUX_UBUNTU,
    SNAPSHOT_SETTINGS,
    VM_VERSION,
    WMI_BACKUP,
)
from hyperv_backup.rules.profiles import Profile, ReleaseFacts
from hyperv_backup.rules.rule import Rule, Severity
from hyperv_backup.rules.source import Claim, Page, Source

#: How messages name a guest family, a remote storage and a hidden disk.
_FAMILY = {GuestOS.LINUX: "Linux", GuestOS.FREEBSD: "FreeBSD"}
_REMOTE_TEXT = {
    HostStorage.SMB: "an SMB share",
    HostStorage.HOST_ISCSI: "iSCSI storage of the host",
}
_PASS_THROUGH, _GUEST_ISCSI = Attachment.PASS_THROUGH, Attachment.GUEST_ISCSI
_HIDDEN_TEXT = {_PASS_THROUGH: "a pass-through disk", _GUEST_ISCSI: "guest iSCSI storage"}
_SMB, _CSV = HostStorage.SMB, HostStorage.CLUSTER_SHARED_VOLUME
#: Production checkpoints need this configuration version or later.
_PRODUCTION_CHECKPOINTS = (6, 2)


def _family(vm: VM) -> str:
    return _FAMILY[vm.guest_os]  # asked of Linux and FreeBSD guests only


def _then(ctx: Context) -> str:
    """Say what happens to the copy of a VM whose guest does not take part."""
    if not ctx.through_hyperv:
        return "its backup application does not go through Hyper-V anyway (HVB109)"
    if ctx.running:
        return "it keeps running, and its copy is not application-consistent (read as crash-consistent)"
    return "once it runs, its copy would not be application-consistent (read as crash-consistent)"


def _inferred(inference: str, anchor: str, page: Page, heading: str) -> Source:
    """Return the source of a claim the project infers from ``page``, read as ``anchor`` says."""
    return Source(
        page=page,
        heading=heading,
        claim=Claim.INFERRED,
        inference=inference,
        anchor=anchor,
    )


__all__ = [
    "CSV_ANY_NODE",
    "FIBRE_CHANNEL_STORAGE",
    "FILE_SYSTEM_CONSISTENT",
    "FREEBSD_NOT_UFS",
    "GUEST_NOT_QUIESCED",
    "LINUX_SAVED",
    "MODERN_CHECKS",
    "MODERN_RULES",
    "NO_FILE_SERVER_VSS_AGENT",
    "NO_SCSI_CONTROLLER",
    "NO_VISIBLE_DISK",
    "PRODUCTION_ONLY_FAILS",
    "REPLICA_CRASH_CONSISTENT",
    "REPLICA_NOT_BACKED_UP",
    "SHARED_VHDX",
    "SPLIT_SMB_LOCAL",
    "UNIX_HIDDEN_STORAGE",
    "UNIX_REMOTE_STORAGE",
    "UNSUPPORTED_VERSION",
    "VERSION_BEFORE_PRODUCTION_CHECKPOINTS",
    "VHD_SET_GUEST_CLUSTER",
    "VSS_DAEMON_NOT_RUNNING",
    "WSB_CSV_CRASH_CONSISTENT",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: HVB601.
LINUX_SAVED = Rule(
    id="HVB601",
    title="Linux guest is saved for the backup on Windows Server 2012",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2012}),
    source=Source(page=DPM_HYPERV, heading="Online and offline backup"),
    description=(
        "On a Windows Server 2012 host a Linux or FreeBSD guest cannot take part in an "
        "online backup, so the running VM is saved while it is backed up (downtime)."
    ),
    remedy=(
        "Plan the downtime, or move the VM to a Windows Server 2012 R2 or later host, "
        "where Linux guests are backed up while they run."
    ),
)


def _linux_saved(vm: VM, ctx: Context) -> CheckResult:
    if not ctx.unix or ctx.replica:
        return None
    return ctx.finding(
        LINUX_SAVED,
        vm.name,
        f"VM {quoted(vm.name)} runs a {_family(vm)} guest, which Windows Server 2012 cannot back up "
        "online.",
    )


#: HVB602.
GUEST_NOT_QUIESCED = Rule(
    id="HVB602",
    title="Guest cannot take part: not application-consistent",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2012, Profile.WS2016}),
    source=_inferred(
        "The section says that from Windows Server 2012 R2 on the VMs keep running during "
        "the backup and its online and offline conditions no longer apply; a running VM "
        "copied without its guest taking part is read as crash-consistent, the level the "
        "WMI settings of a backup's checkpoint name beside application-consistent.",
        "hvb602",
        DPM_HYPERV,
        "Online and offline backup",
    ),
    description=(
        "From Windows Server 2012 R2 on, a VM keeps running while it is backed up. Its "
        "guest takes part only under the conditions the Hyper-V WMI page 'Backing up and "
        "restoring virtual machines' gives: the backup integration service installed and "
        "running, basic disks, file systems that take shadow copies (NTFS, ReFS), and the "
        "checkpoint files on the volume of the virtual hard disks; an uninventoried guest "
        "is not assumed to meet them. When one fails, the applications are not quiesced and "
        "the copy is not application-consistent. No page says what it is instead: it is "
        "read as crash-consistent (restored, the VM starts as after a power loss), and a "
        "backup application may also fail such a backup rather than take it."
    ),
    remedy=("Remove the named obstacle to get an application-consistent backup."),
)


class _Fields(dict[str, object]):
    """The fields of an obstacle's subject, read when its words name them."""

    def __init__(self, obstacle: Obstacle) -> None:
        super().__init__(subject=quoted(obstacle.finding.subject))
        self.of = obstacle.subject

    def __missing__(self, key: str) -> object:
        value = getattr(self.of, key)
        return getattr(value, "value", value)


def _guest_not_quiesced(vm: VM, ctx: Context) -> CheckResult:
    if not ctx.obstacles:
        return None
    then = _then(ctx)
    return [
        ctx.finding(
            GUEST_NOT_QUIESCED,
            obstacle.finding.subject,
            f"VM {quoted(vm.name)} cannot take part in its backup "
            f"({obstacle.check.obstacle.format_map(_Fields(obstacle))}); {then}.",  # type: ignore[union-attr]
        )
        for obstacle in ctx.obstacles
    ]


#: HVB603.
PRODUCTION_ONLY_FAILS = Rule(
    id="HVB603",
    title="Production-only checkpoints and a guest that cannot take part: the backup may fail",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2016}),
    source=_inferred(
        "The page says that without the fallback to a standard checkpoint no checkpoint is "
        "taken when a production one cannot be, of the checkpoints a user takes; whether "
        "the checkpoint a backup takes honours the setting is not documented, so the backup "
        "may fail.",
        "hvb603",
        CHECKPOINTS,
        "Change checkpoints to production or standard checkpoints",
    ),
    description=(
        "The VM is set to production checkpoints with no fallback to a standard "
        "checkpoint, and its guest cannot take part. For the checkpoints a user takes, "
        "Hyper-V then takes none at all. Whether the checkpoint of a backup (from Windows "
        "Server 2016 on, a backup through the WMI API takes one) honours the setting is "
        "not documented: the backup may fail, or be taken without the guest (HVB602)."
    ),
    remedy=(
        "Fix what keeps the guest from taking part, or allow the fallback to a standard "
        "checkpoint (Set-VM -CheckpointType Production); check the backup application's "
        "result for this VM."
    ),
)


def _production_only(vm: VM, ctx: Context) -> CheckResult:
    if (
        not ctx.running
        or ctx.quiesced
        or ctx.replica
        or vm.checkpoint_type is not CheckpointType.PRODUCTION_ONLY
    ):
        return None
    return ctx.finding(
        PRODUCTION_ONLY_FAILS,
        vm.name,
        f"VM {quoted(vm.name)} allows production checkpoints only and its guest cannot take part: "
        + (
            "if its backup's checkpoint honours the setting, none is taken and the backup fails."
            if ctx.through_hyperv
            else "a backup through Hyper-V whose checkpoint honours the setting would take none "
            "and fail (this one copies the VM without Hyper-V)."
        ),
    )


#: HVB604.
FILE_SYSTEM_CONSISTENT = Rule(
    id="HVB604",
    title="Linux guest: file-system-consistent backup",
    severity=Severity.INFO,
    profiles=frozenset({Profile.WS2012, Profile.WS2016}),
    source=Source(page=DPM_HYPERV, heading="Backup prerequisites"),
    description=(
        "A Linux or FreeBSD guest takes part in a backup by freezing its file systems "
        "through its VSS daemon. The copy is consistent at file-system level; there are "
        "no application writers to quiesce the applications inside. The DPM page says "
        "only file-consistent snapshots of Linux VMs are supported; the Azure Backup Server "
        "pages say the same for the releases after those DPM covers."
    ),
    remedy=(
        "For application-consistent copies of a Linux workload, add a backup inside the "
        "guest that the application supports."
    ),
)


def _file_system_consistent(vm: VM, ctx: Context) -> CheckResult:
    # Windows Server Backup copies a VM on a CSV crash-consistent: HVB615 says so.
    if (
        not (ctx.running and ctx.quiesced and ctx.unix and ctx.through_hyperv)
        or ctx.replica
        or _wsb_on_csv(ctx)
    ):
        return None
    return ctx.finding(
        FILE_SYSTEM_CONSISTENT,
        vm.name,
        f"VM {quoted(vm.name)} freezes its {_family(vm)} file systems for the backup: "
        "the copy is file-system-consistent, with no downtime.",
    )


#: HVB605.
VSS_DAEMON_NOT_RUNNING = Rule(
    id="HVB605",
    title="Linux VSS daemon not running: not file-system-consistent",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2012, Profile.WS2016}),
    source=_inferred(
        "The page says the daemon is required to create live backups of a Linux VM; without "
        "it the guest takes no part, and its copy is read as crash-consistent, as for "
        "HVB602.",
        "hvb605",
        INTEGRATION_SERVICES_MANAGE,
        "Start and stop an integration service from a Linux guest",
    ),
    description=(
        "The VSS daemon of a Linux or FreeBSD guest (hv_vss_daemon, packaged as "
        "hypervvssd) is not running, or was not seen running. Without it the guest "
        "cannot freeze its file systems for the backup: the copy is not "
        "file-system-consistent. No page says what it is instead; it is read as "
        "crash-consistent, as for HVB602, and a backup application may also fail the "
        "backup."
    ),
    remedy=(
        "Install the Hyper-V daemons package of the distribution and enable the VSS "
        "daemon (for example systemctl enable --now hypervvssd)."
    ),
)


def _vss_daemon_not_running(vm: VM, ctx: Context) -> CheckResult:
    if not ctx.unix or ctx.obstacles or vm.vss_daemon is True or ctx.replica:
        return None
    seen = "is not running" if vm.vss_daemon is False else "was not seen running"
    return ctx.finding(
        VSS_DAEMON_NOT_RUNNING,
        vm.name,
        f"The VSS daemon of {_family(vm)} VM {quoted(vm.name)} {seen}; {_then(ctx)}.",
    )


#: HVB606.
UNIX_REMOTE_STORAGE = Rule(
    id="HVB606",
    title="Linux guest with disks on remote storage: live backup fails",
    severity=Severity.ERROR,
    profiles=frozenset({Profile.WS2012, Profile.WS2016}),
    source=Source(page=LINUX_FEATURES, heading="Storage"),
    description=(
        "A Linux or FreeBSD guest has virtual hard disks on remote storage (an SMB share "
        "or an iSCSI volume of the host). A live backup of such a VM does not succeed."
    ),
    remedy=(
        "Move the VM's virtual hard disks to local, SAN or Cluster Shared Volume "
        "storage, or back it up from inside the guest."
    ),
)


def _unix_remote_storage(disk: Disk, ctx: Context) -> CheckResult:
    storage = disk.host_storage
    # Only a running VM has a live backup.
    if not ctx.unix or not ctx.running or storage not in _REMOTE_TEXT:
        return None
    return ctx.finding(
        UNIX_REMOTE_STORAGE,
        disk.name,
        f"Disk {quoted(disk.name)} of {_family(ctx.vm)} VM {quoted(ctx.name)} is on "
        f"{_REMOTE_TEXT[storage]}; its live backup does not succeed.",
    )


#: HVB607.
UNIX_HIDDEN_STORAGE = Rule(
    id="HVB607",
    title="Linux guest with pass-through or iSCSI storage: backup can fail silently",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2012, Profile.WS2016}),
    source=_inferred(
        "The note is on the page of Ubuntu guests; it is read as holding for every Linux "
        "and FreeBSD guest, whose live backup goes through the same VSS daemon.",
        "hvb607",
        LINUX_UBUNTU,
        "Notes",
    ),
    description=(
        "A Linux or FreeBSD guest has a pass-through disk or storage of its own iSCSI "
        "initiator attached. Microsoft notes, for Ubuntu guests, that a live backup of such "
        "a VM can fail without saying so; the note is applied to every Linux and FreeBSD "
        "guest."
    ),
    remedy=(
        "Check each backup of this VM by restoring it, or back the VM up from inside the guest."
    ),
)


def _unix_hidden_storage(disk: Disk, ctx: Context) -> CheckResult:
    # Only a running VM has a live backup.
    if not ctx.unix or not ctx.running or disk.attachment not in _HIDDEN_TEXT:
        return None
    return ctx.finding(
        UNIX_HIDDEN_STORAGE,
        disk.name,
        f"Disk {quoted(disk.name)} of {_family(ctx.vm)} VM {quoted(ctx.name)} is "
        f"{_HIDDEN_TEXT[disk.attachment]}; its backup can fail without saying so.",
    )


#: HVB608.
NO_SCSI_CONTROLLER = Rule(
    id="HVB608",
    title="Generation 1 VM without a SCSI controller on Windows Server 2012 R2",
    severity=Severity.ERROR,
    profiles=frozenset({Profile.WS2012}),
    source=_inferred(
        "The prerequisites say an online backup on Windows Server 2012 R2 mounts a disk in "
        "the VM through a SCSI controller, and that event 10103 is logged when one is "
        "missing; the backup is read as failing.",
        "hvb608",
        DPM_HYPERV,
        "Backup prerequisites",
    ),
    description=(
        "On Windows Server 2012 R2 the host attaches a disk to the VM through a SCSI "
        "controller during an online backup. A generation 1 VM without one cannot be "
        "backed up online, and the host logs event 10103; its backup is read as failing."
    ),
    remedy="Add a SCSI controller to the VM; it need not have a disk attached.",
)


def _no_scsi_controller(vm: VM, ctx: Context) -> CheckResult:
    if (
        not (ctx.running and ctx.quiesced)
        or ctx.replica
        or vm.generation == 2
        or vm.scsi_controller is not False
    ):
        return None
    return ctx.finding(
        NO_SCSI_CONTROLLER,
        vm.name,
        f"Generation 1 VM {quoted(vm.name)} has no SCSI controller, which an online backup "
        f"on Windows Server 2012 R2 host {quoted(ctx.at)} needs; "
        + (
            "its backup fails."
            if ctx.through_hyperv
            else "a backup through Hyper-V would fail (this one copies the VM without Hyper-V)."
        ),
    )


#: HVB609.
UNSUPPORTED_VERSION = Rule(
    id="HVB609",
    title="Configuration version not supported by the host",
    severity=Severity.ERROR,
    profiles=frozenset({Profile.WS2012, Profile.WS2016}),
    source=_inferred(
        "The table gives the configuration versions each release supports, and the page "
        "says a VM of another version must be upgraded or rebuilt before it can start; a "
        "host-level backup of it is read as failing there.",
        "hvb609",
        VM_VERSION,
        "Supported VM configuration versions for long-term servicing hosts",
    ),
    description=(
        "The VM's configuration version is not one the host's release supports, so the "
        "VM cannot be imported or started there. No page says what its backup does; the "
        "host cannot back it up as a working VM, and the backup is read as failing."
    ),
    remedy=(
        "Upgrade the configuration version (Update-VMVersion) on a host that supports "
        "both versions, or recreate the VM from its virtual hard disks."
    ),
)


def _supported(ctx: Context) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Return the configuration versions the node's own release runs, if the table lists it."""
    return ctx.release.configuration_versions


def _unsupported_version(vm: VM, ctx: Context) -> CheckResult:
    version = vm.configuration_version_tuple
    supported = _supported(ctx)
    if version is None or supported is None or supported[0] <= version <= supported[1]:
        return None
    low, high = (f"{a}.{b}" for a, b in supported)
    return ctx.finding(
        UNSUPPORTED_VERSION,
        vm.name,
        f"VM {quoted(vm.name)} has configuration version {vm.configuration_version}; "
        f"{os_label(ctx.node.os)} runs {low} to {high}, so the VM cannot start there.",
    )


#: HVB610.
VERSION_BEFORE_PRODUCTION_CHECKPOINTS = Rule(
    id="HVB610",
    title="Configuration version too old for production checkpoints",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2016}),
    source=Source(
        page=VM_VERSION,
        heading="What happens if I don't upgrade the virtual machine configuration version?",
    ),
    description=(
        "Production checkpoints need configuration version 6.2 or later; this VM's "
        "version is older, so it cannot have the checkpoints a Windows Server 2016 or "
        "later backup takes through the guest. (System Center DPM's notes of 2016 add that "
        "VMs made on 2012 R2 or earlier have no resilient change tracking until their "
        "version is upgraded; they name no version number.)"
    ),
    remedy=(
        "Upgrade the configuration version (Update-VMVersion) once the VM no longer "
        "needs to move back to an older host."
    ),
)


def _version_before_production_checkpoints(vm: VM, ctx: Context) -> CheckResult:
    version = vm.configuration_version_tuple
    if version is None or version >= _PRODUCTION_CHECKPOINTS:
        return None
    supported = _supported(ctx)
    if supported is not None and not supported[0] <= version <= supported[1]:
        return None  # HVB609 says more: the VM does not start at all
    return ctx.finding(
        VERSION_BEFORE_PRODUCTION_CHECKPOINTS,
        vm.name,
        f"VM {quoted(vm.name)} has configuration version {vm.configuration_version}, older "
        "than the 6.2 production checkpoints need.",
    )


#: HVB611.
SHARED_VHDX = Rule(
    id="HVB611",
    title="Shared VHDX cannot be checkpointed: host backup fails",
    severity=Severity.ERROR,
    profiles=frozenset({Profile.WS2012, Profile.WS2016}),
    source=_inferred(
        "The guide lists shared VHDX among the configurations whose checkpoints are not "
        "supported, and says checkpoints are what backups are taken from; the host backup "
        "of such a VM is read as failing.",
        "hvb611",
        CHECKPOINT_TROUBLESHOOTING,
        "Can't create, merge, or delete checkpoints",
    ),
    description=(
        "A disk is a shared VHDX (a .vhdx shared by a guest cluster). The checkpoint "
        "troubleshooting guide says checkpoints of shared VHDX are not supported (the VHD "
        "Set format of Windows Server 2016, 'Create Hyper-V VHD Set files', is the shared "
        "disk that can be part of one), so a host-level backup of this VM is read as "
        "failing. The guide covers the supported releases; for 2012 R2 no page was found "
        "that says so, and it is read the same way."
    ),
    remedy=(
        "Convert the shared disk to a VHD Set (.vhds) on Windows Server 2016 or later, or "
        "back the guest cluster up from inside its guests."
    ),
)


def _shared_vhdx(disk: Disk, ctx: Context) -> CheckResult:
    if not disk.shared or disk.is_vhd_set:
        return None
    return ctx.finding(
        SHARED_VHDX,
        disk.name,
        f"Disk {quoted(disk.name)} of VM {quoted(ctx.name)} is a shared VHDX, which cannot be "
        "part of a checkpoint; the host backup of the VM fails.",
    )


#: HVB612.
VHD_SET_GUEST_CLUSTER = Rule(
    id="HVB612",
    title="VHD Set of a guest cluster: conditions for a host backup",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2012, Profile.WS2016}),
    source=_inferred(
        "The article gives the conditions of a backup of VHD Sets and says VHD Sets are not "
        "supported as shared storage on Windows Server 2012 R2 and earlier; not supported "
        "there is read as the host backup failing.",
        "hvb612",
        GUEST_CLUSTER_KB,
        "Cause and resolution",
    ),
    description=(
        "A disk is a VHD Set shared by a guest cluster. Its host backup works only when "
        "the Cluster service runs in every guest, the shared disk is not a Cluster Shared "
        "Volume inside the guest cluster, every shared disk is online in it, and the VM "
        "worker processes may write the folder of the .vhds files. VHD Sets are not "
        "supported as shared storage on Windows Server 2012 R2 and earlier."
    ),
    remedy=(
        "Check the four conditions before the backup; on Windows Server 2012 R2 use a "
        "guest-level backup."
    ),
    severity_note="error on Windows Server 2012 and 2012 R2",
)


def _vhd_set_unsupported(disk: Disk, ctx: Context) -> CheckResult:
    if not (disk.shared and disk.is_vhd_set):
        return None
    return ctx.finding(
        VHD_SET_GUEST_CLUSTER,
        disk.name,
        f"Disk {quoted(disk.name)} of VM {quoted(ctx.name)} is a VHD Set, not supported as shared "
        f"storage on {os_label(ctx.node.os)}; its host backup fails.",
        Severity.ERROR,
    )


def _vhd_set_conditions(disk: Disk, ctx: Context) -> CheckResult:
    if not (disk.shared and disk.is_vhd_set):
        return None
    return ctx.finding(
        VHD_SET_GUEST_CLUSTER,
        disk.name,
        f"Disk {quoted(disk.name)} of VM {quoted(ctx.name)} is a VHD Set of a guest cluster; its "
        "host backup needs the guest cluster healthy (see the remedy).",
    )


#: HVB613.
NO_FILE_SERVER_VSS_AGENT = Rule(
    id="HVB613",
    title="SMB file server without the File Server VSS Agent",
    severity=Severity.ERROR,
    profiles=frozenset({Profile.WS2012, Profile.WS2016}),
    source=_inferred(
        "The prerequisites ask for the File Server VSS Agent Service on each SMB file server "
        "holding VMs; without it the share cannot join the backup's shadow copy, and the "
        "backup is read as failing.",
        "hvb613",
        DPM_HYPERV,
        "Backup prerequisites",
    ),
    description=(
        "The VM's files are on an SMB 3 share, and the File Server VSS Agent Service does "
        "not run on that file server (or that was not seen): the file server's own entry "
        "in file_servers answers, else the host's file_server_vss_agent. Without it the "
        "share cannot take part in the backup's shadow copy, and the backup is read as "
        "failing."
    ),
    remedy=(
        "Install the File Server VSS Agent Service role service on every SMB file server "
        "that holds VM files."
    ),
    severity_note="warning when the agent's presence was not collected",
)


def _agents(vm: VM, ctx: Context) -> list[tuple[Disk, str | None, bool | None]]:
    """Return, per file server of the VM's SMB disks, its first disk, name and agent.

    A server listed in the node's ``file_servers`` is answered by its entry; the
    disks of the other servers are answered together by ``file_server_vss_agent``,
    through their first disk, with no server named.
    """
    node = ctx.node
    listed = {computer_key(f.name): f for f in node.file_servers}
    found: dict[str | None, tuple[Disk, str | None, bool | None]] = {}
    for disk in ctx.visible:
        if disk.host_storage is not _SMB:
            continue
        server = smb_server(disk.path)
        entry = None if server is None else listed.get(computer_key(server))
        key = None if entry is None else computer_key(entry.name)
        if key not in found:
            if entry is None:
                found[key] = (disk, None, node.file_server_vss_agent)
            else:
                found[key] = (disk, entry.name, entry.vss_agent)
    return list(found.values())


def _no_file_server_vss_agent(vm: VM, ctx: Context) -> CheckResult:
    found = [
        ctx.finding(
            NO_FILE_SERVER_VSS_AGENT,
            disk.name,
            f"Disk {quoted(disk.name)} of VM {quoted(vm.name)} is on an SMB share whose file server"
            f"{'' if server is None else f' {quoted(server)}'} does not run the File Server VSS "
            "Agent; the backup fails.",
        )
        for disk, server, agent in _agents(vm, ctx)
        if agent is False
    ]
    return found or None


def _file_server_vss_agent_unknown(vm: VM, ctx: Context) -> CheckResult:
    found = [
        ctx.finding(
            NO_FILE_SERVER_VSS_AGENT,
            disk.name,
            f"Disk {quoted(disk.name)} of VM {quoted(vm.name)} is on an SMB share; whether its file "
            f"server{'' if server is None else f' {quoted(server)}'} runs the File Server VSS Agent "
            "was not collected.",
            Severity.WARNING,
        )
        for disk, server, agent in _agents(vm, ctx)
        if agent is None
    ]
    return found or None


#: HVB614.
SPLIT_SMB_LOCAL = Rule(
    id="HVB614",
    title="VM files split between local volumes and an SMB share",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2012, Profile.WS2016}),
    source=Source(page=DPM_HYPERV, heading="Backup prerequisites"),
    description=(
        "Some of the VM's virtual hard disks are on the host's own volumes and some on an "
        "SMB share. Backing up a VM split this way is not supported."
    ),
    remedy="Move all of the VM's files to the share, or all of them to local storage.",
)


def _split_smb_local(vm: VM, ctx: Context) -> CheckResult:
    smb = sum(1 for d in ctx.visible if d.host_storage is _SMB)
    if not smb or smb == len(ctx.visible):
        return None
    return ctx.finding(
        SPLIT_SMB_LOCAL,
        vm.name,
        f"VM {quoted(vm.name)} has {smb} of its {len(ctx.visible)} virtual hard disks on "
        "an SMB share and the others on local volumes.",
    )


#: HVB615.
WSB_CSV_CRASH_CONSISTENT = Rule(
    id="HVB615",
    title="Windows Server Backup on a Cluster Shared Volume: crash-consistent only",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2012, Profile.WS2016}),
    source=Source(page=CSV_MANAGE, heading="Backing up CSVs"),
    description=(
        "Windows Server Backup backs up a VM on a Cluster Shared Volume only as a "
        "crash-consistent volume-level copy; the backup succeeds, and an error event says "
        "that an application-consistent one is not supported. The page covers every "
        "release from 2012 on; its earlier version ('Use Cluster Shared Volumes in a "
        "failover cluster') named Windows Server Backup of 2008 R2 to 2012 R2."
    ),
    remedy=(
        "Use a backup application that supports application-consistent backup of VMs "
        "on Cluster Shared Volumes."
    ),
)


def _virtual_disk_on_csv(ctx: Context) -> bool:
    return any(d.host_storage is _CSV for d in ctx.visible)


def _wsb_on_csv(ctx: Context) -> bool:
    """Whether Windows Server Backup copies the VM of ``ctx`` from a Cluster Shared Volume."""
    return ctx.windows_server_backup and _virtual_disk_on_csv(ctx)


def _wsb_csv(vm: VM, ctx: Context) -> CheckResult:
    if not _wsb_on_csv(ctx):
        return None
    return ctx.finding(
        WSB_CSV_CRASH_CONSISTENT,
        vm.name,
        f"VM {quoted(vm.name)} is on a Cluster Shared Volume, which Windows Server Backup "
        f"on {quoted(ctx.at)} copies crash-consistent only.",
    )


#: HVB616.
CSV_ANY_NODE = Rule(
    id="HVB616",
    title="VM on a Cluster Shared Volume: backed up from any node",
    severity=Severity.INFO,
    profiles=frozenset({Profile.WS2012, Profile.WS2016}),
    source=Source(page=CSV_MANAGE, heading="Backing up CSVs"),
    description=(
        "Files of the VM live on a Cluster Shared Volume. From Windows Server 2012 on, a "
        "volume-level backup of a CSV runs from any node that reaches it, and CSV needs "
        "no backup steps beyond those of other cluster storage: no owner move is planned. "
        "The same section warns that restoring onto a CSV from another node than the one "
        "that backed it up may overwrite application state on the restoring node, with "
        "some backup applications."
    ),
    remedy="Nothing to prepare; the backup application picks the node.",
)


def _csv_any_node(vm: VM, ctx: Context) -> CheckResult:
    if not _virtual_disk_on_csv(ctx):
        return None
    return ctx.finding(
        CSV_ANY_NODE,
        vm.name,
        f"VM {quoted(vm.name)} has files on a Cluster Shared Volume: it is backed up from any "
        "node, with no owner move.",
    )


#: HVB617.
REPLICA_CRASH_CONSISTENT = Rule(
    id="HVB617",
    title="Replica VM: crash-consistent backup only",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2012, Profile.WS2016}),
    source=Source(page=DPM_HYPERV, heading="Back up replica virtual machines"),
    description=(
        "The VM is a Hyper-V Replica copy. It is off until a failover, so its backup "
        "cannot be application-consistent: it is crash-consistent."
    ),
    remedy=(
        "Back up the primary VM for application-consistent copies; keep replica backups "
        "for offloaded or long-term copies."
    ),
)


def _replica_crash_consistent(vm: VM, ctx: Context) -> CheckResult:
    if not (ctx.replica and ctx.facts.backs_up_replicas and vm.replication_ready):
        return None
    return ctx.finding(
        REPLICA_CRASH_CONSISTENT,
        vm.name,
        f"VM {quoted(vm.name)} is a Hyper-V Replica copy, off until a failover: its backup is "
        "crash-consistent.",
    )


#: HVB618.
REPLICA_NOT_BACKED_UP = Rule(
    id="HVB618",
    title="Replica VM cannot be backed up now",
    severity=Severity.ERROR,
    profiles=frozenset({Profile.WS2012, Profile.WS2016}),
    source=_inferred(
        "The page lists the replication states in which a replica's backup fails; that "
        "replicas are backed up only with DPM 2012 R2 on a Windows Server 2012 R2 host is a "
        "statement about one product, read as a 2012 host not backing up replica VMs.",
        "hvb618",
        DPM_HYPERV,
        "Back up replica virtual machines",
    ),
    description=(
        "The VM is a Hyper-V Replica copy that is not in a normal state (critical health, "
        "initial replication or resynchronisation, log apply, failover or migration under "
        "way), or the host runs Windows Server 2012: System Center DPM documents replica "
        "backups only from 2012 R2 on. The backup of this VM fails."
    ),
    remedy=(
        "Back up the primary VM, or wait until replication is back to normal (on a "
        "Windows Server 2012 R2 or later replica host)."
    ),
)


def _replica_not_backed_up(vm: VM, ctx: Context) -> CheckResult:
    if not ctx.replica:
        return None
    if not ctx.facts.backs_up_replicas:
        why = f"Windows Server 2012 host {quoted(ctx.at)} cannot back up a replica VM"
    elif not vm.replication_ready:
        why = "its replication is not in a normal state"
    else:
        return None
    return ctx.finding(
        REPLICA_NOT_BACKED_UP,
        vm.name,
        f"VM {quoted(vm.name)} is a Hyper-V Replica copy and {why}; its backup fails.",
    )


#: HVB619.
FIBRE_CHANNEL_STORAGE = Rule(
    id="HVB619",
    title="Virtual Fibre Channel storage is not in the host backup",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2012, Profile.WS2016}),
    source=_inferred(
        "The class says Fibre Channel disks, like pass-through disks, are disks a backup's "
        "checkpoint ignores when asked to; ignored or failing, their data is not in the "
        "host backup. For 2012 and 2012 R2 no page says so; they are read like pass-through "
        "disks.",
        "hvb619",
        SNAPSHOT_SETTINGS,
        "Properties",
    ),
    description=(
        "The VM has virtual Fibre Channel adapters: the guest reaches SAN LUNs directly. "
        "From 2016 on, a backup's checkpoint either leaves such storage out "
        "(IgnoreNonSnapshottableDisks) or fails (HVB204); on 2012 and 2012 R2 it is read "
        "like a pass-through disk, which the host cannot see. Either way the host backup "
        "does not hold it."
    ),
    remedy="Back up the data on those LUNs from inside the guest, or on the SAN.",
)


def _virtual_fibre_channel(vm: VM, ctx: Context) -> CheckResult:
    return [
        ctx.finding(
            FIBRE_CHANNEL_STORAGE,
            adapter,
            f"Virtual Fibre Channel adapter {quoted(adapter)} of VM {quoted(vm.name)} reaches SAN "
            "storage the host backup does not hold.",
        )
        for adapter in vm.fibre_channel_adapters
    ] or None


#: HVB620.
NO_VISIBLE_DISK = Rule(
    id="HVB620",
    title="No disk the host backup can hold",
    severity=Severity.ERROR,
    profiles=frozenset({Profile.WS2012, Profile.WS2016}),
    source=_inferred(
        "The note says pass-through and iSCSI disks are not visible to the host and not "
        "backed up by the writer; a VM with no other disk has none of its data in the "
        "host backup.",
        "hvb620",
        WMI_BACKUP,
        "Backing up the virtual machines",
    ),
    description=(
        "Every disk of the VM is a pass-through disk or guest iSCSI storage, which the "
        "host cannot see; the host backup holds the VM's configuration but none of its "
        "data."
    ),
    remedy="Back up the VM from inside the guest.",
)


def _no_visible_disk(vm: VM, ctx: Context) -> CheckResult:
    if not vm.disks or ctx.visible:
        return None
    return ctx.finding(
        NO_VISIBLE_DISK,
        vm.name,
        f"Every disk of VM {quoted(vm.name)} is a pass-through or guest iSCSI disk; the host "
        "backup holds its configuration only.",
    )


#: HVB621.
FREEBSD_NOT_UFS = Rule(
    id="HVB621",
    title="FreeBSD guest with a writable file system other than UFS: not file-system-consistent",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2012, Profile.WS2016}),
    source=_inferred(
        "The daemon's check of a backup request refuses it when a writable file system "
        "other than UFS is mounted outside /dev, and its freeze suspends UFS file systems "
        "only; such a guest takes no part, and its copy is read as crash-consistent, as for "
        "HVB602.",
        "hvb621",
        FREEBSD_VSS_DAEMON,
        "check()",
    ),
    description=(
        "The VSS daemon of FreeBSD guests, written by Microsoft and kept in FreeBSD's "
        "source tree, freezes UFS file systems only, and refuses the backup when any "
        "writable file system of another type (ZFS, tmpfs, ...) is mounted outside /dev. "
        "The guest then cannot freeze its file systems: the copy is not "
        "file-system-consistent, and is read as crash-consistent. No Microsoft page says "
        "this."
    ),
    remedy=(
        "Keep the guest's writable file systems on UFS, or back the data on the others up "
        "from inside the guest."
    ),
)


def _freebsd_not_ufs(vm: VM, ctx: Context) -> CheckResult:
    if (
        vm.guest_os is not GuestOS.FREEBSD
        or not ctx.unix
        or ctx.replica
        or ctx.obstacles
        or vm.vss_daemon is not True
    ):
        return None
    others = sorted({t for t in vm.writable_file_systems if not t.casefold().startswith("ufs")})
    if not others:
        return None
    return ctx.finding(
        FREEBSD_NOT_UFS,
        vm.name,
        f"FreeBSD VM {quoted(vm.name)} has writable file systems of type {', '.join(others)}, so "
        f"its VSS daemon refuses to freeze; {_then(ctx)}.",
    )


#: The rules of this family, in ID order.
MODERN_RULES: tuple[Rule, ...] = (
    LINUX_SAVED,
    GUEST_NOT_QUIESCED,
    PRODUCTION_ONLY_FAILS,
    FILE_SYSTEM_CONSISTENT,
    VSS_DAEMON_NOT_RUNNING,
    UNIX_REMOTE_STORAGE,
    UNIX_HIDDEN_STORAGE,
    NO_SCSI_CONTROLLER,
    UNSUPPORTED_VERSION,
    VERSION_BEFORE_PRODUCTION_CHECKPOINTS,
    SHARED_VHDX,
    VHD_SET_GUEST_CLUSTER,
    NO_FILE_SERVER_VSS_AGENT,
    SPLIT_SMB_LOCAL,
    WSB_CSV_CRASH_CONSISTENT,
    CSV_ANY_NODE,
    REPLICA_CRASH_CONSISTENT,
    REPLICA_NOT_BACKED_UP,
    FIBRE_CHANNEL_STORAGE,
    NO_VISIBLE_DISK,
    FREEBSD_NOT_UFS,
)


def _keeps_running(facts: ReleaseFacts) -> bool:
    return not facts.saves_vm_guest_cannot_quiesce


def _saves_unix_guests(facts: ReleaseFacts) -> bool:
    return facts.knows_unix_guests and not facts.backs_up_unix_guests_online


def _unix_online(facts: ReleaseFacts) -> bool:
    return facts.backs_up_unix_guests_online


def _replicas(facts: ReleaseFacts) -> bool:
    return facts.has_replica


def _vhd_set_not_shared(facts: ReleaseFacts) -> bool:
    return not facts.vhd_set_shared_storage


def _vhd_set_shared(facts: ReleaseFacts) -> bool:
    return facts.vhd_set_shared_storage


def _production_checkpoints(facts: ReleaseFacts) -> bool:
    return facts.production_checkpoints


def _needs_scsi(facts: ReleaseFacts) -> bool:
    return facts.online_backup_needs_scsi_controller


def _check(rule: Rule, scope: Scope, phase: Phase, effect: Effect, **more: Any) -> Check:
    return Check(rule=rule, scope=scope, phase=phase, effect=effect, **more)


_VM, _VHD, _DISK = Scope.VM, Scope.VIRTUAL_HARD_DISK, Scope.DISK
_GUEST, _STORAGE, _CONFIGURATION = Phase.GUEST, Phase.STORAGE, Phase.CONFIGURATION

#: When the rules of this family fire, in the order their findings are listed.
MODERN_CHECKS: tuple[Check, ...] = (
    # The guest: a replica copy first, which answers alone; then the guests
    # 2012 saves, and the copies of the guests later releases keep running.
    _check(
        REPLICA_NOT_BACKED_UP, _VM, _GUEST, Effect.FAILS,
        findings=_replica_not_backed_up, applies=_replicas,
    ),
    _check(
        REPLICA_CRASH_CONSISTENT, _VM, _GUEST, Effect.CRASH_CONSISTENT,
        findings=_replica_crash_consistent, applies=_replicas,
    ),
    _check(
        LINUX_SAVED, _VM, _GUEST, Effect.GUEST_CANNOT_TAKE_PART,
        findings=_linux_saved, applies=_saves_unix_guests,
        obstacle="its guest cannot take part",
    ),
    _check(
        GUEST_NOT_QUIESCED, _VM, _GUEST, Effect.NOT_QUIESCED,
        findings=_guest_not_quiesced, applies=_keeps_running,
    ),
    _check(
        VSS_DAEMON_NOT_RUNNING, _VM, _GUEST, Effect.NOT_QUIESCED,
        findings=_vss_daemon_not_running, applies=_keeps_running,
    ),
    _check(
        FREEBSD_NOT_UFS, _VM, _GUEST, Effect.NOT_QUIESCED,
        findings=_freebsd_not_ufs, applies=_unix_online,
    ),
    _check(
        PRODUCTION_ONLY_FAILS, _VM, _GUEST, Effect.NONE,
        findings=_production_only, applies=_production_checkpoints,
    ),
    _check(
        FILE_SYSTEM_CONSISTENT, _VM, _GUEST, Effect.FREEZES_FILE_SYSTEMS,
        findings=_file_system_consistent, applies=_keeps_running,
    ),
    _check(
        NO_SCSI_CONTROLLER, _VM, _GUEST, Effect.FAILS,
        findings=_no_scsi_controller, applies=_needs_scsi,
    ),
    # Where the VM's files are.
    _check(FIBRE_CHANNEL_STORAGE, _VM, _STORAGE, Effect.LEAVES_OUT, findings=_virtual_fibre_channel),
    _check(NO_VISIBLE_DISK, _VM, _STORAGE, Effect.HOLDS_NO_DATA, findings=_no_visible_disk),
    _check(SHARED_VHDX, _VHD, _STORAGE, Effect.FAILS, findings=_shared_vhdx),
    _check(
        VHD_SET_GUEST_CLUSTER, _VHD, _STORAGE, Effect.FAILS,
        findings=_vhd_set_unsupported, applies=_vhd_set_not_shared,
    ),
    _check(
        VHD_SET_GUEST_CLUSTER, _VHD, _STORAGE, Effect.NONE,
        findings=_vhd_set_conditions, applies=_vhd_set_shared,
    ),
    _check(NO_FILE_SERVER_VSS_AGENT, _VM, _STORAGE, Effect.FAILS, findings=_no_file_server_vss_agent),
    _check(
        NO_FILE_SERVER_VSS_AGENT, _VM, _STORAGE, Effect.NONE,
        findings=_file_server_vss_agent_unknown,
    ),
    _check(SPLIT_SMB_LOCAL, _VM, _STORAGE, Effect.NONE, findings=_split_smb_local),
    _check(
        UNIX_REMOTE_STORAGE, _VHD, _STORAGE, Effect.FAILS,
        findings=_unix_remote_storage, applies=_unix_online,
    ),
    _check(
        UNIX_HIDDEN_STORAGE, _DISK, _STORAGE, Effect.NONE,
        findings=_unix_hidden_storage, applies=_unix_online,
    ),
    _check(WSB_CSV_CRASH_CONSISTENT, _VM, _STORAGE, Effect.NOT_QUIESCED, findings=_wsb_csv),
    _check(CSV_ANY_NODE, _VM, _STORAGE, Effect.NONE, findings=_csv_any_node),
    # Its configuration.
    _check(UNSUPPORTED_VERSION, _VM, _CONFIGURATION, Effect.FAILS, findings=_unsupported_version),
    _check(
        VERSION_BEFORE_PRODUCTION_CHECKPOINTS, _VM, _CONFIGURATION, Effect.NONE,
        findings=_version_before_production_checkpoints, applies=_production_checkpoints,
    ),
)  # fmt: skip
