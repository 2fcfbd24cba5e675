"""The host and its backup application (HVB1xx): prerequisites, and what a host backup leaves out."""

from __future__ import annotations

from hyperv_backup._base import public_dir
from hyperv_backup._base.quoting import quoted
from hyperv_backup.model import VM, BackupApplication, GuestOS, Host, os_label
from hyperv_backup.rules import pages
from hyperv_backup.rules._paths import host_volume
from hyperv_backup.rules._space import gib, volume_needs
from hyperv_backup.rules.check import Check, CheckResult, Context, Effect, Phase, Scope
from hyperv_backup.rules.pages import (
    BACKUP_APPROACHES,
    DPM_HYPERV,
    GUIDANCE,
    LINUX_FEATURES,
    WMI_BACKUP,
)
from hyperv_backup.rules.profiles import ALL_PROFILES, Profile
from hyperv_backup.rules.rule import Rule, Severity
from hyperv_backup.rules.source import Claim, Source

__all__ = [
    "BACKUP_TARGET_BACKED_UP",
    "COPIED_WITHOUT_HYPERV",
    "DIFFERENCING_SPACE",
    "HOST_CHECKS",
    "HOST_NEWER_THAN_GUIDANCE",
    "HOST_RULES",
    "INTEGRATION_SERVICES_OLDER",
    "LACKS_KB982210",
    "NO_HYPERV_ROUTE",
    "NO_HYPERV_VSS_WRITER",
    "VIRTUAL_NETWORKS",
    "VIRTUAL_SWITCHES",
    "VM_SNAPSHOTS",
    "WRITER_NOT_REGISTERED",
    "WSB_ON_CSV",
    "WSB_SEVERAL_SNAPSHOTS",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: The profiles of Windows Server 2012 and later.
_LATER = frozenset({Profile.WS2012, Profile.WS2016})
#: How messages name the guest families that take part through a VSS daemon.
_FAMILY = {GuestOS.LINUX: "Linux", GuestOS.FREEBSD: "FreeBSD"}

#: HVB100.
HOST_NEWER_THAN_GUIDANCE = Rule(
    id="HVB100",
    title="Host newer than the guidance",
    severity=Severity.INFO,
    profiles=frozenset({Profile.WS2008}),
    source=Source(page=GUIDANCE, heading=pages.SCOPE),
    description=(
        "The host runs a Windows Server release later than 2008 R2 and is answered by "
        "the 2008 profile, because that profile was named. The guidance was written for "
        "2008 and 2008 R2; from 2012 R2 on, Hyper-V takes a checkpoint of a VM that "
        "cannot be backed up online instead of saving it."
    ),
    remedy=(
        "Read the downtime figures for this host as an upper bound, or let the profile "
        "of its own release answer (leave out the profile)."
    ),
)


def _newer_than_guidance(host: Host, ctx: Context) -> CheckResult:
    if host.os in ctx.profile.releases:
        return None
    name = host.name
    later = (
        ""
        if ctx.release.saves_vm_guest_cannot_quiesce
        else "; it takes a checkpoint instead of saving a VM, so treat the downtime figures "
        "as an upper bound"
    )
    return ctx.finding(
        HOST_NEWER_THAN_GUIDANCE,
        name,
        f"Host {quoted(name)} runs {os_label(host.os)}, later than the 2008 R2 the guidance was "
        f"written for{later}.",
    )


#: HVB101.
NO_HYPERV_VSS_WRITER = Rule(
    id="HVB101",
    title="Backup application does not use the Hyper-V VSS writer",
    severity=Severity.ERROR,
    profiles=frozenset({Profile.WS2008}),
    source=Source(page=GUIDANCE, heading=pages.OPTIONS),
    description=(
        "The backup application does not work through the Hyper-V VSS writer, so it "
        "cannot take consistent backups of the VMs or the Hyper-V settings."
    ),
    remedy="Use a backup application that supports the Hyper-V VSS writer.",
    prerequisite="Switch {host} to a backup application that uses the Hyper-V VSS writer.",
)


def _no_writer(host: Host, ctx: Context) -> CheckResult:
    app = host.backup_application
    if app is None or app.uses_hyperv_vss_writer:
        return None
    name = host.name
    return ctx.finding(
        NO_HYPERV_VSS_WRITER,
        name,
        f"Backup application {quoted(app.name)} on host {quoted(name)} does not use the Hyper-V VSS writer.",
    )


#: HVB102.
WRITER_NOT_REGISTERED = Rule(
    id="HVB102",
    title="Hyper-V VSS writer not registered with Windows Server Backup",
    severity=Severity.ERROR,
    profiles=frozenset({Profile.WS2008}),
    source=Source(page=GUIDANCE, heading=pages.OPTIONS),
    description=(
        "Windows Server Backup is the backup application and the Hyper-V VSS writer has "
        "not been registered with it, so VMs are not backed up through the writer."
    ),
    remedy=(
        "Register the writer as KB958662 describes: under HKLM\\SOFTWARE\\Microsoft\\"
        "Windows NT\\CurrentVersion\\WindowsServerBackup\\Application Support\\"
        "{66841CD4-6DED-4F4B-8F17-FD23F8DDC3DE}, set the string value "
        "'Application Identifier' to 'Hyper-V'."
    ),
    prerequisite="Register the Hyper-V VSS writer with Windows Server Backup on {host} (KB958662).",
)


def _writer_not_registered(host: Host, ctx: Context) -> CheckResult:
    app = host.backup_application
    if app is None or not app.is_windows_server_backup or app.hyperv_writer_registered:
        return None
    return ctx.finding(
        WRITER_NOT_REGISTERED,
        host.name,
        "The Hyper-V VSS writer is not registered with Windows Server Backup on host "
        f"{quoted(host.name)}.",
    )


#: HVB103.
LACKS_KB982210 = Rule(
    id="HVB103",
    title="Windows Server 2008 R2 host lacks KB982210",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2008}),
    source=Source(page=GUIDANCE, heading=pages.OPTIONS),
    description=(
        "On Windows Server 2008 R2 without KB982210, frequent VM backups can make the host "
        "start more and more slowly, or stop at the Welcome screen."
    ),
    remedy="Install the KB982210 hotfix on the host.",
    prerequisite="Install KB982210 on {host}.",
)


