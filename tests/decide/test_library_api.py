"""The library's own results: to_dict and JSON for each, a readable str(), clear TypeErrors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import hyperv_backup as hb
from hyperv_backup.cli import main


def _cluster(name: str) -> hb.Cluster:
    found = hb.load_example(name)
    assert isinstance(found, hb.Cluster)
    return found


CLUSTER = _cluster("cluster")
CLUSTER_NODE = CLUSTER.nodes[0]
VMS = {vm.name: vm for node in CLUSTER.nodes for vm in node.vms}
NODE22 = _cluster("cluster-2022").nodes[0]

#: What each public function returns, for the example cluster.
RESULTS: dict[str, Any] = {
    "check": hb.check(CLUSTER),
    "uncovered_storage": hb.uncovered_storage(CLUSTER),
    "backup_mode": hb.backup_mode(VMS["WEB01"]),
    "backup_outcome": hb.backup_outcome(NODE22.vms[0], NODE22),
    "backup_plan": hb.backup_plan(CLUSTER),
    "restore_steps": hb.restore_steps(VMS["FS01"], "HV-NODE1"),
    "rules": tuple(hb.RULES.values()),
}


@pytest.mark.parametrize("name", RESULTS)
def test_to_dict_and_json_for_every_result_of_the_public_functions(name: str) -> None:
    result = RESULTS[name]
    data = hb.to_dict(result)
    assert json.loads(json.dumps(data)) == data
    if isinstance(result, tuple):
        assert data == [hb.to_dict(item) for item in result]


def test_to_dict_of_a_sequence_names_what_is_no_result() -> None:
    with pytest.raises(TypeError, match=r"^to_dict\(\) .* got Host at index 0 of tuple$"):
        lib.to_dict(CLUSTER.nodes)
    with pytest.raises(TypeError, match=r"got str$"):
        lib.to_dict("HVB101")
    assert hb.to_dict([]) == []


def test_vm_rows_give_their_reasons_as_an_array(capsys: pytest.CaptureFixture[str]) -> None:
    """vms[].reasons is an array, like steps[].rules; the plan's document is at version 2."""
    main(["plan", "--example", "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    assert document["schema_version"] == 2
    rows = {row["vm"]: row for row in document["vms"]}
    assert rows["WEB01"]["reasons"] == ["HVB306", "HVB305"]
    assert rows["SQL01"]["reasons"] == []
    assert all(isinstance(step["rules"], list) for step in document["steps"])


# --- str() ---------------------------------------------------------------------------


def test_str_of_a_finding_is_its_rule_severity_and_message() -> None:
    finding = RESULTS["check"][0]
    assert str(finding) == f"{finding.rule.id} {finding.severity.value}: {finding.message}"
    assert str(RESULTS["check"]).splitlines() == [str(f) for f in RESULTS["check"]]
    assert str(hb.check(hb.Host(name="HV01", os=hb.HostOS.WINDOWS_SERVER_2022))) == "no findings"
    assert repr(finding).startswith("Finding(rule=Rule(")  # repr stays the attrs one


def test_str_of_steps_is_a_numbered_list() -> None:
    steps = RESULTS["restore_steps"]
    assert (
        str(steps[0])
        == "1. Have the backup media and equipment for VM 'FS01' at hand on 'HV-NODE1'."
    )
    assert str(steps[1]).endswith("(HVB503)")
    assert str(steps).splitlines() == [str(s) for s in steps]


def test_str_of_decisions_outcomes_and_uncovered_storage() -> None:
    assert str(RESULTS["backup_mode"]) == "WEB01: offline, saved for the backup (HVB306, HVB305)"
    assert str(hb.backup_mode(VMS["SQL01"])) == "SQL01: online"
    app01 = next(vm for vm in NODE22.vms if vm.name == "APP01")
    assert (
        str(hb.backup_outcome(app01, NODE22)) == "APP01: crash-consistent (HVB602, HVB603, HVB616)"
    )
    saved = hb.backup_outcome(VMS["WEB01"], CLUSTER.nodes[1])
    assert str(saved) == "WEB01: saved, with downtime (HVB306, HVB305, HVB308)"
    assert str(RESULTS["uncovered_storage"][0]) == (
        "disk 'Archive' of VM 'FS01': HVB201 Pass-through disk is not in the host backup"
    )


# --- TypeError where a model object goes -----------------------------------------------

PATH = Path("inventory.json")
#: The library as a caller without type checking sees it.
lib: Any = hb


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: lib.check("x.json"), r"^check\(\) takes a Host or a Cluster, got str \(read an "),
        (
            lambda: lib.check(PATH),
            r"^check\(\) takes a Host or a Cluster, got PosixPath|WindowsPath",
        ),
        (lambda: lib.uncovered_storage("x"), r"^uncovered_storage\(\) takes a Host or a Cluster"),
        (lambda: lib.backup_plan("x.json"), r"^backup_plan\(\) takes a Host or a Cluster, got str"),
        (
            lambda: lib.backup_plan(VMS["FS01"]),
            r"^backup_plan\(\) takes a Host or a Cluster, got VM$",
        ),
        (lambda: lib.restore_steps("FS01", "HV-NODE1"), r"^restore_steps\(\) takes a VM, got str$"),
        (
            lambda: lib.restore_steps(VMS["FS01"], 5),
            r"^node must be a Host or a host's name, got int$",
        ),
        (lambda: lib.backup_mode("WEB01"), r"^backup_mode\(\) takes a VM, got str$"),
        (lambda: lib.backup_mode(VMS["WEB01"], 5), r"^node must be a Host or a host's name"),
        (
            lambda: lib.backup_outcome(VMS["WEB01"], "HV22-NODE1"),
            r"^backup_outcome\(\) takes the Host",
        ),
        (
            lambda: lib.cluster_backup_action("FS01", "HV-NODE1"),
            r"^cluster_backup_action\(\) takes a VM",
        ),
        (
            lambda: lib.cluster_restore_action("FS01", "HV-NODE1"),
            r"^cluster_restore_action\(\) takes a VM",
        ),
        (lambda: lib.cluster_restore_action(VMS["FS01"], None), r"^node must be a Host"),
        (lambda: lib.profile_for(CLUSTER_NODE), r"^profile_for\(\) takes a HostOS, got Host$"),
    ],
)
def test_a_path_or_name_where_a_model_object_goes_is_a_type_error(call: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message) as caught:
        call()
    # The message names types, never a whole model object.
    assert len(str(caught.value)) < 200


