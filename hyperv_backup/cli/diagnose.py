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
    usage_error,
)
from hyperv_backup.inventory import (
    InventoryError,
    Problem,
    parse_inventory,
    problem_lines,
    read_at_most,
)
from hyperv_backup.model import Cluster, Host
from hyperv_backup.render import clean_text, render_diagnosis
from hyperv_backup.rules import Severity
from hyperv_backup.rules.signatures import NOT_RECOGNISED

# The readers and the diagnosis are loaded by this command only (``check`` and
# ``plan`` do not need them); each function imports what it uses.
if TYPE_CHECKING:
    from hyperv_backup.diagnose import LogFinding
    from hyperv_backup.examples import ExampleNight
    from hyperv_backup.readers import CapturedText, Event, VssWriter

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
            f"error: {label} is an inventory, not an event log; pass it with --inventory {label}",
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


class _Unreadable(Exception):  # noqa: N818 - a signal within this module, not an error type
    """A log file could not be opened or read; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Logs:
    """The events of every log the options name, read as the diagnosis asks for them.

    An ``.evtx`` file is read from the disk a chunk at a time, so the memory
    of a diagnosis grows with its findings, not with the log. An XML or JSON
    export is read whole, but only once its size is known to be within the
    limit of its form (checked before it is read). ``skipped`` and
    ``problems`` count the records ``--skip-bad`` left out, once the events
    are read; ``skipped_files`` the files of a directory or glob it left out,
    each with its path and why.
    """

    def __init__(self, options: Options, night: ExampleNight | None = None) -> None:
        self.options = options
        self.night = night
        self.skipped = 0
        self.problems: list[Problem] = []
        self.skipped_files: list[Problem] = []

    def __iter__(self) -> Iterator[Event]:
        from hyperv_backup.readers import read_events  # noqa: PLC0415 - see above

        if self.night is not None:
            yield from read_events(self.night.log)
        named = set(self.options.operands)
        for source in inputs_of(self.options, LOG_SUFFIXES, skipped=()):
            # A file named on the command line is read or refused, as without
            # --skip-bad: only the files a directory or glob gave may be passed over.
            skips = self.options.skip_bad and source not in named
            yield from self._read(source, skips=skips)

    def _read(self, source: str, *, skips: bool) -> Iterator[Event]:
        from hyperv_backup.readers import read_events  # noqa: PLC0415 - see above

        label = "<stdin>" if source == "-" else source
        problems: list[Problem] = []
        read = 0
        try:
            if source == "-":
                log = read_events(
                    read_source(source, limit=MAX_LOG_BYTES), skip_bad=self.options.skip_bad
                )
                problems.extend(log.problems)
                yield from log
            else:
                for event in self._file(source, label, problems):
                    read += 1
                    yield event
        except InventoryError as exc:
            if not skips:
                raise _invalid(label, "event log", exc) from None
            first = exc.problems[0]
            self._skip(source, str(first) if first.path else first.message, read)
        except _Unreadable as exc:
            if not skips:
                raise unreadable(source, exc) from None
            self._skip(source, f"cannot be read: {exc.reason}", read)
        self.skipped += len(problems)
        self.problems.extend(problems)

    def _skip(self, source: str, why: str, read: int) -> None:
        # Only an .evtx file can fail after some of its events were read; they
        # stay in the diagnosis, and the note says how many.
        after = f" (after {read} events, which are kept)" if read else ""
        self.skipped_files.append(Problem(source, f"skipped: {why}{after}"))

    def _file(self, source: str, label: str, problems: list[Problem]) -> Iterator[Event]:
        from hyperv_backup.readers import event_form, read_events  # noqa: PLC0415 - see above
        from hyperv_backup.readers.evtx import iter_evtx  # noqa: PLC0415

        try:
            file = open_regular(source)
        except (OSError, ValueError) as exc:
            raise _Unreadable(getattr(exc, "strerror", None) or str(exc)) from None
        with file:
            try:
                size = os.fstat(file.fileno()).st_size
                form = event_form(file.read(256))
                file.seek(0)
            except OSError as exc:
                raise _Unreadable(exc.strerror or str(exc)) from None
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


class _Listing:
    """A writers listing as it was read: its writers, and the encoding of its bytes."""

    __slots__ = ("captured", "name", "source", "writers")

    def __init__(
        self, source: str, name: str, writers: tuple[VssWriter, ...], captured: CapturedText
    ) -> None:
        self.source = source
        self.name = name
        self.writers = writers
        self.captured = captured

    def note(self) -> str:
        """Say which encoding the listing was read in, and why (every format shows it)."""
        captured = self.captured
        return f"Writers listing {self.name}: read as {captured.encoding} ({captured.reason})"

    def meta(self) -> dict[str, object]:
        captured = self.captured
        return {
            "source": self.source,
            "encoding": captured.encoding,
            "basis": captured.basis.value,
            "same": list(captured.same),
        }


def _listing(source: str, name: str, data: bytes, encoding: str | None) -> _Listing:
    """Read a writers listing's bytes, or stop: 3 if it is no listing, 2 if its code page is not told."""
    from hyperv_backup.readers import (  # noqa: PLC0415 - see above
        AmbiguousEncodingError,
        captured_text,
        vssadmin_writers,
    )

    label = "<stdin>" if source == "-" else source
    try:
        captured = captured_text(data, encoding)
        return _Listing(source, name, vssadmin_writers(captured.text), captured)
    except AmbiguousEncodingError as exc:
        # Not a bad file: an argument is missing, as for any usage error.
        names = " and ".join(exc.candidates)
        raise usage_error(
            f"cannot tell the code page of {label}: {names} read it as different text; "
            f"give it with --encoding (such as --encoding {exc.candidates[0]})"
        ) from None
    except InventoryError as exc:
        raise _invalid(label, "'vssadmin list writers' listing", exc) from None


