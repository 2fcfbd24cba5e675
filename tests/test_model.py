"""The domain model (SPEC section 2): fields, enums, normalisation and invariants.

Every check made at construction raises :class:`ModelError`, a ``ValueError``
whose ``path`` is the field concerned (relative to the object being built),
whose ``value`` is the bad value, and whose message names both.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hyperv_backup import HypervBackupError
from hyperv_backup.model import (
    VM,
    Attachment,
    Backup,
    BackupApplication,
    BackupLevel,
    BackupMode,
    Cluster,
    ClusterGroup,
    Disk,
    FileSystem,
    GuestDiskType,
    Host,
    HostOS,
    HostStorage,
    ModelError,
    NetworkAdapter,
    NetworkKind,
    ResourceState,
    VhdType,
    VirtualNetwork,
    VMState,
    Volume,
)
from tests.strategies import case_variants, clusters, hosts, inventories, vms

OS = HostOS.WINDOWS_SERVER_2008_R2

# --- small builders ------------------------------------------------------------------


def _volume(name: str = "C:", **kwargs: Any) -> Volume:
    return Volume(name=name, file_system=FileSystem.NTFS, **kwargs)


def _vhd(name: str = "System", **kwargs: Any) -> Disk:
    return Disk(name=name, attachment=Attachment.VIRTUAL_HARD_DISK, **kwargs)


def _group(name: str = "SQL01 Resources", owner: str = "HV-NODE1", **kwargs: Any) -> ClusterGroup:
    states = {
        "cluster_resource": ResourceState.ONLINE,
        "configuration_resource": ResourceState.ONLINE,
        "storage_resource": ResourceState.ONLINE,
    }
    return ClusterGroup(name=name, owner_node=owner, **{**states, **kwargs})


def _vm(name: str = "SQL01", **kwargs: Any) -> VM:
    return VM(name=name, state=VMState.RUNNING, **kwargs)


def _host(name: str = "HV-NODE1", **kwargs: Any) -> Host:
    return Host(name=name, os=OS, **kwargs)


def _backup(**kwargs: Any) -> Backup:
    fields: dict[str, Any] = {
        "vm": "SQL01",
        "node": "HV-NODE1",
        "level": BackupLevel.HOST,
        "mode": BackupMode.OFFLINE,
    }
    return Backup(**{**fields, **kwargs})


def _model_error(build: Callable[[], object], path: str, value: object) -> ModelError:
    """Build, expect a ModelError for ``path`` and ``value``, and return it.

    The message must name the field and show the bad value.
    """
    with pytest.raises(ModelError) as info:
        build()
    error = info.value
    assert error.path == path
    assert error.value == value
    assert type(error.value) is type(value)
    message = str(error)
    assert message.startswith(f"{path}: ")
    # The value is shown, cut after 60 characters so that a message stays short.
    shown = repr(value)
    assert (shown if len(shown) <= 60 else f"{shown[:60]}... ({len(shown)} characters)") in message
    return error


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
        ["name", "attachment", "guest_disk_type", "volumes", "path", "vhd_type", "host_storage"],
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
        ],
    ),
    (VirtualNetwork, ["name", "kind", "physical_adapter", "vlan_id"]),
    (
        BackupApplication,
        ["name", "uses_hyperv_vss_writer", "is_windows_server_backup", "hyperv_writer_registered"],
    ),
    (
        Host,
        ["name", "os", "vms", "virtual_networks", "installed_updates", "backup_application"],
    ),
    (Cluster, ["name", "nodes"]),
    (Backup, ["vm", "node", "level", "mode", "taken_at", "covers", "vm_state"]),
]


@pytest.mark.parametrize(("cls", "names"), FIELDS, ids=[c.__name__ for c, _ in FIELDS])
def test_field_names(cls: type, names: list[str]) -> None:
    """Each class has exactly the fields of the SPEC table, in its order (they are the JSON keys)."""
    assert [f.name for f in attrs.fields(cls)] == names


def test_defaults() -> None:
    """Omitted fields take the defaults of the SPEC table."""
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
]


@pytest.mark.parametrize(
    ("cls", "members"), ENUM_MEMBERS, ids=[c.__name__ for c, _ in ENUM_MEMBERS]
)
def test_enum_members(cls: type[enum.StrEnum], members: list[str]) -> None:
    """Each enum is a StrEnum with the members SPEC lists, in that order."""
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


OPTIONAL_ENUM_FIELDS = {"vhd_type", "vm_state"}


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
    """vhd_type and vm_state may be None (unknown / the VM's state now)."""
    assert getattr(build(None), field) is None


# --- names -----------------------------------------------------------------------------

#: Every field holding a name: a builder taking the value, and the path of the error.
NAME_FIELDS = [
    pytest.param(lambda v: Volume(name=v, file_system=FileSystem.NTFS), "name", id="Volume.name"),
    pytest.param(lambda v: _volume(shadow_storage=v), "shadow_storage", id="Volume.shadow_storage"),
    pytest.param(
        lambda v: Disk(name=v, attachment=Attachment.PASS_THROUGH), "name", id="Disk.name"
    ),
    pytest.param(lambda v: _vhd(path=v), "path", id="Disk.path"),
    pytest.param(lambda v: NetworkAdapter(name=v), "name", id="NetworkAdapter.name"),
    pytest.param(
        lambda v: NetworkAdapter(name="NIC", virtual_network=v),
        "virtual_network",
        id="NetworkAdapter.virtual_network",
    ),
    pytest.param(lambda v: _group(name=v), "name", id="ClusterGroup.name"),
    pytest.param(lambda v: _group(owner=v), "owner_node", id="ClusterGroup.owner_node"),
    pytest.param(lambda v: _vm(name=v), "name", id="VM.name"),
    pytest.param(lambda v: _vm(snapshots=["Before SP1", v]), "snapshots[1]", id="VM.snapshots"),
    pytest.param(lambda v: _vm(id=v), "id", id="VM.id"),
    pytest.param(
        lambda v: VirtualNetwork(name=v, kind=NetworkKind.PRIVATE), "name", id="VirtualNetwork.name"
    ),
    pytest.param(
        lambda v: VirtualNetwork(name="LAN", kind=NetworkKind.EXTERNAL, physical_adapter=v),
        "physical_adapter",
        id="VirtualNetwork.physical_adapter",
    ),
    pytest.param(lambda v: BackupApplication(name=v), "name", id="BackupApplication.name"),
    pytest.param(lambda v: _host(name=v), "name", id="Host.name"),
    pytest.param(
        lambda v: _host(installed_updates=["KB958184", v]),
        "installed_updates[1]",
        id="Host.installed_updates",
    ),
    pytest.param(lambda v: Cluster(name=v, nodes=[_host()]), "name", id="Cluster.name"),
    pytest.param(lambda v: _backup(vm=v), "vm", id="Backup.vm"),
    pytest.param(lambda v: _backup(node=v), "node", id="Backup.node"),
    pytest.param(lambda v: _backup(covers=["System", v]), "covers[1]", id="Backup.covers"),
]


@pytest.mark.parametrize(("build", "path"), NAME_FIELDS)
@pytest.mark.parametrize("bad", ["", " ", "\t\r\n", "\u3000", 7, b"C:"])
def test_empty_or_non_string_name_rejected(
    build: Callable[[Any], Any], path: str, bad: object
) -> None:
    """A name must be a non-empty string: empty, whitespace-only and non-string names are rejected."""
    _model_error(lambda: build(bad), path, bad)


@pytest.mark.parametrize(("build", "path"), NAME_FIELDS)
def test_names_are_kept_as_given(build: Callable[[Any], Any], path: str) -> None:
    """Names are stored as given: non-ASCII text and surrounding spaces are kept."""
    obj = build(" Ünïcødé 数据 ")
    field, _, _ = path.partition("[")
    value = getattr(obj, field)
    if isinstance(value, tuple | frozenset):
        assert " Ünïcødé 数据 " in value or "ÜNÏCØDÉ 数据" in value
    else:
        assert value == " Ünïcødé 数据 "


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda: VM(name=None, state="off"), id="VM.name"),  # type: ignore[arg-type]
        pytest.param(lambda: Host(name=None, os=OS), id="Host.name"),  # type: ignore[arg-type]
        pytest.param(lambda: _group(owner=None), id="ClusterGroup.owner_node"),  # type: ignore[arg-type]
    ],
)
def test_required_name_rejects_none(build: Callable[[], object]) -> None:
    """A required name cannot be None."""
    with pytest.raises(ModelError, match="non-empty name"):
        build()


