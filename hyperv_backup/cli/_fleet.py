"""Many inputs at once: ``check`` and ``plan`` over files, directories and globs, in parallel.

Each input is read and evaluated on its own, in a pool of processes
(``--jobs``), and a bad one is reported with its path without stopping the
others. The output keeps the order of the inputs whatever the number of
processes: a summary of every input, then each one's report; or one SARIF
log, JUnit report or Prometheus exposition for them all.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from hyperv_backup._base.gc import paused_collector
from hyperv_backup.cli._io import (
    _inventory,
    _is_terminal,
    base_frame,
    example_text_or_exit,
    inputs_of,
    note_problems,
    policy_meta,
    policy_notes,
    read_source,
    write,
    write_utf8,
)
from hyperv_backup.cli._options import (
    EXIT_FINDINGS,
    EXIT_INVALID,
    EXIT_OK,
    PROG,
    Command,
    Exit,
    InputError,
    Options,
)
from hyperv_backup.inventory import InventoryError, parse_inventory, problem_lines, with_positions
from hyperv_backup.render import Format, Frame, ReportFormat, renderer
from hyperv_backup.render.reports import InventoryReport, Share, collection_times, failed_report

__all__ = ["fleet_status", "run", "unread"]


@attrs.frozen(kw_only=True)
class _Job:
    """One input to evaluate, with everything a worker process needs."""

    source: str
    #: The input's place among the inputs.
    index: int
    options: Options
    fmt: Format | None
    #: The frame of this run's reports: colour, width, when they are made.
    base: Frame
    #: Standard input, read by the parent: a worker has none.
    data: bytes | None = None


def _problems(exc: Exit) -> tuple[str, ...]:
    if isinstance(exc, InputError):
        return exc.problems
    return tuple(line.removeprefix("error: ") for line in exc.lines)


#: What a worker gives back: an input's share of the output, or the report of an
#: input that could not be read (its share is made with the others').
Evaluated = InventoryReport | Share[Any]


def evaluate(job: _Job) -> Evaluated:
    """Read and evaluate one input, and make its share of the output.

    An input that cannot be read is a report saying why. The collector is
    paused as for the rest of the command: a worker forked from it finds it
    paused already, one started afresh does not.
    """
    with paused_collector():
        return _evaluate(job)


def _evaluate(job: _Job) -> Evaluated:
    from hyperv_backup.cli import check, plan  # noqa: PLC0415 - only evaluating needs them

    options = job.options
    command = options.command.value
    data = b""
    try:
        if job.source.startswith("example:"):
            target = parse_inventory(example_text_or_exit(job.source.removeprefix("example:")))
        else:
            data = job.data if job.data is not None else read_source(job.source)
            try:
                target = _inventory(data)
            except InventoryError as exc:
                located = with_positions(exc, data)
                problems = ("not a valid inventory:", *problem_lines(located))
                return failed_report(job.source, command, EXIT_INVALID, problems)
        evaluated = check if options.command is Command.CHECK else plan
        base = attrs.evolve(job.base, inputs=(job.source,))
        report = evaluated.report(job.source, options, target, job.fmt, base)
    except InventoryError as exc:  # over the size limit
        problems = tuple(problem_lines(exc))
        return failed_report(job.source, command, EXIT_INVALID, problems)
    except InputError as exc:
        return failed_report(job.source, command, exc.input_status, exc.problems)
    except Exit as exc:
        return failed_report(job.source, command, exc.code, _problems(exc))
    # What is made here leaves only the counts of the findings to send: the
    # parent is spared unpickling them.
    output = renderer(options.report or options.format)
    frame = attrs.evolve(
        job.base, title=command, inputs=(job.source,), collected_at=collection_times(target)
    )
    return Share(report.summary(), output.part(report, job.index, frame))


def _default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _warm(options: Options) -> None:
    """Import what every worker needs, and set up the quick reader, once, before the workers start.

    Where workers are forked (Linux), they start with all of it; elsewhere
    this costs a few milliseconds once.
    """
    from hyperv_backup.cli import check, plan  # noqa: F401, PLC0415
    from hyperv_backup.decide import checks, outcome  # noqa: F401, PLC0415
    from hyperv_backup.inventory import DEFAULT_LIMITS, _quick  # noqa: PLC0415

    _quick.builders(DEFAULT_LIMITS.max_string)
    renderer(options.report or options.format)
    if options.command is Command.PLAN:
        from hyperv_backup.decide import plan as _plan  # noqa: F401, PLC0415


def _evaluated(jobs: Sequence[_Job], processes: int) -> Iterator[Evaluated]:
    """Yield each job's report, in the order of the jobs."""
    if processes <= 1 or len(jobs) <= 1:
        yield from map(evaluate, jobs)
        return
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

    _warm(jobs[0].options)
    workers = min(processes, len(jobs))
    # Small batches: few round trips, and the last ones still spread out.
    chunk = max(1, len(jobs) // (workers * 32))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(evaluate, jobs, chunksize=chunk)


def _progress(reports: Iterator[Evaluated], total: int) -> list[Evaluated]:
    """Collect what the workers give, counting the inputs on standard error when it is a terminal."""
    shown = _is_terminal(sys.stderr) and total > 1
    done = []
    for report in reports:
        done.append(report)
        if shown:
            print(
                f"\r{PROG}: evaluated {len(done)} of {total} inputs",
                end="",
                file=sys.stderr,
                flush=True,
            )
    if shown:
        print(file=sys.stderr)
    return done


def fleet_status(evaluated: Sequence[Evaluated]) -> int:
    """Return the exit status of many inputs: 3 when one was not read, else 1 on findings, else 0."""
    reports = [r if isinstance(r, InventoryReport) else r.report for r in evaluated]
    if any(not r.read for r in reports):
        return EXIT_INVALID
    if any(r.status == EXIT_FINDINGS for r in reports):
        return EXIT_FINDINGS
    return EXIT_OK


def run(options: Options) -> int:
    """Evaluate every input the options name, and write them as one output."""
    sources = [f"example:{options.example}"] if options.example is not None else inputs_of(options)
    stdin = read_source("-") if "-" in sources else None
    base = base_frame(options)
    fmt = None if options.report is not None else options.format
    jobs = [
        _Job(
            source=source,
            index=index,
            options=options,
            fmt=fmt,
            base=base,
            data=stdin if source == "-" else None,
        )
        for index, source in enumerate(sources)
    ]
    processes = options.jobs if options.jobs is not None else _default_jobs()
    reports = _progress(_evaluated(jobs, processes), len(jobs))
    return _write(options, base, sources, reports)


def unread(options: Options, exc: InputError) -> int:
    """Write the report of the one input given, which could not be read, as that of many would."""
    report = failed_report(exc.source, options.command.value, exc.input_status, exc.problems)
    return _write(options, base_frame(options), [exc.source], [report])


def _write(
    options: Options, base: Frame, sources: Sequence[str], reports: Sequence[Evaluated]
) -> int:
    """Write the report of many inputs, say on standard error which were not read; return the status."""
    status = fleet_status(reports)
    if options.report is ReportFormat.NAGIOS:
        from hyperv_backup.render.nagios import plugin_state  # noqa: PLC0415 - only its format

        # A plugin's exit status is its state (docs/morning-check.md says when each is given).
        status = int(plugin_state(reports))
    command = options.command.value
    count = len(reports)
    what = "Findings" if options.command is Command.CHECK else "Backup plans"
    title = f"{what} for {count} input{'' if count == 1 else 's'}"
    if options.report is ReportFormat.JUNIT:
        title = f"{PROG} {command}"
    frame = attrs.evolve(
        base,
        title=title,
        notes=policy_notes(options),
        meta={"command": command, **policy_meta(options, status)},
        inputs=tuple(sources),
    )
    text = renderer(options.report or options.format).fleet(reports, frame)
    match options.report:
        case ReportFormat.SARIF:
            write(text, Format.JSON, options.output)
        case ReportFormat.JUNIT:
            # Character references keep the XML right whatever the encoding of the output.
            write(text, Format.HTML, options.output)
        case ReportFormat.PROMETHEUS:
            # The text format is UTF-8, whatever the terminal's encoding.
            write_utf8(text, options.output)
        case ReportFormat.NAGIOS:
            write(text, Format.TEXT, options.output)
        case None:
            if options.format is Format.HTML:
                from hyperv_backup.render import html_page  # noqa: PLC0415 - only HTML needs it

                text = html_page(title, text)
            write(text, options.format, options.output)
    # Whatever the format, and wherever the report went: standard error says
    # which inputs were not read, so that no failure is known to the report alone.
    for report in reports:
        summary = report if isinstance(report, InventoryReport) else report.report
        if not summary.read:
            note_problems(options, summary.source, summary.problems)
    return status
