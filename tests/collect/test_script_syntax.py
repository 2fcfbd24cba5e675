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
from typing import TYPE_CHECKING

import pytest

from hyperv_backup import collect
from tests.collect._powershell import REFERENCE, SCRIPTS, nodes, parse, text

if TYPE_CHECKING:
    from tree_sitter import Node

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


def _ps7_syntax(source: str) -> list[str]:
    found = []
    leaves = list(_code(parse(source)))
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
    root = parse(collect.script_path(name).read_text(encoding="utf-8"))
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
    assert list(_broken(parse("function f { if ($x) { ")))


# --- every cmdlet and parameter is in Microsoft's cmdlet reference --------------------

#: Programs the scripts run that are not cmdlets.
NATIVE = frozenset({"vssadmin", "diskpart", "diskpart.exe", "iscsicli"})


def _calls(source: str) -> list[tuple[str, list[str], int]]:
    """Return each command the script runs: its name, the parameters passed, its line."""
    root = parse(source)
    defined = {
        text(name).casefold()
        for function in nodes(root, "function_statement")
        for name in function.children
        if name.type == "function_name"
    }
    calls = []
    for command in nodes(root, "command"):
        name = next((c for c in command.children if c.type == "command_name"), None)
        if name is None or text(name).casefold() in defined | NATIVE:
            continue
        elements = next((c for c in command.children if c.type == "command_elements"), None)
        parameters = [
            text(c).lstrip("-").split(":", 1)[0]
            for c in (elements.children if elements is not None else [])
            if c.type == "command_parameter"
        ]
        calls.append((text(name), parameters, command.start_point[0] + 1))
    return calls


def _reference(name: str) -> dict[str, object] | None:
    folded = name.casefold()
    entry: dict[str, object] | None = next(
        (v for k, v in REFERENCE["cmdlets"].items() if k.casefold() == folded), None
    )
    return entry


@pytest.mark.parametrize("name", SCRIPTS)
def test_every_cmdlet_and_parameter_is_in_the_reference(name: str) -> None:
    calls = _calls(collect.script_path(name).read_text(encoding="utf-8"))
    assert calls, "the scripts run commands"
    common = {p.casefold() for p in REFERENCE["common_parameters"]}
    problems = []
    for cmdlet, parameters, line in calls:
        entry = _reference(cmdlet)
        if entry is None:
            problems.append(f"line {line}: {cmdlet} is not in the reference")
            continue
        known = {str(p).casefold() for p in entry["parameters"]} | common  # type: ignore[attr-defined]
        problems.extend(
            f"line {line}: {cmdlet} has no parameter -{p}"
            for p in parameters
            if p.casefold() not in known
        )
    assert problems == []


def test_every_reference_entry_names_its_page_and_module() -> None:
    for cmdlet, entry in REFERENCE["cmdlets"].items():
        assert entry["module"], cmdlet
        assert str(entry["page"]).startswith("MicrosoftDocs/"), cmdlet
        assert entry["parameters"], cmdlet


def test_the_reference_check_finds_an_unknown_parameter_and_cmdlet() -> None:
    calls = _calls(
        "function Get-Mine { }\nGet-VM -Nmae x\nGet-Mine -Any 1\nInvoke-Nothing\nvssadmin list writers"
    )
    assert [(c, p) for c, p, _ in calls] == [("Get-VM", ["Nmae"]), ("Invoke-Nothing", [])]
    assert _reference("get-vm") is not None
    assert _reference("Invoke-Nothing") is None
