"""``collect HOST.json [...] [--guest GUEST.json ...] [-o FILE]``: an inventory from collector documents."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from hyperv_backup._base import public_dir
from hyperv_backup.cli._io import (
    read_source,
    write,
    write_file,
    write_files,
)
from hyperv_backup.cli._options import (
    EXIT_INVALID,
    EXIT_OK,
    PROG,
    PROGRESS_GUESTS,
    Command,
    Exit,
    InputError,
    Options,
)
from hyperv_backup.inventory import InventoryError, dump_inventory, problem_lines, with_schema
from hyperv_backup.model import GuestOS, hosts_of
from hyperv_backup.render import (
    Format,
    clean_text,
)
from hyperv_backup.rules.modern import GUEST_NOT_QUIESCED
from hyperv_backup.rules.online import GUEST_NOT_INVENTORIED

__all__ = ["run"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


def _read_files(paths: Sequence[str]) -> list[bytes]:
    documents = []
    for path in paths:
        try:
            documents.append(read_source(path))
        except InventoryError as exc:
            raise Exit(
                EXIT_INVALID,
                f"error: {path} cannot be read:",
                *problem_lines(exc),
            ) from None
    return documents


def _note(text: str) -> None:
    print(f"{PROG} {Command.COLLECT.value}: {clean_text(text)}", file=sys.stderr)


def events_path(output: str) -> Path:
    """Return where the events kept with the inventory ``output`` go: ``inv.json``, ``inv.events.json``."""
    path = Path(output)
    stem = path.stem if path.suffix.casefold() == ".json" else path.name
    return path.with_name(f"{stem}.events.json")


def _events(options: Options, hosts: Sequence[bytes]) -> tuple[Path, str] | None:
    """Read the events ``host.ps1 -EventHours`` exported beside each host document, merged.

    Returns where they go and their text; ``None`` when no document exported
    any, or when there is no output file to keep them beside.
    """
    from hyperv_backup.collect import event_exports, kept_events  # noqa: PLC0415
    from hyperv_backup.readers.event_json import MAX_JSON_BYTES  # noqa: PLC0415

    found = [
        (source, export)
        for source, export in zip(options.operands, event_exports(hosts), strict=True)
        if export is not None
    ]
    for _, export in found:
        for log in export.logs:
            if log.error is not None:
                provider = f" ({log.provider} events)" if log.provider else ""
                _note(f"note: {export.host}: the log {log.log}{provider} was not read: {log.error}")
    if not found:
        return None
    if options.output is None:
        _note(
            f"note: the events host.ps1 exported for {len(found)} host(s) are not kept: "
            "give -o FILE to keep them beside the inventory, as FILE.events.json"
        )
        return None
    files, names = _read_beside(found, MAX_JSON_BYTES, "events")
    try:
        text, counts = kept_events(files, names)
    except InventoryError as exc:
        raise Exit(
            EXIT_INVALID, "error: the exported events cannot be read:", *problem_lines(exc)
        ) from None
    for (_, export), count in zip(found, counts, strict=True):
        if count != export.count:
            _note(
                f"note: {export.host}: its document counts {export.count} event(s), "
                f"its file {export.file} holds {count}"
            )
    return events_path(options.output), text


class _Export(Protocol):
    """A file a host document says it exported beside itself."""

    @property
    def host(self) -> str: ...

    @property
    def file(self) -> str: ...


def _read_beside(
    found: Sequence[tuple[str, _Export]], limit: int, what: str
) -> tuple[list[bytes], list[str]]:
    """Read the file each document exported beside itself; return their bytes and paths.

    A file outside its document's folder, over ``limit`` bytes, missing or
    unreadable stops the command (exit 3), naming it; ``what`` says what it holds.
    """
    files: list[bytes] = []
    names: list[str] = []
    for source, export in found:
        folder = Path.cwd() if source == "-" else Path(source).parent
        path = folder / export.file
        names.append(str(path))
        _inside(path, folder, export.host)
        try:
            files.append(read_source(str(path), limit))
        except InventoryError as exc:
            raise Exit(
                EXIT_INVALID, f"error: {path} cannot be read:", *problem_lines(exc)
            ) from None
        except InputError as exc:  # the file is missing or cannot be opened
            raise Exit(
                EXIT_INVALID,
                f"error: the document of {export.host} names its exported {what}, but "
                f"{exc.problems[-1]}",
            ) from None
    return files, names


def catalogue_path(output: str) -> Path:
    """Return where the catalogue kept with the inventory ``output`` goes: ``inv.json``, ``inv.backups.json``."""
    path = Path(output)
    stem = path.stem if path.suffix.casefold() == ".json" else path.name
    return path.with_name(f"{stem}.backups.json")


def _catalogues(options: Options, hosts: Sequence[bytes]) -> tuple[Path, str] | None:
    """Read the catalogues ``host.ps1 -Catalog`` exported beside each host document, joined.

    Returns where they go and their text (the product-neutral format, each
    restore point naming its host); ``None`` when no document exported one,
    or when there is no output file to keep it beside.
    """
    from hyperv_backup.collect import catalog_exports, kept_catalogue  # noqa: PLC0415
    from hyperv_backup.readers import MAX_CATALOGUE_BYTES  # noqa: PLC0415

    found = [
        (source, export)
        for source, export in zip(options.operands, catalog_exports(hosts), strict=True)
        if export is not None
    ]
    for _, export in found:
        if export.error is not None:
            _note(
                f"note: {export.host}: the Windows Server Backup catalogue was not read: {export.error}"
            )
    if not found:
        return None
    if options.output is None:
        _note(
            f"note: the catalogues host.ps1 exported for {len(found)} host(s) are not kept: "
            "give -o FILE to keep them beside the inventory, as FILE.backups.json"
        )
        return None
    files, names = _read_beside(found, MAX_CATALOGUE_BYTES, "catalogue")
    try:
        text, counts = kept_catalogue(files, [export.host for _, export in found], names)
    except InventoryError as exc:
        raise Exit(
            EXIT_INVALID, "error: the exported catalogues cannot be read:", *problem_lines(exc)
        ) from None
    for (_, export), count in zip(found, counts, strict=True):
        if count != export.count:
            _note(
                f"note: {export.host}: its document counts {export.count} backup set(s), "
                f"its file {export.file} holds {count}"
            )
    return catalogue_path(options.output), text


def _inside(path: Path, folder: Path, host: str) -> None:
    """Refuse an events file that is a link to somewhere outside the document's folder."""
    try:
        resolved, within = path.resolve(), folder.resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of links (Python 3.11)
        raise Exit(
            EXIT_INVALID, f"error: the document of {host} names its exported events, but {exc}"
        ) from None
    if path.is_symlink() and not resolved.is_relative_to(within):
        raise Exit(
            EXIT_INVALID,
            f"error: the document of {host} names its exported events {str(path)!r}, "
            f"a link to {str(resolved)!r} outside the document's folder: not read",
        )


