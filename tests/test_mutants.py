r"""Tests written to close gaps that mutation testing found (see docs/testing.md).

Each test pins down a behaviour that a changed line of the rules, decisions or
readers could break without any other test noticing: an edge of a reader's
grammar, the exact error a record refuses a value with, a clause of a step
text that SPEC section 6 asks for. They are grouped by module.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from hyperv_backup import (
    VM,
    Attachment,
    Backup,
    BackupApplication,
    BackupLevel,
    BackupMode,
    Cluster,
    ClusterGroup,
    Disk,
    FileSystem,
    GuestDiskType,
    Host,
    HostOS,
    HostStorage,
    HypervBackupError,
    InventoryError,
    ModelError,
    NetworkKind,
    ResourceState,
    StepKind,
    VirtualNetwork,
    VMState,
    Volume,
    backup_mode,
    backup_plan,
    check,
    restore_steps,
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


# --- mode --------------------------------------------------------------------------------


def test_a_guest_iscsi_disk_does_not_hide_the_disks_after_it() -> None:
    """Guest iSCSI storage is skipped (SPEC 4); the disks listed after it are still asked."""
    vm = VM(
        name="APP01",
        state=VMState.RUNNING,
        disks=[
            Disk(name="LUN", attachment=Attachment.GUEST_ISCSI),
            Disk(
                name="Data",
                attachment=Attachment.VIRTUAL_HARD_DISK,
                guest_disk_type=GuestDiskType.DYNAMIC,
                volumes=[Volume(name="D:", file_system=FileSystem.FAT32)],
            ),
        ],
    )
    decision = backup_mode(vm)
    assert [(r.rule.id, r.subject) for r in decision.reasons] == [
        ("HVB303", "Data"),
        ("HVB304", "D:"),
    ]
    assert decision.reasons[1].message == (
        "Volume 'D:' of VM 'APP01' is fat32, not NTFS, which blocks an online backup."
    )


# --- _evaluate: the findings of check and backup_plan ------------------------------------


def _messages(target: Host | Cluster, node: str | None = None) -> dict[str, list[str]]:
    findings = check(target) if node is None else backup_plan(target, node).findings
    found: dict[str, list[str]] = {}
    for f in findings:
        found.setdefault(f.rule.id, []).append(f.message)
    return found


@pytest.mark.parametrize(
    ("os", "message"),
    [
        (
            HostOS.WINDOWS_SERVER_2012,
            "Host 'HV01' runs Windows Server 2012, later than the 2008 R2 the guidance was "
            "written for.",
        ),
        (
            HostOS.WINDOWS_SERVER_2012_R2,
            "Host 'HV01' runs Windows Server 2012 R2, later than the 2008 R2 the guidance was "
            "written for; it takes a checkpoint instead of saving a VM, so treat the downtime "
            "figures as an upper bound.",
        ),
    ],
)
def test_hvb100_names_the_release_and_says_when_downtime_is_an_upper_bound(
    os: HostOS, message: str
) -> None:
    """HVB100 (SPEC 3): from 2012 R2 on, a checkpoint replaces the saved state."""
    assert _messages(Host(name="HV01", os=os))["HVB100"] == [message]


def test_host_level_messages() -> None:
    """HVB101 names the application; HVB104 lists every virtual network."""
    host = Host(
        name="HV01",
        os=HostOS.WINDOWS_SERVER_2008,
        backup_application=BackupApplication(name="Agent", uses_hyperv_vss_writer=False),
        virtual_networks=[
            VirtualNetwork(name="A", kind=NetworkKind.PRIVATE),
            VirtualNetwork(name="B", kind=NetworkKind.INTERNAL),
        ],
    )
    found = _messages(host)
    assert found["HVB101"] == [
        "Backup application 'Agent' on host 'HV01' does not use the Hyper-V VSS writer."
    ]
    assert found["HVB104"] == [
        "Host 'HV01' has virtual networks ('A', 'B') that a full server backup leaves out; "
        "record their configuration."
    ]


def test_vm_and_disk_level_messages() -> None:
    """HVB107, HVB201 and HVB202 each name the VM and, for a disk, the disk."""
    vm = VM(
        name="V",
        state=VMState.OFF,
        snapshots=["a", "b"],
        disks=[
            Disk(name="P", attachment=Attachment.PASS_THROUGH),
            Disk(name="I", attachment=Attachment.GUEST_ISCSI),
        ],
    )
    host = Host(
        name="HV01",
        os=HostOS.WINDOWS_SERVER_2008,
        vms=[vm],
        backup_application=BackupApplication(name="WSB", is_windows_server_backup=True),
    )
    found = _messages(host)
    assert found["HVB107"] == [
        "VM 'V' has 2 VM snapshots; Windows Server Backup does not restore such a VM."
    ]
    assert found["HVB201"] == [
        "Disk 'P' of VM 'V' is a pass-through disk; the host backup does not hold it."
    ]
    assert found["HVB202"] == [
        "Disk 'I' of VM 'V' is reached through the guest's iSCSI initiator; the host backup "
        "does not hold it."
    ]


@pytest.mark.parametrize(
    ("patched", "outcome"),
    [
        (True, "only this VM is left out of the backup on 'N1'"),
        (False, "the whole backup on 'N1' can fail (KB958184 is not installed)"),
    ],
)
def test_hvb501_says_what_the_hotfix_changes(patched: bool, outcome: str) -> None:
    """HVB501 (SPEC 3): with KB958184 only the VM is left out; without it the backup can fail."""
    assert _messages(_clustered(patched=patched))["HVB501"] == [
        f"Disk 'Data' of clustered VM 'SQL01' is on a volume mounted by GUID path; {outcome}."
    ]


def test_cluster_findings_name_the_owner_and_the_backup_node() -> None:
    """HVB502 and HVB504 of a plan on another node name both nodes where it matters."""
    found = _messages(_two_node_cluster(), "N2")
    assert found["HVB502"] == [
        "Before clustered VM 'FS01' is backed up on 'N2', move it from 'N1' to 'N2' first, "
        "since only the owning node reports it for backup.",
        "Before clustered VM 'FS01' is backed up on 'N2', put its cluster resource offline "
        "through the Cluster service.",
        "Before clustered VM 'ODD' is backed up on 'N2', move it from 'N1' to 'N2' first, "
        "since only the owning node reports it for backup.",
    ]
    assert found["HVB504"] == [
        "Clustered VM 'ODD' on 'N2' has cluster resource offline, configuration resource "
        "online, storage resource offline, a combination the guidance does not cover."
    ]


def test_node_arguments_are_checked_with_clear_errors() -> None:
    """A node that is not a name or a Host, or names no node of the target, is refused."""
    cluster = _two_node_cluster()
    with pytest.raises(TypeError, match=r"^node must be a Host or a host's name, got int$"):
        backup_plan(cluster, 5)  # type: ignore[arg-type]
    with pytest.raises(HypervBackupError, match=r"^node 'N9' is not a node of cluster 'C'$"):
        backup_plan(cluster, "N9")
    host = Host(name="HV01", os=HostOS.WINDOWS_SERVER_2008)
    with pytest.raises(HypervBackupError, match=r"^node 'N9' is not a node of host 'HV01'$"):
        backup_plan(host, "N9")


# --- steps: the backup plan ---------------------------------------------------------------


def _host(**fields: object) -> Host:
    return Host(name="HV01", os=HostOS.WINDOWS_SERVER_2008_R2, **fields)  # type: ignore[arg-type]


def _steps(plan_or_steps: object, kind: StepKind) -> list[tuple[str, str, str, tuple[str, ...]]]:
    steps = getattr(plan_or_steps, "steps", plan_or_steps)
    return [(s.target, s.where, s.text, s.rules) for s in steps if s.action is kind]  # type: ignore[attr-defined]


def test_prerequisite_steps_name_the_host() -> None:
    """Each unmet prerequisite is one step naming the host (SPEC 6)."""
    host = _host(
        backup_application=BackupApplication(
            name="WSB",
            uses_hyperv_vss_writer=False,
            is_windows_server_backup=True,
            hyperv_writer_registered=False,
        )
    )
    assert _steps(backup_plan(host), StepKind.PREREQUISITE) == [
        (
            "HV01",
            "HV01",
            "Switch 'HV01' to a backup application that uses the Hyper-V VSS writer.",
            ("HVB101",),
        ),
        (
            "HV01",
            "HV01",
            "Register the Hyper-V VSS writer with Windows Server Backup on 'HV01' (KB958662).",
            ("HVB102",),
        ),
        ("HV01", "HV01", "Install KB982210 on 'HV01'.", ("HVB103",)),
    ]


def test_network_records_list_exactly_the_details_known() -> None:
    """Recording a virtual network names its kind, and its adapter and VLAN when it has them."""
    host = _host(
        installed_updates=["KB982210"],
        virtual_networks=[
            VirtualNetwork(
                name="LAN", kind=NetworkKind.EXTERNAL, physical_adapter="NIC1", vlan_id=20
            ),
            VirtualNetwork(name="Lab", kind=NetworkKind.PRIVATE),
            VirtualNetwork(name="Zero", kind=NetworkKind.INTERNAL, vlan_id=0),
        ],
    )
    assert [text for _, _, text, _ in _steps(backup_plan(host), StepKind.RECORD_NETWORKS)] == [
        "Record the configuration of virtual network 'LAN' on 'HV01' (kind external, "
        "physical adapter 'NIC1', VLAN 20).",
        "Record the configuration of virtual network 'Lab' on 'HV01' (kind private).",
        "Record the configuration of virtual network 'Zero' on 'HV01' (kind internal, VLAN 0).",
    ]


def test_guest_iscsi_backup_step_carries_hvb203_without_kb975354() -> None:
    """GUEST_BACKUP steps carry HVB202, plus HVB203 on 2008 R2 without KB975354 (SPEC 6)."""
    vm = VM(
        name="APP01", state=VMState.OFF, disks=[Disk(name="LUN", attachment=Attachment.GUEST_ISCSI)]
    )
    without = _steps(backup_plan(_host(vms=[vm])), StepKind.GUEST_BACKUP)
    assert without == [
        (
            "LUN",
            "APP01",
            "From inside the guest of VM 'APP01', back up disk 'LUN' before the host backup.",
            ("HVB202", "HVB203"),
        ),
    ]
    patched = _steps(
        backup_plan(_host(vms=[vm], installed_updates=["KB975354"])), StepKind.GUEST_BACKUP
    )
    assert [rules for *_, rules in patched] == [("HVB202",)]


@pytest.mark.parametrize(
    ("state", "integration", "text", "rules"),
    [
        (VMState.RUNNING, True, "Back up VM 'VM1' on 'HV01' online, with no downtime.", ()),
        (
            VMState.RUNNING,
            False,
            "Back up VM 'VM1' on 'HV01' offline: it is saved while the backup runs (downtime) and set back to running afterwards.",
            ("HVB301", "HVB308"),
        ),
        (VMState.OFF, True, "Back up VM 'VM1' on 'HV01' offline; it stays off.", ("HVB307",)),
    ],
)
def test_host_backup_step_says_how_and_with_what_downtime(
    state: VMState, integration: bool, text: str, rules: tuple[str, ...]
) -> None:
    """The host backup step states each VM's mode and downtime (SPEC 6)."""
    vm = VM(name="VM1", state=state, integration_services=integration)
    assert _steps(
        backup_plan(_host(vms=[vm], installed_updates=["KB982210"])), StepKind.HOST_BACKUP
    ) == [("VM1", "HV01", text, rules)]


