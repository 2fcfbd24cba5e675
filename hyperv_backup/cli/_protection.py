"""What ``--backups``, ``--max-age``, ``--policy`` and ``--now`` give ``check`` and ``plan``.

The catalogues and the policy are read once, before any inventory is
evaluated (many inputs share them), and a bad one stops the run with exit
status 3, naming the file and the problem. The time ages are measured at is
``--now``; without it, the current time, except that the bundled example's
catalogue is measured at the time it says it was exported, so that the
example reads the same on any day (the report says which).
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from hyperv_backup.cli._io import made_at, read_source
from hyperv_backup.cli._options import (
    EXIT_INVALID,
    Exit,
    Options,
    ProtectionInputs,
    usage_error,
)
from hyperv_backup.decide.evaluate import Evaluation
from hyperv_backup.decide.protection import (
    PolicyResult,
    ProtectionSummary,
    apply_policy,
    protection_facts,
    protection_statuses,
)
from hyperv_backup.examples import catalogue_names, example_catalogue, example_policy
from hyperv_backup.inventory import (
    MAX_POLICY_BYTES,
    InventoryError,
    parse_policy,
    problem_lines,
    with_positions,
)
from hyperv_backup.model import (
    Catalogue,
    Cluster,
    Host,
    ProtectionPolicy,
    duration_text,
    join_catalogues,
)
from hyperv_backup.readers import MAX_CATALOGUE_BYTES
from hyperv_backup.rules import Finding
from hyperv_backup.rules.restore_points import Protection, time_text

__all__ = ["Protected", "facts", "loaded", "protected", "protection_notes"]


def _example_name(given: str, options: Options) -> str | None:
    """Return the example a ``--backups`` or ``--policy`` value names (``example``, ``example:NAME``)."""
    if given == "example":
        return options.example or "cluster-2022"
    if given.startswith("example:"):
        return given.removeprefix("example:")
    return None


def _unknown_example(name: str, what: str) -> Exit:
    known = ", ".join(catalogue_names())
    return usage_error(f"no bundled {what} for the example {name!r}; examples with one: {known}")


def _catalogue(given: str, options: Options) -> tuple[str, bytes, bool]:
    """Read one ``--backups``: its name, its bytes, and whether it is a bundled example's."""
    name = _example_name(given, options)
    if name is not None:
        try:
            return f"example:{name}", example_catalogue(name).data, True
        except KeyError:
            raise _unknown_example(name, "catalogue") from None
    return given, _read(given, MAX_CATALOGUE_BYTES, "backup catalogue"), False


def _read(given: str, limit: int, what: str) -> bytes:
    """Read a file named on the command line, refusing it (exit status 3) over ``limit`` bytes."""
    try:
        return read_source(given, limit)
    except InventoryError as exc:  # larger than the limit
        raise _invalid(given, what, exc, b"") from None


def _invalid(source: str, what: str, exc: InventoryError, data: bytes) -> Exit:
    located = with_positions(exc, data) if data.lstrip()[:1] in (b"{", b"[") else exc
    return Exit(EXIT_INVALID, f"error: {source}: not a valid {what}:", *problem_lines(located))


def _read_catalogues(options: Options) -> tuple[Catalogue, list[str], bool]:
    from hyperv_backup.readers import read_catalogue  # noqa: PLC0415 - only --backups needs it

    read, notes, bundled = [], [], True
    for given in options.backups:
        source, data, example = _catalogue(given, options)
        bundled = bundled and example
        try:
            found = read_catalogue(data)
        except InventoryError as exc:
            raise _invalid(source, "backup catalogue", exc, data) from None
        read.append(found.catalogue)
        points = len(found.catalogue.points)
        notes.append(f"Catalogue {source}: {found.form}, {points} restore point(s)")
        notes.extend(f"Catalogue {source}: {note}" for note in found.notes)
    return join_catalogues(read), notes, bundled


