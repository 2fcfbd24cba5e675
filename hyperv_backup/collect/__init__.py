r"""From collector output to an inventory: the documents the collector scripts print.

The PowerShell scripts in this package (``host.ps1``, ``guest.ps1``) and the
shell script for Linux and FreeBSD guests (``guest.sh``) each print one JSON
document. :func:`from_documents` turns the documents of one host,
or of every node of one failover cluster, plus those of any guests, into a
:class:`~hyperv_backup.model.Host` or :class:`~hyperv_backup.model.Cluster`:

* one host document that is not from a cluster node gives a ``Host``;
* the documents of every node of one cluster give a ``Cluster``; each VM is
  listed under the node that owns its cluster group;
* a guest document is matched to its VM by the VM id the guest reads from
  Hyper-V's data exchange (``VirtualMachineId``), or, when it has none, by
  the VM's name (``VirtualMachineName``); never by the guest's computer name.
  A VM without a guest document is ``guest_inventoried=False``. A document of
  ``guest.sh`` gives the VM's ``guest_os`` and ``vss_daemon`` only; its
  Windows guest facts stay not inventoried.

Documents are what PowerShell writes: JSON text (UTF-8, or UTF-8 or UTF-16 with
a byte-order mark), or the already parsed object. Anything that cannot be read
with certainty, an unknown enum code above all, raises an
:class:`~hyperv_backup.inventory.InventoryError` whose problems name the place,
such as ``hosts[0].VMs[2].State``.

>>> document = {
...     "collector": "hyperv_backup.host/1", "ComputerName": "HV01",
...     "OperatingSystem": {"Version": "6.1.7601", "ProductType": 3},
...     "HyperVApi": "module", "VMSwitches": [], "HotFixes": ["KB982210"],
...     "WindowsServerBackup": {"Installed": False}, "Cluster": None,
...     "VMs": {"Name": "WEB01", "Id": "6f9a2c1e-0b1d-4c51-9d0e-3c2b7a1f0e11",
...             "State": 2, "StateName": "Running",
...             "IntegrationServices": [{"Id": "Microsoft:6F9A2C1E-0B1D-4C51-9D0E-3C2B7A1F0E11"
...                                            "\\5CED1297-4598-4915-A5FC-AD21BB4D02A4",
...                                      "Enabled": True}],
...             "HardDrives": [], "Snapshots": None, "NetworkAdapters": None}}
>>> host = from_documents([document])
>>> host.vms[0].state, host.vms[0].guest_inventoried
(<VMState.RUNNING: 'running'>, False)
>>> document["VMs"].update(State=32785, StateName="RunningCritical")
>>> from_documents([document])
Traceback (most recent call last):
...
hyperv_backup.inventory.InventoryError: hosts[0].VMs[0].State: VM state 32785 (given as 'RunningCritical') is version-dependent: codes from 32783 on mean different things in different Hyper-V module versions, so it is not read

The names below are imported from this package's modules on first use, so that
the command line can ask :func:`collector_kind` about a file without loading
the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hyperv_backup._base import LazyNames

if TYPE_CHECKING:
    from hyperv_backup.collect._api import (
        catalog_exports,
        event_exports,
        from_documents,
        read_documents,
        script_path,
        writer_notes,
    )
    from hyperv_backup.collect._catalogs import CatalogExport, kept_catalogue
    from hyperv_backup.collect._documents import Document
    from hyperv_backup.collect._events import EventExport, LogExport, kept_events
    from hyperv_backup.collect._host import VSS_INTEGRATION_SERVICE_ID
    from hyperv_backup.collect._tables import (
        BUS_TYPES,
        CLUSTER_GROUP_STATES,
        CLUSTER_RESOURCE_STATES,
        CONTROLLER_TYPES,
        HOST_OS_VERSIONS,
        PARTITION_STYLES,
        SWITCH_TYPES,
        VHD_TYPES,
        VM_STATE_VERSION_DEPENDENT,
        VM_STATES,
        VM_STATES_WMI_V1,
        BusClass,
        Code,
    )
    from hyperv_backup.collect.kinds import (
        GUEST_COLLECTOR,
        HOST_COLLECTOR,
        LINUX_GUEST_COLLECTOR,
        collector_kind,
    )
    from hyperv_backup.inventory import load_document

__all__ = [
    "BUS_TYPES",
    "CLUSTER_GROUP_STATES",
    "CLUSTER_RESOURCE_STATES",
    "CONTROLLER_TYPES",
    "GUEST_COLLECTOR",
    "HOST_COLLECTOR",
    "HOST_OS_VERSIONS",
    "LINUX_GUEST_COLLECTOR",
    "PARTITION_STYLES",
    "SWITCH_TYPES",
    "VHD_TYPES",
    "VM_STATES",
    "VM_STATES_WMI_V1",
    "VM_STATE_VERSION_DEPENDENT",
    "VSS_INTEGRATION_SERVICE_ID",
    "BusClass",
    "CatalogExport",
    "Code",
    "Document",
    "EventExport",
    "LogExport",
    "catalog_exports",
    "collector_kind",
    "event_exports",
    "from_documents",
    "kept_catalogue",
    "kept_events",
    "load_document",
    "read_documents",
    "script_path",
    "writer_notes",
]

#: Where each public name lives, by module of this package.
_NAMES = LazyNames(
    __name__,
    globals(),
    {
        "_api": (
            "catalog_exports",
            "event_exports",
            "from_documents",
            "read_documents",
            "script_path",
            "writer_notes",
        ),
        "_catalogs": ("CatalogExport", "kept_catalogue"),
        "_documents": ("Document", "load_document"),
        "_events": ("EventExport", "LogExport", "kept_events"),
        "_host": ("VSS_INTEGRATION_SERVICE_ID",),
        "_tables": (
            "BUS_TYPES",
            "CLUSTER_GROUP_STATES",
            "CLUSTER_RESOURCE_STATES",
            "CONTROLLER_TYPES",
            "HOST_OS_VERSIONS",
            "PARTITION_STYLES",
            "SWITCH_TYPES",
            "VHD_TYPES",
            "VM_STATE_VERSION_DEPENDENT",
            "VM_STATES",
            "VM_STATES_WMI_V1",
            "BusClass",
            "Code",
        ),
        "kinds": ("GUEST_COLLECTOR", "HOST_COLLECTOR", "LINUX_GUEST_COLLECTOR", "collector_kind"),
    },
)

# For the interpreter only: type checkers read the imports above instead.
if not TYPE_CHECKING:  # pragma: no branch

    def __getattr__(name: str) -> object:
        """Import a public name the first time it is asked for."""
        return _NAMES.load(name)


def __dir__() -> list[str]:
    """List the public names too, imported or not yet."""
    return _NAMES.listing(__all__)
