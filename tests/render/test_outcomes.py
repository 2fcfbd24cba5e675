"""Outcome first: every report leads with what the backups will be, in one palette, and reads whole."""

from __future__ import annotations

import itertools
import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import attrs
import pytest

import hyperv_backup as hb
from hyperv_backup.decide.results import Consistency
from hyperv_backup.render import (
    Format,
    Frame,
    render_findings,
    render_fleet,
    render_plan,
    render_steps,
)
from hyperv_backup.render._common import (
    gate_note,
    hoisted_reasons,
    report_line,
    vm_lines,
)
from hyperv_backup.render._palette import PALETTE, WORST_FIRST, at_risk, look
from hyperv_backup.render.html import STYLE_SHEET
from hyperv_backup.render.reports import (
    collected_at,
    collection_times,
    fleet_rows,
    inventory_report,
)
from hyperv_backup.render.text import SCREEN, words
from hyperv_backup.rules import Severity
from tests.cli._shared_cli import validate

ANSI = re.compile(r"\x1b\[([0-9;]*)m")


def _plan(name: str = "cluster-2022") -> hb.Plan:
    return hb.backup_plan(hb.load_example(name))


# --- the palette -------------------------------------------------------------------------


def test_the_palette_colours_by_outcome_not_by_mode() -> None:
    """Fails and not backed up red, crash-consistent and saved amber, the consistent copies green."""
    tones = {c: look(c).tone for c in Consistency}
    assert tones == {
        Consistency.NOT_APPLICATION_CONSISTENT: "amber",
        Consistency.FAILS: "red",
        Consistency.NOT_BACKED_UP: "red",
        Consistency.SAVED_STATE: "amber",
        Consistency.CRASH_CONSISTENT: "amber",
        Consistency.FILE_SYSTEM_CONSISTENT: "green",
        Consistency.APPLICATION_CONSISTENT: "green",
        Consistency.NOT_RUNNING: "neutral",
    }
    assert [c for c in WORST_FIRST if at_risk(c)] == [
        Consistency.FAILS,
        Consistency.NOT_BACKED_UP,
        Consistency.NOT_APPLICATION_CONSISTENT,
        Consistency.SAVED_STATE,
        Consistency.CRASH_CONSISTENT,
    ]
    # One class per outcome in the style sheet, the same colours for one tone.
    for consistency, shown in PALETTE.items():
        assert f".hvb .{shown.css}{{" in STYLE_SHEET, consistency


def test_text_paints_each_outcome_in_its_tone_whatever_its_mode() -> None:
    """crash-consistent is amber on every VM (LNX02, DC02 and REPL01 alike), fails red."""
    out = render_plan(_plan(), color=True)
    table = out[out.index("Virtual machines") : out.index("Findings\x1b[0m\n")]
    painted = {
        text.strip(): code
        for code, text in re.findall(r"\x1b\[([0-9;]*)m([^\x1b]*)\x1b\[0m", table)
    }
    assert painted["crash-consistent"] == look(Consistency.CRASH_CONSISTENT).sgr == "33"
    assert painted["fails"] == look(Consistency.FAILS).sgr == "1;31"
    assert painted["application-consistent"] == "32"
    codes_by_vm = {}
    for line in table.splitlines():
        plain = ANSI.sub("", line)
        if plain[:1].isupper() and " " in plain:
            codes_by_vm[plain.split()[0]] = ANSI.findall(line)
    assert codes_by_vm["LNX02"] == codes_by_vm["DC02"] == codes_by_vm["REPL01"] == ["33", "0"]


def test_markdown_and_html_show_the_same_palette() -> None:
    plan = _plan()
    markdown = render_plan(plan, Format.MARKDOWN)
    html = render_plan(plan, Format.HTML)
    for consistency in (Consistency.FAILS, Consistency.CRASH_CONSISTENT):
        shown = look(consistency)
        assert f"{shown.badge} **{shown.label}**" in markdown
        assert f'class="name {shown.css}"' in html
    assert f"{look(Consistency.APPLICATION_CONSISTENT).badge} application-consistent" in markdown


