"""Plain text for a terminal: wrapped to its width, with ANSI colours when asked."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.decide.results import Consistency
from hyperv_backup.decide.steps import Step
from hyperv_backup.model import duration_text
from hyperv_backup.render._common import (
    Hoisted,
    VmLine,
    cited_rules,
    counts_text,
    diagnosis_counts_text,
    diagnosis_groups,
    diagnosis_read_note,
    diagnosis_rules,
    explained_text,
    fleet_frame,
    hoisted_reasons,
    outcome_counts,
    place_text,
    plan_profiles,
    report_line,
    risk_text,
    severity_counts,
    step_note,
    time_text,
    vm_lines,
)
from hyperv_backup.render._palette import WORST_FIRST, at_risk, look
from hyperv_backup.render._protection import STATE_WORDS, protection_counts_text
from hyperv_backup.render.links import source_text, source_url
from hyperv_backup.render.reports import (
    OUTCOME_HEADINGS,
    STATUS_WORDS,
    InventoryReport,
    Share,
    fleet_tables,
    fleet_totals,
    protection_fleet_rows,
    shared,
)
from hyperv_backup.render.safe import clean_text
from hyperv_backup.rules import Finding, Rule, Severity, Source

if TYPE_CHECKING:
    from hyperv_backup.decide.plan import Plan
    from hyperv_backup.decide.protection import ProtectionSummary
    from hyperv_backup.diagnose.diagnosis import Diagnosis
    from hyperv_backup.render._formats import Frame

__all__ = ["RENDERER", "TextRenderer"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

_RESET = "\x1b[0m"
#: An ANSI SGR sequence, as :class:`_Text` writes them.
ANSI = re.compile("\x1b\\[[0-9;]*m")
#: ANSI SGR codes of the styles used in text output; each outcome's is the palette's.
_SGR = {
    "heading": "1",
    "error": "1;31",
    "warning": "33",
    "info": "36",
    "dim": "2",
    **{c.value: sgr for c in WORST_FIRST if (sgr := look(c).sgr) is not None},
}

#: A space inside a span kept whole while wrapping; :func:`clean_text` removes
#: every control character first, so none is left in the text to mistake for it.
_GLUE = "\0"

#: Spans that are never broken across lines although they hold spaces: a
#: registry key (``HKLM\\SOFTWARE\\...\\Windows NT\\...``) and a quoted name
#: (``'Branch LAN'``), each to be copied whole. Each starts at an ``H`` or a
#: quote not preceded by a letter, a digit or (for the quote) another quote;
#: the test of what precedes comes after the first character, as a look back
#: over two, so that the pattern begins with a character and the search skips
#: ahead to the next ``H`` or quote instead of trying every position.
_WHOLE = re.compile(
    r"H(?<!\wH)K(?:LM|CU|CR|U|CC|EY_[A-Z_]+)\\(?:[^\\\s,;']+(?: [^\\\s,;']+){0,3}\\)*[^\s\\,;']+"
    r"|'(?<![\w']')[^'\n]{1,200}'(?![\w'])"
)


def words(text: str) -> list[str]:
    r"""Split text into the words it may be wrapped between: at spaces only, never inside a span kept whole.

    >>> words("Under HKLM\\SOFTWARE\\Windows NT\\Key, set 'Application Identifier'.")
    ['Under', 'HKLM\\SOFTWARE\\Windows NT\\Key,', 'set', "'Application Identifier'."]
    """
    # Only a quote or a registry hive starts a span kept whole: most text has
    # neither, and is split without the pattern's walk over every character.
    glued = _WHOLE.sub(_glued, text) if "'" in text or "HK" in text else text
    if _GLUE not in glued:
        return glued.split()
    return [word.replace(_GLUE, " ") for word in glued.split()]


def _glued(match: re.Match[str]) -> str:
    return match.group().replace(" ", _GLUE)


def fill(found: Sequence[str], width: int, first: str = "", rest: str = "") -> list[str]:
    """Fill lines of at most ``width`` with ``found`` words, greedily; a longer word has a line of its own."""
    if len(found) <= 1:
        return [first + found[0]] if found else [first.rstrip()]
    joined = " ".join(found)
    if len(first) + len(joined) <= width:
        # Each line grows word by word: if the whole fits, every word joins the first line.
        return [first + joined]
    lines: list[str] = []
    if joined.count(" ") == len(found) - 1:
        # No word holds a space, so every space of the joined text is a place
        # to break: each line ends at the last one within its room, found
        # with one search instead of a step per word.
        head, at, end = first, 0, len(joined)
        while end - at > (room := width - len(head)):
            cut = joined.rfind(" ", at, at + room + 1) if room > 0 else -1
            if cut < 0:  # the first word is longer than the room: alone on its line
                cut = joined.find(" ", at)
                if cut < 0:
                    break
            lines.append(head + joined[at:cut])
            head, at = rest, cut + 1
        lines.append(head + joined[at:])
        return lines
    # The line so far is ``head`` and the words from ``start``, ``size`` long.
    head, start, size = first, 0, len(first) + len(found[0])
    for at in range(1, len(found)):
        grown = size + 1 + len(found[at])
        if grown <= width:
            size = grown
        else:
            lines.append(head + " ".join(found[start:at]))
            head, start, size = rest, at, len(rest) + len(found[at])
    lines.append(head + " ".join(found[start:]))
    return lines


#: A text table cell: its lines and an optional style.
_Cell = tuple[list[str], str | None]


@attrs.frozen
class _Text:
    color: bool
    width: int

    def paint(self, text: str, style: str | None) -> str:
        if not self.color or style is None or not text:
            return text
        sgr = _SGR.get(style)
        return text if sgr is None else f"\x1b[{sgr}m{text}{_RESET}"

    def wrap(self, text: str, first: str = "", rest: str = "") -> list[str]:
        """Wrap ``text`` at spaces only; a word longer than the line overflows it, whole."""
        return fill(words(clean_text(text)), max(self.width, len(rest) + 20), first, rest)

    def heading(self, text: str, underline: str) -> list[str]:
        title = clean_text(text)
        return [self.paint(title, "heading"), underline * min(len(title), self.width)]

    def table(self, header: Sequence[str], rows: Sequence[Sequence[_Cell]]) -> list[str]:
        """Lay out a table in the width: a column narrows down to its longest word, never below.

        A word longer than a third of the width (a long path) does not widen
        its column: it stays whole and overflows its cell on a line of its
        own. A table whose other words do not fit is wider than the width.
        """
        gap = 2
        long_word = max(16, self.width // 3)
        natural = [len(h) for h in header]
        floor = [len(h) for h in header]
        # Column by column, each different line once: the hosts, outcomes and
        # rule IDs of a column repeat from row to row.
        columns = [
            list(dict.fromkeys(line for lines, _ in column for line in lines))
            for column in zip(*rows, strict=True)
        ]
        # The words of each line split to find its longest, kept to wrap it.
        split: dict[str, list[str]] = {}
        for i, lines in enumerate(columns):
            natural[i] = max(natural[i], max(map(len, lines), default=0))
            for line in lines:
                # No word is longer than its line; a long word counts as long_word.
                if len(line) > floor[i]:
                    found = split[line] = words(line)
                    floor[i] = max(floor[i], *(min(len(w), long_word) for w in found), 0)
        widths = list(natural)
        while sum(widths) + gap * (len(widths) - 1) > self.width:
            shrinkable = [i for i, w in enumerate(widths) if w > floor[i]]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda i: widths[i])
            widths[widest] -= 1
        out = [
            self._join([(h.ljust(w), "heading") for h, w in zip(header, widths, strict=True)]),
            self._join([("-" * w, None) for w in widths]),
        ]
        # Each different line of a column wrapped once, padded to the column's width.
        wrapped = [
            {line: [part.ljust(width) for part in _wrap_cell(line, width, split)] for line in lines}
            for lines, width in zip(columns, widths, strict=False)
        ]
        blank = [" " * width for width in widths]
        for row in rows:
            cells = [
                known[lines[0]] if len(lines) == 1 else [p for x in lines for p in known[x]]
                for (lines, _), known in zip(row, wrapped, strict=True)
            ]
            height = max(map(len, cells))
            if min(map(len, cells)) < height:
                cells = [
                    [*cell, *[blank[i]] * (height - len(cell))] if len(cell) < height else cell
                    for i, cell in enumerate(cells)
                ]
            if self.color:
                styles = [style for _, style in row]
                out.extend(
                    self._join(list(zip(parts, styles, strict=True)))
                    for parts in zip(*cells, strict=True)
                )
            elif height == 1:
                out.append("  ".join([cell[0] for cell in cells]).rstrip())
            else:
                out.extend(["  ".join(parts).rstrip() for parts in zip(*cells, strict=True)])
        return out

    def _join(self, parts: Sequence[tuple[str, str | None]]) -> str:
        if not self.color:
            return "  ".join([text for text, _ in parts]).rstrip()
        painted = []
        for text, style in parts:
            stripped = text.rstrip()
            painted.append(self.paint(stripped, style) + text[len(stripped) :])
        return "  ".join(painted).rstrip()


def _wrap_cell(line: str, width: int, split: Mapping[str, list[str]]) -> list[str]:
    """Return ``line`` wrapped in ``width``; ``split`` holds the words of lines split already."""
    if len(line) <= width and _GLUE not in line and " ".join(line.split()) == line:
        # Its words, joined by one space each, are the line itself, and it fits.
        return [line]
    found = split.get(line)
    return fill(words(line) if found is None else found, width)


def _source_text(source: Source) -> str:
    """Return a rule's source: its heading, then the public address of its page, to follow or copy."""
    return f"Source: {source_text(source)} <{source_url(source)}>"


