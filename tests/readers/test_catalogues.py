"""The readers of backup catalogues, on real captures and on made-up exports.

Each docstring says what the reader takes from the format as published
(``tests/fixtures/catalogues/README.md`` gives each sample's source).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hyperv_backup import InventoryError
from hyperv_backup.model import BackupLevel, Catalogue, Consistency, NetworkRecord, RestorePoint
from hyperv_backup.readers import (
    CATALOGUE_FORMS,
    RESTORE_POINTS_SCHEMA,
    catalogue_form,
    dpm_recovery_points,
    dump_restore_points,
    read_catalogue,
    restore_points_csv,
    restore_points_json,
    veeam_restore_points,
    wbadmin_catalogue,
    wbadmin_items,
    wbadmin_versions,
    wbbackupset_json,
)
from hyperv_backup.readers._catalogue import aware_time, hyperv_component, version_time
from tests.paths import FIXTURES

SAMPLES = FIXTURES / "catalogues"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def text(name: str) -> str:
    return sample(name).decode("utf-8")


def refused(call: object, *args: object, **kw: object) -> InventoryError:
    with pytest.raises(InventoryError) as info:
        call(*args, **kw)  # type: ignore[operator]
    return info.value


# --- wbadmin ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "identifiers", "location"),
    [
        (
            "wbadmin-get-versions-network-share-two-versions-blackfield-1.txt",
            ["09/21/2020-23:00", "10/05/2020-22:27"],
            "Network Share labeled \\\\10.10.14.4\\blackfieldA",
        ),
        (
            "wbadmin-get-versions-network-share-blackfield-3.txt",
            ["09/21/2020-23:00", "04/18/2025-22:12"],
            "Network Share labeled \\\\10.10.14.4\\blackfieldA",
        ),
        (
            "wbadmin-get-versions-fixed-disk-snapshot-id-studentlab-1.txt",
            ["06/30/2026-19:26"],
            "Fixed Disk labeled F:",
        ),
        (
            "wbadmin-get-versions-fixed-disk-excerpt-studentreport-2.txt",
            ["10/05/2026-10:47"],
            "Fixed Disk labeled E:",
        ),
    ],
)
def test_wbadmin_versions_of_real_captures(
    name: str, identifiers: list[str], location: str
) -> None:
    """Both keys of where a backup is kept (location, target); the identifier is the UTC time."""
    versions = wbadmin_versions(text(name))
    assert [v.identifier for v in versions] == identifiers
    assert versions[0].location == location
    first = versions[0]
    assert first.taken_at == version_time(first.identifier)
    assert first.taken_at.tzinfo is UTC


def test_wbadmin_keeps_the_local_time_as_printed() -> None:
    """The same version shows a local time the identifier does not depend on."""
    versions = wbadmin_versions(text("wbadmin-get-versions-network-share-blackfield-3.txt"))
    assert versions[0].backup_time == "9/21/2020 4:00 PM"
    assert versions[0].taken_at == datetime(2020, 9, 21, 23, tzinfo=UTC)
    assert versions[0].can_recover == ("Volume(s)", "File(s)")
    lab = wbadmin_versions(text("wbadmin-get-versions-fixed-disk-snapshot-id-studentlab-1.txt"))
    assert lab[0].snapshot_id == "{fae1a66c-0917-4ec1-8940-a82c22959cde}"
    assert lab[0].can_recover[-1] == "System State"


def test_wbadmin_refuses_an_annotated_identifier() -> None:
    """A published capture with an arrow after the identifier is refused, naming its line."""
    error = refused(
        wbadmin_versions, text("wbadmin-get-versions-network-share-annotated-blackfield-2.txt")
    )
    assert error.path == "line 11"
    assert "'11/12/2024-20:23 ←'" in str(error)


def test_wbadmin_versions_alone_hold_no_vm() -> None:
    """Get versions does not say which VMs a version holds: the catalogue says so in a note."""
    read = wbadmin_catalogue(
        text("wbadmin-get-versions-network-share-two-versions-blackfield-1.txt")
    )
    assert read.catalogue.points == ()
    assert read.versions == 2
    assert "get items" in read.notes[0]


def test_wbadmin_items_give_the_vms_of_a_version() -> None:
    """Each Hyper-V component but the host's own is a VM, at the version's time."""
    read = wbadmin_catalogue(
        text("wbadmin-get-versions-and-items-hyperv-madeup-1.txt"), host="HV01"
    )
    points = read.catalogue.points
    assert [(p.vm, p.vm_id, p.consistency) for p in points] == [
        ("WEB01", None, Consistency.APPLICATION_CONSISTENT),
        ("LNX02", "4c3e1a77-1b1d-4e7a-9e0b-2f3c4d5e6f70", Consistency.SAVED_STATE),
        ("APP01", None, None),
    ]
    assert {p.taken_at for p in points} == {datetime(2026, 12, 6, 22, tzinfo=UTC)}
    assert {(p.host, p.location, p.id, p.level) for p in points} == {
        ("HV01", "Fixed Disk labeled F:", "12/06/2026-22:00", BackupLevel.HOST)
    }
    assert read.versions == 2
    assert len(read.notes) == 1
    items = wbadmin_items(text("wbadmin-get-versions-and-items-hyperv-madeup-1.txt"))
    assert [name for name, _ in items[0].applications] == ["Hyper-V", "Registry"]


@pytest.mark.parametrize(
    ("capture", "line", "words"),
    [
        (
            "Backup time: 12/6/2026 2:10 PM\nBackup target: F:\n",
            "line 1",
            "no 'Version identifier:'",
        ),
        ("Application = Hyper-V\nComponent = SQL01\n", "line 1", "comes before any"),
        (
            "wbadmin get items -version:12/06/2026-22:10\nComponent = SQL01\n",
            "line 2",
            "no application",
        ),
        ("wbadmin get items -version:2026-12-06\n", "line 1", "MM/dd/yyyy-HH:mm"),
        ("nothing here\n", "line 1", "expected the output"),
        ("Version identifier: 13/45/2026-22:10\n", "line 1", "MM/dd/yyyy-HH:mm"),
    ],
)
def test_wbadmin_refuses_what_it_cannot_read(capture: str, line: str, words: str) -> None:
    """Every refusal names the line and says what was expected."""
    error = refused(wbadmin_catalogue, capture)
    assert error.path == line
    assert words in str(error)


def test_wbadmin_versions_and_items_need_their_commands() -> None:
    """Text with no version, or no items command, is not that command's output."""
    assert "no backup version" in str(refused(wbadmin_versions, "hello"))
    assert "no 'wbadmin get items" in str(refused(wbadmin_items, "hello"))