# --- outcome first -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [Format.TEXT, Format.MARKDOWN, Format.HTML])
def test_each_format_leads_with_the_backups_then_the_vms_then_the_findings(fmt: Format) -> None:
    out = render_plan(_plan(), fmt)
    first = {
        Format.TEXT: "Backups: 6 fail, 1 not backed up, 6 crash-consistent",
        Format.MARKDOWN: "**Backups:** \N{LARGE RED CIRCLE} **fails** 6",
        Format.HTML: "<strong>6</strong>fails",
    }[fmt]
    order = [first, "13 at risk", "Virtual machines, worst first", "Findings", "Steps"]
    places = [out.index(marker) for marker in order]
    assert places == sorted(places)
    assert "online" not in out[: out.index("Virtual machines")]


def test_the_vms_come_worst_first_in_plan_order_within_an_outcome() -> None:
    plan = _plan()
    lines = vm_lines(plan)
    ranks = [line.consistency.rank for line in lines]
    assert ranks == sorted(ranks)
    fails = [line.vm for line in lines if line.consistency is Consistency.FAILS]
    assert fails == [name for name in plan.decisions if name in fails]


def test_an_info_finding_of_most_vms_is_said_once_where_it_holds() -> None:
    """HVB616 holds for 17 of the 18 VMs of the CSV cluster: one line, on no row."""
    plan = _plan()
    [once] = hoisted_reasons(plan)
    assert once.rule.id == "HVB616"
    assert once.where == "17 of the 18 VMs (all but ARCHIVE01)"
    assert all("HVB616" not in (r.rule.id for r in line.reasons) for line in vm_lines(plan, [once]))
    text = render_plan(plan)
    before_steps = text[: text.index("\nSteps\n")]
    assert before_steps.count("HVB616") == 2  # the line under the table, its one row of findings
    table = text[text.index("Virtual machines") : text.index("\nFindings\n")]
    assert max(len(row) for row in table.splitlines()[4:20]) <= 80
    markdown = render_plan(plan, Format.MARKDOWN)
    assert markdown.count("[`HVB616`](docs/rules.md#hvb616) VM on a Cluster Shared Volume") == 2
    html = render_plan(plan, Format.HTML)
    assert html.count("<code>HVB616</code></a> VM on a Cluster Shared Volume") == 1
    assert html.count("<code>HVB616</code></a><br>VM on a Cluster Shared Volume") == 1


def test_every_vm_of_one_host_is_said_as_that_host() -> None:
    host = hb.Host(
        name="HV01",
        os=hb.HostOS.WINDOWS_SERVER_2008_R2,
        vms=[hb.VM(name=f"V{i}", state=hb.VMState.OFF) for i in range(4)],
    )
    [once] = hoisted_reasons(hb.backup_plan(host))
    assert (once.rule.id, once.where) == ("HVB307", "every VM (4)")


def test_a_few_vms_keep_their_info_on_their_rows() -> None:
    """HVB307 holds for 3 of the 9 VMs of the 2008 cluster: not most, so it stays on each row."""
    assert hoisted_reasons(_plan("cluster")) == []


def test_a_2008_plan_reads_as_outcomes() -> None:
    """Online is application-consistent, a running VM taken offline is saved, any other not running."""
    plan = _plan("cluster")
    assert not plan.outcomes
    shown = {line.vm: line.consistency for line in vm_lines(plan)}
    assert shown["SQL01"] is Consistency.APPLICATION_CONSISTENT
    assert shown["FS01"] is Consistency.SAVED_STATE
    assert shown["WEB02"] is Consistency.NOT_RUNNING
    document = json.loads(render_plan(plan, Format.JSON))
    assert document["summary"]["outcomes"] == {
        "saved_state": 6,
        "application_consistent": 1,
        "not_running": 2,
    }
    assert document["summary"]["at_risk"] == 6
    assert "consistency" not in document["summary"]


def test_the_gate_is_said_as_what_it_is() -> None:
    assert gate_note(None) == "Exit status: does not gate (--fail-on never)"
    assert gate_note(Severity.WARNING) == "Exit status: gates on warnings and errors"
    assert gate_note(Severity.INFO) == "Exit status: gates on any finding"


