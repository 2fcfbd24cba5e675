"""The host and its backup application (HVB1xx): prerequisites, and what a host backup leaves out."""

from __future__ import annotations

from hyperv_backup._base import public_dir
from hyperv_backup.model import VM, Host, os_label
from hyperv_backup.rules import pages
from hyperv_backup.rules.check import Check, CheckResult, Context, Effect, Phase, Scope
from hyperv_backup.rules.pages import GUIDANCE
from hyperv_backup.rules.profiles import ALL_PROFILES, Profile
from hyperv_backup.rules.rule import Rule, Severity
from hyperv_backup.rules.source import Source

__all__ = [
    "HOST_CHECKS",
    "HOST_NEWER_THAN_GUIDANCE",
    "HOST_RULES",
    "LACKS_KB982210",
    "NO_HYPERV_VSS_WRITER",
    "VIRTUAL_NETWORKS",
    "VM_SNAPSHOTS",
    "WRITER_NOT_REGISTERED",
    "WSB_ON_CSV",
    "WSB_SEVERAL_SNAPSHOTS",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

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
        f"Host {name!r} runs {os_label(host.os)}, later than the 2008 R2 the guidance was "
        f"written for{later}.",
    )


#: HVB101.
NO_HYPERV_VSS_WRITER = Rule(
    id="HVB101",
    title="Backup application does not use the Hyper-V VSS writer",
    severity=Severity.ERROR,
    profiles=frozenset({Profile.WS2008, Profile.WS2012}),
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
        f"Backup application {app.name!r} on host {name!r} does not use the Hyper-V VSS writer.",
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
        f"{host.name!r}.",
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
        f"Host {host.name!r} runs Windows Server 2008 R2 without KB982210.",
    )


#: HVB104.
VIRTUAL_NETWORKS = Rule(
    id="HVB104",
    title="Virtual networks are not in a full server backup",
    severity=Severity.INFO,
    profiles=ALL_PROFILES,
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


def _virtual_networks(host: Host, ctx: Context) -> CheckResult:
    if not host.virtual_networks:
        return None
    name = host.name
    names = ", ".join(repr(n.name) for n in host.virtual_networks)
    return ctx.finding(
        VIRTUAL_NETWORKS,
        name,
        f"Host {name!r} has virtual networks ({names}) that a full server backup leaves "
        "out; record their configuration.",
    )


#: HVB105.
VM_SNAPSHOTS = Rule(
    id="HVB105",
    title="VM snapshots are no backup",
    severity=Severity.INFO,
    profiles=ALL_PROFILES,
    source=Source(page=GUIDANCE, heading=pages.SCOPE),
    description=(
        "The VM has VM snapshots. The host backup carries them, but they are meant for "
        "development and test and risk data loss when not managed."
    ),
    remedy="Do not rely on VM snapshots for recovery; keep regular backups instead.",
)


def _snapshots(vm: VM, ctx: Context) -> CheckResult:
    count = len(vm.snapshots)
    if not count:
        return None
    noun = "VM snapshot" if count == 1 else "VM snapshots"
    return ctx.finding(
        VM_SNAPSHOTS, vm.name, f"VM {vm.name!r} has {count} {noun}; they are no backup."
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
        f"VM {vm.name!r} has files on a Cluster Shared Volume, which Windows Server "
        f"Backup on {ctx.at!r} does not support.",
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
        f"VM {vm.name!r} has {count} VM snapshots; Windows Server Backup does not "
        "restore such a VM.",
    )


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
)
