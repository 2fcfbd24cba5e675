"""Where the tests find the repository's files, wherever the test module sits."""

from __future__ import annotations

from pathlib import Path

#: The repository root.
ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
BENCHMARKS = ROOT / "benchmarks"
#: Recorded and made-up inputs the tests read.
FIXTURES = ROOT / "tests" / "fixtures"
