"""The reader of ``vssadmin list shadowstorage``: every sample read, strict errors, elisions.

The samples live in ``tests/fixtures/samples`` (see its README for where each
came from; names containing ``-madeup-`` were written for these tests).
"""

from __future__ import annotations

import pytest

from hyperv_backup.readers import (
    ShadowStorage,
    vssadmin_shadow_storage,
)
from tests.readers._shared import (
    STORAGE_EMPTY,
    STORAGE_OTHER,
    problem,
    sample,
)

STORAGE_VISTA = "vssadmin-list-shadowstorage-vista-msblog-htmlscrape-1.txt"


STORAGE_ELIDED = "vssadmin-list-shadowstorage-madeup-elided-1.txt"


VOLUME_A = "\\\\?\\Volume{3ce0cbe2-57c2-11db-a712-806e6f6e6963}\\"


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
