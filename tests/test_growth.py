"""Every pattern and reader, and text output, runs in time linear in its input (see ``tests/growth.py``).

Each signature pattern is searched in text made of many repeats of a part of
what it looks for, never completed: the input that makes a backtracking
pattern try again from every repeat. Doubling the text must not much more
than double the time.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable

import pytest

from hyperv_backup import (
    VM,
    Attachment,
    Disk,
    FileSystem,
    GuestDiskType,
    Host,
    HostOS,
    VMState,
    Volume,
    backup_plan,
)
from hyperv_backup.diagnose import diagnosis
from hyperv_backup.inventory import InventoryError
from hyperv_backup.readers import event_xml
from hyperv_backup.render import Format, render_plan
from hyperv_backup.rules import SIGNATURES
from tests.growth import growth, is_linear, ratios_text

#: For each patterned signature, the beginnings of what it looks for: repeated, never finished.
ADVERSARIAL: dict[str, tuple[str, ...]] = {
    "HVB701": ("non", "non-"),
    "HVB702": ("timed ", "retry"),
    "HVB703": ("inconsistent"[:-1],),
    "HVB708": ("0x80070005 ", ".vhd ", ".avhdx ", "0x80070005.", ".vhd0x8007000"),
    "HVB709": ("0x8007002 ",),
    "HVB710": (
        "checkpoint operation for ",
        "checkpoint operation for x",
        "could not create the ",
        "failed to create the VM ",
        "cannot create the storage required for the ",
    ),
    "HVB711": ("number of volumes reverted does not ",),
    "HVB718": ("diff area ",),
    "HVB719": ("routine CoCreateInstance. ", "routine CoCreateInstance.  hr = 0x80"),
    "HVB720": ("routine CoCreateInstance. hr = 0x8007005",),
    "HVB722": ("access is ",),
    "HVB723": ("65ee1dba-8ff4-", "Microsoft Software Shadow Copy Provider service "),
    "HVB724": ("0x8007001",),
    "HVB725": ("Services\\VSS\\",),
    "HVB726": ("IVssWriter",),
    "HVB729": ("0x8004240",),
    "HVB730": ("0x8007000",),
    "HVB733": ("RevertTo", "Revert a Shadow "),
    "HVB737": ("NTD",),
    "HVB738": ("differential ",),
    "HVB743": ("2155348", "System writer is not "),
    "HVB744": ("215534823",),
    "HVB745": ("0x8078015",),
    "HVB748": ("0x8007000",),
    "HVB749": ("0x8007029",),
    "HVB752": (
        "could not initiate a checkpoint operation ",
        "could not initiate a checkpoint operation 0x8007005",
        "autorecovery operation failed to ",
    ),
    "HVB753": ("0x800700E",),
    "HVB754": ("version does not match the version expected by ",),
    "HVB764": ("AddLegacyDriver",),
    "HVB765": ("AddCoreCsi",),
    "HVB766": ("BACKUP failed to ",),
}

#: Characters every pattern meets: runs of them must not slow any pattern down either.
_COMMON = ("a", " ", "\n", "'", "{", "0")


def _patterns() -> list[tuple[str, str]]:
    """Every (rule ID, pattern) of the catalogue: the events' and the writers' last errors."""
    found = []
    for signature in SIGNATURES:
        for match in signature.events:
            if match.pattern is not None:
                found.append((signature.rule.id, match.pattern))
        for writer in signature.writers:
            if writer.last_error is not None:
                found.append((signature.rule.id, writer.last_error))
    return found


def test_every_patterned_signature_has_adversarial_text() -> None:
    """A new pattern must say what text would make it slow, or this suite would not try it."""
    assert {rule for rule, _ in _patterns()} == set(ADVERSARIAL)


_CASES = [
    pytest.param(pattern, unit, id=f"{rule}-{unit!r}")
    for rule, pattern in _patterns()
    for unit in (*ADVERSARIAL[rule], *_COMMON)
]
# The patterns the diagnosis itself searches every message with.
_CASES += [
    pytest.param(compiled.pattern, unit, id=f"{name}-{unit!r}")
    for name, compiled in (("VM_ID", diagnosis._VM_ID), ("QUOTED_VM", diagnosis._QUOTED_VM))
    for unit in ("VM ID ", "virtual machine ID: {", "'", "' ", "VM ID : : ", *_COMMON)
]


def _search(pattern: str, unit: str) -> Callable[[int], Callable[[], object]]:
    compiled = re.compile(pattern, re.IGNORECASE)

    def work(size: int) -> Callable[[], object]:
        text = unit * (size // len(unit))
        return lambda: compiled.search(text)

    return work


@pytest.mark.parametrize(("pattern", "unit"), _CASES)
def test_signature_patterns_search_in_linear_time(pattern: str, unit: str) -> None:
    """HVB708 and HVB710 once took 17 s on a 176 KB message, four times longer per doubling."""
    series = growth(_search(pattern, unit), 8 * 1024)
    assert is_linear(series), ratios_text(series)


_EVENT = (
    '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System>'
    '<Provider Name="VSS"/><EventID>8229</EventID><Level>3</Level>'
    '<TimeCreated SystemTime="2026-12-06T02:00:09.0000000Z"/><Computer>HV01</Computer>'
    "</System></Event>"
)


@pytest.mark.parametrize("piece", ["<!--{}-->", '<Extra a="{}"/>'], ids=["comment", "attribute"])
def test_long_xml_markup_costs_linear_time(piece: str) -> None:
    """Expat 2.5 took 35 s on a 16 MB comment; the reader refuses it after one scan."""

    def work(size: int) -> Callable[[], object]:
        text = _EVENT + piece.format("x" * size)

        def read() -> None:
            with contextlib.suppress(InventoryError):
                event_xml(text)

        return read

    series = growth(work, 512 * 1024, runs=3)
    assert is_linear(series), ratios_text(series)


def _text_plan(size: int) -> Callable[[], object]:
    """Return the text output of a plan of ``size`` VMs, to time: findings and steps on each."""
    vms = [
        VM(
            name=f"App VM {n}" if n % 3 == 0 else f"VM{n:05d}",
            state=(VMState.RUNNING, VMState.OFF, VMState.SAVED)[n % 3],
            integration_services=n % 2 == 0,
            snapshots=[f"Before patch {n}"] if n % 4 == 0 else [],
            disks=[
                Disk(
                    name=f"Data disk {n}",
                    attachment=Attachment.VIRTUAL_HARD_DISK,
                    guest_disk_type=GuestDiskType.DYNAMIC if n % 5 == 0 else GuestDiskType.BASIC,
                    volumes=[Volume(name="D:", file_system=FileSystem.FAT32)] if n % 7 else [],
                )
            ],
        )
        for n in range(size)
    ]
    plan = backup_plan(Host(name="HV01", os=HostOS.WINDOWS_SERVER_2008_R2, vms=vms))
    return lambda: render_plan(plan, Format.TEXT)


def test_text_output_of_a_plan_grows_linearly() -> None:
    """Text output once cleaned every string a character at a time, and wrapped a word at a time."""
    series = growth(_text_plan, 32, runs=3)
    assert is_linear(series), ratios_text(series)
