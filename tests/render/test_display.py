"""Notebook display: models and results show themselves as tables, safely."""

from __future__ import annotations

import subprocess
import sys

import pytest

import hyperv_backup as hb
from hyperv_backup.decide.steps import Steps
from hyperv_backup.render import decision_rows
from hyperv_backup.render.notebook import to_html, to_markdown
from hyperv_backup.rules import Findings
from tests.paths import DOCS

HOSTILE = "<script>alert(1)</script>|a*b_c"


def _cluster() -> hb.Cluster:
    cluster = hb.load_example("cluster")
    assert isinstance(cluster, hb.Cluster)
    return cluster


def _objects() -> list[object]:
    cluster = _cluster()
    vm = cluster.nodes[0].vms[1]
    return [
        cluster,
        cluster.nodes[0],
        vm,
        hb.backup_mode(vm),
        hb.backup_plan(cluster),
        hb.check(cluster),
        hb.restore_steps(vm, cluster.nodes[0]),
    ]


@pytest.mark.parametrize("obj", _objects(), ids=lambda o: type(o).__name__)
def test_every_displayable_object_has_both_hooks(obj: object) -> None:
    """Models, decisions, plans, findings and steps render through the shared renderers."""
    html = obj._repr_html_()  # type: ignore[attr-defined]
    markdown = obj._repr_markdown_()  # type: ignore[attr-defined]
    assert html == to_html(obj)  # type: ignore[arg-type]
    assert markdown == to_markdown(obj)  # type: ignore[arg-type]
    assert html.startswith("<style>")
    assert '<div class="hvb">' in html
    assert "<table" in html or "<ol" in html
    assert "|" in markdown


def test_inventory_tables_list_every_vm_with_its_host() -> None:
    cluster = _cluster()
    html = cluster._repr_html_()
    markdown = cluster._repr_markdown_()
    for node in cluster.nodes:
        for vm in node.vms:
            assert f'<td data-label="vm">{vm.name}</td>' in html
            assert f"| {vm.name} | {node.name} | {vm.state.value} |" in markdown
    assert "Cluster HVCLUSTER01: 2 nodes, 9 VMs" in markdown


def test_vm_and_decision_tables_show_their_fields() -> None:
    vm = _cluster().nodes[0].vms[1]
    assert "| Archive | pass\\_through | dynamic | F: ntfs | san |  |" in vm._repr_markdown_()
    markdown = hb.backup_mode(vm)._repr_markdown_()
    assert "| mode | offline |" in markdown
    assert "| causes downtime | yes |" in markdown
    assert "| HVB303 | Archive |" in markdown


def test_hostile_names_are_escaped() -> None:
    """Inventory strings never reach the page as markup."""
    vm = hb.VM(
        name=HOSTILE,
        state=hb.VMState.RUNNING,
        disks=[hb.Disk(name=HOSTILE, attachment=hb.Attachment.PASS_THROUGH)],
    )
    host = hb.Host(name="HV01", os=hb.HostOS.WINDOWS_SERVER_2008_R2, vms=[vm])
    shown: list[object] = [host, vm, hb.backup_mode(vm), hb.check(host), hb.backup_plan(host)]
    for obj in shown:
        html = obj._repr_html_()  # type: ignore[attr-defined]
        assert "<script>" not in html
        assert "&lt;script&gt;" in html
        markdown = obj._repr_markdown_()  # type: ignore[attr-defined]
        assert "a*b_c" not in markdown
        assert "<script>" not in markdown


def test_results_stay_plain_tuples() -> None:
    """Findings and steps are tuples, as docs/results.md says; they only add display hooks."""
    cluster = _cluster()
    findings = hb.check(cluster)
    steps = hb.restore_steps(cluster.nodes[0].vms[0], "HV-NODE1")
    assert isinstance(findings, Findings)
    assert isinstance(steps, Steps)
    assert findings == tuple(findings)
    assert steps == tuple(steps)


def test_empty_findings_render() -> None:
    empty = hb.check(hb.Host(name="HV01", os=hb.HostOS.WINDOWS_SERVER_2008))
    assert '<div class="hvb">' in empty._repr_html_()
    assert empty._repr_markdown_().startswith("# Findings")
    assert len(empty) == 0


def test_decision_rows_are_plain_values() -> None:
    """Rows hold only str, bool and None, so any table library takes them."""
    rows = decision_rows(hb.backup_plan(_cluster()))
    assert [row["vm"] for row in rows][:2] == ["SQL01", "FS01"]
    assert len(rows) == 9
    for row in rows:
        assert all(isinstance(value, str | bool) or value is None for value in row.values())


def test_display_does_not_import_ipython() -> None:
    code = (
        "import sys, hyperv_backup as hb\n"
        "c = hb.load_example('cluster')\n"
        "c._repr_html_(); hb.backup_plan(c)._repr_markdown_()\n"
        "assert 'IPython' not in sys.modules, 'IPython imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603 - our own code


def test_notebook_runs_without_errors() -> None:
    """docs/notebook.ipynb executes from top to bottom in a fresh kernel."""
    import nbclient
    import nbformat

    notebook = nbformat.read(DOCS / "notebook.ipynb", as_version=4)  # type: ignore[no-untyped-call]
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3")
    client.execute(cwd=str(DOCS))
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("HV-NODE2" in page for page in html)


def test_other_objects_fall_back_to_a_plain_table() -> None:
    """Anything else given to the display functions is shown as a field table."""
    rows = [{"vm": "A<b>", "mode": "online"}]
    html = to_html(rows)  # type: ignore[arg-type]
    assert '<td data-label="vm">A&lt;b&gt;</td>' in html
    markdown = to_markdown(rows)  # type: ignore[arg-type]
    assert markdown == "| vm | mode |\n| --- | --- |\n| A&lt;b&gt; | online |"


def test_empty_parts_are_left_out() -> None:
    """A VM with no disks, an online decision and a host with no VMs show no empty table."""
    vm = hb.VM(name="V", state=hb.VMState.RUNNING)
    decision = hb.backup_mode(vm)
    host = hb.Host(name="H", os=hb.HostOS.WINDOWS_SERVER_2008)
    for obj in (vm, decision, host):
        markdown = obj._repr_markdown_()
        html = obj._repr_html_()
        assert not markdown.endswith("|\n|")
        assert "<tbody>\n</tbody>" not in html
    assert host._repr_markdown_() == "**Host H (Windows Server 2008): 0 VMs**"
