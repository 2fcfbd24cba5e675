"""The model's errors, public fields and enums.

Every check made at construction raises :class:`ModelError`, a ``ValueError``
whose ``path`` is the field concerned (relative to the object being built),
whose ``value`` is the bad value, and whose message names both.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from hyperv_backup import HypervBackupError
from hyperv_backup.model import (
    VM,
    Attachment,
    Backup,
    BackupApplication,
    BackupLevel,
    BackupMode,
    Checkpoint,
    Cluster,
    ClusterGroup,
    Disk,
    FileServer,
    FileSystem,
    GuestDiskType,
    Host,
    HostOS,
    HostStorage,
    HostVolume,
    ModelError,
    NetworkAdapter,
    NetworkKind,
    ResourceState,
    SnapshotType,
    VhdType,
    VirtualNetwork,
    VMState,
    Volume,
)
from tests.model._shared_model import (
    _backup,
    _group,
    _host,
    _model_error,
    _vhd,
    _vm,
    _volume,
)

# --- ModelError ------------------------------------------------------------------------


def test_model_error_is_a_value_error() -> None:
    """Construction errors are a ValueError subclass, under the package's one base error."""
    assert issubclass(ModelError, ValueError)
    assert issubclass(ModelError, HypervBackupError)
    error = ModelError("disks[0].name", "", "expected a non-empty name, got ''")
    assert (error.path, error.value, error.reason) == ("disks[0].name", "", error.reason)
    assert str(error) == "disks[0].name: expected a non-empty name, got ''"


# --- the public fields -----------------------------------------------------------------


FIELDS = [
    (Volume, ["name", "file_system", "vss_enabled", "shadow_storage"]),
    (
        Disk,
        [
            "name",
            "attachment",
            "guest_disk_type",
            "volumes",
            "path",
            "vhd_type",
            "host_storage",
            "shared",
            "file_size",
            "chain",
        ],
    ),
    (NetworkAdapter, ["name", "virtual_network"]),
    (
        ClusterGroup,
        ["name", "owner_node", "cluster_resource", "configuration_resource", "storage_resource"],
    ),
    (
        VM,
        [
            "name",
            "state",
            "integration_services",
            "backup_integration_service",
            "disks",
            "network_adapters",
            "snapshots",
            "cluster_group",
            "id",
            "guest_inventoried",
            "generation",
            "configuration_version",
            "checkpoint_type",
            "guest_os",
            "vss_daemon",
            "scsi_controller",
            "fibre_channel_adapters",
            "replication_role",
            "replication_ready",
            "snapshot_file_location",
            "integration_services_current",
            "writable_file_systems",
            "checkpoints",
            "avhdx_files",
            "change_tracking_files",
        ],
    ),
    (Checkpoint, ["name", "snapshot_type", "created_at", "parent", "disk_paths"]),
    (VirtualNetwork, ["name", "kind", "physical_adapter", "vlan_id"]),
    (
        BackupApplication,
        [
            "name",
            "uses_hyperv_vss_writer",
            "is_windows_server_backup",
            "hyperv_writer_registered",
            "uses_wmi_backup",
            "ignores_non_snapshottable_disks",
            "backup_target",
            "churn_percent",
        ],
    ),
    (
        Host,
        [
            "name",
            "os",
            "vms",
            "virtual_networks",
            "installed_updates",
            "backup_application",
            "file_server_vss_agent",
            "file_servers",
            "host_volumes",
            "collected_at",
        ],
    ),
    (FileServer, ["name", "vss_agent"]),
    (HostVolume, ["name", "free_space"]),
    (Cluster, ["name", "nodes", "functional_level"]),
    (Backup, ["vm", "node", "level", "mode", "taken_at", "covers", "vm_state"]),
]


@pytest.mark.parametrize(("cls", "names"), FIELDS, ids=[c.__name__ for c, _ in FIELDS])
def test_field_names(cls: type, names: list[str]) -> None:
    """Each class has exactly the fields docs/inventory.md lists, in its order (they are the JSON keys)."""
    assert [f.name for f in attrs.fields(cls)] == names


