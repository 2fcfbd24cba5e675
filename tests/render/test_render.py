"""The renderers shared by the command line and notebook display hooks."""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

import hyperv_backup as hb
from hyperv_backup.render import (
    SCHEMA_VERSION,
    Format,
    clean_text,
    decision_rows,
    escape_html,
    escape_markdown,
    html_page,
    html_table,
    markdown_table,
    render_findings,
    render_plan,
    render_rules,
    render_steps,
    severity_counts,
)
from hyperv_backup.render.json import PLAN_SCHEMA_VERSION
from hyperv_backup.render.links import source_text
from hyperv_backup.render.safe import _stripped, strip_controls
from hyperv_backup.render.text import fill, words

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def cluster() -> hb.Cluster:
    target = hb.load_example("cluster")
    assert isinstance(target, hb.Cluster)
    return target


class Balance(HTMLParser):
    """Records tags that do not close in order."""

    VOID = frozenset({"meta", "br", "hr", "img", "input", "link", "wbr"})

    def __init__(self, text: str) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: set[str] = set()
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)

    @property
    def balanced(self) -> bool:
        return not self.errors and not self.stack


# --- making strings safe -------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("SQL01", "SQL01"),
        ("a\x1b[2Jb", "ab"),
        ("a\x1b[1;31mred\x1b[0m", "ared"),
        ("title\x1b]0;pwned\x07!", "title!"),
        ("tab\there", "tab here"),
        ("line\nbreak\r\n", "line break  "),
        ("bell\x07 nul\x00 del\x7f c1\x9b", "bell nul del c1"),
        ("bidi\u202eevil\u2066", "bidievil"),
        ("Zo\u00eb \u6f22", "Zo\u00eb \u6f22"),
    ],
)
def test_clean_text_removes_controls(raw: str, clean: str) -> None:
    """Text output carries no control characters or escape sequences from the inventory."""
    assert clean_text(raw) == clean


def test_printable_characters_are_kept() -> None:
    """Every character str.isprintable accepts is kept as it is: text that passes it needs no cleaning."""
    changed = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if chr(code).isprintable() and _stripped(chr(code), keep_newlines=False) != chr(code)
    ]
    assert changed == []


@given(st.text())
def test_strip_controls_quick_path_agrees(value: str) -> None:
    """Text is cleaned the same whether or not it goes character by character."""
    for keep in (False, True):
        assert strip_controls(value, keep_newlines=keep) == _stripped(value, keep_newlines=keep)


#: The spans kept whole, as first written: a look back before the first character.
_PLAIN_WHOLE = re.compile(
    r"\bHK(?:LM|CU|CR|U|CC|EY_[A-Z_]+)\\(?:[^\\\s,;']+(?: [^\\\s,;']+){0,3}\\)*[^\s\\,;']+"
    r"|(?<![\w'])'[^'\n]{1,200}'(?![\w'])"
)


@given(st.text(alphabet="HKLMCUEY_\\ ',;.x1\n\t\0", max_size=60))
def test_words_keeps_the_spans_of_the_plain_pattern(text: str) -> None:
    """The spans kept whole are those of the pattern with its look back first, on any text."""
    glued = _PLAIN_WHOLE.sub(lambda m: m.group().replace(" ", "\0"), text)
    assert words(text) == [word.replace("\0", " ") for word in glued.split()]


def _filled_word_by_word(found: list[str], width: int, first: str, rest: str) -> list[str]:
    """Greedy filling as first written: each word joins the line if it fits, else starts one."""
    lines: list[str] = []
    line, empty = first, True
    for word in found:
        if empty:
            line += word
            empty = False
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = rest + word
    lines.append(line if not empty else first.rstrip())
    return lines


