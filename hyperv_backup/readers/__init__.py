r"""Readers for the text that ``vssadmin`` and ``diskpart`` print.

Administrators often have the output of ``vssadmin list writers``,
``vssadmin list shadowstorage``, ``diskpart list disk`` and ``diskpart list
volume`` at hand already. Each reader here takes that text as it was captured
and returns a tuple of frozen records, one per writer, association, disk or
volume, in the order printed.

The readers anchor on what does not change with the display language: the
``{GUID}`` ids and ``[n]`` state numbers of vssadmin, its ``\\?\Volume{GUID}\``
paths, and the dashes row under a diskpart table header, whose runs of dashes
give the column positions. Labels and header words are never compared, so
localized output reads the same as English output. Banners, command prompts,
``Waiting for responses`` notes, blank lines, CRLF line ends and trailing
blanks are skipped.

Reading is strict where it matters: a record that begins but cannot be read to
its end, and text that holds no record of the command at all, raise
:class:`~hyperv_backup.inventory.InventoryError` whose problem path names the
line (``"line 12"``) and whose message says what was expected there. The one
exception is a record interrupted by an elision marker such as ``...`` or
``<... more ...>``: its author cut it short, so it is left out, with the rest
of its lines (for ``vssadmin list shadowstorage``, up to the next blank line).
The command's own answer that there is nothing to list gives an empty tuple.

One module reads each command's output (:mod:`~hyperv_backup.readers.writers`,
:mod:`~hyperv_backup.readers.shadow_storage`, :mod:`~hyperv_backup.readers.diskpart`);
they share one line-scanning helper.

>>> writers = vssadmin_writers('''
... Writer name: 'Microsoft Hyper-V VSS Writer'
...    Writer Id: {66841cd4-6ded-4f4b-8f17-fd23f8ddc3de}
...    Writer Instance Id: {6162e336-7448-4371-93a7-29581512b103}
...    State: [1] Stable
...    Last error: No error
... ''')
>>> hyperv_writer(writers).state
1
>>> vssadmin_writers("Writer name: 'System Writer'\n   Writer Id: (none)")
Traceback (most recent call last):
...
hyperv_backup.inventory.InventoryError: line 2: expected the writer id of writer 'System Writer' as a {GUID}, found 'Writer Id: (none)'

Every reader runs in time linear in the length of the text and refuses text
longer than :data:`MAX_TEXT_LENGTH` characters.

Backup catalogues are read too (:mod:`~hyperv_backup.readers.catalogues`): the
product-neutral restore-point format (JSON or CSV), ``wbadmin get versions``
and ``get items``, ``Get-WBBackupSet``, and the JSON of Veeam's
``Get-VBRRestorePoint`` and DPM's ``Get-DPMRecoveryPoint``, each into the
restore points of :class:`~hyperv_backup.model.Catalogue`.

The readers take text. A capture's bytes may be in any of the encodings a
Windows console or editor writes, a code page among them; :func:`captured_text`
decodes them and says which encoding it used and how it told
(:mod:`~hyperv_backup.readers.capture`):

>>> captured = captured_text("   Dernière erreur : Aucune erreur".encode("cp850"))
>>> captured.encoding, captured.reason
('cp850', 'the code page whose reading holds the most known label words; cp437 reads the same')
"""

from __future__ import annotations

from hyperv_backup._base import public_dir
from hyperv_backup.readers._catalogue import CATALOGUE_LIMITS, MAX_CATALOGUE_BYTES, CatalogueRead
from hyperv_backup.readers._scan import MAX_TEXT_LENGTH, normal_guid
from hyperv_backup.readers.capture import AmbiguousEncodingError, CapturedText, captured_text
from hyperv_backup.readers.catalogues import CATALOGUE_FORMS, catalogue_form, read_catalogue
from hyperv_backup.readers.diskpart import (
    DiskpartDisk,
    DiskpartVolume,
    diskpart_disks,
    diskpart_volumes,
)
from hyperv_backup.readers.dpm import dpm_recovery_points
from hyperv_backup.readers.event_json import winevent_json
from hyperv_backup.readers.event_xml import event_xml
from hyperv_backup.readers.events import (
    Event,
    EventLevel,
    EventLog,
    event_form,
    parse_time,
    read_events,
)
from hyperv_backup.readers.evtx import evtx_events
from hyperv_backup.readers.restore_points import (
    RESTORE_POINTS_SCHEMA,
    dump_restore_points,
    restore_points_csv,
    restore_points_json,
)
from hyperv_backup.readers.shadow_storage import ShadowStorage, vssadmin_shadow_storage
from hyperv_backup.readers.veeam import veeam_restore_points
from hyperv_backup.readers.wbadmin import (
    WbadminItems,
    WbadminVersion,
    wbadmin_catalogue,
    wbadmin_items,
    wbadmin_versions,
)
from hyperv_backup.readers.wbbackupset import wbbackupset_json
from hyperv_backup.readers.writers import (
    HYPERV_WRITER_ID,
    VssWriter,
    hyperv_writer,
    vssadmin_writers,
)

__all__ = [
    "CATALOGUE_FORMS",
    "CATALOGUE_LIMITS",
    "HYPERV_WRITER_ID",
    "MAX_CATALOGUE_BYTES",
    "MAX_TEXT_LENGTH",
    "RESTORE_POINTS_SCHEMA",
    "AmbiguousEncodingError",
    "CapturedText",
    "CatalogueRead",
    "DiskpartDisk",
    "DiskpartVolume",
    "Event",
    "EventLevel",
    "EventLog",
    "ShadowStorage",
    "VssWriter",
    "WbadminItems",
    "WbadminVersion",
    "captured_text",
    "catalogue_form",
    "diskpart_disks",
    "diskpart_volumes",
    "dpm_recovery_points",
    "dump_restore_points",
    "event_form",
    "event_xml",
    "evtx_events",
    "hyperv_writer",
    "normal_guid",
    "parse_time",
    "read_catalogue",
    "read_events",
    "restore_points_csv",
    "restore_points_json",
    "veeam_restore_points",
    "vssadmin_shadow_storage",
    "vssadmin_writers",
    "wbadmin_catalogue",
    "wbadmin_items",
    "wbadmin_versions",
    "wbbackupset_json",
    "winevent_json",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)
