"""Readers of vssadmin and diskpart text: every sample read in full, strict errors, properties.

The samples live in ``tests/fixtures/samples`` (see its README for where each
came from; names containing ``-madeup-`` were written for these tests).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hyperv_backup.inventory import InventoryError, Problem
from hyperv_backup.model import ModelError
from hyperv_backup.readers import (
    HYPERV_WRITER_ID,
    MAX_TEXT_LENGTH,
    DiskpartDisk,
    DiskpartVolume,
    ShadowStorage,
    VssWriter,
    diskpart_disks,
    diskpart_volumes,
    hyperv_writer,
    vssadmin_shadow_storage,
    vssadmin_writers,
)

SAMPLES = Path(__file__).resolve().parent / "fixtures" / "samples"

Reader = Callable[[str], tuple[object, ...]]
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

WRITERS_FAILED = "vssadmin-list-writers-hyperv-failed-blog-1.txt"
STORAGE_VISTA = "vssadmin-list-shadowstorage-vista-msblog-htmlscrape-1.txt"
DISKPART = "diskpart-list-disk-list-volume-piped-beatcracker-1.txt"
GET_VOLUME = "get-volume-table-msdocs-1.txt"
GET_DISK = "get-disk-table-mbr-gpt-msdocs-1.txt"
WRITERS_STABLE = "vssadmin-list-writers-madeup-stable-crlf-1.txt"
WRITERS_FR = "vssadmin-list-writers-madeup-fr-1.txt"
STORAGE_OTHER = "vssadmin-list-shadowstorage-madeup-other-volume-1.txt"
STORAGE_EMPTY = "vssadmin-list-shadowstorage-madeup-empty-1.txt"
STORAGE_ELIDED = "vssadmin-list-shadowstorage-madeup-elided-1.txt"
DISKPART_DYNAMIC = "diskpart-list-disk-list-volume-madeup-dynamic-gpt-1.txt"
DISKPART_EMPTY = "diskpart-list-disk-list-volume-madeup-empty-1.txt"

BANNER = (
    "vssadmin 1.1 - Volume Shadow Copy Service administrative command-line tool\n"
    "(C) Copyright 2001-2013 Microsoft Corp.\n"
)
GUID_A = "6162e336-7448-4371-93a7-29581512b103"
VOLUME_A = "\\\\?\\Volume{3ce0cbe2-57c2-11db-a712-806e6f6e6963}\\"


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


def stable_writer(name: str = "System Writer", instance: str = GUID_A) -> str:
    return writer_record(
        name,
        "Writer Id: {e8132975-6f93-4464-a53e-1050253ae220}",
        f"Writer Instance Id: {{{instance}}}",
        "State: [1] Stable",
        "Last error: No error",
    )


# --- the fixtures --------------------------------------------------------------------------


def test_every_fixture_is_described_in_the_readme() -> None:
    """Each sample file has a row in the README; made-up files are listed as made up."""
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    real, madeup = readme.split("**Made-up files**")
    names = sorted(p.name for p in SAMPLES.iterdir() if p.suffix == ".txt")
    assert len(names) == 12
    for name in names:
        assert f"| `{name}` |" in (madeup if "-madeup-" in name else real), name


# --- vssadmin list writers -----------------------------------------------------------------


def test_real_writers_sample_with_the_hyperv_writer_failed() -> None:
    """Both complete writers are read; the one cut short by the author's elision is left out."""
    writers = vssadmin_writers(sample(WRITERS_FAILED))
    assert writers == (
        VssWriter(
            name="Microsoft Hyper-V VSS Writer",
            writer_id="66841cd4-6ded-4f4b-8f17-fd23f8ddc3de",
            instance_id="6162e336-7448-4371-93a7-29581512b103",
            state=8,
            last_error="Inconsistent shadow copy",
        ),
        VssWriter(
            name="System Writer",
            writer_id="e8132975-6f93-4464-a53e-1050253ae220",
            instance_id="b1c47cec-0e12-4ac6-b84b-9c1d8292a9f3",
            state=5,
            last_error="No error",
        ),
    )
    assert hyperv_writer(writers) is writers[0]