def _text_steps(steps: Sequence[Step], out: _Text) -> list[str]:
    if not steps:
        return ["No steps."]
    digits = len(str(len(steps)))
    indent = " " * (digits + 2)
    lines: list[str] = []
    for step in steps:
        lines.extend(out.wrap(step.text, f"{step.order:>{digits}}. ", indent))
        lines.extend(out.paint(line, "dim") for line in out.wrap(step_note(step), indent, indent))
    return lines


def _text_findings(findings: Sequence[Finding], out: _Text) -> list[str]:
    """Group findings by severity and rule, each group with its remedy and source."""
    if not findings:
        return ["No findings."]
    groups: dict[tuple[Severity, str], list[Finding]] = {}
    for item in findings:
        groups.setdefault((item.severity, item.rule.id), []).append(item)
    lines: list[str] = []
    for (severity, _), items in groups.items():
        rule = items[0].rule
        label = severity.value.ljust(7)
        head = out.wrap(rule.title, f"{label} {rule.id}  ", " " * 16)
        head[0] = out.paint(label.rstrip(), severity.value) + head[0][len(label.rstrip()) :]
        lines.extend(head)
        for item in items:
            lines.extend(out.wrap(item.message, "  - ", "    "))
        lines.extend(out.wrap(f"Remedy: {rule.remedy}", "  ", "    "))
        lines.extend(out.paint(x, "dim") for x in out.wrap(_source_text(rule.source), "  ", "    "))
        lines.append("")
    return lines[:-1]


