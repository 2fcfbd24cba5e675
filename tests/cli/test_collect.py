"""The collect command: inventories from collector documents."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

import hyperv_backup as hb
from hyperv_backup import cli
from hyperv_backup.cli import main
from hyperv_backup.examples import example_text
from hyperv_backup.inventory import INVENTORY_SCHEMA, with_schema
from tests.cli._shared_cli import (
    fake_stdin,
    validate,
)
from tests.paths import FIXTURES

# --- collect: inventories from collector documents --------------------------------------


COLLECT_FIXTURES = FIXTURES / "collect"


COLLECT_NODES = [
    str(COLLECT_FIXTURES / "cluster-node1-ps51.json"),
    str(COLLECT_FIXTURES / "cluster-node2-ps51-utf16.json"),
]


COLLECT_GUESTS = [
    str(COLLECT_FIXTURES / name)
    for name in ("guest-sql01-ps51.json", "guest-fs01-ps51.json", "guest-app01-ps51.json")
]


COLLECT_STANDALONE = str(COLLECT_FIXTURES / "standalone-ps7.json")


def test_collect_writes_the_inventory(run: Any) -> None:
    """Collect: node documents and guest documents in, one inventory document out (stdout)."""
    result = run("collect", *COLLECT_NODES, "--guest", *COLLECT_GUESTS)
    assert result.code == 0, result.err
    document = validate("example", result.out)  # the inventory schema
    expected = hb.collect.read_documents(COLLECT_NODES, COLLECT_GUESTS)
    assert hb.parse_inventory(document) == expected
    # The schema first, so that an editor finds it; then the inventory.
    assert result.out == json.dumps(with_schema(hb.dump_inventory(expected)), indent=2) + "\n"
    assert document["$schema"] == INVENTORY_SCHEMA
    # Each node keeps when its document was collected.
    assert [node["collected_at"] for node in document["nodes"]] == [
        "2012-01-13T08:00:00Z",
        "2012-01-13T08:01:02Z",
    ]
    # Notes on stderr only: the VMs without a guest document.
    assert result.err.splitlines() == [
        "hyperv-backup collect: note: no guest document for 3 VM(s); their guest facts are "
        "unknown (HVB309, HVB602): WEB01, DEV01, TEST01"
    ]


def test_collect_output_file_and_repeated_guest(run: Any, tmp_path: Path) -> None:
    """-o writes the file (UTF-8) and nothing to stdout; --guest may be repeated."""
    target = tmp_path / "inventory.json"
    result = run(
        "collect",
        COLLECT_NODES[1],
        "--guest",
        COLLECT_GUESTS[0],
        "-o",
        str(target),
        COLLECT_NODES[0],
        "--guest",
        COLLECT_GUESTS[1],
        COLLECT_GUESTS[2],
    )
    assert result.code == 0, result.err
    assert result.out == ""
    inventory = hb.read_inventory(target)
    assert isinstance(inventory, hb.Cluster)
    assert [n.name for n in inventory.nodes] == ["HV-NODE2", "HV-NODE1"]
    assert run("check", str(target)).code == cli.EXIT_FINDINGS  # HVB102, HVB106, HVB501, HVB504
    assert run("plan", str(target)).code == cli.EXIT_OK  # plan gates only with --fail-on


def test_collect_progress_line(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """With more than a few guest documents, collect says on stderr what it merges."""
    monkeypatch.setattr("hyperv_backup.cli.collect.PROGRESS_GUESTS", 2)
    result = run("collect", *COLLECT_NODES, "--guest", *COLLECT_GUESTS)
    assert result.code == 0
    assert result.err.splitlines()[0] == (
        "hyperv-backup collect: merging 2 host and 3 guest documents"
    )
    quiet = run("collect", COLLECT_STANDALONE)
    assert "merging" not in quiet.err


def test_collect_notes_a_failed_writer(run: Any, tmp_path: Path) -> None:
    """A Hyper-V VSS writer that is not stable is a note on stderr; the inventory is still written."""
    document = json.loads(Path(COLLECT_STANDALONE).read_text(encoding="utf-8"))
    document["VssWriters"] = (
        COLLECT_FIXTURES / "vssadmin-list-writers-hyperv-failed-blog-1.txt"
    ).read_text(encoding="utf-8")
    path = tmp_path / "host.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run("collect", str(path))
    assert result.code == 0
    assert (
        "hyperv-backup collect: note: HV-STANDALONE02: the Hyper-V VSS writer is in state [8], "
        "not stable (last error: Inconsistent shadow copy)"
    ) in result.err.splitlines()


def test_collect_invalid_documents_exit_3(run: Any, tmp_path: Path) -> None:
    """Invalid collector documents exit 3: the files by index, then one `path: message` per line."""
    document = json.loads(Path(COLLECT_STANDALONE).read_text(encoding="utf-8"))
    document["VMs"][0]["State"] = 32785
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run("collect", str(path), "--guest", COLLECT_GUESTS[0])
    assert result.code == cli.EXIT_INVALID
    assert result.out == ""
    lines = result.err.splitlines()
    assert lines[0] == (
        f"hyperv-backup collect: error: the collector documents are not valid (hosts[0] is "
        f"{path}; guests[0] is {COLLECT_GUESTS[0]}):"
    )
    assert lines[1].startswith("hosts[0].VMs[0].State: VM state 32785")
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["collect"], "missing HOST"),
        (["collect", COLLECT_STANDALONE, "--format", "json"], "unrecognized arguments: --format"),
        (["collect", COLLECT_STANDALONE, "--script", "host.ps1"], "--script writes"),
        (["collect", "--script", "other.ps1"], "invalid choice: 'other.ps1'"),
    ],
)
def test_collect_usage_errors_exit_2(run: Any, args: list[str], message: str) -> None:
    """No host document, or arguments that do not go together, is a usage error."""
    result = run(*args)
    assert result.code == cli.EXIT_USAGE
    assert message in result.err
    assert result.out == ""


@pytest.mark.parametrize(
    "args",
    [["collect", "nowhere.json"], ["collect", COLLECT_STANDALONE, "--guest", "nowhere.json"]],
)
def test_collect_of_a_document_that_cannot_be_read_exits_3(run: Any, args: list[str]) -> None:
    """A document that cannot be read is an input that could not be read, as for every command."""
    result = run(*args)
    assert result.code == cli.EXIT_INVALID
    assert result.err == (
        "hyperv-backup collect: error: nowhere.json: cannot read 'nowhere.json': "
        "No such file or directory\n"
    )
    assert result.out == ""


def test_collect_unwritable_output_exits_2(run: Any, tmp_path: Path) -> None:
    """An output file that cannot be written is a usage error."""
    result = run("collect", COLLECT_STANDALONE, "-o", str(tmp_path / "missing" / "x.json"))
    assert result.code == cli.EXIT_USAGE
    assert "cannot write" in result.err


@pytest.mark.parametrize("command", ["check", "plan"])
def test_check_and_plan_read_a_host_document_directly(
    run: Any, tmp_path: Path, command: str
) -> None:
    """A standalone host's collector document is accepted where an inventory is."""
    inventory = tmp_path / "inventory.json"
    assert run("collect", COLLECT_STANDALONE, "-o", str(inventory)).code == 0
    direct = run(command, COLLECT_STANDALONE, "--format", "json", "--fail-on", "never")
    assert direct.code == 0, direct.err
    validate(command, direct.out)
    collected = run(command, str(inventory), "--format", "json", "--fail-on", "never")
    # The same answers; only the report's own details (the input's name) differ.
    answers, again = json.loads(direct.out), json.loads(collected.out)
    assert answers.pop("report")["inputs"] != again.pop("report")["inputs"]
    assert answers == again