def test_the_fleet_says_each_inputs_worst_outcome_and_vms_at_risk() -> None:
    reports = [
        inventory_report(f"{name}.json", "plan", hb.load_example(name))
        for name in ("cluster", "cluster-2022")
    ]
    rows = fleet_rows(reports, gated=False)
    assert [(r["input"], r["worst outcome"], r["at risk"]) for r in rows] == [
        ("cluster.json", "saved with downtime", "6"),
        ("cluster-2022.json", "fails", "13"),
        ("total", "fails", "19"),
    ]
    assert "exit" not in rows[0]
    assert fleet_rows(reports)[1]["exit"] == "passes"
    document = json.loads(render_fleet(reports, Format.JSON, meta={"command": "plan"}))
    assert [i["worst_outcome"] for i in document["inventories"]] == ["saved_state", "fails"]
    assert [i["at_risk"] for i in document["inventories"]] == [6, 13]
    assert document["fleet"]["at_risk"] == 19
    markdown = render_fleet(reports, Format.MARKDOWN, fails_at=None)
    assert (
        "| cluster-2022.json | cluster HVCLUSTER22 | 18 | \N{LARGE RED CIRCLE} fails | 13 |"
        in markdown
    )
    text = render_fleet(reports, fails_at=None)
    assert text.splitlines()[2].startswith(
        "Backups: 6 fail, 1 not backed up, 6 saved with downtime"
    )


# --- words are never split -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        (
            r"under HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Application Support\{6684}, set",
            r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Application Support\{6684},",
        ),
        ("to virtual network 'Branch LAN'.", "'Branch LAN'."),
        ("the file site-a/cluster-2008r2.json is read", "site-a/cluster-2008r2.json"),
        ("VM's files", "VM's"),
    ],
)
def test_words_keep_keys_names_and_paths_whole(text: str, whole: str) -> None:
    assert whole in words(text)


def test_the_registry_key_of_hvb102_is_on_one_line() -> None:
    out = render_findings(hb.check(hb.load_example("cluster")), width=80)
    key = (
        r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\WindowsServerBackup\Application Support"
    )
    assert any(key in line for line in out.splitlines())


@pytest.mark.parametrize("width", [60, 80])
def test_no_word_of_any_report_is_split(width: int) -> None:
    """Every word of the unwrapped report is on one line of the wrapped one."""
    plan = _plan()
    wide = render_plan(plan, width=10_000)
    narrow = render_plan(plan, width=width)
    rules = re.compile("[-=]+")  # a table's or heading's rule is as long as the width lets it
    kept = {w for w in words(narrow) if not rules.fullmatch(w)}
    assert {w for w in words(wide) if not rules.fullmatch(w)} == kept


# --- the one-screen view ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["cluster", "cluster-2022", "host", "host-2012"])
def test_the_summary_fits_one_80_by_24_screen(name: str) -> None:
    target = hb.load_example(name)
    for out in (
        render_plan(hb.backup_plan(target), summary=True, notes=[gate_note(None)]),
        render_findings(hb.check(target), summary=True, notes=[gate_note(Severity.ERROR)]),
    ):
        lines = out.splitlines()
        assert len(lines) <= SCREEN
        assert max(len(line) for line in lines) <= 80
    plan = render_plan(hb.backup_plan(target), summary=True)
    assert "Backups: " in plan
    assert "Steps" not in plan


def test_the_summary_names_what_it_leaves_out() -> None:
    out = render_plan(_plan(), summary=True, notes=["a", "b", "c"])
    assert re.search(r"\.\.\. and [0-9]+ more; the full report lists them all\.", out)
    assert "LNX03" in out
    assert "SQL01" not in out  # not at risk


def test_the_summary_of_many_inputs_fits_one_screen() -> None:
    reports = [
        inventory_report(f"site/{i:02d}-{name}.json", "plan", hb.load_example(name))
        for i in range(10)
        for name in ("cluster", "cluster-2022")
    ]
    out = render_fleet(reports, summary=True, fails_at=None)
    lines = out.splitlines()
    assert len(lines) <= SCREEN
    assert "more inputs; the full report lists them." in out
    assert "Input: " not in out
    first = next(i for i, line in enumerate(lines) if line.startswith("input "))
    assert "fails" in lines[first + 2]  # worst first


def test_a_plan_with_no_vm_at_risk_says_so() -> None:
    host = hb.Host(
        name="H", os=hb.HostOS.WINDOWS_SERVER_2022, vms=[hb.VM(name="V", state=hb.VMState.OFF)]
    )
    assert "No VM is at risk." in render_plan(hb.backup_plan(host), summary=True)
    assert "No findings." in render_findings([], summary=True)


# --- a report to forward ------------------------------------------------------------------------


MADE = datetime(2026, 12, 6, 7, 30, tzinfo=UTC)
WHEN = {"HVCLUSTER22": datetime(2026, 12, 5, 22, 0, tzinfo=UTC), "HV22-NODE3": None}


