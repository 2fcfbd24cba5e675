"""Reading and writing inventories as JSON: the inventory layer.

An inventory is one JSON object: a host (``"kind": "host"``) or a failover
cluster (``"kind": "cluster"``). Keys are the model's field names, enums are
their JSON spellings, omitted fields take their defaults. Reading is strict:
unknown keys, duplicate keys, values of the wrong JSON type (``"false"`` is not
``false``, ``1`` is not ``"1"``), ``NaN`` and the cross-field mistakes the
model refuses (a ``shadow_storage`` naming a volume the VM lacks, a clustered
VM listed under a node that does not own it, duplicate names) are all
rejected with an :class:`InventoryError` that names where the problem is.
A protection policy file (:func:`parse_policy`) is read the same way.

>>> host = parse_inventory('{"kind": "host", "name": "HV01", "os": "windows_server_2008_r2"}')
>>> host.name, host.os
('HV01', <HostOS.WINDOWS_SERVER_2008_R2: 'windows_server_2008_r2'>)
>>> parse_inventory('{"kind": "host", "name": "HV01", "os": "windows_server_2008_r2", '
...                 '"vms": [{"name": "SQL01", "state": "running", "disks": [{"name": "D0", '
...                 '"attachment": "usb"}]}]}')
Traceback (most recent call last):
...
hyperv_backup.inventory.InventoryError: vms[0].disks[0].attachment: expected one of 'virtual_hard_disk', 'pass_through', 'guest_iscsi', got 'usb'
"""

from __future__ import annotations

from hyperv_backup._base import public_dir
from hyperv_backup.inventory._json import check_limits, load_document, read_at_most
from hyperv_backup.inventory._json import decode as decode_text
from hyperv_backup.inventory._parse import (
    INVENTORY_SCHEMA,
    dump_inventory,
    parse_inventory,
    read_inventory,
    with_schema,
)
from hyperv_backup.inventory._policy import (
    MAX_POLICY_BYTES,
    POLICY_SCHEMA,
    parse_policy,
    read_policy,
)
from hyperv_backup.inventory._positions import with_positions
from hyperv_backup.inventory._problems import (
    DEFAULT_LIMITS,
    MAX_PROBLEMS,
    InventoryError,
    InventoryLimits,
    Problem,
    problem_lines,
)

__all__ = [
    "DEFAULT_LIMITS",
    "INVENTORY_SCHEMA",
    "MAX_POLICY_BYTES",
    "MAX_PROBLEMS",
    "POLICY_SCHEMA",
    "InventoryError",
    "InventoryLimits",
    "Problem",
    "check_limits",
    "decode_text",
    "dump_inventory",
    "load_document",
    "parse_inventory",
    "parse_policy",
    "problem_lines",
    "read_at_most",
    "read_inventory",
    "read_policy",
    "with_positions",
    "with_schema",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)
