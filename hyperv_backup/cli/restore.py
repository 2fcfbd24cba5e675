"""``restore INVENTORY VM [--node NODE] [--backup-mode MODE]``: the steps to restore one VM."""

from __future__ import annotations

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.cli._io import (
    base_frame,
    find_vm,
    load,
    profile_meta,
    profile_notes,
    render,
    resolve_host,
    sources,
    target_meta,
)
from hyperv_backup.cli._options import (
    EXIT_OK,
    Command,
    Options,
)
from hyperv_backup.render.reports import collection_times

__all__ = ["run"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


def run(options: Options) -> int:
    """Run ``restore``: print the steps to restore one VM."""
    from hyperv_backup.decide.restore import restore_steps  # noqa: PLC0415 - see cli.plan

    target = load(options)
    host, vm = find_vm(target, options.operands[-1])
    node = host if options.node is None else resolve_host(target, options.node)
    steps = restore_steps(vm, node, mode=options.backup_mode, profile=options.profile)
    mode_note = (
        f"Restored from an {options.backup_mode.value} host-level backup"
        if options.backup_mode is not None
        else "Restored from a host-level backup taken as the VM would be backed up today "
        "(--backup-mode names how it was taken)"
    )
    title = f"Restore of VM {vm.name} on {node.name}"
    meta = {
        "command": Command.RESTORE.value,
        "inventory": target_meta(target),
        "vm": vm.name,
        "node": node.name,
        "backup_mode": None if options.backup_mode is None else options.backup_mode.value,
        **profile_meta(node, options),
    }
    frame = attrs.evolve(
        base_frame(options, inputs=sources(options)),
        title=title,
        notes=[mode_note, *profile_notes(node, options)],
        meta=meta,
        collected_at=collection_times(node),
    )
    render(options, frame, lambda output, framed: output.steps(steps, framed))
    return EXIT_OK
