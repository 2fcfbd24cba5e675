"""The rule catalogue: every finding this package can report, with a stable ID.

IDs are public API and are never reused. HVB1xx are about the host and its
backup application, HVB2xx about storage the host backup misses, HVB3xx about
online and offline backups, HVB4xx about restores, HVB5xx about failover
clusters and HVB6xx about Windows Server 2012 and later; each family is a
module of this package. Each rule of HVB1xx-HVB5xx names the heading of the
source guidance (Microsoft's Hyper-V "Planning for Backup") it comes from;
each of HVB6xx the heading and the page of Microsoft's later documentation.
Which rules answer for which release is in :mod:`hyperv_backup.rules.profiles`.

>>> RULES["HVB201"].severity
<Severity.WARNING: 'warning'>
>>> RULES["HVB201"].section
'Storage considerations'
"""

from __future__ import annotations

from hyperv_backup.rules.catalogue import FAMILIES, RULES
from hyperv_backup.rules.findings import finding
from hyperv_backup.rules.profiles import PROFILE_RULES, Profile, as_profile, profile_for
from hyperv_backup.rules.rule import Finding, Findings, Rule, Severity, sort_findings
from hyperv_backup.rules.signature import EventMatch, Signature, WriterMatch
from hyperv_backup.rules.signatures import NOT_RECOGNISED, SIGNATURES

__all__ = [
    "FAMILIES",
    "NOT_RECOGNISED",
    "PROFILE_RULES",
    "RULES",
    "SIGNATURES",
    "EventMatch",
    "Finding",
    "Findings",
    "Profile",
    "Rule",
    "Severity",
    "Signature",
    "WriterMatch",
    "as_profile",
    "finding",
    "profile_for",
    "sort_findings",
]
