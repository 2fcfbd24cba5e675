"""The profiles, and the facts of each Windows Server release the rules ask.

A host is answered by the profile of its release (:func:`profile_for`), unless
the caller names one. The 2008 profile is the guidance of "Planning for
Backup" as it stands; the 2012 and 2016 profiles follow Microsoft's later
documentation, with the rules of HVB6xx beside those of the guidance that
still hold there. Which rules each profile can report is the ``profiles`` of
each rule (:data:`~hyperv_backup.rules.PROFILE_RULES` gathers them).

What differs between releases is one table, :data:`RELEASE_FACTS`: whether a
VM whose guest cannot take part is saved, whether backups go through
checkpoints, which configuration versions run, and so on. The checks of the
rules ask these facts, never which profile answers. A host is asked the facts
of its own release when its profile answers for that release, and otherwise
those of the profile's latest release (a Windows Server 2022 host answered by
the 2012 profile is asked the facts of 2012 R2).

>>> from hyperv_backup.model import Host, HostOS
>>> profile_for(HostOS.WINDOWS_SERVER_2022)
<Profile.WS2016: '2016'>
>>> Profile.WS2016.label
'Windows Server 2016 and later'
>>> release_facts(Profile.WS2012, HostOS.WINDOWS_SERVER_2022).release
<HostOS.WINDOWS_SERVER_2012_R2: 'windows_server_2012_r2'>
>>> release_facts(Profile.WS2008, HostOS.WINDOWS_SERVER_2008).saves_vm_guest_cannot_quiesce
True
"""

from __future__ import annotations

import enum
import types
from collections.abc import Mapping

import attrs

from hyperv_backup._base import HypervBackupError, public_dir
from hyperv_backup.model import Host, HostOS

