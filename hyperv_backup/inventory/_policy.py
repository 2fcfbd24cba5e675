"""Reading a protection policy file: maximum ages of restore points, and exceptions.

The file is one JSON object (``hyperv_backup/schemas/policy.json``):

* ``max_age``: the maximum age of every VM's last good restore point, as
  ``36h``, ``7d``, ``2w`` (without it, a week, or ``--max-age``);
* ``max_ages``: per VM, ``{"vm", "max_age"}`` and optionally ``host`` and
  ``reason``; these go before ``--max-age``;
* ``exceptions``: ``{"rules", "reason", "expires"}`` with ``vm``, ``host`` or
  both: the findings of those rules about that VM (or the host's own) are left
  out up to and including the day ``expires`` (``YYYY-MM-DD``); after it the
  exception is reported as expired and no longer applied;
* optionally ``$schema``: :data:`POLICY_SCHEMA`.

It is read as strictly as an inventory: unknown keys, rule IDs that are not
in the catalogue and values of the wrong type are refused, each with its path,
and so is a file over :data:`MAX_POLICY_BYTES` (16 MiB, room for a hundred
thousand exceptions), before it is parsed.

>>> policy = parse_policy('{"max_age": "36h", "exceptions": [{"vm": "LEGACY01",'
...                       ' "rules": ["HVB801"], "reason": "retiring", "expires": "2027-01-31"}]}')
>>> policy.max_age, policy.exceptions[0].expires
(datetime.timedelta(days=1, seconds=43200), datetime.date(2027, 1, 31))
>>> parse_policy('{"exceptions": [{"vm": "A", "rules": ["HVB9999"], "reason": "x",'
...              ' "expires": "2027-01-31"}]}')
Traceback (most recent call last):
...
hyperv_backup.inventory.InventoryError: exceptions[0].rules[0]: no rule 'HVB9999' in the catalogue
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hyperv_backup.inventory._json import load_document, read_at_most
from hyperv_backup.inventory._problems import (
    InventoryError,
    InventoryLimits,
    Problem,
    describe,
)
from hyperv_backup.model import (
    MaxAge,
    PolicyException,
    ProtectionPolicy,
    parse_duration,
)
from hyperv_backup.rules import RULES

__all__ = ["MAX_POLICY_BYTES", "POLICY_SCHEMA", "parse_policy", "read_policy"]

#: The ``$schema`` of a policy file.
POLICY_SCHEMA = "urn:hyperv-backup:schema:policy:1"

#: The largest policy file read: a policy is written by hand, and an exception
#: takes a few hundred bytes.
MAX_POLICY_BYTES = 16 * 1024 * 1024

#: The limits a policy document is read under.
_LIMITS = InventoryLimits(max_bytes=MAX_POLICY_BYTES)

_TOP = ("$schema", "max_age", "max_ages", "exceptions")
_MAX_AGE = ("vm", "host", "max_age", "reason")
_EXCEPTION = ("vm", "host", "rules", "reason", "expires")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _error(path: str, message: str) -> InventoryError:
    return InventoryError([Problem(path, message)])


def _object(
    value: object, path: str, allowed: Sequence[str], required: Sequence[str]
) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _error(path, f"expected an object, got {describe(value)}")
    for key in value:
        if key not in allowed:
            where = f"{path}.{key}" if path else str(key)
            raise _error(where, f"unknown key; expected one of {', '.join(allowed)}")
    for key in required:
        if key not in value:
            raise _error(f"{path}.{key}" if path else key, "missing")
    return value


def _text(value: object, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _error(path, f"expected a non-empty string, got {describe(value)}")
    return value


def _duration(value: object, path: str) -> timedelta:
    try:
        return parse_duration(_text(value, path))
    except ValueError as exc:
        raise _error(path, str(exc)) from None


def _date(value: object, path: str) -> date:
    text = _text(value, path)
    try:
        if _DATE.fullmatch(text) is None:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise _error(path, f"expected a date such as 2027-01-31, got {describe(value)}") from None


def _optional(item: Mapping[str, Any], key: str, path: str) -> str | None:
    return None if item.get(key) is None else _text(item[key], f"{path}.{key}")


def _list(document: Mapping[str, Any], key: str) -> list[Any]:
    value = document.get(key, [])
    if not isinstance(value, list):
        raise _error(key, f"expected an array, got {describe(value)}")
    return value


def _max_age(item: object, path: str) -> MaxAge:
    found = _object(item, path, _MAX_AGE, ("vm", "max_age"))
    return MaxAge(
        vm=_text(found["vm"], f"{path}.vm"),
        max_age=_duration(found["max_age"], f"{path}.max_age"),
        host=_optional(found, "host", path),
        reason=_optional(found, "reason", path),
    )


def _exception(item: object, path: str) -> PolicyException:
    found = _object(item, path, _EXCEPTION, ("rules", "reason", "expires"))
    rules = found["rules"]
    if not isinstance(rules, list) or not rules:
        raise _error(
            f"{path}.rules", f"expected a non-empty array of rule IDs, got {describe(rules)}"
        )
    for index, rule in enumerate(rules):
        if not isinstance(rule, str) or rule.strip().upper() not in RULES:
            shown = rule if isinstance(rule, str) else describe(rule)
            raise _error(f"{path}.rules[{index}]", f"no rule {shown!r} in the catalogue")
    vm, host = _optional(found, "vm", path), _optional(found, "host", path)
    if vm is None and host is None:
        raise _error(path, "an exception names a vm, a host, or both")
    return PolicyException(
        rules=[r.strip().upper() for r in rules],
        reason=_text(found["reason"], f"{path}.reason"),
        expires=_date(found["expires"], f"{path}.expires"),
        vm=vm,
        host=host,
    )


def parse_policy(data: str | bytes | Mapping[str, Any]) -> ProtectionPolicy:
    """Read a policy file's JSON (text, bytes or a parsed mapping) into a :class:`~hyperv_backup.model.ProtectionPolicy`.

    Raises :class:`~hyperv_backup.inventory.InventoryError` naming the path of
    the first problem.
    """
    document: Any = data if isinstance(data, Mapping) else load_document(data, limits=_LIMITS)
    found = _object(document, "", _TOP, ())
    schema = found.get("$schema")
    if schema is not None and schema != POLICY_SCHEMA:
        raise _error("$schema", f"expected {POLICY_SCHEMA!r}, got {describe(schema)}")
    max_age = found.get("max_age")
    return ProtectionPolicy(
        max_age=None if max_age is None else _duration(max_age, "max_age"),
        max_ages=[_max_age(m, f"max_ages[{i}]") for i, m in enumerate(_list(found, "max_ages"))],
        exceptions=[
            _exception(e, f"exceptions[{i}]") for i, e in enumerate(_list(found, "exceptions"))
        ],
    )


def read_policy(path: str | Path) -> ProtectionPolicy:
    """Read the policy file at ``path``; an :class:`OSError` when it cannot be read.

    A file over :data:`MAX_POLICY_BYTES` is refused before it is read whole.
    """
    with Path(path).open("rb") as file:
        return parse_policy(read_at_most(file, MAX_POLICY_BYTES))