def _finding_cells(item: Finding) -> list[_Cell]:
    return [
        ([item.severity.value], item.severity.value),
        ([item.rule.id], None),
        ([clean_text(item.message)], None),
    ]


def _text_header(
    title: str, notes: Sequence[str], out: _Text, lead: Sequence[str] = ()
) -> list[str]:
    """Return the title, the ``lead`` lines (painted already), then the notes, each wrapped."""
    lines = [*out.heading(title, "="), *lead]
    for note in notes:
        lines.extend(out.wrap(note, rest="  "))
    return [*lines, ""]


def _text_section(title: str, body: list[str], out: _Text) -> list[str]:
    return ["", *out.heading(title, "-"), *body]


def _outcome_lead(counts: Mapping[Consistency, int], out: _Text, findings: str) -> list[str]:
    """Return the lines that open a report: the backups by outcome, worst first, and what is at risk."""
    parts = [
        out.paint(f"{n} {'fail' if c is Consistency.FAILS and n != 1 else look(c).label}", c.value)
        for c, n in counts.items()
    ]
    plain = [ANSI.sub("", p) for p in parts]
    lines = fill([f"{p}," for p in plain[:-1]] + plain[-1:], out.width, "Backups: ", "  ")
    if out.color:
        # Wrapped as plain text, so that the colours do not count towards the width.
        for part, bare in zip(parts, plain, strict=True):
            lines = [line.replace(bare, part, 1) for line in lines]
    if not counts:
        lines = ["Backups: no VMs"]
    return [*lines, f"{risk_text(counts)}; findings: {findings}"]


