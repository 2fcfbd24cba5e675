"""Naming the node a backup or a restore runs on."""

from __future__ import annotations

from hyperv_backup._base import HypervBackupError, public_dir
from hyperv_backup.model import VM, Cluster, Host, computer_key, hosts_of
from hyperv_backup.model._checks import shown

__all__ = ["node_name", "require_target", "require_vm", "resolve_node", "unknown_node"]


#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


def _required(function: str, value: object, kinds: tuple[type, ...], what: str) -> None:
    """Raise :class:`TypeError` naming what ``function`` takes, when ``value`` is not of ``kinds``.

    The message names the type given, never the value: a model object's
    representation can run to megabytes, and a path or a name says itself.
    """
    if isinstance(value, kinds):
        return
    given = type(value).__name__
    hint = ""
    if isinstance(value, str | bytes) or hasattr(value, "__fspath__"):
        hint = " (read an inventory file with read_inventory() first)" if Host in kinds else ""
    msg = f"{function}() takes {what}, got {given}{hint}"
    raise TypeError(msg)


def require_target(function: str, target: object) -> None:
    """Refuse anything but a :class:`Host` or :class:`Cluster` with a :class:`TypeError`."""
    _required(function, target, (Host, Cluster), "a Host or a Cluster")


def require_vm(function: str, vm: object) -> None:
    """Refuse anything but a :class:`VM` with a :class:`TypeError`."""
    _required(function, vm, (VM,), "a VM")


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
        msg = f"node must be a non-empty name, got {shown(value)}"
        raise HypervBackupError(msg)
    return value


def resolve_node(target: Host | Cluster, node: str | Host | None) -> Host | None:
    """Return the host of ``target`` that ``node`` names (in any case), or ``None``.

    Raises :class:`~hyperv_backup.HypervBackupError` when it names none of
    them, in the words the command line uses for an unknown ``--node``.
    """
    if node is None:
        return None
    name = node_name(node)
    for host in hosts_of(target):
        if computer_key(host.name) == computer_key(name):
            return host
    raise unknown_node(target, name)


def unknown_node(target: Host | Cluster, name: str) -> HypervBackupError:
    """Return the error of a node ``target`` does not have, naming the ones it has."""
    kind = "cluster" if isinstance(target, Cluster) else "host"
    known = ", ".join(shown(h.name) for h in hosts_of(target))
    msg = f"no node named {shown(name)} in {kind} {shown(target.name)}; known: {known}"
    return HypervBackupError(msg)
