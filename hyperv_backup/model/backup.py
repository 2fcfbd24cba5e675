"""A record of one backup of one VM, as the restore steps take it."""

from __future__ import annotations

from datetime import datetime

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.model._checks import (
    ModelError,
    check_collection,
    check_name,
    set_enum,
    shown,
    to_tuple,
)
from hyperv_backup.model.enums import BackupLevel, BackupMode, VMState

__all__ = ["Backup"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


@attrs.frozen(kw_only=True)
class Backup:
    """A record of one backup of one VM, as input to the restore steps.

    ``covers`` names the disks the backup holds (it matters for guest-level
    backups); ``vm_state`` is the state the VM was in when it was backed up
    (``None``: assume its state now).
    """

    vm: str
    node: str
    level: BackupLevel
    mode: BackupMode
    taken_at: datetime | None = None
    covers: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    vm_state: VMState | None = None

    def __attrs_post_init__(self) -> None:
        check_name(self.vm, "vm")
        check_name(self.node, "node")
        set_enum(self, "level", BackupLevel)
        set_enum(self, "mode", BackupMode)
        if self.taken_at is not None and not isinstance(self.taken_at, datetime):
            raise ModelError(
                "taken_at", self.taken_at, f"expected a datetime, got {shown(self.taken_at)}"
            )
        check_collection(self, "covers")
        for index, disk in enumerate(self.covers):
            check_name(disk, f"covers[{index}]")
        if self.vm_state is not None:
            set_enum(self, "vm_state", VMState)
            # An online backup is only possible while the VM runs.
            if self.mode is BackupMode.ONLINE and self.vm_state is not VMState.RUNNING:
                raise ModelError(
                    "vm_state",
                    self.vm_state.value,
                    f"an online backup needs a running VM, got {shown(self.vm_state.value)}",
                )