@given(
    st.lists(st.text(alphabet="ab ", min_size=1, max_size=12).map(str.strip).filter(bool)),
    st.integers(min_value=-2, max_value=40),
    st.sampled_from(["", "  - ", " 1. ", "Backups: "]),
    st.sampled_from(["", "    ", "  "]),
)
def test_fill_is_greedy(found: list[str], width: int, first: str, rest: str) -> None:
    """Lines are filled word by word, greedily, whether or not a word holds a space."""
    assert fill(found, width, first, rest) == _filled_word_by_word(found, width, first, rest)


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a|b", "a\\|b"),
        ("*bold*", "\\*bold\\*"),
        ("snake_case", "snake\\_case"),
        ("`code`", "\\`code\\`"),
        ("<script>", "&lt;script&gt;"),
        ("one\ntwo", "one<br>two"),
        ("C:\\VMs", "C:\\\\VMs"),
        ("[link](x)", "\\[link\\](x)"),
        ("~~gone~~", "\\~\\~gone\\~\\~"),
        ("&amp;", "&amp;amp;"),
        ("esc\x1b[2J", "esc"),
    ],
)
def test_escape_markdown(raw: str, escaped: str) -> None:
    """Markdown metacharacters, markup and newlines from the inventory are escaped."""
    assert escape_markdown(raw) == escaped


def test_escape_html() -> None:
    """HTML escaping is html.escape with quotes, after control characters are removed."""
    assert escape_html('<a href="x">\x1b[2J') == "&lt;a href=&quot;x&quot;&gt;"


# --- plain rows ----------------------------------------------------------------------


def test_decision_rows_of_a_plan() -> None:
    """One plain row per VM, with the host it is backed up on and the blocking rule IDs."""
    plan = hb.backup_plan(cluster())
    rows = decision_rows(plan)
    assert [row["vm"] for row in rows] == list(plan.decisions)
    assert rows[0] == {
        "vm": "SQL01",
        "host": "HV-NODE1",
        "mode": "online",
        "causes_downtime": False,
        "state_during_backup": "running",
        "state_after": "running",
        "reasons": "",
    }
    web01 = next(row for row in rows if row["vm"] == "WEB01")
    assert web01["reasons"] == "HVB306 HVB305"
    assert web01["host"] == "HV-NODE2"
    for row in rows:
        assert all(value is None or isinstance(value, str | bool) for value in row.values())


def test_decision_rows_repeat_each_rule_once() -> None:
    """Two volumes blocked by one rule give its ID once."""
    vm = hb.VM(
        name="FAT01",
        state=hb.VMState.RUNNING,
        disks=[
            hb.Disk(
                name="Data",
                attachment=hb.Attachment.VIRTUAL_HARD_DISK,
                volumes=[
                    hb.Volume(name="E:", file_system=hb.FileSystem.FAT32),
                    hb.Volume(name="F:", file_system=hb.FileSystem.FAT),
                ],
            )
        ],
    )
    assert decision_rows([hb.backup_mode(vm)])[0]["reasons"] == "HVB304"


def test_decision_rows_of_decisions_alone() -> None:
    """Without a plan, the host comes from the reasons, or is None."""
    plan = hb.backup_plan(cluster())
    from_mapping = decision_rows(plan.decisions)
    from_iterable = decision_rows(list(plan.decisions.values()))
    assert from_mapping == from_iterable
    by_vm = {row["vm"]: row for row in from_mapping}
    assert by_vm["SQL01"]["host"] is None  # online: no reason names the host
    assert by_vm["FS01"]["host"] == "HV-NODE1"
    assert decision_rows([hb.backup_mode(cluster().nodes[0].vms[1])])[0]["host"] is None


# --- generic tables ------------------------------------------------------------------


def test_markdown_table_of_model_objects() -> None:
    """A sequence of model objects gives one row each, fields as columns."""
    host = cluster().nodes[1]
    table = markdown_table(host.vms, columns=["name", "state", "disks", "cluster_group"])
    lines = table.splitlines()
    assert lines[0] == "| name | state | disks | cluster\\_group |"
    assert lines[1] == "| --- | --- | --- | --- |"
    assert lines[2] == "| WEB01 | running | System | SCVMM WEB01 Resources |"
    assert lines[-1] == "| LEGACY01 | running | System |  |"


def test_markdown_table_of_one_object() -> None:
    """One object gives a field/value table; nested values are summarised."""
    disk = cluster().nodes[0].vms[0].disks[1]
    table = markdown_table(disk)
    assert table.splitlines()[0] == "| field | value |"
    assert "| volumes | D:, L: |" in table
    assert "| path | C:\\\\ClusterStorage\\\\Volume1\\\\SQL01\\\\SQL01-data.vhd |" in table


