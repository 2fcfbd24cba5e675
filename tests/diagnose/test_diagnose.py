"""diagnose(): every signature fires on its record and not on a near miss; grouping, order, causes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
import pytest

import hyperv_backup as hb
from hyperv_backup.diagnose import Diagnosis, diagnose, is_backup_log
from hyperv_backup.readers import Event, EventLog, VssWriter, event_xml, vssadmin_writers
from hyperv_backup.render import Format, render_diagnosis, to_dict
from hyperv_backup.rules import RULES, SIGNATURES, EventMatch
from tests.paths import FIXTURES

NIGHT = FIXTURES / "events" / "cluster-2022-night.xml"
WRITERS = FIXTURES / "samples" / "vssadmin-list-writers-hyperv-failed-blog-1.txt"
T0 = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)
HV = "66841cd4-6ded-4f4b-8f17-fd23f8ddc3de"
OTHER = "e8132975-6f93-4464-a53e-1050253ae220"
INSTANCE = "6162e336-7448-4371-93a7-29581512b103"


def _event(
    provider: str,
    event_id: int,
    message: str | None = None,
    *,
    level: int = 2,
    data: tuple[tuple[str, str], ...] = (),
    minutes: int = 0,
    channel: str = "",
    computer: str = "HV01",
) -> Event:
    return Event(
        provider=provider,
        event_id=event_id,
        level=level,
        computer=computer,
        time_created=T0 + timedelta(minutes=minutes),
        channel=channel,
        data=data,
        message=message,
    )


def _writer(state: int, last_error: str, writer_id: str = HV) -> VssWriter:
    return VssWriter(
        name="w", writer_id=writer_id, instance_id=INSTANCE, state=state, last_error=last_error
    )


VMMS = "Microsoft-Windows-Hyper-V-VMMS"

#: Each signature's rule: a record it recognises, and a near miss it does not.
CASES: dict[str, tuple[Event | VssWriter, Event | VssWriter]] = {
    "HVB701": (_writer(8, "Non-retryable error"), _writer(5, "Non-retryable error")),
    "HVB702": (_writer(7, "Retryable error"), _writer(1, "Retryable error")),
    "HVB703": (_writer(8, "Inconsistent shadow copy"), _writer(1, "Inconsistent shadow copy")),
    "HVB704": (_writer(9, "Unexpected error"), _writer(2, "Unexpected error")),
    "HVB705": (_writer(9, "Timed out", OTHER), _writer(1, "No error", OTHER)),
    "HVB706": (_event("VSS", 8229, "rejected"), _event("VSS", 8228, "rejected")),
    "HVB707": (
        _event("VSS", 12293, "guest", computer="APP01"),
        _event("VSS", 12293, "guest", computer="HV22-NODE1"),
    ),
    "HVB708": (
        _event(VMMS, 1, "'A': no access to 'E:\\A.vhdx' (0x80070005)"),
        _event(VMMS, 1, "'A': no access to 'E:\\A.xml' (0x80070005)", level=4),
    ),
    "HVB709": (_event(VMMS, 2, "in use (0x80070020)"), _event("Other", 2, "in use (0x80070020)")),
    "HVB710": (
        _event(VMMS, 3, "Could not create backup checkpoint for virtual machine 'A'"),
        _event(VMMS, 3, "Created backup checkpoint for virtual machine 'A'", level=4),
    ),
    "HVB711": (
        _event(
            "Microsoft-Windows-Hyper-V-VMMS", 4, "The number of volumes reverted does not match"
        ),
        _event("Microsoft-Windows-Hyper-V-VMMS", 4, "The number of volumes matches", level=4),
    ),
}


#: Published messages whose event id was not published (the id here is made up: 0).
_PUBLISHED_WITHOUT_ID = {
    # KB3175561, as an archive copy of it quotes the message.
    "HVB752": "VM01 could not initiate a checkpoint operation: The file exists. (0x80070050).",
    # Azure Site Recovery's troubleshooting page, Hyper-V-VMMS Admin log.
    "HVB753": "Hyper-V failed to generate VSS snapshot set for virtual machine: More data is "
    "available. (0x800700EA).",
    "HVB754": "Hyper-V Volume Shadow Copy Requestor failed to connect to virtual machine "
    "<./VMname> because the version does not match the version expected by Hyper-V",
}


def _field_cases() -> dict[str, tuple[Event | VssWriter, Event | VssWriter]]:
    """Return a published event for each signature grown from the corpus, and a near miss of it.

    The near miss is the same event with another id and no message: what the
    signature recognises is gone from it.
    """
    from tests.diagnose.corpus import EXPECTED, corpus_diagnosis

    cases: dict[str, tuple[Event | VssWriter, Event | VssWriter]] = {}
    for key, (rule_id, _) in sorted(EXPECTED.items()):
        if rule_id is None or rule_id in cases or rule_id < "HVB712":
            continue
        event = corpus_diagnosis(key).findings[0].event
        assert event is not None
        cases[rule_id] = (event, attrs.evolve(event, event_id=64999, message=None, data=()))
    for rule_id, message in _PUBLISHED_WITHOUT_ID.items():
        hit = _event(VMMS, 0, message)
        cases[rule_id] = (hit, _event(VMMS, 0, "The checkpoint operation completed."))
    # A 12293 inside a guest is HVB707's.
    cases["HVB734"] = (cases["HVB734"][0], CASES["HVB707"][0])
    return cases


CASES.update(_field_cases())

#: The inventory the cases run with, whose VMs make an event's place a guest.
_INVENTORY = hb.load_example("cluster-2022")


def _run(record: Event | VssWriter) -> Diagnosis:
    if isinstance(record, VssWriter):
        return diagnose([], [record])
    return diagnose([record], inventory=_INVENTORY)


def test_every_signature_has_a_case() -> None:
    assert sorted(CASES) == sorted(s.rule.id for s in SIGNATURES)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_the_signature_fires_on_its_record(rule_id: str) -> None:
    hit, _ = CASES[rule_id]
    (found,) = _run(hit).findings
    assert found.rule.id == rule_id
    assert found.recognised
    assert found.severity is RULES[rule_id].severity


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_the_signature_does_not_fire_on_a_near_miss(rule_id: str) -> None:
    _, miss = CASES[rule_id]
    assert all(f.rule.id != rule_id for f in _run(miss).findings)


def test_an_unknown_warning_in_a_backup_log_is_listed_not_dropped() -> None:
    warning = _event(VMMS, 99, "odd", level=3)
    critical = _event("VSS", 99, None, level=1, data=(("1", "x"),), minutes=1)
    (first, second) = diagnose([warning, critical]).findings
    assert (first.rule.id, first.severity.value) == ("HVB700", "warning")
    assert (second.rule.id, second.severity.value) == ("HVB700", "error")
    assert not first.recognised
    assert "1=x" in second.message
    assert diagnose([_event(VMMS, 99, "fine", level=4)]).findings == ()
    assert diagnose([_event("Microsoft-Windows-Security-SPP", 99, "x", level=2)]).findings == ()
    assert (
        diagnose([], [_writer(1, "No error"), _writer(15, "whatever", OTHER)]).findings[0].rule.id
        == "HVB705"
    )


def test_a_failed_writer_no_signature_knows_is_listed() -> None:
    import attrs

    from hyperv_backup.diagnose import diagnosis as module

    only_events = tuple(s for s in SIGNATURES if not s.writers)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "SIGNATURES", only_events)
        (found,) = diagnose([], [_writer(8, "x")]).findings
        assert found.rule.id == "HVB700"
        assert diagnose([], [_writer(5, "x")]).findings == ()
    assert attrs.has(type(found))


def test_backup_logs_are_hyper_v_vss_and_backup() -> None:
    assert is_backup_log(_event("Microsoft-Windows-Hyper-V-Worker", 1))
    assert is_backup_log(_event("vss", 1))
    assert is_backup_log(_event("Custom", 1, channel="Microsoft-Windows-Hyper-V-VMMS-Admin"))
    assert not is_backup_log(_event("Custom", 1, channel="Application"))


def test_the_night_of_the_2022_example_is_explained_by_its_inventory() -> None:
    inventory = hb.load_example("cluster-2022")
    log = event_xml(NIGHT.read_text())
    writers = vssadmin_writers(WRITERS.read_text())
    result = diagnose(log, writers, inventory, datetime(2026, 12, 5, tzinfo=UTC))
    assert (result.events, result.considered, result.writers) == (7, 6, len(writers))
    groups = result.by_vm()
    assert list(groups) == ["APP01", "GC-B1", "LNX02", None]
    assert [f.rule.id for f in groups["APP01"]] == ["HVB710"]
    assert [c.rule.id for c in groups["APP01"][0].explained_by] == ["HVB603"]
    assert [c.rule.id for c in groups["GC-B1"][0].explained_by] == ["HVB611"]
    assert [f.rule.id for f in groups[None]] == ["HVB706", "HVB700", "HVB703"]
    assert groups[None][-1].time is None  # the writers' state comes last
    assert {f.rule.id for f in result.findings} == {
        "HVB700",
        "HVB703",
        "HVB706",
        "HVB708",
        "HVB710",
    }
    assert result.summary == {"error": 5, "warning": 1, "info": 0, "not_recognised": 1}
    times = [f.time for f in result.findings if f.time is not None]
    assert times == sorted(times)


def test_without_the_inventory_vms_are_named_from_the_event() -> None:
    result = diagnose(event_xml(NIGHT.read_text()))
    assert "SQL01" in result.by_vm()  # no since: the old event counts
    assert all(not f.explained_by for f in result.findings)
    quoted = _event(VMMS, 3, "Could not create backup checkpoint for virtual machine 'Q1'")
    assert diagnose([quoted]).findings[0].vm == "Q1"
    assert diagnose([_event("VSS", 8229, "writer 'Q1'")]).findings[0].vm is None


def test_a_vm_named_by_parameter0_and_its_id_in_parameter1_is_found() -> None:
    """Live-migration events of VMMS put the VM's name and id in Parameter0 and Parameter1."""
    data = (("Parameter0", "WEB01"), ("Parameter1", "CED1E225-C677-55DA-9C43-4CA5BC3434E2"))
    event = _event(VMMS, 3, "Could not create backup checkpoint", data=data)
    assert diagnose([event]).findings[0].vm == "WEB01"
    renamed = _event(
        VMMS, 3, "Could not create backup checkpoint", data=(("Parameter0", "old name"), data[1])
    )
    assert diagnose([renamed], inventory=hb.load_example("cluster-2022")).findings[0].vm == "WEB01"
    not_a_vm = _event(
        VMMS,
        3,
        "Could not create backup checkpoint",
        data=(("Parameter0", "x"), ("Parameter1", "12")),
    )
    assert diagnose([not_a_vm]).findings[0].vm is None