def test_a_repeated_label_starts_the_next_version() -> None:
    """Versions separated by no blank line are still two."""
    capture = (
        "Version identifier: 12/05/2026-22:00\nBackup time: x\n"
        "Version identifier: 12/06/2026-22:00\n"
    )
    assert [v.identifier for v in wbadmin_versions(capture)] == [
        "12/05/2026-22:00",
        "12/06/2026-22:00",
    ]


def test_hyperv_components() -> None:
    """The writer's captions, a GUID after the name or alone, the host's component."""
    assert hyperv_component("Backup Using Child Partition Snapshot\\SQL01") == (
        "SQL01",
        None,
        Consistency.APPLICATION_CONSISTENT,
    )
    assert hyperv_component("Online\\SQL01") == ("SQL01", None, None)
    guid = "4C3E1A77-1B1D-4E7A-9E0B-2F3C4D5E6F70"
    assert hyperv_component(f"{{{guid}}}") == (f"{{{guid}}}", guid.lower(), None)
    assert hyperv_component("Backup Using Saved State\\") is None
    assert hyperv_component(" host component ") is None


# --- Get-WBBackupSet --------------------------------------------------------------------


def test_wbbackupset_json() -> None:
    """Each set's VMs are the components with a VMName, but the host's; the time is the VersionId's."""
    read = wbbackupset_json(sample("get-wbbackupset-json-depth4-hyperv-madeup-1.json"), host="HV01")
    assert [(p.vm, p.taken_at.isoformat(), p.host, p.location) for p in read.catalogue.points] == [
        ("WEB01", "2026-12-05T22:00:00+00:00", "HV01", "F:"),
        ("WEB01", "2026-12-06T22:00:00+00:00", "HV01", "F:"),
        ("APP01", "2026-12-06T22:00:00+00:00", "HV01", "F:"),
    ]
    assert read.versions == 2
    assert read.form == "wbbackupset-json"


