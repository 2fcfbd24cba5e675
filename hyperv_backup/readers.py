r"""Readers for the text that ``vssadmin`` and ``diskpart`` print.

Administrators often have the output of ``vssadmin list writers``,
``vssadmin list shadowstorage``, ``diskpart list disk`` and ``diskpart list
volume`` at hand already. Each reader here takes that text as it was captured
and returns a tuple of frozen records, one per writer, association, disk or
volume, in the order printed.

The readers anchor on what does not change with the display language: the
``{GUID}`` ids and ``[n]`` state numbers of vssadmin, its ``\\?\Volume{GUID}\``
paths, and the dashes row under a diskpart table header, whose runs of dashes
give the column positions. Labels and header words are never compared, so
localized output reads the same as English output. Banners, command prompts,
``Waiting for responses`` notes, blank lines, CRLF line ends and trailing
blanks are skipped.

Reading is strict where it matters: a record that begins but cannot be read to
its end, and text that holds no record of the command at all, raise
:class:`~hyperv_backup.inventory.InventoryError` whose problem path names the
line (``"line 12"``) and whose message says what was expected there. The one
exception is a record interrupted by an elision marker such as ``...`` or
``<... more ...>``: its author cut it short, so it is left out, with the rest
of its lines (for ``vssadmin list shadowstorage``, up to the next blank line).
The command's own answer that there is nothing to list gives an empty tuple.

>>> writers = vssadmin_writers('''
... Writer name: 'Microsoft Hyper-V VSS Writer'
...    Writer Id: {66841cd4-6ded-4f4b-8f17-fd23f8ddc3de}
...    Writer Instance Id: {6162e336-7448-4371-93a7-29581512b103}
...    State: [1] Stable
...    Last error: No error
... ''')
>>> hyperv_writer(writers).state
1
>>> vssadmin_writers("Writer name: 'System Writer'\n   Writer Id: (none)")
Traceback (most recent call last):
...
hyperv_backup.inventory.InventoryError: line 2: expected the writer id of writer 'System Writer' as a {GUID}, found 'Writer Id: (none)'

Every reader runs in time linear in the length of the text and refuses text
longer than :data:`MAX_TEXT_LENGTH` characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import attrs

from hyperv_backup.inventory import InventoryError, Problem
from hyperv_backup.model import ModelError, safe_repr

__all__ = [
    "HYPERV_WRITER_ID",
    "MAX_TEXT_LENGTH",
    "DiskpartDisk",
    "DiskpartVolume",
    "ShadowStorage",
    "VssWriter",
    "diskpart_disks",
    "diskpart_volumes",
    "hyperv_writer",
    "vssadmin_shadow_storage",
    "vssadmin_writers",
]

#: The writer id of the Hyper-V VSS writer, the same on every host and language.
HYPERV_WRITER_ID = "66841cd4-6ded-4f4b-8f17-fd23f8ddc3de"

#: The longest text, in characters, that the readers accept (10 MiB). Real
#: listings are a few kilobytes; anything far larger is not one of them.
MAX_TEXT_LENGTH = 10 * 1024 * 1024


# --- records ---------------------------------------------------------------------------


def _check(ok: bool, field: str, value: object, reason: str) -> None:
    if not ok:
        raise ModelError(field, value, f"{reason}, got {safe_repr(value)}")


def _check_str(value: object, field: str) -> None:
    _check(isinstance(value, str), field, value, "expected a string")


def _check_number(value: object, field: str) -> None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    _check(ok, field, value, "expected a whole number of 0 or more")


def _check_flag(value: object, field: str) -> None:
    _check(type(value) is bool, field, value, "expected true or false")


_GUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_LOWER_GUID = re.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _check_guid(value: object, field: str) -> None:
    ok = isinstance(value, str) and _LOWER_GUID.fullmatch(value) is not None
    _check(ok, field, value, "expected a lower-case GUID without braces")


@attrs.frozen(kw_only=True)
class VssWriter:
    """One writer of ``vssadmin list writers``.

    ``writer_id`` names the kind of writer (the same on every host);
    ``instance_id`` names this running instance. Both are lower-case GUIDs
    without braces. ``state`` is the number vssadmin prints in brackets (a
    ``VSS_WRITER_STATE``: 1 is stable, 6 to 15 are failures); ``last_error`` is
    the text after the last label, as printed and in the display language.
    """

    name: str
    writer_id: str
    instance_id: str
    state: int
    last_error: str

    def __attrs_post_init__(self) -> None:
        _check_str(self.name, "name")
        _check_guid(self.writer_id, "writer_id")
        _check_guid(self.instance_id, "instance_id")
        _check_number(self.state, "state")
        _check_str(self.last_error, "last_error")


@attrs.frozen(kw_only=True)
class ShadowStorage:
    r"""One association of ``vssadmin list shadowstorage``.

    ``for_volume`` is the volume whose shadow copies are kept, and
    ``storage_volume`` the volume that holds them: each is the drive (``"C:"``)
    where vssadmin prints one in parentheses, else the ``\\?\Volume{GUID}\``
    path as printed. The two differ when the shadow copies live on another
    volume. ``used``, ``allocated`` and ``maximum`` are the sizes as printed,
    with any share of the volume (``"2.06 GB (1%)"``, ``"UNBOUNDED (100%)"``).
    """

    for_volume: str
    storage_volume: str
    used: str
    allocated: str
    maximum: str

    def __attrs_post_init__(self) -> None:
        for field in ("for_volume", "storage_volume", "used", "allocated", "maximum"):
            value = getattr(self, field)
            _check_str(value, field)
            _check(bool(value), field, value, "expected a non-empty string")


@attrs.frozen(kw_only=True)
class DiskpartDisk:
    """One row of ``diskpart list disk``.

    ``status``, ``size`` and ``free`` are as printed (``"Online"``,
    ``"298 GB"``, ``"0 B"``); ``dynamic`` and ``gpt`` say whether the Dyn and
    Gpt columns hold ``*``.
    """

    number: int
    status: str
    size: str
    free: str
    dynamic: bool
    gpt: bool

    def __attrs_post_init__(self) -> None:
        _check_number(self.number, "number")
        for field in ("status", "size", "free"):
            _check_str(getattr(self, field), field)
        _check_flag(self.dynamic, "dynamic")
        _check_flag(self.gpt, "gpt")


@attrs.frozen(kw_only=True)
class DiskpartVolume:
    """One row of ``diskpart list volume`` (or of the volume table of ``detail disk``).

    ``letter`` is the drive letter as printed (``"C"``) or ``None``;
    ``file_system`` is ``None`` where the Fs column is blank (a drive without
    media, a raw volume). ``label``, ``status`` and ``info`` are ``""`` when
    blank; every other value is as printed.
    """

    number: int
    letter: str | None
    label: str
    file_system: str | None
    type: str
    size: str
    status: str
    info: str

    def __attrs_post_init__(self) -> None:
        _check_number(self.number, "number")
        if self.letter is not None:
            _check_str(self.letter, "letter")
            ok = _is_drive_letter(self.letter)
            _check(ok, "letter", self.letter, "expected one letter A to Z or None")
        if self.file_system is not None:
            _check_str(self.file_system, "file_system")
        for field in ("label", "type", "size", "status", "info"):
            _check_str(getattr(self, field), field)


def hyperv_writer(writers: Iterable[VssWriter]) -> VssWriter | None:
    """Return the Hyper-V VSS writer among ``writers``, found by its writer id, or ``None``.

    >>> hyperv_writer([]) is None
    True
    """
    return next((w for w in writers if w.writer_id == HYPERV_WRITER_ID), None)


# --- lines and errors ------------------------------------------------------------------

#: How much of a line an error message quotes.
_SHOWN = 60


def _shown(text: str) -> str:
    text = text.strip()
    if len(text) <= _SHOWN:
        return repr(text)
    return f"{text[:_SHOWN]!r}... ({len(text)} characters)"


def _error(number: int, message: str) -> InventoryError:
    return InventoryError([Problem(f"line {number}", message)])


def _lines(text: str) -> list[str]:
    """Split ``text`` into lines without their ends or trailing blanks; refuse oversized text."""
    if not isinstance(text, str):
        # A programming error, not bad input: the readers take decoded text.
        raise TypeError(f"expected the text as a str, got {type(text).__name__}")
    if len(text) > MAX_TEXT_LENGTH:
        number = text.count("\n", 0, MAX_TEXT_LENGTH) + 1
        raise _error(
            number,
            f"the text is longer than {MAX_TEXT_LENGTH} characters, the most these "
            "readers accept; a real listing is far shorter",
        )
    text = text.removeprefix("\ufeff")
    # Only "\n" ends a line, so that line numbers match an editor's; a CR before
    # it (or two, as some captures of cmd.exe have) goes with the trailing blanks.
    return [line.rstrip() for line in text.split("\n")]


def _first_line(lines: list[str]) -> int:
    return next((n for n, line in enumerate(lines, 1) if line.strip()), 1)


#: A command prompt: cmd.exe (``C:\Windows\system32>``), PowerShell (``PS C:\>``), diskpart.
_PROMPT = re.compile(r"(?:PS\s+)?[A-Za-z]:\\[^>]*>|DISKPART>", re.IGNORECASE)

_ELLIPSES = ("...", "\u2026")
_BRACKETS = ("<>", "[]", "()")


def _is_elision(stripped: str) -> bool:
    """Whether a line marks text its author left out: ``...``, ``…``, ``<... more ...>``."""
    inner = stripped
    if len(inner) >= 2 and inner[0] + inner[-1] in _BRACKETS:
        inner = inner[1:-1].strip()
    return inner.startswith(_ELLIPSES)


def _value(stripped: str) -> str | None:
    """Return the text after the first colon of a ``label: value`` line, or ``None``.

    The label itself is not read: it is in the display language (French
    output puts a space before the colon).
    """
    label, colon, value = stripped.partition(":")
    if not colon or not label.strip():
        return None
    return value.strip()


# --- vssadmin --------------------------------------------------------------------------

_BRACED_GUID = re.compile(rf"\{{({_GUID})\}}|({_GUID})")
_STATE = re.compile(r"\[([0-9]{1,9})\].*")
_BANNER = re.compile(r"vssadmin\s+[0-9]+\.[0-9]+(?:\s|$)", re.IGNORECASE)
_VOLUME_PATH = re.compile(rf"\\\\\?\\Volume\{{{_GUID}\}}\\", re.IGNORECASE)
_PATH_PREFIX = "\\\\?\\"
_DRIVE = re.compile(r"\(([A-Za-z]:)\)")
_SHARE = re.compile("[0-9]{1,3}%")

#: vssadmin's answer when nothing matches, as its English message table words it.
_NOTHING_FOUND = frozenset({"no items found that satisfy the query."})
#: The English note ``list writers`` may print before the first writer.
_WAITING = frozenset(
    {"waiting for responses.", "these may be delayed if a shadow copy is being prepared."}
)

_WRITER_FIELDS = ("writer id", "writer instance id", "state", "last error")
_STORAGE_SIZES = ("used", "allocated", "maximum")


def _guid(value: str) -> str | None:
    """Return ``value`` as a lower-case GUID without braces, or ``None`` if it is not one.

    The one reading of a GUID in this package: :mod:`hyperv_backup.collect`
    compares VM, resource and service ids through it too.

    >>> _guid("{66841CD4-6DED-4F4B-8F17-FD23F8DDC3DE}"), _guid("66841cd4"), _guid(" x")
    ('66841cd4-6ded-4f4b-8f17-fd23f8ddc3de', None, None)
    """
    match = _BRACED_GUID.fullmatch(value)
    if match is None:
        return None
    return (match.group(1) or match.group(2)).lower()


def _quoted(stripped: str) -> str | None:
    """Return the name of a ``label: 'name'`` line, the first line of a writer record."""
    value = _value(stripped)
    if value is None or len(value) < 2 or value[0] != "'" or value[-1] != "'":
        return None
    return value[1:-1]


@attrs.define
class _WriterDraft:
    start: int
    name: str
    ids: list[str] = attrs.Factory(list)
    state: int | None = None


@attrs.define
class _WriterReader:
    """Reads writer records line by line; one pass, no look-ahead."""

    records: list[VssWriter] = attrs.Factory(list)
    draft: _WriterDraft | None = None
    after_elision: bool = False

    def feed(self, number: int, stripped: str) -> None:
        if not stripped:
            return
        if _is_elision(stripped):
            self.draft = None
            self.after_elision = True
        elif self.draft is None:
            self._begin(number, stripped)
        else:
            self._continue(self.draft, number, stripped)

    def _begin(self, number: int, stripped: str) -> None:
        name = _quoted(stripped)
        if name is not None:
            self.draft = _WriterDraft(number, name)
            self.after_elision = False
            return
        value = _value(stripped)
        # An id or a state without its writer's name line means a damaged record,
        # unless an elision just cut that record's head off.
        if (
            value is not None
            and not self.after_elision
            and (_guid(value) is not None or _STATE.fullmatch(value) is not None)
        ):
            raise _error(
                number,
                f"found {_shown(stripped)} outside a writer record; expected the "
                "writer's name line (such as \"Writer name: '<name>'\") before it",
            )

    def _continue(self, draft: _WriterDraft, number: int, stripped: str) -> None:
        field = _WRITER_FIELDS[len(draft.ids) + (draft.state is not None)]
        value = _value(stripped)
        if value is None or _quoted(stripped) is not None:
            raise _error(
                number,
                f"expected the {field} of writer {_shown(draft.name)} as 'label: value', "
                f"found {_shown(stripped)}",
            )
        if len(draft.ids) < 2:
            guid = _guid(value)
            if guid is None:
                raise _error(
                    number,
                    f"expected the {field} of writer {_shown(draft.name)} as a {{GUID}}, "
                    f"found {_shown(stripped)}",
                )
            draft.ids.append(guid)
        elif draft.state is None:
            state = _STATE.fullmatch(value)
            if state is None:
                raise _error(
                    number,
                    f"expected the state of writer {_shown(draft.name)} as a number in "
                    f"brackets such as '[1] Stable', found {_shown(stripped)}",
                )
            draft.state = int(state.group(1))
        else:
            if not value or _guid(value) is not None or _STATE.fullmatch(value) is not None:
                raise _error(
                    number,
                    f"expected the last error of writer {_shown(draft.name)} (such as "
                    f"'No error'), found {_shown(stripped)}",
                )
            self.records.append(
                VssWriter(
                    name=draft.name,
                    writer_id=draft.ids[0],
                    instance_id=draft.ids[1],
                    state=draft.state,
                    last_error=value,
                )
            )
            self.draft = None

    def finish(self) -> None:
        draft = self.draft
        if draft is not None:
            field = _WRITER_FIELDS[len(draft.ids) + (draft.state is not None)]
            raise _error(
                draft.start,
                f"the text ends inside the record of writer {_shown(draft.name)} that begins "
                f"here: its {field} is missing",
            )


def _volume_paths(stripped: str) -> tuple[list[str], bool]:
    """Return the volumes a line names (each its drive, else its path) and whether one is cut."""
    names = []
    for match in _VOLUME_PATH.finditer(stripped):
        start = match.start()
        drive = _DRIVE.fullmatch(stripped, start - 4, start) if start >= 4 else None
        names.append(drive.group(1) if drive else match.group(0))
    return names, stripped.count(_PATH_PREFIX) > len(names)


def _is_size(value: str) -> bool:
    """Whether ``value`` reads as a size: ``1.335 GB``, ``2,06 Go (1 %)``, ``UNBOUNDED (100%)``."""
    core = value
    if core.endswith(")"):
        opening = core.rfind("(")
        if opening < 0 or not _SHARE.fullmatch("".join(core[opening + 1 : -1].split())):
            return False
        core = core[:opening].strip()
    # The one word vssadmin prints for a size, UNBOUNDED, is in capitals.
    return 0 < len(core) <= 40 and (core[0] in "0123456789" or (core.isalpha() and core.isupper()))


@attrs.define
class _StorageDraft:
    start: int
    for_volume: str
    storage_volume: str | None = None
    sizes: list[str] = attrs.Factory(list)


@attrs.define
class _StorageReader:
    """Reads shadow storage associations line by line; one pass, no look-ahead."""

    records: list[ShadowStorage] = attrs.Factory(list)
    draft: _StorageDraft | None = None
    #: After an elision: the rest of the cut association, up to the blank line
    #: that separates associations, is skipped. Its storage volume line would
    #: otherwise look like the start of a new association.
    skipping: bool = False

    def feed(self, number: int, stripped: str) -> None:
        if not stripped:
            self.skipping = False
            return
        if _is_elision(stripped):
            self.draft = None
            self.skipping = True
            return
        if self.skipping:
            return
        names, cut = _volume_paths(stripped)
        draft = self.draft
        if draft is None and not names:
            return
        if cut:
            raise _error(
                number,
                f"a volume path in {_shown(stripped)} is cut off or is not a "
                "\\\\?\\Volume{GUID}\\ path",
            )
        if draft is None:
            if len(names) > 2:
                raise _error(
                    number, f"expected at most two volumes on one line, found {len(names)}"
                )
            self.draft = _StorageDraft(number, names[0], names[1] if len(names) == 2 else None)
        elif draft.storage_volume is None:
            if len(names) != 1:
                raise _error(
                    number,
                    f"expected the shadow copy storage volume of '{draft.for_volume}' "
                    f"(a \\\\?\\Volume{{GUID}}\\ path), found {_shown(stripped)}",
                )
            draft.storage_volume = names[0]
        else:
            self._size(draft, number, stripped, names)

    def _size(self, draft: _StorageDraft, number: int, stripped: str, names: list[str]) -> None:
        which = _STORAGE_SIZES[len(draft.sizes)]
        value = _value(stripped)
        if names or value is None or not _is_size(value):
            raise _error(
                number,
                f"expected the {which} shadow copy storage space of '{draft.for_volume}' "
                f"as 'label: size' (such as '1.335 GB'), found {_shown(stripped)}",
            )
        draft.sizes.append(value)
        if len(draft.sizes) == len(_STORAGE_SIZES) and draft.storage_volume is not None:
            used, allocated, maximum = draft.sizes
            self.records.append(
                ShadowStorage(
                    for_volume=draft.for_volume,
                    storage_volume=draft.storage_volume,
                    used=used,
                    allocated=allocated,
                    maximum=maximum,
                )
            )
            self.draft = None

    def finish(self) -> None:
        draft = self.draft
        if draft is not None:
            missing = (
                "storage volume"
                if draft.storage_volume is None
                else f"{_STORAGE_SIZES[len(draft.sizes)]} space"
            )
            raise _error(
                draft.start,
                f"the text ends inside the association of '{draft.for_volume}' that "
                f"begins here: its shadow copy {missing} is missing",
            )


def _vssadmin_nothing_listed(lines: list[str], command: str) -> tuple[()]:
    """Return ``()`` if ``lines`` are vssadmin's answer that nothing matched; raise otherwise.

    The English answer is recognised by its words. For other languages the
    wording is not assumed: the text passes only if, after the vssadmin
    banner, it holds exactly one message, a sentence without a colon (error
    messages start with a label and a colon, as in ``Error: ...``), and
    nothing else.
    """
    banner = 0
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.casefold() in _NOTHING_FOUND:
            return ()
        if not banner and _BANNER.match(stripped):
            banner = number
    if not banner:
        raise _error(
            _first_line(lines),
            f"expected the output of {command}; found none of its records and no vssadmin banner",
        )
    messages = []
    for number in range(banner + 1, len(lines) + 1):
        stripped = lines[number - 1].strip()
        copyright_line = number == banner + 1 and stripped[:3].upper() == "(C)"
        if (
            stripped
            and not copyright_line
            and not _PROMPT.match(stripped)
            and stripped.casefold() not in _WAITING
        ):
            messages.append((number, stripped))
    if len(messages) == 1 and ":" not in messages[0][1] and messages[0][1].endswith("."):
        return ()
    if not messages:
        raise _error(banner, f"vssadmin printed nothing after its banner; expected {command}")
    number, stripped = messages[0]
    raise _error(
        number,
        f"expected the records of {command}, or vssadmin's one-line answer that "
        f"nothing matched, found {_shown(stripped)}",
    )


def vssadmin_writers(text: str) -> tuple[VssWriter, ...]:
    """Read the writers from the output of ``vssadmin list writers``.

    Each record is five lines: the writer name in single quotes, the writer
    id and the instance id as ``{GUID}``, the state as ``[n] text`` and the
    last error, each after a label and a colon. Lines outside records are
    skipped. vssadmin's answer that no writer matched gives ``()``.

    Raises :class:`~hyperv_backup.inventory.InventoryError` naming the line
    where a record cannot be read, or the first line of text that is not this
    command's output.
    """
    lines = _lines(text)
    reader = _WriterReader()
    for number, line in enumerate(lines, 1):
        reader.feed(number, line.strip())
    reader.finish()
    if reader.records:
        return tuple(reader.records)
    return _vssadmin_nothing_listed(lines, "'vssadmin list writers'")


def vssadmin_shadow_storage(text: str) -> tuple[ShadowStorage, ...]:
    r"""Read the associations from the output of ``vssadmin list shadowstorage``.

    An association starts at the line naming its volume (``(C:)\\?\Volume{GUID}\``);
    the next volume path, on the same line or the next, is its storage
    volume, and the three ``label: size`` lines after it are the used,
    allocated and maximum space. Lines outside associations, such as their
    heading, are skipped. An elision marker drops the association it cuts and
    every line after it up to the next blank line, which is what separates
    associations. vssadmin's answer that nothing matched gives ``()``.

    Raises :class:`~hyperv_backup.inventory.InventoryError` naming the line
    where an association cannot be read, or the first line of text that is
    not this command's output.
    """
    lines = _lines(text)
    reader = _StorageReader()
    for number, line in enumerate(lines, 1):
        reader.feed(number, line.strip())
    reader.finish()
    if reader.records:
        return tuple(reader.records)
    return _vssadmin_nothing_listed(lines, "'vssadmin list shadowstorage'")


# --- diskpart --------------------------------------------------------------------------

#: diskpart's answers when there is nothing to list, as its English messages word them.
_NO_DISKS = "there are no fixed disks to show."
_NO_VOLUMES = "there are no volumes."

_DASHES = re.compile("-+")
_NUMBER = re.compile("[0-9]{1,9}")
_DISK_COLUMNS = 6
_VOLUME_COLUMNS = 8


@attrs.frozen
class _Table:
    """A table under a dashes row: the row's line number, its column starts, its body lines."""

    dashes: int
    starts: tuple[int, ...]
    rows: tuple[tuple[int, str], ...]


