"""The facts read by the profiles of Windows Server 2012 and later: their checks and defaults.

Each is optional: left out, the model is the one an inventory written before
it describes, and every answer stays what it was.
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
    FileServer,
    Host,
    HostOS,
    HostVolume,
    VMState,
)
from tests.model._shared_model import _host, _model_error


def test_the_defaults_are_the_facts_not_known() -> None:
    """Left out, every new fact is unknown (None) or empty."""
    app = BackupApplication(name="Agent")
    assert (app.uses_wmi_backup, app.ignores_non_snapshottable_disks) == (None, None)
    assert (app.backup_target, app.churn_percent) == (None, None)
    host = Host(name="H", os=HostOS.WINDOWS_SERVER_2022)
    assert (host.file_servers, host.host_volumes) == ((), ())
    assert Cluster(name="C", nodes=[host]).functional_level is None
    vm = VM(name="V", state=VMState.OFF)
    assert (vm.snapshot_file_location, vm.integration_services_current) == (None, None)
    assert vm.writable_file_systems == ()
    assert Disk(name="D", attachment=Attachment.VIRTUAL_HARD_DISK).file_size is None


@pytest.mark.parametrize("churn", [-1, 101, True, "5", 2.5])
def test_churn_is_a_percentage(churn: object) -> None:
    _model_error(lambda: BackupApplication(name="A", churn_percent=churn), "churn_percent", churn)  # type: ignore[arg-type]


@pytest.mark.parametrize("churn", [0, 10, 100])
def test_churn_percentages_are_kept(churn: int) -> None:
    assert BackupApplication(name="A", churn_percent=churn).churn_percent == churn


@pytest.mark.parametrize(
    ("build", "field", "bad"),
    [
        (lambda v: BackupApplication(name="A", uses_wmi_backup=v), "uses_wmi_backup", "yes"),
        (
            lambda v: BackupApplication(name="A", ignores_non_snapshottable_disks=v),
            "ignores_non_snapshottable_disks",
            1,
        ),
        (lambda v: FileServer(name="FS", vss_agent=v), "vss_agent", "false"),
        (
            lambda v: VM(name="V", state=VMState.OFF, integration_services_current=v),
            "integration_services_current",
            0,
        ),
    ],
)
def test_optional_flags_refuse_what_is_not_a_boolean(
    build: Callable[[Any], object], field: str, bad: object
) -> None:
    _model_error(lambda: build(bad), field, bad)


@pytest.mark.parametrize(
    ("build", "path", "bad"),
    [
        (lambda v: BackupApplication(name="A", backup_target=v), "backup_target", " "),
        (lambda v: FileServer(name=v), "name", ""),
        (lambda v: HostVolume(name=v, free_space=0), "name", ""),
        (
            lambda v: VM(name="V", state=VMState.OFF, snapshot_file_location=v),
            "snapshot_file_location",
            "",
        ),
        (
            lambda v: VM(name="V", state=VMState.OFF, writable_file_systems=["ufs", v]),
            "writable_file_systems[1]",
            "",
        ),
    ],
)
def test_names_of_the_later_facts_are_names(
    build: Callable[[Any], object], path: str, bad: object
) -> None:
    _model_error(lambda: build(bad), path, bad)


@pytest.mark.parametrize("free", [-1, "1", None, 1.5])
def test_free_space_is_a_number_of_bytes(free: object) -> None:
    _model_error(lambda: HostVolume(name="D:\\", free_space=free), "free_space", free)  # type: ignore[arg-type]


@pytest.mark.parametrize("size", [-1, "1", True])
def test_file_size_is_a_number_of_bytes(size: object) -> None:
    build = lambda: Disk(name="D", attachment=Attachment.VIRTUAL_HARD_DISK, file_size=size)  # type: ignore[arg-type] # noqa: E731
    _model_error(build, "file_size", size)


def test_only_a_virtual_hard_disk_has_a_file_size() -> None:
    _model_error(
        lambda: Disk(name="P", attachment=Attachment.PASS_THROUGH, file_size=10), "file_size", 10
    )


@pytest.mark.parametrize("level", [0, 100, "9", True])
def test_functional_level_is_a_level(level: Any) -> None:
    node = Host(name="H", os=HostOS.WINDOWS_SERVER_2016)
    _model_error(
        lambda: Cluster(name="C", nodes=[node], functional_level=level), "functional_level", level
    )


def test_file_servers_and_host_volumes_are_unique_without_case() -> None:
    """Two entries for one file server, or one volume, would make the answer depend on order."""
    servers = [FileServer(name="FS01"), FileServer(name="fs01")]
    _model_error(lambda: _host(file_servers=servers), "file_servers[1].name", "fs01")
    volumes = [HostVolume(name="D:\\", free_space=1), HostVolume(name="d:\\", free_space=2)]
    _model_error(lambda: _host(host_volumes=volumes), "host_volumes[1].name", "d:\\")


@pytest.mark.parametrize(
    ("field", "item"), [("file_servers", "FS01"), ("host_volumes", {"name": "D:"})]
)
def test_file_servers_and_host_volumes_are_objects(field: str, item: object) -> None:
    fields: dict[str, Any] = {field: [item]}
    _model_error(lambda: _host(**fields), f"{field}[0]", item)
