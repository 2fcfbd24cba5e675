"""``collect HOST.json [...] [--guest GUEST.json ...] [-o FILE]``: an inventory from collector documents."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from hyperv_backup.cli._io import (
    read_source,
    write,
)
from hyperv_backup.cli._options import (
    EXIT_INVALID,
    EXIT_OK,
    PROG,
    PROGRESS_GUESTS,
    Command,
    Exit,
    Options,
    usage_error,
)
from hyperv_backup.inventory import InventoryError, dump_inventory
from hyperv_backup.model import GuestOS, hosts_of
from hyperv_backup.render import (
    Format,
    clean_text,
)

__all__ = ["run"]


def _read_files(paths: Sequence[str]) -> list[bytes]:
    documents = []
    for path in paths:
        try:
            documents.append(read_source(path))
        except InventoryError as exc:
            raise Exit(
                EXIT_INVALID,
                f"error: {path} cannot be read:",
                *(str(problem) for problem in exc.problems),
            ) from None
    return documents


def _note(text: str) -> None:
    print(f"{PROG} {Command.COLLECT.value}: {clean_text(text)}", file=sys.stderr)


def run(options: Options) -> int:
    """Run ``collect``: build an inventory from collector documents and write it."""
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
            *(str(problem) for problem in exc.problems),
        ) from None
    for note in writer_notes(hosts):
        _note(f"note: {note}")
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
            f"unknown (HVB309, HVB602): {', '.join(missing)}"
        )
    text = json.dumps(dump_inventory(target), indent=2, ensure_ascii=False) + "\n"
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
        write(json.dumps(dump_inventory(target), indent=2) + "\n", Format.JSON)
        return EXIT_OK
    try:
        Path(options.output).write_bytes(encoded)
    except (OSError, ValueError) as exc:  # ValueError: a path with a NUL character
        reason = getattr(exc, "strerror", None) or str(exc)
        msg = f"cannot write {options.output!r}: {reason}"
        raise usage_error(msg) from None
    return EXIT_OK