# --- booleans --------------------------------------------------------------------------

BOOL_FIELDS = [
    pytest.param(lambda v: _volume(vss_enabled=v), "vss_enabled", id="Volume.vss_enabled"),
    pytest.param(
        lambda v: _vm(integration_services=v), "integration_services", id="VM.integration_services"
    ),
    pytest.param(
        lambda v: _vm(backup_integration_service=v),
        "backup_integration_service",
        id="VM.backup_integration_service",
    ),
    pytest.param(
        lambda v: _vm(guest_inventoried=v), "guest_inventoried", id="VM.guest_inventoried"
    ),
    pytest.param(
        lambda v: BackupApplication(name="WSB", uses_hyperv_vss_writer=v),
        "uses_hyperv_vss_writer",
        id="BackupApplication.uses_hyperv_vss_writer",
    ),
    pytest.param(
        lambda v: BackupApplication(name="WSB", is_windows_server_backup=v),
        "is_windows_server_backup",
        id="BackupApplication.is_windows_server_backup",
    ),
    pytest.param(
        lambda v: BackupApplication(name="WSB", hyperv_writer_registered=v),
        "hyperv_writer_registered",
        id="BackupApplication.hyperv_writer_registered",
    ),
]


@pytest.mark.parametrize(("build", "field"), BOOL_FIELDS)
@pytest.mark.parametrize("bad", [1, 0, "true", "false", None, 1.0])
def test_bool_field_rejects_non_bool(build: Callable[[Any], Any], field: str, bad: object) -> None:
    """A flag takes True or False only: no truthiness, no 0/1, no strings."""
    error = _model_error(lambda: build(bad), field, bad)
    assert "true or false" in str(error)


