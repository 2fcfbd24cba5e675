"""Building frozen attrs objects by setting their slots, for objects made by the ten thousand."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

__all__ = ["slot_setters"]


def slot_setters(cls: type, *names: str) -> tuple[Callable[[Any, Any], None], ...]:
    """Return a setter of each field ``names`` of ``cls``, a frozen attrs class with slots.

    For the objects built by the ten thousand: ``object.__new__(cls)`` and
    these setters build one in about half the time of its ``__init__``, which
    takes keywords and, the class being frozen, sets each field by name
    through ``object.__setattr__``. ``names`` must be every field, so that none
    is left unset; and since nothing else of ``__init__`` runs, a class with a
    validator, a converter or an init hook is refused.
    """
    fields = attrs.fields(cls)
    if sorted(names) != sorted(field.name for field in fields):
        msg = f"expected every field of {cls.__name__} once, got {names!r}"
        raise TypeError(msg)
    hooks = ("__attrs_pre_init__", "__attrs_post_init__")
    if any(f.validator or f.converter for f in fields) or any(hasattr(cls, h) for h in hooks):
        msg = f"{cls.__name__} runs code when it is built; build it with its __init__"
        raise TypeError(msg)
    return tuple(vars(cls)[name].__set__ for name in names)
