"""Tests that kill the mutants of the readers.

Each test pins down a behaviour that a changed line of the rules, decisions or
readers could break without any other test noticing: an edge of a reader's
grammar, the exact error a record refuses a value with, a clause of a step
text that the readers promise. They are grouped by module.
"""

from __future__ import annotations

import pytest

from hyperv_backup import (
    InventoryError,
    ModelError,
)
from hyperv_backup import readers as rd

# --- shared pieces of reader input ---------------------------------------------------


WRITER_ID = "66841cd4-6ded-4f4b-8f17-fd23f8ddc3de"


INSTANCE_ID = "6162e336-7448-4371-93a7-29581512b103"


VOLUME = "\\\\?\\Volume{a1b3cc11-3c1a-4c27-9acf-e78abd22ee7f}\\"


OTHER_VOLUME = "\\\\?\\Volume{13ffec14-0e6b-4c5c-aa3e-0ac93e2e643e}\\"


def writer_record(name: str = "'Microsoft Hyper-V VSS Writer'", last: str = "No error") -> str:
    return (
        f"Writer name: {name}\n"
        f"   Writer Id: {{{WRITER_ID}}}\n"
        f"   Writer Instance Id: {{{INSTANCE_ID}}}\n"
        "   State: [1] Stable\n"
        f"   Last error: {last}\n"
    )


def storage_record(used: str = "1.335 GB (1%)", first: str = f"   For volume: (C:){VOLUME}") -> str:
    return (
        "Shadow Copy Storage association\n"
        f"{first}\n"
        f"   Shadow Copy Storage volume: (F:){OTHER_VOLUME}\n"
        f"   Used Shadow Copy Storage space: {used}\n"
        "   Allocated Shadow Copy Storage space: 2 GB (1%)\n"
        "   Maximum Shadow Copy Storage space: 10 GB (5%)\n"
    )


DISK_HEADER = (
    "  Disk ###  Status         Size     Free     Dyn  Gpt\n"
    "  --------  -------------  -------  -------  ---  ---\n"
)


VOLUME_HEADER = (
    "  Volume ###  Ltr  Label        Fs     Type        Size     Status     Info\n"
    "  ----------  ---  -----------  -----  ----------  -------  ---------  --------\n"
)


def problem(exc: pytest.ExceptionInfo[InventoryError]) -> tuple[str, str]:
    """Return the path and message of the one problem of a reader's error."""
    (only,) = exc.value.problems
    return only.path, only.message


# --- readers: records refuse bad values, naming the field and the value -----------------


VALID_RECORDS: dict[type, dict[str, object]] = {
    rd.VssWriter: {
        "name": "System Writer",
        "writer_id": WRITER_ID,
        "instance_id": INSTANCE_ID,
        "state": 1,
        "last_error": "No error",
    },
    rd.ShadowStorage: {
        "for_volume": "C:",
        "storage_volume": "F:",
        "used": "1 GB",
        "allocated": "2 GB",
        "maximum": "UNBOUNDED",
    },
    rd.DiskpartDisk: {
        "number": 0,
        "status": "Online",
        "size": "127 GB",
        "free": "0 B",
        "dynamic": False,
        "gpt": True,
    },
    rd.DiskpartVolume: {
        "number": 3,
        "letter": "C",
        "label": "",
        "file_system": "NTFS",
        "type": "Partition",
        "size": "126 GB",
        "status": "Healthy",
        "info": "Boot",
    },
}


#: (record class, field, bad value, the reason in the message).
BAD_FIELDS = [
    (rd.VssWriter, "name", 7, "expected a string"),
    (rd.VssWriter, "writer_id", "{" + WRITER_ID + "}", "expected a lower-case GUID without braces"),
    (rd.VssWriter, "instance_id", INSTANCE_ID.upper(), "expected a lower-case GUID without braces"),
    (rd.VssWriter, "state", -1, "expected a whole number of 0 or more"),
    (rd.VssWriter, "state", True, "expected a whole number of 0 or more"),
    (rd.VssWriter, "last_error", None, "expected a string"),
    (rd.ShadowStorage, "for_volume", 3, "expected a string"),
    (rd.ShadowStorage, "used", "", "expected a non-empty string"),
    (rd.ShadowStorage, "maximum", None, "expected a string"),
    (rd.DiskpartDisk, "number", "0", "expected a whole number of 0 or more"),
    (rd.DiskpartDisk, "status", 1, "expected a string"),
    (rd.DiskpartDisk, "free", b"0 B", "expected a string"),
    (rd.DiskpartDisk, "dynamic", "*", "expected true or false"),
    (rd.DiskpartDisk, "gpt", 1, "expected true or false"),
    (rd.DiskpartVolume, "number", 1.0, "expected a whole number of 0 or more"),
    (rd.DiskpartVolume, "letter", "CD", "expected one letter A to Z or None"),
    (rd.DiskpartVolume, "letter", 67, "expected a string"),
    (rd.DiskpartVolume, "file_system", 0, "expected a string"),
    (rd.DiskpartVolume, "label", None, "expected a string"),
    (rd.DiskpartVolume, "info", 2, "expected a string"),
]


