"""``diagnose LOG [LOG ...]``: why backups failed, from exported event logs and writer states."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from hyperv_backup.cli._io import (
    example_text_or_exit,
    exit_status,
    expand,
    output,
    policy_meta,
    policy_notes,
    read_source,
)
from hyperv_backup.cli._options import (
    EXIT_INVALID,
    PROG,
    Command,
    Exit,
    Options,
)
from hyperv_backup.inventory import (
    InventoryError,
    Problem,
    decode_text,
    parse_inventory,
    problem_lines,
)
from hyperv_backup.model import Cluster, Host
from hyperv_backup.render import clean_text, render_diagnosis

# The readers and the diagnosis are loaded by this command only (``check`` and
# ``plan`` do not need them); each function imports what it uses.
if TYPE_CHECKING:
    from hyperv_backup.readers import EventLog, VssWriter

__all__ = ["run"]

#: Logs larger than this (bytes) show their progress on a terminal's standard error.
PROGRESS_BYTES = 4 * 1024 * 1024

#: The most an exported log may hold, in bytes (the .evtx format's limit).
MAX_LOG_BYTES = 4 * 1024 * 1024 * 1024
#: What a directory given as a log contributes: its files with these suffixes.
LOG_SUFFIXES = (".evtx", ".xml", ".json")


def _invalid(label: str, what: str, exc: InventoryError) -> Exit:
    return Exit(
        EXIT_INVALID,
        f"error: {label} is not a valid {what}:",
        *problem_lines(exc),
    )


class _Progress:
    """Shows on standard error how many records of a large log have been read."""

    def __init__(self, label: str, stream: TextIO) -> None:
        self.label = clean_text(label)
        self.stream = stream
        self.shown = False

    def __call__(self, count: int) -> None:
        self.stream.write(
            f"\r{PROG} {Command.DIAGNOSE.value}: reading {self.label}: {count:,} records"
        )
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def _show_progress(size: int) -> bool:
    stream = sys.stderr
    return size > PROGRESS_BYTES and hasattr(stream, "isatty") and stream.isatty()


def _logs(options: Options) -> EventLog:
    from hyperv_backup.readers import Event, EventLog, read_events  # noqa: PLC0415 - see above

    events: list[Event] = []
    skipped = 0
    problems: list[Problem] = []
    for source in expand(options.operands, LOG_SUFFIXES, skipped=()):
        label = "<stdin>" if source == "-" else source
        try:
            data = read_source(source, limit=MAX_LOG_BYTES)
        except InventoryError as exc:
            raise _invalid(label, "event log", exc) from None
        progress = _Progress(label, sys.stderr) if _show_progress(len(data)) else None
        try:
            log = read_events(data, skip_bad=options.skip_bad, progress=progress)
        except InventoryError as exc:
            raise _invalid(label, "event log", exc) from None
        finally:
            if progress is not None:
                progress.done()
        events.extend(log)
        skipped += log.skipped
        problems.extend(log.problems)
    return EventLog(tuple(events), skipped, tuple(problems))


def _writers(options: Options) -> tuple[VssWriter, ...] | None:
    from hyperv_backup.readers import vssadmin_writers  # noqa: PLC0415 - see above

    if options.writers is None:
        return None
    data = read_source(options.writers)
    try:
        return vssadmin_writers(decode_text(data))
    except InventoryError as exc:
        raise _invalid(options.writers, "'vssadmin list writers' listing", exc) from None


def _inventory(options: Options) -> Host | Cluster | None:
    if options.example is not None:
        return parse_inventory(example_text_or_exit(options.example))
    if options.inventory is None:
        return None
    try:
        return parse_inventory(read_source(options.inventory))
    except InventoryError as exc:
        raise _invalid(options.inventory, "inventory", exc) from None


def run(options: Options) -> int:
    """Run ``diagnose``: print what the logs say; exit 1 when a finding is at or above ``--fail-on``."""
    from hyperv_backup.diagnose import diagnose  # noqa: PLC0415 - see above

    inventory = _inventory(options)
    log = _logs(options)
    writers = _writers(options)
    result = diagnose(log, writers, inventory, options.since, profile=options.profile)
    findings = [f for f in result.findings if f.rule.id not in options.ignore]
    status = exit_status(findings, options.fail_on)
    names = ", ".join(Path(name).name if name != "-" else "<stdin>" for name in options.operands)
    title = f"Diagnosis of {names}"
    notes = [*policy_notes(options)]
    meta = {
        "command": Command.DIAGNOSE.value,
        "logs": list(options.operands),
        **({"inventory": options.inventory or f"example:{options.example}"} if inventory else {}),
        **policy_meta(options, status),
    }
    output(
        options,
        title,
        lambda fmt, color, width: render_diagnosis(
            result,
            fmt,
            title=title,
            notes=notes,
            meta=meta,
            color=color,
            width=width,
            ignore=options.ignore,
        ),
    )
    return status