def _lacks_kb982210(host: Host, ctx: Context) -> CheckResult:
    if not ctx.release.lacks(host, "KB982210"):
        return None
    return ctx.finding(
        LACKS_KB982210,
        host.name,
        f"Host {quoted(host.name)} runs Windows Server 2008 R2 without KB982210.",
    )


#: HVB104.
VIRTUAL_NETWORKS = Rule(
    id="HVB104",
    title="Virtual networks are not in a full server backup",
    severity=Severity.INFO,
    profiles=frozenset({Profile.WS2008}),
    source=Source(page=GUIDANCE, heading=pages.OPTIONS),
    description=(
        "The host has virtual networks; a full server backup leaves them out, so they "
        "must be recreated by hand after a full restore."
    ),
    remedy=(
        "Record each virtual network's configuration and settings (kind, physical "
        "adapter, VLAN) with the backup."
    ),
)


#: How many virtual networks a host's finding names: a host can have thousands,
#: and a finding is read as one line. Beyond these it gives the count.
_NAMED_NETWORKS = 5


def _networks(host: Host, kind: str) -> str:
    """Return the host's virtual networks as a finding names them: all, or how many and the first few."""
    networks = host.virtual_networks
    names = ", ".join(quoted(n.name) for n in networks[:_NAMED_NETWORKS])
    more = len(networks) - _NAMED_NETWORKS
    if more <= 0:
        return f"{kind} ({names})"
    return f"{len(networks)} {kind} ({names} and {more} more)"


def _virtual_networks(host: Host, ctx: Context) -> CheckResult:
    if not host.virtual_networks:
        return None
    name = host.name
    return ctx.finding(
        VIRTUAL_NETWORKS,
        name,
        f"Host {quoted(name)} has {_networks(host, 'virtual networks')} that a full server backup "
        "leaves out; record their configuration.",
    )


