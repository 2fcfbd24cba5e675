"""Telling linear from quadratic work by timing it on inputs of doubling size.

A growth test times a piece of work on inputs of size ``n``, ``2n``, ... up
to ``32n`` and compares the times with one another, never with a fixed
number of seconds: a loaded machine slows every size alike. Linear work takes
about twice as long at each doubling, quadratic work four times; the test
takes the median of the five doublings and bounds it at 3. The median lets
one doubling stand out: on a busy machine the step where the input outgrows
a processor cache can take several times longer than the one before, where
quadratic work is slower at every step. Each time is the least of several
runs, work too quick to time alone repeated in batches. Work that takes
longer than :data:`GIVE_UP_SECONDS` on one input has failed already: the
larger sizes are not tried.
"""

from __future__ import annotations

import itertools
import statistics
import time
from collections.abc import Callable, Sequence

__all__ = [
    "DOUBLINGS",
    "GIVE_UP_SECONDS",
    "MAX_GROWTH",
    "Series",
    "growth",
    "growth_per_doubling",
    "is_linear",
    "overall",
    "ratios_text",
]

#: The most the median doubling of the size may multiply the time by (2: linear, 4: quadratic).
MAX_GROWTH = 3.0
#: How many times the size doubles: six sizes.
DOUBLINGS = 5
#: A single run this long means the work is not linear at these sizes.
GIVE_UP_SECONDS = 2.0
#: Runs per size; the least time is kept.
RUNS = 3
#: Work quicker than this is repeated in batches that take at least this long.
BATCH_SECONDS = 0.0002
#: The most times one batch repeats the work.
MAX_REPEAT = 4096

#: (size, seconds) for each size tried.
Series = list[tuple[int, float]]


def growth(
    work: Callable[[int], Callable[[], object]],
    base: int,
    *,
    doublings: int = DOUBLINGS,
    runs: int = RUNS,
) -> Series:
    """Time ``work(size)()`` for ``base`` and each doubling of it; return the times.

    ``work(size)`` builds the input (not timed) and returns the call to time.
    Work too quick to time alone is repeated, the same number of times at
    every size, until the smallest size takes :data:`BATCH_SECONDS`; each size
    keeps the least of its runs, which a busy machine can only make longer.
    """
    repeat = _repeat(work(base))
    series: Series = []
    for step in range(doublings + 1):
        size = base << step
        call = work(size)
        times = []
        for _ in range(runs):
            elapsed = _timed(call, repeat)
            times.append(elapsed)
            if elapsed > GIVE_UP_SECONDS:
                series.append((size, elapsed))
                return series
        series.append((size, min(times)))
    return series


def _timed(call: Callable[[], object], repeat: int) -> float:
    # The thread's own CPU time, not the wall clock: on a busy machine a call
    # long enough to be preempted would count the time other processes ran.
    start = time.thread_time()
    for _ in range(repeat):
        call()
    return (time.thread_time() - start) / repeat


def _repeat(call: Callable[[], object]) -> int:
    """Return how many times ``call`` runs in a batch of :data:`BATCH_SECONDS` or more."""
    repeat = 1
    while repeat < MAX_REPEAT and _timed(call, repeat) * repeat < BATCH_SECONDS:
        repeat *= 2
    return repeat


def ratios_text(series: Sequence[tuple[int, float]]) -> str:
    """Say the times and their growth, for a failure message and the figures of docs/testing.md."""
    shown = ", ".join(f"{size:,}: {seconds * 1000:.2f} ms" for size, seconds in series)
    return (
        f"{shown}; largest/smallest {overall(series):.1f}, "
        f"per doubling {growth_per_doubling(series):.2f}"
    )


def overall(series: Sequence[tuple[int, float]]) -> float:
    """Return the time of the largest size over the time of the smallest."""
    return series[-1][1] / max(series[0][1], 1e-9)


def growth_per_doubling(series: Sequence[tuple[int, float]]) -> float:
    """Return the median of how much longer each doubling of the size takes: 2 linear, 4 quadratic.

    The median, not the whole growth: on a busy machine one doubling where the
    input outgrows a processor cache can take several times longer than the
    one before, linear or not; quadratic work takes four times longer at every
    doubling.
    """
    steps = [later / max(earlier, 1e-9) for (_, earlier), (_, later) in itertools.pairwise(series)]
    return statistics.median(steps)


def is_linear(series: Sequence[tuple[int, float]], doublings: int = DOUBLINGS) -> bool:
    """Whether every size was timed and a doubling took at most :data:`MAX_GROWTH` times longer."""
    return len(series) == doublings + 1 and growth_per_doubling(series) <= MAX_GROWTH