def _why(line: VmLine) -> list[str]:
    """Return the rules behind a VM's outcome, most severe first, each with its subject if not the VM."""
    ids = [
        r.rule.id if r.subject == line.vm else f"{r.rule.id} ({clean_text(r.subject)})"
        for r in line.reasons
    ]
    return [", ".join(ids) or "-"]


def _vm_table(lines: Sequence[VmLine], out: _Text) -> list[str]:
    rows: list[list[_Cell]] = [
        [
            ([clean_text(line.vm)], None),
            ([clean_text(line.host)], None),
            ([look(line.consistency).label], line.consistency.value),
            (_why(line), None),
        ]
        for line in lines
    ]
    return out.table(["VM", "Host", "Backup", "Why (rules)"], rows)


def _hoisted_lines(hoisted: Sequence[Hoisted], out: _Text) -> list[str]:
    lines = []
    for item in hoisted:
        text = f"For {item.where}: {item.rule.id} {item.rule.title}"
        lines.extend(out.wrap(text, "", "  "))
    return lines


def _finding_rows(findings: Sequence[Finding], hoisted: Sequence[Hoisted]) -> list[list[_Cell]]:
    """Return a row per finding, the info findings said once for many VMs in one row per rule."""
    said = {(h.rule.id, vm) for h in hoisted for vm in h.vms}
    rows: list[list[_Cell]] = []
    for item in findings:
        if item.severity is Severity.INFO and (item.rule.id, item.vm) in said:
            continue
        rows.append(_finding_cells(item))
    for once in hoisted:
        text = f"{once.rule.title}: for {once.where}."
        rows.append([(["info"], "info"), ([once.rule.id], None), ([text], None)])
    return rows


def _plan_text(plan: Plan, frame: Frame, out: _Text) -> str:
    hoisted = hoisted_reasons(plan)
    lines_of_vms = vm_lines(plan, hoisted)
    counts = outcome_counts(line.consistency for line in lines_of_vms)
    lead = _outcome_lead(counts, out, counts_text(severity_counts(plan.findings)))
    made = report_line(frame, plan_profiles(plan))
    lines = _text_header(frame.title, [*frame.notes, *made], out, lead)
    lines.pop()
    if frame.summary:
        return "\n".join([*lines, *_at_risk_text(lines_of_vms, out, SCREEN - len(lines))]) + "\n"
    table = _vm_table(lines_of_vms, out) if lines_of_vms else ["No virtual machines."]
    if hoisted:
        table += ["", *_hoisted_lines(hoisted, out)]
    lines.extend(_text_section("Virtual machines, worst first", table, out))
    findings = (
        out.table(["Severity", "Rule", "Finding"], _finding_rows(plan.findings, hoisted))
        if plan.findings
        else ["No findings."]
    )
    lines.extend(_text_section("Findings", findings, out))
    lines.extend(_text_section("Steps", _text_steps(plan.steps, out), out))
    lines.extend(_text_protection(plan.protection, out))
    return "\n".join(lines) + "\n"


#: The lines of the one-screen view (``--summary``): a 24-line terminal, less the prompt's.
SCREEN = 23