@pytest.mark.parametrize(("build", "field"), BOOL_FIELDS)
@pytest.mark.parametrize("flag", [True, False])
def test_bool_field_accepts_bool(build: Callable[[Any], Any], field: str, flag: bool) -> None:
    """A flag accepts True and False and stores them."""
    assert getattr(build(flag), field) is flag


# --- nested objects and collections -----------------------------------------------------

WRONG_ITEMS = [
    pytest.param(lambda: _vhd(volumes=[_volume(), "D:"]), "volumes[1]", "D:", id="Disk.volumes"),
    pytest.param(lambda: _vm(disks=[_vhd(), _volume()]), "disks[1]", _volume(), id="VM.disks"),
    pytest.param(
        lambda: _vm(network_adapters=["Network Adapter"]),
        "network_adapters[0]",
        "Network Adapter",
        id="VM.network_adapters",
    ),
    pytest.param(
        lambda: _vm(cluster_group={"name": "G"}),
        "cluster_group",
        {"name": "G"},
        id="VM.cluster_group",
    ),
    pytest.param(
        lambda: _host(vms=[_vm(), {"name": "WEB01"}]), "vms[1]", {"name": "WEB01"}, id="Host.vms"
    ),
    pytest.param(
        lambda: _host(virtual_networks=["Production"]),
        "virtual_networks[0]",
        "Production",
        id="Host.virtual_networks",
    ),
    pytest.param(
        lambda: _host(backup_application="Windows Server Backup"),
        "backup_application",
        "Windows Server Backup",
        id="Host.backup_application",
    ),
    pytest.param(
        lambda: Cluster(name="C", nodes=[_host(), _vm()]), "nodes[1]", _vm(), id="Cluster.nodes"
    ),
    pytest.param(
        lambda: _backup(taken_at="2011-03-14T09:12:44"),
        "taken_at",
        "2011-03-14T09:12:44",
        id="Backup.taken_at",
    ),
    pytest.param(
        lambda: _backup(taken_at=1300093964), "taken_at", 1300093964, id="Backup.taken_at-int"
    ),
]


@pytest.mark.parametrize(("build", "path", "value"), WRONG_ITEMS)
def test_nested_value_of_wrong_type_rejected(
    build: Callable[[], object], path: str, value: object
) -> None:
    """A field holding model objects (or a datetime) rejects anything else, naming the item's index."""
    _model_error(build, path, value)


