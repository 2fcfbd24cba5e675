"""Helpers shared by the inventory schema tests."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator


def _load_schema() -> dict[str, Any]:
    text = resources.files("hyperv_backup.schemas").joinpath("inventory.json").read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


SCHEMA = _load_schema()


VALIDATOR = Draft202012Validator(SCHEMA)


DEFS: dict[str, Any] = SCHEMA["$defs"]


def schema_errors(document: object) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(document)]


#: Each ``kind`` and the definition the top level applies to a document of that kind.
DOCUMENT_KINDS: dict[str, str] = {
    branch["if"]["properties"]["kind"]["const"]: branch["then"]["$ref"].removeprefix("#/$defs/")
    for branch in SCHEMA["allOf"]
}
