"""JSON-level faults and text encodings of inventories.

Reading is strict and total: any input that is not a valid inventory raises
:class:`InventoryError` (a ``ValueError``) whose ``path`` and message name the
place, and never any other exception. Writing gives every field, sets sorted,
so that one model always gives one document.
"""

from __future__ import annotations

import codecs
import json
from typing import Any

import pytest

from hyperv_backup import (
    Host,
    InventoryError,
    parse_inventory,
)
from tests.inventory._shared_inventory import (
    _UNICODE_DOCUMENT,
    _cluster_document,
    _edited,
    _error,
    _paths,
    _powershell_text,
    _steps,
)

# --- documents and helpers -------------------------------------------------------------


def _with_marker(document: dict[str, Any], path: str, replacement: str) -> str:
    """Return the document as JSON text with the value at ``path`` replaced by raw text."""
    marker = "\u0000MARKER\u0000"
    *parents, last = _steps(path)
    container: Any = document
    for step in parents:
        container = container[step]
    container[last] = marker
    text = json.dumps(document, indent=2)
    quoted = json.dumps(marker)
    assert text.count(quoted) == 1
    return text.replace(quoted, replacement)


def _deeply_nested(depth: int) -> list[Any]:
    """Return a list nested ``depth`` levels deep, built without recursion."""
    root: list[Any] = []
    current = root
    for _ in range(depth - 1):
        child: list[Any] = []
        current.append(child)
        current = child
    return root


# --- JSON-level faults -----------------------------------------------------------------


_HOST_TEXT = '{"kind": "host", "name": "HV", "os": "windows_server_2008_r2"}'


def test_duplicate_key_at_top_level() -> None:
    """A key repeated in one object is an error (never "last one wins"), at that object's path."""
    error = _error('{"kind": "host", "name": "HV-A", "os": "windows_server_2008", "name": "HV-B"}')
    assert error.path == ""
    assert "'name'" in str(error)
    assert "duplicate" in str(error)


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("nodes[1].vms[0].disks[0].__DUP__", '"name": "System", "name": "Data"'),
        ("nodes[0].vms[0].cluster_group.__DUP__", '"owner_node": "HV-NODE1", "owner_node": "x"'),
        ("nodes[1].__DUP__", '"os": "windows_server_2008_r2", "os": "windows_server_2008_r2"'),
    ],
)
def test_duplicate_key_nested(path: str, raw: str) -> None:
    """A repeated key is reported with the path of the object that holds it, even if both values agree."""
    document = _cluster_document()
    *parents, _ = _steps(path)
    container: Any = document
    for step in parents:
        container = container[step]
    key = raw.split(":", maxsplit=1)[0]
    del container[json.loads(key)]
    container["__DUP__"] = 0
    text = json.dumps(document).replace('"__DUP__": 0', raw)
    error = _error(text)
    holder = path.removesuffix(".__DUP__")
    assert _paths(error) == [holder]
    assert repr(json.loads(key)) in str(error)


#: Documents where a repeated key's dropped value itself held a repeated key:
#: (text, path of the object holding the repeated key that stays, that key).
NESTED_DUPLICATES = [
    ('{"x": {"a": {"b": {"e": {}}, "b": {"c": {}}}, "a": {"d": {}}}}', "x", "a"),
    (
        '{"x": {"a": {"b": {}, "b": {}}, "a": {}}, "y": {"a": {"b": {}, "b": {}}, "a": {}}}',
        "x",
        "a",
    ),
    ('{"p": {"x": {"a": {"b": {"e": {}}, "b": {"c": {}}}, "a": {"d": {}}}}}', "p.x", "a"),
    (
        '{"kind": "host", "name": "HV", "os": "windows_server_2008", "backup_application": '
        '{"name": {"x": {"e": {}}, "x": {"c": {}}}, "name": {"d": {}}}}',
        "backup_application",
        "name",
    ),
    (
        '{"kind": "host", "name": "HV", "os": "windows_server_2008", "vms": [{"name": '
        '{"a": {"b": {}, "b": {}}, "a": {}}, "name": {}}]}',
        "vms[0]",
        "name",
    ),
]


def test_duplicate_key_holding_duplicates() -> None:
    """The path names the object that holds the repeated key, also when a dropped value held one.

    The object whose repeated key was dropped is no longer in the document and
    must not be reported (nor mistaken for another object). Each document is
    parsed many times, because a wrong answer depends on how memory is reused.
    """
    wrong = []
    for text, path, key in NESTED_DUPLICATES:
        for _ in range(30):
            error = _error(text)
            if error.path != path or f"duplicate key {key!r}" not in str(error):
                wrong.append(f"{text}: expected {path!r} and {key!r}, got {str(error)!r}")
                break
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_rejected(token: str) -> None:
    """NaN, Infinity and -Infinity are not JSON: rejected, with the path where they stand."""
    text = _with_marker(_cluster_document(), "nodes[0].virtual_networks[0].vlan_id", token)
    error = _error(text)
    assert error.path == "nodes[0].virtual_networks[0].vlan_id"
    assert token in str(error)
    assert _error(token).path == ""
    assert _error(f'{{"kind": "host", "name": {token}}}').path == "name"