def test_madeup_english_writers_with_crlf_waiting_note_and_trailing_blanks() -> None:
    writers = vssadmin_writers(sample(WRITERS_STABLE))
    assert writers == (
        VssWriter(
            name="Task Scheduler Writer",
            writer_id="d61d61c8-d73a-4eee-8cdd-f6f9786b7124",
            instance_id="3049bcf7-1a5c-4b49-acfb-ed38344d875c",
            state=1,
            last_error="No error",
        ),
        VssWriter(
            name="Microsoft Hyper-V VSS Writer",
            writer_id=HYPERV_WRITER_ID,
            instance_id="bfb6cd01-7116-474e-b5ae-271e20c724c8",
            state=1,
            last_error="No error",
        ),
        VssWriter(
            name="System Writer",
            writer_id="e8132975-6f93-4464-a53e-1050253ae220",
            instance_id="35eab274-a43b-454d-9e2c-f4c6db7aa34d",
            state=1,
            last_error="No error",
        ),
    )
    assert hyperv_writer(writers) == writers[1]


def test_madeup_french_writers_read_by_their_ids_and_state_numbers() -> None:
    """Localized labels are not read: French output gives the same fields as English."""
    writers = vssadmin_writers(sample(WRITERS_FR))
    assert writers == (
        VssWriter(
            name="Microsoft Hyper-V VSS Writer",
            writer_id=HYPERV_WRITER_ID,
            instance_id="c65b500e-a429-47c4-8ecd-eacb14e7686e",
            state=9,
            last_error="D\u00e9lai d\u00e9pass\u00e9",
        ),
        VssWriter(
            name="System Writer",
            writer_id="e8132975-6f93-4464-a53e-1050253ae220",
            instance_id="2bfe1835-3918-430c-a059-fd241dbab131",
            state=1,
            last_error="Aucune erreur",
        ),
    )
    writer = hyperv_writer(writers)
    assert writer is not None
    assert writer.state == 9


def test_hyperv_writer_is_found_by_its_id_not_its_name() -> None:
    renamed = VssWriter(
        name="Hyper-V", writer_id=HYPERV_WRITER_ID, instance_id=GUID_A, state=1, last_error="x"
    )
    impostor = VssWriter(
        name="Microsoft Hyper-V VSS Writer",
        writer_id="e8132975-6f93-4464-a53e-1050253ae220",
        instance_id=GUID_A,
        state=1,
        last_error="x",
    )
    assert hyperv_writer([impostor, renamed]) is renamed
    assert hyperv_writer([impostor]) is None
    assert hyperv_writer(iter([renamed])) is renamed


def test_guids_are_lower_cased_and_braces_are_optional() -> None:
    text = writer_record(
        "W",
        "Writer Id: {E8132975-6F93-4464-A53E-1050253AE220}",
        f"Writer Instance Id: {GUID_A.upper()}",
        "State: [0] Unknown",
        "Last error: Timed out",
    )
    (writer,) = vssadmin_writers(text)
    assert writer.writer_id == "e8132975-6f93-4464-a53e-1050253ae220"
    assert writer.instance_id == GUID_A
    assert writer.state == 0
    assert writer.last_error == "Timed out"


def test_a_writer_name_may_hold_colons_and_quotes() -> None:
    (writer,) = vssadmin_writers(stable_writer("SQL: 'main' Writer"))
    assert writer.name == "SQL: 'main' Writer"


@pytest.mark.parametrize(
    ("line", "replacement", "expected"),
    [
        (2, "   Writer Id: (none)", "expected the writer id of writer 'W' as a {GUID}"),
        (3, "   Writer Instance Id: {6162e336}", "expected the writer instance id"),
        (4, "   State: Stable", "expected the state of writer 'W' as a number in brackets"),
        (4, "   State: [99999999999] Stable", "as a number in brackets"),
        (5, "   Last error:", "expected the last error of writer 'W'"),
        (5, "   Last error: [1] Stable", "expected the last error"),
        (3, "Writer name: 'X'", "expected the writer instance id of writer 'W' as 'label: value'"),
        (4, "   State [1] Stable", "as 'label: value'"),
    ],
)
def test_a_damaged_writer_record_names_its_line(line: int, replacement: str, expected: str) -> None:
    lines = stable_writer("W").split("\n")
    lines[line - 1] = replacement
    found = problem(vssadmin_writers, BANNER + "\n" + "\n".join(lines))
    assert found.path == f"line {line + 3}"
    assert expected in found.message


