"""Public names of a package imported from their modules on first use (PEP 562).

A package's ``__init__`` that imported all its public names up front would load
every module behind them, even for a caller that needs one. With
:class:`LazyNames` the package lists where each name lives; its module-level
``__getattr__`` imports a name the first time it is asked for, and keeps it.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any

__all__ = ["LazyNames"]


class LazyNames:
    """Where each lazy name of the package ``package`` lives, and how to load it.

    ``homes`` maps a module of the package (relative, ``"decide.mode"``) to the
    names it provides; ``submodules`` are the package's modules that are also
    reachable as attributes. ``namespace`` is the package's ``globals()``: a
    loaded name is stored there, so later look-ups do not come back here.
    """

    __slots__ = ("_namespace", "_package", "names", "submodules")

    def __init__(
        self,
        package: str,
        namespace: MutableMapping[str, Any],
        homes: Mapping[str, Iterable[str]],
        submodules: Iterable[str] = (),
    ) -> None:
        self._package = package
        self._namespace = namespace
        #: Lazy name -> the module (relative to the package) it is imported from.
        self.names = {name: module for module, names in homes.items() for name in names}
        self.submodules = frozenset(submodules)

    def load(self, name: str) -> object:
        """Import ``name`` (a lazy name or a submodule), store it and return it.

        Raises :class:`AttributeError` for any other name, as a module does.
        """
        module = self.names.get(name)
        if module is not None:
            value = getattr(importlib.import_module(f"{self._package}.{module}"), name)
        elif name in self.submodules:
            value = importlib.import_module(f"{self._package}.{name}")
        else:
            msg = f"module {self._package!r} has no attribute {name!r}"
            raise AttributeError(msg)
        self._namespace[name] = value
        return value

    def listing(self, public: Iterable[str]) -> list[str]:
        """Return what ``dir()`` of the package shows: loaded or not yet, with ``public``."""
        return sorted({*self._namespace, *public, *self.submodules})