def test_check_of_one_cluster_node_document_says_to_collect(run: Any) -> None:
    """One node's document is not the cluster: exit 3, asking for every node's document."""
    result = run("check", COLLECT_NODES[0])
    assert result.code == cli.EXIT_INVALID
    assert "no document from node(s) HV-NODE2 of cluster HVCLUSTER01" in result.err
    assert "hyperv-backup collect" in result.err


def test_check_of_a_guest_document_is_invalid(run: Any) -> None:
    """A guest document alone is no inventory."""
    result = run("plan", COLLECT_GUESTS[0])
    assert result.code == cli.EXIT_INVALID
    assert "hosts[0].collector: expected 'hyperv_backup.host/1'" in result.err


def test_collect_help(run: Any) -> None:
    """Collect has its own help, listed in the program's."""
    result = run("collect", "--help")
    assert result.code == 0
    assert "--guest" in result.out
    assert "collect" in run("--help").out


def test_json_to_a_narrow_terminal_stays_valid_json(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Names a terminal's encoding cannot show are written as JSON escapes, not Python ones."""
    standalone = FIXTURES / "collect" / "standalone-ps7.json"
    document = json.loads(standalone.read_bytes().decode("utf-8-sig"))
    text = json.dumps(document, ensure_ascii=False).replace('"HV-', '"HV-WEBÃ数😀-', 1)
    path = tmp_path / "named.json"
    path.write_text(text, encoding="utf-8")
    for command in (["collect", str(path)], ["plan", str(path), "--format", "json"]):
        buffer = io.BytesIO()
        monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(buffer, encoding="cp437"))
        main(command)
        sys.stdout.flush()
        output = buffer.getvalue().decode("cp437")
        assert "WEBÃ数😀" in json.dumps(json.loads(output), ensure_ascii=False)