@pytest.mark.parametrize(("keep", "missing"), [(1, "writer id"), (3, "state"), (4, "last error")])
def test_a_writer_record_cut_off_by_the_end_of_the_text_names_its_first_line(
    keep: int, missing: str
) -> None:
    text = stable_writer() + "\n".join(stable_writer("Cut").split("\n")[:keep])
    found = problem(vssadmin_writers, text)
    assert found.path == "line 6"
    assert f"writer 'Cut' that begins here: its {missing} is missing" in found.message


def test_an_id_or_state_outside_a_record_is_a_damaged_record() -> None:
    """A record whose name line is lost must not vanish silently."""
    text = BANNER + "   Writer Id: {66841cd4-6ded-4f4b-8f17-fd23f8ddc3de}\n" + stable_writer()
    found = problem(vssadmin_writers, text)
    assert found.path == "line 3"
    assert "outside a writer record" in found.message
    assert problem(vssadmin_writers, "State: [1] Stable\n").path == "line 1"


def test_an_elision_drops_the_record_it_interrupts_and_the_orphans_after_it() -> None:
    text = (
        stable_writer("Before")
        + "Writer name: 'Cut'\n   Writer Id: {e8132975-6f93-4464-a53e-1050253ae220}\n"
        + "   [...]\n"
        + "   State: [1] Stable\n   Last error: No error\n"
        + "\u2026\n"
        + stable_writer("After")
    )
    assert [w.name for w in vssadmin_writers(text)] == ["Before", "After"]


@pytest.mark.parametrize("name", [STORAGE_EMPTY])
def test_the_english_nothing_found_answer_gives_no_writers(name: str) -> None:
    assert vssadmin_writers(sample(name)) == ()
    assert vssadmin_writers("No items found that satisfy the query.") == ()


# --- vssadmin list shadowstorage -----------------------------------------------------------


def test_real_shadow_storage_sample_is_refused_where_it_is_cut_off() -> None:
    """The scraped page stops inside the third storage path: that line is named."""
    text = sample(STORAGE_VISTA)
    found = problem(vssadmin_shadow_storage, text)
    assert found.path == "line 13"
    assert "is cut off or is not a \\\\?\\Volume{GUID}\\ path" in found.message


def test_real_shadow_storage_sample_up_to_the_cut_gives_both_volumes() -> None:
    """Volume and storage volume on one line, sizes without a share of the volume."""
    text = "\n".join(sample(STORAGE_VISTA).split("\n")[:12])
    assert vssadmin_shadow_storage(text) == (
        ShadowStorage(
            for_volume="C:",
            storage_volume="C:",
            used="1.335 GB",
            allocated="1.539 GB",
            maximum="4.395 GB",
        ),
        ShadowStorage(
            for_volume="V:",
            storage_volume="V:",
            used="12.643 GB",
            allocated="13.116 GB",
            maximum="14.649 GB",
        ),
    )


def test_madeup_shadow_storage_on_another_volume() -> None:
    assert vssadmin_shadow_storage(sample(STORAGE_OTHER)) == (
        ShadowStorage(
            for_volume="C:",
            storage_volume="C:",
            used="2.06 GB (1%)",
            allocated="2.53 GB (1%)",
            maximum="11.8 GB (8%)",
        ),
        ShadowStorage(
            for_volume="E:",
            storage_volume="F:",
            used="0 bytes (0%)",
            allocated="0 bytes (0%)",
            maximum="UNBOUNDED (100%)",
        ),
        ShadowStorage(
            for_volume="\\\\?\\Volume{0c5f23e8-91d4-4e7a-b6a2-5d08e1f7c934}\\",
            storage_volume="F:",
            used="320 MB (0%)",
            allocated="640 MB (0%)",
            maximum="20 GB (10%)",
        ),
    )


def test_madeup_nothing_found_answer_gives_no_associations() -> None:
    assert vssadmin_shadow_storage(sample(STORAGE_EMPTY)) == ()


def test_localized_sizes_and_labels() -> None:
    text = (
        f"Pour le volume : (C:){VOLUME_A}\n"
        f"Volume de stockage : (D:){VOLUME_A}\n"
        "Espace utilis\u00e9 : 2,06 Go (1 %)\n"
        "Espace allou\u00e9 : 2,53 Go (1 %)\n"
        "Espace maximal : 11,8 Go (8 %)\n"
    )
    (storage,) = vssadmin_shadow_storage(text)
    assert (storage.for_volume, storage.storage_volume) == ("C:", "D:")
    assert storage.maximum == "11,8 Go (8 %)"


