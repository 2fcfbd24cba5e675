"""One renderer per format, looked up by format; a share of many inputs reaches its own renderer only."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

import hyperv_backup as hb
from hyperv_backup.diagnose import diagnose
from hyperv_backup.render import (
    Format,
    Frame,
    Renderer,
    ReportFormat,
    UnsupportedResultError,
    html,
    markdown,
    nagios,
    prometheus,
    render_diagnosis,
    render_findings,
    render_fleet,
    render_plan,
    render_rules,
    render_steps,
    renderer,
    text,
)
from hyperv_backup.render import json as json_format
from hyperv_backup.render.junit import RENDERER as JUNIT
from hyperv_backup.render.junit import JunitPart
from hyperv_backup.render.nagios import NagiosPart
from hyperv_backup.render.prometheus import PrometheusPart
from hyperv_backup.render.reports import InventoryReport, Share, inventory_report
from hyperv_backup.render.sarif import RENDERER as SARIF
from hyperv_backup.render.sarif import SarifPart

#: Every kind of result, rendered through its public function in a format.
KINDS: dict[str, Callable[[Format | ReportFormat], str]] = {
    "findings": lambda fmt: render_findings(hb.check(hb.load_example("cluster")), fmt),
    "plan": lambda fmt: render_plan(hb.backup_plan(hb.load_example("cluster")), fmt),
    "steps": lambda fmt: render_steps(hb.backup_plan(hb.load_example("host")).steps, fmt),
    "rules": lambda fmt: render_rules(hb.RULES.values(), fmt),
    "diagnosis": lambda fmt: render_diagnosis(
        diagnose([], since=datetime(2026, 1, 1, tzinfo=UTC)), fmt
    ),
}


def _report(name: str = "cluster") -> InventoryReport:
    target = hb.load_example(name)
    return inventory_report(f"{name}.json", "check", target, hb.check(target), status=1)


def test_each_renderer_keeps_the_protocol() -> None:
    """Each format's renderer is a Renderer of its share's type (mypy checks the assignment)."""
    kept: tuple[
        Renderer[str],
        Renderer[str | None],
        Renderer[str],
        Renderer[str],
        Renderer[SarifPart],
        Renderer[JunitPart],
        Renderer[PrometheusPart],
        Renderer[NagiosPart],
    ] = (
        text.RENDERER,
        json_format.RENDERER,
        markdown.RENDERER,
        html.RENDERER,
        SARIF,
        JUNIT,
        prometheus.RENDERER,
        nagios.RENDERER,
    )
    assert list(kept) == [renderer(fmt) for fmt in (*Format, *ReportFormat)]


@pytest.mark.parametrize("fmt", [*Format, *ReportFormat])
def test_every_format_has_one_renderer(fmt: Format | ReportFormat) -> None:
    found = renderer(fmt)
    assert found is renderer(fmt)
    for method in ("findings", "plan", "steps", "rules", "diagnosis", "part", "fleet"):
        assert callable(getattr(found, method))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", list(Format))
def test_a_document_format_renders_every_kind_of_result(kind: str, fmt: Format) -> None:
    out = KINDS[kind](fmt)
    assert out.endswith("\n")
    if fmt is Format.JSON:
        # The plan's document is at 2 since its rows' reasons became an array.
        assert json.loads(out)["schema_version"] == (2 if kind == "plan" else 1)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", list(ReportFormat))
def test_a_format_for_other_tools_says_it_renders_reports_only(
    kind: str, fmt: ReportFormat
) -> None:
    """SARIF, JUnit and Prometheus refuse any result but reports, with an error naming the format."""
    with pytest.raises(UnsupportedResultError, match=f"the {fmt.value} format renders the reports"):
        KINDS[kind](fmt)
    assert issubclass(UnsupportedResultError, hb.HypervBackupError)


@pytest.mark.parametrize("fmt", [*Format, *ReportFormat])
def test_shares_made_apart_join_as_the_reports_would(fmt: Format | ReportFormat) -> None:
    """What a worker makes of each input, joined, is what the whole reports render to."""
    reports = [_report("cluster"), _report("host")]
    frame = Frame(title="t")
    found = renderer(fmt)
    shares = [Share(r.summary(), found.part(r, i, frame)) for i, r in enumerate(reports)]
    assert found.fleet(shares, frame) == render_fleet(reports, fmt, title="t")


def test_a_share_made_for_one_format_reaches_no_other_renderer() -> None:
    """A SARIF share is refused by the JUnit renderer: by its type, and when run, by name."""
    report = _report()
    frame = Frame(title="t")
    share = Share(report.summary(), SARIF.part(report, 0, frame))
    assert isinstance(share.part, SarifPart)
    with pytest.raises(TypeError, match="JUnit renderer cannot join a share made as SarifPart"):
        JUNIT.fleet([share], frame)  # type: ignore[list-item]
    own = Share(report.summary(), JUNIT.part(report, 0, frame))
    assert isinstance(own.part, JunitPart)
    assert JUNIT.fleet([own], frame).startswith("<?xml")


def test_the_frame_reaches_the_renderer() -> None:
    """Title, notes and meta given to a render function are those the renderer sees."""
    out = render_findings([], Format.JSON, meta={"command": "check"})
    assert list(json.loads(out)) == ["schema_version", "command", "summary", "findings"]
    text = render_findings([], title="Odd title", notes=["a note"])
    assert text.splitlines()[:3] == [
        "Odd title",
        "=========",
        "Findings: 0 errors, 0 warnings, 0 info",
    ]
    assert "a note" in text
    assert Frame(title="t", notes=["x"]).notes == ("x",)
