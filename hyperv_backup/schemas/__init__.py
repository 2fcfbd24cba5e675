"""JSON Schemas of the documents this package reads and writes, shipped as package data."""

from hyperv_backup._base import public_dir

__all__: list[str] = []

#: ``dir()`` of the package lists its public modules only.
__dir__ = public_dir(__name__, __all__)
