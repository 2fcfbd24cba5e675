"""Helpers shared by the command-line tests."""

from __future__ import annotations

import io
import json
import sys
from html.parser import HTMLParser
from importlib import resources
from typing import TYPE_CHECKING, Any

import attrs
from jsonschema import Draft202012Validator

if TYPE_CHECKING:
    import pytest

COMMANDS: dict[str, list[str]] = {
    "check": ["check", "--example"],
    "plan": ["plan", "--example"],
    "restore": ["restore", "--example", "cluster", "APP01"],
    "rules": ["rules"],
    "example": ["example"],
    "diagnose": ["diagnose", "--example"],
}


@attrs.frozen
class Run:
    code: int
    out: str
    err: str


def schema(command: str) -> Draft202012Validator:
    text = resources.files("hyperv_backup.schemas").joinpath(f"cli-{command}.json").read_text()
    document = json.loads(text)
    Draft202012Validator.check_schema(document)
    return Draft202012Validator(document)


def validate(command: str, out: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(out)
    errors = [e.message for e in schema(command).iter_errors(document)]
    assert errors == []
    return document


class Page(HTMLParser):
    """Collects what the HTML tests look at: tags, their balance, text and table cells."""

    VOID = frozenset({"meta", "br", "hr", "img", "input", "link", "wbr", "col", "source"})

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.unbalanced: list[str] = []
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []
        self.data: list[str] = []
        self.doctype: str | None = None
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None
        self.feed(text)
        self.close()

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.extend(attrs)
        if tag not in self.VOID:
            self.stack.append(tag)
        if tag == "table":
            self._table = dict(attrs).get("class") or ""
            self.tables.setdefault(self._table, [])
        elif tag == "tr" and self._table is not None:
            self.tables[self._table].append([])
        elif tag == "td":
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.unbalanced.append(tag)
        if tag == "td" and self._cell is not None and self._table is not None:
            self.tables[self._table][-1].append("".join(self._cell))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        self.data.append(data)
        if self._cell is not None:
            self._cell.append(data)

    @property
    def text(self) -> str:
        return "".join(self.data)

    def rows(self, table: str) -> list[list[str]]:
        return [row for row in self.tables.get(table, []) if row]


def fake_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
