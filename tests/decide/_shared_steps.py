"""Helpers shared by the plan and restore tests."""

from __future__ import annotations

from hyperv_backup import (
    VM,
    Attachment,
    Disk,
    NetworkAdapter,
    ResourceState,
    StepKind,
    VMState,
)
from tests.builders import (
    HOST,
    group,
)

ON, OFF = ResourceState.ONLINE, ResourceState.OFFLINE


K = StepKind


def full_restore_vm() -> VM:
    return VM(
        name="VM1",
        state=VMState.RUNNING,
        disks=[
            Disk(name="System", attachment=Attachment.VIRTUAL_HARD_DISK),
            Disk(name="Archive", attachment=Attachment.PASS_THROUGH),
            Disk(name="LUN1", attachment=Attachment.GUEST_ISCSI),
        ],
        network_adapters=[
            NetworkAdapter(name="Nic1", virtual_network="Production"),
            NetworkAdapter(name="Nic2"),
            NetworkAdapter(name="Nic3", virtual_network="Storage"),
        ],
        cluster_group=group(HOST),
    )


ONLINE_VM = VM(name="VM1", state=VMState.RUNNING)
