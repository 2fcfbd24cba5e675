r"""collect keeps the Windows Server Backup catalogue host.ps1 -Catalog exported beside each document.

The catalogues are made up, in the shape Export-Catalog writes (Windows
PowerShell 5.1's ``ConvertTo-Json``: ``\/Date(ms)\/`` times, the cmdlet's own
property names); the host documents are the recorded cluster node documents
with a ``BackupCatalog`` section added.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

import pytest

from hyperv_backup import collect
from hyperv_backup.cli.collect import catalogue_path
from hyperv_backup.inventory import InventoryError
from tests.paths import FIXTURES

NODES = {
    "HV-NODE1": (FIXTURES / "collect" / "cluster-node1-ps51.json", "utf-8-sig"),
    "HV-NODE2": (FIXTURES / "collect" / "cluster-node2-ps51-utf16.json", "utf-16"),
}


def _set(version: str, *vms: str) -> dict[str, Any]:
    return {
        "VersionId": version,
        "BackupTime": "/Date(1796594400000)/",
        "BackupTarget": "F:",
        "RecoverableItems": "Volumes, Applications, Files",
        "Application": [
            {"Component": [{"VMName": "Host Component"}, *({"VMName": v} for v in vms)]}
        ],
    }


def _collected(
    folder: Path,
    sets: dict[str, list[dict[str, Any]]],
    *,
    sections: dict[str, Any] | None = None,
    write: bool = True,
) -> list[str]:
    """Write each node's document with its BackupCatalog, and its catalogue file; return the documents."""
    paths = []
    for host, (source, encoding) in NODES.items():
        document = json.loads(source.read_text(encoding=encoding))
        name = f"{host}.wbcatalog.json"
        document["BackupCatalog"] = (sections or {}).get(host) or {
            "File": name,
            "Count": len(sets[host]),
            "Error": None,
        }
        text = json.dumps(sets[host], indent=4).replace("/Date(", "\\/Date(").replace(")/", ")\\/")
        data = (
            text.encode("utf-8")
            if encoding == "utf-8-sig"
            else codecs.BOM_UTF16_LE + text.encode("utf-16-le")
        )
        if write:
            (folder / name).write_bytes(data)
        path = folder / f"{host}.json"
        path.write_text(json.dumps(document), encoding=encoding)
        paths.append(str(path))
    return paths


def _nights() -> dict[str, list[dict[str, Any]]]:
    return {
        "HV-NODE1": [_set("12/05/2026-22:00", "SQL01"), _set("12/06/2026-22:00", "SQL01", "APP01")],
        "HV-NODE2": [_set("12/06/2026-22:30", "WEB01")],
    }


def test_the_catalogue_of_every_node_is_kept_beside_the_inventory(run: Any, tmp_path: Path) -> None:
    """Each point names the node it was taken on; check reads the kept catalogue."""
    documents = _collected(tmp_path, _nights())
    inventory = tmp_path / "cluster.json"
    result = run("collect", *documents, "-o", str(inventory))
    assert result.code == 0, result.err
    kept = tmp_path / "cluster.backups.json"
    assert f"check it with: hyperv-backup check {inventory} --backups {kept}" in result.err
    document = json.loads(kept.read_text(encoding="utf-8"))
    assert [(p["vm"], p["host"], p["taken_at"]) for p in document["restore_points"]] == [
        ("SQL01", "HV-NODE1", "2026-12-05T22:00:00Z"),
        ("SQL01", "HV-NODE1", "2026-12-06T22:00:00Z"),
        ("APP01", "HV-NODE1", "2026-12-06T22:00:00Z"),
        ("WEB01", "HV-NODE2", "2026-12-06T22:30:00Z"),
    ]
    checked = run(
        "check",
        str(inventory),
        "--backups",
        str(kept),
        "--now",
        "2026-12-07T07:00:00Z",
        "--format",
        "json",
    )
    states = {v["vm"]: v["state"] for v in json.loads(checked.out)["protection"]["vms"]}
    assert states["SQL01"] == "protected"
    assert states["FS01"] == "never_backed_up"
    # A directory holding both is read for its inventory only.
    again = run("check", str(tmp_path), "--exclude", "HV-NODE*", "--format", "json")
    assert [i["input"] for i in json.loads(again.out)["inventories"]] == [str(inventory)]