@pytest.mark.parametrize("fmt", [Format.TEXT, Format.MARKDOWN, Format.HTML])
def test_a_report_says_when_from_what_and_by_what_it_was_made(fmt: Format) -> None:
    out = render_plan(
        _plan(), fmt, made_at=MADE, inputs=["site-b/cluster-2022.json"], collected_at=WHEN
    )
    assert f"Made by hyperv-backup {hb.__version__} on 2026-12-06 07:30Z" in out
    assert "Read from: site-b/cluster-2022.json" in out
    assert "Collected: HVCLUSTER22 2026-12-05 22:00Z, HV22-NODE3 at an unknown time" in out
    # A plan tells its profiles, the 2008 profile's too; a frame that names them says those.
    assert "Profile: Windows Server 2016 and later" in out
    assert "Profile: Windows Server 2008 and 2008 R2" in render_plan(
        _plan("cluster"), fmt, made_at=MADE
    )
    assert "Profiles: A, B" in render_plan(_plan(), fmt, made_at=MADE, profiles=["A", "B"])
    # Said once: the line of when and from what replaces the note of the later profiles.
    assert "Answered by the profile of" not in out
    assert "Answered by the profile of Windows Server 2016 and later" in render_plan(_plan(), fmt)


def test_a_report_given_nothing_to_say_of_itself_is_the_same_every_time() -> None:
    plan = _plan()
    assert "Made by" not in render_plan(plan)
    assert "report" not in json.loads(render_plan(plan, Format.JSON))
    assert report_line(Frame(title="t")) == []


def test_the_json_report_key_is_additive_and_valid() -> None:
    out = render_plan(
        _plan(),
        Format.JSON,
        meta={
            "command": "plan",
            "inventory": {"kind": "cluster", "name": "HVCLUSTER22"},
            "node": None,
        },
        made_at=MADE,
        inputs=["a.json"],
        collected_at=WHEN,
        profiles=["Windows Server 2016 and later"],
    )
    document = json.loads(out)
    assert list(document)[:4] == ["schema_version", "command", "inventory", "node"]
    assert document["report"] == {
        "made_at": "2026-12-06T07:30:00Z",
        "tool": {"name": "hyperv-backup", "version": hb.__version__},
        "inputs": ["a.json"],
        "collected_at": {"HVCLUSTER22": "2026-12-05T22:00:00Z", "HV22-NODE3": None},
        "profiles": ["Windows Server 2016 and later"],
    }
    document["policy"] = {"fail_on": "never", "ignore": []}
    document["failed"] = False
    validate("plan", json.dumps(document))


def test_a_time_without_a_zone_is_shown_as_given() -> None:
    frame = Frame(title="t", made_at=datetime(2026, 1, 2, 3, 4))
    assert report_line(frame) == [f"Made by hyperv-backup {hb.__version__} on 2026-01-02 03:04"]


def test_the_collection_time_of_an_inventory_is_that_of_its_oldest_facts() -> None:
    first = hb.Host(name="N1", os=hb.HostOS.WINDOWS_SERVER_2022)
    second = hb.Host(name="N2", os=hb.HostOS.WINDOWS_SERVER_2022)
    cluster = hb.Cluster(name="C", nodes=[first, second])
    assert collected_at(cluster) is None
    assert collection_times(cluster) == {}
    later = attrs.evolve(first, collected_at=MADE)
    older = attrs.evolve(second, collected_at=datetime(2026, 1, 1, tzinfo=UTC))
    cluster = attrs.evolve(cluster, nodes=[later, older])
    assert collection_times(cluster) == {"N1": MADE, "N2": datetime(2026, 1, 1, tzinfo=UTC)}
    assert collected_at(cluster) == datetime(2026, 1, 1, tzinfo=UTC)


def test_each_node_that_says_when_it_was_collected_is_listed() -> None:
    cluster = hb.Cluster(
        name="C",
        nodes=[
            hb.Host(name="N1", os=hb.HostOS.WINDOWS_SERVER_2022, collected_at=MADE),
            hb.Host(name="N2", os=hb.HostOS.WINDOWS_SERVER_2022),
        ],
    )
    assert collection_times(cluster) == {"N1": MADE}


# --- HTML that reads right ----------------------------------------------------------------------


