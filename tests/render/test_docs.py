"""The generated reference pages are current, and their generator works."""

from __future__ import annotations

from pathlib import Path

import pytest

from hyperv_backup.decide.cluster import BACKUP_TABLE, RESTORE_TABLE
from hyperv_backup.render import docgen as _docgen
from hyperv_backup.rules import RULES
from tests.paths import DOCS


@pytest.mark.parametrize("name", sorted(_docgen.PAGES))
def test_committed_page_is_current(name: str) -> None:
    """docs/rules.md and docs/decision-tables.md are what the generator writes now."""
    committed = (DOCS / name).read_text(encoding="utf-8")
    assert committed == _docgen.PAGES[name](), (
        f"docs/{name} is out of date: run python -m hyperv_backup.render.docgen"
    )


def test_rules_page_lists_every_rule_with_its_source_and_remedy() -> None:
    page = _docgen.rules_page()
    for rule in RULES.values():
        assert f"## {rule.id}\n" in page
        source = rule.source
        assert f"- Source: *{source.heading}*, [{source.page.title}]({source.page.url})" in page
        assert f"Remedy: {rule.remedy}" in page
    assert "warning where KB958184 is installed" in page


def test_tables_page_has_one_line_per_row() -> None:
    page = _docgen.decision_tables_page()
    actions = [
        line for line in page.splitlines() if line.startswith(("| this_node", "| other_node"))
    ]
    assert len(actions) == len(BACKUP_TABLE) + len(RESTORE_TABLE)
    assert "| other_node | any | any | any | any | `move_to_node` | source |" in page
    assert "| derived |" in page


def test_check_mode_reports_stale_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--check exits 1 and names the stale pages without writing; a plain run writes them."""
    (tmp_path / "rules.md").write_text("stale\n", encoding="utf-8")
    assert _docgen.main(["--check", "--docs", str(tmp_path)]) == 1
    assert "rules.md" in capsys.readouterr().err
    assert (tmp_path / "rules.md").read_text(encoding="utf-8") == "stale\n"
    assert not (tmp_path / "decision-tables.md").exists()

    assert _docgen.main(["--docs", str(tmp_path)]) == 0
    assert _docgen.main(["--check", "--docs", str(tmp_path)]) == 0
    assert (tmp_path / "rules.md").read_text(encoding="utf-8") == _docgen.rules_page()