def test_a_catalogue_that_could_not_be_read_is_said(run: Any, tmp_path: Path) -> None:
    """The section's error is a note; the sets the node has are still kept."""
    sets = _nights()
    sets["HV-NODE2"] = []
    error = "Get-WBBackupSet is not available: the Windows Server Backup feature is not installed"
    sections = {"HV-NODE2": {"File": "HV-NODE2.wbcatalog.json", "Count": 0, "Error": error}}
    documents = _collected(tmp_path, sets, sections=sections)
    result = run("collect", *documents, "-o", str(tmp_path / "inv.json"))
    assert result.code == 0
    assert (
        f"note: HV-NODE2: the Windows Server Backup catalogue was not read: {error}" in result.err
    )


def test_a_count_that_differs_is_said(run: Any, tmp_path: Path) -> None:
    sections = {"HV-NODE1": {"File": "HV-NODE1.wbcatalog.json", "Count": 5, "Error": None}}
    documents = _collected(tmp_path, _nights(), sections=sections)
    result = run("collect", *documents, "-o", str(tmp_path / "inv.json"))
    assert (
        "HV-NODE1: its document counts 5 backup set(s), its file HV-NODE1.wbcatalog.json holds 2"
        in result.err
    )


def test_without_an_output_file_the_catalogue_is_not_kept(run: Any, tmp_path: Path) -> None:
    result = run("collect", *_collected(tmp_path, _nights()))
    assert result.code == 0
    assert "give -o FILE to keep them beside the inventory, as FILE.backups.json" in result.err


def test_a_missing_catalogue_file_stops_collect_before_anything_is_written(
    run: Any, tmp_path: Path
) -> None:
    documents = _collected(tmp_path, _nights(), write=False)
    result = run("collect", *documents, "-o", str(tmp_path / "inv.json"))
    assert result.code == 3
    assert "error: the document of HV-NODE1 names its exported catalogue, but" in result.err
    assert not (tmp_path / "inv.json").exists()


def test_a_damaged_catalogue_is_named(run: Any, tmp_path: Path) -> None:
    sets = _nights()
    sets["HV-NODE2"] = [{"VersionId": "tomorrow"}]
    result = run("collect", *_collected(tmp_path, sets), "-o", str(tmp_path / "inv.json"))
    assert result.code == 3
    assert (
        f"{tmp_path / 'HV-NODE2.wbcatalog.json'}[0].VersionId: expected the version identifier"
        in result.err
    )


@pytest.mark.parametrize(
    ("section", "path"),
    [
        ({"File": "../x.json", "Count": 0, "Error": None}, "hosts[0].BackupCatalog.File"),
        ({"File": "x.json", "Count": -1, "Error": None}, "hosts[0].BackupCatalog.Count"),
    ],
)
def test_a_bad_catalog_section_is_refused_with_its_path(
    tmp_path: Path, section: dict[str, Any], path: str
) -> None:
    source, encoding = NODES["HV-NODE1"]
    document = json.loads(source.read_text(encoding=encoding))
    document["BackupCatalog"] = section
    with pytest.raises(InventoryError) as info:
        collect.catalog_exports([document])
    assert info.value.path == path


def test_kept_catalogue_names_a_damaged_file_by_index_without_names() -> None:
    with pytest.raises(InventoryError) as info:
        collect.kept_catalogue(['{"VersionId": 3}'], ["HV01"])
    assert info.value.path == "catalogs[0].VersionId"
    with pytest.raises(InventoryError) as info:
        collect.kept_catalogue(["not json"], ["HV01"])
    assert info.value.path == "catalogs[0]"


def test_the_catalogue_file_is_named_after_the_inventory() -> None:
    assert catalogue_path("out/cluster.json") == Path("out/cluster.backups.json")
    assert catalogue_path("out/cluster") == Path("out/cluster.backups.json")


def test_the_switch_is_declared_and_documented() -> None:
    script = collect.script_path("host.ps1").read_text(encoding="utf-8")
    assert "[switch]$Catalog" in script
    help_text = script.split("#>", 1)[0]
    assert ".PARAMETER Catalog" in help_text
    assert "-Catalog\n" in help_text
    assert "throw '-Catalog needs -OutFile" in script
    assert "'.wbcatalog.json'" in script
