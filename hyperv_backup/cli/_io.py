"""Reading what a command is given, and writing what it says."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from hyperv_backup.cli._options import (
    EXIT_FINDINGS,
    EXIT_INVALID,
    EXIT_OK,
    Exit,
    FailOn,
    Options,
    is_pattern,
    usage_error,
)
from hyperv_backup.collect.kinds import collector_kind
from hyperv_backup.examples import example_names, example_text
from hyperv_backup.inventory import (
    DEFAULT_LIMITS,
    InventoryError,
    load_document,
    parse_inventory,
    read_at_most,
)
from hyperv_backup.model import VM, Cluster, Host, computer_key, hosts_of
from hyperv_backup.render import Format
from hyperv_backup.rules import Finding, Profile, Severity, profile_for

if TYPE_CHECKING:
    from typing import TextIO

__all__ = [
    "INVENTORY_SUFFIXES",
    "Renderer",
    "describe",
    "example_text_or_exit",
    "exit_status",
    "expand",
    "find_vm",
    "load",
    "output",
    "policy_meta",
    "policy_notes",
    "read_source",
    "report_one",
    "resolve_host",
    "target_meta",
    "write",
    "write_utf8",
]


def example_text_or_exit(name: str) -> str:
    try:
        return example_text(name)
    except KeyError:
        known = ", ".join(repr(n) for n in example_names())
        msg = f"no example named {name!r}; known: {known}"
        raise usage_error(msg) from None


#: What a directory given as an inventory contributes: its files with these suffixes...
INVENTORY_SUFFIXES = (".json",)
#: ... but for these: the event logs ``host.ps1 -EventHours`` and ``collect`` write
#: beside their documents.
NOT_INVENTORIES = (".events.json",)


def expand(
    operands: Sequence[str],
    suffixes: Sequence[str] = INVENTORY_SUFFIXES,
    skipped: Sequence[str] = NOT_INVENTORIES,
) -> list[str]:
    """Return the inputs the operands name, in order, each once.

    A directory gives its files (in every folder below it) whose names end in
    one of ``suffixes`` but in none of ``skipped``, sorted; a glob (``*``, ``?``, ``[...]``, ``**`` for
    any depth) its matching files, sorted. Anything else is an input as given
    (``-`` is standard input), read or refused on its own later. A directory
    or glob that names no file is a usage error.
    """
    import glob  # noqa: PLC0415 - only globs need it

    inputs: list[str] = []
    for operand in operands:
        path = Path(operand)
        if operand != "-" and path.is_dir():
            found = sorted(
                str(p)
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.casefold() in suffixes
                and not p.name.casefold().endswith(tuple(skipped))
            )
            kinds = " or ".join(
                [", ".join(suffixes[:-1]), suffixes[-1]] if len(suffixes) > 1 else suffixes
            )
            what = f"no {kinds} file in the directory {operand!r}"
        elif is_pattern(operand):
            # glob.glob takes any pattern, absolute ones too; Path.glob only relative ones.
            matches = glob.glob(operand, recursive=True)  # noqa: PTH207
            found = sorted(p for p in matches if Path(p).is_file())
            what = f"no file matches {operand!r}"
        else:
            inputs.append(operand)
            continue
        if not found:
            raise usage_error(what)
        inputs.extend(found)
    return list(dict.fromkeys(inputs))


def load(options: Options) -> Host | Cluster:
    """Read the inventory the options name, or stop with exit code 2 or 3."""
    if options.example is not None:
        return parse_inventory(example_text_or_exit(options.example))
    source = options.operands[0]
    label = "<stdin>" if source == "-" else source
    try:
        data = read_source(source)
        return _inventory(data)
    except InventoryError as exc:
        raise Exit(
            EXIT_INVALID,
            f"error: {label} is not a valid inventory:",
            *(str(problem) for problem in exc.problems),
        ) from None


def read_source(source: str, limit: int | None = None) -> bytes:
    """Read a file, or standard input for ``-``, no further than ``limit`` bytes.

    The limit is the inventory size limit unless one is given.
    """
    if limit is None:
        limit = DEFAULT_LIMITS.max_bytes
    try:
        if source == "-":
            return read_at_most(sys.stdin.buffer, limit)
        with Path(source).open("rb") as file:
            return read_at_most(file, limit)
    except (OSError, ValueError) as exc:  # ValueError: a path with a NUL character
        if isinstance(exc, InventoryError):
            raise
        reason = getattr(exc, "strerror", None) or str(exc) or exc.__class__.__name__
        msg = f"cannot read {source!r}: {reason}"
        raise usage_error(msg) from None


def _inventory(data: bytes) -> Host | Cluster:
    """Read an inventory, or the document ``host.ps1`` printed (found by its ``collector``).

    An inventory is read straight from the bytes, as fast as the library reads
    one. A ``collector`` key is no field of an inventory, so only a document
    refused as one can be a collector's: it is parsed again to tell.
    """
    try:
        return parse_inventory(data)
    except InventoryError:
        # A flaw of the JSON itself is raised here again, in the same words.
        document = load_document(data)
        if collector_kind(document) is None:
            raise
    # Only a collector document needs the collect package, which takes a while to import.
    from hyperv_backup.collect import from_documents  # noqa: PLC0415

    return from_documents([document])


def describe(target: Host | Cluster) -> str:
    return f"{'cluster' if isinstance(target, Cluster) else 'host'} {target.name}"


def target_meta(target: Host | Cluster) -> dict[str, str]:
    return {"kind": "cluster" if isinstance(target, Cluster) else "host", "name": target.name}


def resolve_host(target: Host | Cluster, node: str) -> Host:
    for host in hosts_of(target):
        if computer_key(host.name) == computer_key(node):
            return host
    known = ", ".join(repr(h.name) for h in hosts_of(target))
    msg = f"no node named {node!r} in {describe(target)}; known: {known}"
    raise usage_error(msg)


def find_vm(target: Host | Cluster, name: str) -> tuple[Host, VM]:
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
    msg = f"no VM named {name!r} in {describe(target)}{hint}"
    raise usage_error(msg)


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


def write(text: str, fmt: Format) -> None:
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


def write_utf8(text: str) -> None:
    """Write ``text`` to standard output as UTF-8, whatever its encoding: for formats that require it."""
    stream = sys.stdout
    stream.flush()
    binary = getattr(stream, "buffer", None)
    if binary is None:  # a text stream with no bytes beneath (io.StringIO)
        stream.write(text)
    else:
        binary.write(text.encode("utf-8", "backslashreplace"))
        binary.flush()
    stream.flush()


class _Graded(Protocol):
    @property
    def severity(self) -> Severity: ...


def exit_status(findings: Sequence[_Graded], fail_on: FailOn) -> int:
    threshold = fail_on.threshold
    if threshold is None:
        return EXIT_OK
    failed = any(f.severity.rank <= threshold.rank for f in findings)
    return EXIT_FINDINGS if failed else EXIT_OK


def policy_notes(options: Options) -> list[str]:
    notes = [f"Fails on: {options.fail_on.value}"]
    if options.ignore:
        notes.append(f"Ignored rules: {', '.join(sorted(options.ignore))}")
    return notes


def answering_profiles(target: Host | Cluster, options: Options) -> dict[str, Profile]:
    """Return the profile that answers for each host, by host name."""
    return {host.name: options.profile or profile_for(host.os) for host in hosts_of(target)}


def profile_notes(target: Host | Cluster, options: Options) -> list[str]:
    """Return the line naming the profiles of 2012 and later that answer, if any.

    An inventory answered by the 2008 profile alone gets no line, and reads
    as it always has.
    """
    labels = unique_labels(answering_profiles(target, options).values())
    return [f"Answered by the profile of {' and '.join(labels)}"] if labels else []


def unique_labels(profiles: Iterable[Profile]) -> list[str]:
    """Return the labels of the profiles of 2012 and later among ``profiles``, once each."""
    return list(dict.fromkeys(p.label for p in profiles if p is not Profile.WS2008))


def profile_meta(target: Host | Cluster, options: Options) -> dict[str, object]:
    """Return the JSON key naming each host's profile, when one is of 2012 or later."""
    answering = answering_profiles(target, options)
    if all(p is Profile.WS2008 for p in answering.values()):
        return {}
    return {"profiles": {name: p.value for name, p in answering.items()}}