def _writers(options: Options, night: ExampleNight | None) -> _Listing | None:
    from hyperv_backup.readers.capture import MAX_CAPTURE_BYTES  # noqa: PLC0415 - see above

    if night is not None:
        source = f"example:{options.example}"
        return _listing(source, night.writers_name, night.writers, options.encoding)
    if options.writers is None:
        return None
    label = "<stdin>" if options.writers == "-" else options.writers
    try:
        data = read_source(options.writers, limit=MAX_CAPTURE_BYTES)
    except InventoryError as exc:
        raise _invalid(label, "'vssadmin list writers' listing", exc) from None
    name = "<stdin>" if options.writers == "-" else Path(options.writers).name
    return _listing(options.writers, name, data, options.encoding)


def _night(options: Options) -> ExampleNight | None:
    """Return the example's night when ``--example`` stands for the logs too, or ``None``.

    ``diagnose --example [NAME]`` without a log or writers listing shows the
    example's bundled night (the command line has checked that it has one).
    """
    from hyperv_backup.examples import example_night  # noqa: PLC0415 - see above

    if options.example is None or options.operands or options.writers is not None:
        return None
    return example_night(options.example)


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


def _note_skipped(problems: Sequence[Problem], what: str) -> None:
    print(
        f"{PROG} {Command.DIAGNOSE.value}: note: {len(problems)} {what} skipped (--skip-bad):",
        file=sys.stderr,
    )
    for problem in problems[:_SKIPPED_SHOWN]:
        print(clean_text(str(problem)), file=sys.stderr)
    if len(problems) > _SKIPPED_SHOWN:
        print(f"... and {len(problems) - _SKIPPED_SHOWN} more", file=sys.stderr)


#: How many skipped files the report's header names (the JSON lists every one).
_FILES_NAMED = 5


def _skipped_files_note(problems: Sequence[Problem]) -> str:
    names = [Path(p.path).name for p in problems[:_FILES_NAMED]]
    more = len(problems) - len(names)
    listed = ", ".join(names) + (f" and {more} more" if more else "")
    files = "1 file" if len(problems) == 1 else f"{len(problems)} files"
    return f"{files} skipped as unreadable or not a valid log (--skip-bad): {listed}"


def _graded(item: LogFinding, *, strict: bool) -> LogFinding:
    """Return the finding as the exit status weighs it.

    An event no signature knows keeps its own level in the report, but unless
    ``--strict`` is given it weighs no more than a warning: like a linter's
    unknown rule, it is a question for a person, and a night whose only
    unexplained events are routine would otherwise fail every pipeline.
    """
    if strict or item.recognised or item.severity is not Severity.ERROR:
        return item
    return attrs.evolve(item, severity=Severity.WARNING)


def run(options: Options) -> int:
    """Run ``diagnose``: print what the logs say; exit 1 when a finding is at or above ``--fail-on``."""
    from hyperv_backup.diagnose import diagnose  # noqa: PLC0415 - see above

    inventory = _inventory(options)
    night = _night(options)
    listing = _writers(options, night)
    writers = None if listing is None else listing.writers
    logs = _Logs(options, night)
    result = diagnose(logs, writers, inventory, options.since, profile=options.profile)
    result = attrs.evolve(result, skipped=logs.skipped)
    findings = [f for f in result.findings if f.rule.id not in options.ignore]
    status = exit_status([_graded(f, strict=options.strict) for f in findings], options.fail_on)
    if logs.skipped:
        _note_skipped(logs.problems, "unreadable record(s) or chunk(s)")
    if logs.skipped_files:
        _note_skipped(logs.skipped_files, "unreadable or invalid file(s)")
    if (logs.skipped or logs.skipped_files) and options.fail_on.threshold is not None:
        # A log read in part, or logs left out, are no clean answer: --skip-bad
        # lets the run go on, not pass.
        status = EXIT_FINDINGS
    inputs = [*options.operands, *([options.writers] if options.writers else [])]
    names = ", ".join(Path(name).name if name != "-" else "<stdin>" for name in inputs)
    title = f"Diagnosis of {names}"
    notes = [*policy_notes(options)]
    if night is not None:
        title = f"Diagnosis of the example night of {options.example}"
        notes.append(
            f"An example: published events and a published writers listing, put into one "
            f"night on the hosts and VMs of {options.example} (docs/diagnose.md)"
        )
    if listing is not None:
        notes.append(listing.note())
    if logs.skipped_files:
        notes.append(_skipped_files_note(logs.skipped_files))
    if not options.strict and any(not f.recognised for f in findings):
        notes.append(
            f"Events not in the catalogue ({NOT_RECOGNISED.id}) count as warnings for the "
            "exit status"
        )
    meta = {
        "command": Command.DIAGNOSE.value,
        "logs": [f"example:{options.example}"] if night else list(options.operands),
        **({"inventory": options.inventory or f"example:{options.example}"} if inventory else {}),
        **policy_meta(options, status),
        "strict": options.strict,
        "writers": None if listing is None else listing.meta(),
        "skipped_files": [{"path": p.path, "problem": p.message} for p in logs.skipped_files],
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
