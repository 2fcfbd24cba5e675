"""Every published event of the corpus is recognised by the signature its cause calls for.

The expectations and the reasons for each event that stays unrecognised are in
``tests/diagnose/corpus.py``; the share recognised is printed in docs/diagnose.md.
"""

from __future__ import annotations

import re

import pytest

from hyperv_backup.rules import RULES, Severity
from tests.diagnose.corpus import (
    EXPECTED,
    NOT_EXPLAINED,
    corpus_diagnosis,
    files,
    recognised_share,
)
from tests.paths import ROOT


def test_every_corpus_event_has_an_expectation() -> None:
    assert sorted(EXPECTED) == files()
    assert len(EXPECTED) >= 60


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_the_corpus_event_is_recognised_as_published(key: str) -> None:
    expected, kind = EXPECTED[key]
    found = corpus_diagnosis(key).findings
    if expected is None:
        assert key in NOT_EXPLAINED
        assert all(not f.recognised for f in found)
        return
    assert [f.rule.id for f in found] == [expected]
    if kind == "harmless":
        # Harmless by the publisher's word: never an error.
        assert found[0].severity is not Severity.ERROR


def test_every_unexplained_event_says_why() -> None:
    assert set(NOT_EXPLAINED) == {key for key, (rule, _) in EXPECTED.items() if rule is None}


def test_most_signatures_are_tested_on_a_published_event() -> None:
    """A signature no corpus event shows is tested on a published message or a made-up record."""
    shown = {rule for rule, _ in EXPECTED.values() if rule is not None}
    new = {rule_id for rule_id in RULES if "HVB712" <= rule_id <= "HVB799"}
    assert new - shown == {"HVB752", "HVB753", "HVB754"}


def test_the_share_in_the_docs_is_the_one_computed() -> None:
    recognised, total = recognised_share()
    assert recognised == total - 1
    text = (ROOT / "docs" / "diagnose.md").read_text(encoding="utf-8")
    assert re.search(rf"\b{recognised} of {total}\b", text)