SEQUENCE_FIELDS = [
    pytest.param(lambda v: _vhd(volumes=v), "volumes", id="Disk.volumes"),
    pytest.param(lambda v: _vm(disks=v), "disks", id="VM.disks"),
    pytest.param(lambda v: _vm(network_adapters=v), "network_adapters", id="VM.network_adapters"),
    pytest.param(lambda v: _vm(snapshots=v), "snapshots", id="VM.snapshots"),
    pytest.param(lambda v: _host(vms=v), "vms", id="Host.vms"),
    pytest.param(
        lambda v: _host(virtual_networks=v), "virtual_networks", id="Host.virtual_networks"
    ),
    pytest.param(
        lambda v: _host(installed_updates=v), "installed_updates", id="Host.installed_updates"
    ),
    pytest.param(lambda v: Cluster(name="C", nodes=v), "nodes", id="Cluster.nodes"),
    pytest.param(lambda v: _backup(covers=v), "covers", id="Backup.covers"),
]


@pytest.mark.parametrize(("build", "field"), SEQUENCE_FIELDS)
@pytest.mark.parametrize("text", ["Before SP1", "C:", b"KB958184"])
def test_string_for_sequence_rejected(
    build: Callable[[Any], Any], field: str, text: object
) -> None:
    """A string where a sequence is expected is rejected, not split into characters."""
    with pytest.raises(ModelError) as info:
        build(text)
    assert info.value.value == text
    assert repr(text) in str(info.value)


@pytest.mark.parametrize(("build", "field"), SEQUENCE_FIELDS)
def test_string_for_sequence_error_names_field(build: Callable[[Any], Any], field: str) -> None:
    """The error for a string given as a sequence names the field (SPEC: errors name the field)."""
    with pytest.raises(ModelError) as info:
        build("C:")
    assert info.value.path == field
    assert str(info.value).startswith(f"{field}: ")


TUPLE_FIELDS = [
    pytest.param(
        lambda v: _vhd(volumes=v), "volumes", [_volume("C:"), _volume("D:")], id="Disk.volumes"
    ),
    pytest.param(lambda v: _vm(disks=v), "disks", [_vhd("System"), _vhd("Data")], id="VM.disks"),
    pytest.param(
        lambda v: _vm(network_adapters=v),
        "network_adapters",
        [NetworkAdapter(name="NIC"), NetworkAdapter(name="NIC")],
        id="VM.network_adapters",
    ),
    pytest.param(
        lambda v: _vm(snapshots=v), "snapshots", ["Before SP1", "Nightly"], id="VM.snapshots"
    ),
    pytest.param(lambda v: _host(vms=v), "vms", [_vm("SQL01"), _vm("WEB01")], id="Host.vms"),
    pytest.param(
        lambda v: _host(virtual_networks=v),
        "virtual_networks",
        [VirtualNetwork(name="Production", kind=NetworkKind.EXTERNAL)],
        id="Host.virtual_networks",
    ),
    pytest.param(
        lambda v: Cluster(name="C", nodes=v), "nodes", [_host("A"), _host("B")], id="Cluster.nodes"
    ),
    pytest.param(lambda v: _backup(covers=v), "covers", ["System", "Data"], id="Backup.covers"),
]


@pytest.mark.parametrize(("build", "field", "items"), TUPLE_FIELDS)
def test_sequences_become_tuples(build: Callable[[Any], Any], field: str, items: list[Any]) -> None:
    """Collections are stored as tuples; callers may pass lists or any iterable, order kept."""
    from_list = getattr(build(items), field)
    assert type(from_list) is tuple
    assert from_list == tuple(items)
    from_iterator = getattr(build(iter(items)), field)
    assert from_iterator == tuple(items)
    assert build(items) == build(tuple(items))


def test_installed_updates_become_frozenset() -> None:
    """installed_updates is stored as a frozenset; a list, tuple or set may be passed."""
    for given_as in (["KB958184", "KB975354"], ("KB975354", "KB958184"), {"KB958184", "KB975354"}):
        host = _host(installed_updates=given_as)
        assert type(host.installed_updates) is frozenset
        assert host.installed_updates == {"KB958184", "KB975354"}


def test_installed_updates_normalised_to_upper_case() -> None:
    """Update IDs are stored upper-case and stripped, so "kb958184" and "KB958184" are one update."""
    host = _host(installed_updates=["kb958184", " KB975354 ", "Kb982210", "KB958184"])
    assert host.installed_updates == frozenset({"KB958184", "KB975354", "KB982210"})
    assert host == _host(installed_updates=["KB958184", "KB975354", "KB982210"])


