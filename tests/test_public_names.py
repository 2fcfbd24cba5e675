"""``dir()`` of every public module shows its public names only, and they all resolve."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import types

import pytest

import hyperv_backup

#: The modules a user may import: every module whose dotted name has no part
#: starting with an underscore.
PUBLIC_MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(hyperv_backup.__path__, "hyperv_backup.")
    if not any(part.startswith("_") for part in info.name.split("."))
)


def _public_submodules(module: types.ModuleType) -> set[str]:
    prefix = f"{module.__name__}."
    return {
        name[len(prefix) :]
        for name in list(sys.modules)
        if name.startswith(prefix)
        and "." not in name[len(prefix) :]
        and not name[len(prefix) :].startswith("_")
    }


def test_every_public_module_is_listed() -> None:
    assert "hyperv_backup.rules.host" in PUBLIC_MODULES
    assert "hyperv_backup.decide.evaluate" in PUBLIC_MODULES
    assert not any("._" in name for name in PUBLIC_MODULES)


@pytest.mark.parametrize("name", ["hyperv_backup", *PUBLIC_MODULES])
def test_dir_lists_the_public_names_and_nothing_else(name: str) -> None:
    module = importlib.import_module(name)
    public = set(getattr(module, "__all__", ()))
    listed = set(dir(module))
    assert public <= listed
    extra = listed - public - _public_submodules(module)
    if name == "hyperv_backup":
        extra -= set(hyperv_backup._NAMES.submodules)  # its public modules, imported or not
    assert extra == set(), f"{name} lists {sorted(extra)}"
    for attribute in public:
        getattr(module, attribute)  # every listed name resolves