__all__ = [
    "ALL_PROFILES",
    "PROFILE_FACTS",
    "RELEASE_FACTS",
    "Profile",
    "ProfileFacts",
    "ReleaseFacts",
    "as_profile",
    "profile_for",
    "release_facts",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


class Profile(enum.StrEnum):
    """A generation of Windows Server whose backup behaviour the rules describe."""

    #: Windows Server 2008 and 2008 R2: the guidance "Planning for Backup".
    WS2008 = "2008"
    #: Windows Server 2012 and 2012 R2.
    WS2012 = "2012"
    #: Windows Server 2016, 2019, 2022 and 2025.
    WS2016 = "2016"

    @property
    def label(self) -> str:
        """The releases the profile answers for, in words."""
        return PROFILE_FACTS[self].label

    @property
    def releases(self) -> tuple[HostOS, ...]:
        """The releases the profile answers for, oldest first."""
        return PROFILE_FACTS[self].releases

    @property
    def latest(self) -> HostOS:
        """The release whose facts answer a host of another release, or a node known by name."""
        return PROFILE_FACTS[self].releases[-1]

    @property
    def states_outcomes(self) -> bool:
        """Whether the profile states what each VM's copy holds (see :class:`ProfileFacts`)."""
        return PROFILE_FACTS[self].states_outcomes


#: Every profile: the profiles of a rule that holds for every release.
ALL_PROFILES: frozenset[Profile] = frozenset(Profile)


@attrs.frozen(kw_only=True)
class ProfileFacts:
    """What a profile is: the releases it answers for and how it answers.

    ``states_outcomes`` is false for the profile that answers as the guidance
    of 2008 R2 does, by online and offline backups alone: its decisions give
    the online conditions as their reasons, and its plans list no outcomes.
    The later profiles state what each VM's copy will hold.
    """

    label: str
    releases: tuple[HostOS, ...]
    states_outcomes: bool


#: Each profile's releases and how it answers.
PROFILE_FACTS: Mapping[Profile, ProfileFacts] = types.MappingProxyType(
    {
        Profile.WS2008: ProfileFacts(
            label="Windows Server 2008 and 2008 R2",
            releases=(HostOS.WINDOWS_SERVER_2008, HostOS.WINDOWS_SERVER_2008_R2),
            states_outcomes=False,
        ),
        Profile.WS2012: ProfileFacts(
            label="Windows Server 2012 and 2012 R2",
            releases=(HostOS.WINDOWS_SERVER_2012, HostOS.WINDOWS_SERVER_2012_R2),
            states_outcomes=True,
        ),
        Profile.WS2016: ProfileFacts(
            label="Windows Server 2016 and later",
            releases=(
                HostOS.WINDOWS_SERVER_2016,
                HostOS.WINDOWS_SERVER_2019,
                HostOS.WINDOWS_SERVER_2022,
                HostOS.WINDOWS_SERVER_2025,
            ),
            states_outcomes=True,
        ),
    }
)

#: A configuration version, as (major, minor).
Version = tuple[int, int]


@attrs.frozen(kw_only=True)
class ReleaseFacts:
    """What one Windows Server release does when it backs up a VM.

    Each fact is named for what the rules ask; ``docs/interpretation.md``
    gives the page each comes from.
    """

    release: HostOS
    #: A running VM whose guest cannot take part in the backup is saved for it
    #: (downtime). From 2012 R2 on the VM keeps running instead.
    saves_vm_guest_cannot_quiesce: bool
    #: Linux and FreeBSD guests are told apart from Windows ones: the guidance of
    #: 2008 R2 knows Windows guests only.
    knows_unix_guests: bool
    #: A Linux or FreeBSD guest takes part in a backup while it runs (its VSS daemon).
    backs_up_unix_guests_online: bool
    #: ReFS volumes take part in the guest's shadow copy, as NTFS ones do.
    refs_takes_part: bool
    #: VMs may be Hyper-V Replica copies.
    has_replica: bool
    #: A Hyper-V Replica copy can be backed up.
    backs_up_replicas: bool
    #: A backup takes a checkpoint of the VM, and production checkpoints exist.
    production_checkpoints: bool
    #: An online backup attaches a disk to the VM through a SCSI controller.
    online_backup_needs_scsi_controller: bool
    #: A VHD Set can be shared by a guest cluster.
    vhd_set_shared_storage: bool
    #: Host-level backups go through the Hyper-V VSS writer only (no WMI backup API).
    backs_up_through_vss_writer_only: bool
    #: A VM on a Cluster Shared Volume is backed up from any node, with no owner move.
    csv_backed_up_from_any_node: bool
    #: Virtual hard disks track their own changes (resilient change tracking), so
    #: a backup can copy only what changed since the last one.
    resilient_change_tracking: bool
    #: The conditions of the WMI page's "Child VM Snapshot" method are asked
    #: beside the guidance's: the documentation of Hyper-V's WMI v2 namespace.
    child_vm_snapshot_conditions: bool
    #: The hotfixes the guidance names for this release.
    guidance_hotfixes: frozenset[str] = frozenset()
    #: The configuration versions the release runs, lowest and highest; ``None``
    #: where the table of supported versions does not list the release.
    configuration_versions: tuple[Version, Version] | None = None

    def lacks(self, host: Host, hotfix: str) -> bool:
        """Tell whether ``host``, of this release, lacks ``hotfix``, one the guidance names for it."""
        return hotfix in self.guidance_hotfixes and hotfix not in host.installed_updates


_W2008, _W2008R2 = HostOS.WINDOWS_SERVER_2008, HostOS.WINDOWS_SERVER_2008_R2
_W2012, _W2012R2 = HostOS.WINDOWS_SERVER_2012, HostOS.WINDOWS_SERVER_2012_R2
_W2016, _W2019 = HostOS.WINDOWS_SERVER_2016, HostOS.WINDOWS_SERVER_2019
_W2022, _W2025 = HostOS.WINDOWS_SERVER_2022, HostOS.WINDOWS_SERVER_2025


def _facts(release: HostOS) -> ReleaseFacts:
    order = list(HostOS)

    def since(first: HostOS) -> bool:
        return order.index(release) >= order.index(first)

    return ReleaseFacts(
        release=release,
        saves_vm_guest_cannot_quiesce=not since(_W2012R2),
        knows_unix_guests=since(_W2012),
        backs_up_unix_guests_online=since(_W2012R2),
        refs_takes_part=since(_W2012),
        has_replica=since(_W2012),
        backs_up_replicas=since(_W2012R2),
        production_checkpoints=since(_W2016),
        online_backup_needs_scsi_controller=release is _W2012R2,
        vhd_set_shared_storage=since(_W2016),
        backs_up_through_vss_writer_only=not since(_W2016),
        csv_backed_up_from_any_node=since(_W2012),
        resilient_change_tracking=since(_W2016),
        child_vm_snapshot_conditions=since(_W2012),
        guidance_hotfixes=_HOTFIXES.get(release, frozenset()),
        configuration_versions=_CONFIGURATION_VERSIONS.get(release),
    )


#: The hotfixes the guidance names, by the release they fix.
_HOTFIXES = {_W2008R2: frozenset({"KB982210", "KB975354"})}

#: The configuration versions each release runs, lowest and highest, from the
#: table of long-term servicing hosts of "Upgrade virtual machine version".
#: Windows Server 2012 is not in the table and is not checked.
_CONFIGURATION_VERSIONS: dict[HostOS, tuple[Version, Version]] = {
    _W2012R2: ((5, 0), (5, 0)),
    _W2016: ((5, 0), (8, 0)),
    _W2019: ((5, 0), (9, 0)),
    _W2022: ((8, 0), (10, 0)),
    _W2025: ((8, 0), (12, 0)),
}

#: The facts of every release.
RELEASE_FACTS: Mapping[HostOS, ReleaseFacts] = types.MappingProxyType(
    {release: _facts(release) for release in HostOS}
)

_PROFILE_OF: Mapping[HostOS, Profile] = types.MappingProxyType(
    {release: profile for profile in Profile for release in profile.releases}
)


def profile_for(os: HostOS | str) -> Profile:
    """Return the profile that answers for a host running ``os`` (a release or its value).

    Raises :class:`TypeError` for anything but a :class:`~hyperv_backup.HostOS`
    or a string, and :class:`~hyperv_backup.HypervBackupError` (a ``ValueError``)
    for a string that names no release.

    >>> profile_for("windows_server_2012_r2")
    <Profile.WS2012: '2012'>
    """
    value: object = os  # callers without type checking may pass anything
    if not isinstance(value, str):
        msg = f"profile_for() takes a HostOS, got {type(value).__name__}"
        raise TypeError(msg)
    try:
        return _PROFILE_OF[HostOS(value)]
    except ValueError:
        msg = (
            f"unknown release {value[:80]!r}; expected one of {', '.join(h.value for h in HostOS)}"
        )
        raise HypervBackupError(msg) from None


def release_facts(profile: Profile, os: HostOS) -> ReleaseFacts:
    """Return the facts ``profile`` asks of a host running ``os``.

    Those of ``os`` itself when the profile answers for it, else those of the
    profile's latest release.
    """
    return RELEASE_FACTS[os if os in PROFILE_FACTS[profile].releases else profile.latest]


def as_profile(value: Profile | str | None) -> Profile | None:
    """Return the profile ``value`` names (``"2008"``, ``"2012"``, ``"2016"``), or ``None``.

    Raises :class:`~hyperv_backup.HypervBackupError` (a ``ValueError``) for
    anything else.

    >>> as_profile("2012")
    <Profile.WS2012: '2012'>
    >>> as_profile("2019")
    Traceback (most recent call last):
    ...
    hyperv_backup.HypervBackupError: unknown profile '2019'; expected '2008', '2012' or '2016'
    """
    if value is None or isinstance(value, Profile):
        return value
    try:
        return Profile(value)
    except ValueError:
        *others, last = (repr(p.value) for p in Profile)
        msg = f"unknown profile {value!r}; expected {', '.join(others)} or {last}"
        raise HypervBackupError(msg) from None
