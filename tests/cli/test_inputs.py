"""The hyperv-backup command: reading inventories, and restore."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import hyperv_backup as hb
from hyperv_backup.examples import example_text
from tests.cli._shared_cli import (
    Page,
    fake_stdin,
    validate,
)

# --- reading the inventory -----------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_dash_reads_stdin_bytes(run: Any, monkeypatch: pytest.MonkeyPatch, encoding: str) -> None:
    """INVENTORY `-` reads standard input as bytes: UTF-8, or UTF-8/UTF-16 with a BOM."""
    fake_stdin(monkeypatch, example_text("host").encode(encoding))
    result = run("check", "-", "--format", "json")
    assert result.code == 1
    assert validate("check", result.out)["inventory"]["name"] == "HV-STANDALONE01"


def test_dash_with_invalid_stdin_names_stdin(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad document on standard input exits 3 and calls it <stdin>."""
    fake_stdin(monkeypatch, b'{"kind": "cluster"}')
    result = run("plan", "-")
    assert result.code == 3
    assert "<stdin>" in result.err
    assert "name: required field missing" in result.err


def test_file_argument(run: Any, tmp_path: Path) -> None:
    """INVENTORY is a path; a file written by `example` reads back the same."""
    path = tmp_path / "cluster.json"
    path.write_text(run("example").out, encoding="utf-8")

    def answers(out: str) -> list[str]:
        return [line for line in out.splitlines() if not line.startswith("Read from: ")]

    assert answers(run("plan", str(path)).out) == answers(run("plan", "--example").out)


def test_example_prints_the_inventory(run: Any) -> None:
    """Example prints an inventory that parses back to the bundled one."""
    for name in hb.example_names():
        out = run("example", name).out
        assert hb.parse_inventory(out) == hb.load_example(name)
        assert hb.parse_inventory(run("example", name, "--format", "json").out) == (
            hb.load_example(name)
        )
    assert hb.parse_inventory(run("example").out) == hb.load_example("cluster")


def test_example_markdown_and_html_show_the_json(run: Any) -> None:
    """The Markdown and HTML forms of `example` show the document as code."""
    markdown = run("example", "host", "--format", "markdown").out
    assert "```json\n" in markdown
    page = Page(run("example", "host", "--format", "html").out)
    assert "pre" in page.tags
    document = page.text[page.text.index('{\n  "$schema"') :]
    assert hb.parse_inventory(document) == hb.load_example("host")


@pytest.mark.parametrize(
    "args",
    [
        ["restore", "--example", "cluster", "APP01"],
        ["restore", "--example", "APP01"],  # the word after --example names no example
        ["restore", "APP01", "--example"],
        ["restore", "--example=cluster", "APP01"],
    ],
)
def test_example_flag_and_vm_in_any_order(run: Any, args: list[str]) -> None:
    """--example [NAME] replaces INVENTORY, wherever it stands."""
    result = run(*args, "--format", "json")
    assert result.code == 0
    assert validate("restore", result.out)["vm"] == "APP01"


def test_options_between_operands(run: Any, tmp_path: Path) -> None:
    """Options may stand between INVENTORY and VM."""
    path = tmp_path / "cluster.json"
    path.write_text(example_text("cluster"), encoding="utf-8")
    result = run("restore", str(path), "--node", "HV-NODE2", "APP01", "--format", "json")
    assert result.code == 0
    assert validate("restore", result.out)["node"] == "HV-NODE2"


# --- restore -------------------------------------------------------------------------


def restore_json(run: Any, *args: str) -> dict[str, Any]:
    result = run("restore", "--example", "cluster", *args, "--format", "json")
    assert result.code == 0, result.err
    return validate("restore", result.out)


def test_restore_defaults_to_the_node_listing_the_vm(run: Any) -> None:
    """Without --node the VM is restored on the host or node that lists it."""
    document = restore_json(run, "WEB01")
    assert document["node"] == "HV-NODE2"
    cluster = hb.load_example("cluster")
    assert isinstance(cluster, hb.Cluster)
    expected = hb.restore_steps(cluster.nodes[1].vms[0], cluster.nodes[1])
    assert document["steps"] == [hb.to_dict(s) for s in expected]
    assert document["backup_mode"] is None


def test_restore_on_another_node_prepares_the_owner(run: Any) -> None:
    """--node names another node: the owner takes the resources offline first (case-insensitive)."""
    document = restore_json(run, "WEB01", "--node", "hv-node1")
    assert document["node"] == "HV-NODE1"
    prepare = [s for s in document["steps"] if s["action"] == "prepare_cluster"]
    assert prepare[0]["where"] == "HV-NODE2"


@pytest.mark.parametrize("vm", ["TEST01", "WEB02", "SQL01", "DEV01"])
def test_restore_backup_mode_online(run: Any, vm: str) -> None:
    """--backup-mode online works for any VM, also one that is off now (it ran then)."""
    document = restore_json(run, vm, "--backup-mode", "online")
    assert document["backup_mode"] == "online"
    first_start = document["steps"][-1]
    assert first_start["action"] == "first_start"
    assert first_start["rules"] == ["HVB402"]
    assert "comes back off" in first_start["text"]


def test_restore_backup_mode_offline(run: Any) -> None:
    """--backup-mode offline: a running VM comes back saved; no HVB402."""
    document = restore_json(run, "SQL01", "--backup-mode", "offline")
    first_start = document["steps"][-1]
    assert first_start["rules"] == []
    assert "comes back saved" in first_start["text"]


def test_restore_backup_mode_names_no_backup_set(run: Any) -> None:
    """--backup-mode gives the mode only, and implies no backup set (so no HVB406).

    A pass-through disk is still restored from inside the guest (HVB403).
    """
    document = restore_json(run, "FS01", "--backup-mode", "offline")
    guest = [s for s in document["steps"] if s["action"] == "guest_restore"]
    assert [(s["target"], s["rules"]) for s in guest] == [("Archive", ["HVB403"])]


def test_plan_node_moves_clustered_vms(run: Any) -> None:
    """Plan --node backs every clustered VM up on that node, moving the others there first."""
    document = validate(
        "plan", run("plan", "--example", "--node", "hv-node2", "--format", "json").out
    )
    assert document["node"] == "HV-NODE2"
    moved = [s["target"] for s in document["steps"] if s["action"] == "move_vm"]
    assert moved == ["SQL01", "FS01", "APP01", "DEV01"]
    rows = {row["vm"]: row["host"] for row in document["vms"]}
    assert rows["SQL01"] == "HV-NODE2"
    assert rows["MGMT01"] == "HV-NODE2"
