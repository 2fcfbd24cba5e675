"""What the two vssadmin readers share: the answer that nothing matched, in other languages.

The samples live in ``tests/fixtures/samples`` (see its README for where each
came from; names containing ``-madeup-`` were written for these tests).
"""

from __future__ import annotations

import pytest

from hyperv_backup.readers import (
    vssadmin_shadow_storage,
    vssadmin_writers,
)
from tests.readers._shared import (
    BANNER,
    Reader,
    problem,
)

# --- the empty answer in other languages ---------------------------------------------------


@pytest.mark.parametrize("reader", [vssadmin_writers, vssadmin_shadow_storage])
def test_a_lone_sentence_after_the_banner_is_read_as_nothing_found(reader: Reader) -> None:
    """The wording in other languages is not assumed: one colon-free sentence, nothing else.

    The sentence below stands in for a translation; it is not quoted from vssadmin.
    """
    assert reader(BANNER + "\nAucun \u00e9l\u00e9ment trouv\u00e9.\n\nC:\\>") == ()


@pytest.mark.parametrize(
    ("tail", "line"),
    [
        ("\nErreur : acc\u00e8s refus\u00e9.\n", 4),
        ("\nError: Invalid command.\n", 4),
        ("\nUne phrase.\nUne autre.\n", 4),
        ("\nPas de point final\n", 4),
        ("\n\n", 1),
    ],
)
@pytest.mark.parametrize("reader", [vssadmin_writers, vssadmin_shadow_storage])
def test_anything_else_after_the_banner_is_refused(reader: Reader, tail: str, line: int) -> None:
    found = problem(reader, BANNER + tail)
    assert found.path == f"line {line}"
    if line == 1:
        assert "vssadmin printed nothing after its banner" in found.message
    else:
        assert "or vssadmin's one-line answer that nothing matched" in found.message