def policy_meta(options: Options, status: int) -> dict[str, object]:
    return {
        "policy": {"fail_on": options.fail_on.value, "ignore": sorted(options.ignore)},
        "failed": status == EXIT_FINDINGS,
    }


#: Renders a result: ``(format, colour, text width) -> output``.
Renderer = Callable[[Format, bool, int], str]


class Evaluation(Protocol):
    """Evaluates one inventory for a command: its findings, exit status and report in ``fmt``."""

    def __call__(
        self,
        options: Options,
        target: Host | Cluster,
        fmt: Format | None,
        *,
        color: bool,
        width: int,
    ) -> tuple[tuple[Finding, ...], int, str]: ...


def report_one(options: Options, title: str, evaluate: Evaluation) -> int:
    """Evaluate the one inventory the options name, print its report, and return its status."""
    target = load(options)
    statuses: list[int] = []

    def render(fmt: Format, color: bool, width: int) -> str:
        _, status, text = evaluate(options, target, fmt, color=color, width=width)
        statuses.append(status)
        return text

    output(options, f"{title} for {describe(target)}", render)
    return statuses[0]


def output(options: Options, title: str, render: Renderer) -> None:
    fmt = options.format
    stream = sys.stdout
    color = fmt is Format.TEXT and _use_color(stream)
    text = render(fmt, color, _text_width(stream))
    if fmt is Format.HTML:
        from hyperv_backup.render import html_page  # noqa: PLC0415 - only HTML needs it

        text = html_page(title, text)
    write(text, fmt)