def storage_record(*sizes: str, storage: str = f"(D:){VOLUME_A}") -> str:
    return "\n".join(
        [
            "Shadow Copy Storage association",
            f"   For volume: (C:){VOLUME_A}",
            f"   Shadow Copy Storage volume: {storage}",
            *(f"   Space: {size}" for size in sizes),
        ]
    )


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        (storage_record("1 GB", "2 GB", "3 GB", storage="(D:)"), 3, "storage volume of 'C:'"),
        (storage_record("1 GB", "two", "3 GB"), 5, "allocated shadow copy storage space of 'C:'"),
        (storage_record("1 GB", "2 GB", "3 GB (x%)"), 6, "maximum"),
        (storage_record("1 GB", "2 GB", "(7%)"), 6, "maximum"),
        (storage_record(f"(C:){VOLUME_A}"), 4, "used"),
        (storage_record("1 GB", "2 GB"), 2, "its shadow copy maximum space is missing"),
        (storage_record(storage="(D:)\\\\?\\Volume{3ce0cbe2}\\"), 3, "cut off"),
        ("\n".join(storage_record().split("\n")[:2]), 2, "storage volume is missing"),
        (f"{VOLUME_A} {VOLUME_A} {VOLUME_A}\n", 1, "at most two volumes on one line"),
        (storage_record("1 GB", "2 GB", "3 GB" + "0" * 40), 6, "maximum"),
    ],
)
def test_a_damaged_association_names_its_line(text: str, line: int, expected: str) -> None:
    found = problem(vssadmin_shadow_storage, text)
    assert found.path == f"line {line}"
    assert expected in found.message


def test_an_elision_drops_the_association_it_interrupts() -> None:
    text = storage_record("1 GB") + "\n...\n\n" + storage_record("1 GB", "2 GB", "3 GB")
    (storage,) = vssadmin_shadow_storage(text)
    assert storage.used == "1 GB"


def test_madeup_elision_inside_an_association_skips_to_the_blank_line() -> None:
    """The rest of a cut association, its storage volume path included, starts nothing.

    Associations are separated by blank lines, so everything up to the next
    blank line belongs to the association the elision cut.
    """
    assert [
        (s.for_volume, s.storage_volume) for s in vssadmin_shadow_storage(sample(STORAGE_ELIDED))
    ] == [
        ("C:", "C:"),
        ("G:", "G:"),
    ]


def test_an_elision_skips_up_to_the_blank_line_only() -> None:
    """Lines after the blank line that ends a cut association are read again."""
    cut = "\n".join(storage_record("1 GB").split("\n")[:2]) + "\n   ...\n" + f"   (D:){VOLUME_A}\n"
    text = cut + "   Space: 1 GB\n\n" + storage_record("1 GB", "2 GB", "3 GB")
    (storage,) = vssadmin_shadow_storage(text)
    assert storage.maximum == "3 GB"
    # Without a blank line between them, the next association counts as part of the cut one.
    text = (
        storage_record("7 GB", "8 GB", "9 GB")
        + "\n\n"
        + cut
        + storage_record("4 GB", "5 GB", "6 GB")
    )
    assert [s.used for s in vssadmin_shadow_storage(text)] == ["7 GB"]


def test_other_volume_paths_outside_associations_are_skipped() -> None:
    """A shadow copy device path is not a ``Volume{GUID}`` path and starts nothing."""
    text = "Shadow Copy Volume: \\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1\n"
    text += storage_record("1 GB", "2 GB", "3 GB")
    assert len(vssadmin_shadow_storage(text)) == 1


# --- the empty answer in other languages ---------------------------------------------------


@pytest.mark.parametrize("reader", [vssadmin_writers, vssadmin_shadow_storage])
def test_a_lone_sentence_after_the_banner_is_read_as_nothing_found(reader: Reader) -> None:
    """The wording in other languages is not assumed: one colon-free sentence, nothing else.

    The sentence below stands in for a translation; it is not quoted from vssadmin.
    """
    assert reader(BANNER + "\nAucun \u00e9l\u00e9ment trouv\u00e9.\n\nC:\\>") == ()