def _at_risk_text(lines_of_vms: Sequence[VmLine], out: _Text, room: int) -> list[str]:
    """Return the VMs at risk, worst first, one line each, in ``room`` lines at most."""
    risky = [line for line in lines_of_vms if at_risk(line.consistency)]
    if not risky:
        return ["", "No VM is at risk."]
    head = ["", *out.heading("At risk, worst first", "-")]
    # A blank line, a heading and its rule, the table's header and rule: 5 lines.
    count = min(len(risky), max(room - 5, 1))
    while True:
        body = _vm_table(risky[:count], out)
        if count < len(risky):
            more = len(risky) - count
            body.append(f"... and {more} more; the full report lists them all.")
        # A row may take more than one line: show fewer until they fit.
        if len(head) + len(body) <= room or count == 1:
            return [*head, *body]
        count -= 1


def _worst_findings(findings: Sequence[Finding], out: _Text, room: int) -> list[str]:
    """Return the most severe findings, one line each (rule and subject), in ``room`` lines at most."""
    if not findings:
        return ["No findings."]
    shown = findings if len(findings) <= room - 2 else findings[: max(room - 3, 1)]
    rows: list[list[_Cell]] = [
        [
            ([f.severity.value], f.severity.value),
            ([f.rule.id], None),
            (
                [clean_text(f.subject if f.vm in (None, f.subject) else f"{f.subject} ({f.vm})")],
                None,
            ),
        ]
        for f in shown
    ]
    body = out.table(["Severity", "Rule", "Subject"], rows)
    if len(shown) < len(findings):
        body.append(f"... and {len(findings) - len(shown)} more; the full report lists them all.")
    return body


def _text_rules_table(rules: Sequence[Rule], out: _Text) -> list[str]:
    return out.table(
        ["Rule", "Severity", "Title"],
        [
            [([r.id], None), ([r.severity.value], r.severity.value), ([r.title], None)]
            for r in rules
        ],
    )


def _text_rules(rules: Sequence[Rule], out: _Text) -> list[str]:
    lines: list[str] = []
    for rule in rules:
        label = rule.severity.value.ljust(7)
        head = out.wrap(rule.title, f"{rule.id}  {label} ", " " * 8)
        start = len(rule.id) + 2
        head[0] = (
            head[0][:start]
            + out.paint(label.rstrip(), rule.severity.value)
            + head[0][start + len(label.rstrip()) :]
        )
        lines.extend(head)
        lines.extend(out.wrap(rule.description, " " * 8, " " * 8))
        lines.extend(out.wrap(f"Remedy: {rule.remedy}", " " * 8, " " * 10))
        lines.extend(
            out.paint(x, "dim") for x in out.wrap(_source_text(rule.source), " " * 8, " " * 10)
        )
        lines.append("")
    return lines[:-1] if lines else ["No rules."]


def _diagnosis_text(item: Diagnosis, title: str, notes: Sequence[str], out: _Text) -> str:
    header = [f"Findings: {diagnosis_counts_text(item)}", diagnosis_read_note(item), *notes]
    lines = _text_header(title, header, out)
    groups = diagnosis_groups(item)
    if not groups:
        lines.append("Nothing in the logs points to a failed or degraded backup.")
    for heading, found in groups:
        lines.extend([*out.heading(clean_text(heading), "-")])
        for entry in found:
            label = entry.severity.value.ljust(7)
            head = out.wrap(
                entry.rule.title,
                f"{time_text(entry.time)}  {label} {entry.rule.id}  ",
                " " * 4,
            )
            lines.extend(head)
            lines.extend(out.wrap(clean_text(entry.message), "    ", "      "))
            lines.extend(out.wrap(clean_text(f"Logged on: {place_text(entry)}"), "    ", "      "))
            for line in explained_text(entry):
                lines.extend(out.wrap(clean_text(line), "    ", "      "))
        lines.append("")
    cited = diagnosis_rules(item)
    if cited:
        lines.extend(out.heading("What to do", "-"))
        for rule in cited:
            lines.extend(out.wrap(rule.title, f"{rule.id}  ", "        "))
            lines.extend(out.wrap(f"Cause: {rule.description}", "  ", "    "))
            lines.extend(out.wrap(f"Remedy: {rule.remedy}", "  ", "    "))
            lines.extend(
                out.paint(x, "dim") for x in out.wrap(_source_text(rule.source), "  ", "    ")
            )
        lines.append("")
    return "\n".join(lines[:-1] if lines[-1] == "" else lines) + "\n"