@pytest.mark.parametrize(("cls", "field", "bad", "reason"), BAD_FIELDS)
def test_reader_records_refuse_bad_values_naming_field_and_value(
    cls: type, field: str, bad: object, reason: str
) -> None:
    """Every record class checks its fields when it is built (docs/readers.md).

    The error is a ``ModelError`` whose ``path`` is the field, whose ``value``
    is the bad value, and whose message says what was expected and shows it.
    """
    fields = {**VALID_RECORDS[cls], field: bad}
    with pytest.raises(ModelError) as exc:
        cls(**fields)
    assert exc.value.path == field
    assert exc.value.value is bad
    assert exc.value.reason == f"{reason}, got {bad!r}"
    assert str(exc.value) == f"{field}: {reason}, got {bad!r}"


@pytest.mark.parametrize("cls", VALID_RECORDS)
def test_reader_records_accept_valid_values(cls: type) -> None:
    """The valid values above build a record: each refusal is about the one bad field."""
    record = cls(**VALID_RECORDS[cls])
    for field, value in VALID_RECORDS[cls].items():
        assert getattr(record, field) == value


def test_a_volume_without_letter_or_file_system_is_valid() -> None:
    """``letter`` and ``file_system`` may be ``None``: a volume without them is a record."""
    fields = {**VALID_RECORDS[rd.DiskpartVolume], "letter": None, "file_system": None}
    volume = rd.DiskpartVolume(**fields)  # type: ignore[arg-type]
    assert (volume.letter, volume.file_system) == (None, None)


# --- readers: lines, quoting and the limits of the text ----------------------------------


def test_overlong_text_is_refused_at_the_line_where_the_limit_falls() -> None:
    """Text over MAX_TEXT_LENGTH is refused; the line named is where the limit is crossed.

    Line ends are counted from the start of the text up to the limit, no further.
    """
    text = "\n" + "x" * rd.MAX_TEXT_LENGTH + "\n\n\n"
    with pytest.raises(InventoryError) as exc:
        rd.diskpart_disks(text)
    assert problem(exc) == (
        "line 2",
        f"the text is longer than {rd.MAX_TEXT_LENGTH} characters, the most these readers "
        "accept; a real listing is far shorter",
    )


def test_a_leading_byte_order_mark_is_ignored() -> None:
    """A byte-order mark at the start of the text is ignored (docs/readers.md)."""
    assert rd.diskpart_volumes("\ufeffThere are no volumes.\n") == ()


def test_indentation_is_kept_so_a_marked_row_lines_up_with_the_dashes() -> None:
    """Only trailing blanks are dropped: a ``*``-marked row keeps its place under the dashes.

    The label fills its column exactly, so a row moved by its indentation
    would run across the next column.
    """
    text = VOLUME_HEADER + "* Volume 4     E   ABCDEFGHIJK  NTFS   Mirror       199 GB  Healthy\n"
    (volume,) = rd.diskpart_volumes(text)
    assert (volume.number, volume.letter, volume.label) == (4, "E", "ABCDEFGHIJK")


@pytest.mark.parametrize("length", [59, 60])
def test_error_messages_quote_a_line_of_up_to_60_characters_whole(length: int) -> None:
    """A line of at most 60 characters is quoted whole; a longer one is cut with its length."""
    line = "Writer Id: " + "x" * (length - len("Writer Id: "))
    text = "Writer name: 'W'\n" + line + "\n"
    with pytest.raises(InventoryError) as exc:
        rd.vssadmin_writers(text)
    assert problem(exc)[1].endswith(f"found {line!r}")


def test_error_messages_cut_a_line_over_60_characters() -> None:
    line = "Writer Id: " + "x" * 50
    with pytest.raises(InventoryError) as exc:
        rd.vssadmin_writers("Writer name: 'W'\n" + line + "\n")
    assert problem(exc)[1].endswith(f"found {line[:60]!r}... (61 characters)")


# --- readers: vssadmin list writers -------------------------------------------------------


def test_a_name_line_needs_both_quotes() -> None:
    """The first line of a record names the writer between two single quotes."""
    text = writer_record(name="'Microsoft Hyper-V VSS Writer")
    with pytest.raises(InventoryError) as exc:
        rd.vssadmin_writers(text)
    assert problem(exc)[0] == "line 2"


