"""What the readers' tests share: the samples' names, and reading a text to its one problem.

The samples live in ``tests/fixtures/samples`` (see its README for where each
came from; names containing ``-madeup-`` were written for these tests).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hyperv_backup.inventory import InventoryError, Problem
from tests.paths import FIXTURES

SAMPLES = FIXTURES / "samples"


Reader = Callable[[str], tuple[object, ...]]


WRITERS_FAILED = "vssadmin-list-writers-hyperv-failed-blog-1.txt"


DISKPART = "diskpart-list-disk-list-volume-piped-beatcracker-1.txt"


WRITERS_STABLE = "vssadmin-list-writers-madeup-stable-crlf-1.txt"
WRITERS_FR = "vssadmin-list-writers-madeup-fr-1.txt"
STORAGE_OTHER = "vssadmin-list-shadowstorage-madeup-other-volume-1.txt"
STORAGE_EMPTY = "vssadmin-list-shadowstorage-madeup-empty-1.txt"


DISKPART_DYNAMIC = "diskpart-list-disk-list-volume-madeup-dynamic-gpt-1.txt"
DISKPART_EMPTY = "diskpart-list-disk-list-volume-madeup-empty-1.txt"


BANNER = (
    "vssadmin 1.1 - Volume Shadow Copy Service administrative command-line tool\n"
    "(C) Copyright 2001-2013 Microsoft Corp.\n"
)
GUID_A = "6162e336-7448-4371-93a7-29581512b103"


def sample(name: str) -> str:
    return (SAMPLES / name).read_bytes().decode("utf-8")


def problem(reader: Reader, text: str) -> Problem:
    with pytest.raises(InventoryError) as info:
        reader(text)
    assert len(info.value.problems) == 1
    assert info.value.path == info.value.problems[0].path
    return info.value.problems[0]


def writer_record(name: str, *lines: str) -> str:
    return "\n".join([f"Writer name: '{name}'", *(f"   {line}" for line in lines)]) + "\n"
