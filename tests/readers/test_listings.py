"""The ``vssadmin list writers`` listings: each is read, or refused with its line.

The published listings and the made-up ones in the encodings of localised
hosts; their provenance is in ``tests/fixtures/writers/PROVENANCE.md``. Each
is decoded as ``diagnose --writers`` decodes it (:func:`captured_text`).
"""

from __future__ import annotations

import pytest

from hyperv_backup.inventory import InventoryError
from hyperv_backup.readers import captured_text, vssadmin_writers
from tests.paths import FIXTURES

LISTINGS = FIXTURES / "writers"

#: The listings vssadmin could have printed, and how many whole writers each holds.
READ = {
    "css-exchange2093-exchange-server-stable-en-partial.txt": 6,
    "css-exchange2093-exchange-writer-failed-en-partial.txt": 1,
    "css-exchange2093-waiting-for-responses-en-partial.txt": 1,
    "gilkirkpatrick-ws2008-hyperv-inconsistent-en.txt": 2,
    "lanyon-vss-post-after-restart-en.txt": 4,
    "lanyon-vss-post-before-restart-en.txt": 4,
    "ms-guest-w2003-w2008-writers-failed-9.txt": 6,
    "openzfs406-win11-fr-partial.txt": 4,
    "madeup-en-cp437-writer-name.txt": 3,
    "madeup-fr-cp850-hyperv-failed.txt": 5,
    "madeup-fr-cp1252-hyperv-failed.txt": 5,
    "madeup-fr-utf16-hyperv-failed.txt": 5,
    "madeup-ja-cp932-hyperv-failed.txt": 5,
    "madeup-pl-cp852-hyperv-failed.txt": 5,
    "madeup-pl-cp1250-hyperv-failed.txt": 5,
    "madeup-ru-cp866-hyperv-failed.txt": 5,
    "madeup-ru-cp1251-hyperv-failed.txt": 5,
}

#: The listings published with placeholders, without line breaks or from another tool.
REFUSED = (
    "ms-diskshadow-list-writers-status.txt",
    "ms-exchange-writer-stable-retryable.txt",
    "ms-ntds-failed-10-retryable-kb826936-flattened.txt",
    "ms-sqlserverwriter-failed-11-nonretryable.txt",
    "ms-system-writer-stable-after-fix.txt",
    "ms-vssadmin-error-0x8000ffff-w2003.txt",
)


def test_every_listing_is_classified() -> None:
    assert sorted(p.name for p in LISTINGS.glob("*.txt")) == sorted([*READ, *REFUSED])


@pytest.mark.parametrize("name", sorted(READ))
def test_a_published_listing_is_read(name: str) -> None:
    writers = vssadmin_writers(captured_text((LISTINGS / name).read_bytes()).text)
    assert len(writers) == READ[name]


@pytest.mark.parametrize("name", REFUSED)
def test_a_listing_vssadmin_did_not_print_is_refused_with_its_line(name: str) -> None:
    with pytest.raises(InventoryError, match=r"line \d+"):
        vssadmin_writers(captured_text((LISTINGS / name).read_bytes()).text)
