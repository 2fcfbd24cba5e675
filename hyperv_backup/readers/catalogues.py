r"""Reading a backup catalogue in whichever form it was exported.

:func:`catalogue_form` tells the form from the start of the data, and
:func:`read_catalogue` hands it to its reader:

==========================  ===========================================================
form                        export
==========================  ===========================================================
``restore-points-json``     the product-neutral format, JSON (:mod:`~hyperv_backup.readers.restore_points`)
``restore-points-csv``      the product-neutral format, CSV
``wbadmin``                 ``wbadmin get versions`` and ``wbadmin get items -version:ID``
``wbbackupset-json``        ``Get-WBBackupSet | ConvertTo-Json -Depth 4``
``veeam-json``              ``Get-VBRRestorePoint | ConvertTo-Json``
``dpm-json``                ``Get-DPMRecoveryPoint | ConvertTo-Json``
==========================  ===========================================================

>>> catalogue_form(b'{"restore_points": []}'), catalogue_form(b"vm,taken_at,level,product\n")
('restore-points-json', 'restore-points-csv')
>>> catalogue_form(b"Version identifier: 12/06/2026-22:10")
'wbadmin'
"""

from __future__ import annotations

import re

from hyperv_backup._base import public_dir
from hyperv_backup.inventory import InventoryError, Problem, decode_text
from hyperv_backup.readers._catalogue import CatalogueRead
from hyperv_backup.readers.capture import captured_text
from hyperv_backup.readers.dpm import dpm_recovery_points
from hyperv_backup.readers.restore_points import restore_points_csv, restore_points_json
from hyperv_backup.readers.veeam import veeam_restore_points
from hyperv_backup.readers.wbadmin import wbadmin_catalogue
from hyperv_backup.readers.wbbackupset import wbbackupset_json

__all__ = ["CATALOGUE_FORMS", "CatalogueRead", "catalogue_form", "read_catalogue"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


#: How much of the data the form is told from: the first record is well within it.
_HEAD = 64 * 1024

#: The key that tells each JSON export, by the first of them found.
_JSON_KEYS = (
    (re.compile(r'"(?:restore_points|network_records)"\s*:|urn:hyperv-backup:schema:restore-points'),
     "restore-points-json"),
    (re.compile(r'"VersionId"\s*:'), "wbbackupset-json"),
    (re.compile(r'"(?:RepresentedPointInTime|DataSource)"\s*:'), "dpm-json"),
    (re.compile(r'"CreationTime"\s*:'), "veeam-json"),
)  # fmt: skip
_WBADMIN = re.compile(r"version identifier\s*:|\bget\s+items\b|\bwbadmin\b", re.IGNORECASE)
#: The list view of Get-WBBackupSet (``VersionId : 10/25/2017-20:00``), which is no export.
_WB_LIST = re.compile(r"^\s*VersionId\s+:", re.MULTILINE)


def catalogue_form(data: bytes) -> str:
    """Say which of :data:`CATALOGUE_FORMS` ``data`` is in, from its first 64 KiB.

    Raises :class:`~hyperv_backup.inventory.InventoryError` for data that is
    none of them.
    """
    head = decode_text(data[:_HEAD], partial=True).lstrip("\ufeff \t\r\n")
    if head[:1] in ("{", "["):
        for pattern, form in _JSON_KEYS:
            if pattern.search(head):
                return form
        if head.replace(" ", "").replace("\n", "").replace("\r", "") in ("[]", "{}"):
            return "restore-points-json"
        raise InventoryError(
            [
                Problem(
                    "",
                    "JSON that is no catalogue this package reads: expected the product-neutral "
                    "format (restore_points), or the JSON of Get-WBBackupSet, Get-VBRRestorePoint "
                    "or Get-DPMRecoveryPoint",
                )
            ]
        )
    if _WBADMIN.search(head):
        return "wbadmin"
    if _WB_LIST.search(head):
        raise InventoryError(
            [
                Problem(
                    "",
                    "the list view of Get-WBBackupSet, whose local times and cut lists cannot be "
                    "read safely: export it with Get-WBBackupSet | ConvertTo-Json -Depth 4",
                )
            ]
        )
    lines = head.split("\n", 2)
    # Windows PowerShell 5.1's Export-Csv writes "#TYPE ..." first, unless told not to.
    first = lines[1] if lines[0].startswith("#TYPE ") and len(lines) > 1 else lines[0]
    if "taken_at" in first.casefold():
        return "restore-points-csv"
    raise InventoryError(
        [
            Problem(
                "",
                "not a backup catalogue: expected the product-neutral format (JSON or CSV), "
                "the output of wbadmin get versions or get items, or the JSON of "
                "Get-WBBackupSet, Get-VBRRestorePoint or Get-DPMRecoveryPoint",
            )
        ]
    )


def _neutral_json(data: bytes, host: str | None, skip_bad: bool) -> CatalogueRead:
    del host  # the format names each point's host
    if decode_text(data[:_HEAD], partial=True).strip("\ufeff \t\r\n") == "[]":
        return restore_points_json(b"{}")  # an export of nothing, as ConvertTo-Json writes it
    return restore_points_json(data, skip_bad=skip_bad)


def _neutral_csv(data: bytes, host: str | None, skip_bad: bool) -> CatalogueRead:
    del host  # the format names each point's host
    return restore_points_csv(data, skip_bad=skip_bad)


def _wbadmin(data: bytes, host: str | None, skip_bad: bool) -> CatalogueRead:
    del skip_bad  # a capture's lines are no records to skip
    # A capture of a console may be in its code page: decoded as diagnose decodes one.
    return wbadmin_catalogue(captured_text(data).text, host=host)


def _wbbackupset(data: bytes, host: str | None, skip_bad: bool) -> CatalogueRead:
    return wbbackupset_json(data, host=host, skip_bad=skip_bad)


def _veeam(data: bytes, host: str | None, skip_bad: bool) -> CatalogueRead:
    del host  # the export does not say which host took a point
    return veeam_restore_points(data, skip_bad=skip_bad)


def _dpm(data: bytes, host: str | None, skip_bad: bool) -> CatalogueRead:
    del host  # the export names each data source's server
    return dpm_recovery_points(data, skip_bad=skip_bad)


_READERS = {
    "restore-points-json": _neutral_json,
    "restore-points-csv": _neutral_csv,
    "wbadmin": _wbadmin,
    "wbbackupset-json": _wbbackupset,
    "veeam-json": _veeam,
    "dpm-json": _dpm,
}


#: The forms :func:`read_catalogue` reads.
CATALOGUE_FORMS = tuple(_READERS)


def read_catalogue(
    data: bytes, *, host: str | None = None, skip_bad: bool = False
) -> CatalogueRead:
    """Read a backup catalogue in whichever of :data:`CATALOGUE_FORMS` it is.

    ``host`` names the host whose catalogue it is, for the forms that do not
    say (``wbadmin``, ``Get-WBBackupSet``); ``skip_bad`` leaves out and counts
    the records that cannot be read. Raises
    :class:`~hyperv_backup.inventory.InventoryError` for data that is no
    catalogue, and as each reader does.
    """
    return _READERS[catalogue_form(data)](data, host, skip_bad)