# --- disks -----------------------------------------------------------------------------


@pytest.mark.parametrize("attachment", [Attachment.PASS_THROUGH, Attachment.GUEST_ISCSI])
@pytest.mark.parametrize(
    ("field", "value"),
    [("path", "D:\\VMs\\data.vhd"), ("vhd_type", VhdType.FIXED), ("vhd_type", "fixed")],
)
def test_vhd_fields_only_on_virtual_hard_disk(
    attachment: Attachment, field: str, value: str
) -> None:
    """The fields path and vhd_type describe a virtual hard disk file: any other disk rejects them."""
    kwargs: dict[str, Any] = {field: value}
    with pytest.raises(ModelError) as info:
        Disk(name="Data", attachment=attachment, **kwargs)
    error = info.value
    assert error.path == field
    assert error.value == value
    assert str(error).startswith(f"{field}: ")
    assert repr(error.value) in str(error)
    assert attachment.value in str(error)


def test_vhd_fields_allowed_on_virtual_hard_disk() -> None:
    """A virtual hard disk may have a path and a VHD type; other disks may leave them unset."""
    disk = _vhd(path="D:\\VMs\\data.vhdx", vhd_type=VhdType.DIFFERENCING)
    assert (disk.path, disk.vhd_type) == ("D:\\VMs\\data.vhdx", VhdType.DIFFERENCING)
    for attachment in (Attachment.PASS_THROUGH, Attachment.GUEST_ISCSI):
        other = Disk(name="Data", attachment=attachment)
        assert (other.path, other.vhd_type) == (None, None)


# --- VMs: disk and volume names, shadow storage ------------------------------------------


def test_duplicate_disk_name_rejected() -> None:
    """Two disks of one VM cannot have the same name."""
    _model_error(
        lambda: _vm(disks=[_vhd("System"), _vhd("Data"), _vhd("Data")]), "disks[2].name", "Data"
    )


def test_disk_names_compare_exactly() -> None:
    """Disk names compare exactly: "Data" and "data" are two disks."""
    vm = _vm(disks=[_vhd("Data"), _vhd("data"), _vhd("DATA ")])
    assert [d.name for d in vm.disks] == ["Data", "data", "DATA "]


@pytest.mark.parametrize(
    ("first", "second"), [("C:", "C:"), ("C:", "c:"), ("Data", "DATA"), ("ÜBER", "über")]
)
def test_duplicate_volume_name_in_one_disk_rejected(first: str, second: str) -> None:
    """Two volumes of a VM cannot share a name, compared without regard to case (one disk)."""
    _model_error(
        lambda: _vm(disks=[_vhd(volumes=[_volume(first), _volume(second)])]),
        "disks[0].volumes[1].name",
        second,
    )


def test_duplicate_volume_name_across_disks_rejected() -> None:
    """Volume names are unique across all disks of a VM, without regard to case."""
    _model_error(
        lambda: _vm(
            disks=[
                _vhd("System", volumes=[_volume("C:"), _volume("E:")]),
                _vhd("Data", volumes=[_volume("D:"), _volume("e:")]),
            ]
        ),
        "disks[1].volumes[1].name",
        "e:",
    )


def test_same_volume_name_in_two_vms_allowed() -> None:
    """Volume names are only unique within one VM: every VM may have a C:."""
    host = _host(
        vms=[
            _vm("A", disks=[_vhd(volumes=[_volume("C:")])]),
            _vm("B", disks=[_vhd(volumes=[_volume("C:")])]),
        ]
    )
    assert len(host.vms) == 2


def test_shadow_storage_must_name_a_volume_of_the_vm() -> None:
    """shadow_storage names a volume the VM has; any other name is rejected."""
    _model_error(
        lambda: _vm(
            disks=[
                _vhd("System", volumes=[_volume("C:")]),
                _vhd("Data", volumes=[_volume("D:"), _volume("L:", shadow_storage="F:")]),
            ]
        ),
        "disks[1].volumes[1].shadow_storage",
        "F:",
    )