def test_with_the_inventory_a_vm_is_found_by_its_id_or_a_value() -> None:
    inventory = hb.load_example("cluster-2022")
    by_id = _event(
        VMMS,
        3,
        "Could not create backup checkpoint (Virtual machine ID "
        "E295A926-7CE8-50DC-9B0F-25187087C2D3)",
    )
    assert diagnose([by_id], inventory=inventory).findings[0].vm == "APP01"
    by_value = _event("VSS", 8229, None, data=(("1", "GC-B1"),))
    assert diagnose([by_value], inventory=inventory).findings[0].vm == "GC-B1"
    nobody = _event(VMMS, 3, "Could not create backup checkpoint for virtual machine 'X'")
    assert diagnose([nobody], inventory=inventory).findings[0].vm is None


def test_a_forced_profile_limits_the_signatures() -> None:
    from hyperv_backup.diagnose import diagnosis as module
    from hyperv_backup.rules import Profile, Signature

    only_2016 = tuple(
        Signature(
            rule=attrs.evolve(s.rule, profiles=frozenset({Profile.WS2016})),
            events=s.events,
            writers=s.writers,
        )
        for s in SIGNATURES
    )
    hit = CASES["HVB706"][0]
    assert isinstance(hit, Event)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "SIGNATURES", only_2016)
        assert diagnose([hit], profile="2016").findings[0].rule.id == "HVB706"
        assert diagnose([hit], profile="2008").findings[0].rule.id == "HVB700"


