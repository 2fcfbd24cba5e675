"""The ``hyperv-backup`` command: findings, plans, restore steps and rules from an inventory.

Commands (``docs/cli.md`` describes each, with the JSON it writes):

* ``check INVENTORY``: every finding about the inventory;
* ``plan INVENTORY [--node NODE]``: the ordered backup plan and how each VM is backed up;
* ``restore INVENTORY VM [--node NODE] [--backup-mode MODE]``: the steps to restore one VM;
* ``rules``: the rule catalogue;
* ``example [NAME]``: a bundled example inventory;
* ``collect HOST.json [HOST2.json ...] [--guest GUEST.json ...] [-o FILE]``: an
  inventory built from the documents the collector scripts print (``docs/collect.md``).

INVENTORY is a file, or ``-`` for standard input; ``--example [NAME]`` uses a
bundled example instead. It may also be the document ``host.ps1`` printed on a
standalone host. Data goes to standard output, diagnostics to
standard error. Exit codes are a contract:

====  =========================================================================
0     nothing at or above ``--fail-on``
1     findings at or above ``--fail-on`` (``check`` and ``plan``)
2     usage error: bad arguments, unreadable file, unknown VM, node or example
3     the inventory is not valid; each problem is printed as ``path: message``
4     an internal error (a bug), reported on one line
====  =========================================================================
"""

from __future__ import annotations

import argparse
import enum
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, assert_never

import attrs

from hyperv_backup._collector import collector_kind, load_document
from hyperv_backup._version import __version__
from hyperv_backup.checks import check, hosts_of
from hyperv_backup.examples import example_names, example_text
from hyperv_backup.inventory import (
    DEFAULT_LIMITS,
    InventoryError,
    _read_at_most,
    dump_inventory,
    parse_inventory,
)
from hyperv_backup.model import (
    VM,
    BackupMode,
    Cluster,
    Host,
    computer_key,
)
from hyperv_backup.render import (
    Format,
    clean_text,
    escape_html,
    escape_markdown,
    html_page,
    render_findings,
    render_plan,
    render_rules,
    render_steps,
)
from hyperv_backup.rules import RULES, Finding, Severity

if TYPE_CHECKING:
    from typing import TextIO

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_INTERNAL",
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_USAGE",
    "Command",
    "FailOn",
    "Options",
    "main",
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

#: The example ``--example`` uses when no name follows it.
DEFAULT_EXAMPLE = "cluster"

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


class _Exit(Exception):  # noqa: N818 - a control-flow signal, not an error type
    """Stop the command with ``code``, after writing ``lines`` to standard error."""

    def __init__(self, code: int, *lines: str) -> None:
        super().__init__(code, lines)
        self.code = code
        self.lines = lines


def _usage_error(message: str) -> _Exit:
    return _Exit(EXIT_USAGE, f"error: {message}")


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

    @classmethod
    def from_namespace(cls, ns: argparse.Namespace) -> Options:
        """Build the options from what argparse parsed (every value is a string there)."""
        backup_mode = getattr(ns, "backup_mode", None)
        return cls(
            command=Command(ns.command),
            # collect writes an inventory, which is JSON; it takes no --format.
            format=Format(getattr(ns, "format", Format.JSON.value)),
            operands=tuple(ns.operands),
            example=getattr(ns, "example", None),
            node=getattr(ns, "node", None),
            backup_mode=None if backup_mode is None else BackupMode(backup_mode),
            fail_on=FailOn(getattr(ns, "fail_on", FailOn.ERROR.value)),
            ignore=_rule_ids(getattr(ns, "ignore", None) or ()),
            guests=tuple(g for group in getattr(ns, "guest", None) or () for g in group),
            output=getattr(ns, "output", None),
        )


def _rule_ids(values: Sequence[str]) -> frozenset[str]:
    """Split ``--ignore`` values on commas; every ID must be in the catalogue."""
    ids = [part.strip().upper() for value in values for part in value.split(",")]
    unknown = sorted({i for i in ids if i and i not in RULES})
    if unknown:
        names = ", ".join(repr(i) for i in unknown)
        msg = f"--ignore: unknown rule ID {names}; `{PROG} rules` lists them"
        raise _usage_error(msg)
    return frozenset(i for i in ids if i)


# --- the parser ----------------------------------------------------------------------