def test_shadow_storage_of_another_vm_rejected() -> None:
    """A volume's shadow storage cannot be a volume of another VM (each VM is checked on its own)."""
    _model_error(
        lambda: _vm("WEB01", disks=[_vhd(volumes=[_volume("C:", shadow_storage="E:")])]),
        "disks[0].volumes[0].shadow_storage",
        "E:",
    )


@pytest.mark.parametrize("spelling", ["E:", "e:"])
def test_shadow_storage_compares_without_case(spelling: str) -> None:
    """shadow_storage matches volume names without regard to case, on any disk of the VM."""
    vm = _vm(
        disks=[
            _vhd("System", volumes=[_volume("C:", shadow_storage=spelling)]),
            _vhd("Shadow", volumes=[_volume("E:")]),
        ]
    )
    assert vm.disks[0].volumes[0].shadow_storage == spelling
    # A volume may also name itself.
    _vm(disks=[_vhd(volumes=[_volume("C:", shadow_storage="c:")])])


def test_volume_alone_accepts_any_shadow_storage() -> None:
    """Only a VM can tell whether a shadow storage exists: a Volume alone takes any name."""
    assert _volume("C:", shadow_storage="Z:").shadow_storage == "Z:"


# --- hosts -----------------------------------------------------------------------------


def test_duplicate_vm_name_on_host_rejected() -> None:
    """Two VMs on one host cannot have the same name."""
    _model_error(
        lambda: _host(vms=[_vm("SQL01"), _vm("WEB01"), _vm("SQL01")]), "vms[2].name", "SQL01"
    )


def test_vm_names_compare_exactly() -> None:
    """VM names compare exactly: "SQL01" and "sql01" are two VMs on a host and in a cluster."""
    host = _host(vms=[_vm("SQL01"), _vm("sql01")])
    assert [vm.name for vm in host.vms] == ["SQL01", "sql01"]
    cluster = Cluster(
        name="C", nodes=[_host("A", vms=[_vm("SQL01")]), _host("B", vms=[_vm("sql01")])]
    )
    assert len(cluster.nodes) == 2


@pytest.mark.parametrize(
    ("host", "owner"),
    [
        ("HV-NODE1", "HV-NODE1"),
        ("HV-NODE1", "hv-node1"),
        ("hv-Node1", "HV-NODE1"),
        ("ÜBER-HV", "über-hv"),
    ],
)
def test_owner_node_compares_without_case(host: str, owner: str) -> None:
    """A clustered VM is owned by the host it is listed under; computer names ignore case."""
    built = _host(host, vms=[_vm(cluster_group=_group(owner=owner))])
    group = built.vms[0].cluster_group
    assert group is not None
    assert group.owner_node == owner


def test_clustered_vm_under_other_node_rejected() -> None:
    """A clustered VM listed under a node other than its group's owner_node is rejected."""
    error = _model_error(
        lambda: _host(
            "HV-NODE2", vms=[_vm("WEB01"), _vm("SQL01", cluster_group=_group(owner="HV-NODE1"))]
        ),
        "vms[1].cluster_group.owner_node",
        "HV-NODE1",
    )
    assert "'SQL01'" in str(error)
    assert "'HV-NODE2'" in str(error)


def test_unclustered_vm_on_any_host() -> None:
    """A VM without a cluster group may be listed under any host."""
    assert _host("HV-NODE2", vms=[_vm("MGMT01")]).vms[0].cluster_group is None


@pytest.mark.parametrize("second", ["SQL01 Resources", "sql01 resources"])
def test_duplicate_cluster_group_on_host_rejected(second: str) -> None:
    """Two VMs on a host cannot have cluster groups with one name (compared without case)."""
    _model_error(
        lambda: _host(
            vms=[
                _vm("SQL01", cluster_group=_group("SQL01 Resources")),
                _vm("WEB01", cluster_group=_group(second)),
            ]
        ),
        "vms[1].cluster_group.name",
        second,
    )


@pytest.mark.parametrize("second", ["Production", "PRODUCTION"])
def test_duplicate_virtual_network_rejected(second: str) -> None:
    """Two virtual networks on a host cannot share a name (compared without case)."""
    _model_error(
        lambda: _host(
            virtual_networks=[
                VirtualNetwork(name="Production", kind=NetworkKind.EXTERNAL),
                VirtualNetwork(name="Heartbeat", kind=NetworkKind.INTERNAL),
                VirtualNetwork(name=second, kind=NetworkKind.PRIVATE),
            ]
        ),
        "virtual_networks[2].name",
        second,
    )