def _script(options: Options, name: str) -> int:
    """Write out a bundled collector script, byte for byte (``collect --script NAME``)."""
    from hyperv_backup.collect import script_path  # noqa: PLC0415

    data = script_path(name).read_bytes()
    if options.output is not None:
        write_file(options.output, data)
        return EXIT_OK
    # The scripts are ASCII: the same bytes whatever encoding the output has.
    write(data.decode("ascii"), Format.JSON)
    return EXIT_OK


def run(options: Options) -> int:
    """Run ``collect``: build an inventory from collector documents and write it."""
    if options.script is not None:
        return _script(options, options.script)
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
        raise Exit(
            EXIT_INVALID,
            f"error: the collector documents are not valid ({'; '.join(names)}):",
            *problem_lines(exc),
        ) from None
    for note in writer_notes(hosts):
        _note(f"note: {note}")
    events = _events(options, hosts)
    catalogues = _catalogues(options, hosts)
    # A Linux or FreeBSD guest's document (guest.sh) sets its family, not the
    # Windows guest facts: such a VM has its document.
    missing = [
        vm.name
        for host in hosts_of(target)
        for vm in host.vms
        if not vm.guest_inventoried and vm.guest_os is GuestOS.UNKNOWN
    ]
    if missing:
        _note(
            f"note: no guest document for {len(missing)} VM(s); their guest facts are "
            f"unknown ({GUEST_NOT_INVENTORIED.id}, {GUEST_NOT_QUIESCED.id}): {', '.join(missing)}"
        )
    document = with_schema(dump_inventory(target))
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate from a "\ud800" escape
        raise Exit(
            EXIT_INVALID,
            "error: the collector documents hold text that is not valid Unicode "
            f"(character {exc.start} of the inventory)",
        ) from None
    if options.output is None:
        # ASCII with \u escapes: valid JSON whatever the terminal's encoding.
        write(json.dumps(document, indent=2) + "\n", Format.JSON)
        return EXIT_OK
    files: list[tuple[Path, bytes]] = [(Path(options.output), encoded)]
    for kept in (events, catalogues):
        if kept is not None:
            files.append((kept[0], kept[1].encode("utf-8")))
    # The inventory, its events and its catalogue are written together, or none:
    # a failure (a full disk) leaves the files of the last run as they were.
    write_files(files)
    if events is not None:
        where = events[0]
        _note(
            f"kept the exported events with the inventory, in {where}; read them with: "
            f"{PROG} diagnose {where} --inventory {options.output}"
        )
    if catalogues is not None:
        _note(
            f"kept the exported Windows Server Backup catalogue with the inventory, in "
            f"{catalogues[0]}; check it with: {PROG} check {options.output} --backups {catalogues[0]}"
        )
    return EXIT_OK