def _clustered(patched: bool, *, wsb: bool = False, snapshots: int = 0) -> Cluster:
    on = ResourceState.ONLINE
    vm = VM(
        name="SQL01",
        state=VMState.RUNNING,
        snapshots=[f"s{i}" for i in range(snapshots)],
        disks=[
            Disk(
                name="Data",
                attachment=Attachment.VIRTUAL_HARD_DISK,
                path="\\\\?\\Volume{5e1b7a8c-2d4f-11df-9c3a-806e6f6e6963}\\SQL01.vhd",
                host_storage=HostStorage.CLUSTER_SHARED_VOLUME,
            )
        ],
        cluster_group=ClusterGroup(
            name="SQL01",
            owner_node="N1",
            cluster_resource=on,
            configuration_resource=on,
            storage_resource=on,
        ),
    )
    node = Host(
        name="N1",
        os=HostOS.WINDOWS_SERVER_2008_R2,
        vms=[vm],
        installed_updates=["KB982210", *(["KB958184"] if patched else [])],
        backup_application=BackupApplication(name="WSB", is_windows_server_backup=True)
        if wsb
        else None,
    )
    return Cluster(name="C", nodes=[node])


def test_host_backup_step_of_a_vm_on_a_guid_volume_without_the_hotfix() -> None:
    """HVB501 without KB958184: the step warns the whole backup can fail."""
    ((_, _, text, rules),) = _steps(backup_plan(_clustered(patched=False)), StepKind.HOST_BACKUP)
    assert text == (
        "Back up VM 'SQL01' on 'N1' online, with no downtime; without KB958184 on 'N1', its "
        "disk on a volume mounted by GUID path can make the whole backup fail."
    )
    assert rules == ("HVB501",)


