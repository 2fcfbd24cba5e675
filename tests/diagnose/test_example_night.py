"""The bundled night of ``cluster-2022``: published events, put into one night on its hosts and VMs.

docs/diagnose.md gives its provenance: each event is an event of the corpus
(``tests/fixtures/events/corpus/``) with its published provider, id, level and
message, re-dated into the night of 2026-12-06 and logged on a host or a VM
of the example; a placeholder the page printed for a VM, its id or a volume
is replaced by the example's. The writers listing is a published one, byte
for byte. Together they show every part of a diagnosis.
"""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, datetime
from fnmatch import fnmatch

import pytest

from hyperv_backup.diagnose import Diagnosis, diagnose
from hyperv_backup.examples import example_night, load_example, night_names
from hyperv_backup.model import Cluster
from hyperv_backup.readers import Event, captured_text, read_events, vssadmin_writers
from hyperv_backup.rules import Place, Severity
from tests.diagnose.corpus import CORPUS
from tests.paths import FIXTURES, ROOT

#: Each event of the night, by record id: the corpus event it is, and what was put
#: in the place of the page's placeholders.
MADE_FROM: dict[int, tuple[str, dict[str, str]]] = {
    40211: (
        "ms-volsnap-25-diff-area-could-not-grow-kb826936",
        {"VolumeName": "C:\\ClusterStorage\\S2D-Volume1"},
    ),
    1877: ("ms-vmms-19100-merge-access-denied-vhds", {"'BackupVM'": "'GC-B1'"}),
    9310: ("ms-vss-12290-ntds-esent-2402-kb826936", {}),
    9311: ("ms-vds-1-unexpected-failure-guest-scsi", {}),
    512: (
        "ms-kvp-4096-data-exchange-not-enabled",
        {"'VM Name'": "'REPL01'", "<VM GUID>": "1C712C3F-3662-5804-92A1-A9E1704A3E5C"},
    ),
    1206: ("gist-ducke-vmms1102-getreplicatype", {}),
}

NIGHT = example_night("cluster-2022")
EVENTS = tuple(read_events(NIGHT.log))


def _published(key: str) -> Event:
    (event,) = read_events((CORPUS / f"{key}.xml").read_bytes())
    return event


def _diagnosis() -> Diagnosis:
    writers = vssadmin_writers(captured_text(NIGHT.writers).text)
    return diagnose(EVENTS, writers, load_example("cluster-2022"))


def test_only_cluster_2022_has_a_night() -> None:
    assert night_names() == ("cluster-2022",)
    with pytest.raises(KeyError, match="no night for the example 'host'; examples with one"):
        example_night("host")


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: str(e.record_id))
def test_every_event_of_the_night_is_a_published_one(event: Event) -> None:
    assert event.record_id is not None
    key, placeholders = MADE_FROM[event.record_id]
    published = _published(key)
    message = published.message or ""
    for placeholder, value in placeholders.items():
        message = message.replace(placeholder, value)
    assert (event.provider, event.event_id, event.level, event.message) == (
        published.provider,
        published.event_id,
        published.level,
        message,
    )
    # A log the page printed is kept; one it left out is the provider's own.
    assert event.channel == published.channel or not published.channel


def test_the_night_is_one_night_on_the_hosts_and_vms_of_the_example() -> None:
    cluster = load_example("cluster-2022")
    assert isinstance(cluster, Cluster)
    names = {n.name for n in cluster.nodes} | {vm.name for n in cluster.nodes for vm in n.vms}
    assert sorted(e.record_id or 0 for e in EVENTS) == sorted(MADE_FROM)
    for event in EVENTS:
        assert event.computer.split(".")[0] in names
        assert datetime(2026, 12, 6, 1, tzinfo=UTC) <= event.time_created
        assert event.time_created < datetime(2026, 12, 6, 3, tzinfo=UTC)


def test_the_writers_listing_is_a_published_one_byte_for_byte() -> None:
    published = FIXTURES / "writers" / "gilkirkpatrick-ws2008-hyperv-inconsistent-en.txt"
    assert published.read_bytes() == NIGHT.writers


def test_the_night_shows_every_part_of_a_diagnosis() -> None:
    """Host and guest, a failure and its remedy, a cause in the inventory, harmless, unknown, a writer."""
    found = _diagnosis().findings
    rules = {f.rule.id: f for f in found}
    assert {f.place for f in found if f.event is not None} == {Place.HOST, Place.GUEST}
    assert rules["HVB712"].severity is Severity.ERROR
    assert rules["HVB712"].rule.remedy
    assert [c.rule.id for c in rules["HVB748"].explained_by] == ["HVB611"]
    assert rules["HVB748"].vm == "GC-B1"
    assert rules["HVB737"].place is Place.GUEST
    assert rules["HVB737"].vm == "DC02"
    assert {rules["HVB762"].severity, rules["HVB763"].severity} == {Severity.INFO}
    assert not rules["HVB700"].recognised
    assert rules["HVB703"].writer is not None
    assert rules["HVB703"].writer.name == "Microsoft Hyper-V VSS Writer"


def test_the_files_of_the_night_ship_with_the_package() -> None:
    """The package data of pyproject.toml takes every file of the examples folder."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["hyperv_backup.examples"]
    folder = ROOT / "hyperv_backup" / "examples"
    data = [p.name for p in folder.iterdir() if p.is_file() and p.suffix != ".py"]
    assert {NIGHT.log_name, NIGHT.writers_name} <= set(data)
    for name in data:
        assert any(fnmatch(name, pattern) for pattern in patterns), name


def test_the_provenance_note_names_every_event() -> None:
    text = (ROOT / "docs" / "diagnose.md").read_text(encoding="utf-8")
    note = text[text.index("### Where the example night comes from") :]
    for key, _ in MADE_FROM.values():
        assert re.search(rf"`{re.escape(key)}`", note), key
    assert "gilkirkpatrick-ws2008-hyperv-inconsistent-en.txt" in note
