"""Every property the collector scripts read is recorded with the output it comes from, and is documented there.

The grammar cannot tell which object a ``$x.Name`` belongs to, so the
reference says it: under each cmdlet the script calls (``used_by``), each
WMI class it reads (``read_by``), or, for what no cmdlet returned, under
``members_of_other_objects`` with where it comes from. These tests hold the
record to the scripts both ways, so neither can drift from the other:

* every member a script reads (``$x.Name``, and the names it keeps with
  ``Select-Object -Property``) is in the record;
* everything the record says a script reads, the script reads;
* where Microsoft documents the members of the output type, every property
  read is one of them, or is listed with the reason it is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import pytest

from hyperv_backup import collect
from tests.collect._powershell import REFERENCE, SCRIPTS, line, nodes, parse, script_key, text

_SEGMENT = re.compile(r"[^.\[\]]+")


def _segments(path: str) -> list[str]:
    """Split a recorded read (``SharedVolumeInfo[0].FriendlyVolumeName``) into member names."""
    return [s for s in _SEGMENT.findall(path) if not s.isdigit()]


def _read_in(source: str) -> dict[str, list[int]]:
    """Return each member name the script reads, with the lines it is read on."""
    root = parse(source)
    found: dict[str, list[int]] = {}
    for member in nodes(root, "member_name"):
        found.setdefault(text(member).strip("'\""), []).append(line(member))
    for command in nodes(root, "command"):
        name = next((c for c in command.children if c.type == "command_name"), None)
        if name is None or text(name).casefold() != "select-object":
            continue
        for literal in nodes(command, "string_literal"):
            found.setdefault(text(literal).strip("'\""), []).append(line(literal))
    return found


def _recorded(reference: Mapping[str, Any], script: str) -> dict[str, str]:
    """Return each member the reference says ``script`` reads, with where it says it comes from."""
    recorded: dict[str, str] = {}
    for cmdlet, entry in reference["cmdlets"].items():
        use = entry["used_by"].get(script)
        if use is None:
            continue
        for path in use["properties_read"]:
            recorded.update(dict.fromkeys(_segments(path), f"output of {cmdlet}"))
        recorded.update(
            dict.fromkeys(use.get("registry_values_read", ()), f"registry value via {cmdlet}")
        )
    for cls, entry in reference["wmi_classes"].items():
        use = entry["read_by"].get(script)
        if use is None:
            continue
        for path in use["properties_read"]:
            recorded.update(dict.fromkeys(_segments(path), cls))
        method = use.get("method_read")
        if method is not None:
            recorded.update(dict.fromkeys(method["out_parameters"], f"{cls}.{method['name']}"))
    recorded.update(reference["members_of_other_objects"].get(script, {}))
    return recorded


def unrecorded(reference: Mapping[str, Any], script: str, source: str) -> list[str]:
    """Say which members ``source`` reads that the reference does not place."""
    known = {name.casefold() for name in _recorded(reference, script)}
    return [
        f"line {lines[0]}: .{name} is read, but the reference does not say from what"
        for name, lines in _read_in(source).items()
        if name.casefold() not in known
    ]


def stale(reference: Mapping[str, Any], script: str, source: str) -> list[str]:
    """Say which members the reference places in ``script`` that ``source`` never reads."""
    read = {name.casefold() for name in _read_in(source)}
    return [
        f"{name} ({origin}) is recorded, but the script does not read it"
        for name, origin in _recorded(reference, script).items()
        if name.casefold() not in read
    ]


def _documented_reads(
    reference: Mapping[str, Any],
) -> Iterator[tuple[str, str, Iterable[str], Mapping[str, str]]]:
    """Yield, for each documented output type, its name, what is read of it, its members and the exceptions."""
    for cmdlet, entry in reference["cmdlets"].items():
        if entry["documented"] is not True:
            continue
        reads = [
            _segments(p)[0] for use in entry["used_by"].values() for p in use["properties_read"]
        ]
        yield (
            f"output of {cmdlet}",
            entry["output_type"],
            reads,
            entry.get("undocumented_reads", {}),
        )
    for cls, entry in reference["wmi_classes"].items():
        if entry["documented"] is not True:
            continue
        reads = [
            _segments(p)[0]
            for use in entry["read_by"].values()
            for p in [*use["properties_read"], *use.get("filters_on", ())]
        ]
        yield cls, cls, reads, entry.get("undocumented_reads", {})


def undocumented(reference: Mapping[str, Any]) -> list[str]:
    """Say which properties are read of a documented type without being one of its members or excused."""
    problems: list[str] = []
    for where, _, reads, excused in _documented_reads(reference):
        members = _members(reference, where)
        problems.extend(
            f"{where}: {read} is not a documented member"
            for read in reads
            if read not in members and read not in excused
        )
    return problems


def _members(reference: Mapping[str, Any], where: str) -> set[str]:
    if where.startswith("output of "):
        return set(reference["cmdlets"][where.removeprefix("output of ")]["output_properties"])
    return set(reference["wmi_classes"][where]["properties"])


def _source(name: str) -> str:
    return collect.script_path(name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", SCRIPTS)
def test_every_member_the_script_reads_is_recorded(name: str) -> None:
    assert _read_in(_source(name)), "the scripts read members"
    assert unrecorded(REFERENCE, script_key(name), _source(name)) == []


@pytest.mark.parametrize("name", SCRIPTS)
def test_everything_recorded_is_read_by_the_script(name: str) -> None:
    assert stale(REFERENCE, script_key(name), _source(name)) == []


def test_every_property_read_of_a_documented_type_is_a_documented_member() -> None:
    assert list(_documented_reads(REFERENCE)), "some output types are documented"
    assert undocumented(REFERENCE) == []


def test_a_filter_names_what_the_script_filters_on() -> None:
    for cls, entry in REFERENCE["wmi_classes"].items():
        for script, use in entry["read_by"].items():
            source = _source(script.rsplit("/", 1)[1])
            for name in use.get("filters_on", ()):
                # A WQL condition on the property: "Index = $Number", 'DriveType = 3'.
                assert re.search(rf"[\"'][^\"'\n]*\b{name} = ", source), (cls, name)


def test_every_excuse_and_every_documented_type_says_where_it_is_documented() -> None:
    for cmdlet, entry in REFERENCE["cmdlets"].items():
        if entry["documented"] is True:
            assert str(entry["output_page"]).startswith(("MicrosoftDocs/", "dotnet/")), cmdlet
            assert entry["output_properties"], cmdlet
        for read, reason in entry.get("undocumented_reads", {}).items():
            assert read not in entry["output_properties"], (cmdlet, read)
            assert len(reason) > 20, (cmdlet, read)
    for cls, entry in REFERENCE["wmi_classes"].items():
        assert (entry["page"] is not None) is entry["documented"], cls
        assert (entry["properties"] is not None) is entry["documented"], cls
        assert entry["read_by"], cls


# --- the checks find what they are for -----------------------------------------------

_SCRIPT = "x.ps1"
_FAKE: dict[str, Any] = {
    "cmdlets": {
        "Get-Thing": {
            "documented": True,
            "output_type": "Thing",
            "output_properties": ["Name", "Size"],
            "used_by": {_SCRIPT: {"properties_read": ["Name", "Colour"]}},
        },
        "Get-Other": {
            "documented": True,
            "output_type": "Other",
            "output_properties": ["Id"],
            "used_by": {_SCRIPT: {"properties_read": ["Message"]}},
            "undocumented_reads": {"Message": "added by PowerShell to every Other"},
        },
    },
    "wmi_classes": {
        "Win32_Thing": {
            "documented": True,
            "properties": ["Index"],
            "read_by": {_SCRIPT: {"properties_read": ["Index"], "filters_on": ["Serial"]}},
        }
    },
    "members_of_other_objects": {_SCRIPT: {"Count": "arrays"}},
}


def test_the_checks_find_an_unrecorded_member_a_stale_record_and_an_undocumented_read() -> None:
    source = (
        "$t = Get-Thing\n$t.Name; $t.Weight\n@($t).Count\n(Get-CimInstance Win32_Thing).Index\n"
        "Get-Other | Select-Object -Property 'Message', 'Shade'\n"
    )
    assert unrecorded(_FAKE, _SCRIPT, source) == [
        "line 2: .Weight is read, but the reference does not say from what",
        "line 5: .Shade is read, but the reference does not say from what",
    ]
    assert stale(_FAKE, _SCRIPT, source) == [
        "Colour (output of Get-Thing) is recorded, but the script does not read it"
    ]
    assert undocumented(_FAKE) == [
        "output of Get-Thing: Colour is not a documented member",
        "Win32_Thing: Serial is not a documented member",
    ]


def test_a_recorded_read_is_split_into_its_member_names() -> None:
    assert _segments("SharedVolumeInfo[0].FriendlyVolumeName") == [
        "SharedVolumeInfo",
        "FriendlyVolumeName",
    ]
    assert _segments("OwnerNode.Name") == ["OwnerNode", "Name"]