_EPILOG = """\
exit status:
  0  nothing at or above --fail-on
  1  findings at or above --fail-on (check, plan)
  2  usage error: bad arguments, unreadable file, unknown VM, node or example
  3  invalid inventory (each problem on standard error as "path: message")
  4  internal error (a bug; please report it)
"""


def _parser() -> argparse.ArgumentParser:
    formats = [f.value for f in Format]
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument(
        "--format",
        choices=formats,
        metavar="FORMAT",
        default=Format.TEXT.value,
        help=f"output format: {', '.join(formats)} (default: text)",
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
    policy = argparse.ArgumentParser(add_help=False)
    policy.add_argument(
        "--fail-on",
        choices=[f.value for f in FailOn],
        metavar="SEVERITY",
        default=FailOn.ERROR.value,
        help="exit with 1 when a finding is at least this severe: "
        f"{', '.join(f.value for f in FailOn)} (default: error)",
    )
    policy.add_argument(
        "--ignore",
        action="append",
        metavar="IDS",
        help="leave out the findings of these rules (comma-separated, repeatable), "
        "e.g. HVB105,HVB307",
    )

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Plan Hyper-V backups and restores from an inventory of a host or cluster.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(
        name: Command, summary: str, parents: list[argparse.ArgumentParser], usage: str
    ) -> argparse.ArgumentParser:
        return commands.add_parser(
            name.value,
            parents=parents,
            help=summary,
            description=summary,
            usage=f"%(prog)s [options] {usage}".rstrip(),
            epilog=_EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    inventory_help = "inventory JSON file, or - for standard input"
    sub = command(
        Command.CHECK,
        "List every finding about the inventory.",
        [output, source, policy],
        "(INVENTORY | --example [NAME])",
    )
    sub.add_argument("operands", nargs="*", metavar="INVENTORY", help=inventory_help)

    sub = command(
        Command.PLAN,
        "Show the ordered backup plan and how each VM is backed up (mode, downtime, why).",
        [output, source, policy],
        "(INVENTORY | --example [NAME])",
    )
    sub.add_argument("operands", nargs="*", metavar="INVENTORY", help=inventory_help)
    sub.add_argument(
        "--node", help="back up every clustered VM on this node (default: on its owner)"
    )

    sub = command(
        Command.RESTORE,
        "Show the ordered steps to restore one VM.",
        [output, source],
        "(INVENTORY | --example [NAME]) VM",
    )
    sub.add_argument(
        "operands",
        nargs="*",
        metavar="INVENTORY VM",
        help=f"{inventory_help} (left out with --example), then the name of the VM to restore",
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

    sub = command(Command.RULES, "List the rule catalogue.", [output], "")
    sub.set_defaults(operands=[])

    sub = command(Command.EXAMPLE, "Print a bundled example inventory (JSON).", [output], "[NAME]")
    sub.add_argument(
        "operands",
        nargs="*",
        metavar="NAME",
        help=f"which example: {', '.join(example_names())} (default: {DEFAULT_EXAMPLE})",
    )

    sub = command(
        Command.COLLECT,
        "Build an inventory from the documents the collector scripts print "
        "(host.ps1 on the host or on each cluster node, guest.ps1 in the guests).",
        [],
        "HOST.json [HOST2.json ...] [--guest GUEST.json ...] [-o INVENTORY.json]",
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
        help="documents printed by guest.ps1 inside the VMs (repeatable)",
    )
    sub.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the inventory to FILE (UTF-8) instead of standard output",
    )
    return parser


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    for action in parser._actions:  # argparse offers no public lookup
        if isinstance(action, argparse._SubParsersAction):
            chosen: argparse.ArgumentParser = action.choices[name]
            return chosen
    return parser  # pragma: no cover - every command has a subparser


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str]) -> Options:
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
    except _Exit as exc:
        sub.error(exc.lines[0].removeprefix("error: "))
    if options.command is Command.EXAMPLE:
        if len(options.operands) > 1:
            sub.error(f"expected at most one example name, got {len(options.operands)}")
        return options
    if options.command is Command.COLLECT:
        if not options.operands:
            sub.error("missing HOST (a document printed by host.ps1)")
        return options
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


# --- loading -------------------------------------------------------------------------


def _example_text(name: str) -> str:
    try:
        return example_text(name)
    except KeyError:
        known = ", ".join(repr(n) for n in example_names())
        msg = f"no example named {name!r}; known: {known}"
        raise _usage_error(msg) from None