def test_wbbackupset_cut_at_its_depth_is_refused() -> None:
    """Without -Depth 4 the VMs' names are lost: the reader says how to export."""
    error = refused(wbbackupset_json, sample("get-wbbackupset-json-depth2-cut-madeup-1.json"))
    assert error.path == "Application[0].Component"
    assert "-Depth 4" in str(error)
    shallower = '{"VersionId": "12/06/2026-22:00", "Application": ["Registry", "Hyper-V"]}'
    assert refused(wbbackupset_json, shallower).path == "Application[1]"
    assert (
        wbbackupset_json('{"VersionId": "12/06/2026-22:00", "Application": ["Registry"]}').versions
        == 1
    )


@pytest.mark.parametrize(
    ("document", "path"),
    [
        ('[{"VersionId": "2026-12-06"}]', "[0].VersionId"),
        ('{"BackupTime": "/Date(1)/"}', "VersionId"),
        ('["x"]', "[0]"),
        ('{"VersionId": "12/06/2026-22:00", "Application": [3]}', "Application[0]"),
        (
            '{"VersionId": "12/06/2026-22:00", "Application": {"Component": {"VMName": ""}}}',
            "Application[0].Component[0].VMName",
        ),
    ],
)
def test_wbbackupset_refusals(document: str, path: str) -> None:
    """A set without its identifier, or with applications of the wrong kind, names its path."""
    assert refused(wbbackupset_json, document).path == path


def test_wbbackupset_targets_and_skipping() -> None:
    """A target object gives its label or path; a bad set is skipped and counted when asked."""
    document = (
        '[{"VersionId": "12/06/2026-22:00", "BackupTarget": {"Path": "\\\\\\\\fs\\\\wsb"},'
        ' "Application": [{"Component": [{"VMName": "A"}, {"Caption": "Registry"}]}, {}]},'
        ' {"VersionId": "x"}]'
    )
    read = wbbackupset_json(document, skip_bad=True)
    assert [(p.vm, p.location) for p in read.catalogue.points] == [("A", "\\\\fs\\wsb")]
    assert read.skipped == 1
    assert read.problems[0].path == "[1].VersionId"
    target = '{"VersionId": "12/06/2026-22:00", "BackupTarget": {"Label": 3}, "Application": null}'
    assert wbbackupset_json(target).catalogue.points == ()


# --- Veeam and DPM ----------------------------------------------------------------------


def test_veeam_restore_points() -> None:
    """VmName and CreationTime; a corrupted point is not usable; a replica's snapshot is no backup."""
    read = veeam_restore_points(sample("get-vbrrestorepoint-json-ps51-madeup-1.json"))
    assert [(p.vm, p.usable, p.id) for p in read.catalogue.points] == [
        ("SQL01", True, "5acac742-ee17-4080-8e89-a6ea67adfcf3"),
        ("SQL01", False, "dc216c04-2e34-478e-8b9b-49a3397ef6f8"),
    ]
    seven = veeam_restore_points(sample("get-vbrrestorepoint-json-ps7-madeup-1.json"))
    [point] = seven.catalogue.points
    assert point.taken_at == datetime(2026, 12, 6, 22, 5, 0, 123456, tzinfo=UTC)
    assert seven.notes == ("1 replica restore point(s) left out: a replica is no backup",)


@pytest.mark.parametrize(
    ("document", "path"),
    [
        ('[{"VmName": "A", "CreationTime": "2026-12-06T22:00:00"}]', "[0].CreationTime"),
        ('{"CreationTime": "/Date(1)/"}', "Name"),
        ('{"VmName": " ", "CreationTime": "/Date(1)/"}', "VmName"),
        ('{"VmName": "A", "CreationTime": "/Date(1)/", "IsCorrupted": "no"}', "IsCorrupted"),
        ("[1]", "[0]"),
    ],
)
def test_veeam_refusals(document: str, path: str) -> None:
    """A point without a VM or a time with its offset is refused; no zone is guessed."""
    assert refused(veeam_restore_points, document).path == path


def test_veeam_inconsistent_and_skipped() -> None:
    """IsConsistent false is read as an incomplete point; bad points are skipped when asked."""
    read = veeam_restore_points(
        '[{"Name": "A", "CreationTime": "/Date(1)/", "IsConsistent": false, "Id": 7},'
        ' {"VmName": "B"}]',
        skip_bad=True,
    )
    [point] = read.catalogue.points
    assert (point.vm, point.usable, point.id) == ("A", False, None)
    assert read.skipped == 1