def test_tables_of_results_and_mappings() -> None:
    """Results, mappings of results and plain mappings all tabulate."""
    plan = hb.backup_plan(cluster())
    decisions = markdown_table(plan.decisions)
    assert decisions.splitlines()[0].startswith("| vm | mode | reasons |")
    assert "| WEB01 | offline | HVB306 (C:), HVB305 (E:) | yes |" in decisions
    steps = markdown_table(plan.steps[:2], columns=["order", "action", "rules"])
    assert steps.splitlines()[2] == "| 1 | prerequisite | HVB102 |"
    assert "| HVB102 |" in markdown_table(list(hb.RULES.values())[:3], columns=["id"])
    assert markdown_table({"a": 1, "b": None}).splitlines()[2:] == ["| a | 1 |", "| b |  |"]
    assert markdown_table([{"x": 1}, {"y": frozenset({"b", "a"})}]).splitlines()[2:] == [
        "| 1 |  |",
        "|  | a, b |",
    ]
    assert markdown_table([1, 2]).splitlines()[2:] == ["| 1 |", "| 2 |"]
    assert markdown_table(3).splitlines()[2:] == ["| 3 |"]


def test_table_values_of_every_kind() -> None:
    """Every value type of the model renders as short plain text."""
    finding = hb.check(cluster())[0]
    backup = hb.Backup(
        vm="SQL01",
        node="HV-NODE1",
        level=hb.BackupLevel.GUEST,
        mode=hb.BackupMode.ONLINE,
        taken_at=datetime(2011, 3, 14, 9, 12, tzinfo=UTC),
        covers=("Data",),
    )
    table = markdown_table([{"finding": finding, "backup": backup, "flag": True}])
    row = table.splitlines()[2]
    assert "HVB102 (HV-NODE1)" in row
    assert "2011-03-14T09:12:00+00:00" in row
    assert "| yes |" in row
    plan = hb.backup_plan(cluster())
    # Not every value is a model object: a field/value table.
    summary = markdown_table({"plan": plan, "rule": hb.RULES["HVB101"], "count": 1})
    assert "| rule | HVB101 |" in summary
    assert "1. Register the Hyper-V VSS writer" in summary


def test_html_table_escapes() -> None:
    """html_table escapes every cell and header and closes every tag."""
    table = html_table([{"<th>": "<script>alert(1)</script>", "n": 2}])
    assert "<script>" not in table
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in table
    assert "&lt;th&gt;" in table
    assert Balance(table).balanced


def test_html_table_of_a_vm() -> None:
    """A model object renders as a field/value table."""
    vm = cluster().nodes[0].vms[0]
    table = html_table(vm)
    assert '<td data-label="field">name</td><td data-label="value">SQL01</td>' in table
    assert Balance(table).balanced


# --- the renderers -------------------------------------------------------------------


def test_severity_counts() -> None:
    """Counts by severity, every severity present, most severe first."""
    assert severity_counts([]) == {"error": 0, "warning": 0, "info": 0}
    counts = severity_counts(hb.check(cluster()))
    assert list(counts) == ["error", "warning", "info"]
    assert sum(counts.values()) == len(hb.check(cluster()))


@pytest.mark.parametrize("fmt", list(Format))
def test_every_renderer_in_every_format(fmt: Format) -> None:
    """Each renderer supports each format; HTML fragments are balanced; JSON is versioned."""
    target = cluster()
    plan = hb.backup_plan(target)
    vm = target.nodes[0].vms[2]
    outputs = [
        render_findings(hb.check(target), fmt),
        render_plan(plan, fmt),
        render_steps(hb.restore_steps(vm, target.nodes[0]), fmt),
        render_rules(hb.RULES.values(), fmt),
    ]
    for n, out in enumerate(outputs):
        assert out.endswith("\n")
        assert "\x1b" not in out
        match fmt:
            case Format.JSON:
                # The plan's document (the second) has a version of its own.
                version = PLAN_SCHEMA_VERSION if n == 1 else SCHEMA_VERSION
                assert json.loads(out)["schema_version"] == version
            case Format.HTML:
                assert out.startswith('<div class="hvb">')
                assert Balance(out).balanced
            case Format.MARKDOWN:
                assert out.startswith("# ")
            case Format.TEXT:
                assert fits(out, 80)


