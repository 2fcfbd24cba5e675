"""Why last night's backup failed: findings from the events and writer states a host recorded.

:func:`diagnose` matches each event, and each VSS writer of a ``vssadmin list
writers`` listing, against the signature catalogue
(:data:`~hyperv_backup.rules.SIGNATURES`). A match is a :class:`LogFinding`
of the signature's rule, carrying the event or writer it came from. A warning,
error or critical event in a backup log (the Hyper-V logs and the VSS and
backup events of the Application log) that no signature recognises is
reported under HVB700 rather than dropped, and so is a failed writer state.

Given the inventory, a finding whose signature has a known inventory cause
names the inventory findings that hold for the same VM (``explained_by``),
and the signatures are those of each host's profile.

Each finding says where its event was logged (:class:`~hyperv_backup.rules.Place`):
on a host of the inventory or inside one of its VMs, matched by the event's
computer; else on the host when the event's log or provider is one only a
Hyper-V host has; else not known. Some signatures hold in one place only (VSS
12293 means one thing inside a guest and another on the host).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup._base.display import NotebookDisplay
from hyperv_backup.decide.checks import check
from hyperv_backup.model import VM, Cluster, Host, computer_key, hosts_of
from hyperv_backup.readers import Event, EventLog, VssWriter
from hyperv_backup.rules import (
    NOT_RECOGNISED,
    SIGNATURES,
    Finding,
    Place,
    Profile,
    Rule,
    Severity,
    Signature,
    as_profile,
    profile_for,
)

__all__ = ["Diagnosis", "LogFinding", "diagnose", "is_backup_log"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: The logs whose unrecognised warnings and errors are reported (compared ignoring case).
BACKUP_CHANNELS = frozenset(
    {
        "microsoft-windows-hyper-v-vmms-admin",
        "microsoft-windows-hyper-v-worker-admin",
        "microsoft-windows-hyper-v-vmms-operational",
        "microsoft-windows-hyper-v-worker-operational",
        "microsoft-windows-backup",
    }
)

#: The providers of the Application log (and others) that write backup events.
BACKUP_PROVIDERS = frozenset({"vss", "microsoft-windows-backup", "volsnap"})

_HYPERV_PROVIDER = "microsoft-windows-hyper-v-"
#: The short provider name of VMMS that older exports and many pages give.
_HYPERV_SHORT = "hyper-v-"
#: ``VSS_WRITER_STATE`` numbers of the failed states (FAILED_AT_IDENTIFY to FAILED_AT_BACKUPSHUTDOWN).
FAILED_WRITER_STATES = range(6, 16)
_GUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_GUID_ONLY = re.compile(_GUID)
_QUOTED_VM = re.compile(r"'([^'\r\n]{1,200})'")
_VM_ID = re.compile(rf"(?:virtual machine|VM) ID[ :]*\{{?({_GUID})\}}?", re.IGNORECASE)
_SHOWN = 300


def is_backup_log(event: Event) -> bool:
    """Whether ``event`` is from a log that records backups: Hyper-V's, VSS or backup events."""
    provider = event.provider.casefold()
    return (
        event.channel.casefold() in BACKUP_CHANNELS
        or provider.startswith(_HYPERV_PROVIDER)
        or provider in BACKUP_PROVIDERS
    )


@attrs.frozen(kw_only=True)
class LogFinding:
    """One thing the logs say went wrong, and what it means.

    ``rule`` is the signature's rule (HVB700 when no signature recognised the
    event); ``time`` the event's time (``None`` for a writer's state); ``host``
    the computer that recorded it; ``vm`` the VM it names, if any. ``event`` or
    ``writer`` is what it was read from, kept as recorded. ``explained_by``
    lists the inventory findings that are a known cause of it. ``place`` says
    whether the event was logged on the host or inside a guest.
    """

    rule: Rule
    severity: Severity
    message: str
    time: datetime | None = None
    host: str | None = None
    vm: str | None = None
    place: Place = Place.UNKNOWN
    event: Event | None = None
    writer: VssWriter | None = None
    explained_by: tuple[Finding, ...] = ()

    @property
    def recognised(self) -> bool:
        """Whether a signature recognised it (it is not HVB700)."""
        return self.rule.id != NOT_RECOGNISED.id


