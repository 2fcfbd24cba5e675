"""Helpers shared by the model tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hyperv_backup.model import (
    VM,
    Attachment,
    Backup,
    BackupLevel,
    BackupMode,
    ClusterGroup,
    Disk,
    FileSystem,
    Host,
    HostOS,
    ModelError,
    ResourceState,
    VMState,
    Volume,
)

OS = HostOS.WINDOWS_SERVER_2008_R2


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
