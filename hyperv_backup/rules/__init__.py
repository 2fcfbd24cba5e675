"""The rule catalogue: every finding this package can report, with a stable ID.

IDs are public API and are never reused. HVB1xx are about the host and its
backup application, HVB2xx about storage the host backup misses, HVB3xx about
online and offline backups, HVB4xx about restores, HVB5xx about failover
clusters, HVB6xx about Windows Server 2012 and later, HVB7xx about the
failures a host records, HVB8xx about how a backup catalogue protects the VMs
and HVB9xx about what checkpoints and earlier backups left, change tracking
and space; each family is a module of this package, holding
its rules and the checks that decide when they fire. Each rule cites its
:class:`Source`: the page, its heading, and whether the page states the rule
or the project inferred it. Which rules answer for which release, and what
each release does, is in :mod:`hyperv_backup.rules.profiles`.

>>> RULES["HVB201"].severity
<Severity.WARNING: 'warning'>
>>> RULES["HVB201"].source.heading
'Storage considerations'
"""

from __future__ import annotations

from hyperv_backup._base import public_dir
from hyperv_backup.rules.catalogue import CHECKS, FAMILIES, PROFILE_RULES, RULES, Family
from hyperv_backup.rules.check import Check, CheckResult, Context, Effect, Phase, Scope
from hyperv_backup.rules.profiles import (
    ALL_PROFILES,
    RELEASE_FACTS,
    Profile,
    ReleaseFacts,
    as_profile,
    profile_for,
    release_facts,
)
from hyperv_backup.rules.rule import Finding, Findings, Rule, Severity, finding, sort_findings
from hyperv_backup.rules.settings import DEFAULT_SETTINGS, HygieneSettings
from hyperv_backup.rules.signature import EventMatch, Place, Signature, WriterMatch
from hyperv_backup.rules.signatures import NOT_RECOGNISED, SIGNATURES
from hyperv_backup.rules.source import Claim, Page, Source

__all__ = [
    "ALL_PROFILES",
    "CHECKS",
    "DEFAULT_SETTINGS",
    "FAMILIES",
    "NOT_RECOGNISED",
    "PROFILE_RULES",
    "RELEASE_FACTS",
    "RULES",
    "SIGNATURES",
    "Check",
    "CheckResult",
    "Claim",
    "Context",
    "Effect",
    "EventMatch",
    "Family",
    "Finding",
    "Findings",
    "HygieneSettings",
    "Page",
    "Phase",
    "Place",
    "Profile",
    "ReleaseFacts",
    "Rule",
    "Scope",
    "Severity",
    "Signature",
    "Source",
    "WriterMatch",
    "as_profile",
    "finding",
    "profile_for",
    "release_facts",
    "sort_findings",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)
