"""The entry points of the collect package: documents in, an inventory out."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from hyperv_backup.collect._builder import build
from hyperv_backup.collect._catalogs import CatalogExport
from hyperv_backup.collect._documents import (
    Document,
    Problems,
    PSValue,
    bad,
    document_list,
    shown,
)
from hyperv_backup.collect._events import EventExport
from hyperv_backup.collect._guest import GuestRecord, read_guest
from hyperv_backup.collect._host import (
    HostRecord,
    check_document,
    read_host,
)
from hyperv_backup.collect._linux import LinuxGuestRecord, read_linux_guest
from hyperv_backup.collect.kinds import GUEST_COLLECTOR, HOST_COLLECTOR, LINUX_GUEST_COLLECTOR
from hyperv_backup.inventory import DEFAULT_LIMITS, InventoryError, InventoryLimits, read_at_most
from hyperv_backup.model import Cluster, Host

__all__ = [
    "catalog_exports",
    "event_exports",
    "from_documents",
    "read_documents",
    "script_path",
    "writer_notes",
]


def script_path(name: str) -> Path:
    """Return the path of a collector script shipped in this package (``"host.ps1"``).

    >>> script_path("guest.ps1").name
    'guest.ps1'
    """
    if name not in {"host.ps1", "guest.ps1", "guest.sh"}:
        msg = f"no collector script named {shown(name)}; known: 'host.ps1', 'guest.ps1', 'guest.sh'"
        raise KeyError(msg)
    return Path(__file__).with_name(name)


def from_documents(
    hosts: Sequence[Document],
    guests: Sequence[Document] = (),
    *,
    limits: InventoryLimits = DEFAULT_LIMITS,
) -> Host | Cluster:
    """Build the inventory of one host, or one cluster, from collector documents.

    ``hosts`` are documents printed by ``host.ps1``: one for a standalone host,
    one per node for a cluster. ``guests`` are documents printed by
    ``guest.ps1`` inside Windows guests, or by ``guest.sh`` inside Linux and
    FreeBSD guests. Raises :class:`InventoryError` for anything
    that cannot be read with certainty, naming each problem's place, and for a
    document over ``limits``: text or bytes over ``max_bytes``, a string the
    inventory would take over ``max_string`` characters.

    ``hosts`` and ``guests`` must each be a sequence, such as a list;
    anything else (one document on its own, ``None``) raises
    :class:`TypeError`.
    """
    problems = Problems()
    host_nodes = problems.each(document_list(hosts, "hosts", limits), _checked(HOST_COLLECTOR))
    guest_nodes = problems.each(document_list(guests, "guests", limits), _guest_document)
    problems.raise_any()
    if not host_nodes:
        raise bad("hosts", "no host document given; run host.ps1 on the host (or on each node)")
    records = [r for n in host_nodes if (r := read_host(n, problems)) is not None]
    guest_records: list[GuestRecord | LinuxGuestRecord] = []
    for node in guest_nodes:
        linux = node.opt("collector").value == LINUX_GUEST_COLLECTOR
        read = read_linux_guest(node, problems) if linux else read_guest(node, problems)
        if read is not None:
            guest_records.append(read)
    problems.raise_any()
    return build(records, guest_records)


def _guest_document(node: PSValue) -> PSValue:
    """Check that ``node`` is a document of ``guest.ps1`` or of ``guest.sh``."""
    if isinstance(node.value, Mapping) and node.opt("collector").value == LINUX_GUEST_COLLECTOR:
        return node
    check_document(node, GUEST_COLLECTOR)
    return node


def _checked(marker: str) -> Callable[[PSValue], PSValue]:
    def check(node: PSValue) -> PSValue:
        check_document(node, marker)
        return node

    return check


def read_documents(
    host_paths: Sequence[str | os.PathLike[str]],
    guest_paths: Sequence[str | os.PathLike[str]] = (),
    *,
    limits: InventoryLimits = DEFAULT_LIMITS,
) -> Host | Cluster:
    """Read collector documents from files and build the inventory (see :func:`from_documents`).

    A missing or unreadable file raises the usual :class:`OSError`; a file
    over ``limits.max_bytes`` is refused before it is read whole.
    """
    hosts = _read(host_paths, "hosts", limits)
    guests = _read(guest_paths, "guests", limits)
    return from_documents(hosts, guests, limits=limits)


def _read(
    paths: Sequence[str | os.PathLike[str]], label: str, limits: InventoryLimits
) -> list[bytes]:
    documents = []
    for index, path in enumerate(paths):
        with Path(path).open("rb") as file:
            try:
                documents.append(read_at_most(file, limits.max_bytes))
            except InventoryError as exc:
                # The file is over the limit; say which one.
                raise bad(f"{label}[{index}]", exc.problems[0].message) from None
    return documents


def _host_records(hosts: Sequence[Document], limits: InventoryLimits) -> list[HostRecord]:
    problems = Problems()
    nodes = problems.each(document_list(hosts, "hosts", limits), _checked(HOST_COLLECTOR))
    problems.raise_any()
    records = [r for n in nodes if (r := read_host(n, problems)) is not None]
    problems.raise_any()
    return records


def event_exports(
    hosts: Sequence[Document], *, limits: InventoryLimits = DEFAULT_LIMITS
) -> tuple[EventExport | None, ...]:
    """Say, for each host document, which events ``host.ps1 -EventHours`` exported beside it.

    One entry per document, in order: ``None`` for a document collected
    without ``-EventHours``. A document that is not a valid host document
    raises :class:`InventoryError`, as :func:`from_documents` does.

    >>> document = {
    ...     "collector": "hyperv_backup.host/1", "ComputerName": "HV01",
    ...     "OperatingSystem": {"Version": "10.0.20348", "ProductType": 3},
    ...     "HyperVApi": "module", "VMs": [], "VMSwitches": [], "HotFixes": [],
    ...     "WindowsServerBackup": {"Installed": False}, "Cluster": None,
    ...     "EventLogs": {"File": "HV01.events.json", "Hours": 24, "Since": "2026-12-06T06:00:00Z",
    ...                   "Logs": [{"LogName": "Microsoft-Windows-Hyper-V-VMMS-Admin", "Count": 3},
    ...                            {"LogName": "Microsoft-Windows-Backup", "Count": 0,
    ...                             "Error": "There is not an event log named so."}]}}
    >>> [export] = event_exports([document])
    >>> export.file, export.count, [log.error is None for log in export.logs]
    ('HV01.events.json', 3, [True, False])
    """
    return tuple(record.event_logs for record in _host_records(hosts, limits))


def catalog_exports(
    hosts: Sequence[Document], *, limits: InventoryLimits = DEFAULT_LIMITS
) -> tuple[CatalogExport | None, ...]:
    """Say, for each host document, which catalogue ``host.ps1 -Catalog`` exported beside it.

    One entry per document, in order: ``None`` for a document collected
    without ``-Catalog``. A document that is not a valid host document raises
    :class:`InventoryError`, as :func:`from_documents` does.

    >>> document = {
    ...     "collector": "hyperv_backup.host/1", "ComputerName": "HV01",
    ...     "OperatingSystem": {"Version": "10.0.20348", "ProductType": 3},
    ...     "HyperVApi": "module", "VMs": [], "VMSwitches": [], "HotFixes": [],
    ...     "WindowsServerBackup": {"Installed": False}, "Cluster": None,
    ...     "BackupCatalog": {"File": "HV01.wbcatalog.json", "Count": 2, "Error": None}}
    >>> [export] = catalog_exports([document])
    >>> export.file, export.count
    ('HV01.wbcatalog.json', 2)
    """
    return tuple(record.catalog for record in _host_records(hosts, limits))


def writer_notes(
    hosts: Sequence[Document], *, limits: InventoryLimits = DEFAULT_LIMITS
) -> tuple[str, ...]:
    """Say, for each host document, whether its Hyper-V VSS writer looks ready for a backup.

    The model has no place for the writer's state, so no rule reads it; a
    writer that is missing or not stable is still worth a look before the
    backup. Each document's ``vssadmin list writers`` text is read as
    :func:`from_documents` reads the document; a host whose writer is listed
    and stable gives no note. A document that is not a valid host document
    raises :class:`InventoryError`, as :func:`from_documents` does.
    """
    records = _host_records(hosts, limits)
    return tuple(_note(record) for record in records if record.writer_note is not None)


def _note(record: HostRecord) -> str:
    return f"{shown(record.name, quoted=False)}: {record.writer_note}"
