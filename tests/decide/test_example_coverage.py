"""The bundled examples exercise the whole rule catalogue.

Across ``check`` and ``backup_plan`` of every bundled example, and the
restore steps of each of their VMs on the host that owns it (once without a
backup set, once with a set holding one host-level record per VM), every rule
of ``RULES`` fires at least once. Each example is answered by the profile of
its releases; the 2012 R2 host is also answered by the 2008 profile, whose
HVB100 speaks of hosts later than the guidance. An example with a backup
catalogue is checked with it too, as the morning check does (a maximum age
of 36 hours, ages measured when the catalogue was exported): the rules of
HVB8xx fire there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest

from hyperv_backup import (
    RULES,
    VM,
    Backup,
    BackupLevel,
    Cluster,
    Host,
    Severity,
    backup_mode,
    backup_plan,
    check,
    example_names,
    load_example,
    restore_steps,
)
from hyperv_backup.examples import catalogue_names, example_catalogue
from hyperv_backup.readers import read_catalogue


def hosts(target: Host | Cluster) -> tuple[Host, ...]:
    return target.nodes if isinstance(target, Cluster) else (target,)


def vms_with_hosts(target: Host | Cluster) -> Iterator[tuple[Host, VM]]:
    for host in hosts(target):
        for vm in host.vms:
            yield host, vm


def fired(name: str, profile: str | None = None) -> Counter[str]:
    """Count the rule IDs one example raises through findings, decisions and steps."""
    target = load_example(name)
    seen: Counter[str] = Counter()
    seen.update(f.rule.id for f in check(target, profile=profile))
    plan = backup_plan(target, profile=profile)
    seen.update(f.rule.id for f in plan.findings)
    seen.update(r.rule.id for d in plan.decisions.values() for r in d.reasons)
    seen.update(rule for step in plan.steps for rule in step.rules)
    for host, vm in vms_with_hosts(target):
        record = Backup(
            vm=vm.name, node=host.name, level=BackupLevel.HOST, mode=backup_mode(vm).mode
        )
        for backup in (None, [record]):
            steps = restore_steps(vm, host, backup, profile=profile)
            seen.update(rule for step in steps for rule in step.rules)
    if name in catalogue_names():
        catalogue = read_catalogue(example_catalogue(name).data).catalogue
        found = check(
            target,
            profile=profile,
            backups=catalogue,
            now=catalogue.exported_at,
            max_age=timedelta(hours=36),
        )
        seen.update(f.rule.id for f in found if f.rule.id.startswith("HVB8"))
    return seen


def test_the_examples_are_bundled() -> None:
    """The package ships a standalone host and a cluster of the guidance's era and of later ones."""
    assert sorted(example_names()) == [
        "cluster",
        "cluster-2016",
        "cluster-2022",
        "host",
        "host-2012",
    ]
    kinds = {name: type(load_example(name)) for name in example_names()}
    assert kinds == {
        "cluster": Cluster,
        "cluster-2016": Cluster,
        "cluster-2022": Cluster,
        "host": Host,
        "host-2012": Host,
    }


def test_every_rule_fires_in_the_examples() -> None:
    """Every rule of the catalogue is raised by at least one bundled example."""
    seen: Counter[str] = Counter()
    for name in example_names():
        seen.update(fired(name))
    seen.update(fired("host", profile="2008"))
    # The signatures (HVB7xx) fire on logs, not inventories: the night of the
    # 2022 example in tests/diagnose raises them.
    missing = sorted(r for r in set(RULES) - set(seen) if not r.startswith("HVB7"))
    assert missing == []
    assert set(seen) <= set(RULES)


@pytest.mark.parametrize("name", sorted(example_names()))
def test_example_raises_only_catalogue_rules(name: str) -> None:
    """Findings, reasons and step rules of an example only ever use catalogue IDs."""
    seen = fired(name)
    assert seen
    assert set(seen) <= set(RULES)


def test_hvb501_fires_at_both_severities_in_the_cluster_example() -> None:
    """The cluster example has a GUID-path volume on a node with KB958184 and on one without."""
    findings = [f for f in check(load_example("cluster")) if f.rule.id == "HVB501"]
    assert {(f.host, f.severity) for f in findings} == {
        ("HV-NODE1", Severity.ERROR),
        ("HV-NODE2", Severity.WARNING),
    }
