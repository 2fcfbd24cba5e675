"""The notebook display hooks, shared by every class that has them.

The model and the results sit below the renderers, so they cannot import
them. Instead the package root tells this module, once, how to load the
renderers (:func:`use_renderers`); the hooks load them on the first display.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

__all__ = ["NotebookDisplay", "Renderers", "use_renderers"]


class Renderers(Protocol):
    """What the hooks need: a module with ``to_html`` and ``to_markdown``."""

    def to_html(self, obj: Any, /) -> str:
        """Return the HTML fragment of ``obj``."""

    def to_markdown(self, obj: Any, /) -> str:
        """Return the Markdown of ``obj``."""


_load: Callable[[], Renderers] | None = None


def use_renderers(load: Callable[[], Renderers]) -> None:
    """Set how the display hooks load the renderers (the package root calls this)."""
    global _load  # noqa: PLW0603 - set once, by the package root
    _load = load


def _renderers() -> Renderers:
    if _load is None:  # pragma: no cover - the package root sets it on import
        msg = "no renderers: hyperv_backup has not set them"
        raise RuntimeError(msg)
    return _load()


class NotebookDisplay:
    """Adds ``_repr_html_`` and ``_repr_markdown_`` (Jupyter's display hooks).

    The renderers are loaded on first display, so importing the package
    stays cheap and the model does not depend on them.
    """

    __slots__ = ()

    def _repr_html_(self) -> str:
        return _renderers().to_html(self)

    def _repr_markdown_(self) -> str:
        return _renderers().to_markdown(self)
