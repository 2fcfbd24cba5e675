"""The readers of ``diskpart list disk`` and ``list volume``: every sample read, strict errors.

PowerShell's own tables (``Get-Disk``, ``Get-Volume``) are among the samples
too: they must not be taken for diskpart's.

The samples live in ``tests/fixtures/samples`` (see its README for where each
came from; names containing ``-madeup-`` were written for these tests).
"""

from __future__ import annotations

import pytest

from hyperv_backup.readers import (
    DiskpartDisk,
    DiskpartVolume,
    diskpart_disks,
    diskpart_volumes,
)
from tests.readers._shared import (
    DISKPART,
    DISKPART_DYNAMIC,
    DISKPART_EMPTY,
    Reader,
    problem,
    sample,
)

GET_VOLUME = "get-volume-table-msdocs-1.txt"
GET_DISK = "get-disk-table-mbr-gpt-msdocs-1.txt"


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
