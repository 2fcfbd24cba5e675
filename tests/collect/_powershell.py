"""Reading the collector scripts with a PowerShell grammar, and the cmdlet reference they are held to."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import tree_sitter_powershell
from tree_sitter import Language, Node, Parser

#: The scripts checked, by their name in the collect package.
SCRIPTS = ("host.ps1", "guest.ps1")
#: Microsoft's cmdlet and class reference, as recorded for the scripts (see its "notes").
REFERENCE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "cmdlet_reference.json").read_text(encoding="utf-8")
)
_PARSER = Parser(Language(tree_sitter_powershell.language()))


def parse(text: str) -> Node:
    """Return the syntax tree of a PowerShell script."""
    return _PARSER.parse(text.encode("utf-8")).root_node


def nodes(node: Node, kind: str) -> Iterator[Node]:
    """Yield ``node`` and every node under it of the grammar's type ``kind``."""
    if node.type == kind:
        yield node
    for child in node.children:
        yield from nodes(child, kind)


def text(node: Node) -> str:
    """Return the source text of ``node``."""
    return (node.text or b"").decode("utf-8")


def line(node: Node) -> int:
    """Return the line ``node`` starts on, counted from 1."""
    return int(node.start_point[0]) + 1


def script_key(name: str) -> str:
    """Return how the reference names a script of the collect package (``hyperv_backup/collect/host.ps1``)."""
    return f"hyperv_backup/collect/{name}"
