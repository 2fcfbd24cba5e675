"""Telling a collector document from an inventory.

Cheap to import on its own: the command line asks it about a file before it
knows whether it needs the rest of the collect package.
"""

from __future__ import annotations

from collections.abc import Mapping

from hyperv_backup._base import public_dir

__all__ = ["GUEST_COLLECTOR", "HOST_COLLECTOR", "LINUX_GUEST_COLLECTOR", "collector_kind"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: The ``collector`` value of a document ``host.ps1`` prints.
HOST_COLLECTOR = "hyperv_backup.host/1"
#: The ``collector`` value of a document ``guest.ps1`` prints.
GUEST_COLLECTOR = "hyperv_backup.guest/1"
#: The ``collector`` value of a document ``guest.sh`` prints in a Linux or FreeBSD guest.
LINUX_GUEST_COLLECTOR = "hyperv_backup.guest-linux/1"


def collector_kind(document: object) -> str | None:
    """Return ``"host"`` or ``"guest"`` for a parsed collector document, else ``None``.

    >>> collector_kind({"collector": "hyperv_backup.guest/1"}), collector_kind({"kind": "host"})
    ('guest', None)
    """
    if not isinstance(document, Mapping):
        return None
    marker = next((v for k, v in document.items() if str(k).casefold() == "collector"), None)
    if not isinstance(marker, str) or not marker.startswith("hyperv_backup."):
        return None
    kinds = {HOST_COLLECTOR: "host", GUEST_COLLECTOR: "guest", LINUX_GUEST_COLLECTOR: "guest"}
    return kinds.get(marker, "unknown")