@attrs.frozen(kw_only=True)
class Diagnosis(NotebookDisplay):
    """What :func:`diagnose` found, and how much it read.

    ``findings`` are in time order (the writers' states, which have no time,
    last), the more severe first at the same time. ``events`` counts the events
    given; ``considered`` those at or after ``since``; ``skipped`` the records
    the readers could not read and were asked to skip.
    """

    findings: tuple[LogFinding, ...]
    events: int = 0
    considered: int = 0
    skipped: int = 0
    writers: int = 0
    since: datetime | None = None

    def by_vm(self) -> dict[str | None, tuple[LogFinding, ...]]:
        """Return the findings grouped by the VM they name, in order of first mention; ``None`` last."""
        groups: dict[str | None, list[LogFinding]] = {}
        for item in self.findings:
            groups.setdefault(item.vm, []).append(item)
        ordered: dict[str | None, tuple[LogFinding, ...]] = {
            key: tuple(value) for key, value in groups.items() if key is not None
        }
        if None in groups:
            ordered[None] = tuple(groups[None])
        return ordered

    @property
    def summary(self) -> dict[str, int]:
        """The number of findings of each severity, and of those not recognised."""
        counts = {severity.value: 0 for severity in Severity}
        for item in self.findings:
            counts[item.severity.value] += 1
        counts["not_recognised"] = sum(1 for item in self.findings if not item.recognised)
        return counts


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN else f"{text[:_SHOWN]}..."


def _event_text(event: Event) -> str:
    """Return what the event said: its message, or its values when the export holds none."""
    if event.message:
        return _shorten(event.message)
    return _shorten("; ".join(f"{key}={value}" for key, value in event.data if value))


@attrs.frozen
class _Fleet:
    """The inventory's hosts and VMs, found by name and id."""

    hosts: Mapping[str, Host]
    vms: Mapping[str, tuple[Host, VM]]
    single: Host | None
    guests: frozenset[str] = frozenset()

    @classmethod
    def of(cls, inventory: Host | Cluster | None) -> _Fleet:
        if inventory is None:
            return cls({}, {}, None)
        hosts = hosts_of(inventory)
        by_name: dict[str, Host] = {}
        vms: dict[str, tuple[Host, VM]] = {}
        for host in hosts:
            by_name[computer_key(host.name)] = host
            for vm in host.vms:
                vms.setdefault(vm.name.casefold(), (host, vm))
                if vm.id:
                    vms.setdefault(vm.id.casefold(), (host, vm))
        guests = frozenset(computer_key(vm.name) for host in hosts for vm in host.vms)
        return cls(by_name, vms, hosts[0] if len(hosts) == 1 else None, guests)

    def host(self, computer: str | None) -> Host | None:
        if not computer:
            return self.single
        name = computer_key(computer)
        return self.hosts.get(name) or self.hosts.get(name.split(".", 1)[0]) or self.single


def _hyperv_host_log(event: Event) -> bool:
    """Whether only a Hyper-V host writes the event: a log or provider of Hyper-V, not of a guest."""
    for name in (event.provider.casefold(), event.channel.casefold()):
        if name.startswith((_HYPERV_PROVIDER, _HYPERV_SHORT)) and "guest" not in name:
            return True
    return False


def _place(event: Event, fleet: _Fleet) -> Place:
    """Say where the event was logged: by its computer in the inventory, else by its log."""
    if event.computer:
        name = computer_key(event.computer)
        short = name.split(".", 1)[0]
        if name in fleet.hosts or short in fleet.hosts:
            return Place.HOST
        if name in fleet.guests or short in fleet.guests:
            return Place.GUEST
    return Place.HOST if _hyperv_host_log(event) else Place.UNKNOWN