def _is_dashes(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("-") and not stripped.strip("- ") and " " in stripped


def _tables(lines: list[str]) -> Iterator[_Table]:
    """Every table: a dashes row and the non-blank lines under it, up to a blank line or prompt."""
    index = 0
    while index < len(lines):
        if not _is_dashes(lines[index]):
            index += 1
            continue
        starts = tuple(m.start() for m in _DASHES.finditer(lines[index]))
        end = index + 1
        while end < len(lines):
            stripped = lines[end].strip()
            if not stripped or _PROMPT.match(stripped) or _is_dashes(lines[end]):
                break
            end += 1
        body = tuple((n + 1, lines[n]) for n in range(index + 1, end))
        yield _Table(index + 1, starts, body)
        index = end


def _cells(number: int, line: str, starts: tuple[int, ...]) -> list[str]:
    """Cut a row at the column starts; each column owns the gap after it.

    The first cell also takes the margin, where diskpart marks the selected
    disk or volume with ``*``.
    """
    for start in starts[1:]:
        if start < len(line) and not line[start - 1].isspace() and not line[start].isspace():
            raise _error(
                number,
                f"a value runs across the start of a column at position {start + 1}; "
                "the row does not line up with the dashes row above it",
            )
    bounds = [0, *starts[1:], len(line)]
    return [line[bounds[k] : bounds[k + 1]].strip() for k in range(len(starts))]


def _row_number(number: int, cell: str, what: str) -> int:
    label, _, digits = cell.removeprefix("*").strip().rpartition(" ")
    if not label.strip() or not _NUMBER.fullmatch(digits):
        raise _error(
            number,
            f"expected the {what} number at the end of the first column "
            f"(such as '{what.capitalize()} 0'), found {_shown(cell)}",
        )
    return int(digits)


def _is_drive_letter(value: str) -> bool:
    return len(value) == 1 and value.isascii() and value.isalpha()


def _require_size(number: int, value: str, column: str) -> None:
    if not value or value[0] not in "0123456789":
        raise _error(
            number,
            f"expected a size (such as '298 GB') in the {column} column, found {_shown(value)}",
        )


def _disk(number: int, line: str, starts: tuple[int, ...]) -> DiskpartDisk:
    cells = _cells(number, line, starts)
    disk = _row_number(number, cells[0], "disk")
    status, size, free, dynamic, gpt = cells[1:]
    if not status:
        raise _error(number, "expected the status of the disk in the Status column, found nothing")
    _require_size(number, size, "Size")
    _require_size(number, free, "Free")
    for column, flag in (("Dyn", dynamic), ("Gpt", gpt)):
        if flag not in ("", "*"):
            raise _error(
                number, f"expected '*' or nothing in the {column} column, found {_shown(flag)}"
            )
    return DiskpartDisk(
        number=disk, status=status, size=size, free=free, dynamic=dynamic == "*", gpt=gpt == "*"
    )


def _volume(number: int, line: str, starts: tuple[int, ...]) -> DiskpartVolume:
    cells = _cells(number, line, starts)
    volume = _row_number(number, cells[0], "volume")
    letter, label, file_system, kind, size, status, info = cells[1:]
    if letter and not _is_drive_letter(letter):
        raise _error(
            number, f"expected a drive letter or nothing in the Ltr column, found {_shown(letter)}"
        )
    if not kind:
        raise _error(number, "expected the type of the volume in the Type column, found nothing")
    _require_size(number, size, "Size")
    return DiskpartVolume(
        number=volume,
        letter=letter or None,
        label=label,
        file_system=file_system or None,
        type=kind,
        size=size,
        status=status,
        info=info,
    )


def _diskpart_rows(
    text: str, columns: int, command: str, nothing: str
) -> Iterator[tuple[int, str, tuple[int, ...]]]:
    """Yield each body row of the tables with ``columns`` columns; check there is at least one.

    Tables with another number of columns belong to other commands and are
    skipped, as are elided rows. With no table of the right width, the text
    must be diskpart's answer ``nothing``.
    """
    lines = _lines(text)
    others: list[_Table] = []
    found = False
    for table in _tables(lines):
        if len(table.starts) != columns:
            others.append(table)
            continue
        if not table.rows:
            raise _error(
                table.dashes, f"expected the rows of {command} under this dashes row, found none"
            )
        found = True
        rows = [(n, line) for n, line in table.rows if not _is_elision(line.strip())]
        for number, line in rows:
            yield number, line, table.starts
    if found or any(line.strip().casefold() == nothing for line in lines):
        return
    if others:
        raise _error(
            others[0].dashes,
            f"this table has {len(others[0].starts)} columns; {command} prints {columns}",
        )
    raise _error(
        _first_line(lines),
        f"expected the output of {command}: a header row, a row of dashes under it "
        f"with {columns} runs, and one row per item; found no such table",
    )


def diskpart_disks(text: str) -> tuple[DiskpartDisk, ...]:
    """Read the disks from the output of ``diskpart list disk``.

    The table is found by its dashes row of six runs (the header words are
    not read); each row gives a :class:`DiskpartDisk`. Other tables, such as
    the volume list of the same session, are skipped. diskpart's answer that
    there are no disks gives ``()``.

    Raises :class:`~hyperv_backup.inventory.InventoryError` naming the line of
    a row that cannot be read, or of text that is not this command's output.
    """
    return tuple(
        _disk(number, line, starts)
        for number, line, starts in _diskpart_rows(
            text, _DISK_COLUMNS, "'diskpart list disk'", _NO_DISKS
        )
    )


def diskpart_volumes(text: str) -> tuple[DiskpartVolume, ...]:
    """Read the volumes from the output of ``diskpart list volume`` (or ``detail disk``).

    The table is found by its dashes row of eight runs (the header words are
    not read); each row gives a :class:`DiskpartVolume`. Other tables, such as
    the disk list of the same session, are skipped. diskpart's answer that
    there are no volumes gives ``()``.

    Raises :class:`~hyperv_backup.inventory.InventoryError` naming the line of
    a row that cannot be read, or of text that is not this command's output.
    """
    return tuple(
        _volume(number, line, starts)
        for number, line, starts in _diskpart_rows(
            text, _VOLUME_COLUMNS, "'diskpart list volume'", _NO_VOLUMES
        )
    )
