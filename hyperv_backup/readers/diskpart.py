"""Reading ``diskpart`` ``list disk`` and ``list volume``: its disks and volumes."""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.readers._scan import (
    PROMPT,
    check,
    check_flag,
    check_number,
    check_str,
    error,
    first_line,
    is_drive_letter,
    is_elision,
    shown,
    split_lines,
)

__all__ = ["DiskpartDisk", "DiskpartVolume", "diskpart_disks", "diskpart_volumes"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


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
        check_number(self.number, "number")
        for field in ("status", "size", "free"):
            check_str(getattr(self, field), field)
        check_flag(self.dynamic, "dynamic")
        check_flag(self.gpt, "gpt")


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
        check_number(self.number, "number")
        if self.letter is not None:
            check_str(self.letter, "letter")
            ok = is_drive_letter(self.letter)
            check(ok, "letter", self.letter, "expected one letter A to Z or None")
        if self.file_system is not None:
            check_str(self.file_system, "file_system")
        for field in ("label", "type", "size", "status", "info"):
            check_str(getattr(self, field), field)


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
            if not stripped or PROMPT.match(stripped) or _is_dashes(lines[end]):
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
            raise error(
                number,
                f"a value runs across the start of a column at position {start + 1}; "
                "the row does not line up with the dashes row above it",
            )
    bounds = [0, *starts[1:], len(line)]
    return [line[bounds[k] : bounds[k + 1]].strip() for k in range(len(starts))]


def _row_number(number: int, cell: str, what: str) -> int:
    label, _, digits = cell.removeprefix("*").strip().rpartition(" ")
    if not label.strip() or not _NUMBER.fullmatch(digits):
        raise error(
            number,
            f"expected the {what} number at the end of the first column "
            f"(such as '{what.capitalize()} 0'), found {shown(cell)}",
        )
    return int(digits)


def _require_size(number: int, value: str, column: str) -> None:
    if not value or value[0] not in "0123456789":
        raise error(
            number,
            f"expected a size (such as '298 GB') in the {column} column, found {shown(value)}",
        )


def _disk(number: int, line: str, starts: tuple[int, ...]) -> DiskpartDisk:
    cells = _cells(number, line, starts)
    disk = _row_number(number, cells[0], "disk")
    status, size, free, dynamic, gpt = cells[1:]
    if not status:
        raise error(number, "expected the status of the disk in the Status column, found nothing")
    _require_size(number, size, "Size")
    _require_size(number, free, "Free")
    for column, flag in (("Dyn", dynamic), ("Gpt", gpt)):
        if flag not in ("", "*"):
            raise error(
                number, f"expected '*' or nothing in the {column} column, found {shown(flag)}"
            )
    return DiskpartDisk(
        number=disk, status=status, size=size, free=free, dynamic=dynamic == "*", gpt=gpt == "*"
    )


def _volume(number: int, line: str, starts: tuple[int, ...]) -> DiskpartVolume:
    cells = _cells(number, line, starts)
    volume = _row_number(number, cells[0], "volume")
    letter, label, file_system, kind, size, status, info = cells[1:]
    if letter and not is_drive_letter(letter):
        raise error(
            number, f"expected a drive letter or nothing in the Ltr column, found {shown(letter)}"
        )
    if not kind:
        raise error(number, "expected the type of the volume in the Type column, found nothing")
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
    lines = split_lines(text)
    others: list[_Table] = []
    found = False
    for table in _tables(lines):
        if len(table.starts) != columns:
            others.append(table)
            continue
        if not table.rows:
            raise error(
                table.dashes, f"expected the rows of {command} under this dashes row, found none"
            )
        found = True
        rows = [(n, line) for n, line in table.rows if not is_elision(line.strip())]
        for number, line in rows:
            yield number, line, table.starts
    if found or any(line.strip().casefold() == nothing for line in lines):
        return
    if others:
        raise error(
            others[0].dashes,
            f"this table has {len(others[0].starts)} columns; {command} prints {columns}",
        )
    raise error(
        first_line(lines),
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
