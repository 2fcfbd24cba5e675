r"""Renderers: findings, plans, steps and rules as text, JSON, Markdown or HTML.

Every function here is pure: it takes result objects and returns a string (or
plain rows), so the command line and notebook display hooks share one
rendering. Inventory strings are made safe for each format on the way out:
control characters (terminal escape sequences among them) are removed from
text, Markdown metacharacters are escaped, HTML is escaped with
:func:`html.escape`.

>>> import hyperv_backup as hb
>>> plan = hb.backup_plan(hb.load_example("host"))
>>> for row in decision_rows(plan):
...     print(row["vm"], row["host"], row["mode"], row["causes_downtime"], row["reasons"] or "-")
DC01 HV-STANDALONE01 online False -
PRINT01 HV-STANDALONE01 offline False HVB307
>>> print(markdown_table([{"vm": "a|b", "mode": "online"}]))
| vm | mode |
| --- | --- |
| a\|b | online |

HTML comes as a fragment (a ``<div class="hvb">``) that a notebook can show;
:func:`html_page` wraps one into a complete page with its style sheet.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, assert_never

import attrs

from hyperv_backup._evaluate import sort_findings
from hyperv_backup.mode import BackupModeDecision
from hyperv_backup.model import BackupMode
from hyperv_backup.rules import RULES, Finding, Rule, Severity

# Plans and steps are imported where a function needs them at run time: rendering
# findings (``check``) needs neither, and hyperv_backup.steps takes a while to import.
if TYPE_CHECKING:
    from hyperv_backup.steps import Plan, Step

__all__ = [
    "SCHEMA_VERSION",
    "STYLE_SHEET",
    "Format",
    "clean_text",
    "decision_rows",
    "escape_html",
    "escape_markdown",
    "html_page",
    "html_table",
    "markdown_table",
    "render_findings",
    "render_plan",
    "render_rules",
    "render_steps",
    "severity_counts",
]

#: The version of every JSON document written here; bumped on an incompatible change.
SCHEMA_VERSION = 1


class Format(enum.StrEnum):
    """An output format."""

    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"


# --- making inventory strings safe ---------------------------------------------------

#: Terminal escape sequences: CSI (``ESC [ ... letter``), OSC (``ESC ] ... BEL``) and
#: the two-character forms. Removed whole, so no stray ``[2J`` is left behind.
_ESCAPE_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-_])")

#: Control characters that stand for a line or column break: shown as a space.
_BREAKS = frozenset("\t\n\v\f\r\x1c\x1d\x1e\x1f\x85\u2028\u2029")

#: Bidirectional controls can make a name read differently from what it is.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _is_control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or 0x7F <= code < 0xA0 or char in _BIDI


def _strip_controls(value: str, *, keep_newlines: bool = False) -> str:
    value = _ESCAPE_SEQUENCE.sub("", value)
    out: list[str] = []
    for char in value:
        if char == "\n" and keep_newlines:
            out.append(char)
        elif char in _BREAKS:
            out.append(" ")
        elif not _is_control(char):
            out.append(char)
    return "".join(out)


def clean_text(value: str) -> str:
    r"""Return ``value`` fit for a terminal: no control characters or escape sequences.

    >>> clean_text("VM\x1b[2J01\tweb")
    'VM01 web'
    """
    return _strip_controls(value)


_MARKDOWN_ESCAPES = {
    "\\": "\\\\",
    "|": "\\|",
    "*": "\\*",
    "_": "\\_",
    "`": "\\`",
    "~": "\\~",
    "[": "\\[",
    "]": "\\]",
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "\n": "<br>",
}
_MARKDOWN_SPECIAL = re.compile("|".join(re.escape(c) for c in _MARKDOWN_ESCAPES))


def escape_markdown(value: str) -> str:
    r"""Return ``value`` as literal Markdown text, safe inside a table cell.

    >>> print(escape_markdown("<b>a|b</b> *x_y*"))
    &lt;b&gt;a\|b&lt;/b&gt; \*x\_y\*
    """
    text = _strip_controls(value, keep_newlines=True)
    return _MARKDOWN_SPECIAL.sub(lambda m: _MARKDOWN_ESCAPES[m.group()], text)


def escape_html(value: str) -> str:
    """Return ``value`` as HTML text: control characters removed, then escaped.

    >>> escape_html("<script>alert('x')</script>")
    '&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;'
    """
    import html  # noqa: PLC0415 - only HTML output needs it

    return html.escape(_strip_controls(value), quote=True)


# --- plain values --------------------------------------------------------------------


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """Return the number of findings of each severity, most severe first.

    >>> import hyperv_backup as hb
    >>> severity_counts(hb.check(hb.load_example("host")))
    {'error': 1, 'warning': 0, 'info': 4}
    """
    counts = {severity.value: 0 for severity in Severity}
    for item in findings:
        counts[item.severity.value] += 1
    return counts


def _counts_text(counts: Mapping[str, int]) -> str:
    words = {"error": ("error", "errors"), "warning": ("warning", "warnings")}
    parts = []
    for key, number in counts.items():
        one, many = words.get(key, (key, key))
        parts.append(f"{number} {one if number == 1 else many}")
    return ", ".join(parts)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


#: The value types of a row of :func:`decision_rows`.
Row = dict[str, str | bool | None]


def decision_rows(
    decisions: Plan | Mapping[str, BackupModeDecision] | Iterable[BackupModeDecision],
) -> list[Row]:
    """Return one plain row per VM: how it is backed up, and why.

    Each row has ``vm``, ``host``, ``mode``, ``causes_downtime``,
    ``state_during_backup``, ``state_after`` and ``reasons`` (the IDs of the
    rules that block an online backup, space-separated). Values are plain
    strings, booleans or ``None``, so ``pandas.DataFrame(rows)`` takes them as
    they are. Given a :class:`~hyperv_backup.Plan`, ``host`` is the host or node
    the VM is backed up on; given decisions alone it is the host named by the
    reasons, or ``None`` when there are none.
    """
    from hyperv_backup.steps import Plan  # noqa: PLC0415 - lazy, see the imports

    hosts: dict[str, str] = {}
    if isinstance(decisions, Plan):
        hosts = _plan_hosts(decisions)
        items: Iterable[BackupModeDecision] = decisions.decisions.values()
    elif isinstance(decisions, Mapping):
        items = decisions.values()
    else:
        items = decisions
    rows: list[Row] = []
    for decision in items:
        host = hosts.get(decision.vm)
        if host is None:
            host = next((r.host for r in decision.reasons if r.host is not None), None)
        rows.append(
            {
                "vm": decision.vm,
                "host": host,
                "mode": decision.mode.value,
                "causes_downtime": decision.causes_downtime,
                "state_during_backup": decision.state_during_backup.value,
                "state_after": decision.state_after.value,
                "reasons": " ".join(_unique(r.rule.id for r in decision.reasons)),
            }
        )
    return rows


def _plan_hosts(plan: Plan) -> dict[str, str]:
    """Map each VM to the host or node its host backup runs on."""
    from hyperv_backup.steps import StepKind  # noqa: PLC0415 - lazy, see the imports

    return {s.target: s.where for s in plan.steps if s.action is StepKind.HOST_BACKUP}


def _plain_attrs(value: object) -> str:
    cls = type(value)
    name = getattr(value, "name", None)
    if isinstance(name, str) or not attrs.has(cls):
        return str(name) if isinstance(name, str) else str(value)
    return ", ".join(f"{a.name}={_plain(getattr(value, a.name))}" for a in attrs.fields(cls))


@functools.cache
def _plain_forms() -> tuple[tuple[type | tuple[type, ...], Callable[[Any], str]], ...]:
    """Return the plain-text forms of the value types in models and results, checked in order.

    Built on first use, as it names :class:`~hyperv_backup.Step` (see the imports).
    """
    from hyperv_backup.steps import Step  # noqa: PLC0415 - lazy, see the imports

    return (
        (bool, lambda v: "yes" if v else "no"),
        (enum.Enum, lambda v: str(v.value)),
        (str, str),
        ((datetime, date), lambda v: v.isoformat()),
        (Rule, lambda v: v.id),
        (Finding, lambda v: f"{v.rule.id} ({v.subject})"),
        (Step, lambda v: f"{v.order}. {v.text}"),
        (BackupModeDecision, lambda v: v.mode.value),
        (Mapping, lambda v: ", ".join(_plain(key) for key in v)),
        ((frozenset, set), lambda v: ", ".join(sorted(_plain(item) for item in v))),
        ((tuple, list), lambda v: ", ".join(_plain(item) for item in v)),
    )


def _plain(value: object) -> str:
    """Return a short plain-text form of any value found in a model or result."""
    if value is None:
        return ""
    for kind, form in _plain_forms():
        if isinstance(value, kind):
            return form(value)
    return _plain_attrs(value)


def _tabulate(items: object, columns: Sequence[str] | None) -> tuple[list[str], list[list[str]]]:
    """Turn objects or mappings into a header and rows of plain strings."""
    records: list[Mapping[str, object]]
    if isinstance(items, Mapping) and items and all(attrs.has(type(v)) for v in items.values()):
        items = list(items.values())
    if isinstance(items, Mapping):
        records = [{"field": str(key), "value": value} for key, value in items.items()]
    elif attrs.has(cls := type(items)):
        records = [{"field": a.name, "value": getattr(items, a.name)} for a in attrs.fields(cls)]
    elif isinstance(items, Iterable) and not isinstance(items, str | bytes):
        records = []
        for item in items:
            if isinstance(item, Mapping):
                records.append({str(key): value for key, value in item.items()})
            elif attrs.has(item_cls := type(item)):
                records.append({a.name: getattr(item, a.name) for a in attrs.fields(item_cls)})
            else:
                records.append({"value": item})
    else:
        records = [{"value": items}]
    header = list(columns) if columns is not None else _unique(k for r in records for k in r)
    rows = [[_plain(record.get(key)) for key in header] for record in records]
    return header, rows


def markdown_table(items: object, columns: Sequence[str] | None = None) -> str:
    """Return a Markdown table of model or result objects, or of mappings.

    One object (or a mapping of names to values) gives a field/value table; a
    sequence of objects or mappings gives one row each, with ``columns`` (by
    default every field or key, in order of first appearance).
    """
    header, rows = _tabulate(items, columns)
    lines = [
        "| " + " | ".join(escape_markdown(h) for h in header) + " |",
        "|" + " --- |" * len(header),
    ]
    lines.extend("| " + " | ".join(escape_markdown(c) for c in row) + " |" for row in rows)
    return "\n".join(lines)


def html_table(items: object, columns: Sequence[str] | None = None) -> str:
    """Return an HTML ``<table>`` of model or result objects, or of mappings.

    Takes what :func:`markdown_table` takes; every string is escaped.
    """
    header, rows = _tabulate(items, columns)
    return _html_table(header, [[escape_html(c) for c in row] for row in rows])


# --- text ----------------------------------------------------------------------------

_RESET = "\x1b[0m"
#: ANSI SGR codes of the styles used in text output.
_SGR = {
    "heading": "1",
    "error": "1;31",
    "warning": "33",
    "info": "36",
    "online": "32",
    "offline": "33",
    "downtime": "31",
    "dim": "2",
}

#: A text table cell: its lines and an optional style.
_Cell = tuple[list[str], str | None]


@attrs.frozen
class _Text:
    color: bool
    width: int

    def paint(self, text: str, style: str | None) -> str:
        if not self.color or style is None or not text:
            return text
        return f"\x1b[{_SGR[style]}m{text}{_RESET}"

    def wrap(self, text: str, first: str = "", rest: str = "") -> list[str]:
        import textwrap  # noqa: PLC0415 - only text output needs it

        lines = textwrap.wrap(
            clean_text(text),
            width=max(self.width, len(rest) + 20),
            initial_indent=first,
            subsequent_indent=rest,
            break_long_words=True,
            break_on_hyphens=False,
        )
        return lines or [first.rstrip()]

    def heading(self, text: str, underline: str) -> list[str]:
        title = clean_text(text)
        return [self.paint(title, "heading"), underline * min(len(title), self.width)]

    def table(self, header: Sequence[str], rows: Sequence[Sequence[_Cell]]) -> list[str]:
        gap = 2
        natural = [len(h) for h in header]
        for row in rows:
            for i, (lines, _) in enumerate(row):
                natural[i] = max([natural[i], *(len(line) for line in lines)])
        widths = list(natural)
        floor = [max(len(h), min(n, 10)) for h, n in zip(header, natural, strict=True)]
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
        for row in rows:
            cells = [
                [part for line in lines for part in _wrap_cell(line, widths[i])]
                for i, (lines, _) in enumerate(row)
            ]
            height = max(len(c) for c in cells)
            for n in range(height):
                out.append(
                    self._join(
                        [
                            ((cell[n] if n < len(cell) else "").ljust(widths[i]), row[i][1])
                            for i, cell in enumerate(cells)
                        ]
                    )
                )
        return out

    def _join(self, parts: Sequence[tuple[str, str | None]]) -> str:
        painted = []
        for text, style in parts:
            stripped = text.rstrip()
            painted.append(self.paint(stripped, style) + text[len(stripped) :])
        return "  ".join(painted).rstrip()


def _wrap_cell(line: str, width: int) -> list[str]:
    import textwrap  # noqa: PLC0415 - only text output needs it

    return textwrap.wrap(line, width=width, break_long_words=True, break_on_hyphens=False) or [""]


def _where(step: Step) -> str:
    from hyperv_backup.steps import StepKind  # noqa: PLC0415 - lazy, see the imports

    if step.action in (StepKind.GUEST_BACKUP, StepKind.GUEST_RESTORE):
        return f"in the guest of {step.where}"
    return f"on {step.where}"


def _step_note(step: Step) -> str:
    note = f"{step.action.value.replace('_', ' ')} {_where(step)}"
    if step.rules:
        note += f"; {', '.join(step.rules)}"
    return note


def _text_steps(steps: Sequence[Step], out: _Text) -> list[str]:
    if not steps:
        return ["No steps."]
    digits = len(str(len(steps)))
    indent = " " * (digits + 2)
    lines: list[str] = []
    for step in steps:
        lines.extend(out.wrap(step.text, f"{step.order:>{digits}}. ", indent))
        lines.extend(out.paint(line, "dim") for line in out.wrap(_step_note(step), indent, indent))
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
        head = out.wrap(f"{label} {rule.id}  {rule.title}", "", " " * 16)
        head[0] = out.paint(label.rstrip(), severity.value) + head[0][len(label.rstrip()) :]
        lines.extend(head)
        for item in items:
            lines.extend(out.wrap(item.message, "  - ", "    "))
        lines.extend(out.wrap(f"Remedy: {rule.remedy}", "  ", "    "))
        lines.extend(out.paint(x, "dim") for x in out.wrap(f"Source: {rule.section}", "  ", "    "))
        lines.append("")
    return lines[:-1]


def _finding_cells(item: Finding) -> list[_Cell]:
    return [
        ([item.severity.value], item.severity.value),
        ([item.rule.id], None),
        ([clean_text(item.message)], None),
    ]


def _why_lines(decision: BackupModeDecision) -> list[str]:
    lines = []
    for reason in decision.reasons:
        line = f"{reason.rule.id} {reason.rule.title}"
        if reason.subject != decision.vm:
            line += f" ({reason.subject})"
        lines.append(clean_text(line))
    return lines or ["-"]


def _mode_summary(plan: Plan) -> dict[str, int]:
    decisions = list(plan.decisions.values())
    return {
        "vms": len(decisions),
        "online": sum(d.mode is BackupMode.ONLINE for d in decisions),
        "offline": sum(d.mode is BackupMode.OFFLINE for d in decisions),
        "downtime": sum(d.causes_downtime for d in decisions),
    }


def _text_header(title: str, notes: Sequence[str], out: _Text) -> list[str]:
    lines = out.heading(title, "=")
    for note in notes:
        lines.extend(out.wrap(note))
    return [*lines, ""]


def _text_section(title: str, body: list[str], out: _Text) -> list[str]:
    return ["", *out.heading(title, "-"), *body]


def _vm_summary_text(modes: Mapping[str, int]) -> str:
    return (
        f"VMs: {modes['vms']} ({modes['online']} online, {modes['offline']} offline, "
        f"{modes['downtime']} with downtime)"
    )


def _plan_text(plan: Plan, title: str, notes: Sequence[str], out: _Text) -> str:
    modes = _mode_summary(plan)
    lines = _text_header(
        title,
        [
            _vm_summary_text(modes),
            f"Findings: {_counts_text(severity_counts(plan.findings))}",
            *notes,
        ],
        out,
    )
    lines.pop()
    rows: list[list[_Cell]] = []
    hosts = _plan_hosts(plan)
    for name, decision in plan.decisions.items():
        host = hosts.get(name)
        rows.append(
            [
                ([clean_text(name)], None),
                ([clean_text(host or "")], None),
                ([decision.mode.value], decision.mode.value),
                (["yes" if decision.causes_downtime else "no"], _downtime_style(decision)),
                (_why_lines(decision), None),
            ]
        )
    table = (
        out.table(["VM", "Host", "Mode", "Downtime", "Why"], rows)
        if rows
        else ["No virtual machines."]
    )
    lines.extend(_text_section("Virtual machines", table, out))
    lines.extend(_text_section("Steps", _text_steps(plan.steps, out), out))
    findings = (
        out.table(["Severity", "Rule", "Finding"], [_finding_cells(f) for f in plan.findings])
        if plan.findings
        else ["No findings."]
    )
    lines.extend(_text_section("Findings", findings, out))
    return "\n".join(lines) + "\n"


def _downtime_style(decision: BackupModeDecision) -> str | None:
    return "downtime" if decision.causes_downtime else None


def _cited_rules(steps: Iterable[Step]) -> list[Rule]:
    return [RULES[rule_id] for rule_id in _unique(r for s in steps for r in s.rules)]


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
        head = out.wrap(f"{rule.id}  {label} {rule.title}", "", " " * 8)
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
            out.paint(x, "dim") for x in out.wrap(f"Source: {rule.section}", " " * 8, " " * 10)
        )
        lines.append("")
    return lines[:-1] if lines else ["No rules."]


# --- Markdown ------------------------------------------------------------------------


def _md_header(title: str, notes: Sequence[str]) -> list[str]:
    lines = [f"# {escape_markdown(title)}", ""]
    if notes:
        lines.extend(f"- {escape_markdown(note)}" for note in notes)
        lines.append("")
    return lines


def _md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """Return a table whose cells are Markdown already."""
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def _md_steps(steps: Sequence[Step]) -> list[str]:
    if not steps:
        return ["No steps."]
    return [
        f"{s.order}. {escape_markdown(s.text)} *({escape_markdown(_step_note(s))})*" for s in steps
    ]


def _md_findings(findings: Sequence[Finding]) -> list[str]:
    if not findings:
        return ["No findings."]
    return _md_table(
        ["Severity", "Rule", "Finding", "Remedy", "Source section"],
        (
            [
                f"**{f.severity.value}**" if f.severity is Severity.ERROR else f.severity.value,
                f"`{f.rule.id}` {escape_markdown(f.rule.title)}",
                escape_markdown(f.message),
                escape_markdown(f.rule.remedy),
                escape_markdown(f.rule.section),
            ]
            for f in findings
        ),
    )


def _md_rules(rules: Sequence[Rule]) -> list[str]:
    if not rules:
        return ["No rules."]
    return _md_table(
        ["Rule", "Severity", "Title", "Fires when", "Remedy", "Source section"],
        (
            [
                f"`{rule.id}`",
                rule.severity.value,
                escape_markdown(rule.title),
                escape_markdown(rule.description),
                escape_markdown(rule.remedy),
                escape_markdown(rule.section),
            ]
            for rule in rules
        ),
    )


def _plan_markdown(plan: Plan, title: str, notes: Sequence[str]) -> str:
    modes = _mode_summary(plan)
    lines = _md_header(
        title,
        [
            _vm_summary_text(modes),
            f"Findings: {_counts_text(severity_counts(plan.findings))}",
            *notes,
        ],
    )
    lines += ["## Virtual machines", ""]
    if plan.decisions:
        rows = []
        for row, decision in zip(decision_rows(plan), plan.decisions.values(), strict=True):
            rows.append(
                [
                    escape_markdown(decision.vm),
                    escape_markdown(str(row["host"] or "")),
                    f"**{decision.mode.value}**"
                    if decision.mode is BackupMode.OFFLINE
                    else decision.mode.value,
                    "**yes**" if decision.causes_downtime else "no",
                    decision.state_during_backup.value,
                    decision.state_after.value,
                    "<br>".join(escape_markdown(x) for x in _why_lines(decision)),
                ]
            )
        lines += _md_table(
            ["VM", "Host", "Mode", "Downtime", "During backup", "After", "Why"], rows
        )
    else:
        lines.append("No virtual machines.")
    lines += ["", "## Steps", "", *_md_steps(plan.steps)]
    lines += ["", "## Findings", "", *_md_findings(plan.findings)]
    return "\n".join(lines) + "\n"


# --- HTML ----------------------------------------------------------------------------

#: The style of the fragments, every rule scoped to ``.hvb`` so that a notebook
#: can put it beside a fragment without restyling anything else.
STYLE_SHEET = """\
.hvb{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;\
line-height:1.45}
.hvb h1{font-size:1.6rem;margin-bottom:.5rem}
.hvb h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
.hvb table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}
.hvb th,.hvb td{border:1px solid #d0d7de;padding:.3rem .55rem;text-align:left;vertical-align:top}
.hvb th{background:#f6f8fa}
.hvb code{font-family:ui-monospace,SFMono-Regular,Consolas,monospace;font-size:.92em}
.hvb .notes{color:#59636e;margin:0;padding-left:1.2rem}
.hvb .summary{display:flex;flex-wrap:wrap;gap:.75rem;list-style:none;padding:0}
.hvb .summary li{border:1px solid #d0d7de;border-radius:6px;padding:.45rem .9rem;min-width:6rem}
.hvb .summary strong{display:block;font-size:1.5rem}
.hvb .mode-online{background:#dafbe1;color:#116329;font-weight:600}
.hvb .mode-offline{background:#fff8c5;color:#7d4e00;font-weight:600}
.hvb .downtime{background:#ffebe9;color:#a40e26;font-weight:600}
.hvb .sev-error{background:#ffebe9;color:#a40e26;font-weight:600}
.hvb .sev-warning{background:#fff8c5;color:#7d4e00}
.hvb .sev-info{background:#ddf4ff;color:#0a3069}
.hvb ol.steps li{margin:.35rem 0}
.hvb .meta{color:#59636e;font-size:.9em}
.hvb table.findings td:nth-child(4){min-width:20rem;width:34%}
.hvb table.findings td:nth-child(2){width:16%}
.hvb table.findings td:nth-child(6){width:12%}
"""

#: What a whole page adds to :data:`STYLE_SHEET`.
_PAGE_STYLE = "body{margin:2rem auto;max-width:78rem;padding:0 1rem}\n"


def html_page(title: str, body: str) -> str:
    """Return a complete, self-contained HTML5 page: ``body`` under ``title``.

    ``body`` is HTML already (a fragment from the ``render_*`` functions);
    ``title`` is text and is escaped. The page has inline CSS only: no
    scripts, no external resources.
    """
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape_html(title)}</title>\n"
        f"<style>\n{_PAGE_STYLE}{STYLE_SHEET}</style>\n"
        "</head>\n"
        "<body>\n"
        f"{body}"
        "</body>\n"
        "</html>\n"
    )


#: An HTML table cell: its HTML and its class ("" for none).
_HtmlCell = tuple[str, str]


def _html_table(
    header: Sequence[str], rows: Iterable[Sequence[str | _HtmlCell]], css: str = ""
) -> str:
    """Return a table whose header is text and whose cells are HTML already."""
    head = "".join(f'<th scope="col">{escape_html(h)}</th>' for h in header)
    body = []
    for row in rows:
        cells = []
        for cell in row:
            html, cls = (cell, "") if isinstance(cell, str) else cell
            cells.append(f'<td class="{cls}">{html}</td>' if cls else f"<td>{html}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>\n")
    table = f'<table class="{css}">' if css else "<table>"
    return (
        f"{table}\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "".join(body)
        + "</tbody>\n</table>\n"
    )


def _html_header(title: str, notes: Sequence[str]) -> str:
    out = f"<h1>{escape_html(title)}</h1>\n"
    if notes:
        items = "".join(f"<li>{escape_html(n)}</li>" for n in notes)
        out += f'<ul class="notes">{items}</ul>\n'
    return out


def _html_summary(items: Sequence[tuple[int, str, str]]) -> str:
    cells = "".join(
        (f'<li class="{css}">' if css else "<li>")
        + f"<strong>{number}</strong>{escape_html(label)}</li>"
        for number, label, css in items
    )
    return f'<ul class="summary">{cells}</ul>\n'


def _findings_summary(findings: Sequence[Finding]) -> list[tuple[int, str, str]]:
    return [
        (number, f"{name} finding{'' if number == 1 else 's'}", f"sev-{name}")
        for name, number in severity_counts(findings).items()
    ]


def _html_steps(steps: Sequence[Step]) -> str:
    if not steps:
        return "<p>No steps.</p>\n"
    items = "".join(
        f'<li value="{s.order}">{escape_html(s.text)}<br>'
        f'<span class="meta">{escape_html(_step_note(s))}</span></li>\n'
        for s in steps
    )
    return f'<ol class="steps">\n{items}</ol>\n'


def _html_findings(findings: Sequence[Finding]) -> str:
    if not findings:
        return "<p>No findings.</p>\n"
    return _html_table(
        ["Severity", "Rule", "Subject", "Finding", "Remedy", "Source section"],
        (
            [
                (f.severity.value, f"sev-{f.severity.value}"),
                f"<code>{escape_html(f.rule.id)}</code><br>{escape_html(f.rule.title)}",
                escape_html(f.subject),
                escape_html(f.message),
                escape_html(f.rule.remedy),
                escape_html(f.rule.section),
            ]
            for f in findings
        ),
        css="findings",
    )


def _html_rules(rules: Sequence[Rule]) -> str:
    if not rules:
        return "<p>No rules.</p>\n"
    return _html_table(
        ["Rule", "Severity", "Title", "Fires when", "Remedy", "Source section"],
        (
            [
                f"<code>{escape_html(rule.id)}</code>",
                (rule.severity.value, f"sev-{rule.severity.value}"),
                escape_html(rule.title),
                escape_html(rule.description),
                escape_html(rule.remedy),
                escape_html(rule.section),
            ]
            for rule in rules
        ),
        css="rules",
    )


def _plan_html(plan: Plan, title: str, notes: Sequence[str]) -> str:
    modes = _mode_summary(plan)
    parts = [
        '<div class="hvb">\n',
        _html_header(title, notes),
        _html_summary(
            [
                (modes["vms"], "VMs", ""),
                (modes["online"], "online", "mode-online"),
                (modes["offline"], "offline", "mode-offline"),
                (modes["downtime"], "with downtime", "downtime"),
                *_findings_summary(plan.findings),
            ]
        ),
        "<h2>Virtual machines</h2>\n",
    ]
    if plan.decisions:
        rows: list[list[str | _HtmlCell]] = []
        for row, decision in zip(decision_rows(plan), plan.decisions.values(), strict=True):
            mode = decision.mode.value
            rows.append(
                [
                    escape_html(decision.vm),
                    escape_html(str(row["host"] or "")),
                    (mode, f"mode-{mode}"),
                    ("yes", "downtime") if decision.causes_downtime else "no",
                    decision.state_during_backup.value,
                    decision.state_after.value,
                    "<br>".join(escape_html(x) for x in _why_lines(decision)),
                ]
            )
        parts.append(
            _html_table(
                ["VM", "Host", "Mode", "Downtime", "During backup", "After", "Why"],
                rows,
                css="vms",
            )
        )
    else:
        parts.append("<p>No virtual machines.</p>\n")
    parts += ["<h2>Steps</h2>\n", _html_steps(plan.steps)]
    parts += ["<h2>Findings</h2>\n", _html_findings(plan.findings), "</div>\n"]
    return "".join(parts)


# --- JSON ----------------------------------------------------------------------------


def _json(meta: Mapping[str, Any] | None, body: Mapping[str, Any]) -> str:
    import json  # noqa: PLC0415 - only JSON output needs it

    document = {"schema_version": SCHEMA_VERSION, **(meta or {}), **body}
    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"


def _to_dict(result: Any) -> dict[str, Any]:
    from hyperv_backup.serialize import to_dict  # noqa: PLC0415 - only JSON output needs it

    return to_dict(result)


# --- public renderers ----------------------------------------------------------------


def render_findings(
    findings: Sequence[Finding],
    fmt: Format = Format.TEXT,
    *,
    title: str = "Findings",
    notes: Sequence[str] = (),
    meta: Mapping[str, Any] | None = None,
    color: bool = False,
    width: int = 80,
) -> str:
    """Render findings, most severe first, each with its rule, remedy and source.

    ``title`` and ``notes`` (lines under it) head the text, Markdown and HTML
    forms; ``meta`` adds keys to the JSON document after ``schema_version``.
    ``color`` adds ANSI colours to text; ``width`` is the text width.
    """
    findings = sort_findings(findings)
    counts = severity_counts(findings)
    match fmt:
        case Format.TEXT:
            out = _Text(color, width)
            lines = _text_header(title, [f"Findings: {_counts_text(counts)}", *notes], out)
            return "\n".join([*lines, *_text_findings(findings, out)]) + "\n"
        case Format.JSON:
            return _json(meta, {"summary": counts, "findings": [_to_dict(f) for f in findings]})
        case Format.MARKDOWN:
            lines = _md_header(title, [f"Findings: {_counts_text(counts)}", *notes])
            return "\n".join([*lines, *_md_findings(findings)]) + "\n"
        case Format.HTML:
            return (
                '<div class="hvb">\n'
                + _html_header(title, notes)
                + _html_summary(_findings_summary(findings))
                + _html_findings(findings)
                + "</div>\n"
            )
        case _:
            assert_never(fmt)


def render_plan(
    plan: Plan,
    fmt: Format = Format.TEXT,
    *,
    title: str = "Backup plan",
    notes: Sequence[str] = (),
    meta: Mapping[str, Any] | None = None,
    color: bool = False,
    width: int = 80,
) -> str:
    """Render a backup plan: a summary, the per-VM table, the ordered steps, the findings.

    Parameters as for :func:`render_findings`.
    """
    match fmt:
        case Format.TEXT:
            return _plan_text(plan, title, notes, _Text(color, width))
        case Format.JSON:
            body = _to_dict(plan)
            return _json(
                meta,
                {
                    "summary": {**_mode_summary(plan), "findings": severity_counts(plan.findings)},
                    "vms": decision_rows(plan),
                    "steps": body["steps"],
                    "findings": body["findings"],
                    "decisions": body["decisions"],
                },
            )
        case Format.MARKDOWN:
            return _plan_markdown(plan, title, notes)
        case Format.HTML:
            return _plan_html(plan, title, notes)
        case _:
            assert_never(fmt)


def render_steps(
    steps: Sequence[Step],
    fmt: Format = Format.TEXT,
    *,
    title: str = "Steps",
    notes: Sequence[str] = (),
    meta: Mapping[str, Any] | None = None,
    color: bool = False,
    width: int = 80,
) -> str:
    """Render ordered steps, then the rules they cite.

    Parameters as for :func:`render_findings`.
    """
    cited = _cited_rules(steps)
    match fmt:
        case Format.TEXT:
            out = _Text(color, width)
            lines = [*_text_header(title, notes, out), *_text_steps(steps, out)]
            if cited:
                lines += _text_section("Rules cited", _text_rules_table(cited, out), out)
            return "\n".join(lines) + "\n"
        case Format.JSON:
            return _json(meta, {"steps": [_to_dict(s) for s in steps]})
        case Format.MARKDOWN:
            lines = [*_md_header(title, notes), *_md_steps(steps)]
            if cited:
                lines += ["", "## Rules cited", "", *_md_rules(cited)]
            return "\n".join(lines) + "\n"
        case Format.HTML:
            html = '<div class="hvb">\n' + _html_header(title, notes) + _html_steps(steps)
            if cited:
                html += "<h2>Rules cited</h2>\n" + _html_rules(cited)
            return html + "</div>\n"
        case _:
            assert_never(fmt)


def render_rules(
    rules: Iterable[Rule],
    fmt: Format = Format.TEXT,
    *,
    title: str = "Rules",
    notes: Sequence[str] = (),
    meta: Mapping[str, Any] | None = None,
    color: bool = False,
    width: int = 80,
) -> str:
    """Render rules with their severity, title, description, remedy and source section.

    Parameters as for :func:`render_findings`.
    """
    items = list(rules)
    match fmt:
        case Format.TEXT:
            out = _Text(color, width)
            return "\n".join([*_text_header(title, notes, out), *_text_rules(items, out)]) + "\n"
        case Format.JSON:
            return _json(meta, {"rules": [_to_dict(r) for r in items]})
        case Format.MARKDOWN:
            return "\n".join([*_md_header(title, notes), *_md_rules(items)]) + "\n"
        case Format.HTML:
            return (
                '<div class="hvb">\n' + _html_header(title, notes) + _html_rules(items) + "</div>\n"
            )
        case _:
            assert_never(fmt)