def test_an_unknown_node_is_the_error_the_command_line_reports(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(hb.HypervBackupError) as caught:
        hb.backup_plan(CLUSTER, "HV-NODE3")
    assert str(caught.value) == (
        "no node named 'HV-NODE3' in cluster 'HVCLUSTER01'; known: 'HV-NODE1', 'HV-NODE2'"
    )
    assert main(["plan", "--example", "--node", "HV-NODE3"]) == 2
    assert capsys.readouterr().err == f"hyperv-backup plan: error: {caught.value}\n"
    assert main(["restore", "--example", "FS01", "--node", "HV-NODE3"]) == 2
    assert capsys.readouterr().err == f"hyperv-backup restore: error: {caught.value}\n"


def test_restore_steps_takes_a_node_outside_the_inventory_by_name() -> None:
    """A VM alone names no inventory: a restore may go to a rebuilt host, by its name."""
    steps = hb.restore_steps(VMS["FS01"], "HV-REBUILT")
    assert {step.where for step in steps} >= {"HV-REBUILT"}


def test_messages_quote_a_short_excerpt_of_a_long_name() -> None:
    name = "N" * 5000
    with pytest.raises(hb.HypervBackupError) as caught:
        hb.backup_plan(CLUSTER, name)
    assert len(str(caught.value)) < 300
    with pytest.raises(hb.HypervBackupError) as caught:
        lib.restore_steps(VMS["FS01"], "HV-NODE1", mode="x" * 5000)
    assert len(str(caught.value)) < 200