def test_defaults() -> None:
    """Omitted fields take the defaults docs/inventory.md gives."""
    volume = _volume()
    assert (volume.vss_enabled, volume.shadow_storage) == (True, None)
    disk = _vhd()
    assert disk.guest_disk_type is GuestDiskType.BASIC
    assert (disk.volumes, disk.path, disk.vhd_type) == ((), None, None)
    assert disk.host_storage is HostStorage.LOCAL
    assert NetworkAdapter(name="Network Adapter").virtual_network is None
    vm = VM(name="SQL01", state=VMState.OFF)
    assert vm.integration_services is True
    assert vm.backup_integration_service is True
    assert (vm.disks, vm.network_adapters, vm.snapshots) == ((), (), ())
    assert (vm.cluster_group, vm.id) == (None, None)
    assert vm.guest_inventoried is True
    network = VirtualNetwork(name="Production", kind=NetworkKind.EXTERNAL)
    assert (network.physical_adapter, network.vlan_id) == (None, None)
    app = BackupApplication(name="Windows Server Backup")
    assert app.uses_hyperv_vss_writer is True
    assert app.is_windows_server_backup is False
    assert app.hyperv_writer_registered is True
    host = _host()
    assert (host.vms, host.virtual_networks) == ((), ())
    assert host.installed_updates == frozenset()
    assert type(host.installed_updates) is frozenset
    assert host.backup_application is None
    backup = _backup()
    assert (backup.taken_at, backup.covers, backup.vm_state) == (None, (), None)


def test_keyword_only() -> None:
    """Construction is by keyword: positional arguments are refused."""
    with pytest.raises(TypeError):
        Volume("C:", FileSystem.NTFS)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Cluster(name="HVCLUSTER01")  # type: ignore[call-arg]


def test_frozen_and_hashable() -> None:
    """Model objects are immutable values: no attribute can be set, equal objects hash alike."""
    vm = _vm(disks=[_vhd(volumes=[_volume()])])
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        vm.name = "other"  # type: ignore[misc]
    again = _vm(disks=(_vhd(volumes=(_volume(),)),))
    assert vm == again
    assert hash(vm) == hash(again)


# --- enums -----------------------------------------------------------------------------


ENUM_MEMBERS: list[tuple[type[enum.StrEnum], list[str]]] = [
    (VMState, ["RUNNING", "PAUSED", "SAVED", "OFF"]),
    (FileSystem, ["NTFS", "FAT", "FAT32", "EXFAT", "REFS", "RAW", "OTHER"]),
    (GuestDiskType, ["BASIC", "DYNAMIC"]),
    (Attachment, ["VIRTUAL_HARD_DISK", "PASS_THROUGH", "GUEST_ISCSI"]),
    (VhdType, ["FIXED", "DYNAMICALLY_EXPANDING", "DIFFERENCING"]),
    (HostStorage, ["LOCAL", "HOST_ISCSI", "SAN", "SMB", "CLUSTER_SHARED_VOLUME"]),
    (ResourceState, ["ONLINE", "OFFLINE", "FAILED", "PENDING", "PARTIAL_ONLINE"]),
    (
        HostOS,
        [
            "WINDOWS_SERVER_2008",
            "WINDOWS_SERVER_2008_R2",
            "WINDOWS_SERVER_2012",
            "WINDOWS_SERVER_2012_R2",
            "WINDOWS_SERVER_2016",
            "WINDOWS_SERVER_2019",
            "WINDOWS_SERVER_2022",
            "WINDOWS_SERVER_2025",
        ],
    ),
    (NetworkKind, ["EXTERNAL", "INTERNAL", "PRIVATE"]),
    (BackupMode, ["ONLINE", "OFFLINE"]),
    (BackupLevel, ["HOST", "GUEST"]),
    (
        SnapshotType,
        [
            "STANDARD",
            "RECOVERY",
            "PLANNED",
            "MISSING",
            "REPLICA",
            "APP_CONSISTENT_REPLICA",
            "SYNCED_REPLICA",
        ],
    ),
]


@pytest.mark.parametrize(
    ("cls", "members"), ENUM_MEMBERS, ids=[c.__name__ for c, _ in ENUM_MEMBERS]
)
def test_enum_members(cls: type[enum.StrEnum], members: list[str]) -> None:
    """Each enum is a StrEnum with the members docs/inventory.md lists, in that order."""
    assert issubclass(cls, enum.StrEnum)
    assert [m.name for m in cls] == members


ALL_MEMBERS = [m for cls, _ in ENUM_MEMBERS for m in cls]


