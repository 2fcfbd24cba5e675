"""Rich display in notebooks: HTML and Markdown for models and results.

Jupyter shows an object through its ``_repr_html_`` or ``_repr_markdown_``
method. The model roots (:class:`~hyperv_backup.Host`,
:class:`~hyperv_backup.Cluster`, :class:`~hyperv_backup.VM`), decisions and
outcomes, plans
and the findings and steps returned by the decision functions have both; they
call :func:`to_html` and :func:`to_markdown` here, which use the same
renderers as the command line. Nothing here imports IPython.

>>> import hyperv_backup as hb
>>> print(to_markdown(hb.load_example("host")))
**Host HV-STANDALONE01 (Windows Server 2012 R2): 3 VMs**
<BLANKLINE>
| vm | host | state | disks | snapshots | cluster group |
| --- | --- | --- | --- | --- | --- |
| DC01 | HV-STANDALONE01 | running | System | 0 |  |
| PRINT01 | HV-STANDALONE01 | off | System | 1 |  |
| APP02 | HV-STANDALONE01 | running | System | 0 |  |
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from hyperv_backup._base import public_dir
from hyperv_backup.decide.mode import BackupModeDecision
from hyperv_backup.decide.outcome import BackupOutcome
from hyperv_backup.decide.plan import Plan
from hyperv_backup.decide.steps import Step, Steps
from hyperv_backup.model import VM, Cluster, Host, hosts_of, os_label
from hyperv_backup.render import (
    STYLE_SHEET,
    Format,
    escape_html,
    escape_markdown,
    html_table,
    markdown_table,
    render_findings,
    render_plan,
    render_steps,
)
from hyperv_backup.rules import Finding, Findings

__all__ = ["to_html", "to_markdown"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

Displayable = (
    Host
    | Cluster
    | VM
    | BackupModeDecision
    | BackupOutcome
    | Plan
    | Sequence[Finding]
    | Sequence[Step]
)
#: The results that show as a summary and their reasons.
Decided = BackupModeDecision | BackupOutcome


def _vm_rows(target: Host | Cluster) -> list[dict[str, object]]:
    hosts = hosts_of(target)
    rows: list[dict[str, object]] = []
    for host in hosts:
        for vm in host.vms:
            group = vm.cluster_group
            rows.append(
                {
                    "vm": vm.name,
                    "host": host.name,
                    "state": vm.state,
                    "disks": ", ".join(d.name for d in vm.disks),
                    "snapshots": str(len(vm.snapshots)),
                    "cluster group": "" if group is None else group.name,
                }
            )
    return rows


def _caption(target: Host | Cluster) -> str:
    if isinstance(target, Cluster):
        count = sum(len(node.vms) for node in target.nodes)
        return f"Cluster {target.name}: {len(target.nodes)} nodes, {count} VMs"
    return f"Host {target.name} ({os_label(target.os)}): {len(target.vms)} VMs"


def _disk_rows(vm: VM) -> list[dict[str, object]]:
    return [
        {
            "disk": disk.name,
            "attachment": disk.attachment,
            "guest disk type": disk.guest_disk_type,
            "volumes": ", ".join(f"{v.name} {v.file_system.value}" for v in disk.volumes),
            "host storage": disk.host_storage,
            "path": disk.path,
        }
        for disk in vm.disks
    ]


_VM_FIELDS = (
    "name",
    "state",
    "integration_services",
    "backup_integration_service",
    "guest_inventoried",
    "snapshots",
    "cluster_group",
)


def _vm_summary(vm: VM) -> dict[str, object]:
    return {field.replace("_", " "): getattr(vm, field) for field in _VM_FIELDS}


def _decision_summary(decision: Decided) -> dict[str, object]:
    if isinstance(decision, BackupOutcome):
        return {
            "vm": decision.vm,
            "profile": decision.profile.label,
            "consistency": decision.consistency.label,
            "causes downtime": decision.causes_downtime,
            "state during backup": decision.state_during_backup,
            "state after": decision.state_after,
        }
    return {
        "vm": decision.vm,
        "mode": decision.mode,
        "causes downtime": decision.causes_downtime,
        "state during backup": decision.state_during_backup,
        "state after": decision.state_after,
    }


def _reason_rows(decision: Decided) -> list[dict[str, object]]:
    return [
        {"rule": r.rule.id, "subject": r.subject, "message": r.message} for r in decision.reasons
    ]


def _is_findings(obj: Any) -> bool:
    if isinstance(obj, Findings):
        return True
    return isinstance(obj, Sequence) and bool(obj) and all(isinstance(f, Finding) for f in obj)


def _is_steps(obj: Any) -> bool:
    if isinstance(obj, Steps):
        return True
    return isinstance(obj, Sequence) and bool(obj) and all(isinstance(s, Step) for s in obj)


def _inventory_html(obj: Host | Cluster) -> str:
    rows = _vm_rows(obj)
    caption = f"<p><strong>{escape_html(_caption(obj))}</strong></p>\n"
    return caption + (html_table(rows) if rows else "")


def _inventory_markdown(obj: Host | Cluster) -> str:
    rows = _vm_rows(obj)
    caption = f"**{escape_markdown(_caption(obj))}**"
    return f"{caption}\n\n{markdown_table(rows)}" if rows else caption


# A table of no rows would render as an empty frame: such tables are left out.


def _vm_html(vm: VM) -> str:
    disks = _disk_rows(vm)
    return html_table(_vm_summary(vm)) + (html_table(disks) if disks else "")


def _vm_markdown(vm: VM) -> str:
    disks = _disk_rows(vm)
    summary = markdown_table(_vm_summary(vm))
    return f"{summary}\n\n{markdown_table(disks)}" if disks else summary


def _decision_html(decision: Decided) -> str:
    reasons = _reason_rows(decision)
    return html_table(_decision_summary(decision)) + (html_table(reasons) if reasons else "")


def _decision_markdown(decision: Decided) -> str:
    reasons = _reason_rows(decision)
    summary = markdown_table(_decision_summary(decision))
    return f"{summary}\n\n{markdown_table(reasons)}" if reasons else summary


#: What shows each kind of object: (is it one, its HTML fragment, its Markdown).
#: The renderers of plans, findings and steps bring their own ``<div class="hvb">``.
_SHOWN: tuple[tuple[Callable[[Any], bool], Callable[[Any], str], Callable[[Any], str]], ...] = (
    (
        lambda o: isinstance(o, Plan),
        lambda o: render_plan(o, Format.HTML),
        lambda o: render_plan(o, Format.MARKDOWN),
    ),
    (
        _is_findings,
        lambda o: render_findings(list(o), Format.HTML),
        lambda o: render_findings(list(o), Format.MARKDOWN),
    ),
    (
        _is_steps,
        lambda o: render_steps(list(o), Format.HTML),
        lambda o: render_steps(list(o), Format.MARKDOWN),
    ),
    (
        lambda o: isinstance(o, Host | Cluster),
        lambda o: _fragment(_inventory_html(o)),
        _inventory_markdown,
    ),
    (lambda o: isinstance(o, VM), lambda o: _fragment(_vm_html(o)), _vm_markdown),
    (
        lambda o: isinstance(o, Decided),
        lambda o: _fragment(_decision_html(o)),
        _decision_markdown,
    ),
)


def _fragment(body: str) -> str:
    return f'<div class="hvb">\n{body}</div>\n'


def to_html(obj: Displayable) -> str:
    """Return an HTML fragment showing ``obj``, with its scoped style sheet.

    Every string from an inventory is escaped.
    """
    style = f"<style>{STYLE_SHEET}</style>\n"
    for shows, html, _ in _SHOWN:
        if shows(obj):
            return style + html(obj)
    return style + _fragment(html_table(obj))


def to_markdown(obj: Displayable) -> str:
    """Return Markdown showing ``obj``; inventory strings are escaped."""
    for shows, _, markdown in _SHOWN:
        if shows(obj):
            return markdown(obj)
    return markdown_table(obj)