def test_an_empty_quoted_name_is_a_name() -> None:
    """Two quotes with nothing between them still open a record (the name is empty)."""
    (writer,) = rd.vssadmin_writers(writer_record(name="''"))
    assert writer.name == ""


def test_a_record_after_an_elision_ends_the_leniency_for_orphan_lines() -> None:
    """An id line without its name line is forgiven only right after an elision marker.

    Once the next record has begun, an orphan id line is damage again.
    """
    orphan = f"   Writer Id: {{{WRITER_ID}}}\n"
    text = "<... more ...>\n" + orphan + writer_record() + orphan
    with pytest.raises(InventoryError) as exc:
        rd.vssadmin_writers(text)
    path, message = problem(exc)
    assert path == "line 8"
    assert message == (
        f"found {orphan.strip()!r} outside a writer record; expected the writer's name line "
        "(such as \"Writer name: '<name>'\") before it"
    )


def test_a_last_error_line_without_a_colon_is_named_as_the_last_error() -> None:
    """The message names the field the line should have held: after the state, the last error."""
    text = writer_record(last="No error").replace("   Last error: No error", "   Last error")
    with pytest.raises(InventoryError) as exc:
        rd.vssadmin_writers(text)
    assert problem(exc) == (
        "line 5",
        "expected the last error of writer 'Microsoft Hyper-V VSS Writer' as 'label: value', "
        "found 'Last error'",
    )


@pytest.mark.parametrize(
    ("reader", "command"),
    [
        (rd.vssadmin_writers, "'vssadmin list writers'"),
        (rd.vssadmin_shadow_storage, "'vssadmin list shadowstorage'"),
    ],
)
def test_text_of_another_command_names_the_command_expected(reader: object, command: str) -> None:
    """Text with no record and no vssadmin banner is refused, naming the command."""
    with pytest.raises(InventoryError) as exc:
        reader("hello\n")  # type: ignore[operator]
    assert problem(exc) == (
        "line 1",
        f"expected the output of {command}; found none of its records and no vssadmin banner",
    )


def test_a_localized_nothing_found_answer_right_after_the_banner() -> None:
    """The one-sentence answer of vssadmin may follow its banner directly, without a copyright line."""
    text = "vssadmin 1.1 - Outil\nAucun élément ne correspond à la requête.\n"
    assert rd.vssadmin_writers(text) == ()


def test_only_the_line_right_after_the_banner_is_taken_for_the_copyright() -> None:
    """A line starting with ``(C)`` further down is a message, not the copyright line."""
    text = "vssadmin 1.1 - Outil\n(C) Copyright\nAucun élément.\n(C) encore.\n"
    with pytest.raises(InventoryError) as exc:
        rd.vssadmin_writers(text)
    assert problem(exc)[0] == "line 3"


# --- readers: vssadmin list shadowstorage --------------------------------------------------


def test_a_volume_path_right_after_its_drive_takes_the_drive() -> None:
    r"""A volume named as ``(C:)\\?\Volume{...}\`` at the very start of a line is ``C:``."""
    (association,) = rd.vssadmin_shadow_storage(storage_record(first=f"(C:){VOLUME}"))
    assert (association.for_volume, association.storage_volume) == ("C:", "F:")


@pytest.mark.parametrize(
    "size",
    [
        "0",  # one character
        "1 (2) GB (3%)",  # the share is the last parenthesis
        "1" * 40,  # forty characters
        "9" * 39 + " (1%)",
    ],
)
def test_sizes_vssadmin_may_print_are_read(size: str) -> None:
    (association,) = rd.vssadmin_shadow_storage(storage_record(used=size))
    assert association.used == size


@pytest.mark.parametrize(
    "size",
    [
        "1" * 41,  # over forty characters
        "Xy1",  # neither a number nor a word in capitals
        "(1%)",  # a share without a size
    ],
)
def test_values_that_are_not_sizes_are_refused(size: str) -> None:
    with pytest.raises(InventoryError) as exc:
        rd.vssadmin_shadow_storage(storage_record(used=size))
    assert problem(exc)[0] == "line 4"


def test_a_size_line_naming_a_volume_is_refused() -> None:
    """A size line holds a size and nothing else, not another volume path."""
    text = storage_record().replace(
        "   Used Shadow Copy Storage space: 1.335 GB (1%)", f"{VOLUME}: 1 GB"
    )
    with pytest.raises(InventoryError) as exc:
        rd.vssadmin_shadow_storage(text)
    assert problem(exc)[0] == "line 4"


# --- readers: diskpart ------------------------------------------------------------------