def test_host_backup_step_of_a_vm_on_a_guid_volume_with_the_hotfix() -> None:
    """HVB501 with KB958184: the VM is left out of the backup, and the step says so."""
    ((_, _, text, rules),) = _steps(backup_plan(_clustered(patched=True)), StepKind.HOST_BACKUP)
    assert text == (
        "Expect VM 'SQL01' to be left out of the backup on 'N1': a disk is on a volume mounted "
        "by GUID path; mount it at a drive letter or folder to include the VM."
    )
    assert rules == ("HVB501",)


def test_a_finding_before_hvb106_does_not_stop_the_step_from_telling_it() -> None:
    """Every finding that changes the host backup step is applied, whatever comes before it.

    The VM's snapshots (HVB105) are found before its Cluster Shared Volume
    (HVB106); the step still names the other application HVB106 asks for.
    """
    plan = backup_plan(_clustered(patched=True, wsb=True, snapshots=1))
    ((*_, rules),) = _steps(plan, StepKind.HOST_BACKUP)
    assert rules == ("HVB106", "HVB501")


def _two_node_cluster() -> Cluster:
    """FS01 (offline backup, resources online) and ODD (states not covered), both on N1."""
    on, off = ResourceState.ONLINE, ResourceState.OFFLINE
    vm = VM(
        name="FS01",
        state=VMState.RUNNING,
        integration_services=False,
        cluster_group=ClusterGroup(
            name="FS01",
            owner_node="N1",
            cluster_resource=on,
            configuration_resource=on,
            storage_resource=on,
        ),
    )
    odd = VM(
        name="ODD",
        state=VMState.OFF,
        cluster_group=ClusterGroup(
            name="ODD",
            owner_node="N1",
            cluster_resource=off,
            configuration_resource=on,
            storage_resource=off,
        ),
    )
    node = Host(name="N1", os=HostOS.WINDOWS_SERVER_2008, vms=[vm, odd])
    return Cluster(name="C", nodes=[node, Host(name="N2", os=HostOS.WINDOWS_SERVER_2008)])


