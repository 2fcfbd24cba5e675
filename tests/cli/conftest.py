"""Fixtures shared by the tests of this folder."""

from __future__ import annotations

from typing import Any

import pytest

from hyperv_backup.cli import main
from tests.cli._shared_cli import (
    Run,
)


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Any:
    def invoke(*args: str) -> Run:
        code = main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return invoke
