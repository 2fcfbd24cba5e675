"""The ``hyperv-backup`` command: findings, plans, restore steps and rules from an inventory.

Commands (``docs/cli.md`` describes each, with the JSON it writes):

* ``check INVENTORY``: every finding about the inventory;
* ``plan INVENTORY [--node NODE]``: the ordered backup plan and how each VM is backed up;
* ``restore INVENTORY VM [--node NODE] [--backup-mode MODE]``: the steps to restore one VM;
* ``rules``: the rule catalogue;
* ``example [NAME]``: a bundled example inventory;
* ``collect HOST.json [HOST2.json ...] [--guest GUEST.json ...] [-o FILE]``: an
  inventory built from the documents the collector scripts print (``docs/collect.md``);
  ``collect --script NAME [-o FILE]``: one of those scripts, as the package holds it;
* ``diagnose LOG [LOG ...] [--writers FILE] [--inventory INVENTORY] [--since SPAN]``: why
  backups failed, from exported event logs and VSS writer states (``docs/diagnose.md``).

INVENTORY is a file, or ``-`` for standard input; ``--example [NAME]`` uses a
bundled example instead. It may also be the document ``host.ps1`` printed on a
standalone host. Data goes to standard output (or to the file of ``-o``),
diagnostics to standard error. Exit codes are a contract:

====  =========================================================================
0     success; for ``check`` and ``diagnose``, nothing at or above ``--fail-on``
1     findings at or above ``--fail-on`` (``check``, ``diagnose``; ``plan`` given it)
2     usage error: bad arguments, an unknown rule ID, VM, node or example, or an
      output file that cannot be written
3     an input could not be read or is not valid, alone or among others; each
      problem is printed on standard error as ``path: message``
4     an internal error (a bug), reported on one line
130   interrupted (Ctrl-C)
====  =========================================================================
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence
from typing import assert_never

from hyperv_backup._base import public_dir
from hyperv_backup._base.gc import paused_collector
from hyperv_backup.cli._io import silence_stdout
from hyperv_backup.cli._options import (
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    PROG,
    Command,
    Exit,
    FailOn,
    InputError,
    Options,
    is_fleet,
    parse,
    parser,
)
from hyperv_backup.render import clean_text

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_USAGE",
    "Command",
    "FailOn",
    "Options",
    "main",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


def _run(options: Options) -> int:
    command = options.command
    if command in {Command.CHECK, Command.PLAN}:
        if options.backups or options.policy is not None:
            from hyperv_backup.cli import _protection  # noqa: PLC0415 - only these options need it

            # Read once, before any inventory: many inputs share them.
            options = _protection.loaded(options)
        # Many inputs, or one that could not be read: only these need the pool
        # and the report of many inputs.
        if is_fleet(options):
            from hyperv_backup.cli import _fleet  # noqa: PLC0415

            return _fleet.run(options)
        try:
            return _one(options)
        except InputError as exc:
            from hyperv_backup.cli import _fleet  # noqa: PLC0415

            # The one input could not be read: the report says so as it would
            # among many, and the exit status is the same.
            return _fleet.unread(options, exc)
    return _one(options)


def _one(options: Options) -> int:  # noqa: PLR0911 - one return per command
    # Each command's module is imported when it runs: a start-up loads only its own.
    command = options.command
    match command:
        case Command.CHECK:
            from hyperv_backup.cli import check  # noqa: PLC0415

            return check.run(options)
        case Command.PLAN:
            from hyperv_backup.cli import plan  # noqa: PLC0415

            return plan.run(options)
        case Command.RESTORE:
            from hyperv_backup.cli import restore  # noqa: PLC0415

            return restore.run(options)
        case Command.RULES:
            from hyperv_backup.cli import rules  # noqa: PLC0415

            return rules.run(options)
        case Command.EXAMPLE:
            from hyperv_backup.cli import example  # noqa: PLC0415

            return example.run(options)
        case Command.COLLECT:
            from hyperv_backup.cli import collect  # noqa: PLC0415

            return collect.run(options)
        case Command.DIAGNOSE:
            from hyperv_backup.cli import diagnose  # noqa: PLC0415

            return diagnose.run(options)
        case _:
            assert_never(command)


def _print_error(command: str | None, lines: Sequence[str]) -> None:
    prefix = f"{PROG} {command}" if command else PROG
    for n, line in enumerate(lines):
        # Messages quote inventory names: no escape sequence reaches the terminal.
        text = clean_text(line)
        print(f"{prefix}: {text}" if n == 0 else text, file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    Never raises for bad input: usage errors return 2 and an invalid
    inventory 3, with the reason on standard error. Ctrl-C, at any moment,
    returns 130 with one line. Asked for ``--format nagios``, every exit status
    is a plugin's: one it does not define (usage, internal error, interrupted)
    is UNKNOWN (3), with a status line saying so.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    plugin = _plugin(args)
    try:
        return _main(args, plugin=plugin)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return _unknown("interrupted") if plugin else EXIT_INTERRUPTED


#: A plugin's exit status when it cannot run its check (the Monitoring Plugins guidelines).
_UNKNOWN = 3


def _unknown(why: str) -> int:
    """Say on standard output, as a plugin does, that the check could not be run; return UNKNOWN."""
    print(f"HYPERV_BACKUP UNKNOWN - {clean_text(why)}")
    return _UNKNOWN


def _first_problem(lines: Sequence[str]) -> str:
    """Return the line that says why a command stopped, with the first problem it introduces."""
    if not lines:
        return "error"
    first = lines[0]
    # "error: FILE: not a valid policy:" says what, the next line where and why.
    return f"{first} {lines[1]}" if first.endswith(":") and len(lines) > 1 else first


def _plugin(args: Sequence[str]) -> bool:
    """Whether the command line asks for the Monitoring Plugins format, ``--format nagios``."""
    for index, arg in enumerate(args):
        name, equals, value = arg.partition("=")
        # argparse takes an abbreviation of an option (``--form nagios``) too.
        if len(name) < len("--fo") or not "--format".startswith(name):
            continue
        if (value if equals else "".join(args[index + 1 : index + 2])) == "nagios":
            return True
    return False


def _main(args: list[str], *, plugin: bool = False) -> int:
    """Run the command line; ``plugin``: every exit but a report's is a plugin's UNKNOWN."""
    try:
        # A plugin's standard output is its status line: help goes to standard error.
        with contextlib.redirect_stdout(sys.stderr) if plugin else contextlib.nullcontext():
            options = parse(parser(), args)
    except SystemExit as exc:  # argparse: --help, --version and its own usage errors
        code = exc.code
        status = code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_USAGE)
        # The guidelines give --help and bad arguments alike the UNKNOWN state.
        return _unknown(f"usage (exit status {status}); see standard error") if plugin else status
    try:
        # A command reads and evaluates a whole inventory (or many) and exits:
        # the collector would only walk those objects again and again, so it
        # is paused for the whole run, and restored for a caller of main().
        with paused_collector():
            return _run(options)
    except Exit as exc:
        _print_error(options.command.value, exc.lines)
        return _unknown(_first_problem(exc.lines)) if plugin else exc.code
    except BrokenPipeError:
        # The reader went away (``| head``) outside the writes that handle it:
        # stop quietly, and keep Python from complaining again when it flushes
        # standard output at exit.
        silence_stdout()
        return EXIT_OK
    except Exception as exc:  # a bug: one line, not a traceback, and its own status
        _print_error(
            options.command.value,
            [f"internal error: {type(exc).__name__}: {exc} (please report this)"],
        )
        return _unknown("internal error; see standard error") if plugin else EXIT_INTERNAL
