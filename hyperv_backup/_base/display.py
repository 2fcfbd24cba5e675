"""The notebook display hooks, shared by every class that has them.

The model and the results sit below the renderers, so they cannot import
them. Instead the package root tells :mod:`hyperv_backup._base`, once, how to
load the renderers; the hooks load them on the first display.
"""

from __future__ import annotations

from hyperv_backup._base import renderers

__all__ = ["NotebookDisplay"]


class NotebookDisplay:
    """Adds ``_repr_html_`` and ``_repr_markdown_`` (Jupyter's display hooks).

    The renderers are loaded on first display, so importing the package
    stays cheap and the model does not depend on them.
    """

    __slots__ = ()

    def _repr_html_(self) -> str:
        return renderers().to_html(self)

    def _repr_markdown_(self) -> str:
        return renderers().to_markdown(self)