def _load(options: Options) -> Host | Cluster:
    """Read the inventory the options name, or stop with exit code 2 or 3."""
    if options.example is not None:
        return parse_inventory(_example_text(options.example))
    source = options.operands[0]
    label = "<stdin>" if source == "-" else source
    try:
        data = _read_source(source)
        return _inventory(data)
    except InventoryError as exc:
        raise _Exit(
            EXIT_INVALID,
            f"error: {label} is not a valid inventory:",
            *(str(problem) for problem in exc.problems),
        ) from None


def _read_source(source: str) -> bytes:
    """Read a file, or standard input for ``-``, no further than the inventory size limit."""
    try:
        if source == "-":
            return _read_at_most(sys.stdin.buffer, DEFAULT_LIMITS.max_bytes)
        with Path(source).open("rb") as file:
            return _read_at_most(file, DEFAULT_LIMITS.max_bytes)
    except (OSError, ValueError) as exc:  # ValueError: a path with a NUL character
        if isinstance(exc, InventoryError):
            raise
        reason = getattr(exc, "strerror", None) or str(exc) or exc.__class__.__name__
        msg = f"cannot read {source!r}: {reason}"
        raise _usage_error(msg) from None


def _inventory(data: bytes) -> Host | Cluster:
    """Read an inventory, or the document ``host.ps1`` printed (found by its ``collector``)."""
    document = load_document(data)
    if collector_kind(document) is not None:
        # Only a collector document needs the collect package, which takes a while to import.
        from hyperv_backup.collect import from_documents  # noqa: PLC0415

        return from_documents([document])
    return parse_inventory(document)


def _describe(target: Host | Cluster) -> str:
    return f"{'cluster' if isinstance(target, Cluster) else 'host'} {target.name}"


def _target_meta(target: Host | Cluster) -> dict[str, str]:
    return {"kind": "cluster" if isinstance(target, Cluster) else "host", "name": target.name}


def _resolve_host(target: Host | Cluster, node: str) -> Host:
    for host in hosts_of(target):
        if computer_key(host.name) == computer_key(node):
            return host
    known = ", ".join(repr(h.name) for h in hosts_of(target))
    msg = f"no node named {node!r} in {_describe(target)}; known: {known}"
    raise _usage_error(msg)


def _find_vm(target: Host | Cluster, name: str) -> tuple[Host, VM]:
    for host in hosts_of(target):
        for vm in host.vms:
            if vm.name == name:
                return host, vm
    hint = ""
    close = [
        vm.name
        for host in hosts_of(target)
        for vm in host.vms
        if vm.name.casefold() == name.casefold()
    ]
    if close:
        hint = f" (VM names are case-sensitive: did you mean {close[0]!r}?)"
    msg = f"no VM named {name!r} in {_describe(target)}{hint}"
    raise _usage_error(msg)


# --- output --------------------------------------------------------------------------


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return callable(isatty) and bool(isatty())


