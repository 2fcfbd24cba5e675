"""The catalogue: every rule of every family, by ID, in ID order.

Each family is a module of its own (``host``, ``storage``, ``online``,
``restore``, ``cluster``, ``modern``, ``signatures``) and owns one range of IDs; a new family is a new
module and one line of :data:`FAMILIES`. IDs are public API and never reused.
"""

from __future__ import annotations

import types
from collections.abc import Mapping

from hyperv_backup.rules.cluster import CLUSTER_RULES
from hyperv_backup.rules.host import HOST_RULES
from hyperv_backup.rules.modern import MODERN_RULES
from hyperv_backup.rules.online import ONLINE_RULES
from hyperv_backup.rules.restore import RESTORE_RULES
from hyperv_backup.rules.rule import Rule
from hyperv_backup.rules.signatures import DIAGNOSIS_RULES
from hyperv_backup.rules.storage import STORAGE_RULES

__all__ = ["FAMILIES", "RULES"]

#: Each family's ID prefix and its rules, in catalogue order.
FAMILIES: tuple[tuple[str, tuple[Rule, ...]], ...] = (
    ("HVB1", HOST_RULES),
    ("HVB2", STORAGE_RULES),
    ("HVB3", ONLINE_RULES),
    ("HVB4", RESTORE_RULES),
    ("HVB5", CLUSTER_RULES),
    ("HVB6", MODERN_RULES),
    ("HVB7", DIAGNOSIS_RULES),
)


def _catalogue(families: tuple[tuple[str, tuple[Rule, ...]], ...]) -> dict[str, Rule]:
    """Join the families, refusing an ID outside its family's range or given twice."""
    rules: dict[str, Rule] = {}
    for prefix, family in families:
        for rule in family:
            if not rule.id.startswith(prefix) or len(rule.id) != len(prefix) + 2:
                msg = f"rule {rule.id} is not in its family's range {prefix}xx"
                raise ValueError(msg)
            if rule.id in rules:
                msg = f"rule {rule.id} is given twice"
                raise ValueError(msg)
            rules[rule.id] = rule
    return rules


#: Every rule by ID, in catalogue order. Read-only.
RULES: Mapping[str, Rule] = types.MappingProxyType(_catalogue(FAMILIES))