def test_dpm_recovery_points() -> None:
    """The data source's name gives the VM and what its copy holds, its server the host."""
    read = dpm_recovery_points(sample("get-dpmrecoverypoint-json-madeup-1.json"))
    assert [(p.vm, p.host, p.consistency, p.location) for p in read.catalogue.points] == [
        ("SQL01", "HV22-NODE1", Consistency.APPLICATION_CONSISTENT, "Disk"),
        ("LNX02", "HV22-NODE1", Consistency.SAVED_STATE, "Disk"),
    ]


@pytest.mark.parametrize(
    ("document", "path"),
    [
        ('{"RepresentedPointInTime": "/Date(1)/"}', "DataSource"),
        ('{"DataSource": {"Name": 3}}', "DataSource.Name"),
        (
            '[{"DataSource": {"Name": "A"}, "RepresentedPointInTime": "x"}]',
            "[0].RepresentedPointInTime",
        ),
        ('["x"]', "[0]"),
    ],
)
def test_dpm_refusals(document: str, path: str) -> None:
    """A point without its data source or a time with its offset is refused."""
    assert refused(dpm_recovery_points, document).path == path


def test_dpm_without_a_server_and_skipped() -> None:
    """A point whose server is not named has no host; bad points are skipped when asked."""
    read = dpm_recovery_points(
        '[{"DataSource": {"Name": "A", "ProductionServerName": ""},'
        ' "RepresentedPointInTime": "/Date(1)/", "DataLocation": 2}, {}]',
        skip_bad=True,
    )
    [point] = read.catalogue.points
    assert (point.vm, point.host, point.location) == ("A", None, None)
    assert read.skipped == 1


# --- the product-neutral format ---------------------------------------------------------


def test_the_neutral_json_and_csv_read_the_same_points() -> None:
    """Every field of a point; a network record; offsets other than Z are the same instant."""
    json_read = restore_points_json(sample("restore-points-madeup-1.json"))
    csv_read = restore_points_csv(sample("restore-points-madeup-1.csv"))
    fields = ("vm", "host", "taken_at", "level", "consistency", "product", "id", "location")
    first, again = json_read.catalogue.points[0], csv_read.catalogue.points[0]
    assert [getattr(first, f) for f in fields] == [getattr(again, f) for f in fields]
    assert first.vm_id == "0f6e2b1c-7d3a-4c55-9e21-5a8b7c6d5e4f"
    assert json_read.catalogue.points[2].usable is False
    assert json_read.catalogue.points[2].taken_at == datetime(2026, 12, 6, 22, 30, tzinfo=UTC)
    assert json_read.catalogue.exported_at == datetime(2026, 12, 7, 6, 55, tzinfo=UTC)
    assert csv_read.catalogue.points[1].covers == ("Tape", "Archive")
    assert json_read.catalogue.networks[0].host == "HVCLUSTER22"
    assert csv_read.catalogue.networks == (
        NetworkRecord(
            host="HV22-NODE1",
            taken_at=datetime(2026, 12, 1, 8, tzinfo=UTC),
            networks=["Compute"],
            product="Get-VMSwitch export",
        ),
    )
    semicolons = restore_points_csv(sample("restore-points-semicolon-bom-madeup-1.csv"))
    assert [p.vm for p in semicolons.catalogue.points] == ["WEB01"]


def test_the_neutral_json_round_trips() -> None:
    """What dump_restore_points writes, restore_points_json reads back the same."""
    catalogue = restore_points_json(sample("restore-points-madeup-1.json")).catalogue
    document = dump_restore_points(catalogue)
    assert document["$schema"] == RESTORE_POINTS_SCHEMA
    import json

    again = restore_points_json(json.dumps(document)).catalogue
    assert again == catalogue
    empty = dump_restore_points(Catalogue())
    assert empty == {"$schema": RESTORE_POINTS_SCHEMA, "restore_points": []}


