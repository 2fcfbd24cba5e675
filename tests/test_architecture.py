"""The layers hold: no import circle, and every module path of version 0.1 still works.

The layer contract itself (each layer imports only from the layers below it,
the rule families, readers, formats and commands independent of one another)
is kept in ``pyproject.toml`` and checked by ``lint-imports``, which CI runs and
the last test here runs too. ``docs/architecture.md`` draws the map.
"""

from __future__ import annotations

import importlib
import sys
import warnings
from collections.abc import Iterable, Mapping

import grimp
import pytest

from tests.paths import ROOT

#: The public names of each module of version 0.1, as its ``__all__`` listed them.
PUBLIC_IN_0_1: Mapping[str, tuple[str, ...]] = {
    "model": (
        "VM", "Attachment", "Backup", "BackupApplication", "BackupLevel", "BackupMode",
        "Cluster", "ClusterGroup", "Disk", "FileSystem", "GuestDiskType", "Host", "HostOS",
        "HostStorage", "ModelError", "NetworkAdapter", "NetworkKind", "ResourceState",
        "VMState", "VhdType", "VirtualNetwork", "Volume", "computer_key", "safe_repr",
    ),
    "rules": ("RULES", "Finding", "Findings", "Rule", "Severity", "finding"),
    "mode": ("ONLINE_CONDITIONS", "BackupModeDecision", "OnlineCondition", "backup_mode"),
    "cluster": (
        "BACKUP_TABLE", "RESTORE_TABLE", "BackupRow", "ClusterAction", "Owner", "Provenance",
        "Resource", "RestoreRow", "backup_row", "cluster_backup_action",
        "cluster_restore_action", "resources_taken_offline", "restore_row",
    ),
    "checks": ("UncoveredStorage", "check", "hosts_of", "uncovered_storage"),
    "steps": ("Plan", "Step", "StepKind", "Steps", "backup_plan", "restore_steps"),
    "inventory": (
        "DEFAULT_LIMITS", "InventoryError", "InventoryLimits", "Problem", "dump_inventory",
        "parse_inventory", "read_inventory",
    ),
    "readers": (
        "HYPERV_WRITER_ID", "MAX_TEXT_LENGTH", "DiskpartDisk", "DiskpartVolume",
        "ShadowStorage", "VssWriter", "diskpart_disks", "diskpart_volumes", "hyperv_writer",
        "vssadmin_shadow_storage", "vssadmin_writers",
    ),
    "render": (
        "SCHEMA_VERSION", "STYLE_SHEET", "Format", "clean_text", "decision_rows",
        "escape_html", "escape_markdown", "html_page", "html_table", "markdown_table",
        "render_findings", "render_plan", "render_rules", "render_steps", "severity_counts",
    ),
    "display": ("to_html", "to_markdown"),
    "serialize": ("to_dict",),
    "cli": (
        "EXIT_FINDINGS", "EXIT_INTERNAL", "EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "Command",
        "FailOn", "Options", "main",
    ),
    "collect": (
        "BUS_TYPES", "CLUSTER_GROUP_STATES", "CLUSTER_RESOURCE_STATES", "CONTROLLER_TYPES",
        "GUEST_COLLECTOR", "HOST_COLLECTOR", "HOST_OS_VERSIONS", "PARTITION_STYLES",
        "SWITCH_TYPES", "VHD_TYPES", "VM_STATES", "VM_STATES_WMI_V1",
        "VM_STATE_VERSION_DEPENDENT", "VSS_INTEGRATION_SERVICE_ID", "BusClass", "Code",
        "Document", "collector_kind", "from_documents", "load_document", "read_documents",
        "script_path", "writer_notes",
    ),
}  # fmt: skip

#: The 0.1 modules that are now aliases of their new homes, and warn when imported.
DEPRECATED = {
    "mode": "hyperv_backup.decide.mode",
    "cluster": "hyperv_backup.decide.cluster",
    "checks": "hyperv_backup.decide.checks",
    "steps": "hyperv_backup.decide.plan",
    "display": "hyperv_backup.render.notebook",
    "serialize": "hyperv_backup.render.json",
}


def _circles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Return the strongly connected groups of two or more modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in sorted(graph.find_modules_directly_imported_by(module)):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_the_package_has_no_import_circle() -> None:
    """Every import, lazy ones in functions and type-checking ones included, runs one way."""
    graph = grimp.build_graph("hyperv_backup")
    assert len(graph.modules) > 50  # the whole package was read
    assert _circles(graph) == []


def test_a_circle_would_be_found() -> None:
    """The circle finder itself: a graph with one circle gives exactly that circle."""
    graph = grimp.ImportGraph()
    for name in ("a", "a.x", "a.y", "a.z"):
        graph.add_module(name)
    graph.add_import(importer="a.x", imported="a.y")
    graph.add_import(importer="a.y", imported="a.x")
    graph.add_import(importer="a.z", imported="a.x")
    assert _circles(graph) == [["a.x", "a.y"]]


def _import_quietly(module: str) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return importlib.import_module(module)


@pytest.mark.parametrize(("module", "names"), sorted(PUBLIC_IN_0_1.items()))
def test_every_public_name_of_0_1_is_still_importable_from_its_module(
    module: str, names: Iterable[str]
) -> None:
    imported = _import_quietly(f"hyperv_backup.{module}")
    missing = [name for name in names if not hasattr(imported, name)]
    assert missing == []


@pytest.mark.parametrize(("old", "new"), sorted(DEPRECATED.items()))
def test_an_old_module_path_warns_and_gives_the_same_objects(old: str, new: str) -> None:
    sys.modules.pop(f"hyperv_backup.{old}", None)  # so that the import runs, and warns, again
    with pytest.warns(DeprecationWarning, match=f"hyperv_backup.{old} is deprecated"):
        alias = importlib.import_module(f"hyperv_backup.{old}")
    home = importlib.import_module(new)
    shared = [name for name in alias.__all__ if hasattr(home, name)]
    assert shared  # the alias names objects of its new home
    for name in shared:
        assert getattr(alias, name) is getattr(home, name)


def test_the_layer_contracts_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every contract of pyproject.toml holds, as ``lint-imports`` (run by CI) reports."""
    from importlinter.cli import lint_imports

    monkeypatch.chdir(ROOT)
    assert lint_imports(no_cache=True, no_logo=True) == 0