def _event_vm(event: Event, fleet: _Fleet, texts: Sequence[str]) -> str | None:  # noqa: PLR0911 - one return per way of naming a VM
    """Return the VM an event names: by its VmName or VmId value (or Parameter0 and 1), or in its message."""
    name = event.field("VmName") or event.field("VirtualMachineName")
    ident = event.field("VmId") or event.field("VirtualMachineId")
    second = event.field("Parameter1")
    if not (name or ident) and second and _GUID_ONLY.fullmatch(second.strip("{}")):
        # Some Hyper-V events name their values Parameter0, Parameter1, ...: the
        # VM's name, then its id.
        name, ident = event.field("Parameter0"), second
    if not ident and event.message:
        found = _VM_ID.search(event.message)
        ident = found.group(1) if found else None
    if ident and fleet.vms:
        known = fleet.vms.get(ident.strip("{}").casefold())
        if known is not None:
            return known[1].name
    if name:
        return name
    if fleet.vms:
        for text in texts:
            for quoted in _QUOTED_VM.findall(text):
                if quoted.casefold() in fleet.vms:
                    return fleet.vms[quoted.casefold()][1].name
        for _, value in event.data:
            if value.casefold() in fleet.vms:
                return fleet.vms[value.casefold()][1].name
        return None
    if event.provider.casefold().startswith(_HYPERV_PROVIDER) and event.message:
        found = _QUOTED_VM.search(event.message)
        return found.group(1) if found else None
    return None


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """Compile a signature's pattern once, ignoring case."""
    return re.compile(pattern, re.IGNORECASE)


def _texts(event: Event) -> list[str]:
    """Return what an event's patterns are searched in: its message and its values."""
    return [event.message or "", *(value for _, value in event.data)]


def _matches(signature: Signature, event: Event, texts: Sequence[str], place: Place) -> bool:
    provider = event.provider.casefold()
    for match in signature.events:
        if match.event_ids and event.event_id not in match.event_ids:
            continue
        if match.providers and provider not in (name.casefold() for name in match.providers):
            continue
        if match.places and place not in match.places:
            continue
        if match.pattern is None:
            return True
        pattern = _compiled(match.pattern)
        if any(pattern.search(text) for text in texts):
            return True
    return False


def _writer_matches(signature: Signature, writer: VssWriter) -> bool:
    for match in signature.writers:
        if writer.state not in match.states:
            continue
        if match.writer_id is not None and match.writer_id != writer.writer_id:
            continue
        if match.last_error is None or re.search(
            match.last_error, writer.last_error, re.IGNORECASE
        ):
            return True
    return False


@attrs.frozen
class _Causes:
    """The inventory findings, by host and VM, to explain log findings with."""

    by_vm: Mapping[tuple[str, str], tuple[Finding, ...]]
    by_host: Mapping[str, tuple[Finding, ...]]

    @classmethod
    def of(cls, inventory: Host | Cluster | None, profile: Profile | None) -> _Causes:
        if inventory is None:
            return cls({}, {})
        by_vm: dict[tuple[str, str], list[Finding]] = {}
        by_host: dict[str, list[Finding]] = {}
        for finding in check(inventory, profile=profile):
            host = computer_key(finding.host or "")
            by_host.setdefault(host, []).append(finding)
            if finding.vm is not None:
                by_vm.setdefault((host, finding.vm.casefold()), []).append(finding)
        return cls(
            {key: tuple(value) for key, value in by_vm.items()},
            {key: tuple(value) for key, value in by_host.items()},
        )

    def explain(
        self, signature: Signature, host: Host | None, vm: str | None
    ) -> tuple[Finding, ...]:
        if not signature.explained_by or host is None:
            return ()
        key = computer_key(host.name)
        pool = self.by_vm.get((key, vm.casefold()), ()) if vm else self.by_host.get(key, ())
        return tuple(f for f in pool if f.rule.id in signature.explained_by)


def _first(profile: Profile | None, matches: Callable[[Signature], bool]) -> Signature | None:
    """Return the first signature of ``profile`` (any, for ``None``) that ``matches``."""
    return next(
        (s for s in SIGNATURES if (profile is None or profile in s.rule.profiles) and matches(s)),
        None,
    )


def _unrecognised_severity(level: int) -> Severity:
    return Severity.WARNING if level == 3 else Severity.ERROR