def _read_policy(given: str, options: Options) -> tuple[ProtectionPolicy, str]:
    name = _example_name(given, options)
    data = b""
    if name is not None:
        try:
            data, source = example_policy(name).data, f"example:{name}"
        except KeyError:
            raise _unknown_example(name, "policy") from None
    else:
        data, source = _read(given, MAX_POLICY_BYTES, "policy"), given
    try:
        return parse_policy(data), source
    except InventoryError as exc:
        raise _invalid(source, "policy", exc, data) from None


def loaded(options: Options) -> Options:
    """Return the options with their catalogues and policy read (one of them is given).

    Stops with exit status 3 on a catalogue or policy that cannot be read or
    is not valid, and 2 on an unknown example.
    """
    catalogue: Catalogue | None = None
    notes: list[str] = []
    bundled = False
    if options.backups:
        catalogue, notes, bundled = _read_catalogues(options)
    policy = None
    if options.policy is not None:
        policy, source = _read_policy(options.policy, options)
        notes.append(f"Policy: {source}")
    now = options.now
    if now is None:
        if bundled and catalogue is not None and catalogue.exported_at is not None:
            now = catalogue.exported_at
            notes.append(
                f"Ages as of {time_text(now)}, when the bundled example's catalogue was "
                "exported (--now to change)"
            )
        else:
            now = made_at()
    inputs = ProtectionInputs(
        catalogue=catalogue, policy=policy, now=now, max_age=options.max_age, notes=tuple(notes)
    )
    return attrs.evolve(options, protection=inputs)


@attrs.frozen(kw_only=True)
class Protected:
    """What the protection inputs did to one inventory's findings, and the VMs' statuses."""

    findings: tuple[Finding, ...]
    summary: ProtectionSummary | None
    applied: PolicyResult


def facts(options: Options, target: Host | Cluster) -> Protection | None:
    """Return the catalogue as the checks read it for ``target``; ``None`` without one."""
    inputs = options.protection
    if inputs is None or inputs.catalogue is None:
        return None
    return protection_facts(
        target, inputs.catalogue, now=inputs.now, max_age=inputs.max_age, policy=inputs.policy
    )


def protected(
    options: Options, findings: Sequence[Finding], evaluation: Evaluation, found: Protection | None
) -> Protected:
    """Apply the policy's exceptions to ``findings`` and give each VM of ``evaluation`` its status."""
    inputs = options.protection
    assert inputs is not None  # noqa: S101 - called only once the inputs are read
    applied = apply_policy(findings, inputs.policy, inputs.now.date())
    summary = None
    if found is not None:
        summary = ProtectionSummary(
            now=inputs.now,
            statuses=protection_statuses(
                evaluation.vms, found, excepted=applied.excepted, ignored=options.ignore
            ),
            excepted=applied.excepted,
            expired=applied.expired,
        )
    return Protected(findings=applied.kept, summary=summary, applied=applied)


def protection_notes(options: Options, result: Protected) -> list[str]:
    """Return the lines a report says of the catalogues, the bound, the policy's exceptions."""
    inputs = options.protection
    assert inputs is not None  # noqa: S101 - called only once the inputs are read
    notes = list(inputs.notes)
    if inputs.catalogue is not None:
        bound = (
            f"{duration_text(inputs.max_age)} (given)"
            if inputs.max_age is not None
            else "the policy's"
            if inputs.policy is not None and inputs.policy.max_age is not None
            else "7d (a weekly backup, as the Best Practices Analyzer asks)"
        )
        notes.append(f"Maximum age of the last good restore point: {bound}")
    for item in result.applied.excepted:
        exception = item.exception
        notes.append(
            f"Left out by an exception until {exception.expires.isoformat()}: "
            f"{item.finding.rule.id} {item.finding.subject} ({exception.reason})"
        )
    for exception in result.applied.expired:
        whom = exception.vm or exception.host
        notes.append(
            f"Expired exception, not applied: {', '.join(exception.rules)} for {whom} "
            f"(expired {exception.expires.isoformat()}: {exception.reason})"
        )
    return notes