@pytest.mark.parametrize(
    ("document", "path"),
    [
        (
            '{"restore_points": [{"vm": "A", "taken_at": "2026-12-06T22:00:00", "level": "host", "product": "x"}]}',
            "restore_points[0].taken_at",
        ),
        (
            '{"restore_points": [{"vm": "A", "taken_at": "2026-12-06T22:00:00Z", "level": "tape", "product": "x"}]}',
            "restore_points[0].level",
        ),
        (
            '{"restore_points": [{"vm": "A", "taken_at": "2026-12-06T22:00:00Z", "level": "host"}]}',
            "restore_points[0].product",
        ),
        (
            '{"restore_points": [{"vm": "A", "taken_at": "2026-12-06T22:00:00Z", "level": "host", "product": "x", "colour": 1}]}',
            "restore_points[0].colour",
        ),
        (
            '{"restore_points": [{"vm": "A", "taken_at": "2026-12-06T22:00:00Z", "level": "host", "product": "x", "consistency": "fails"}]}',
            "restore_points[0].consistency",
        ),
        (
            '{"restore_points": [{"vm": "A", "taken_at": "2026-12-06T22:00:00Z", "level": "host", "product": "x", "usable": "yes"}]}',
            "restore_points[0].usable",
        ),
        (
            '{"restore_points": [{"vm": "A", "taken_at": "2026-12-06T22:00:00Z", "level": "host", "product": "x", "covers": "C"}]}',
            "restore_points[0].covers",
        ),
        (
            '{"restore_points": [{"vm": "A", "taken_at": "2026-12-06T22:00:00Z", "level": "host", "product": "x", "covers": [" "]}]}',
            "restore_points[0].covers[0]",
        ),
        ('{"restore_points": {}}', "restore_points"),
        ('{"restore_points": [3]}', "restore_points[0]"),
        (
            '{"network_records": [{"host": "H", "taken_at": "2026-12-06T22:00:00Z"}]}',
            "network_records[0].networks",
        ),
        ('{"$schema": "urn:other"}', "$schema"),
        ('{"exported_at": "yesterday"}', "exported_at"),
        ('{"points": []}', "points"),
        ("[]", ""),
    ],
)
def test_the_neutral_json_refuses_with_a_path(document: str, path: str) -> None:
    """Strict JSON: unknown keys, wrong types, times without offsets, each with its path."""
    assert refused(restore_points_json, document).path == path


def test_the_neutral_json_skips_bad_records_when_asked() -> None:
    """A bad record is counted and said, the others read."""
    read = restore_points_json(
        '{"restore_points": [{"vm": "A", "taken_at": "2026-12-06T22:00:00Z", "level": "host",'
        ' "product": "x"}, {"vm": "B"}]}',
        skip_bad=True,
    )
    assert [p.vm for p in read.catalogue.points] == ["A"]
    assert read.skipped == 1
    assert read.problems[0].path == "restore_points[1].taken_at"


@pytest.mark.parametrize(
    ("document", "path", "words"),
    [
        ("", "line 1", "header row"),
        ("vm,taken_at,colour\n", "line 1, colour", "unknown column"),
        ("vm,vm,taken_at\n", "line 1", "named twice"),
        ("vm,level,product\n", "line 1", "taken_at is missing"),
        ("vm,taken_at,level,product\nA,2026-12-06T22:00:00,host,x\n", "line 2, taken_at", "offset"),
        ("vm,taken_at,level,product\nA,2026-12-06T22:00:00Z,host\n", "line 2", "expected 4 cells"),
        (
            "kind,vm,taken_at,level,product\nbox,A,2026-12-06T22:00:00Z,host,x\n",
            "line 2, kind",
            "networks",
        ),
        (
            "kind,host,taken_at,level\nnetworks,H,2026-12-06T22:00:00Z,host\n",
            "line 2, level",
            "no such column",
        ),
        (
            "kind,host,taken_at\nnetworks,H,2026-12-06T22:00:00Z\n",
            "line 2, covers",
            "names its networks",
        ),
        (
            "vm,taken_at,level,product,usable\nA,2026-12-06T22:00:00Z,host,x,maybe\n",
            "line 2, usable",
            "true or false",
        ),
        ('vm,taken_at\n"A,2026-12-06T22:00:00Z\n', "line 2", "not CSV"),
        ('"vm,taken_at\n', "line 1", "not CSV"),
    ],
)
def test_the_neutral_csv_refuses_with_a_line(document: str, path: str, words: str) -> None:
    """Every refusal names the line, and the column where one is at fault."""
    error = refused(restore_points_csv, document)
    assert error.path == path
    assert words in str(error)


def test_the_neutral_csv_skips_blank_and_bad_rows() -> None:
    """Blank rows are passed over; bad rows are counted when asked."""
    read = restore_points_csv(
        "vm,taken_at,level,product,usable\n\nA,2026-12-06T22:00:00Z,host,x,FALSE\n,,,,\nB,x,host,x,\n",
        skip_bad=True,
    )
    assert [(p.vm, p.usable) for p in read.catalogue.points] == [("A", False)]
    assert read.skipped == 1
    assert read.problems[0].path == "line 5, taken_at"