# --- virtual networks ----------------------------------------------------------------


@pytest.mark.parametrize("vlan", [None, 0, 1, 20, 4094])
def test_vlan_in_range_accepted(vlan: int | None) -> None:
    """A VLAN ID is None (no VLAN) or an integer from 0 to 4094."""
    assert VirtualNetwork(name="LAN", kind=NetworkKind.EXTERNAL, vlan_id=vlan).vlan_id == vlan


@pytest.mark.parametrize("vlan", [-1, -4094, 4095, 65536, True, False, "20", 20.0])
def test_vlan_out_of_range_rejected(vlan: Any) -> None:
    """A negative VLAN ID, one above 4094, or a non-integer is rejected."""
    error = _model_error(
        lambda: VirtualNetwork(name="LAN", kind=NetworkKind.EXTERNAL, vlan_id=vlan), "vlan_id", vlan
    )
    assert "4094" in str(error)


# --- clusters --------------------------------------------------------------------------


@pytest.mark.parametrize("second", ["HV-NODE1", "hv-node1"])
def test_duplicate_node_name_rejected(second: str) -> None:
    """Two nodes of a cluster cannot share a name (computer names compare without case)."""
    _model_error(
        lambda: Cluster(name="C", nodes=[_host("HV-NODE1"), _host("HV-NODE2"), _host(second)]),
        "nodes[2].name",
        second,
    )


def test_duplicate_vm_name_across_nodes_rejected() -> None:
    """VM names are unique across the whole cluster, not only per node."""
    _model_error(
        lambda: Cluster(
            name="C",
            nodes=[
                _host("HV-NODE1", vms=[_vm("SQL01")]),
                _host("HV-NODE2", vms=[_vm("WEB01"), _vm("SQL01")]),
            ],
        ),
        "nodes[1].vms[1].name",
        "SQL01",
    )


@pytest.mark.parametrize("second", ["SQL01 Resources", "SQL01 RESOURCES"])
def test_duplicate_cluster_group_across_nodes_rejected(second: str) -> None:
    """Cluster group names are unique across the cluster (compared without case)."""
    _model_error(
        lambda: Cluster(
            name="C",
            nodes=[
                _host(
                    "HV-NODE1",
                    vms=[_vm("SQL01", cluster_group=_group("SQL01 Resources", "HV-NODE1"))],
                ),
                _host("HV-NODE2", vms=[_vm("WEB01", cluster_group=_group(second, "HV-NODE2"))]),
            ],
        ),
        "nodes[1].vms[0].cluster_group.name",
        second,
    )


def test_cluster_without_nodes_rejected() -> None:
    """A cluster has at least one node."""
    with pytest.raises(ModelError) as info:
        Cluster(name="C", nodes=[])
    assert info.value.path == "nodes"
    assert info.value.value == ()
    assert str(info.value).startswith("nodes: ")


def test_cluster_requires_nodes() -> None:
    """A cluster has no default nodes: a cluster is built with its nodes."""
    with pytest.raises(TypeError):
        Cluster(name="C")  # type: ignore[call-arg]


# --- backups ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "state", [VMState.PAUSED, VMState.SAVED, VMState.OFF, "paused", "saved", "off"]
)
@pytest.mark.parametrize("mode", [BackupMode.ONLINE, "online"])
def test_online_backup_of_vm_not_running_rejected(
    state: VMState | str, mode: BackupMode | str
) -> None:
    """A Backup with mode ONLINE and a vm_state other than RUNNING is rejected."""
    with pytest.raises(ModelError) as info:
        _backup(mode=mode, vm_state=state)
    error = info.value
    assert error.path == "vm_state"
    assert str(error).startswith("vm_state: ")
    assert repr(VMState(state).value) in str(error)


@pytest.mark.parametrize("state", [None, *VMState])
@pytest.mark.parametrize("mode", list(BackupMode))
def test_backup_states_accepted(state: VMState | None, mode: BackupMode) -> None:
    """Every other pairing of mode and vm_state is accepted (None: the state now)."""
    if mode is BackupMode.ONLINE and state not in (None, VMState.RUNNING):
        return
    backup = _backup(mode=mode, vm_state=state)
    assert (backup.mode, backup.vm_state) == (mode, state)