class Headings(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.levels: list[int] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch("h[1-6]", tag):
            self.levels.append(int(tag[1]))


def _valid_order(levels: list[int]) -> bool:
    """Whether headings start at h1 and never skip a level going down."""
    return levels[:1] == [1] and all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_the_fleet_page_keeps_its_headings_in_order() -> None:
    """Each input's report sits two levels down, under its input's h2: no h1 inside an h2."""
    reports = [
        inventory_report(
            "cluster.json",
            "plan",
            target := hb.load_example("cluster"),
            detail=render_plan(hb.backup_plan(target), Format.HTML),
        )
    ]
    html = render_fleet(reports, Format.HTML)
    levels = Headings(html).levels
    assert levels.count(1) == 1
    assert _valid_order(levels)
    assert "<h3>Backup plan</h3>" in html


def test_the_subject_of_a_finding_names_its_vm() -> None:
    findings = hb.check(hb.load_example("cluster-2022"))
    html = render_findings(findings, Format.HTML)
    assert 'Data <span class="meta">(VM LNX03)</span>' in html
    assert "Data (VM LNX03)" in render_findings(findings, Format.MARKDOWN)


def test_a_quoted_name_is_kept_on_one_line_in_html() -> None:
    target = hb.load_example("cluster-2022")
    assert isinstance(target, hb.Cluster)
    steps = hb.restore_steps(target.nodes[0].vms[0], target.nodes[0])
    html = render_findings(hb.check(target), Format.HTML) + render_steps(steps, Format.HTML)
    assert '<span class="name">&#x27;HV22-NODE1&#x27;</span>' in html
    assert ".hvb td.name,.hvb span.name{white-space:nowrap}" in STYLE_SHEET


def test_every_cell_names_its_column_for_narrow_screens() -> None:
    html = render_plan(_plan(), Format.HTML)
    assert '<td class="name" data-label="VM">LNX03</td>' in html
    assert "@media (max-width:640px)" in STYLE_SHEET
    assert "@media print" in STYLE_SHEET


def test_notebook_tables_are_aligned_left_over_the_notebooks_own_style() -> None:
    """Jupyter aligns cells right with one class and an element; ours has a class and three."""
    assert "div.hvb table th,div.hvb table td{" in STYLE_SHEET
    rule = STYLE_SHEET[STYLE_SHEET.index("div.hvb table th") :]
    assert "text-align:left" in rule[: rule.index("}")]


def test_a_report_of_many_inputs_says_when_each_inventory_was_collected() -> None:
    """Each inventory read brings its own time; the frame's come first; none is said unasked."""
    host = hb.Host(name="HV01", os=hb.HostOS.WINDOWS_SERVER_2022, collected_at=MADE)
    reports = [
        inventory_report("a.json", "plan", host),
        inventory_report("b.json", "plan", hb.load_example("cluster-2022")),
    ]
    assert reports[0].collected_at == MADE
    assert reports[0].summary().collected_at == MADE  # travels with a share
    out = render_fleet(reports, made_at=MADE, inputs=["a.json", "b.json"])
    assert "Collected: HV01 2026-12-06 07:30Z, HVCLUSTER22 2026-12-06 03:00Z" in out
    document = json.loads(
        render_fleet(reports, Format.JSON, made_at=MADE, collected_at={"HV01": None})
    )
    assert document["report"]["collected_at"] == {
        "HV01": None,
        "HVCLUSTER22": "2026-12-06T03:00:00Z",
    }
    for fmt in (Format.TEXT, Format.MARKDOWN, Format.HTML):
        assert "Collected:" not in render_fleet(reports, fmt)


def test_a_backup_that_fails_is_worse_than_a_copy_taken_without_hyperv() -> None:
    """Reports sort a failing backup first, then one that holds nothing, then a copy outside Hyper-V."""
    from hyperv_backup.render._palette import WORST_FIRST, worst

    assert sorted(WORST_FIRST) == sorted(hb.Consistency)
    c = hb.Consistency
    assert worst([c.NOT_APPLICATION_CONSISTENT, c.FAILS]) is c.FAILS
    assert worst([c.NOT_APPLICATION_CONSISTENT, c.NOT_BACKED_UP]) is c.NOT_BACKED_UP
    assert worst([c.NOT_APPLICATION_CONSISTENT, c.SAVED_STATE]) is c.NOT_APPLICATION_CONSISTENT
    assert WORST_FIRST[0] is c.FAILS
    assert WORST_FIRST[-1] is c.NOT_RUNNING