#: The columns of the protection table in text, narrower than the other formats': what
#: tonight's backup will be and what the last good point holds, by the fleet's short words.
_PROTECTION_COLUMNS = ["VM", "Tonight", "Last good (UTC)", "Age", "Holds", "Protection"]


def _text_protection(summary: ProtectionSummary | None, out: _Text) -> list[str]:
    """Return the protection section: the counts by state, then a row per VM; nothing without a catalogue."""
    if summary is None:
        return []
    rows: list[list[_Cell]] = []
    for status in summary.statuses:
        point = status.last_good
        holds = "-" if point is None else "?"
        if point is not None and point.consistency is not None:
            holds = OUTCOME_HEADINGS[point.consistency]
        when = "none" if point is None else f"{point.taken_at:%Y-%m-%d %H:%M} {point.level.value}"
        state = STATE_WORDS[status.state] + (" (excepted)" if status.excepted else "")
        rows.append(
            [
                ([clean_text(status.vm)], None),
                ([OUTCOME_HEADINGS[status.predicted]], None),
                ([when], None),
                (["-" if status.age is None else duration_text(status.age)], None),
                ([holds], None),
                ([state], "error" if status.unprotected else None),
            ]
        )
    table = out.table(_PROTECTION_COLUMNS, rows) if rows else ["No virtual machines."]
    legend = ", ".join(f"{OUTCOME_HEADINGS[c]}: {c.label}" for c in OUTCOME_HEADINGS)
    return _text_section(
        "Protection",
        [
            *out.wrap(protection_counts_text(summary), rest="  "),
            "",
            *table,
            "",
            *out.wrap(f"({legend}; ?: not recorded)"),
        ],
        out,
    )