def test_backup_taken_at_accepts_datetimes() -> None:
    """taken_at is a datetime, naive or aware."""
    naive = datetime(2011, 3, 14, 9, 12, 44)
    aware = datetime(2011, 3, 14, 9, 12, 44, tzinfo=UTC)
    assert _backup(taken_at=naive).taken_at == naive
    assert _backup(taken_at=aware).taken_at == aware


# --- properties over generated inventories ---------------------------------------------


@settings(max_examples=40, deadline=None)
@given(inventories())
def test_generated_inventory_rebuilds_equal(inventory: Host | Cluster) -> None:
    """Rebuilding any valid inventory from its own fields passes validation and gives an equal value."""
    rebuilt = attrs.evolve(inventory)
    assert rebuilt == inventory
    assert hash(rebuilt) == hash(inventory)


@settings(max_examples=40, deadline=None)
@given(hosts(), st.data())
def test_host_name_in_any_case_keeps_ownership(host: Host, data: st.DataObject) -> None:
    """Respelling a host's name in another case keeps its clustered VMs valid (names ignore case)."""
    spelling = data.draw(st.sampled_from(case_variants(host.name)))
    assert attrs.evolve(host, name=spelling).vms == host.vms


@settings(max_examples=40, deadline=None)
@given(clusters(), st.data())
def test_any_repeated_vm_name_in_cluster_rejected(cluster: Cluster, data: st.DataObject) -> None:
    """Giving any VM the name of an earlier VM in the cluster is rejected at the later VM."""
    placed = [(n, v) for n, node in enumerate(cluster.nodes) for v in range(len(node.vms))]
    assume(len(placed) >= 2)
    first, second = sorted(
        data.draw(st.lists(st.sampled_from(placed), min_size=2, max_size=2, unique=True))
    )
    name = cluster.nodes[first[0]].vms[first[1]].name
    nodes = list(cluster.nodes)
    node = nodes[second[0]]
    renamed = list(node.vms)
    renamed[second[1]] = attrs.evolve(renamed[second[1]], name=name)
    nodes[second[0]] = attrs.evolve(node, vms=renamed) if first[0] != second[0] else node
    if first[0] == second[0]:
        # On one node, the host already rejects the pair.
        with pytest.raises(ModelError) as info:
            attrs.evolve(node, vms=renamed)
        assert info.value.path == f"vms[{second[1]}].name"
        return
    with pytest.raises(ModelError) as info:
        attrs.evolve(cluster, nodes=nodes)
    assert info.value.path == f"nodes[{second[0]}].vms[{second[1]}].name"
    assert info.value.value == name


@settings(max_examples=40, deadline=None)
@given(vms())
def test_volume_name_in_other_case_collides(vm: VM) -> None:
    """Adding a disk whose volume respells an existing volume name in another case is rejected."""
    names = [v.name for d in vm.disks for v in d.volumes]
    assume(names)
    respelled = names[0].swapcase()
    assume(respelled.casefold() == names[0].casefold())
    extra = Disk(
        name="extra disk", attachment=Attachment.PASS_THROUGH, volumes=[_volume(respelled)]
    )
    assume("extra disk" not in [d.name for d in vm.disks])
    with pytest.raises(ModelError) as info:
        attrs.evolve(vm, disks=[*vm.disks, extra])
    assert info.value.path == f"disks[{len(vm.disks)}].volumes[0].name"


def test_long_values_are_cut_in_messages() -> None:
    """A bad value of any length is quoted in at most 60 characters, with its length."""
    long_name = "x" * 10_000
    with pytest.raises(ModelError) as info:
        Volume(name="C:", file_system=FileSystem.NTFS, shadow_storage=" " * 10_000)
    assert len(str(info.value)) < 200
    with pytest.raises(ModelError) as info:
        Disk(name=long_name, attachment=Attachment.PASS_THROUGH, path=long_name)
    assert "(10002 characters)" in str(info.value)
    assert len(str(info.value)) < 200


def test_a_collection_that_is_not_iterable_is_named() -> None:
    with pytest.raises(ModelError) as info:
        VM(name="VM1", state="off", disks=5)  # type: ignore[arg-type]
    assert info.value.path == "disks"
    assert "5" in info.value.reason
