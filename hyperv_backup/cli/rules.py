"""``rules``: the rule catalogue."""

from __future__ import annotations

from hyperv_backup.cli._io import (
    output,
)
from hyperv_backup.cli._options import (
    EXIT_OK,
    Command,
    Options,
)
from hyperv_backup.render import (
    render_rules,
)
from hyperv_backup.rules import RULES

__all__ = ["run"]


def run(options: Options) -> int:
    """Run ``rules``: print the rule catalogue."""
    title = "Hyper-V backup rules"
    meta = {"command": Command.RULES.value}
    output(
        options,
        title,
        lambda fmt, color, width: render_rules(
            RULES.values(), fmt, title=title, meta=meta, color=color, width=width
        ),
    )
    return EXIT_OK