def _use_color(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (https://no-color.org)."""
    return "NO_COLOR" not in os.environ and _is_terminal(stream)


def _text_width(stream: TextIO) -> int:
    if not _is_terminal(stream):
        return 80
    import shutil  # noqa: PLC0415 - only a terminal needs its size

    return max(60, min(shutil.get_terminal_size((80, 24)).columns, 120))


def _write(text: str, fmt: Format) -> None:
    stream = sys.stdout
    if fmt is Format.HTML:
        # Character references keep the page right whatever the encoding it is saved in.
        text = text.encode("ascii", "xmlcharrefreplace").decode("ascii")
    else:
        encoding = getattr(stream, "encoding", None) or "utf-8"
        # JSON is written ASCII-only (with \u escapes), so only text can need this.
        try:
            text.encode(encoding)
        except UnicodeEncodeError:
            text = text.encode(encoding, "backslashreplace").decode(encoding)
        except LookupError:  # pragma: no cover - a stream naming an unknown codec
            pass
    stream.write(text)
    stream.flush()


def _exit_status(findings: Sequence[Finding], fail_on: FailOn) -> int:
    threshold = fail_on.threshold
    if threshold is None:
        return EXIT_OK
    failed = any(f.severity.rank <= threshold.rank for f in findings)
    return EXIT_FINDINGS if failed else EXIT_OK


def _policy_notes(options: Options) -> list[str]:
    notes = [f"Fails on: {options.fail_on.value}"]
    if options.ignore:
        notes.append(f"Ignored rules: {', '.join(sorted(options.ignore))}")
    return notes


def _policy_meta(options: Options, status: int) -> dict[str, object]:
    return {
        "policy": {"fail_on": options.fail_on.value, "ignore": sorted(options.ignore)},
        "failed": status == EXIT_FINDINGS,
    }


#: Renders a result: ``(format, colour, text width) -> output``.
_Renderer = Callable[[Format, bool, int], str]


def _output(options: Options, title: str, render: _Renderer) -> None:
    fmt = options.format
    stream = sys.stdout
    color = fmt is Format.TEXT and _use_color(stream)
    text = render(fmt, color, _text_width(stream))
    if fmt is Format.HTML:
        text = html_page(title, text)
    _write(text, fmt)


# --- the commands --------------------------------------------------------------------


def _run_check(options: Options) -> int:
    target = _load(options)
    findings = tuple(f for f in check(target) if f.rule.id not in options.ignore)
    status = _exit_status(findings, options.fail_on)
    title = f"Findings for {_describe(target)}"
    meta = {
        "command": Command.CHECK.value,
        "inventory": _target_meta(target),
        **_policy_meta(options, status),
    }
    _output(
        options,
        title,
        lambda fmt, color, width: render_findings(
            findings,
            fmt,
            title=title,
            notes=_policy_notes(options),
            meta=meta,
            color=color,
            width=width,
        ),
    )
    return status


def _run_plan(options: Options) -> int:
    # Imported by the commands that use it: ``check`` has no need of plans or steps.
    from hyperv_backup.steps import backup_plan  # noqa: PLC0415

    target = _load(options)
    # Resolved here, so an unknown node is a usage error naming the known ones.
    node = None if options.node is None else _resolve_host(target, options.node).name
    plan = backup_plan(target, node)
    plan = attrs.evolve(
        plan, findings=tuple(f for f in plan.findings if f.rule.id not in options.ignore)
    )
    status = _exit_status(plan.findings, options.fail_on)
    title = f"Backup plan for {_describe(target)}"
    notes = _policy_notes(options)
    if node is not None:
        notes.insert(0, f"Clustered VMs are backed up on {node}")
    meta = {
        "command": Command.PLAN.value,
        "inventory": _target_meta(target),
        "node": node,
        **_policy_meta(options, status),
    }
    _output(
        options,
        title,
        lambda fmt, color, width: render_plan(
            plan, fmt, title=title, notes=notes, meta=meta, color=color, width=width
        ),
    )
    return status


def _run_restore(options: Options) -> int:
    from hyperv_backup.steps import restore_steps  # noqa: PLC0415 - see _run_plan

    target = _load(options)
    host, vm = _find_vm(target, options.operands[-1])
    node = host if options.node is None else _resolve_host(target, options.node)
    steps = restore_steps(vm, node, mode=options.backup_mode)
    mode_note = (
        f"Restored from an {options.backup_mode.value} host-level backup"
        if options.backup_mode is not None
        else "Backup mode: as the VM would be backed up today (no --backup-mode)"
    )
    title = f"Restore of VM {vm.name} on {node.name}"
    meta = {
        "command": Command.RESTORE.value,
        "inventory": _target_meta(target),
        "vm": vm.name,
        "node": node.name,
        "backup_mode": None if options.backup_mode is None else options.backup_mode.value,
    }
    _output(
        options,
        title,
        lambda fmt, color, width: render_steps(
            steps, fmt, title=title, notes=[mode_note], meta=meta, color=color, width=width
        ),
    )
    return EXIT_OK


def _run_rules(options: Options) -> int:
    title = "Hyper-V backup rules"
    meta = {"command": Command.RULES.value}
    _output(
        options,
        title,
        lambda fmt, color, width: render_rules(
            RULES.values(), fmt, title=title, meta=meta, color=color, width=width
        ),
    )
    return EXIT_OK


def _run_example(options: Options) -> int:
    name = options.operands[0] if options.operands else DEFAULT_EXAMPLE
    text = _example_text(name).rstrip("\n") + "\n"
    fmt = options.format
    match fmt:
        case Format.TEXT | Format.JSON:
            # The inventory itself, ready to be saved and edited.
            output = text
        case Format.MARKDOWN:
            output = f"# Example inventory {escape_markdown(name)}\n\n```json\n{text}```\n"
        case Format.HTML:
            title = f"Example inventory {name}"
            output = html_page(
                title,
                f'<div class="hvb">\n<h1>{escape_html(title)}</h1>\n'
                f"<pre><code>{_escape_pre(text)}</code></pre>\n</div>\n",
            )
        case _:
            assert_never(fmt)
    _write(output, fmt)
    return EXIT_OK


def _read_files(paths: Sequence[str]) -> list[bytes]:
    documents = []
    for path in paths:
        try:
            documents.append(_read_source(path))
        except InventoryError as exc:
            raise _Exit(
                EXIT_INVALID,
                f"error: {path} cannot be read:",
                *(str(problem) for problem in exc.problems),
            ) from None
    return documents


def _note(text: str) -> None:
    print(f"{PROG} {Command.COLLECT.value}: {clean_text(text)}", file=sys.stderr)


def _run_collect(options: Options) -> int:
    # The collect package takes a while to import: only this command loads it up front.
    from hyperv_backup.collect import from_documents, writer_notes  # noqa: PLC0415

    hosts = _read_files(options.operands)
    guests = _read_files(options.guests)
    if len(guests) > PROGRESS_GUESTS:
        _note(f"merging {len(hosts)} host and {len(guests)} guest documents")
    try:
        target = from_documents(hosts, guests)
    except InventoryError as exc:
        names = [
            *(f"hosts[{i}] is {p}" for i, p in enumerate(options.operands)),
            *(f"guests[{i}] is {p}" for i, p in enumerate(options.guests)),
        ]
        raise _Exit(
            EXIT_INVALID,
            f"error: the collector documents are not valid ({'; '.join(names)}):",
            *(str(problem) for problem in exc.problems),
        ) from None
    for note in writer_notes(hosts):
        _note(f"note: {note}")
    missing = [vm.name for host in hosts_of(target) for vm in host.vms if not vm.guest_inventoried]
    if missing:
        _note(
            f"note: no guest document for {len(missing)} VM(s), planned offline (HVB309): "
            f"{', '.join(missing)}"
        )
    text = json.dumps(dump_inventory(target), indent=2, ensure_ascii=False) + "\n"
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate from a "\ud800" escape
        raise _Exit(
            EXIT_INVALID,
            "error: the collector documents hold text that is not valid Unicode "
            f"(character {exc.start} of the inventory)",
        ) from None
    if options.output is None:
        # ASCII with \u escapes: valid JSON whatever the terminal's encoding.
        _write(json.dumps(dump_inventory(target), indent=2) + "\n", Format.JSON)
        return EXIT_OK
    try:
        Path(options.output).write_bytes(encoded)
    except (OSError, ValueError) as exc:  # ValueError: a path with a NUL character
        reason = getattr(exc, "strerror", None) or str(exc)
        msg = f"cannot write {options.output!r}: {reason}"
        raise _usage_error(msg) from None
    return EXIT_OK


def _escape_pre(text: str) -> str:
    """Escape ``text`` for a ``<pre>`` block, keeping its line breaks."""
    return "\n".join(escape_html(line) for line in text.split("\n"))


def _run(options: Options) -> int:
    command = options.command
    match command:
        case Command.CHECK:
            return _run_check(options)
        case Command.PLAN:
            return _run_plan(options)
        case Command.RESTORE:
            return _run_restore(options)
        case Command.RULES:
            return _run_rules(options)
        case Command.EXAMPLE:
            return _run_example(options)
        case Command.COLLECT:
            return _run_collect(options)
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
    inventory 3, with the reason on standard error.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    try:
        options = _parse(parser, args)
    except SystemExit as exc:  # argparse: --help, --version and its own usage errors
        code = exc.code
        return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_USAGE)
    try:
        return _run(options)
    except _Exit as exc:
        _print_error(options.command.value, exc.lines)
        return exc.code
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, and keep Python from
        # complaining again when it flushes standard output at exit.
        _silence_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: one line, not a traceback, and its own status
        _print_error(
            options.command.value,
            [f"internal error: {type(exc).__name__}: {exc} (please report this)"],
        )
        return EXIT_INTERNAL


def _silence_stdout() -> None:
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)
