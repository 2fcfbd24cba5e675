"""``diagnose LOG [LOG ...]``: why backups failed, from exported event logs and writer states."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.cli._io import (
    example_text_or_exit,
    exit_status,
    inputs_of,
    is_inventory,
    open_regular,
    output,
    policy_meta,
    policy_notes,
    read_source,
    unreadable,
)
from hyperv_backup.cli._options import (
    EXIT_FINDINGS,
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
    read_at_most,
)
from hyperv_backup.model import Cluster, Host
from hyperv_backup.render import clean_text, render_diagnosis

# The readers and the diagnosis are loaded by this command only (``check`` and
# ``plan`` do not need them); each function imports what it uses.
if TYPE_CHECKING:
    from hyperv_backup.readers import Event, VssWriter

__all__ = ["run"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: Logs larger than this (bytes) show their progress on a terminal's standard error.
PROGRESS_BYTES = 4 * 1024 * 1024

#: The most an exported log may hold, in bytes (the .evtx format's limit).
MAX_LOG_BYTES = 4 * 1024 * 1024 * 1024
#: The most each form may hold, in bytes, checked before a file is read.
_LIMITS = {
    "evtx": MAX_LOG_BYTES,
    "xml": 1024 * 1024 * 1024,  # readers.event_xml.MAX_XML_LENGTH
    "json": 1024 * 1024 * 1024,  # readers.event_json.MAX_JSON_BYTES
}
#: What a directory given as a log contributes: its files with these suffixes.
LOG_SUFFIXES = (".evtx", ".xml", ".json")


def _invalid(label: str, what: str, exc: InventoryError) -> Exit:
    if what == "event log" and is_inventory(label):
        # An inventory given where a log goes: say where it goes instead of
        # what an event log lacks.
        return Exit(
            EXIT_INVALID,
            f"error: {label} is an inventory, not an event log; "
            f"pass it with --inventory {label}",
        )
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


class _Logs:
    """The events of every log the options name, read as the diagnosis asks for them.

    An ``.evtx`` file is read from the disk a chunk at a time, so the memory
    of a diagnosis grows with its findings, not with the log. An XML or JSON
    export is read whole, but only once its size is known to be within the
    limit of its form (checked before it is read). ``skipped`` and
    ``problems`` count what ``--skip-bad`` left out, once the events are read.
    """

    def __init__(self, options: Options) -> None:
        self.options = options
        self.skipped = 0
        self.problems: list[Problem] = []

    def __iter__(self) -> Iterator[Event]:
        for source in inputs_of(self.options, LOG_SUFFIXES, skipped=()):
            yield from self._read(source)

    def _read(self, source: str) -> Iterator[Event]:
        from hyperv_backup.readers import read_events  # noqa: PLC0415 - see above

        label = "<stdin>" if source == "-" else source
        problems: list[Problem] = []
        try:
            if source == "-":
                log = read_events(
                    read_source(source, limit=MAX_LOG_BYTES), skip_bad=self.options.skip_bad
                )
                problems.extend(log.problems)
                yield from log
            else:
                yield from self._file(source, label, problems)
        except InventoryError as exc:
            raise _invalid(label, "event log", exc) from None
        self.skipped += len(problems)
        self.problems.extend(problems)

    def _file(self, source: str, label: str, problems: list[Problem]) -> Iterator[Event]:
        from hyperv_backup.readers import event_form, read_events  # noqa: PLC0415 - see above
        from hyperv_backup.readers.evtx import iter_evtx  # noqa: PLC0415

        try:
            file = open_regular(source)
        except (OSError, ValueError) as exc:
            raise unreadable(source, exc) from None
        with file:
            size = os.fstat(file.fileno()).st_size
            form = event_form(file.read(256))
            file.seek(0)
            limit = _LIMITS[form]
            if size > limit:
                raise InventoryError(
                    [Problem("", f"the {form} export is larger than the limit of {limit} bytes")]
                )
            progress = _Progress(label, sys.stderr) if _show_progress(size) else None
            try:
                if form == "evtx":
                    yield from iter_evtx(
                        file, skip_bad=self.options.skip_bad, problems=problems, progress=progress
                    )
                else:
                    log = read_events(
                        read_at_most(file, limit), skip_bad=self.options.skip_bad, progress=progress
                    )
                    problems.extend(log.problems)
                    yield from log
            finally:
                if progress is not None:
                    progress.done()


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


#: The most problems of skipped records (or chunks) named on standard error.
_SKIPPED_SHOWN = 20


def _note_skipped(problems: Sequence[Problem]) -> None:
    print(
        f"{PROG} {Command.DIAGNOSE.value}: note: {len(problems)} unreadable record(s) or "
        "chunk(s) skipped (--skip-bad):",
        file=sys.stderr,
    )
    for problem in problems[:_SKIPPED_SHOWN]:
        print(clean_text(str(problem)), file=sys.stderr)
    if len(problems) > _SKIPPED_SHOWN:
        print(f"... and {len(problems) - _SKIPPED_SHOWN} more", file=sys.stderr)


def run(options: Options) -> int:
    """Run ``diagnose``: print what the logs say; exit 1 when a finding is at or above ``--fail-on``."""
    from hyperv_backup.diagnose import diagnose  # noqa: PLC0415 - see above

    inventory = _inventory(options)
    writers = _writers(options)
    logs = _Logs(options)
    result = diagnose(logs, writers, inventory, options.since, profile=options.profile)
    result = attrs.evolve(result, skipped=logs.skipped)
    findings = [f for f in result.findings if f.rule.id not in options.ignore]
    status = exit_status(findings, options.fail_on)
    if logs.skipped:
        _note_skipped(logs.problems)
        if options.fail_on.threshold is not None:
            # A log read in part is no clean answer: --skip-bad lets the run go on,
            # not pass.
            status = EXIT_FINDINGS
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
