"""Reading what a command is given, and writing what it says."""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NoReturn, Protocol

from hyperv_backup._base import HypervBackupError
from hyperv_backup._base.files import write_atomically
from hyperv_backup.cli._options import (
    EXIT_FINDINGS,
    EXIT_OK,
    PROG,
    Color,
    Exit,
    FailOn,
    InputError,
    Options,
    file_key,
    is_pattern,
    same_file,
    usage_error,
)
from hyperv_backup.collect.kinds import collector_kind
from hyperv_backup.examples import example_names, example_text
from hyperv_backup.inventory import (
    DEFAULT_LIMITS,
    InventoryError,
    InventoryLimits,
    check_limits,
    load_document,
    parse_inventory,
    problem_lines,
    read_at_most,
    with_positions,
)
from hyperv_backup.model import VM, Cluster, Host, hosts_of
from hyperv_backup.render import Format, Frame, Renderer, answered_by, clean_text, gate_note
from hyperv_backup.rules import Finding, Profile, Severity, profile_for

if TYPE_CHECKING:
    from typing import TextIO

__all__ = [
    "INVENTORY_SUFFIXES",
    "Evaluation",
    "LegacyRender",
    "base_frame",
    "console_vt",
    "describe",
    "example_text_or_exit",
    "excluded",
    "exit_status",
    "expand",
    "find_vm",
    "inputs_of",
    "is_inventory",
    "load",
    "made_at",
    "note_problems",
    "open_regular",
    "output",
    "policy_meta",
    "policy_notes",
    "publish",
    "read_source",
    "render",
    "report_one",
    "resolve_host",
    "silence_stdout",
    "sources",
    "target_meta",
    "unreadable",
    "use_color",
    "write",
    "write_file",
    "write_files",
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
#: ... but for these: the event logs and catalogues ``host.ps1 -EventHours -Catalog``
#: and ``collect`` write beside their documents.
NOT_INVENTORIES = (".events.json", ".wbcatalog.json", ".backups.json")


def inputs_of(
    options: Options,
    suffixes: Sequence[str] = INVENTORY_SUFFIXES,
    skipped: Sequence[str] = NOT_INVENTORIES,
) -> list[str]:
    """Return the inputs the options' operands name (:func:`expand`), less ``--exclude`` and ``-o``."""
    return expand(
        options.operands, suffixes, skipped, exclude=options.exclude, output=options.output
    )


def expand(
    operands: Sequence[str],
    suffixes: Sequence[str] = INVENTORY_SUFFIXES,
    skipped: Sequence[str] = NOT_INVENTORIES,
    *,
    exclude: Sequence[str] = (),
    output: str | None = None,
) -> list[str]:
    """Return the inputs the operands name, in order, each once.

    A directory gives its files (in every folder below it) whose names end in
    one of ``suffixes`` but in none of ``skipped``, sorted; a glob (``*``, ``?``, ``[...]``, ``**`` for
    any depth) its matching files, sorted. Links to folders are not followed
    below a directory or by ``**`` (so a loop of links cannot make the walk
    endless), and a folder below that cannot be read is an input of its own,
    which is then reported as unreadable rather than passed over. Anything
    else is an input as given (``-`` is standard input), read or refused on
    its own later, also a path that cannot be looked at. A directory or glob
    that names no file is a usage error.

    The files a directory or glob gives are left out when their name or path
    matches one of the globs of ``exclude`` (:func:`excluded`), and so is the
    file ``output`` names: what a run writes is never read by it, nor by the
    runs after it.
    """
    import glob  # noqa: PLC0415 - only globs need it

    inputs: list[str] = []
    for operand in operands:
        if operand != "-" and _is_dir(operand):
            found = sorted(
                path
                for path in _walk(operand)
                if path.endswith(_UNREADABLE)
                or (
                    Path(path).suffix.casefold() in suffixes
                    and not Path(path).name.casefold().endswith(tuple(skipped))
                )
            )
            found = [p.removesuffix(_UNREADABLE) for p in found]
            kinds = " or ".join(
                [", ".join(suffixes[:-1]), suffixes[-1]] if len(suffixes) > 1 else suffixes
            )
            what = f"no {kinds} file in the directory {operand!r}"
        elif is_pattern(operand):
            if "**" in operand:
                found = sorted(_deep_glob(operand))
            else:
                # glob.glob takes any pattern, absolute ones too; Path.glob only relative ones.
                matches = glob.glob(operand)  # noqa: PTH207
                found = sorted(p for p in matches if _is_file(p))
            what = f"no file matches {operand!r}"
        else:
            inputs.append(operand)
            continue
        given = len(found)
        found = [
            path
            for path in found
            if not excluded(path, exclude) and not (output and same_file(path, output))
        ]
        if not found:
            left_out = " once --exclude and -o are left out" if given else ""
            raise usage_error(what + left_out)
        inputs.extend(found)
    return unique_files(inputs)


def unique_files(paths: Sequence[str]) -> list[str]:
    """Return ``paths`` without a second name of a file already named, in order.

    ``host.json``, ``./host.json`` and its absolute path are one file (so are
    two links to it); a path that cannot be looked at is compared by its
    absolute form.
    """
    seen: set[object] = set()
    kept: list[str] = []
    for path in paths:
        key = file_key(path)
        if key not in seen:
            seen.add(key)
            kept.append(path)
    return kept


def excluded(path: str, globs: Sequence[str]) -> bool:
    """Whether ``path`` matches one of ``globs``: its name, or its last folders and name.

    ``*.old.json`` matches ``inv/a.old.json``; ``archive/*`` matches
    ``inv/archive/a.json``; ``*`` may stand for ``/`` too, as in a shell's
    ``case``. Letter case counts as the file system counts it.
    """
    if not globs:
        return False
    import fnmatch  # noqa: PLC0415 - only --exclude needs it

    parts = Path(path).parts
    tails = ["/".join(parts[i:]) for i in range(len(parts))]
    patterns = [glob.replace(os.sep, "/") for glob in globs]
    return any(fnmatch.fnmatch(tail, pattern) for pattern in patterns for tail in tails)


#: Marks, during a walk, a folder that could not be read (a name cannot end with a NUL).
_UNREADABLE = "\0"


def _is_dir(path: str) -> bool:
    try:
        return stat.S_ISDIR(Path(path).stat().st_mode)
    except (OSError, ValueError):  # not there, not searchable, a NUL in the name
        return False


def _is_file(path: str) -> bool:
    try:
        return stat.S_ISREG(Path(path).stat().st_mode)
    except (OSError, ValueError):
        return False


def _walk(top: str, *, hidden: bool = True) -> Iterator[str]:
    """Yield the regular files below ``top``, without following links to folders.

    A folder that cannot be read is yielded with :data:`_UNREADABLE` after its name.
    """
    pending = [top]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError:
            yield folder + _UNREADABLE
            continue
        for entry in listed:
            if not hidden and entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                elif entry.is_file():
                    yield entry.path
            except OSError:
                yield entry.path


def _deep_glob(pattern: str) -> Iterator[str]:
    """Yield the regular files a pattern with ``**`` matches, walking without following links.

    The part before the first ``**`` names the folders to walk (itself a
    pattern, matched with :mod:`glob`); the rest is matched against each
    file's path below them, ``**`` standing for any number of folders. As
    :mod:`glob` does for ``**``, files and folders whose names begin with a
    dot are left out.
    """
    import glob  # noqa: PLC0415

    parts = pattern.split("/")
    deep = next(i for i, part in enumerate(parts) if "**" in part)
    head = "/".join(parts[:deep]) or ("/" if pattern.startswith("/") else ".")
    rest = re.compile(_translate(parts[deep:]), re.DOTALL)
    roots = glob.glob(head) if is_pattern(head) else [head]  # noqa: PTH207
    for root in roots:
        if not _is_dir(root):
            continue
        for path in _walk(root, hidden=False):
            if path.endswith(_UNREADABLE):
                yield path.removesuffix(_UNREADABLE)
                continue
            relative = os.path.relpath(path, root).replace(os.sep, "/")
            if rest.fullmatch(relative):
                yield path if head != "." or pattern.startswith("./") else relative


def _translate(parts: Sequence[str]) -> str:
    """Translate the folders-and-name parts of a glob into a regular expression."""
    pieces = []
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            pieces.append(".*" if last else "(?:[^/]*/)*")
            continue
        text = "".join(_translate_char(char) for char in re.findall(r"\[[^\]]*\]|.", part))
        pieces.append(text if last else text + "/")
    return "".join(pieces)


def _translate_char(token: str) -> str:
    if token == "*":
        return "[^/]*"
    if token == "?":
        return "[^/]"
    if len(token) > 2 and token.startswith("["):
        inner = token[1:-1]
        negated = inner.startswith("!")
        inner = inner[1:] if negated else inner
        return f"[{'^' if negated else ''}{inner.replace(chr(92), chr(92) * 2)}]"
    return re.escape(token)


def load(options: Options) -> Host | Cluster:
    """Read the inventory the options name, or stop: 2 for an unknown example, 3 for a bad input."""
    if options.example is not None:
        return parse_inventory(example_text_or_exit(options.example))
    source = options.operands[0]
    data = b""
    try:
        data = read_source(source)
        return _inventory(data)
    except InventoryError as exc:
        located = with_positions(exc, data) if data else exc
        raise InputError(source, "not a valid inventory:", *problem_lines(located)) from None


def read_source(source: str, limit: int | None = None) -> bytes:
    """Read a file, or standard input for ``-``, no further than ``limit`` bytes.

    The limit is the inventory size limit unless one is given.
    """
    if limit is None:
        limit = DEFAULT_LIMITS.max_bytes
    try:
        if source == "-":
            return read_at_most(sys.stdin.buffer, limit)
        with open_regular(source) as file:
            return read_at_most(file, limit)
    except (OSError, ValueError) as exc:  # ValueError: a path with a NUL character
        if isinstance(exc, InventoryError):
            raise
        raise unreadable(source, exc) from None


def unreadable(source: str, exc: BaseException) -> InputError:
    """Return the error of an input that could not be opened or read (exit status 3)."""
    reason = getattr(exc, "strerror", None) or str(exc) or exc.__class__.__name__
    return InputError(source, f"cannot read {source!r}: {reason}", unreadable=True)


#: What each kind of file that is not a regular one is called in a message.
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a pipe (FIFO); give '-' to read standard input"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def open_regular(source: str) -> BinaryIO:
    """Open a regular file for reading, or raise :class:`OSError` saying what it is instead.

    Opened without waiting (``O_NONBLOCK``), so that a pipe with no writer is
    refused at once rather than waited on for ever; nothing that is not a
    regular file is read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(source, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
            raise OSError(errno.EINVAL, f"not a regular file: {kind}")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def write_files(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write each file whole or not at all, together (see :mod:`hyperv_backup._base.files`)."""
    try:
        write_atomically(files)
    except (OSError, ValueError) as exc:  # ValueError: a path with a NUL character
        reason = getattr(exc, "strerror", None) or str(exc)
        where = getattr(exc, "filename", None) or files[0][0]
        msg = f"cannot write {str(where)!r}: {reason}; no file was changed"
        raise usage_error(msg) from None


#: The limits of a collector document read as an inventory: it carries command output,
#: up to what its readers take (10 MiB, ``readers.MAX_TEXT_LENGTH``); each string that
#: goes into the inventory is held to the inventory's own limit.
_DOCUMENT_LIMITS = InventoryLimits(max_string=10 * 1024 * 1024)


def _inventory(data: bytes) -> Host | Cluster:
    """Read an inventory, or the document ``host.ps1`` printed (found by its ``collector``).

    An inventory is read straight from the bytes, as fast as the library reads
    one. A ``collector`` key is no field of an inventory, so only a document
    refused as one can be a collector's: it is parsed again to tell, and then
    held to the limits of collector documents.
    """
    try:
        return parse_inventory(data)
    except InventoryError:
        # A flaw of the JSON itself is raised here again, in the same words.
        document = load_document(data, checked=False)
        if collector_kind(document) is None:
            raise
    check_limits(document, _DOCUMENT_LIMITS)
    # Only a collector document needs the collect package, which takes a while to import.
    from hyperv_backup.collect import from_documents  # noqa: PLC0415

    return from_documents([document])


def is_inventory(source: str) -> bool:
    """Whether the file ``source`` holds an inventory (or a collector's document), by its ``kind``.

    For the message of a command given one where it wants something else;
    a file that cannot be read as JSON is none.
    """
    if source in {"-", "<stdin>"}:
        return False
    try:
        document = load_document(read_source(source), checked=False)
    except (Exit, InventoryError):
        return False
    return isinstance(document, dict) and (
        document.get("kind") in {"host", "cluster"} or collector_kind(document) is not None
    )


def describe(target: Host | Cluster) -> str:
    return f"{'cluster' if isinstance(target, Cluster) else 'host'} {target.name}"


def target_meta(target: Host | Cluster) -> dict[str, str]:
    return {"kind": "cluster" if isinstance(target, Cluster) else "host", "name": target.name}


def resolve_host(target: Host | Cluster, node: str) -> Host:
    """Return the host of ``target`` that ``node`` names, or stop with the library's own error."""
    from hyperv_backup.decide.targets import resolve_node  # noqa: PLC0415 - see cli.plan

    try:
        host = resolve_node(target, node)
    except HypervBackupError as exc:
        raise usage_error(str(exc)) from None
    assert host is not None  # noqa: S101 - a node was named
    return host


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


def _is_terminal(stream: TextIO | None) -> bool:
    isatty = getattr(stream, "isatty", None)
    return callable(isatty) and bool(isatty())


def _set(name: str) -> bool:
    """Whether the environment variable ``name`` is set to something other than the empty string."""
    return bool(os.environ.get(name))


def use_color(options: Options, stream: TextIO | None) -> bool:
    """Whether text written to ``stream`` (``None``: a file of ``-o``) is coloured.

    ``--color always`` and ``never`` are taken as they are: an option given
    for one run goes before the environment. ``auto``, the default, colours
    on a terminal, never when ``NO_COLOR`` is set to anything but the empty
    string (https://no-color.org) or ``TERM`` is ``dumb``; ``FORCE_COLOR``
    (not empty) colours whatever the output is, unless ``NO_COLOR`` says
    otherwise. A Windows console shows escape sequences as text until it is
    told to take them (its VT mode): where it cannot be, ``auto`` does not
    colour.
    """
    choice = options.color
    if choice is Color.NEVER or (choice is Color.AUTO and _set("NO_COLOR")):
        return False
    forced = choice is Color.ALWAYS or _set("FORCE_COLOR")
    if not forced and (os.environ.get("TERM") == "dumb" or not _is_terminal(stream)):
        return False
    return _takes_ansi(stream) or forced


#: The console mode that makes a Windows console read escape sequences as colours.
ENABLE_VIRTUAL_TERMINAL_PROCESSING = 0x0004


def console_vt(get_mode: Callable[[], int | None], set_mode: Callable[[int], bool]) -> bool:
    """Turn a Windows console's VT mode on, if it is not; return whether it is on.

    ``get_mode`` returns the console's mode (``None``: not a console),
    ``set_mode`` sets it and says whether it could. Consoles before Windows
    10 do not take the mode: they refuse it.
    """
    mode = get_mode()
    if mode is None:
        return False
    if mode & ENABLE_VIRTUAL_TERMINAL_PROCESSING:
        return True
    return set_mode(mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING)


def _takes_ansi(stream: TextIO | None) -> bool:
    """Whether ``stream`` shows escape sequences as colours: always, but on a Windows console not in VT mode."""
    if sys.platform == "win32":
        modes = _console_modes(stream)
        return modes is not None and console_vt(*modes)
    return True


def _console_modes(
    stream: TextIO | None,
) -> tuple[Callable[[], int | None], Callable[[int], bool]] | None:
    """Return the functions that get and set the mode of the console behind ``stream``, on Windows."""
    if sys.platform == "win32":  # pragma: no cover - a Windows console only
        import ctypes  # noqa: PLC0415
        import msvcrt  # noqa: PLC0415

        try:
            handle = msvcrt.get_osfhandle(stream.fileno()) if stream is not None else -1
            kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        except (AttributeError, OSError, ValueError):
            return None

        def get_mode() -> int | None:
            mode = ctypes.c_uint32()
            return mode.value if kernel32.GetConsoleMode(handle, ctypes.byref(mode)) else None

        def set_mode(mode: int) -> bool:
            return bool(kernel32.SetConsoleMode(handle, mode))

        return get_mode, set_mode
    return None


def _text_width(stream: TextIO | None) -> int:
    if not _is_terminal(stream):
        return 80
    import shutil  # noqa: PLC0415 - only a terminal needs its size

    return max(60, min(shutil.get_terminal_size((80, 24)).columns, 120))


def write(text: str, fmt: Format, output: str | None = None) -> None:
    """Write ``text`` to standard output, or to the file ``output`` (UTF-8, whole or not at all)."""
    if fmt is Format.HTML:
        # Character references keep the page right whatever the encoding it is saved in.
        text = text.encode("ascii", "xmlcharrefreplace").decode("ascii")
    if output is not None:
        write_file(output, text)
        return
    stream = sys.stdout
    if fmt is not Format.HTML:
        encoding = getattr(stream, "encoding", None) or "utf-8"
        # JSON is written ASCII-only (with \u escapes), so only text can need this.
        try:
            text.encode(encoding)
        except UnicodeEncodeError:
            text = text.encode(encoding, "backslashreplace").decode(encoding)
        except LookupError:  # pragma: no cover - a stream naming an unknown codec
            pass
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        # The reader went away (``| head -1``): what it did not read is no
        # failure, and the command still exits with the status its findings call for.
        silence_stdout()
    except OSError as exc:
        _not_written(exc)


def _not_written(exc: OSError) -> NoReturn:
    """Stop with a usage error: standard output could not be written (a full disk, a device)."""
    silence_stdout()
    msg = f"cannot write to standard output: {exc.strerror or exc}"
    raise usage_error(msg) from None


def write_file(output: str, text: str | bytes) -> None:
    """Write the file of ``-o``: UTF-8 text (or the bytes as they are), in place at once or not at all.

    A lone surrogate, which UTF-8 cannot hold, is written as its escape.
    """
    data = text if isinstance(text, bytes) else text.encode("utf-8", "backslashreplace")
    write_files([(Path(output), data)])


def write_utf8(text: str, output: str | None = None) -> None:
    """Write ``text`` to standard output as UTF-8, whatever its encoding: for formats that require it."""
    if output is not None:
        write_file(output, text)
        return
    stream = sys.stdout
    try:
        stream.flush()
        binary = getattr(stream, "buffer", None)
        if binary is None:  # a text stream with no bytes beneath (io.StringIO)
            stream.write(text)
        else:
            binary.write(text.encode("utf-8", "backslashreplace"))
            binary.flush()
        stream.flush()
    except BrokenPipeError:
        silence_stdout()
    except OSError as exc:
        _not_written(exc)


def note_problems(options: Options, source: str, problems: Sequence[str]) -> None:
    """Say on standard error why an input could not be read, whatever the report says of it."""
    label = "<stdin>" if source == "-" else source
    first, *rest = problems or ("cannot be read",)
    lines = [f"{PROG} {options.command.value}: error: {label}: {first}", *rest]
    for line in lines:
        print(clean_text(line), file=sys.stderr)


def silence_stdout() -> None:
    """Point standard output at the null device, so that flushing it at exit cannot fail again."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


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
    # Said as what the exit status does: "Fails on: never" read as "the backup never fails".
    notes = [gate_note(options.fail_on.threshold)]
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
    return [answered_by(labels)] if labels else []


def unique_labels(profiles: Iterable[Profile]) -> list[str]:
    """Return the labels of the profiles that state outcomes among ``profiles``, once each."""
    return list(dict.fromkeys(p.label for p in profiles if p.states_outcomes))


def profile_meta(target: Host | Cluster, options: Options) -> dict[str, object]:
    """Return the JSON key naming each host's profile, when one is of 2012 or later."""
    answering = answering_profiles(target, options)
    if not any(p.states_outcomes for p in answering.values()):
        return {}
    return {"profiles": {name: p.value for name, p in answering.items()}}


def policy_meta(options: Options, status: int) -> dict[str, object]:
    return {
        "policy": {"fail_on": options.fail_on.value, "ignore": sorted(options.ignore)},
        "failed": status == EXIT_FINDINGS,
    }


#: Renders a result in the legacy way: ``(format, colour, text width) -> output``.
LegacyRender = Callable[[Format, bool, int], str]


def made_at() -> datetime:
    """Return when a report is made: now, or ``SOURCE_DATE_EPOCH`` when it is set.

    A build that must give the same bytes twice sets ``SOURCE_DATE_EPOCH``
    (seconds since 1970, UTC), as reproducible builds do.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def base_frame(
    options: Options,
    *,
    inputs: Sequence[str] = (),
    made: datetime | None = None,
) -> Frame:
    """Return the frame every report of this run starts from: colour, width, what it is made of.

    The title, notes, meta and ``collected_at`` are the command's to fill in.
    """
    stream = None if options.output is not None else sys.stdout
    text = options.report is None and options.format is Format.TEXT
    return Frame(
        title="",
        color=text and use_color(options, stream),
        width=_text_width(stream),
        fails_at=options.fail_on.threshold,
        summary=options.summary,
        made_at=made or made_at(),
        inputs=tuple(inputs),
    )


def sources(options: Options) -> tuple[str, ...]:
    """Return the input of a command of one inventory, as a report names it."""
    if options.example is not None:
        return (f"example:{options.example}",)
    return tuple(options.operands[:1])


class Evaluation(Protocol):
    """Evaluates one inventory for a command: its findings, exit status and report in ``fmt``."""

    def __call__(
        self, options: Options, target: Host | Cluster, fmt: Format | None, base: Frame
    ) -> tuple[tuple[Finding, ...], int, str]: ...


def report_one(options: Options, title: str, evaluate: Evaluation) -> int:
    """Evaluate the one inventory the options name, write its report, and return its status."""
    target = load(options)
    base = base_frame(options, inputs=sources(options))
    _, status, text = evaluate(options, target, options.format, base)
    publish(options, text, f"{title} for {describe(target)}")
    return status


def publish(options: Options, text: str, title: str) -> None:
    """Write a rendered report where the options say: an HTML fragment as a whole page."""
    fmt = options.format
    if fmt is Format.HTML:
        from hyperv_backup.render import html_page  # noqa: PLC0415 - only HTML needs it

        text = html_page(title, text)
    write(text, fmt, options.output)


def render(options: Options, frame: Frame, draw: Callable[[Renderer[Any], Frame], str]) -> None:
    """Render a result in the options' format, in ``frame``, and write it."""
    from hyperv_backup.render import renderer  # noqa: PLC0415 - see cli.main

    publish(options, draw(renderer(options.format), frame), frame.title)


def output(options: Options, title: str, draw: LegacyRender) -> None:
    """Render and write a result by a function of its format, colour and width."""
    stream = None if options.output is not None else sys.stdout
    fmt = options.format
    color = fmt is Format.TEXT and use_color(options, stream)
    publish(options, draw(fmt, color, _text_width(stream)), title)
