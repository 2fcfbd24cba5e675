"""What every reader shares: the samples' README, refusing the wrong text, limits, properties.

Each test here runs all four readers (or the sample each one reads): line
ends, byte order marks, the length limit, field checks on the records, and
properties on arbitrary and damaged text, with the readers' linear time.

The samples live in ``tests/fixtures/samples`` (see its README for where each
came from; names containing ``-madeup-`` were written for these tests).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hyperv_backup.inventory import InventoryError
from hyperv_backup.model import ModelError
from hyperv_backup.readers import (
    MAX_TEXT_LENGTH,
    DiskpartDisk,
    DiskpartVolume,
    ShadowStorage,
    VssWriter,
    diskpart_disks,
    diskpart_volumes,
    vssadmin_shadow_storage,
    vssadmin_writers,
)
from tests.readers._shared import (
    DISKPART,
    DISKPART_DYNAMIC,
    DISKPART_EMPTY,
    GUID_A,
    SAMPLES,
    STORAGE_EMPTY,
    STORAGE_OTHER,
    WRITERS_FAILED,
    WRITERS_FR,
    WRITERS_STABLE,
    Reader,
    problem,
    sample,
    writer_record,
)

READERS: tuple[Reader, ...] = (
    vssadmin_writers,
    vssadmin_shadow_storage,
    diskpart_disks,
    diskpart_volumes,
)
RECORD_TYPE: dict[Reader, type] = {
    vssadmin_writers: VssWriter,
    vssadmin_shadow_storage: ShadowStorage,
    diskpart_disks: DiskpartDisk,
    diskpart_volumes: DiskpartVolume,
}


# --- the fixtures --------------------------------------------------------------------------


def test_every_fixture_is_described_in_the_readme() -> None:
    """Each sample file has a row in the README; made-up files are listed as made up."""
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    real, madeup = readme.split("**Made-up files**")
    names = sorted(p.name for p in SAMPLES.iterdir() if p.suffix == ".txt")
    assert len(names) == 12
    for name in names:
        assert f"| `{name}` |" in (madeup if "-madeup-" in name else real), name


# --- the wrong text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reader", "name", "line"),
    [
        (vssadmin_writers, STORAGE_OTHER, 4),
        (vssadmin_writers, DISKPART, 1),
        (vssadmin_shadow_storage, WRITERS_FAILED, 8),
        (vssadmin_shadow_storage, DISKPART_DYNAMIC, 2),
        (diskpart_disks, WRITERS_FAILED, 1),
        (diskpart_volumes, STORAGE_OTHER, 1),
        (diskpart_volumes, STORAGE_EMPTY, 1),
    ],
)
def test_another_commands_output_is_refused_naming_a_line(
    reader: Reader, name: str, line: int
) -> None:
    found = problem(reader, sample(name))
    assert found.path == f"line {line}"
    assert "expected" in found.message


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("text", ["", "\n \r\n\t\n", "hello\nworld\n", "{}", "\ufeff"])
def test_garbage_is_refused_naming_its_first_line(reader: Reader, text: str) -> None:
    assert problem(reader, text).path == "line 1"


def test_a_writers_listing_given_as_shadow_storage_names_the_first_writer() -> None:
    found = problem(vssadmin_shadow_storage, sample(WRITERS_STABLE))
    assert found.path == "line 9"
    assert "Task Scheduler Writer" in found.message


def test_error_messages_quote_a_long_line_shortened() -> None:
    found = problem(vssadmin_writers, writer_record("W", "Writer Id: " + "x" * 5000))
    assert "... (5011 characters)" in found.message
    assert len(found.message) < 200


@pytest.mark.parametrize("reader", READERS)
def test_text_must_be_a_str(reader: Reader) -> None:
    with pytest.raises(TypeError, match="expected the text as a str, got bytes"):
        reader(b"vssadmin 1.1")  # type: ignore[arg-type]


# --- line ends, blanks and marks -----------------------------------------------------------

SUCCESSES = [
    (WRITERS_FAILED, vssadmin_writers),
    (WRITERS_STABLE, vssadmin_writers),
    (WRITERS_FR, vssadmin_writers),
    (STORAGE_OTHER, vssadmin_shadow_storage),
    (STORAGE_EMPTY, vssadmin_shadow_storage),
    (DISKPART, diskpart_disks),
    (DISKPART, diskpart_volumes),
    (DISKPART_DYNAMIC, diskpart_disks),
    (DISKPART_DYNAMIC, diskpart_volumes),
    (DISKPART_EMPTY, diskpart_volumes),
]


@pytest.mark.parametrize(("name", "reader"), SUCCESSES)
def test_line_ends_trailing_blanks_and_a_byte_order_mark_change_nothing(
    name: str, reader: Reader
) -> None:
    text = sample(name)
    expected = reader(text)
    lines = text.replace("\r\n", "\n").split("\n")
    assert reader("\n".join(lines)) == expected
    assert reader("\r\n".join(lines)) == expected
    assert reader("\r\r\n".join(lines)) == expected
    assert reader("\n".join(line + " \t " for line in lines)) == expected
    assert reader("\ufeff" + text) == expected
    assert reader("\n\n" + text + "\n\n\n") == expected


# --- limits ----------------------------------------------------------------------------------


def test_the_documented_limit() -> None:
    assert MAX_TEXT_LENGTH == 10 * 1024 * 1024


@pytest.mark.parametrize("reader", READERS)
def test_text_over_the_limit_is_refused_naming_the_line_it_reaches(reader: Reader) -> None:
    text = "ab\n" * (MAX_TEXT_LENGTH // 3) + "x" * 10
    assert len(text) > MAX_TEXT_LENGTH
    found = problem(reader, text)
    assert found.path == f"line {MAX_TEXT_LENGTH // 3 + 1}"
    assert f"longer than {MAX_TEXT_LENGTH} characters" in found.message
    at_limit = problem(reader, " " * MAX_TEXT_LENGTH)
    assert "longer than" not in at_limit.message


# --- records check their fields --------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: VssWriter(name="W", writer_id="{x}", instance_id=GUID_A, state=1, last_error=""), "writer_id"),
        (lambda: VssWriter(name="W", writer_id=GUID_A, instance_id=GUID_A.upper(), state=1, last_error=""), "instance_id"),
        (lambda: VssWriter(name="W", writer_id=GUID_A, instance_id=GUID_A, state=-1, last_error=""), "state"),
        (lambda: VssWriter(name="W", writer_id=GUID_A, instance_id=GUID_A, state=True, last_error=""), "state"),
        (lambda: ShadowStorage(for_volume="", storage_volume="C:", used="1", allocated="1", maximum="1"), "for_volume"),
        (lambda: DiskpartDisk(number=0, status="Online", size="1", free="1", dynamic=1, gpt=False), "dynamic"),  # type: ignore[arg-type]
        (lambda: DiskpartVolume(number=0, letter="CD", label="", file_system=None, type="T", size="1", status="", info=""), "letter"),
        (lambda: DiskpartVolume(number=0, letter=3, label="", file_system=None, type="T", size="1", status="", info=""), "letter"),  # type: ignore[arg-type]
        (lambda: DiskpartVolume(number=0, letter=None, label=None, file_system=None, type="T", size="1", status="", info=""), "label"),  # type: ignore[arg-type]
    ],
)  # fmt: skip
def test_records_refuse_impossible_fields(build: Callable[[], object], field: str) -> None:
    with pytest.raises(ModelError) as info:
        build()
    assert info.value.path == field


# --- properties ------------------------------------------------------------------------------

FIXTURE_LINES = sorted(
    {
        line
        for path in SAMPLES.iterdir()
        if path.suffix == ".txt"
        for line in path.read_bytes().decode("utf-8").split("\n")
    }
)
TRICKY = [
    *"aZ09 :'{}[]()-*\\?<>.%\t\r\n\u2026\u00e9\u00b2\u0663",
    "Volume{",
    "\\\\?\\",
    "6ded-",
    "[1]",
    "(C:)",
    "---  ",
    "Disk 0",
    "DISKPART>",
    "vssadmin 1.1",
    "...",
]
fragments = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(TRICKY), max_size=20).map("".join),
    st.sampled_from(FIXTURE_LINES),
)
texts = st.lists(fragments, max_size=40).map("\n".join)


def read_or_refuse(reader: Reader, text: str) -> None:
    refused: InventoryError | None = None
    try:
        records = reader(text)
    except InventoryError as error:
        refused, records = error, ()
    if refused is not None:
        assert refused.problems
        assert all(p.path.startswith("line ") for p in refused.problems)
    assert isinstance(records, tuple)
    assert all(type(r) is RECORD_TYPE[reader] for r in records)


@given(text=texts)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_arbitrary_text_gives_records_or_inventory_error(text: str) -> None:
    for reader in READERS:
        read_or_refuse(reader, text)


@given(
    name=st.sampled_from([name for name, _ in SUCCESSES]),
    cut=st.integers(min_value=0),
    insert=fragments,
    at=st.integers(min_value=0),
)
@settings(max_examples=300)
def test_damaged_samples_give_records_or_inventory_error(
    name: str, cut: int, insert: str, at: int
) -> None:
    text = sample(name)
    for damaged in (
        text[: cut % (len(text) + 1)],
        text[: at % (len(text) + 1)] + insert + text[at % (len(text) + 1) :],
        "\n".join(line for i, line in enumerate(text.split("\n")) if i != cut % 40),
    ):
        for reader in READERS:
            read_or_refuse(reader, damaged)


LONG = 400_000
#: Generous for a linear pass over LONG characters, far short of a quadratic one.
SECONDS = 4.0


def timed(reader: Reader, text: str) -> float:
    start = time.perf_counter()
    with contextlib.suppress(InventoryError):
        reader(text)
    return time.perf_counter() - start


@given(unit=st.one_of(st.sampled_from(FIXTURE_LINES), fragments).filter(bool))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_long_repetitive_text_is_read_in_linear_time(unit: str) -> None:
    text = (unit * (LONG // len(unit) + 1))[:LONG]
    for reader in READERS:
        assert timed(reader, text) < SECONDS


@pytest.mark.parametrize(
    "text",
    [
        " " * LONG + "x",
        "[" * LONG,
        "Writer Id: " + "{" * LONG,
        "State: [" + "1" * LONG,
        "PS" + " " * LONG,
        "C:\\" + "a" * LONG,
        "\\\\?\\Volume{" * (LONG // 12),
        "(C:)" * (LONG // 4),
        "--  " * (LONG // 4) + "\n" + "x " * (LONG // 2),
        ("--  " * 6 + "\n") * (LONG // 25),
        "Writer name: '" + "'" * LONG,
        ":" * LONG,
        "\n" * LONG,
        "a:\n" * (LONG // 3),
        "(" * LONG + ")",
        "Used: " + "(" * LONG + "1%)",
    ],
    ids=lambda text: repr(text[:12]),
)
@pytest.mark.parametrize("reader", READERS)
def test_adversarial_long_text_is_read_in_linear_time(reader: Reader, text: str) -> None:
    assert timed(reader, text) < SECONDS