def test_skipped_records_are_counted_and_since_must_be_aware() -> None:
    hit = CASES["HVB706"][0]
    assert isinstance(hit, Event)
    log = EventLog((hit,), skipped=2)
    assert diagnose(log).skipped == 2
    with pytest.raises(ValueError, match="aware"):
        diagnose([], since=datetime(2026, 1, 1))


def test_an_event_match_without_ids_needs_a_pattern() -> None:
    with pytest.raises(ValueError, match="needs a pattern"):
        EventMatch(providers=("VSS",), event_ids=())
    with pytest.raises(Exception):  # noqa: B017, PT011 - re.error
        EventMatch(providers=("VSS",), event_ids=(1,), pattern="(")


def test_every_format_renders_the_diagnosis() -> None:
    inventory = hb.load_example("cluster-2022")
    result = diagnose(
        event_xml(NIGHT.read_text()), vssadmin_writers(WRITERS.read_text()), inventory
    )
    text = render_diagnosis(result)
    assert "VM APP01" in text
    assert "Explained by HVB603" in text
    assert "What to do" in text
    markdown = render_diagnosis(result, Format.MARKDOWN)
    assert "## VM GC-B1" in markdown
    assert "`HVB710`" in markdown
    html = render_diagnosis(result, Format.HTML)
    assert html.startswith('<div class="hvb">')
    assert "sev-error" in html
    document = to_dict(result)
    assert document["read"]["events"] == 7
    first = document["findings"][0]
    assert first["event"]["data"][0] == {"name": "VmName", "value": "SQL01"}
    assert document["findings"][-1]["writer"]["state"] == 8
    assert (
        "HVB700"
        not in render_diagnosis(result, ignore=frozenset({"HVB700"})).split("What to do")[0]
    )
    empty = render_diagnosis(diagnose([]), Format.MARKDOWN) + render_diagnosis(
        diagnose([]), Format.HTML
    )
    assert empty.count("Nothing in the logs") == 2
    assert "Nothing in the logs" in render_diagnosis(diagnose([]))
    skipped = render_diagnosis(diagnose(EventLog((), skipped=3), since=T0))
    assert "3 records skipped" in skipped
    assert "0 since" in skipped
