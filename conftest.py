"""What every test and documentation example runs with."""

from __future__ import annotations

import pytest

#: The time reports made by the command line say they were made, in every test
#: (the child processes some tests start inherit it): reports stay the same
#: from one run to the next, as ``SOURCE_DATE_EPOCH`` promises.
MADE_AT = "1796520600"  # 2026-12-06T01:30:00Z


@pytest.fixture(autouse=True)
def _reports_made_at_one_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", MADE_AT)