#: HVB105.
VM_SNAPSHOTS = Rule(
    id="HVB105",
    title="VM snapshots are no backup",
    severity=Severity.INFO,
    profiles=ALL_PROFILES,
    source=Source(page=GUIDANCE, heading=pages.SCOPE),
    description=(
        "The VM has VM snapshots (checkpoints, from Windows Server 2012 R2 on). They are "
        "no backup: the guidance of 2008 and 2008 R2 says they are meant for development "
        "and test and risk data loss when not managed. From 2016 on, 'Choose between "
        "standard or production checkpoints' says the same of standard checkpoints, and "
        "that production checkpoints are supported for production workloads; whether a "
        "host backup holds a VM's checkpoints depends on the backup application."
    ),
    remedy="Do not rely on VM snapshots for recovery; keep regular backups instead.",
)


def _snapshots(vm: VM, ctx: Context) -> CheckResult:
    count = len(vm.snapshots)
    if not count:
        return None
    noun = "VM snapshot" if count == 1 else "VM snapshots"
    return ctx.finding(
        VM_SNAPSHOTS, vm.name, f"VM {quoted(vm.name)} has {count} {noun}; they are no backup."
    )


#: HVB106.
WSB_ON_CSV = Rule(
    id="HVB106",
    title="Windows Server Backup cannot back up VMs on a Cluster Shared Volume",
    severity=Severity.ERROR,
    profiles=frozenset({Profile.WS2008}),
    source=Source(page=GUIDANCE, heading=pages.OPTIONS),
    description=(
        "Windows Server Backup is used and files of the VM live on a Cluster Shared "
        "Volume, which it does not support (KB958662)."
    ),
    remedy=("Back up this VM with a backup application that supports Cluster Shared Volumes."),
)


def _wsb_on_csv(vm: VM, ctx: Context) -> CheckResult:
    if not (ctx.windows_server_backup and ctx.csv):
        return None
    return ctx.finding(
        WSB_ON_CSV,
        vm.name,
        f"VM {quoted(vm.name)} has files on a Cluster Shared Volume, which Windows Server "
        f"Backup on {quoted(ctx.at)} does not support.",
    )


#: HVB107.
WSB_SEVERAL_SNAPSHOTS = Rule(
    id="HVB107",
    title="Windows Server Backup cannot restore a VM with several snapshots",
    severity=Severity.WARNING,
    profiles=frozenset({Profile.WS2008}),
    source=Source(page=GUIDANCE, heading=pages.OPTIONS),
    description=(
        "Windows Server Backup is used and the VM has two or more VM snapshots; "
        "Windows Server Backup does not restore such a VM (KB958662)."
    ),
    remedy="Delete the snapshots that are not needed, or use another backup application.",
)


def _wsb_several_snapshots(vm: VM, ctx: Context) -> CheckResult:
    count = len(vm.snapshots)
    if not (ctx.windows_server_backup and count >= 2):
        return None
    return ctx.finding(
        WSB_SEVERAL_SNAPSHOTS,
        vm.name,
        f"VM {quoted(vm.name)} has {count} VM snapshots; Windows Server Backup does not "
        "restore such a VM.",
    )


#: HVB108.
NO_HYPERV_ROUTE = Rule(
    id="HVB108",
    title="Backup application does not back VMs up through Hyper-V",
    severity=Severity.ERROR,
    profiles=_LATER,
    source=Source(page=BACKUP_APPROACHES, heading="Hyper-V Backup Approaches"),
    description=(
        "A host-level backup of VMs goes through the Hyper-V VSS writer, on every release, "
        "or, from Windows Server 2016 on, through the Hyper-V WMI API (checkpoints and "
        "resilient change tracking). The backup application uses neither: it does not use "
        "the writer, and either the release offers no other route (2012 and 2012 R2, or a "
        "cluster still at the 2012 R2 level) or the application does not use the WMI API."
    ),
    remedy=(
        "Use a backup application that backs VMs up through Hyper-V: its VSS writer, or "
        "from Windows Server 2016 on its WMI backup API."
    ),
    severity_note="warning on 2016 and later when whether it uses the WMI API was not given",
    prerequisite=(
        "Make sure {host} backs its VMs up through Hyper-V: with the Hyper-V VSS writer or, "
        "from Windows Server 2016 on, the Hyper-V WMI backup API."
    ),
)


def _route_unknown(app: BackupApplication, ctx: Context) -> bool:
    """Whether the application, which does not use the writer, may still use the WMI API."""
    return ctx.wmi_backup and app.uses_wmi_backup is None


