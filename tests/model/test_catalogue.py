"""Restore points, network records, catalogues and policies: what they hold and what they refuse."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from hyperv_backup.model import (
    WEEKLY,
    BackupLevel,
    Catalogue,
    Consistency,
    MaxAge,
    ModelError,
    NetworkRecord,
    PolicyException,
    ProtectionPolicy,
    RestorePoint,
    duration_text,
    join_catalogues,
    parse_duration,
    same_vm,
)

T = datetime(2026, 12, 6, 22, 10, tzinfo=UTC)


def point(**fields: object) -> RestorePoint:
    given: dict[str, object] = {"vm": "SQL01", "taken_at": T, "level": "host", "product": "x"}
    given.update(fields)
    return RestorePoint(**given)  # type: ignore[arg-type]


def test_a_point_keeps_its_time_in_utc() -> None:
    """An aware time in another zone is the same instant, held in UTC."""
    paris = timezone(timedelta(hours=1))
    found = point(taken_at=datetime(2026, 12, 6, 23, 10, tzinfo=paris), level=BackupLevel.GUEST)
    assert found.taken_at == T
    assert found.taken_at.tzinfo is UTC
    assert found.level is BackupLevel.GUEST
    assert found.good


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"vm": " "}, "vm"),
        ({"taken_at": "2026-12-06"}, "taken_at"),
        ({"taken_at": datetime(2026, 12, 6)}, "taken_at"),
        ({"level": "tape"}, "level"),
        ({"product": ""}, "product"),
        ({"host": ""}, "host"),
        ({"consistency": "fails"}, "consistency"),
        ({"consistency": "not_backed_up"}, "consistency"),
        ({"consistency": "great"}, "consistency"),
        ({"covers": "System"}, "covers"),
        ({"covers": ["System", ""]}, "covers[1]"),
        ({"usable": "yes"}, "usable"),
    ],
)
def test_a_point_refuses_what_cannot_be(fields: dict[str, object], path: str) -> None:
    """Every field is checked, and the error names it."""
    with pytest.raises(ModelError) as info:
        point(**fields)
    assert info.value.path == path


def test_a_point_takes_the_json_spelling_of_its_enums() -> None:
    """``"application_consistent"`` is the enum member."""
    found = point(consistency="application_consistent", covers=["System"])
    assert found.consistency is Consistency.APPLICATION_CONSISTENT
    assert found.covers == ("System",)


def test_a_network_record() -> None:
    """A record names at least one network, of one host, at an aware time."""
    record = NetworkRecord(host="HV01", taken_at=T, networks=["Compute"], product="Get-VMSwitch")
    assert record.networks == ("Compute",)
    with pytest.raises(ModelError, match="at least one virtual network"):
        NetworkRecord(host="HV01", taken_at=T, networks=[])
    with pytest.raises(ModelError) as info:
        NetworkRecord(host="HV01", taken_at=T, networks=["A"], location=" ")
    assert info.value.path == "location"


def test_a_catalogue_holds_only_its_records() -> None:
    """Points are RestorePoints, records NetworkRecords; its export time is aware."""
    with pytest.raises(ModelError) as info:
        Catalogue(points=["SQL01"])  # type: ignore[list-item]
    assert info.value.path == "points[0]"
    with pytest.raises(ModelError) as info:
        Catalogue(networks=[point()])
    assert info.value.path == "networks[0]"
    with pytest.raises(ModelError):
        Catalogue(exported_at=datetime(2026, 12, 7))
    assert Catalogue(exported_at=T).exported_at == T


def test_joined_catalogues() -> None:
    """Points and records in order; exported when the earliest was, if each says."""
    first = Catalogue(points=[point()], exported_at=T)
    second = Catalogue(
        points=[point(vm="WEB01")],
        networks=[NetworkRecord(host="HV01", taken_at=T, networks=["A"])],
        exported_at=T + timedelta(hours=1),
    )
    joined = join_catalogues([second, first])
    assert [p.vm for p in joined.points] == ["WEB01", "SQL01"]
    assert len(joined.networks) == 1
    assert joined.exported_at == T
    assert join_catalogues([first, Catalogue()]).exported_at is None


def test_same_vm() -> None:
    """Ids decide when both are known, names otherwise, without regard to case."""
    assert same_vm(point(), "sql01", "abc")
    assert same_vm(point(vm_id="ABC"), "OTHER", "abc")
    assert not same_vm(point(vm_id="abd"), "SQL01", "abc")


# --- the policy --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("36h", timedelta(hours=36)),
        ("7d", WEEKLY),
        (" 2W ", timedelta(weeks=2)),
        ("90m", timedelta(minutes=90)),
        ("1d12h", timedelta(hours=36)),
        ("1w2d3h4m", timedelta(days=9, hours=3, minutes=4)),
    ],
)
def test_durations(text: str, span: timedelta) -> None:
    """Numbers with units, largest first."""
    assert parse_duration(text) == span


@pytest.mark.parametrize("text", ["", "36", "h", "12h1d", "1d1d", "0h", "5000w", "1.5d", "P7D"])
def test_what_is_no_duration(text: str) -> None:
    """Anything else is refused, saying what is expected."""
    with pytest.raises(ValueError, match="expected a duration"):
        parse_duration(text)
    with pytest.raises(ValueError, match="expected a duration"):
        parse_duration(None)  # type: ignore[arg-type]


def test_duration_text() -> None:
    """Written to the minute, as parse_duration reads it."""
    assert duration_text(timedelta(days=8, minutes=5)) == "8d5m"
    assert duration_text(timedelta(seconds=30)) == "0m"
    assert parse_duration(duration_text(timedelta(hours=49))) == timedelta(hours=49)


def test_a_maximum_age_matches_its_vm_and_host() -> None:
    """Names compare without regard to case; a bound with no host is for the VM on any host."""
    bound = MaxAge(vm="SQL01", max_age=timedelta(days=2), host="HV01")
    assert bound.matches("sql01", "hv01")
    assert not bound.matches("SQL01", "HV02")
    assert MaxAge(vm="SQL01", max_age=WEEKLY).matches("SQL01", "anywhere")
    with pytest.raises(ModelError) as info:
        MaxAge(vm="SQL01", max_age=timedelta())
    assert info.value.path == "max_age"


def test_an_exception_covers_its_rules_vm_and_host() -> None:
    """A VM's exception covers that VM's findings of its rules; a host's, the host's own."""
    vm = PolicyException(vm="SQL01", rules=["HVB801"], reason="moving", expires=date(2027, 1, 31))
    assert vm.covers("HVB801", "sql01", "HV01")
    assert not vm.covers("HVB802", "SQL01", "HV01")
    assert not vm.covers("HVB801", "WEB01", "HV01")
    assert not vm.covers("HVB801", None, "HV01")
    on_host = PolicyException(
        vm="SQL01", host="HV01", rules=["HVB801"], reason="x", expires=date(2027, 1, 31)
    )
    assert on_host.covers("HVB801", "SQL01", "hv01")
    assert not on_host.covers("HVB801", "SQL01", "HV02")
    assert not on_host.covers("HVB801", "SQL01", None)
    host = PolicyException(host="HV01", rules=["HVB807"], reason="lab", expires=date(2027, 1, 31))
    assert host.covers("HVB807", None, "HV01")
    assert not host.covers("HVB807", "SQL01", "HV01")
    assert not vm.expired(date(2027, 1, 31))
    assert vm.expired(date(2027, 2, 1))


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"rules": []}, "rules"),
        ({"rules": "HVB801"}, "rules"),
        ({"rules": [""]}, "rules[0]"),
        ({"reason": " "}, "reason"),
        ({"expires": "2027-01-31"}, "expires"),
        ({"vm": None}, "vm"),
    ],
)
def test_an_exception_refuses_what_cannot_be(fields: dict[str, object], path: str) -> None:
    """It names its rules, a reason, a date, and a VM or a host."""
    given: dict[str, object] = {
        "vm": "SQL01",
        "rules": ["HVB801"],
        "reason": "moving",
        "expires": date(2027, 1, 31),
    }
    given.update(fields)
    with pytest.raises(ModelError) as info:
        PolicyException(**given)  # type: ignore[arg-type]
    assert info.value.path == path


def test_a_policy() -> None:
    """A bound for every VM, bounds for some, exceptions; the first bound naming a VM wins."""
    first = MaxAge(vm="SQL01", max_age=timedelta(days=2))
    policy = ProtectionPolicy(
        max_age=timedelta(days=3), max_ages=[first, MaxAge(vm="SQL01", max_age=WEEKLY)]
    )
    assert policy.max_age_of("SQL01", "HV01") is first
    assert policy.max_age_of("WEB01", "HV01") is None
    with pytest.raises(ModelError) as info:
        ProtectionPolicy(max_ages=["SQL01"])
    assert info.value.path == "max_ages[0]"
    with pytest.raises(ModelError) as info:
        ProtectionPolicy(max_age=timedelta(days=5000))
    assert info.value.path == "max_age"