def test_cluster_preparation_texts() -> None:
    """An offline backup of a VM whose resources are online takes its cluster resource offline."""
    plan = backup_plan(_two_node_cluster(), "N2")
    assert [text for *_, text, _ in _steps(plan, StepKind.PREPARE_CLUSTER)] == [
        "Put the cluster resource of VM 'FS01' offline through the Cluster service.",
        "Bring the resources of VM 'ODD' (cluster resource offline, configuration resource "
        "online, storage resource offline), a combination the guidance does not cover, into a "
        "covered state before backing it up.",
    ]
    assert next(text for *_, text, _ in _steps(plan, StepKind.MOVE_VM)) == (
        "Move VM 'FS01' from 'N1' to 'N2', since only the owning node reports it for backup."
    )


# --- steps: restoring one VM --------------------------------------------------------------


def test_restore_step_texts() -> None:
    """The restore warns, restores the whole VM, then guest storage, then starts it (SPEC 6)."""
    vm = VM(
        name="APP01",
        state=VMState.RUNNING,
        disks=[Disk(name="LUN", attachment=Attachment.GUEST_ISCSI)],
    )
    steps = restore_steps(vm, "HV01", [])
    texts = {s.action: s.text for s in steps}
    assert texts[StepKind.WARN_VM_DELETED] == (
        "Know that the restore removes VM 'APP01', now running, and puts the backed-up copy in "
        "its place; its current state is lost."
    )
    assert texts[StepKind.RESTORE_VM] == (
        "Restore the whole of VM 'APP01' on 'HV01' from the online host-level backup."
    )
    assert texts[StepKind.GUEST_RESTORE] == (
        "After VM 'APP01' is restored, restore disk 'LUN' from inside the guest; no guest-level "
        "backup in the set holds it, so its data cannot be restored."
    )
    assert texts[StepKind.FIRST_START] == (
        "Start VM 'APP01', which comes back off, and ignore any report from the guest of an "
        "unexpected shutdown."
    )