# --- telling the forms apart -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("restore-points-madeup-1.json", "restore-points-json"),
        ("restore-points-madeup-1.csv", "restore-points-csv"),
        ("restore-points-semicolon-bom-madeup-1.csv", "restore-points-csv"),
        ("wbadmin-get-versions-network-share-blackfield-3.txt", "wbadmin"),
        ("wbadmin-get-versions-fixed-disk-excerpt-studentreport-2.txt", "wbadmin"),
        ("get-wbbackupset-json-depth4-hyperv-madeup-1.json", "wbbackupset-json"),
        ("get-vbrrestorepoint-json-ps51-madeup-1.json", "veeam-json"),
        ("get-dpmrecoverypoint-json-madeup-1.json", "dpm-json"),
    ],
)
def test_each_form_is_told_and_read(name: str, form: str) -> None:
    """The form is told from the start of the data, and its reader reads it."""
    data = sample(name)
    assert catalogue_form(data) == form
    assert read_catalogue(data, host="HV01").form == form
    assert form in CATALOGUE_FORMS


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (sample("get-wbbackupset-format-list-en-us-1.txt"), "ConvertTo-Json -Depth 4"),
        (sample("get-wbbackupset-format-list-fr-fr-1.txt"), "ConvertTo-Json -Depth 4"),
        (
            sample("veeam-em-rest-vmrestorepoint-entityref-helpcenter-1.xml.txt"),
            "not a backup catalogue",
        ),
        (b'{"kind": "host"}', "JSON that is no catalogue"),
        (b"", "not a backup catalogue"),
    ],
)
def test_what_is_no_catalogue(data: bytes, words: str) -> None:
    """A list view, the REST reference, an inventory: each refused, saying what is expected."""
    assert words in str(refused(read_catalogue, data))


def test_an_empty_export() -> None:
    """ConvertTo-Json of nothing, and an empty object: an empty catalogue."""
    assert read_catalogue(b"[]").catalogue == Catalogue()
    assert read_catalogue(b" {} ").catalogue == Catalogue()


def test_a_wbadmin_capture_redirected_by_windows_powershell() -> None:
    """A capture redirected with ``>`` in Windows PowerShell 5.1 is UTF-16 with its mark."""
    capture = "Version identifier: 12/06/2026-22:10\r\nBackup target: Fixed Disk labeled F:\r\n"
    read = read_catalogue(capture.encode("utf-16"))
    assert read.versions == 1


# --- times ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-06T22:10:00Z", datetime(2026, 12, 6, 22, 10, tzinfo=UTC)),
        ("2026-12-06 23:10+0100", datetime(2026, 12, 6, 22, 10, tzinfo=UTC)),
        ("\\/Date(1796595000000)\\/", datetime(2026, 12, 6, 22, 10, tzinfo=UTC)),
        ("/Date(1796595000000+0100)/", datetime(2026, 12, 6, 22, 10, tzinfo=UTC)),
        (
            {"value": "/Date(1796595000000)/", "DisplayHint": 2},
            datetime(2026, 12, 6, 22, 10, tzinfo=UTC),
        ),
        ("2026-12-06T22:10:00", None),
        ("/Date(999999999999999)/", None),
        ("2026-13-06T22:10:00Z", None),
        (1796595000000, None),
    ],
)
def test_aware_times(value: object, expected: datetime | None) -> None:
    """Only a time that says its offset is read."""
    assert aware_time(value) == expected


def test_restore_points_in_the_model() -> None:
    """What the readers build is the model's."""
    point = restore_points_json(sample("restore-points-madeup-1.json")).catalogue.points[0]
    assert isinstance(point, RestorePoint)


def test_the_type_line_of_windows_powershell_export_csv_is_passed_over() -> None:
    """Export-Csv of 5.1 without -NoTypeInformation writes "#TYPE ..." above the header."""
    plain = sample("restore-points-madeup-1.csv")
    typed = b"#TYPE System.Management.Automation.PSCustomObject\r\n" + plain
    assert catalogue_form(typed) == "restore-points-csv"
    assert restore_points_csv(typed).catalogue == restore_points_csv(plain).catalogue
    assert read_catalogue(typed, host="HV01").catalogue == restore_points_csv(plain).catalogue
