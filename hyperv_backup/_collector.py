r"""Telling a collector document from an inventory, and reading one as JSON.

:mod:`hyperv_backup.collect` holds these and uses them; they live here, apart
from it, so that the command line can look at a file before it knows whether
it needs the collect package, which takes a while to import. Only the
inventory reader is imported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hyperv_backup.inventory import (
    DEFAULT_LIMITS,
    InventoryError,
    InventoryLimits,
    Problem,
    _decode,
    _loads,
)

__all__ = ["GUEST_COLLECTOR", "HOST_COLLECTOR", "collector_kind", "load_document"]

#: The ``collector`` value of a document ``host.ps1`` prints.
HOST_COLLECTOR = "hyperv_backup.host/1"
#: The ``collector`` value of a document ``guest.ps1`` prints.
GUEST_COLLECTOR = "hyperv_backup.guest/1"


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
    return {HOST_COLLECTOR: "host", GUEST_COLLECTOR: "guest"}.get(marker, "unknown")


def load_document(data: str | bytes, *, limits: InventoryLimits = DEFAULT_LIMITS) -> Any:
    r"""Return the parsed JSON of ``data``, read as strictly as an inventory is.

    Bytes may be UTF-8, or UTF-8 or UTF-16 with a byte-order mark. A duplicate
    key, ``NaN``, text that is not JSON or data over ``limits.max_bytes``
    raises :class:`~hyperv_backup.inventory.InventoryError`.

    >>> load_document(b'\xff\xfe{\x00}\x00')
    {}
    """
    if len(data) > limits.max_bytes:
        message = f"the document is larger than the limit of {limits.max_bytes} bytes"
        raise InventoryError([Problem("", message)])
    text = data if isinstance(data, str) else _decode(bytes(data))
    return _loads(text)
