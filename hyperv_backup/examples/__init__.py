"""Example inventories shipped with the package, and a night of logs of one of them.

>>> sorted(example_names())
['cluster', 'cluster-2016', 'cluster-2022', 'host', 'host-2012']
>>> load_example("host").name
'HV-STANDALONE01'

``cluster-2022`` also has a night: an exported event log and a ``vssadmin
list writers`` listing, for ``diagnose --example`` (docs/diagnose.md says what
they are made of).

>>> night_names()
('cluster-2022',)
>>> night = example_night("cluster-2022")
>>> night.log_name, night.writers_name
('night-2022.xml', 'night-2022-writers.txt')

``cluster-2022`` has a backup catalogue too, in the product-neutral format,
and a protection policy, for ``check --backups example --policy example``
(``docs/morning-check.md``). Both are made up: no real catalogue of the
example's made-up hosts exists.

>>> catalogue_names()
('cluster-2022',)
>>> example_catalogue("cluster-2022").name
'cluster-2022.backups.json'
"""

from __future__ import annotations

import pkgutil
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from hyperv_backup.model import Cluster, Host

from hyperv_backup._base import public_dir

__all__ = [
    "ExampleFile",
    "ExampleNight",
    "catalogue_names",
    "example_catalogue",
    "example_names",
    "example_night",
    "example_policy",
    "example_text",
    "load_example",
    "night_names",
]

#: ``dir()`` of the module lists its public names only.
__dir__ = public_dir(__name__, __all__)

#: Example name -> file in this package.
_FILES = {
    "cluster": "cluster-2008r2.json",
    "host": "standalone-2012r2.json",
    "cluster-2022": "cluster-2022.json",
    "host-2012": "standalone-2012.json",
    "cluster-2016": "cluster-2016-rolling.json",
}


#: Example name -> the files of its night: an exported event log and a writers listing.
_NIGHTS = {"cluster-2022": ("night-2022.xml", "night-2022-writers.txt")}

#: Example name -> its backup catalogue and its protection policy.
_CATALOGUES = {"cluster-2022": ("cluster-2022.backups.json", "cluster-2022.policy.json")}


class ExampleFile(NamedTuple):
    """A file bundled with an example: its name, and its bytes."""

    name: str
    data: bytes


class ExampleNight(NamedTuple):
    """A night of an example: its event log and its writers listing, as files hold them."""

    log_name: str
    log: bytes
    writers_name: str
    writers: bytes


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
    # Line ends as a file opened as text reads them, whatever a checkout gave the file.
    return _data(file).decode("utf-8").replace("\r\n", "\n")


def _data(file: str) -> bytes:
    # pkgutil reads package data through the package's loader, as importlib.resources
    # does, but costs next to nothing to import; the command line reads an example
    # on every --example.
    data = pkgutil.get_data(__name__, file)
    if data is None:  # pragma: no cover - only a loader that cannot read files gives None
        msg = f"cannot read the example file {file!r} of {__name__}"
        raise FileNotFoundError(msg)
    return data


def night_names() -> tuple[str, ...]:
    """Return the names of the examples that have a night (:func:`example_night`)."""
    return tuple(_NIGHTS)


def example_night(name: str) -> ExampleNight:
    """Return the night of the example ``name``: its log and writers listing, as bytes.

    Raises :class:`KeyError` naming the examples that have one for any other name.
    """
    try:
        log, writers = _NIGHTS[name]
    except KeyError:
        known = ", ".join(repr(n) for n in _NIGHTS)
        msg = f"no night for the example {name!r}; examples with one: {known}"
        raise KeyError(msg) from None
    return ExampleNight(log, _data(log), writers, _data(writers))


def catalogue_names() -> tuple[str, ...]:
    """Return the names of the examples that have a backup catalogue and a policy."""
    return tuple(_CATALOGUES)


def _catalogue_files(name: str) -> tuple[str, str]:
    try:
        return _CATALOGUES[name]
    except KeyError:
        known = ", ".join(repr(n) for n in _CATALOGUES)
        msg = f"no backup catalogue for the example {name!r}; examples with one: {known}"
        raise KeyError(msg) from None


def example_catalogue(name: str) -> ExampleFile:
    """Return the backup catalogue of the example ``name`` (product-neutral JSON).

    Raises :class:`KeyError` naming the examples that have one for any other name.
    """
    file = _catalogue_files(name)[0]
    return ExampleFile(file, _data(file))


def example_policy(name: str) -> ExampleFile:
    """Return the protection policy of the example ``name`` (JSON).

    Raises :class:`KeyError` naming the examples that have one for any other name.
    """
    file = _catalogue_files(name)[1]
    return ExampleFile(file, _data(file))


def load_example(name: str) -> Host | Cluster:
    """Load the bundled example inventory ``name`` (see :func:`example_names`)."""
    # The command line asks this module for the example names whatever the command;
    # only loading an example needs the inventory reader.
    from hyperv_backup.inventory import parse_inventory  # noqa: PLC0415 - lazy, see above

    return parse_inventory(example_text(name))
