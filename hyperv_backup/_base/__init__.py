"""The foundation every layer may import: it imports nothing else of the package.

This module holds what the package root needs when it is imported, in one
file so that ``import hyperv_backup`` stays cheap: :class:`LazyNames` (public
names imported from their module on first use, PEP 562) and the hook through
which the root tells the display hooks where the renderers are
(:func:`use_renderers`); and :class:`HypervBackupError`, the one base class
of the package's errors. The other modules:

* :mod:`~hyperv_backup._base.display`: the notebook display hooks the model and
  results inherit;
* :mod:`~hyperv_backup._base.gc`: pausing the cyclic garbage collector around
  large work, when the caller asks (``hyperv_backup.paused_collector``);
* :mod:`~hyperv_backup._base.slots`: building frozen attrs objects by their slots,
  for the objects made by the ten thousand;
* :mod:`~hyperv_backup._base.jsontext`: the JSON text of the documents the package
  writes, through ``orjson`` when it is installed.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any

__all__ = [
    "HypervBackupError",
    "LazyNames",
    "Renderers",
    "public_dir",
    "renderers",
    "use_renderers",
]


class HypervBackupError(ValueError):
    """Base class of the errors raised for input this package cannot accept.

    It is a :class:`ValueError`, so callers that already catch ``ValueError``
    keep working; catch this class to tell this package's errors apart.
    """


# Shown where users meet it: the package's top level, not this private module.
HypervBackupError.__module__ = "hyperv_backup"


if TYPE_CHECKING:
    # Only type checkers need the protocol: building one at import costs time.
    from typing import Protocol

    class Renderers(Protocol):
        """What the display hooks need: a module with ``to_html`` and ``to_markdown``."""

        def to_html(self, obj: Any, /) -> str:
            """Return the HTML fragment of ``obj``."""

        def to_markdown(self, obj: Any, /) -> str:
            """Return the Markdown of ``obj``."""


_load: Callable[[], Renderers] | None = None


def use_renderers(load: Callable[[], Renderers]) -> None:
    """Set how the display hooks load the renderers (the package root calls this)."""
    global _load  # noqa: PLW0603 - set once, by the package root
    _load = load


def renderers() -> Renderers:
    """Load the renderers the package root named."""
    if _load is None:  # pragma: no cover - the package root sets it on import
        msg = "no renderers: hyperv_backup has not set them"
        raise RuntimeError(msg)
    return _load()


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
        """Return what ``dir()`` of the package shows: ``public`` and its public modules."""
        return sorted({*public, *self.submodules})


def public_dir(module: str, public: Iterable[str]) -> Callable[[], list[str]]:
    """Return a ``__dir__`` for ``module`` that lists its public names only.

    Those are ``public`` (the module's ``__all__``) and, for a package, its
    public submodules imported so far, which are its attributes too. The names
    a module imports for its own use, and its private ones, are left out.
    """
    names = frozenset(public)
    prefix = f"{module}."

    def public_names() -> list[str]:
        submodules = {
            name[len(prefix) :]
            for name in list(sys.modules)
            if name.startswith(prefix) and "." not in name[len(prefix) :]
        }
        return sorted(names | {m for m in submodules if not m.startswith("_")})

    return public_names