@pytest.mark.parametrize("command", [["check"], ["collect"]])
def test_a_path_with_a_nul_character_is_an_input_that_cannot_be_read(
    run: Any, command: list[str]
) -> None:
    result = run(*command, "bad\x00name.json")
    assert result.code == 3
    assert "cannot read" in result.err
    assert "Traceback" not in result.err


def test_collect_output_path_with_a_nul_character_is_a_usage_error(run: Any) -> None:
    standalone = FIXTURES / "collect" / "standalone-ps7.json"
    assert run("collect", str(standalone)).code == 0
    result = run("collect", str(standalone), "-o", "out\x00.json")
    assert result.code == 2
    assert "cannot write" in result.err
    assert "Traceback" not in result.err


def test_a_lone_surrogate_is_an_invalid_inventory(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "surrogate.json"
    text = example_text("host").replace('"DC01"', '"DC\\ud80001"', 1)
    path.write_text(text, encoding="utf-8")
    result = run("check", str(path))
    assert result.code == 3
    assert "vms[0].name: not valid Unicode" in result.err


def test_an_inventory_over_the_size_limit_is_refused_unread(
    run: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("hyperv_backup.cli._io.DEFAULT_LIMITS", hb.InventoryLimits(max_bytes=100))
    path = tmp_path / "big.json"
    path.write_text(example_text("host"), encoding="utf-8")
    result = run("check", str(path))
    assert result.code == 3
    assert "larger than the limit of 100 bytes" in result.err
    fake_stdin(monkeypatch, example_text("host").encode())
    assert run("check", "-").code == 3


def test_collect_takes_a_linux_guest_document(run: Any, tmp_path: Path) -> None:
    """A guest.sh document is a guest document: its VM is not listed as lacking one."""
    guest = tmp_path / "web01-guest.json"
    guest.write_text(
        json.dumps(
            {
                "collector": "hyperv_backup.guest-linux/1",
                "ComputerName": "web01",
                "VirtualMachineName": "WEB01",
                "VirtualMachineId": None,
                "OsFamily": "Linux",
                "VssDaemonRunning": True,
                "FileSystems": [],
            }
        ),
        encoding="utf-8",
    )
    result = run("collect", COLLECT_STANDALONE, "--guest", str(guest))
    assert result.code == 0, result.err
    vm = next(v for v in json.loads(result.out)["vms"] if v["name"] == "WEB01")
    assert (vm["guest_os"], vm["vss_daemon"]) == ("linux", True)
    assert "WEB01" not in result.err
