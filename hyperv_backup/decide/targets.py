"""Naming the node a backup or a restore runs on."""

from __future__ import annotations

from hyperv_backup._base import HypervBackupError, public_dir
from hyperv_backup.model import Cluster, Host, computer_key, hosts_of

__all__ = ["node_name", "resolve_node"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


def node_name(node: str | Host) -> str:
    """Return the name of ``node``, a host or a host's name.

    Raises :class:`TypeError` for anything else and
    :class:`~hyperv_backup.HypervBackupError` for an empty name.
    """
    value: object = node  # callers without type checking may pass anything
    if isinstance(value, Host):
        return value.name
    if not isinstance(value, str):
        msg = f"node must be a Host or a host's name, got {type(value).__name__}"
        raise TypeError(msg)
    if not value.strip():
        msg = f"node must be a non-empty name, got {value!r}"
        raise HypervBackupError(msg)
    return value


def resolve_node(target: Host | Cluster, node: str | Host | None) -> Host | None:
    """Return the host of ``target`` that ``node`` names (in any case), or ``None``.

    Raises :class:`~hyperv_backup.HypervBackupError` when it names none of them.
    """
    if node is None:
        return None
    name = node_name(node)
    for host in hosts_of(target):
        if computer_key(host.name) == computer_key(name):
            return host
    kind = "cluster" if isinstance(target, Cluster) else "host"
    msg = f"node {name!r} is not a node of {kind} {target.name!r}"
    raise HypervBackupError(msg)
