"""Inventories of the guidance's era and every output of them, as release 0.2 wrote them.

``tests/fixtures/golden/2008-outputs.json`` holds the outputs of the bundled
2008 R2 cluster and of a fixed set of generated 2008 / 2008 R2 inventories,
written by the release before the profiles of 2012 and later existed. The
test in ``tests/decide/test_profiles.py`` compares today's outputs with them
byte for byte: the 2008 profile must answer exactly as before.

Run ``python -m tests.golden_2008`` only to write the file again, and only on
a release whose 2008 answers are known to be right.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from hyperv_backup import (
    VM,
    Attachment,
    BackupApplication,
    Cluster,
    ClusterGroup,
    Disk,
    FileSystem,
    GuestDiskType,
    Host,
    HostOS,
    HostStorage,
    NetworkAdapter,
    NetworkKind,
    ResourceState,
    VhdType,
    VirtualNetwork,
    VMState,
    Volume,
    backup_plan,
    check,
    dump_inventory,
    load_example,
    restore_steps,
)
from hyperv_backup.render import Format, render_findings, render_plan, render_steps

GOLDEN = Path(__file__).parent / "fixtures" / "golden" / "2008-outputs.json"

#: How many generated inventories the file holds.
COUNT = 24


def _volume(rng: random.Random, name: str) -> Volume:
    system = rng.choice([FileSystem.NTFS] * 6 + [FileSystem.FAT32, FileSystem.REFS])
    return Volume(
        name=name,
        file_system=system,
        vss_enabled=rng.random() > 0.1,
        shadow_storage=None,
    )


def _disk(rng: random.Random, index: int, letters: list[str]) -> Disk:
    attachment = rng.choice(
        [Attachment.VIRTUAL_HARD_DISK] * 5 + [Attachment.PASS_THROUGH, Attachment.GUEST_ISCSI]
    )
    volumes = [_volume(rng, letters.pop()) for _ in range(rng.randint(0, 2)) if letters]
    vhd = attachment is Attachment.VIRTUAL_HARD_DISK
    storage = rng.choice(list(HostStorage))
    path = None
    if vhd:
        path = rng.choice(
            [
                f"C:\\ClusterStorage\\Volume1\\disk{index}.vhd",
                f"D:\\VMs\\disk{index}.vhd",
                f"\\\\?\\Volume{{5e1b7a8c-2d4f-11df-9c3a-806e6f6e69{index:02d}}}\\disk.vhd",
            ]
        )
    return Disk(
        name=f"Disk{index}",
        attachment=attachment,
        guest_disk_type=rng.choice([GuestDiskType.BASIC] * 5 + [GuestDiskType.DYNAMIC]),
        volumes=volumes,
        path=path,
        vhd_type=rng.choice(list(VhdType)) if vhd else None,
        host_storage=storage,
    )


def _vm(rng: random.Random, name: str, owner: str | None) -> VM:
    letters = [f"{c}:" for c in "ZYXWVUTSRQPONMLKJIHGFEDC"]
    disks = [_disk(rng, i, letters) for i in range(rng.randint(0, 3))]
    states = list(ResourceState)
    group = None
    if owner is not None:
        group = ClusterGroup(
            name=f"{name} Resources",
            owner_node=owner,
            cluster_resource=rng.choice([ResourceState.ONLINE] * 3 + states),
            configuration_resource=rng.choice([ResourceState.ONLINE] * 3 + states),
            storage_resource=rng.choice([ResourceState.ONLINE] * 3 + states),
        )
    return VM(
        name=name,
        state=rng.choice([VMState.RUNNING] * 3 + list(VMState)),
        integration_services=rng.random() > 0.1,
        backup_integration_service=rng.random() > 0.1,
        disks=disks,
        network_adapters=[NetworkAdapter(name="Network Adapter", virtual_network="Production")],
        snapshots=[f"Snap{i}" for i in range(rng.choice([0, 0, 0, 1, 2]))],
        cluster_group=group,
        guest_inventoried=rng.random() > 0.1,
    )


def _host(rng: random.Random, name: str, clustered: bool, first_vm: int) -> Host:
    app = rng.choice(
        [
            None,
            BackupApplication(name="Contoso Backup"),
            BackupApplication(name="File copy", uses_hyperv_vss_writer=False),
            BackupApplication(
                name="Windows Server Backup",
                is_windows_server_backup=True,
                hyperv_writer_registered=rng.random() > 0.5,
            ),
        ]
    )
    vms = [
        _vm(rng, f"VM{first_vm + i:02d}", name if clustered else None)
        for i in range(rng.randint(0, 4))
    ]
    return Host(
        name=name,
        os=rng.choice([HostOS.WINDOWS_SERVER_2008, HostOS.WINDOWS_SERVER_2008_R2]),
        vms=vms,
        virtual_networks=[VirtualNetwork(name="Production", kind=NetworkKind.EXTERNAL)]
        if rng.random() > 0.3
        else [],
        installed_updates=rng.sample(["KB958184", "KB975354", "KB982210"], rng.randint(0, 3)),
        backup_application=app,
    )


def inventory(seed: int) -> Host | Cluster:
    """Return the generated 2008 / 2008 R2 inventory number ``seed``."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, no secret
    if rng.random() < 0.5:
        return _host(rng, "HV01", clustered=False, first_vm=0)
    nodes = [_host(rng, f"NODE{n}", clustered=True, first_vm=n * 10) for n in range(1, 3)]
    return Cluster(name="CL01", nodes=nodes)


def outputs(target: Host | Cluster) -> dict[str, str]:
    """Return every output of ``target``: findings, plans and restores, in every format."""
    found: dict[str, str] = {}
    findings = check(target)
    plan = backup_plan(target)
    for fmt in Format:
        found[f"check.{fmt.value}"] = render_findings(findings, fmt)
        found[f"plan.{fmt.value}"] = render_plan(plan, fmt)
    hosts = target.nodes if isinstance(target, Cluster) else (target,)
    for host in hosts:
        for vm in host.vms:
            steps = restore_steps(vm, host)
            found[f"restore.{vm.name}.text"] = render_steps(steps, Format.TEXT)
            found[f"restore.{vm.name}.json"] = render_steps(steps, Format.JSON)
    return found


def targets() -> dict[str, Host | Cluster]:
    """Return the inventories of the file, by name."""
    found: dict[str, Host | Cluster] = {"example-cluster": load_example("cluster")}
    found.update({f"generated-{seed}": inventory(seed) for seed in range(COUNT)})
    return found


def write() -> None:
    data = {
        name: {"inventory": dump_inventory(target), "outputs": outputs(target)}
        for name, target in targets().items()
    }
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write()
