"""Building a finding of a rule of the catalogue."""

from __future__ import annotations

from hyperv_backup._base.slots import slot_setters
from hyperv_backup.rules.catalogue import RULES
from hyperv_backup.rules.rule import Finding, Severity

__all__ = ["finding"]

# One finding is built per condition met, by the hundred thousand on a fleet:
# setting its slots directly halves the cost of Finding(...) (see slot_setters).
_FINDING_SLOTS = slot_setters(Finding, "rule", "severity", "subject", "message", "host", "vm")


def finding(
    rule_id: str,
    subject: str,
    message: str,
    *,
    host: str | None = None,
    vm: str | None = None,
    severity: Severity | None = None,
) -> Finding:
    """Build a finding of the rule ``rule_id``, at the rule's severity unless given.

    >>> finding("HVB105", "SQL01", "VM 'SQL01' has 2 VM snapshots.", vm="SQL01").severity
    <Severity.INFO: 'info'>
    """
    rule = RULES[rule_id]
    set_rule, set_severity, set_subject, set_message, set_host, set_vm = _FINDING_SLOTS
    item: Finding = object.__new__(Finding)
    set_rule(item, rule)
    set_severity(item, rule.severity if severity is None else severity)
    set_subject(item, subject)
    set_message(item, message)
    set_host(item, host)
    set_vm(item, vm)
    return item
