"""What every command shares: exit codes, the commands, the options and their parser."""

from __future__ import annotations

import argparse
import enum
import os
import re
import stat
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs

from hyperv_backup._version import __version__
from hyperv_backup.examples import example_names, night_names
from hyperv_backup.model import BackupMode, Catalogue, ProtectionPolicy, parse_duration
from hyperv_backup.render import Format, ReportFormat
from hyperv_backup.rules import (
    DEFAULT_SETTINGS,
    RULES,
    HygieneSettings,
    Profile,
    Severity,
    as_profile,
)
from hyperv_backup.rules.host import VM_SNAPSHOTS
from hyperv_backup.rules.hygiene import (
    CHECKPOINTS_TOO_MANY,
    CHECKPOINTS_TOO_OLD,
    ESTIMATED_DIFFERENCING_SPACE,
    RECOVERY_CHECKPOINT_LEFT,
)
from hyperv_backup.rules.online import NOT_RUNNING
from hyperv_backup.rules.signatures import NOT_RECOGNISED

__all__ = [
    "DEFAULT_EXAMPLE",
    "DEFAULT_NIGHT",
    "EXIT_FINDINGS",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_STATUSES",
    "EXIT_USAGE",
    "PROG",
    "PROGRESS_GUESTS",
    "SCRIPTS",
    "Color",
    "Command",
    "Exit",
    "FailOn",
    "InputError",
    "Options",
    "ProtectionInputs",
    "is_fleet",
    "is_pattern",
    "parse",
    "parser",
    "same_file",
    "usage_error",
]

PROG = "hyperv-backup"

#: Nothing at or above ``--fail-on`` was found.
EXIT_OK = 0
#: Findings at or above ``--fail-on``.
EXIT_FINDINGS = 1
#: Bad arguments, an unreadable file, an unknown VM, node or example.
EXIT_USAGE = 2
#: The inventory is not valid.
EXIT_INVALID = 3

#: A bug in this program (reported on one line; please report it).
EXIT_INTERNAL = 4

#: The exit status of a run interrupted by Ctrl-C (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130

#: The example ``--example`` uses when no name follows it.
DEFAULT_EXAMPLE = "cluster"
#: The example whose night ``diagnose --example`` shows when no name follows it
#: and no log is given.
DEFAULT_NIGHT = "cluster-2022"
#: What ``diagnose --example`` holds when no name follows it, until the command
#: line is read whole: the default depends on whether a log was given.
_UNNAMED = ""

#: ``collect`` says on standard error what it reads when there are more guest documents than this.
PROGRESS_GUESTS = 3


class Command(enum.StrEnum):
    """A subcommand."""

    CHECK = "check"
    PLAN = "plan"
    RESTORE = "restore"
    RULES = "rules"
    EXAMPLE = "example"
    COLLECT = "collect"
    DIAGNOSE = "diagnose"


class Color(enum.StrEnum):
    """When text is coloured (``--color``)."""

    #: On a terminal, unless ``NO_COLOR`` says otherwise (or ``FORCE_COLOR`` asks for it anyway).
    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


#: The collector scripts ``collect --script`` writes out.
SCRIPTS = ("host.ps1", "guest.ps1", "guest.sh")


