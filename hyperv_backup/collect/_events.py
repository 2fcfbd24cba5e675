"""The event logs ``host.ps1 -EventHours N`` exports beside its document.

The host document's ``EventLogs`` section names the file the events went to
(beside the document), the hours it covers and, for each log asked, how many
events it gave or why it could not be read. :func:`event_exports` reads that
section; :func:`kept_events` puts the events of every host of an inventory
into one file that ``hyperv-backup diagnose`` reads.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import attrs

from hyperv_backup.collect._documents import PSValue, bad, shown
from hyperv_backup.inventory import InventoryError, Problem, load_document
from hyperv_backup.readers import winevent_json
from hyperv_backup.readers.event_json import JSON_LIMITS

__all__ = ["EventExport", "LogExport", "kept_events", "read_event_logs"]

#: The longest window ``-EventHours`` takes: a year.
MAX_EVENT_HOURS = 8760
#: Characters a file name in ``EventLogs.File`` must not hold: it names a file beside the document.
_NOT_IN_A_NAME = frozenset('/\\:*?"<>|\0')


@attrs.frozen(kw_only=True)
class LogExport:
    """One log ``host.ps1`` asked for its events.

    ``provider`` is the one provider taken from a shared log (``VSS`` from
    Application), ``None`` for the whole log. ``error`` says why the log could
    not be read (it does not exist on the host, access was denied); its
    ``count`` is then 0.
    """

    log: str
    provider: str | None
    count: int
    error: str | None


@attrs.frozen(kw_only=True)
class EventExport:
    """The events one host document says it exported, and where they are.

    ``file`` is a file name, beside the host document; ``since`` the start of
    the window (UTC), ``hours`` its length.
    """

    host: str
    file: str
    hours: int
    since: datetime
    logs: tuple[LogExport, ...]

    @property
    def count(self) -> int:
        """How many events the file holds, by the document's account."""
        return sum(log.count for log in self.logs)


def read_event_logs(doc: PSValue, host: str) -> EventExport | None:
    """Read a host document's ``EventLogs`` section; ``None`` when there is none."""
    section = doc.opt("EventLogs")
    if section.is_null:
        return None
    name_node = section.get("File")
    name = name_node.text()
    if name in {".", ".."} or _NOT_IN_A_NAME.intersection(name):
        raise bad(
            name_node.path,
            f"expected the name of a file beside the document, got {shown(name)}",
        )
    hours_node = section.get("Hours")
    hours = hours_node.integer()
    if not 1 <= hours <= MAX_EVENT_HOURS:
        raise bad(hours_node.path, f"expected 1 to {MAX_EVENT_HOURS} hours, got {hours}")
    logs = tuple(_log(item) for item in section.get("Logs").items())
    return EventExport(
        host=host, file=name, hours=hours, since=section.get("Since").date(), logs=logs
    )


def _log(node: PSValue) -> LogExport:
    count_node = node.get("Count")
    count = count_node.integer()
    if count < 0:
        raise bad(count_node.path, f"expected a count, got {count}")
    return LogExport(
        log=node.get("LogName").text(),
        provider=node.opt("ProviderName").opt_text(),
        count=count,
        error=node.opt("Error").opt_text(),
    )


def kept_events(
    files: Sequence[bytes | str], names: Sequence[str] = ()
) -> tuple[str, tuple[int, ...]]:
    """Put the events of several exported files into one; return its JSON text and each file's count.

    Each file is what ``host.ps1 -EventHours`` wrote (``Get-WinEvent |
    ConvertTo-Json``). Every event of every file is read first, as
    :func:`~hyperv_backup.readers.winevent_json` reads it, so a damaged file
    raises :class:`~hyperv_backup.inventory.InventoryError` naming it (by
    ``names[i]`` when given, else ``events[i]``) and no half-merged file is
    made. The events are kept as written, file after file.

    >>> text, counts = kept_events(['[{"Id": 8229, "ProviderName": "VSS", '
    ...                            '"TimeCreated": "2025-12-06T05:46:40Z"}]', "[]"])
    >>> counts, json.loads(text)[0]["Id"]
    ((1, 0), 8229)
    """
    merged: list[Any] = []
    counts: list[int] = []
    for index, data in enumerate(files):
        label = names[index] if index < len(names) else f"events[{index}]"
        try:
            winevent_json(data)
            document = load_document(data, limits=JSON_LIMITS)
        except InventoryError as exc:
            raise InventoryError(
                [Problem(f"{label}{_joined(p.path)}", p.message) for p in exc.problems],
                count=exc.count,
            ) from None
        events = document if isinstance(document, list) else [document]
        merged.extend(events)
        counts.append(len(events))
    # ASCII with \u escapes: any string the reader took, half surrogates too, is written.
    return json.dumps(merged, indent=1, ensure_ascii=True) + "\n", tuple(counts)


def _joined(path: str) -> str:
    if not path:
        return ""
    return path if path.startswith("[") else f".{path}"