@attrs.frozen
class TextRenderer:
    """Plain text: every kind of result, for a terminal (``Part``: the text under an input's heading)."""

    def findings(self, findings: Sequence[Finding], frame: Frame) -> str:
        """Render sorted findings, grouped by rule, each group with its remedy and source."""
        out = _Text(frame.color, frame.width)
        counts = severity_counts(findings)
        notes = [f"Findings: {counts_text(counts)}", *frame.notes, *report_line(frame)]
        lines = _text_header(frame.title, notes, out)
        if frame.summary:
            return "\n".join([*lines, *_worst_findings(findings, out, SCREEN - len(lines))]) + "\n"
        protection = _text_protection(frame.protection, out)
        return "\n".join([*lines, *_text_findings(findings, out), *protection]) + "\n"

    def plan(self, plan: Plan, frame: Frame) -> str:
        """Render a plan: the summary, the per-VM table, the steps and the findings."""
        return _plan_text(plan, frame, _Text(frame.color, frame.width))

    def steps(self, steps: Sequence[Step], frame: Frame) -> str:
        """Render numbered steps, then the rules they cite."""
        out = _Text(frame.color, frame.width)
        header = _text_header(frame.title, [*frame.notes, *report_line(frame)], out)
        lines = [*header, *_text_steps(steps, out)]
        cited = cited_rules(steps)
        if cited:
            lines += _text_section("Rules cited", _text_rules_table(cited, out), out)
        return "\n".join(lines) + "\n"

    def rules(self, rules: Sequence[Rule], frame: Frame) -> str:
        """Render rules with their severity, title, description, remedy and source."""
        out = _Text(frame.color, frame.width)
        header = _text_header(frame.title, [*frame.notes, *report_line(frame)], out)
        lines = [*header, *_text_rules(rules, out)]
        return "\n".join(lines) + "\n"

    def diagnosis(self, diagnosis: Diagnosis, frame: Frame) -> str:
        """Render a diagnosis: per VM, what happened in time order; then the rules with their remedies."""
        notes = [*frame.notes, *report_line(frame)]
        return _diagnosis_text(diagnosis, frame.title, notes, _Text(frame.color, frame.width))

    def part(self, report: InventoryReport, index: int, frame: Frame) -> str:
        """Return the text under an input's heading: its own report, or why it could not be read."""
        if report.read:
            return report.detail
        return "\n".join(clean_text(p) for p in report.problems)

    def fleet(self, reports: Sequence[InventoryReport | Share[str]], frame: Frame) -> str:
        """Render a fleet: the backups by outcome, the summary of each input, then each input's report."""
        shares = shared(reports, functools.partial(self.part, frame=frame), str, "text")
        out = _Text(frame.color, frame.width)
        summaries = [s.report for s in shares]
        frame = fleet_frame(frame, summaries)
        rows, outcomes, heading = fleet_tables(summaries, gated=frame.fails_at is not None)
        totals = fleet_totals(summaries)
        by_name = totals["consistency"]
        counts = {c: by_name[c.value] for c in WORST_FIRST if by_name.get(c.value)}
        lead = _outcome_lead(counts, out, counts_text(totals["findings"]))

        def cells(items: Sequence[Mapping[str, str]]) -> list[list[_Cell]]:
            return [
                [([clean_text(v)], _fleet_style(k, v)) for k, v in row.items() if k != "inventory"]
                for row in items
            ]

        notes = [*frame.notes, *report_line(frame)]
        header = [k for k in rows[0] if k != "inventory"]
        lines = _text_header(frame.title, notes, out, lead)
        if frame.summary:
            return "\n".join([*lines, *_worst_inputs(rows, header, cells, out, len(lines))]) + "\n"
        lines += out.table(header, cells(rows))
        if len(outcomes[0]) > 1:
            lines += ["", *out.wrap(heading), "", *out.table(list(outcomes[0]), cells(outcomes))]
        protection = protection_fleet_rows([s.report for s in shares])
        if protection:
            lines += [
                "",
                "VMs by protection",
                "",
                *out.table(list(protection[0]), cells(protection)),
            ]
        for share in shares:
            name = share.report.name
            title = f"Input: {share.report.source}" + (f" ({name})" if name else "")
            lines += ["", *out.heading(title, "#"), "", share.part.rstrip("\n")]
        return "\n".join(lines) + "\n"


def _worst_inputs(
    rows: Sequence[Mapping[str, str]],
    header: Sequence[str],
    cells: Callable[[Sequence[Mapping[str, str]]], list[list[_Cell]]],
    out: _Text,
    used: int,
) -> list[str]:
    """Return the inputs worst first, then the totals, in what is left of one screen."""
    rank = {look(c).label: place for place, c in enumerate(WORST_FIRST)}
    inputs = sorted(rows[:-1], key=lambda row: rank.get(row["worst outcome"], -1))
    # Each row takes a line at least (with the table's header, rule and totals,
    # 3 more): no more can fit, so the rows tried are few whatever the inputs.
    count = min(len(inputs), max(SCREEN - used - 3, 1))
    while True:
        body = out.table(header, cells([*inputs[:count], rows[-1]]))
        if count < len(inputs):
            body.append(f"... and {len(inputs) - count} more inputs; the full report lists them.")
        if used + len(body) <= SCREEN or count <= 1:
            return body
        count -= 1


def _fleet_style(key: str, value: str) -> str | None:
    """Return the style of a cell of the fleet summary: an outcome's colour, a failure's red."""
    if key == "worst outcome":
        found = _BY_LABEL.get(value)
        return "error" if found is None and value in STATUS_WORDS.values() else found
    if key == "exit" and value == "fails":
        return "error"
    return None


#: Each outcome's style, by the words the reports show it in.
_BY_LABEL = {look(c).label: c.value for c in WORST_FIRST}


#: The text renderer.
RENDERER = TextRenderer()