class FailOn(enum.StrEnum):
    """The least severe finding that makes ``check`` or ``plan`` exit with 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    NEVER = "never"

    @property
    def threshold(self) -> Severity | None:
        """The severity this stands for; ``None`` for NEVER."""
        return None if self is FailOn.NEVER else Severity(self.value)


class Exit(Exception):  # noqa: N818 - a control-flow signal, not an error type
    """Stop the command with ``code``, after writing ``lines`` to standard error."""

    def __init__(self, code: int, *lines: str) -> None:
        super().__init__(code, lines)
        self.code = code
        self.lines = lines


class InputError(Exit):
    """An input could not be read, or is not valid: exit status 3, whatever the number of inputs.

    ``source`` names the input as given; ``problems`` say why, a line each,
    as the report of many inputs lists them. ``unreadable`` tells an input
    that could not be opened or read from one read but not valid: the report
    of many inputs words them apart ("unreadable", "invalid").
    """

    def __init__(self, source: str, *problems: str, unreadable: bool = False) -> None:
        label = "<stdin>" if source == "-" else source
        first, *rest = problems or ("cannot be read",)
        super().__init__(EXIT_INVALID, f"error: {label}: {first}", *rest)
        self.source = source
        self.problems = (first, *rest)
        self.unreadable = unreadable

    @property
    def input_status(self) -> int:
        """The status of this input in the report of many: 2 when unreadable, 3 when invalid."""
        return EXIT_USAGE if self.unreadable else EXIT_INVALID


_GLOB = frozenset("*?[")


def is_pattern(operand: str) -> bool:
    """Whether an operand is a glob: it has ``*``, ``?`` or ``[`` and names no file as it is."""
    return not _GLOB.isdisjoint(operand) and not _exists(operand)


def _exists(path: str) -> bool:
    """Whether ``path`` names something; a path that cannot be looked at names nothing here.

    ``Path.exists`` and ``Path.is_dir`` raise on a folder that cannot be
    searched: the input is then read, and refused, on its own.
    """
    try:
        Path(path).stat()
    except (OSError, ValueError):
        return False
    return True


def _is_dir(path: str) -> bool:
    try:
        return stat.S_ISDIR(Path(path).stat().st_mode)
    except (OSError, ValueError):
        return False


def is_fleet(options: Options) -> bool:
    """Whether ``check`` or ``plan`` takes the path of many inputs.

    So it does for more than one input, a directory or glob among them, or a
    format for another tool (SARIF, JUnit, Prometheus), which covers one input
    the same way as many.
    """
    if options.report is not None:
        return True
    if options.example is not None:
        return False
    operands = options.operands
    if any(o != "-" and (_is_dir(o) or is_pattern(o)) for o in operands):
        return True
    # A file named twice (``host.json ./host.json``) is one input.
    return len({file_key(o) for o in operands}) > 1


def file_key(path: str) -> object:
    """Return what tells the file ``path`` names from others: its device and inode where known."""
    if path == "-":
        return path
    try:
        found = Path(path).stat()
    except (OSError, ValueError):  # not there, not searchable, a NUL in the name
        found = None
    if found is not None and found.st_ino:
        return (found.st_dev, found.st_ino)
    return os.path.normcase(str(Path(path).absolute()))


def usage_error(message: str) -> Exit:
    return Exit(EXIT_USAGE, f"error: {message}")


@attrs.frozen(kw_only=True)
class ProtectionInputs:
    """The catalogue and policy a run of ``check`` or ``plan`` reads, and the time it measures at.

    ``notes`` are what the reports say of them (cli._protection reads them).
    """

    catalogue: Catalogue | None
    policy: ProtectionPolicy | None
    now: datetime
    max_age: timedelta | None
    notes: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Options:
    """The parsed command line, with real types.

    ``operands`` are the positional arguments as given; :func:`main` checks
    their number for the command.
    """

    command: Command
    format: Format
    operands: tuple[str, ...]
    example: str | None = None
    node: str | None = None
    backup_mode: BackupMode | None = None
    fail_on: FailOn = FailOn.ERROR
    ignore: frozenset[str] = frozenset()
    guests: tuple[str, ...] = ()
    output: str | None = None
    profile: Profile | None = None
    writers: str | None = None
    inventory: str | None = None
    since: datetime | None = None
    skip_bad: bool = False
    #: ``diagnose``: the encoding of the writers listing when it is not UTF-8 and has no mark.
    encoding: str | None = None
    #: ``diagnose``: let an event no signature knows fail the run at its own level.
    strict: bool = False
    #: A format for another tool (SARIF, JUnit, Prometheus); ``format`` is then unused.
    report: ReportFormat | None = None
    #: How many processes evaluate many inputs (``--jobs``); ``None``: one per CPU.
    jobs: int | None = None
    #: When text is coloured (``--color``).
    color: Color = Color.AUTO
    #: ``check`` and ``plan``: one screen instead of the whole report (``--summary``).
    summary: bool = False
    #: Globs of inputs to leave out of directories and globs (``--exclude``).
    exclude: tuple[str, ...] = ()
    #: ``collect --script``: the bundled collector script to write out instead.
    script: str | None = None
    #: ``check`` and ``plan``: the backup catalogues to read (``--backups``, repeatable).
    backups: tuple[str, ...] = ()
    #: ``check`` and ``plan``: the maximum age of a VM's last good restore point (``--max-age``).
    max_age: timedelta | None = None
    #: ``check`` and ``plan``: the protection policy file (``--policy``).
    policy: str | None = None
    #: ``check`` and ``plan``: the time ages are measured at and exceptions dated (``--now``).
    now: datetime | None = None
    #: What ``--backups`` and ``--policy`` held, read once before the inputs are evaluated.
    protection: ProtectionInputs | None = None
    #: ``check`` and ``plan``: the limits of the checkpoint rules and the estimate
    #: of the space rule (``--checkpoint-age``, ``--checkpoint-count``, ``--churn``,
    #: ``--window``).
    settings: HygieneSettings = DEFAULT_SETTINGS

    @classmethod
    def from_namespace(cls, ns: argparse.Namespace) -> Options:
        """Build the options from what argparse parsed (every value is a string there)."""
        backup_mode = getattr(ns, "backup_mode", None)
        # collect writes an inventory, which is JSON; it takes no --format.
        fmt = getattr(ns, "format", Format.JSON.value)
        report = ReportFormat(fmt) if fmt in set(ReportFormat) else None
        return cls(
            command=Command(ns.command),
            format=Format.JSON if report is not None else Format(fmt),
            report=report,
            jobs=getattr(ns, "jobs", None),
            operands=tuple(ns.operands),
            example=getattr(ns, "example", None),
            node=getattr(ns, "node", None),
            backup_mode=None if backup_mode is None else BackupMode(backup_mode),
            fail_on=FailOn(getattr(ns, "fail_on", FailOn.ERROR.value)),
            ignore=_rule_ids(getattr(ns, "ignore", None) or ()),
            guests=tuple(g for group in getattr(ns, "guest", None) or () for g in group),
            # "-o -" is standard output, as "-" is standard input.
            output=None if getattr(ns, "output", None) in (None, "-") else ns.output,
            profile=as_profile(getattr(ns, "profile", None)),
            writers=getattr(ns, "writers", None),
            inventory=getattr(ns, "inventory", None),
            since=_since(getattr(ns, "since", None)),
            skip_bad=bool(getattr(ns, "skip_bad", False)),
            encoding=getattr(ns, "encoding", None),
            strict=bool(getattr(ns, "strict", False)),
            color=Color(getattr(ns, "color", Color.AUTO.value)),
            summary=bool(getattr(ns, "summary", False)),
            exclude=tuple(getattr(ns, "exclude", None) or ()),
            script=getattr(ns, "script", None),
            backups=tuple(getattr(ns, "backups", None) or ()),
            max_age=getattr(ns, "max_age", None),
            policy=getattr(ns, "policy", None),
            now=getattr(ns, "now", None),
            settings=_settings(ns),
        )


#: The settings options, and the field of HygieneSettings each sets.
_SETTINGS = {
    "checkpoint_age": "checkpoint_age",
    "checkpoint_count": "checkpoint_count",
    "churn": "churn",
    "window": "window",
}


def _settings(ns: argparse.Namespace) -> HygieneSettings:
    """Return the settings the options give, the defaults for the others."""
    given = {
        field: value
        for option, field in _SETTINGS.items()
        if (value := getattr(ns, option, None)) is not None
    }
    return HygieneSettings(**given) if given else DEFAULT_SETTINGS


_AGO = re.compile(r"([0-9]{1,6})\s*([mhdw])", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def _since(value: str | None, now: datetime | None = None) -> datetime | None:
    """Read ``--since``: a span back from now (``90m``, ``24h``, ``7d``, ``2w``) or an ISO 8601 time.

    A time without a zone is UTC, as event times are.
    """
    if value is None:
        return None
    ago = _AGO.fullmatch(value.strip())
    if ago is not None:
        span = timedelta(**{_UNITS[ago.group(2).lower()]: int(ago.group(1))})
        return (now or datetime.now(UTC)) - span
    try:
        stamp = datetime.fromisoformat(value.strip())
    except ValueError:
        msg = (
            f"--since takes a span such as 24h, 90m, 7d or 2w, or a time such as "
            f"2026-12-06T22:00:00Z; got {value!r}"
        )
        raise usage_error(msg) from None
    return stamp if stamp.utcoffset() is not None else stamp.replace(tzinfo=UTC)


def _max_age(value: str) -> timedelta:
    """Read ``--max-age``: a duration such as 36h, 7d or 1d12h."""
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _now(value: str) -> datetime:
    """Read ``--now``: an ISO 8601 time with its offset from UTC; no time zone is guessed."""
    try:
        stamp = datetime.fromisoformat(value.strip().replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        stamp = None
    if stamp is None or stamp.utcoffset() is None:
        msg = (
            f"expected a time with its offset from UTC, such as 2026-12-07T07:00:00Z or "
            f"2026-12-07T08:00:00+01:00 (no time zone is guessed), got {value!r}"
        )
        raise argparse.ArgumentTypeError(msg)
    return stamp.astimezone(UTC)


def _jobs(value: str) -> int:
    """Read ``--jobs``: a whole number of processes, at least 1."""
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if not 1 <= jobs <= 1024:
        msg = f"expected a number of processes from 1 to 1024, got {value!r}"
        raise argparse.ArgumentTypeError(msg)
    return jobs


def _number(value: str, low: float, high: float, what: str) -> float:
    """Read a number above ``low`` and at most ``high``, or say what was expected."""
    try:
        number = float(value)
    except ValueError:
        number = low
    # NaN and infinities are not numbers of days, percents or hours.
    if not low < number <= high:
        msg = f"expected {what}, got {value!r}"
        raise argparse.ArgumentTypeError(msg)
    return number


def _days(value: str) -> timedelta:
    """Read ``--checkpoint-age``: a number of days above 0 (``7``, ``0.5``)."""
    return timedelta(days=_number(value, 0, 36500, "a number of days above 0, such as 7 or 0.5"))


def _count(value: str) -> int:
    """Read ``--checkpoint-count``: a whole number of checkpoints, 0 or more."""
    try:
        count = int(value)
    except ValueError:
        count = -1
    if not 0 <= count <= 1000:
        msg = f"expected a number of checkpoints from 0 to 1000, got {value!r}"
        raise argparse.ArgumentTypeError(msg)
    return count


def _churn(value: str) -> float:
    """Read ``--churn``: the percentage of a disk written in an hour, above 0 and at most 100."""
    return _number(value, 0, 100, "a percentage of a disk an hour, above 0 and at most 100")


def _hours(value: str) -> float:
    """Read ``--window``: the hours a backup runs, above 0 and at most a week."""
    return _number(value, 0, 168, "a number of hours above 0 and at most 168")


def _encoding(value: str) -> str:
    """Read ``--encoding``: a text encoding Python knows, by its Python name (``cp850``)."""
    # The readers are loaded only when the option is given.
    from hyperv_backup.readers.capture import text_encoding  # noqa: PLC0415

    try:
        return text_encoding(value)
    except LookupError:
        msg = f"not a text encoding: {value!r} (such as cp850, cp1252, cp932, utf-16)"
        raise argparse.ArgumentTypeError(msg) from None


def _rule_ids(values: Sequence[str]) -> frozenset[str]:
    """Split ``--ignore`` values on commas; every ID must be in the catalogue."""
    ids = [part.strip().upper() for value in values for part in value.split(",")]
    unknown = sorted({i for i in ids if i and i not in RULES})
    if unknown:
        names = ", ".join(repr(i) for i in unknown)
        msg = f"--ignore: unknown rule ID {names}; `{PROG} rules` lists them"
        raise usage_error(msg)
    return frozenset(i for i in ids if i)


# --- the parser ----------------------------------------------------------------------

#: The exit statuses, each with the commands that can give it (``None``: every command).
#: docs/cli.md has the same table; a test keeps the two alike.
_GATED = frozenset({Command.CHECK, Command.PLAN, Command.DIAGNOSE})
_READING = frozenset(
    {Command.CHECK, Command.PLAN, Command.RESTORE, Command.COLLECT, Command.DIAGNOSE}
)
EXIT_STATUSES: tuple[tuple[int, str, frozenset[Command] | None], ...] = (
    (EXIT_OK, "success; with --fail-on, nothing at or above it", None),
    (EXIT_FINDINGS, "findings at or above --fail-on (plan: only when given --fail-on)", _GATED),
    (
        EXIT_USAGE,
        "usage error: bad arguments, an unknown rule ID, VM, node or example, "
        "or an output file that cannot be written",
        None,
    ),
    (
        EXIT_INVALID,
        "an input could not be read or is not valid, alone or among others "
        '(each problem on standard error as "path: message")',
        _READING,
    ),
    (EXIT_INTERNAL, "internal error (a bug; please report it)", None),
    (EXIT_INTERRUPTED, "interrupted (Ctrl-C)", None),
)


def _epilog(command: Command | None) -> str:
    """Return the exit statuses ``command`` can give (every one for ``None``), for its help."""
    import textwrap  # noqa: PLC0415 - only help needs it

    lines = ["exit status:"]
    for status, meaning, commands in EXIT_STATUSES:
        if status == EXIT_OK and command is not None and command not in _GATED:
            meaning = "success"  # a command without --fail-on  # noqa: PLW2901
        if command is None or commands is None or command in commands:
            lines += textwrap.wrap(
                meaning, width=79, initial_indent=f"  {status:<3}  ", subsequent_indent=" " * 7
            )
    if command in {Command.CHECK, Command.PLAN}:
        lines += textwrap.wrap(
            "with --format nagios, the plugin's state instead: OK (0), WARNING (1: findings "
            "at or above --fail-on), CRITICAL (2: a VM without a good restore point within "
            "its maximum age), UNKNOWN (3: anything that stops the check)",
            width=79,
            initial_indent="  ",
            subsequent_indent="  ",
        )
    return "\n".join(lines) + "\n"


def parser() -> argparse.ArgumentParser:  # noqa: PLR0915 - one parser, its commands in order
    formats = [f.value for f in Format]

    def format_options(choices: list[str], *, colour: bool) -> argparse.ArgumentParser:
        """Return the options of a command that writes a report: its format, -o, and --color."""
        options = argparse.ArgumentParser(add_help=False)
        options.add_argument(
            "--format",
            choices=choices,
            metavar="FORMAT",
            default=Format.TEXT.value,
            help=f"output format: {', '.join(choices)} (default: text)",
        )
        options.add_argument(
            "-o",
            "--output",
            metavar="FILE",
            help="write the report to FILE (UTF-8, whatever the shell) instead of standard "
            "output (- is standard output): whole or not at all, under a temporary name then "
            "renamed; FILE is never read as an input",
        )
        if colour:
            options.add_argument(
                "--color",
                choices=[c.value for c in Color],
                metavar="WHEN",
                default=Color.AUTO.value,
                help="colour the text format: auto (on a terminal, unless NO_COLOR is set; "
                "FORCE_COLOR colours elsewhere too), always or never (default: auto)",
            )
        return options

    output = format_options(formats, colour=True)
    reports = [*formats, *(f.value for f in ReportFormat)]
    fleet = format_options(reports, colour=True)
    fleet.add_argument(
        "--jobs",
        type=_jobs,
        metavar="N",
        help="evaluate many inputs in N processes (default: one per CPU)",
    )
    fleet.add_argument(
        "--exclude",
        action="append",
        metavar="GLOB",
        help="leave out the files of directories and globs whose name or path matches GLOB "
        "(repeatable), e.g. --exclude '*.old.json' --exclude 'archive/*'",
    )
    fleet.add_argument(
        "--summary",
        action="store_true",
        help="one screen (80 by 24) of the report: the totals and what matters most",
    )
    source = argparse.ArgumentParser(add_help=False)
    source.add_argument(
        "--example",
        nargs="?",
        const=DEFAULT_EXAMPLE,
        metavar="NAME",
        help=f"use a bundled example inventory instead of INVENTORY "
        f"({', '.join(example_names())}; default: {DEFAULT_EXAMPLE})",
    )
    profiles = argparse.ArgumentParser(add_help=False)
    profiles.add_argument(
        "--profile",
        choices=[p.value for p in Profile],
        metavar="PROFILE",
        help="answer every host as this generation: 2008 (2008, 2008 R2), 2012 (2012, "
        "2012 R2) or 2016 (2016 and later) (default: each host's own release)",
    )

    hygiene = argparse.ArgumentParser(add_help=False)
    hygiene.add_argument(
        "--checkpoint-age",
        type=_days,
        metavar="DAYS",
        help="report checkpoints older than DAYS days when the facts were collected "
        f"({CHECKPOINTS_TOO_OLD.id}; default: 7)",
    )
    hygiene.add_argument(
        "--checkpoint-count",
        type=_count,
        metavar="N",
        help=f"report VMs with more than N checkpoints ({CHECKPOINTS_TOO_MANY.id}; default: 3)",
    )
    hygiene.add_argument(
        "--churn",
        type=_churn,
        metavar="PERCENT",
        help="the share of a disk written in an hour while it is backed up, for the "
        "estimate of the space its differencing disks need where the backup application "
        f"gives no churn_percent ({ESTIMATED_DIFFERENCING_SPACE.id}; default: 1)",
    )
    hygiene.add_argument(
        "--window",
        type=_hours,
        metavar="HOURS",
        help=f"how many hours a backup runs: the estimate's window "
        f"({ESTIMATED_DIFFERENCING_SPACE.id}), and the age past which a recovery checkpoint "
        f"was left by a backup ({RECOVERY_CHECKPOINT_LEFT.id}) (default: 8)",
    )

    def policy_options(default: FailOn) -> argparse.ArgumentParser:
        policy = argparse.ArgumentParser(add_help=False)
        policy.add_argument(
            "--fail-on",
            choices=[f.value for f in FailOn],
            metavar="SEVERITY",
            default=default.value,
            help="exit with 1 when a finding is at least this severe: "
            f"{', '.join(f.value for f in FailOn)} (default: {default.value})",
        )
        policy.add_argument(
            "--ignore",
            action="append",
            metavar="IDS",
            help="leave out the findings of these rules (comma-separated, repeatable), "
            f"e.g. {VM_SNAPSHOTS.id},{NOT_RUNNING.id}",
        )
        return policy

    protection = argparse.ArgumentParser(add_help=False)
    protection.add_argument(
        "--backups",
        action="append",
        metavar="FILE",
        help="a backup catalogue: the product-neutral format (JSON or CSV), the output of "
        "wbadmin get versions and get items, or the JSON of Get-WBBackupSet, "
        "Get-VBRRestorePoint or Get-DPMRecoveryPoint (docs/catalogues.md); 'example' for "
        "the bundled example's; repeatable. The rules HVB8xx then say how it protects each VM",
    )
    protection.add_argument(
        "--max-age",
        type=_max_age,
        metavar="DURATION",
        help="the maximum age of each VM's last good restore point, such as 36h or 7d "
        "(default: the policy's, else a week, as the Best Practices Analyzer asks)",
    )
    protection.add_argument(
        "--policy",
        metavar="FILE",
        help="a protection policy (JSON): maximum ages of single VMs and exceptions, each with "
        "a reason and an expiry date (docs/catalogues.md); 'example' for the bundled example's",
    )
    protection.add_argument(
        "--now",
        type=_now,
        metavar="TIME",
        help="the time restore point ages are measured at and exceptions dated, with its "
        "offset (2026-12-07T07:00:00Z; default: now, or for the bundled example's catalogue "
        "the time it was exported); checkpoint ages are measured when the facts were collected",
    )

    # check and diagnose answer "is anything wrong?" and gate by default; plan
    # answers "what will happen?" and gates only when asked (docs/cli.md).
    policy = policy_options(FailOn.ERROR)
    plan_policy = policy_options(FailOn.NEVER)

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Plan Hyper-V backups and restores from an inventory of a host or cluster.",
        epilog=_epilog(None),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(
        name: Command, summary: str, parents: list[argparse.ArgumentParser], usage: str
    ) -> argparse.ArgumentParser:
        import textwrap  # noqa: PLC0415 - only the parser needs it

        # Usage and description are laid out here, in 80 columns: argparse
        # leaves a usage given whole on one line, and a raw description as it is.
        prog = f"{PROG} {name.value}"
        lines = textwrap.wrap(
            f"{prog} [options] {usage}".rstrip(),
            width=79 - len("usage: "),
            subsequent_indent=" " * (len("usage: ") + len(prog) + 1),
            break_long_words=False,
            break_on_hyphens=False,
        )
        return commands.add_parser(
            name.value,
            parents=parents,
            help=summary,
            description=textwrap.fill(summary, width=79),
            usage="\n".join(lines),
            epilog=_epilog(name),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    inventory_help = (
        "inventory JSON file, or - for standard input; several files, directories (their "
        "*.json files) and globs are evaluated each on its own, with a summary first"
    )
    sub = command(
        Command.CHECK,
        "List every finding about the inventory, or about each of many.",
        [fleet, source, policy, profiles, protection, hygiene],
        "(INVENTORY [INVENTORY ...] | --example [NAME])",
    )
    sub.add_argument("operands", nargs="*", metavar="INVENTORY", help=inventory_help)

    sub = command(
        Command.PLAN,
        "Show the ordered backup plan and how each VM is backed up (mode, downtime, why).",
        [fleet, source, plan_policy, profiles, protection, hygiene],
        "(INVENTORY [INVENTORY ...] | --example [NAME])",
    )
    sub.add_argument("operands", nargs="*", metavar="INVENTORY", help=inventory_help)
    sub.add_argument(
        "--node", help="back up every clustered VM on this node (default: on its owner)"
    )

    sub = command(
        Command.RESTORE,
        "Show the ordered steps to restore one VM.",
        [output, source, profiles],
        "(INVENTORY | --example [NAME]) VM",
    )
    sub.add_argument(
        "operands",
        nargs="*",
        metavar="INVENTORY VM",
        help="one inventory JSON file, or - for standard input (left out with --example), "
        "then the name of the VM to restore",
    )
    sub.add_argument(
        "--node", help="restore on this host or node (default: the one that lists the VM)"
    )
    sub.add_argument(
        "--backup-mode",
        choices=[m.value for m in BackupMode],
        metavar="MODE",
        help="the mode of the host-level backup restored from, online or offline "
        "(default: the mode the VM would be backed up in today)",
    )

    sub = command(
        Command.RULES,
        "List the rule catalogue (with --profile, the rules of one profile).",
        [output, profiles],
        "",
    )
    sub.set_defaults(operands=[])

    sub = command(
        Command.EXAMPLE,
        "Print a bundled example inventory (JSON).",
        [format_options(formats, colour=False)],
        "[NAME]",
    )
    sub.add_argument(
        "operands",
        nargs="*",
        metavar="NAME",
        help=f"which example: {', '.join(example_names())} (default: {DEFAULT_EXAMPLE})",
    )

    sub = command(
        Command.COLLECT,
        "Build an inventory from the documents the collector scripts print "
        "(host.ps1 on the host or on each cluster node, guest.ps1 or guest.sh in the guests), "
        "or write out one of those scripts.",
        [],
        "(HOST.json [HOST2.json ...] [--guest GUEST.json ...] | --script NAME) [-o FILE]",
    )
    sub.add_argument(
        "operands",
        nargs="*",
        metavar="HOST",
        help="a document printed by host.ps1: one for a standalone host, one per node of a cluster",
    )
    sub.add_argument(
        "--guest",
        action="append",
        nargs="+",
        metavar="GUEST",
        help="documents printed by guest.ps1 or guest.sh inside the VMs (repeatable)",
    )
    sub.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the inventory (or the script) to FILE instead of standard output: UTF-8, "
        "whole or not at all",
    )
    sub.add_argument(
        "--script",
        choices=SCRIPTS,
        metavar="NAME",
        help=f"write out the bundled collector script NAME ({', '.join(SCRIPTS)}), "
        "byte for byte, to run on a host or in a guest",
    )
    sub = command(
        Command.DIAGNOSE,
        "Explain failed or degraded backups from exported event logs and VSS writer states.",
        [output, policy, profiles],
        "[LOG ...] [--writers FILE [--encoding ENCODING]] [--inventory INVENTORY | --example [NAME]] "
        "[--since SPAN]",
    )
    sub.add_argument(
        "operands",
        nargs="*",
        metavar="LOG",
        help="an exported event log: .evtx, the XML of wevtutil qe /f:xml, or the JSON of "
        "Get-WinEvent | ConvertTo-Json (- for standard input); a directory gives its .evtx, "
        ".xml and .json files, a glob its matches",
    )
    sub.add_argument(
        "--writers", metavar="FILE", help="the output of 'vssadmin list writers' on the host"
    )
    sub.add_argument(
        "--encoding",
        type=_encoding,
        metavar="ENCODING",
        help="the encoding of the --writers file (cp850, cp1252, ...) when it has no "
        "byte-order mark and is not UTF-8 (default: told from the text, or asked for)",
    )
    sub.add_argument(
        "--inventory",
        metavar="INVENTORY",
        help="the inventory of the hosts the logs are from: names VMs by id, and explains "
        "findings by inventory rules",
    )
    sub.add_argument(
        "--example",
        nargs="?",
        const=_UNNAMED,
        metavar="NAME",
        help=f"use a bundled example inventory as --inventory (default: {DEFAULT_EXAMPLE}); "
        f"without LOG or --writers, diagnose the night of logs bundled with the example "
        f"({', '.join(night_names())}; the default then: {DEFAULT_NIGHT})",
    )
    sub.add_argument(
        "--since",
        metavar="SPAN",
        help="only events of the last SPAN (90m, 24h, 7d, 2w) or since a time "
        "(2026-12-06T22:00:00Z; UTC when no zone is given)",
    )
    sub.add_argument(
        "--skip-bad",
        action="store_true",
        help="skip records that cannot be read, and files of a directory or glob that cannot "
        "be read or are no valid log; count and name them instead of stopping",
    )
    sub.add_argument(
        "--strict",
        action="store_true",
        help=f"let an event no signature knows ({NOT_RECOGNISED.id}) fail the run at its own "
        "level; without it such an event makes the exit status no worse than a warning",
    )
    return parser


def _written_and_read(options: Options) -> str | None:
    """Return the input named as it is that is also the file ``-o`` writes, if one is.

    Inputs a directory or glob gives are left out of the run when they are
    its output (``cli._io.expand``); one named as it is is a mistake to say.
    """
    if options.output is None or options.command in {Command.RULES, Command.EXAMPLE}:
        return None
    # restore's last operand is a VM's name, not a file.
    files = options.operands[:1] if options.command is Command.RESTORE else options.operands
    named = [*files, *options.guests, options.inventory, options.writers, *options.backups]
    named.append(options.policy)
    for path in named:
        if path is None or path == "-" or _is_dir(path) or is_pattern(path):
            continue
        if same_file(path, options.output):
            return path
    return None


def same_file(path: str, other: str) -> bool:
    """Whether two paths name one file: the same file on the disk, or the same path if either is not there."""
    return file_key(path) == file_key(other)


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    for action in parser._actions:  # argparse offers no public lookup
        if isinstance(action, argparse._SubParsersAction):
            chosen: argparse.ArgumentParser = action.choices[name]
            return chosen
    return parser  # pragma: no cover - every command has a subparser


def _protection_options(sub: argparse.ArgumentParser, options: Options) -> None:
    """Refuse ``--max-age`` without a catalogue, and ``--now`` with nothing to date."""
    if options.command not in {Command.CHECK, Command.PLAN}:
        return
    if options.max_age is not None and not options.backups:
        sub.error("--max-age bounds the age of restore points: give --backups FILE too")
    if options.now is not None and not (options.backups or options.policy):
        sub.error("--now dates restore points and exceptions: give --backups or --policy too")


def parse(parser: argparse.ArgumentParser, argv: Sequence[str]) -> Options:  # noqa: PLR0912, PLR0915 - one check per command
    ns, extra = parser.parse_known_args(argv)
    sub = _subparser(parser, ns.command)
    # argparse stops filling a positional once an option follows it
    # ("restore inv.json --node N VM"); the rest come back as extras.
    unknown = [a for a in extra if a.startswith("-") and a != "-"]
    if unknown:
        sub.error(f"unrecognized arguments: {' '.join(unknown)}")
    ns.operands = [*ns.operands, *(a for a in extra if a not in unknown)]
    try:
        options = Options.from_namespace(ns)
    except Exit as exc:
        sub.error(exc.lines[0].removeprefix("error: "))
    clash = _written_and_read(options)
    if clash is not None:
        sub.error(f"{clash!r} is the file -o writes; it cannot be an input of the same run")
    if options.command is Command.EXAMPLE:
        if len(options.operands) > 1:
            sub.error(f"expected at most one example name, got {len(options.operands)}")
        return options
    if options.command is Command.DIAGNOSE:
        night = not options.operands and options.writers is None
        if options.example == _UNNAMED:
            options = attrs.evolve(options, example=DEFAULT_NIGHT if night else DEFAULT_EXAMPLE)
        if options.inventory is not None and options.example is not None:
            sub.error("give --inventory or --example, not both")
        if night and options.example is None:
            sub.error("missing LOG (an exported event log), --writers FILE or --example")
        if night and options.example not in night_names():
            nights = ", ".join(night_names())
            sub.error(
                f"no bundled night of logs for the example {options.example!r} (nights: "
                f"{nights}); give LOG or --writers FILE to use it as the inventory"
            )
        return options
    if options.command is Command.COLLECT:
        if options.script is not None:
            if options.operands or options.guests:
                sub.error("--script writes a collector script out; it reads no document")
        elif not options.operands:
            sub.error("missing HOST (a document printed by host.ps1), or --script NAME")
        return options
    _protection_options(sub, options)
    if options.command in {Command.CHECK, Command.PLAN} and options.example is None:
        if not options.operands:
            sub.error("missing INVENTORY")
        return options  # one inventory, or many
    wanted = ["VM"] if options.command is Command.RESTORE else []
    if options.command is not Command.RULES:
        wanted.insert(0, "INVENTORY")
    if options.example is not None:
        wanted.remove("INVENTORY")
        if len(options.operands) == len(wanted) - 1 and options.example not in example_names():
            # "--example [NAME]" takes the next word whatever it is; when that word
            # names no example and an operand is missing, it is the operand
            # ("restore --example SQL01").
            options = attrs.evolve(
                options,
                operands=(*options.operands, options.example),
                example=DEFAULT_EXAMPLE,
            )
    given = len(options.operands)
    if given < len(wanted):
        sub.error(f"missing {' and '.join(wanted[given:])}")
    if given > len(wanted):
        surplus = " ".join(options.operands[len(wanted) :])
        hint = " (give INVENTORY or --example, not both)" if options.example is not None else ""
        sub.error(f"unexpected argument: {surplus}{hint}")
    return options