def test_a_table_may_start_on_the_first_line() -> None:
    """The header row is not read: a dashes row on line 1 still starts a table."""
    text = DISK_HEADER.splitlines()[1] + "\n  Disk 0    Online          127 GB      0 B         *\n"
    (disk,) = rd.diskpart_disks(text)
    assert (disk.number, disk.gpt) == (0, True)


def test_two_tables_and_text_between_them_are_all_seen() -> None:
    """Lines between tables are skipped one by one; the second table is found after them."""
    text = (
        "Microsoft DiskPart\n\nDISKPART> list disk\n\n"
        + DISK_HEADER
        + "  Disk 0    Online          127 GB      0 B\n\nsome text\nmore text\n\n"
        + VOLUME_HEADER
        + "  Volume 3     C                NTFS   Partition    126 GB  Healthy    Boot\n"
    )
    assert [d.number for d in rd.diskpart_disks(text)] == [0]
    assert [v.number for v in rd.diskpart_volumes(text)] == [3]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "---\n",
            "expected the output of 'diskpart list disk': a header row, a row of dashes "
            "under it with 6 runs, and one row per item; found no such table",
        ),
        (
            "-- --X\n",
            "expected the output of 'diskpart list disk': a header row, a row of dashes "
            "under it with 6 runs, and one row per item; found no such table",
        ),
        ("-- --\n", "this table has 2 columns; 'diskpart list disk' prints 6"),
    ],
)
def test_only_runs_of_dashes_and_spaces_make_a_dashes_row(line: str, message: str) -> None:
    """A dashes row is dashes separated by spaces: one run alone, or a letter, is not one."""
    with pytest.raises(InventoryError) as exc:
        rd.diskpart_disks(line)
    assert problem(exc) == ("line 1", message)


@pytest.mark.parametrize(
    ("row", "position"),
    [
        ("  Disk 0   XOnline          127 GB      0 B", 13),  # across the Status column
        ("  Disk 0    Online        12127 GB      0 B", 28),  # into the Size column
        ("  Disk 0    Online          127 GB      0 B     ***", 51),  # across the Gpt column
    ],
)
def test_a_value_across_a_column_start_is_refused_with_its_position(
    row: str, position: int
) -> None:
    """A row must line up with the dashes row; the message names the column start it crosses."""
    with pytest.raises(InventoryError) as exc:
        rd.diskpart_disks(DISK_HEADER + row + "\n")
    assert problem(exc) == (
        "line 3",
        f"a value runs across the start of a column at position {position}; the row does not "
        "line up with the dashes row above it",
    )


def test_a_misaligned_volume_row_names_its_line() -> None:
    with pytest.raises(InventoryError) as exc:
        rd.diskpart_volumes(
            VOLUME_HEADER + "  Volume 3    XC               NTFS   Partition    126 GB\n"
        )
    assert problem(exc)[0] == "line 3"


@pytest.mark.parametrize(
    ("first", "number"),
    [
        ("D 7       ", 7),  # a one-letter label at the very start of the line
        ("Disk de 5 ", 5),  # a label of two words
    ],
)
def test_the_row_number_is_the_last_word_of_the_first_column(first: str, number: int) -> None:
    row = first + "Online          127 GB      0 B"
    (disk,) = rd.diskpart_disks(
        DISK_HEADER.replace("  Disk ###  ", "Disk ###  ").replace("  --------  ", "--------  ")
        + row
        + "\n"
    )
    assert disk.number == number


def test_a_selection_mark_is_not_a_label() -> None:
    """The ``*`` before the selected row is a mark; with nothing else, the label is missing."""
    with pytest.raises(InventoryError) as exc:
        rd.diskpart_disks(DISK_HEADER + "* 1         Online          127 GB      0 B\n")
    assert problem(exc) == (
        "line 3",
        "expected the disk number at the end of the first column (such as 'Disk 0'), found '* 1'",
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "  Disk 0                    127 GB      0 B",
            "expected the status of the disk in the Status column, found nothing",
        ),
        (
            "  Disk 0    Online           X GB      0 B",
            "expected a size (such as '298 GB') in the Size column, found 'X GB'",
        ),
    ],
)
def test_disk_rows_need_a_status_and_sizes(row: str, message: str) -> None:
    with pytest.raises(InventoryError) as exc:
        rd.diskpart_disks(DISK_HEADER + row + "\n")
    assert problem(exc) == ("line 3", message)


def test_volume_rows_need_a_type() -> None:
    row = "  Volume 3     C                NTFS                126 GB  Healthy    Boot"
    with pytest.raises(InventoryError) as exc:
        rd.diskpart_volumes(VOLUME_HEADER + row + "\n")
    assert problem(exc) == (
        "line 3",
        "expected the type of the volume in the Type column, found nothing",
    )
