"""Telling linear from quadratic work by timing it on inputs of doubling size.

A growth test times a piece of work on an input of size ``n``, ``2n``,
``4n`` and ``8n`` and compares the times with one another, never with a
fixed number of seconds: a loaded machine slows every size alike. Linear
work takes about 8 times as long on the largest input as on the smallest,
quadratic work 64 times; the bound is 27 (three times per doubling), far
from both, so the tests are not flaky on a busy two-core machine. Each time
is the median of several runs. Work that takes longer than
:data:`GIVE_UP_SECONDS` on one input has failed already: the larger sizes
are not tried.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence

__all__ = [
    "GIVE_UP_SECONDS",
    "MAX_RATIO",
    "Series",
    "growth",
    "is_linear",
    "overall",
    "ratios_text",
]

#: The most the time may grow from the smallest to the largest of four doubling sizes.
MAX_RATIO = 27.0
#: A single run this long means the work is not linear at these sizes.
GIVE_UP_SECONDS = 2.0
#: Runs per size; the median is kept.
RUNS = 5

#: (size, median seconds) for each size tried.
Series = list[tuple[int, float]]


def growth(
    work: Callable[[int], Callable[[], object]],
    base: int,
    *,
    doublings: int = 3,
    runs: int = RUNS,
) -> Series:
    """Time ``work(size)()`` for ``base`` and each doubling of it; return the medians.

    ``work(size)`` builds the input (not timed) and returns the call to time.
    """
    series: Series = []
    for step in range(doublings + 1):
        size = base << step
        call = work(size)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            call()
            elapsed = time.perf_counter() - start
            times.append(elapsed)
            if elapsed > GIVE_UP_SECONDS:
                series.append((size, elapsed))
                return series
        series.append((size, statistics.median(times)))
    return series


def ratios_text(series: Sequence[tuple[int, float]]) -> str:
    """Say the times and their growth, for a failure message and the figures of docs/testing.md."""
    shown = ", ".join(f"{size:,}: {seconds * 1000:.2f} ms" for size, seconds in series)
    return f"{shown}; largest/smallest {overall(series):.1f}"


def overall(series: Sequence[tuple[int, float]]) -> float:
    """Return the time of the largest size over the time of the smallest."""
    return series[-1][1] / max(series[0][1], 1e-9)


def is_linear(series: Sequence[tuple[int, float]], doublings: int = 3) -> bool:
    """Whether every size was timed and the time grew by at most :data:`MAX_RATIO`."""
    return len(series) == doublings + 1 and overall(series) <= MAX_RATIO