@pytest.mark.parametrize(
    ("tail", "line"),
    [
        ("\nErreur : acc\u00e8s refus\u00e9.\n", 4),
        ("\nError: Invalid command.\n", 4),
        ("\nUne phrase.\nUne autre.\n", 4),
        ("\nPas de point final\n", 4),
        ("\n\n", 1),
    ],
)
@pytest.mark.parametrize("reader", [vssadmin_writers, vssadmin_shadow_storage])
def test_anything_else_after_the_banner_is_refused(reader: Reader, tail: str, line: int) -> None:
    found = problem(reader, BANNER + tail)
    assert found.path == f"line {line}"
    if line == 1:
        assert "vssadmin printed nothing after its banner" in found.message
    else:
        assert "or vssadmin's one-line answer that nothing matched" in found.message


# --- diskpart --------------------------------------------------------------------------------


def test_real_diskpart_sample_list_disk() -> None:
    assert diskpart_disks(sample(DISKPART)) == (
        DiskpartDisk(
            number=0, status="Online", size="298 GB", free="0 B", dynamic=False, gpt=False
        ),
    )


def test_real_diskpart_sample_list_volume() -> None:
    assert diskpart_volumes(sample(DISKPART)) == (
        DiskpartVolume(
            number=0,
            letter="E",
            label="",
            file_system=None,
            type="DVD-ROM",
            size="0 B",
            status="No Media",
            info="",
        ),
        DiskpartVolume(
            number=1,
            letter="C",
            label="System",
            file_system="NTFS",
            type="Partition",
            size="100 GB",
            status="Healthy",
            info="System",
        ),
        DiskpartVolume(
            number=2,
            letter="D",
            label="Storage",
            file_system="NTFS",
            type="Partition",
            size="198 GB",
            status="Healthy",
            info="",
        ),
    )


def test_madeup_dynamic_and_gpt_disks() -> None:
    assert diskpart_disks(sample(DISKPART_DYNAMIC)) == (
        DiskpartDisk(number=0, status="Online", size="127 GB", free="0 B", dynamic=False, gpt=True),
        DiskpartDisk(
            number=1, status="Online", size="200 GB", free="1024 KB", dynamic=True, gpt=False
        ),
        DiskpartDisk(
            number=2, status="Online", size="200 GB", free="1024 KB", dynamic=True, gpt=True
        ),
        DiskpartDisk(
            number=3, status="Offline", size="50 GB", free="50 GB", dynamic=False, gpt=False
        ),
    )


def test_madeup_volumes_without_letter_or_label() -> None:
    assert diskpart_volumes(sample(DISKPART_DYNAMIC)) == (
        DiskpartVolume(
            number=0,
            letter="D",
            label="",
            file_system=None,
            type="DVD-ROM",
            size="0 B",
            status="No Media",
            info="",
        ),
        DiskpartVolume(
            number=1,
            letter=None,
            label="Recovery",
            file_system="NTFS",
            type="Partition",
            size="499 MB",
            status="Healthy",
            info="Hidden",
        ),
        DiskpartVolume(
            number=2,
            letter=None,
            label="",
            file_system="FAT32",
            type="Partition",
            size="99 MB",
            status="Healthy",
            info="System",
        ),
        DiskpartVolume(
            number=3,
            letter="C",
            label="",
            file_system="NTFS",
            type="Partition",
            size="126 GB",
            status="Healthy",
            info="Boot",
        ),
        DiskpartVolume(
            number=4,
            letter="E",
            label="Data",
            file_system="NTFS",
            type="Mirror",
            size="199 GB",
            status="Healthy",
            info="",
        ),
        DiskpartVolume(
            number=5,
            letter="F",
            label="Logs",
            file_system="ReFS",
            type="Simple",
            size="49 GB",
            status="Healthy",
            info="",
        ),
    )


def test_madeup_nothing_to_list_answers() -> None:
    text = sample(DISKPART_EMPTY)
    assert diskpart_disks(text) == ()
    assert diskpart_volumes(text) == ()
    assert problem(diskpart_disks, "There are no volumes.").path == "line 1"


