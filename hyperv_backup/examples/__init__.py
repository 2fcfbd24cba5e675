"""Example inventories shipped with the package.

>>> sorted(example_names())
['cluster', 'host']
>>> load_example("host").name
'HV-STANDALONE01'
"""

from __future__ import annotations

from importlib import resources

from hyperv_backup.inventory import parse_inventory
from hyperv_backup.model import Cluster, Host

__all__ = ["example_names", "example_text", "load_example"]

#: Example name -> file in this package.
_FILES = {
    "cluster": "cluster-2008r2.json",
    "host": "standalone-2012r2.json",
}


def example_names() -> tuple[str, ...]:
    """Return the names :func:`load_example` accepts."""
    return tuple(_FILES)


def example_text(name: str) -> str:
    """Return the JSON text of the example ``name``.

    Raises :class:`KeyError` naming the known examples for any other name.
    """
    try:
        file = _FILES[name]
    except KeyError:
        known = ", ".join(repr(n) for n in _FILES)
        msg = f"no example named {name!r}; known: {known}"
        raise KeyError(msg) from None
    return resources.files(__name__).joinpath(file).read_text(encoding="utf-8")


def load_example(name: str) -> Host | Cluster:
    """Load the bundled example inventory ``name`` (see :func:`example_names`)."""
    return parse_inventory(example_text(name))
