"""The notebook display hooks, shared by every class that has them."""

from __future__ import annotations

from typing import Any

__all__ = ["NotebookDisplay"]


class NotebookDisplay:
    """Adds ``_repr_html_`` and ``_repr_markdown_`` (Jupyter's display hooks).

    The renderers are imported on first display, so importing the package
    stays cheap and the model does not depend on them.
    """

    __slots__ = ()

    def _repr_html_(self) -> str:
        from hyperv_backup.display import to_html  # noqa: PLC0415 - lazy, see above

        obj: Any = self
        return to_html(obj)

    def _repr_markdown_(self) -> str:
        from hyperv_backup.display import to_markdown  # noqa: PLC0415 - lazy, see above

        obj: Any = self
        return to_markdown(obj)
