"""``example [NAME]``: a bundled example inventory."""

from __future__ import annotations

from typing import assert_never

from hyperv_backup._base import public_dir
from hyperv_backup.cli._io import (
    example_text_or_exit,
    write,
)
from hyperv_backup.cli._options import (
    DEFAULT_EXAMPLE,
    EXIT_OK,
    Options,
)
from hyperv_backup.inventory import INVENTORY_SCHEMA
from hyperv_backup.render import (
    Format,
    escape_html,
    escape_markdown,
    html_page,
)

__all__ = ["run"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


def run(options: Options) -> int:
    """Run ``example``: print a bundled example inventory."""
    name = options.operands[0] if options.operands else DEFAULT_EXAMPLE
    text = _with_schema(example_text_or_exit(name).rstrip("\n") + "\n")
    fmt = options.format
    match fmt:
        case Format.TEXT | Format.JSON:
            # The inventory itself, ready to be saved and edited.
            output = text
        case Format.MARKDOWN:
            output = f"# Example inventory {escape_markdown(name)}\n\n```json\n{text}```\n"
        case Format.HTML:
            title = f"Example inventory {name}"
            output = html_page(
                title,
                f'<div class="hvb">\n<h1>{escape_html(title)}</h1>\n'
                f"<pre><code>{_escape_pre(text)}</code></pre>\n</div>\n",
            )
        case _:
            assert_never(fmt)
    write(output, fmt, options.output)
    return EXIT_OK


def _with_schema(text: str) -> str:
    """Return the example's text with ``$schema`` as its first key, kept as it is written otherwise."""
    # Inserted, not parsed and written again: the example keeps its layout.
    opening = "{\n"
    if not text.startswith(opening):  # pragma: no cover - every example opens so
        return text
    return f'{opening}  "$schema": "{INVENTORY_SCHEMA}",\n{text.removeprefix(opening)}'


def _escape_pre(text: str) -> str:
    """Escape ``text`` for a ``<pre>`` block, keeping its line breaks."""
    return "\n".join(escape_html(line) for line in text.split("\n"))
