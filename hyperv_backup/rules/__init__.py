"""The rule catalogue: every finding this package can report, with a stable ID.

IDs are public API and are never reused. HVB1xx are about the host and its
backup application, HVB2xx about storage the host backup misses, HVB3xx about
online and offline backups, HVB4xx about restores and HVB5xx about failover
clusters; each family is a module of this package. Each rule names the
heading of the source guidance (Microsoft's Hyper-V "Planning for Backup") it
comes from.

>>> RULES["HVB201"].severity
<Severity.WARNING: 'warning'>
>>> RULES["HVB201"].section
'Storage considerations'
"""

from __future__ import annotations

from hyperv_backup.rules.catalogue import FAMILIES, RULES
from hyperv_backup.rules.findings import finding
from hyperv_backup.rules.rule import Finding, Findings, Rule, Severity, sort_findings

__all__ = [
    "FAMILIES",
    "RULES",
    "Finding",
    "Findings",
    "Rule",
    "Severity",
    "finding",
    "sort_findings",
]