@pytest.mark.parametrize(
    "member", ALL_MEMBERS, ids=[f"{type(m).__name__}.{m.name}" for m in ALL_MEMBERS]
)
def test_enum_value_is_json_spelling(member: enum.StrEnum) -> None:
    """A member's value is its JSON spelling, the member name in lower snake case; it round-trips."""
    assert member.value == member.name.lower()
    assert type(member)(member.value) is member
    assert str(member) == member.value
    assert json.loads(json.dumps(member)) == member.value


#: Every enum field: a builder taking the field's value, the field name, its enum.
ENUM_FIELDS: list[tuple[Callable[[Any], Any], str, type[enum.StrEnum]]] = [
    (lambda v: Volume(name="C:", file_system=v), "file_system", FileSystem),
    (lambda v: Disk(name="D", attachment=v), "attachment", Attachment),
    (lambda v: _vhd(guest_disk_type=v), "guest_disk_type", GuestDiskType),
    (lambda v: _vhd(vhd_type=v), "vhd_type", VhdType),
    (lambda v: _vhd(host_storage=v), "host_storage", HostStorage),
    (lambda v: _group(cluster_resource=v), "cluster_resource", ResourceState),
    (lambda v: _group(configuration_resource=v), "configuration_resource", ResourceState),
    (lambda v: _group(storage_resource=v), "storage_resource", ResourceState),
    (lambda v: VM(name="SQL01", state=v), "state", VMState),
    (lambda v: VirtualNetwork(name="Production", kind=v), "kind", NetworkKind),
    (lambda v: Host(name="HV", os=v), "os", HostOS),
    (lambda v: _backup(level=v), "level", BackupLevel),
    (lambda v: _backup(mode=v), "mode", BackupMode),
    (lambda v: _backup(vm_state=v), "vm_state", VMState),
    (lambda v: Checkpoint(name="Before update", snapshot_type=v), "snapshot_type", SnapshotType),
]


SPELLINGS = [
    pytest.param(build, field, member, id=f"{field}={member.value}")
    for build, field, cls in ENUM_FIELDS
    for member in cls
]


@pytest.mark.parametrize(("build", "field", "member"), SPELLINGS)
def test_enum_field_accepts_json_spelling(
    build: Callable[[Any], Any], field: str, member: enum.StrEnum
) -> None:
    """An enum field takes a member or its JSON spelling; the spelling becomes the member."""
    from_spelling = build(member.value)
    assert getattr(from_spelling, field) is member
    assert type(getattr(from_spelling, field)) is type(member)
    assert getattr(build(member), field) is member
    assert from_spelling == build(member)


@pytest.mark.parametrize(
    ("build", "field", "cls"), ENUM_FIELDS, ids=[field for _, field, _ in ENUM_FIELDS]
)
@pytest.mark.parametrize("bad", ["bogus", "", "UPPER", 1, 2.5, True, ["running"]])
def test_enum_field_rejects_other_values(
    build: Callable[[Any], Any], field: str, cls: type[enum.StrEnum], bad: object
) -> None:
    """An enum field rejects anything but a member or its exact spelling, listing the choices."""
    if bad == "UPPER":
        # The member name (or an upper-case spelling) is not the JSON spelling.
        bad = next(iter(cls)).name
    error = _model_error(lambda: build(bad), field, bad)
    for member in cls:
        assert repr(member.value) in str(error)


OPTIONAL_ENUM_FIELDS = {"vhd_type", "vm_state", "snapshot_type"}


@pytest.mark.parametrize(
    ("build", "field"),
    [pytest.param(b, f, id=f) for b, f, _ in ENUM_FIELDS if f not in OPTIONAL_ENUM_FIELDS],
)
def test_enum_field_rejects_none(build: Callable[[Any], Any], field: str) -> None:
    """An enum field without None in its type rejects None (a default is not a null)."""
    _model_error(lambda: build(None), field, None)


@pytest.mark.parametrize(
    ("build", "field"),
    [pytest.param(b, f, id=f) for b, f, _ in ENUM_FIELDS if f in OPTIONAL_ENUM_FIELDS],
)
def test_optional_enum_field_accepts_none(build: Callable[[Any], Any], field: str) -> None:
    """vhd_type, vm_state and snapshot_type may be None (unknown / the VM's state now)."""
    assert getattr(build(None), field) is None
