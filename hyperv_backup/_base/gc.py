"""Pausing Python's cyclic garbage collector while a large model is built."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused_collector"]


@contextlib.contextmanager
def paused_collector(*, aged: bool = False) -> Iterator[None]:
    """Pause the cyclic collector for the block, then restore its previous setting.

    Parsing an inventory and evaluating it create hundreds of thousands of
    objects and no reference cycles. The collector would still walk every
    young object again and again as they pile up (about a third of the time of
    a 20,000-VM parse): pausing it costs nothing but the reference cycles that
    this work does not create. Reference counting frees memory as usual.

    With ``aged``, the objects tracked when the block ends are moved to the
    oldest generation (``gc.freeze()`` then ``gc.unfreeze()``, which only
    relinks a list). Otherwise the first collection after a large parse walks
    every object of the new model, and the second and third walk it again as
    it is promoted: a model is built to be kept, so it is treated as old at
    once. Young objects of the caller's are moved with it; any cycle among
    them is still collected, at the next full collection rather than a
    younger one. Nothing is done when the collector was off to begin with.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if aged:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
