"""Helpers shared by the fuzz tests."""

from __future__ import annotations

import os
import reprlib

from hypothesis import HealthCheck, settings

from hyperv_backup import (
    InventoryError,
)

#: Cases per fuzz test; raise it for a long campaign.
FUZZ_EXAMPLES = int(os.environ.get("HVB_FUZZ_EXAMPLES", "200"))


FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


#: How much longer than its input an error message may be: a few hundred characters
#: per problem (an enum's allowed values, a path), never a copy of the input per problem.
AMPLIFICATION = 50


SLACK = 10_000


_SHORT = reprlib.Repr()


_SHORT.maxstring = _SHORT.maxother = 160


_SHORT.maxlevel = 12


_SHORT.maxdict = _SHORT.maxlist = _SHORT.maxtuple = 40


def _size(data: object, enough: int) -> int:
    """Measure an input: its length as text or bytes, or the length of all a mapping holds.

    Counting stops once ``enough`` is reached.
    """
    if isinstance(data, str | bytes):
        return len(data)
    total = 0
    stack = [data]
    while stack and total < enough:
        node = stack.pop()
        total += 1
        if isinstance(node, str):
            total += len(node)
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)
    return total


def _check_problems(error: InventoryError, data: object, *, line_paths: bool = False) -> None:
    """Check what every rejection promises: problems with paths, a message of bounded size.

    The readers of command output name lines: their paths are ``line N``.
    """
    assert error.problems
    if line_paths:
        assert all(p.path.startswith("line ") for p in error.problems), error
    assert error.path == error.problems[0].path
    for problem in error.problems:
        assert isinstance(problem.path, str)
        assert isinstance(problem.message, str)
    message = str(error)
    if len(message) > SLACK:
        needed = -(-(len(message) - SLACK) // AMPLIFICATION)
        assert _size(data, needed) >= needed, message[:300]
