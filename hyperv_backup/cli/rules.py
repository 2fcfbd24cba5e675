"""``rules``: the rule catalogue."""

from __future__ import annotations

import attrs

from hyperv_backup._base import public_dir
from hyperv_backup.cli._io import (
    base_frame,
    render,
)
from hyperv_backup.cli._options import (
    EXIT_OK,
    Command,
    Options,
)
from hyperv_backup.rules import PROFILE_RULES, RULES

__all__ = ["run"]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)


def run(options: Options) -> int:
    """Run ``rules``: print the rule catalogue, or the rules of one ``--profile``."""
    title = "Hyper-V backup rules"
    meta: dict[str, object] = {"command": Command.RULES.value}
    rules = list(RULES.values())
    profile = options.profile
    if profile is not None:
        title = f"Hyper-V backup rules of the profile of {profile.label}"
        meta["profile"] = profile.value
        rules = [r for r in rules if r.id in PROFILE_RULES[profile]]
    frame = attrs.evolve(base_frame(options), title=title, meta=meta)
    render(options, frame, lambda output, framed: output.rules(rules, framed))
    return EXIT_OK
