"""The profiles: one per generation of Windows Server, each the rules that can answer for it.

A host is answered by the profile of its release (:func:`profile_for`), unless
the caller names one. The 2008 profile is the guidance of "Planning for
Backup" as it stands; the 2012 and 2016 profiles follow Microsoft's later
documentation, with the rules of HVB6xx beside those of the guidance that
still hold there.

>>> from hyperv_backup.model import HostOS
>>> profile_for(HostOS.WINDOWS_SERVER_2022)
<Profile.WS2016: '2016'>
>>> Profile.WS2016.label
'Windows Server 2016 and later'
"""

from __future__ import annotations

import enum
import types
from collections.abc import Mapping

from hyperv_backup._base import HypervBackupError
from hyperv_backup.model import HostOS

__all__ = ["PROFILE_RULES", "Profile", "as_profile", "profile_for"]


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
        return _LABELS[self]


_LABELS = {
    Profile.WS2008: "Windows Server 2008 and 2008 R2",
    Profile.WS2012: "Windows Server 2012 and 2012 R2",
    Profile.WS2016: "Windows Server 2016 and later",
}

_PROFILE_OF: Mapping[HostOS, Profile] = {
    HostOS.WINDOWS_SERVER_2008: Profile.WS2008,
    HostOS.WINDOWS_SERVER_2008_R2: Profile.WS2008,
    HostOS.WINDOWS_SERVER_2012: Profile.WS2012,
    HostOS.WINDOWS_SERVER_2012_R2: Profile.WS2012,
    HostOS.WINDOWS_SERVER_2016: Profile.WS2016,
    HostOS.WINDOWS_SERVER_2019: Profile.WS2016,
    HostOS.WINDOWS_SERVER_2022: Profile.WS2016,
    HostOS.WINDOWS_SERVER_2025: Profile.WS2016,
}


def profile_for(os: HostOS) -> Profile:
    """Return the profile that answers for a host running ``os``."""
    return _PROFILE_OF[os]


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
        msg = f"unknown profile {value!r}; expected '2008', '2012' or '2016'"
        raise HypervBackupError(msg) from None


def _ids(*ranges: tuple[int, int]) -> frozenset[str]:
    return frozenset(f"HVB{n}" for low, high in ranges for n in range(low, high + 1))


#: The guidance's rules that still hold from Windows Server 2012 on: virtual
#: networks, snapshots, storage the host cannot see, the restore rules and the
#: cluster tables. Left out: HVB100 (the profile says which release answers),
#: HVB102, HVB103, HVB106, HVB107, HVB203 and HVB501 (fixes and limits of 2008
#: and 2008 R2), HVB505 (replaced by HVB616).
_STILL_HOLD = _ids((104, 105), (201, 202), (401, 406), (502, 504)) | {"HVB307"}

# The diagnosis of recorded failures (HVB700-HVB711) holds for every profile.
_DIAGNOSIS = _ids((700, 711))

#: The rule IDs each profile can report.
PROFILE_RULES: Mapping[Profile, frozenset[str]] = types.MappingProxyType(
    {
        Profile.WS2008: _ids((100, 107), (201, 203), (301, 309), (401, 406), (501, 505))
        | _DIAGNOSIS,
        # 2012 still saves a VM that cannot be backed up online (HVB301-HVB309);
        # 2012 R2 keeps it running (HVB602). Both use the Hyper-V VSS writer (HVB101).
        Profile.WS2012: _STILL_HOLD
        | _ids((301, 309), (601, 602), (604, 609), (611, 620))
        | {"HVB101"}
        | _DIAGNOSIS,
        # From 2016 a backup may go through the WMI backup API instead of the VSS
        # writer, so HVB101 no longer holds; production checkpoints add HVB603 and HVB610.
        Profile.WS2016: _STILL_HOLD | _ids((602, 607), (609, 620)) | _DIAGNOSIS,
    }
)