def test_meta_goes_into_json_after_the_version() -> None:
    """Meta keys follow schema_version in the JSON document."""
    out = render_rules([hb.RULES["HVB101"]], Format.JSON, meta={"command": "rules"})
    document = json.loads(out)
    assert list(document) == ["schema_version", "command", "rules"]
    assert document["rules"][0]["id"] == "HVB101"


def test_empty_results() -> None:
    """Nothing to show is said in words, in every format."""
    empty = hb.backup_plan(
        hb.Host(name="HV01", os=hb.HostOS.WINDOWS_SERVER_2008_R2, installed_updates=["KB982210"])
    )
    for fmt in (Format.TEXT, Format.MARKDOWN, Format.HTML):
        assert "No findings." in render_findings([], fmt)
        assert "No steps." in render_steps([], fmt)
        assert "No rules." in render_rules([], fmt)
        plan = render_plan(empty, fmt)
        assert "No virtual machines." in plan
        assert "No findings." in plan
    assert "No steps." in render_plan(empty, Format.TEXT)
    document = json.loads(render_plan(empty, Format.JSON))
    assert document["summary"]["vms"] == 0
    assert document["vms"] == []


def test_text_colour() -> None:
    """Colour is opt-in; with it, removing the escapes gives the plain text back."""
    plan = hb.backup_plan(cluster())
    plain = render_plan(plan)
    coloured = render_plan(plan, color=True)
    assert "\x1b[" in coloured
    assert ANSI.sub("", coloured) == plain
    findings = hb.check(cluster())
    assert ANSI.sub("", render_findings(findings, color=True)) == render_findings(findings)
    rules = list(hb.RULES.values())
    assert ANSI.sub("", render_rules(rules, color=True)) == render_rules(rules)


def fits(out: str, width: int) -> bool:
    """Whether every line of ``out`` fits ``width``, or holds one word that alone is longer.

    A word is what text is never wrapped inside: a registry key with its spaces is one.
    """
    return all(len(line) <= width or len(words(line)) == 1 for line in out.splitlines())


@pytest.mark.parametrize("width", [60, 80, 120])
def test_text_width(width: int) -> None:
    """Text wraps to the width it is given; a name longer than a line overflows it, whole."""
    name = "V" * 150
    vm = hb.VM(name=name, state=hb.VMState.RUNNING, integration_services=False)
    host = hb.Host(name="HV01", os=hb.HostOS.WINDOWS_SERVER_2008_R2, vms=[vm])
    for out in (
        render_plan(hb.backup_plan(host), width=width),
        render_findings(hb.check(host), width=width),
        render_steps(hb.restore_steps(vm, host), width=width),
    ):
        assert name in out
        assert set(re.findall("V{2,}", out)) == {name}  # never cut
        # A table that holds the name is wider, by its column as wide as the name, no more.
        assert max(len(line) for line in out.splitlines()) <= width + len(name)


def test_text_findings_are_grouped_by_rule() -> None:
    """Text findings: one heading per rule and severity, one bullet per finding."""
    out = render_findings(hb.check(cluster()))
    assert out.count("HVB308  Offline backup saves the running VM") == 1
    assert out.count("  - VM '") >= 6
    assert "  Remedy: Schedule the backup in a maintenance window" in out
    assert "error   HVB501" in out
    assert "warning HVB501" in out


def test_steps_show_where_and_rules() -> None:
    """Each step: its number and sentence, then what it is, where, and its rules."""
    target = cluster()
    steps = hb.restore_steps(target.nodes[0].vms[2], target.nodes[0])
    out = render_steps(steps, title="Restore")
    assert " 1. Have the backup media" not in out  # eight steps: no padding
    assert "1. Have the backup media" in out
    assert "guest restore in the guest of APP01; HVB403" in out
    assert "Rules cited" in out
    markdown = render_steps(steps, Format.MARKDOWN)
    assert "*(guest restore in the guest of APP01; HVB403)*" in markdown
    assert "## Rules cited" in markdown


