"""Example inventories shipped with the package.

>>> sorted(example_names())
['cluster', 'cluster-2016', 'cluster-2022', 'host', 'host-2012']
>>> load_example("host").name
'HV-STANDALONE01'
"""

from __future__ import annotations

import pkgutil
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hyperv_backup.model import Cluster, Host

__all__ = ["example_names", "example_text", "load_example"]

#: Example name -> file in this package.
_FILES = {
    "cluster": "cluster-2008r2.json",
    "host": "standalone-2012r2.json",
    "cluster-2022": "cluster-2022.json",
    "host-2012": "standalone-2012.json",
    "cluster-2016": "cluster-2016-rolling.json",
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
    # pkgutil reads package data through the package's loader, as importlib.resources
    # does, but costs next to nothing to import; the command line reads an example
    # on every --example.
    data = pkgutil.get_data(__name__, file)
    if data is None:  # pragma: no cover - only a loader that cannot read files gives None
        msg = f"cannot read the example file {file!r} of {__name__}"
        raise FileNotFoundError(msg)
    # Line ends as a file opened as text reads them, whatever a checkout gave the file.
    return data.decode("utf-8").replace("\r\n", "\n")


def load_example(name: str) -> Host | Cluster:
    """Load the bundled example inventory ``name`` (see :func:`example_names`)."""
    # The command line asks this module for the example names whatever the command;
    # only loading an example needs the inventory reader.
    from hyperv_backup.inventory import parse_inventory  # noqa: PLC0415 - lazy, see above

    return parse_inventory(example_text(name))