def _without_hyperv(app: BackupApplication | None, ctx: Context) -> bool:
    """Whether ``app`` on the context's node is known to back VMs up without Hyper-V."""
    if app is None or app.uses_hyperv_vss_writer:
        return False
    return not ctx.wmi_backup or app.uses_wmi_backup is False


def _no_route(host: Host, ctx: Context) -> CheckResult:
    app = host.backup_application
    if app is None or app.uses_hyperv_vss_writer:
        return None
    name, label = host.name, os_label(ctx.facts.release)
    if _route_unknown(app, ctx):
        return ctx.finding(
            NO_HYPERV_ROUTE,
            name,
            f"Backup application {quoted(app.name)} on host {quoted(name)} does not use the Hyper-V VSS "
            "writer, and whether it uses the WMI backup API of Windows Server 2016 instead "
            "was not given.",
            Severity.WARNING,
        )
    if not _without_hyperv(app, ctx):
        return None
    if ctx.wmi_backup:
        why = "nor the WMI backup API of Windows Server 2016"
    elif ctx.below_2016_level:
        why = (
            "and the WMI backup API of Windows Server 2016 is not there while the cluster "
            "runs at the Windows Server 2012 R2 level"
        )
    else:
        why = f"the only route {label} offers"
    return ctx.finding(
        NO_HYPERV_ROUTE,
        name,
        f"Backup application {quoted(app.name)} on host {quoted(name)} does not use the Hyper-V VSS "
        f"writer, {why}: it backs VMs up without Hyper-V.",
    )


#: HVB109.
COPIED_WITHOUT_HYPERV = Rule(
    id="HVB109",
    title="VM copied without Hyper-V: not application-consistent",
    severity=Severity.WARNING,
    profiles=_LATER,
    source=Source(
        page=BACKUP_APPROACHES,
        heading="Hyper-V Backup Approaches",
        claim=Claim.INFERRED,
        inference=(
            "The page names the Hyper-V VSS writer and, from Windows Server 2016, the WMI "
            "API as the ways to back VMs up from the host, and the guest takes part through "
            "them only: a copy taken by neither is not application-consistent, and no page "
            "says what it holds."
        ),
        anchor="hvb109",
    ),
    description=(
        "The backup application of the node backs the running VM up without Hyper-V "
        "(HVB108), so the guest is never asked to take part: the copy is not "
        "application-consistent. No Microsoft page says what such a copy holds: whether it "
        "is even crash-consistent, whether the VM is interrupted, or whether its "
        "configuration can be restored as a VM."
    ),
    remedy=(
        "Back the VM up with an application that goes through Hyper-V, or inside the guest "
        "with an application its workload supports."
    ),
)


def _copied_without_hyperv(vm: VM, ctx: Context) -> CheckResult:
    app = ctx.node.backup_application
    if not ctx.running or not _without_hyperv(app, ctx):
        return None
    assert app is not None  # noqa: S101 - _without_hyperv is false without one
    return ctx.finding(
        COPIED_WITHOUT_HYPERV,
        vm.name,
        f"Backup application {quoted(app.name)} copies VM {quoted(vm.name)} without Hyper-V: its guest "
        "takes no part, so the copy is not application-consistent, and what it holds is not "
        "documented.",
    )


#: HVB110.
VIRTUAL_SWITCHES = Rule(
    id="HVB110",
    title="A restore reconnects VMs only to virtual switches that exist",
    severity=Severity.INFO,
    profiles=_LATER,
    source=Source(page=WMI_BACKUP, heading="Restoring the virtual machines"),
    description=(
        "The host has virtual switches. When the Hyper-V VSS writer restores a VM, it "
        "connects the VM's network adapters to the switches they were connected to only "
        "if those switches still exist on the host: on a rebuilt or another host they must "
        "be there, by the same names, before the restore. (The guidance of 2008 says a full "
        "server backup leaves virtual networks out; no later page says whether it holds "
        "virtual switches, so that is not claimed here.)"
    ),
    remedy=("Record each virtual switch's name, type, physical adapter and VLAN with the backup."),
)