@attrs.define
class _Diagnoser:
    fleet: _Fleet
    causes: _Causes
    profile: Profile | None
    found: list[tuple[int, LogFinding]] = attrs.Factory(list)

    def profile_of(self, host: Host | None) -> Profile | None:
        if self.profile is not None:
            return self.profile
        return None if host is None else profile_for(host.os)

    def keep(self, item: LogFinding) -> None:
        """Keep a finding with its place in the input, which breaks ties when sorting."""
        self.found.append((len(self.found), item))

    def event(self, event: Event) -> None:
        host = self.fleet.host(event.computer)
        profile = self.profile_of(host)
        texts = _texts(event)
        vm = _event_vm(event, self.fleet, texts)
        place = _place(event, self.fleet)
        if place is Place.GUEST and vm is None:
            # An event logged inside a guest is about that VM.
            name = computer_key(event.computer)
            known = self.fleet.vms.get(name) or self.fleet.vms.get(name.split(".", 1)[0])
            vm = known[1].name if known else None
        signature = _first(profile, lambda s: _matches(s, event, texts, place))
        where = f"{event.provider} event {event.event_id}"
        if signature is None:
            if not (is_backup_log(event) and event.is_warning_or_worse):
                return
            rule = NOT_RECOGNISED
            severity = _unrecognised_severity(event.level)
            message = f"{where} ({event.level_label}) is not in the catalogue: {_event_text(event)}"
            explained: tuple[Finding, ...] = ()
        else:
            rule = signature.rule
            severity = rule.severity
            message = f"{where}: {_event_text(event)}"
            explained = self.causes.explain(signature, host, vm)
        self.keep(
            LogFinding(
                rule=rule,
                severity=severity,
                message=message,
                time=event.time_created,
                host=event.computer or (host.name if host else None),
                vm=vm,
                place=place,
                event=event,
                explained_by=explained,
            )
        )

    def writer(self, writer: VssWriter) -> None:
        host = self.fleet.single
        profile = self.profile_of(host)
        signature = _first(profile, lambda s: _writer_matches(s, writer))
        state = (
            f"writer {writer.name!r} is in state {writer.state}, last error {writer.last_error!r}"
        )
        if signature is None:
            if writer.state not in FAILED_WRITER_STATES:
                return
            rule, severity = NOT_RECOGNISED, Severity.ERROR
            explained: tuple[Finding, ...] = ()
            message = f"VSS {state}, which the catalogue does not recognise"
        else:
            rule, severity = signature.rule, signature.rule.severity
            message = f"VSS {state}"
            explained = self.causes.explain(signature, host, None)
        self.keep(
            LogFinding(
                rule=rule,
                severity=severity,
                message=message,
                host=host.name if host else None,
                writer=writer,
                explained_by=explained,
            )
        )


def _order(entry: tuple[int, LogFinding]) -> tuple[int, datetime | int, int, int]:
    index, item = entry
    if item.time is None:
        return (1, 0, item.severity.rank, index)
    return (0, item.time, item.severity.rank, index)


def diagnose(
    events: Iterable[Event],
    writers: Sequence[VssWriter] | None = None,
    inventory: Host | Cluster | None = None,
    since: datetime | None = None,
    *,
    profile: Profile | str | None = None,
) -> Diagnosis:
    """Explain failed or degraded backups from the events and writer states a host recorded.

    ``events`` are the records of one or more exported logs (an
    :class:`~hyperv_backup.readers.EventLog` counts its skipped records into
    the diagnosis); ``writers`` a ``vssadmin list writers`` listing read by
    :func:`~hyperv_backup.readers.vssadmin_writers`; ``inventory`` the hosts the
    logs are from, to name VMs by id and to explain findings by inventory rules;
    ``since`` an aware time before which events are passed over. ``profile``
    forces one profile's signatures, as for :func:`~hyperv_backup.check`.

    Raises :class:`ValueError` when ``since`` has no time zone.
    """
    if since is not None and since.utcoffset() is None:
        msg = "since must be an aware datetime (with a time zone), such as datetime.now(UTC)"
        raise ValueError(msg)
    chosen = as_profile(profile)
    diagnoser = _Diagnoser(_Fleet.of(inventory), _Causes.of(inventory, chosen), chosen)
    total = considered = 0
    for event in events:
        total += 1
        if since is not None and event.time_created < since:
            continue
        considered += 1
        diagnoser.event(event)
    listed = tuple(writers or ())
    for writer in listed:
        diagnoser.writer(writer)
    ordered = sorted(diagnoser.found, key=_order)
    return Diagnosis(
        findings=tuple(item for _, item in ordered),
        events=total,
        considered=considered,
        skipped=events.skipped if isinstance(events, EventLog) else 0,
        writers=len(listed),
        since=since,
    )