def test_restore_preparation_names_the_node_as_given() -> None:
    """Preparing a restore on the owner is done where the restore runs, spelled as given."""
    on = ResourceState.ONLINE
    vm = VM(
        name="SQL01",
        state=VMState.OFF,
        cluster_group=ClusterGroup(
            name="SQL01",
            owner_node="hv-node1",
            cluster_resource=on,
            configuration_resource=on,
            storage_resource=on,
        ),
    )
    (prepare,) = _steps(restore_steps(vm, "HV-NODE1"), StepKind.PREPARE_CLUSTER)
    assert prepare == (
        "SQL01",
        "HV-NODE1",
        "Before VM 'SQL01' is restored on 'HV-NODE1', put its cluster and configuration "
        "resources offline.",
        ("HVB503",),
    )
    (elsewhere,) = _steps(restore_steps(vm, "HV-NODE2"), StepKind.PREPARE_CLUSTER)
    assert elsewhere == (
        "SQL01",
        "hv-node1",
        "Before VM 'SQL01' is restored on 'HV-NODE2', put its cluster and configuration "
        "resources offline on 'hv-node1', which owns it, so that two nodes do not both hold it.",
        ("HVB503",),
    )


def test_restore_preparation_of_resource_states_not_covered() -> None:
    off = ResourceState.OFFLINE
    vm = VM(
        name="ODD",
        state=VMState.OFF,
        cluster_group=ClusterGroup(
            name="ODD",
            owner_node="N1",
            cluster_resource=ResourceState.FAILED,
            configuration_resource=off,
            storage_resource=off,
        ),
    )
    ((_, where, text, rules),) = _steps(restore_steps(vm, "N1"), StepKind.PREPARE_CLUSTER)
    assert (where, rules) == ("N1", ("HVB504",))
    assert text == (
        "Bring the resources of VM 'ODD' (cluster resource failed, configuration resource "
        "offline, storage resource offline), a combination the guidance does not cover, into a "
        "covered state before restoring it."
    )


def test_the_latest_record_is_found_by_instant_whatever_the_time_zone() -> None:
    """The latest host-level record is the latest in time (SPEC 6), across time zones.

    10:00 at UTC+2 is 08:00 UTC, earlier than 09:00 UTC, though given last.
    """
    vm = VM(name="VM1", state=VMState.RUNNING)
    utc = Backup(
        vm="VM1",
        node="HV01",
        level=BackupLevel.HOST,
        mode=BackupMode.ONLINE,
        taken_at=datetime(2024, 5, 1, 9, tzinfo=UTC),
    )
    plus_two = Backup(
        vm="VM1",
        node="HV01",
        level=BackupLevel.HOST,
        mode=BackupMode.OFFLINE,
        taken_at=datetime(2024, 5, 1, 10, tzinfo=timezone(timedelta(hours=2))),
    )
    naive = Backup(
        vm="VM1",
        node="HV01",
        level=BackupLevel.HOST,
        mode=BackupMode.OFFLINE,
        taken_at=datetime(2024, 5, 1, 8, 30),
    )
    (restore,) = _steps(restore_steps(vm, "HV01", [utc, plus_two, naive]), StepKind.RESTORE_VM)
    assert "from the online host-level backup" in restore[2]


def test_a_backup_set_of_the_wrong_type_is_named_in_the_error() -> None:
    vm = VM(name="VM1", state=VMState.OFF)
    with pytest.raises(
        TypeError, match=r"^backup must be a Backup or a sequence of them, got int$"
    ):
        restore_steps(vm, "HV01", 5)  # type: ignore[arg-type]