def test_integer_too_long_rejected() -> None:
    """An integer too long for Python to convert is an InventoryError at its place."""
    text = _with_marker(_cluster_document(), "nodes[0].virtual_networks[0].vlan_id", "9" * 5000)
    assert _error(text).path == "nodes[0].virtual_networks[0].vlan_id"
    assert _error("1" * 5000).path == ""


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 100_000 + "1" + "}" * 100_000,
        _HOST_TEXT[:-1] + ', "vms": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"kind": ' + "[" * 100_000,
    ],
    ids=["arrays", "objects", "inside-inventory", "unterminated"],
)
def test_deep_nesting_rejected(text: str) -> None:
    """Nesting deep enough to exhaust recursion gives InventoryError, from text and from bytes."""
    assert isinstance(_error(text), InventoryError)
    assert isinstance(_error(text.encode("utf-8")), InventoryError)


def test_deeply_nested_mapping_field_rejected() -> None:
    """A deeply nested value inside an already-parsed mapping gives InventoryError at its field."""
    document = {
        "kind": "host",
        "name": "HV",
        "os": "windows_server_2008",
        "vms": _deeply_nested(100_000),
    }
    assert _error(document).path.startswith("vms")
    document = {"kind": "host", "name": _deeply_nested(100_000), "os": "windows_server_2008"}
    assert _error(document).path == "name"


@pytest.mark.parametrize(
    "kind",
    [pytest.param(_deeply_nested(100_000), id="deep-list"), pytest.param(10**5000, id="huge-int")],
)
def test_unprintable_kind_in_mapping_rejected(kind: object) -> None:
    """A mapping whose kind cannot even be shown (too deep, too long) still gives InventoryError."""
    assert _error({"kind": kind}).path == "kind"


def test_huge_int_in_mapping_rejected() -> None:
    """A Python integer too long to print, given in a mapping, is reported at its field."""
    document = _edited("cluster", ("nodes[0].virtual_networks[0].vlan_id", 10**5000))
    assert _error(document).path.startswith("nodes[0].virtual_networks[0]")


def test_mapping_keys_that_are_not_strings() -> None:
    """Keys that are not strings in a parsed mapping are unknown fields, not a crash."""
    document: dict[Any, Any] = _edited("host", ("vms[0].zz", 1))
    document["vms"][0][1] = 2
    document[None] = 3
    error = _error(document)
    assert sorted(_paths(error)) == ["None", "vms[0].1", "vms[0].zz"]


# --- text encodings -------------------------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda t: t.encode("utf-8"), id="utf-8"),
        pytest.param(lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), id="utf-8-bom"),
        pytest.param(lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), id="utf-16-le-bom"),
        pytest.param(lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), id="utf-16-be-bom"),
        pytest.param(lambda t: t.encode("utf-16"), id="utf-16-native-bom"),
        pytest.param(lambda t: "\ufeff" + t, id="str-with-bom"),
        pytest.param(lambda t: t, id="str"),
    ],
)
def test_encodings_accepted(encode: Any) -> None:
    """UTF-8, UTF-8 with a BOM and UTF-16 LE/BE with a BOM are read; so is a str starting with U+FEFF."""
    expected = parse_inventory(_UNICODE_DOCUMENT)
    assert isinstance(expected, Host)
    assert expected.vms[0].name == "Datenbank-数据库-😀"
    assert parse_inventory(encode(_powershell_text())) == expected


@pytest.mark.parametrize(
    ("data", "offset"),
    [
        (b'{"kind": "host", "name": "\xff"}', 26),
        (b'{"kind": "host", "name": "HV-\xdcBER"}', 29),
        (b'{"kind": "host", "name": "\xc3"}', 26),
        (codecs.BOM_UTF8 + b'{"kind": "\x80"}', 13),
        (codecs.BOM_UTF16_LE + '{"kind": "'.encode("utf-16-le") + b"\x00\xdc" + b'"\x00}\x00', 22),
    ],
    ids=["ff", "latin-1", "truncated", "utf-8-bom", "utf-16-lone-surrogate"],
)
def test_undecodable_bytes_name_the_offset(data: bytes, offset: int) -> None:
    """Bytes that do not decode give InventoryError naming the byte offset from the start of the input."""
    error = _error(data)
    assert error.path == ""
    assert f"byte offset {offset}" in str(error)


def test_utf16_without_bom_rejected() -> None:
    """Bytes without a byte-order mark are read as UTF-8: UTF-16 without one is an error, not a guess."""
    assert isinstance(_error(_HOST_TEXT.encode("utf-16-le")), InventoryError)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('{\n  "kind": "host",\n  "name": "HV",\n  "os" "windows_server_2008"\n}', 4, 8),
        ('{"kind": "host",}', 1, 17),
        ('{\r\n    "kind": "host",\r\n    "name": \'HV\'\r\n}', 3, 13),
        ("", 1, 1),
        ('{"kind": "host"', 1, 16),
    ],
    ids=["missing-colon", "trailing-comma", "single-quotes", "empty", "truncated"],
)
def test_invalid_json_names_line_and_column(text: str, line: int, column: int) -> None:
    """Text that is not JSON gives InventoryError naming the line and column of the fault."""
    error = _error(text)
    assert error.path == ""
    assert f"line {line} column {column}" in str(error)
