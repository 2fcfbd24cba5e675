"""The model's names, booleans, nested objects and collections.

Every check made at construction raises :class:`ModelError`, a ``ValueError``
whose ``path`` is the field concerned (relative to the object being built),
whose ``value`` is the bad value, and whose message names both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hyperv_backup.model import (
    VM,
    Attachment,
    BackupApplication,
    Cluster,
    Disk,
    FileSystem,
    Host,
    ModelError,
    NetworkAdapter,
    NetworkKind,
    VirtualNetwork,
    Volume,
)
from tests.model._shared_model import (
    OS,
    _backup,
    _group,
    _host,
    _model_error,
    _vhd,
    _vm,
    _volume,
)

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
    """The error for a string given as a sequence names the field (errors name the field)."""
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
