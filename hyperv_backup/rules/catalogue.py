"""The catalogue: every rule of every family, by ID, and every check, in order.

Each family is a module of its own (``host``, ``storage``, ``online``,
``restore``, ``cluster``, ``modern``, ``signatures``, ``protection``,
``hygiene``) and owns one range of IDs; a new family is a new module and one
line of :data:`FAMILIES`. IDs are
public API and never reused. Which profiles can report a rule is the rule's
own ``profiles``; :data:`PROFILE_RULES` gathers them.
"""

from __future__ import annotations

import types
from collections.abc import Mapping

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.rules.check import Check
from hyperv_backup.rules.cluster import CLUSTER_CHECKS, CLUSTER_RULES
from hyperv_backup.rules.host import HOST_CHECKS, HOST_RULES
from hyperv_backup.rules.hygiene import HYGIENE_CHECKS, HYGIENE_RULES
from hyperv_backup.rules.modern import MODERN_CHECKS, MODERN_RULES
from hyperv_backup.rules.online import ONLINE_CHECKS, ONLINE_RULES
from hyperv_backup.rules.profiles import Profile
from hyperv_backup.rules.protection import PROTECTION_CHECKS, PROTECTION_RULES
from hyperv_backup.rules.restore import RESTORE_RULES
from hyperv_backup.rules.rule import Rule
from hyperv_backup.rules.signatures import DIAGNOSIS_RULES
from hyperv_backup.rules.storage import STORAGE_CHECKS, STORAGE_RULES

__all__ = ["CHECKS", "FAMILIES", "PROFILE_RULES", "RULES", "Family"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


@attrs.frozen(kw_only=True)
class Family:
    """A family of rules: its ID prefix, its rules in ID order, and their checks."""

    prefix: str
    rules: tuple[Rule, ...]
    checks: tuple[Check, ...] = ()


#: Every family, in catalogue order.
FAMILIES: tuple[Family, ...] = (
    Family(prefix="HVB1", rules=HOST_RULES, checks=HOST_CHECKS),
    Family(prefix="HVB2", rules=STORAGE_RULES, checks=STORAGE_CHECKS),
    Family(prefix="HVB3", rules=ONLINE_RULES, checks=ONLINE_CHECKS),
    Family(prefix="HVB4", rules=RESTORE_RULES),
    Family(prefix="HVB5", rules=CLUSTER_RULES, checks=CLUSTER_CHECKS),
    Family(prefix="HVB6", rules=MODERN_RULES, checks=MODERN_CHECKS),
    Family(prefix="HVB7", rules=DIAGNOSIS_RULES),
    Family(prefix="HVB8", rules=PROTECTION_RULES, checks=PROTECTION_CHECKS),
    Family(prefix="HVB9", rules=HYGIENE_RULES, checks=HYGIENE_CHECKS),
)


def _catalogue(families: tuple[Family, ...]) -> dict[str, Rule]:
    """Join the families, refusing an ID outside its family's range or given twice."""
    rules: dict[str, Rule] = {}
    for family in families:
        prefix = family.prefix
        for rule in family.rules:
            if not rule.id.startswith(prefix) or len(rule.id) != len(prefix) + 2:
                msg = f"rule {rule.id} is not in its family's range {prefix}xx"
                raise ValueError(msg)
            if rule.id in rules:
                msg = f"rule {rule.id} is given twice"
                raise ValueError(msg)
            rules[rule.id] = rule
        for check in family.checks:
            if check.rule not in family.rules:
                msg = (
                    f"a check of the {prefix}xx family fires {check.rule.id}, not one of its rules"
                )
                raise ValueError(msg)
    return rules


#: Every rule by ID, in catalogue order. Read-only.
RULES: Mapping[str, Rule] = types.MappingProxyType(_catalogue(FAMILIES))

#: Every check, family by family; the evaluation runs them phase by phase.
CHECKS: tuple[Check, ...] = tuple(check for family in FAMILIES for check in family.checks)

#: The rule IDs each profile can report.
PROFILE_RULES: Mapping[Profile, frozenset[str]] = types.MappingProxyType(
    {
        profile: frozenset(rule.id for rule in RULES.values() if profile in rule.profiles)
        for profile in Profile
    }
)
