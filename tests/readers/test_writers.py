"""The reader of ``vssadmin list writers``: every writers sample read in full, strict errors.

The samples live in ``tests/fixtures/samples`` (see its README for where each
came from; names containing ``-madeup-`` were written for these tests).
"""

from __future__ import annotations

import pytest

from hyperv_backup.readers import (
    HYPERV_WRITER_ID,
    VssWriter,
    hyperv_writer,
    vssadmin_writers,
)
from tests.readers._shared import (
    BANNER,
    GUID_A,
    STORAGE_EMPTY,
    WRITERS_FAILED,
    WRITERS_FR,
    WRITERS_STABLE,
    problem,
    sample,
    writer_record,
)


def stable_writer(name: str = "System Writer", instance: str = GUID_A) -> str:
    return writer_record(
        name,
        "Writer Id: {e8132975-6f93-4464-a53e-1050253ae220}",
        f"Writer Instance Id: {{{instance}}}",
        "State: [1] Stable",
        "Last error: No error",
    )


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
