"""The collector scripts parse with a PowerShell grammar, and use no syntax Windows PowerShell 5.1 lacks.

No machine here runs PowerShell: the scripts are parsed with the grammar of
``tree-sitter-powershell``. Windows Server ships Windows PowerShell 5.1, so
the operators PowerShell 7 added (``??``, ``??=``, ``?.``, ``?[``, the
ternary ``? :``, the pipeline chains ``&&`` and ``||``) and
``ForEach-Object -Parallel`` must not appear outside strings and comments.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
import tree_sitter_powershell
from tree_sitter import Language, Node, Parser

from hyperv_backup import collect

SCRIPTS = ("host.ps1", "guest.ps1")
_PARSER = Parser(Language(tree_sitter_powershell.language()))
#: Operators of PowerShell 7 that Windows PowerShell 5.1 cannot parse.
PS7_ONLY = ("??=", "??", "?.", "?[", "&&", "||")
_QUIET = {
    "comment",
    "expandable_string_literal",
    "verbatim_string_characters",
    "verbatim_here_string_characters",
    "expandable_here_string_literal",
    "string_literal",
}


def _parse(text: str) -> Node:
    return _PARSER.parse(text.encode("utf-8")).root_node


def _broken(node: Node) -> Iterator[Node]:
    if node.type == "ERROR" or node.is_missing:
        yield node
    for child in node.children:
        yield from _broken(child)


def _code(node: Node) -> Iterator[str]:
    """Yield the source text of every leaf that is neither a string nor a comment."""
    if node.type in _QUIET:
        return
    if not node.children:
        yield (node.text or b"").decode("utf-8")
    for child in node.children:
        yield from _code(child)


def _ps7_syntax(text: str) -> list[str]:
    found = []
    leaves = list(_code(_parse(text)))
    joined = " ".join(leaves)
    # The grammar may split "?." into two leaves: look at neighbours too.
    pairs = [a + b for a, b in itertools.pairwise(leaves)]
    for operator in PS7_ONLY:
        if any(operator in leaf for leaf in [*leaves, *pairs]):
            found.append(operator)
    if "-Parallel" in joined:
        found.append("-Parallel")
    return found


@pytest.mark.parametrize("name", SCRIPTS)
def test_the_script_parses_without_an_error_node(name: str) -> None:
    root = _parse(collect.script_path(name).read_text(encoding="utf-8"))
    assert [(n.type, n.start_point) for n in _broken(root)] == []


@pytest.mark.parametrize("name", SCRIPTS)
def test_the_script_uses_no_syntax_windows_powershell_5_1_lacks(name: str) -> None:
    assert _ps7_syntax(collect.script_path(name).read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "line",
    [
        "$a = $b ?? 'x'",
        "$a ??= 1",
        "$n = ${vm}?.Name",
        "Get-VM && Get-VMSwitch",
        "Get-VM || exit 1",
        "1..3 | ForEach-Object -Parallel { $_ }",
    ],
)
def test_the_check_finds_powershell_7_syntax(line: str) -> None:
    assert _ps7_syntax(line) != []


def test_the_check_passes_over_strings_and_comments() -> None:
    assert _ps7_syntax("# a ?? b && c\n$s = 'x || y'\n$t = \"?. -Parallel\"") == []


def test_a_broken_script_has_an_error_node() -> None:
    assert list(_broken(_parse("function f { if ($x) { ")))