@pytest.mark.parametrize("name", [DISKPART, DISKPART_DYNAMIC])
@pytest.mark.parametrize("reader", [diskpart_disks, diskpart_volumes])
def test_header_words_are_not_read(name: str, reader: Reader) -> None:
    """Only the dashes row places the columns, so translated headers read the same."""
    lines = sample(name).split("\n")
    for index, line in enumerate(lines):
        if line.strip().startswith("---"):
            header = lines[index - 1]
            lines[index - 1] = "".join("\u00e9" if c.isalpha() else c for c in header)
    assert reader("\n".join(lines)) == reader(sample(name))


def disk_table(*rows: str) -> str:
    return "\n".join(
        [
            "  Disk ###  Status         Size     Free     Dyn  Gpt",
            "  --------  -------------  -------  -------  ---  ---",
            *rows,
        ]
    )


def volume_table(*rows: str) -> str:
    return "\n".join(
        [
            "  Volume ###  Ltr  Label        Fs     Type        Size     Status     Info",
            "  ----------  ---  -----------  -----  ----------  -------  ---------  --------",
            *rows,
        ]
    )


DISK_0 = "  Disk 0    Online          298 GB      0 B"
VOLUME_1 = "  Volume 1     C   System       NTFS   Partition    100 GB  Healthy    System"


@pytest.mark.parametrize(
    ("reader", "text", "line", "expected"),
    [
        (
            diskpart_disks,
            disk_table("  Disk      Online          298 GB      0 B"),
            3,
            "disk number",
        ),
        (
            diskpart_disks,
            disk_table("  0         Online          298 GB      0 B"),
            3,
            "disk number",
        ),
        (diskpart_disks, disk_table(DISK_0 + "    x"), 3, "Dyn column"),
        (diskpart_disks, disk_table(DISK_0 + "         **"), 3, "Gpt column"),
        (
            diskpart_disks,
            disk_table("  Disk 0    Online                     0 B"),
            3,
            "Size column",
        ),
        (diskpart_disks, disk_table("  Disk 0    Online          298 GB"), 3, "Free column"),
        (diskpart_disks, disk_table("  Disk 0                    298 GB      0 B"), 3, "status"),
        (diskpart_disks, disk_table(DISK_0, "  Disk 1    Online with a long status"), 4, "line up"),
        (diskpart_disks, disk_table(), 2, "found none"),
        (diskpart_volumes, volume_table(VOLUME_1.replace(" C ", "CD ")), 3, "Ltr column"),
        (diskpart_volumes, volume_table(VOLUME_1.replace("Partition", "         ")), 3, "Type"),
        (diskpart_volumes, volume_table(VOLUME_1.replace("100 GB", "  many")), 3, "Size column"),
        (
            diskpart_volumes,
            volume_table(VOLUME_1.replace("Volume 1", "Volume x")),
            3,
            "volume number",
        ),
    ],
)
def test_a_damaged_diskpart_row_names_its_line(
    reader: Reader, text: str, line: int, expected: str
) -> None:
    found = problem(reader, text)
    assert found.path == f"line {line}"
    assert expected in found.message


def test_selected_rows_elided_rows_and_tables_of_other_commands() -> None:
    text = "\n".join(
        [
            "DISKPART> list partition",
            "",
            "  Partition ###  Type              Size     Offset",
            "  -------------  ----------------  -------  -------",
            "  Partition 1    Primary            100 GB  1024 KB",
            "",
            disk_table("* Disk 7    Online          298 GB      0 B    *", "  ...", DISK_0),
            "DISKPART> ",
            volume_table(VOLUME_1.replace("  Volume 1", "* Volume 1")),
        ]
    )
    assert [d.number for d in diskpart_disks(text)] == [7, 0]
    assert diskpart_disks(text)[0].dynamic
    assert [v.number for v in diskpart_volumes(text)] == [1]


@pytest.mark.parametrize(
    ("name", "reader", "line", "expected"),
    [
        (GET_VOLUME, diskpart_disks, 4, "line up with the dashes row"),
        (
            GET_VOLUME,
            diskpart_volumes,
            3,
            "this table has 6 columns; 'diskpart list volume' prints 8",
        ),
        (GET_DISK, diskpart_disks, 4, "this table has 7 columns; 'diskpart list disk' prints 6"),
        (GET_DISK, diskpart_volumes, 4, "this table has 7 columns"),
    ],
)
def test_powershell_tables_are_not_taken_for_diskpart_tables(
    name: str, reader: Reader, line: int, expected: str
) -> None:
    found = problem(reader, sample(name))
    assert found.path == f"line {line}"
    assert expected in found.message


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