def _virtual_switches(host: Host, ctx: Context) -> CheckResult:
    if not host.virtual_networks:
        return None
    name = host.name
    return ctx.finding(
        VIRTUAL_SWITCHES,
        name,
        f"Host {quoted(name)} has {_networks(host, 'virtual switches')}; a restore reconnects VMs "
        "only to switches that exist on the host, so record their configuration.",
    )


#: HVB111.
DIFFERENCING_SPACE = Rule(
    id="HVB111",
    title="Too little free space for the backup's differencing disks",
    severity=Severity.WARNING,
    profiles=_LATER,
    source=Source(page=DPM_HYPERV, heading="Backup prerequisites"),
    description=(
        "While a VM is backed up, Hyper-V keeps its writes in differencing disks on the "
        "volume of its virtual hard disks. The prerequisites ask for free space there of at "
        "least the disk's size times the churn rate times the backup window, for every VM "
        "backed up at the same time (on a cluster, every VM on the shared volume). The "
        "host volume's free space is less than that, for the VMs on it and the churn the "
        "backup application gives (churn_percent)."
    ),
    remedy=(
        "Free space on the volume, move VMs to another one, or back fewer of its VMs up at "
        "the same time."
    ),
)


def _differencing_space(host: Host, ctx: Context) -> CheckResult:
    app = host.backup_application
    if app is None or app.churn_percent is None or not host.host_volumes:
        return None
    churn = app.churn_percent
    found = [
        ctx.finding(
            DIFFERENCING_SPACE,
            need.volume.name,
            f"Volume {quoted(need.volume.name)} of host {quoted(host.name)} has {gib(need.volume.free_space)} "
            f"free; the differencing disks of a backup of the VMs on it need about "
            f"{gib(need.needed)} (their virtual hard disks times a churn of {churn}%).",
        )
        for need in volume_needs(host, ctx.cluster, lambda size: size * churn // 100)
        if need.needed > need.volume.free_space
    ]
    return found or None


#: HVB112.
INTEGRATION_SERVICES_OLDER = Rule(
    id="HVB112",
    title="Integration services of another version than the host's",
    severity=Severity.WARNING,
    profiles=_LATER,
    source=Source(page=DPM_HYPERV, heading="Backup prerequisites"),
    description=(
        "The guest's integration services are not the version of the host "
        "(IntegrationServicesState). The prerequisites of a host-level backup of VMs ask "
        "for the version of the host; no page says what the backup does otherwise. From "
        "2016 on, Windows guests get theirs through Windows Update ('Manage Hyper-V "
        "Integration Services')."
    ),
    remedy=(
        "Update the guest's integration services: from the host's integration services disk "
        "on 2012 R2 and earlier, through Windows Update (or the distribution's kernel) on "
        "2016 and later."
    ),
)


def _integration_services_older(vm: VM, ctx: Context) -> CheckResult:
    if vm.integration_services_current is not False or ctx.replica:
        return None
    return ctx.finding(
        INTEGRATION_SERVICES_OLDER,
        vm.name,
        f"The integration services of VM {quoted(vm.name)} are not the version of host "
        f"{quoted(ctx.at)}, which a backup of it asks for.",
    )


#: HVB113.
BACKUP_TARGET_BACKED_UP = Rule(
    id="HVB113",
    title="Linux guest: the backup target is on a volume the backup copies",
    severity=Severity.WARNING,
    profiles=_LATER,
    source=Source(page=LINUX_FEATURES, heading="Storage"),
    description=(
        "A Linux or FreeBSD guest has a virtual hard disk on the host volume its backup "
        "application writes its backups to. The live backup feature of these guests asks "
        "that the backup target not be on the volume being backed up; no page says what "
        "happens otherwise."
    ),
    remedy="Write the backups to another volume than the ones holding the VM's disks.",
)


def _backup_target_backed_up(vm: VM, ctx: Context) -> CheckResult:
    app = ctx.node.backup_application
    if not ctx.unix or ctx.replica or app is None or app.backup_target is None:
        return None
    volumes = ctx.node.host_volumes
    target = host_volume(app.backup_target, volumes)
    for disk in ctx.visible:
        if (
            disk.path is not None
            and target is not None
            and host_volume(disk.path, volumes) == target
        ):
            return ctx.finding(
                BACKUP_TARGET_BACKED_UP,
                disk.name,
                f"Disk {quoted(disk.name)} of {_FAMILY[vm.guest_os]} VM {quoted(vm.name)} is on the volume of the "
                f"backup target {quoted(app.backup_target)}, which the live backup of such a guest "
                "asks to avoid.",
            )
    return None


#: The rules of this family, in ID order.
HOST_RULES: tuple[Rule, ...] = (
    HOST_NEWER_THAN_GUIDANCE,
    NO_HYPERV_VSS_WRITER,
    WRITER_NOT_REGISTERED,
    LACKS_KB982210,
    VIRTUAL_NETWORKS,
    VM_SNAPSHOTS,
    WSB_ON_CSV,
    WSB_SEVERAL_SNAPSHOTS,
    NO_HYPERV_ROUTE,
    COPIED_WITHOUT_HYPERV,
    VIRTUAL_SWITCHES,
    DIFFERENCING_SPACE,
    INTEGRATION_SERVICES_OLDER,
    BACKUP_TARGET_BACKED_UP,
)


#: When the rules of this family fire, in the order their findings are listed.
HOST_CHECKS: tuple[Check, ...] = (
    Check(
        rule=HOST_NEWER_THAN_GUIDANCE,
        scope=Scope.HOST,
        phase=Phase.HOST,
        effect=Effect.NONE,
        findings=_newer_than_guidance,
    ),
    Check(
        rule=NO_HYPERV_VSS_WRITER,
        scope=Scope.HOST,
        phase=Phase.HOST,
        effect=Effect.NONE,
        findings=_no_writer,
        applies=lambda facts: facts.backs_up_through_vss_writer_only,
    ),
    Check(
        rule=WRITER_NOT_REGISTERED,
        scope=Scope.HOST,
        phase=Phase.HOST,
        effect=Effect.NONE,
        findings=_writer_not_registered,
    ),
    Check(
        rule=LACKS_KB982210,
        scope=Scope.HOST,
        phase=Phase.HOST,
        effect=Effect.NONE,
        findings=_lacks_kb982210,
    ),
    Check(
        rule=VIRTUAL_NETWORKS,
        scope=Scope.HOST,
        phase=Phase.HOST,
        effect=Effect.NONE,
        findings=_virtual_networks,
    ),
    Check(
        rule=VM_SNAPSHOTS, scope=Scope.VM, phase=Phase.VM, effect=Effect.NONE, findings=_snapshots
    ),
    Check(
        rule=WSB_ON_CSV, scope=Scope.VM, phase=Phase.VM, effect=Effect.NONE, findings=_wsb_on_csv
    ),
    Check(
        rule=WSB_SEVERAL_SNAPSHOTS,
        scope=Scope.VM,
        phase=Phase.VM,
        effect=Effect.NONE,
        findings=_wsb_several_snapshots,
    ),
    Check(
        rule=NO_HYPERV_ROUTE,
        scope=Scope.HOST,
        phase=Phase.HOST,
        effect=Effect.NONE,
        findings=_no_route,
    ),
    Check(
        rule=VIRTUAL_SWITCHES,
        scope=Scope.HOST,
        phase=Phase.HOST,
        effect=Effect.NONE,
        findings=_virtual_switches,
    ),
    Check(
        rule=DIFFERENCING_SPACE,
        scope=Scope.HOST,
        phase=Phase.HOST,
        effect=Effect.NONE,
        findings=_differencing_space,
    ),
    # First of the guest phase: a copy taken without Hyper-V changes what the
    # checks of the guest that follow say.
    Check(
        rule=COPIED_WITHOUT_HYPERV,
        scope=Scope.VM,
        phase=Phase.GUEST,
        effect=Effect.WITHOUT_HYPERV,
        findings=_copied_without_hyperv,
        summary="the backup application goes through Hyper-V",
    ),
    Check(
        rule=BACKUP_TARGET_BACKED_UP,
        scope=Scope.VM,
        phase=Phase.STORAGE,
        effect=Effect.NONE,
        findings=_backup_target_backed_up,
        applies=lambda facts: facts.backs_up_unix_guests_online,
    ),
    Check(
        rule=INTEGRATION_SERVICES_OLDER,
        scope=Scope.VM,
        phase=Phase.CONFIGURATION,
        effect=Effect.NONE,
        findings=_integration_services_older,
    ),
)