def test_html_page_is_self_contained() -> None:
    """html_page: one HTML5 document, inline CSS, no scripts or external resources."""
    page = html_page("<Plan>", render_plan(hb.backup_plan(cluster()), Format.HTML))
    assert page.startswith("<!DOCTYPE html>\n")
    assert "<title>&lt;Plan&gt;</title>" in page
    parser = Balance(page)
    assert parser.balanced
    assert {"script", "link", "img"}.isdisjoint(parser.tags)
    assert "<style>" in page


def test_text_narrower_than_the_columns() -> None:
    """A width too small for every column still renders: columns stop at their floor."""
    out = render_plan(hb.backup_plan(cluster()), width=30)
    assert "SQL01" in out
    assert max(len(line) for line in out.splitlines()) > 30


def test_render_findings_puts_the_most_severe_first() -> None:
    """Findings given in any order are shown most severe first, as the docstring says."""
    import hyperv_backup as hb
    from hyperv_backup.render import Format, render_findings

    findings = list(reversed(hb.check(hb.load_example("cluster"))))
    rendered = json.loads(render_findings(findings, Format.JSON))
    severities = [f["severity"] for f in rendered["findings"]]
    order = {"error": 0, "warning": 1, "info": 2}
    assert severities == sorted(severities, key=order.__getitem__)
    assert severities[0] == "error"


# --- sources -------------------------------------------------------------------------------


class Links(HTMLParser):
    """Collects each link of a page: its address and its text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href") or ""
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text)))
            self._href = None


def _sources(rules: list[hb.Rule]) -> list[tuple[str, str]]:
    return [(r.source.page.url, source_text(r.source)) for r in rules]


def _rule_links(rules: list[hb.Rule]) -> list[tuple[str, str]]:
    return [(f"docs/rules.md#{r.id.lower()}", r.id) for r in rules]


def _split(links: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Return the links to the rules' entries and those to the pages they cite."""
    return [x for x in links if x[0].startswith("docs/")], [
        x for x in links if not x[0].startswith("docs/")
    ]


def test_html_links_each_rule_and_source() -> None:
    """Each rule ID links to its entry in docs/rules.md; each source to the public page it cites."""
    rules = list(hb.RULES.values())
    assert _split(Links(render_rules(rules, Format.HTML)).links) == (
        _rule_links(rules),
        _sources(rules),
    )
    findings = hb.check(cluster())
    shown = _split(Links(render_findings(findings, Format.HTML)).links)
    assert shown == (_rule_links([f.rule for f in findings]), _sources([f.rule for f in findings]))


def test_markdown_links_each_rule_and_source() -> None:
    """Read by a CommonMark reader with tables, rule IDs and sources are links, their text intact."""
    markdown_it = pytest.importorskip("markdown_it")
    reader = markdown_it.MarkdownIt("commonmark").enable("table")
    rules = list(hb.RULES.values())
    page = reader.render(render_rules(rules, Format.MARKDOWN))
    assert _split(Links(page).links) == (_rule_links(rules), _sources(rules))
    findings = hb.check(cluster())
    page = reader.render(render_findings(findings, Format.MARKDOWN))
    assert _split(Links(page).links) == (
        _rule_links([f.rule for f in findings]),
        _sources([f.rule for f in findings]),
    )


def test_the_rules_address_is_one_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    """HYPERV_BACKUP_DOCS_URL moves every rule link, in HTML and Markdown, and nothing else."""
    monkeypatch.setenv("HYPERV_BACKUP_DOCS_URL", "https://docs.example.org/hvb/")
    findings = hb.check(cluster())
    for fmt in (Format.HTML, Format.MARKDOWN):
        out = render_findings(findings, fmt)
        assert "https://docs.example.org/hvb/rules.md#hvb102" in out
        assert "docs/rules.md" not in out
    monkeypatch.setenv("HYPERV_BACKUP_DOCS_URL", " ")
    assert "(docs/rules.md#hvb102)" in render_findings(findings, Format.MARKDOWN)


def test_text_cites_each_source_with_its_public_address() -> None:
    """A source in text is its heading and page, then its address whole, never a repository path."""
    source = hb.RULES["HVB616"].source
    out = render_rules([hb.RULES["HVB616"]])
    assert f"Source: {source_text(source)}" in " ".join(out.split())
    assert f"<{source.page.url}>" in out.splitlines()[-1]
    assert "MicrosoftDocs/" not in out
