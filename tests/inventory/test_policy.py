"""The policy file and the product-neutral catalogue: the parser, and their JSON Schemas.

Two directions are checked for each schema: the bundled files (and what the
package writes) are valid under it, and documents the parser refuses for
their shape are refused by the schema too.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from hyperv_backup import InventoryError
from hyperv_backup.examples import example_catalogue, example_policy
from hyperv_backup.inventory import MAX_POLICY_BYTES, POLICY_SCHEMA, parse_policy, read_policy
from hyperv_backup.readers import RESTORE_POINTS_SCHEMA, dump_restore_points, read_catalogue
from tests.paths import FIXTURES


def schema(name: str) -> Draft202012Validator:
    text = resources.files("hyperv_backup.schemas").joinpath(name).read_text(encoding="utf-8")
    document = json.loads(text)
    Draft202012Validator.check_schema(document)
    return Draft202012Validator(document)


POLICY = schema("policy.json")
POINTS = schema("restore-points.json")


def test_the_bundled_policy() -> None:
    """The example's policy: a bound for every VM, two VMs' own, three exceptions."""
    data = example_policy("cluster-2022").data
    assert not list(POLICY.iter_errors(json.loads(data)))
    policy = parse_policy(data)
    assert policy.max_age == timedelta(hours=36)
    assert [m.vm for m in policy.max_ages] == ["GC-B1", "GC-B2"]
    assert [(e.vm, e.host, e.expires) for e in policy.exceptions] == [
        ("LEGACY01", None, date(2027, 1, 31)),
        ("FC01", None, date(2026, 12, 1)),
        (None, "HV22-NODE3", date(2026, 12, 31)),
    ]


def test_read_policy(tmp_path: Path) -> None:
    """A policy file is read from its path."""
    path = tmp_path / "policy.json"
    path.write_bytes(example_policy("cluster-2022").data)
    assert read_policy(path).max_age == timedelta(hours=36)
    assert parse_policy({"$schema": POLICY_SCHEMA}).exceptions == ()


@pytest.mark.parametrize(
    ("document", "path"),
    [
        ({"max_age": "a week"}, "max_age"),
        ({"max_age": 7}, "max_age"),
        ({"colour": 1}, "colour"),
        ({"$schema": "urn:other"}, "$schema"),
        ({"max_ages": {}}, "max_ages"),
        ({"max_ages": [{"vm": "A"}]}, "max_ages[0].max_age"),
        ({"max_ages": [{"vm": "A", "max_age": "0h"}]}, "max_ages[0].max_age"),
        ({"max_ages": [{"vm": "A", "max_age": "2d", "owner": "me"}]}, "max_ages[0].owner"),
        ({"max_ages": ["A"]}, "max_ages[0]"),
        (
            {"exceptions": [{"vm": "A", "rules": [], "reason": "x", "expires": "2027-01-31"}]},
            "exceptions[0].rules",
        ),
        (
            {
                "exceptions": [
                    {"vm": "A", "rules": ["HVB999"], "reason": "x", "expires": "2027-01-31"}
                ]
            },
            "exceptions[0].rules[0]",
        ),
        (
            {"exceptions": [{"vm": "A", "rules": [801], "reason": "x", "expires": "2027-01-31"}]},
            "exceptions[0].rules[0]",
        ),
        (
            {
                "exceptions": [
                    {"vm": "A", "rules": ["HVB801"], "reason": "x", "expires": "31/01/2027"}
                ]
            },
            "exceptions[0].expires",
        ),
        (
            {
                "exceptions": [
                    {"vm": "A", "rules": ["HVB801"], "reason": "x", "expires": "2027-02-30"}
                ]
            },
            "exceptions[0].expires",
        ),
        (
            {
                "exceptions": [
                    {"vm": "A", "rules": ["HVB801"], "reason": " ", "expires": "2027-01-31"}
                ]
            },
            "exceptions[0].reason",
        ),
        (
            {"exceptions": [{"rules": ["HVB801"], "reason": "x", "expires": "2027-01-31"}]},
            "exceptions[0]",
        ),
        (
            {"exceptions": [{"vm": "A", "rules": ["HVB801"], "expires": "2027-01-31"}]},
            "exceptions[0].reason",
        ),
        ([], ""),
    ],
)
def test_a_policy_is_refused_with_its_path(document: Any, path: str) -> None:
    """Each problem names where it is; the schema refuses the same document."""
    with pytest.raises(InventoryError) as info:
        parse_policy(json.dumps(document))
    assert info.value.path == path
    # A schema cannot know the catalogue's rules, the calendar, or that 0h is no duration.
    if not any(word in json.dumps(document) for word in ("HVB999", "2027-02-30", '"0h"')):
        assert list(POLICY.iter_errors(document)), document


def test_rule_ids_are_read_in_either_case() -> None:
    """``hvb801`` is HVB801."""
    policy = parse_policy(
        '{"exceptions": [{"host": "HV01", "rules": [" hvb807"], "reason": "x", "expires": "2027-01-31"}]}'
    )
    assert policy.exceptions[0].rules == ("HVB807",)


def test_the_bundled_catalogue_and_the_written_form_are_valid() -> None:
    """The example's catalogue, and what dump_restore_points writes, follow the schema."""
    data = example_catalogue("cluster-2022").data
    assert not list(POINTS.iter_errors(json.loads(data)))
    catalogue = read_catalogue(data).catalogue
    assert not list(POINTS.iter_errors(dump_restore_points(catalogue)))
    made_up = (FIXTURES / "catalogues" / "restore-points-madeup-1.json").read_bytes()
    assert not list(POINTS.iter_errors(json.loads(made_up)))
    assert json.loads(data)["$schema"] == RESTORE_POINTS_SCHEMA


@pytest.mark.parametrize(
    "document",
    [
        {
            "restore_points": [
                {"vm": "A", "taken_at": "2026-12-06T22:00:00", "level": "host", "product": "x"}
            ]
        },
        {
            "restore_points": [
                {"vm": "A", "taken_at": "2026-12-06T22:00:00Z", "level": "tape", "product": "x"}
            ]
        },
        {"restore_points": [{"vm": "A", "taken_at": "2026-12-06T22:00:00Z", "level": "host"}]},
        {
            "restore_points": [
                {
                    "vm": "A",
                    "taken_at": "2026-12-06T22:00:00Z",
                    "level": "host",
                    "product": "x",
                    "consistency": "fails",
                }
            ]
        },
        {"network_records": [{"host": "H", "taken_at": "2026-12-06T22:00:00Z", "networks": []}]},
        {"points": []},
    ],
)
def test_what_the_reader_refuses_the_schema_refuses(document: dict[str, Any]) -> None:
    """A time without an offset, an unknown level, a missing product, an unknown key."""
    assert list(POINTS.iter_errors(document))
    with pytest.raises(InventoryError):
        read_catalogue(json.dumps(document).encode())


def test_a_policy_over_its_limit_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    """A policy is written by hand: over 16 MiB it is refused, as text or as a file."""
    assert MAX_POLICY_BYTES == 16 * 1024 * 1024
    padded = '{"max_age": "7d"}' + " " * MAX_POLICY_BYTES
    with pytest.raises(InventoryError, match="larger than the limit of 16777216 bytes"):
        parse_policy(padded)
    assert parse_policy(padded[:MAX_POLICY_BYTES]).max_age == timedelta(days=7)
    path = tmp_path / "policy.json"
    with path.open("wb") as file:
        file.truncate(MAX_POLICY_BYTES + 1)  # sparse: nothing is written
    with pytest.raises(InventoryError, match="larger than the limit"):
        read_policy(path)
