"""Start-up stays quick: modules are imported when they are needed, not before.

``import hyperv_backup`` loads almost nothing; its public names are imported
from their modules on first use. ``hyperv-backup check`` loads neither the
collect package (and its readers of command output) nor plans and steps, nor
the notebook display. Each check runs in a fresh interpreter, where nothing
has been imported yet.
"""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import hyperv_backup as hb
from tests.paths import FIXTURES

PACKAGE = Path(hb.__file__).parent

#: Modules that the quick paths below must not import.
HEAVY = (
    "hyperv_backup.collect._api",
    "hyperv_backup.collect._builder",
    "hyperv_backup.readers",
    "hyperv_backup.render.notebook",
    "hyperv_backup.decide.plan",
    "hyperv_backup.decide.restore",
)


def _loaded_after(code: str) -> set[str]:
    """Run ``code`` in a fresh interpreter; return the package's modules it left imported."""
    script = (
        "import contextlib, io, json, sys\n"
        f"{code}\n"
        "names = sorted(m for m in sys.modules if m.split('.')[0] == 'hyperv_backup')\n"
        "print(json.dumps(names))\n"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    names: list[str] = json.loads(result.stdout.splitlines()[-1])
    return set(names)


def _check_json(*args: str) -> str:
    """Code that runs ``check ARGS --format json`` and asserts on its result."""
    return (
        "from hyperv_backup.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    status = main(['check', *{args!r}, '--format', 'json'])\n"
        "assert status in (0, 1), status\n"
        "assert json.loads(out.getvalue())['command'] == 'check'\n"
    )


def test_importing_the_package_imports_only_its_cheap_core() -> None:
    assert _loaded_after("import hyperv_backup") == {
        "hyperv_backup",
        "hyperv_backup._base",
        "hyperv_backup._version",
    }


def test_check_on_an_example_leaves_the_heavy_modules_alone() -> None:
    loaded = _loaded_after(_check_json("--example"))
    assert "hyperv_backup.render" in loaded  # the check did run
    assert not loaded & set(HEAVY)


#: The module of each output format.
FORMATS = {
    "text": "hyperv_backup.render.text",
    "json": "hyperv_backup.render.json",
    "markdown": "hyperv_backup.render.markdown",
    "html": "hyperv_backup.render.html",
    "sarif": "hyperv_backup.render.sarif",
    "junit": "hyperv_backup.render.junit",
    "prometheus": "hyperv_backup.render.prometheus",
}


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_a_command_imports_the_renderer_of_its_format_alone(fmt: str) -> None:
    code = (
        "from hyperv_backup.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    status = main(['check', '--example', '--format', {fmt!r}])\n"
        "assert status in (0, 1), status\n"
    )
    loaded = _loaded_after(code)
    assert loaded & set(FORMATS.values()) == {FORMATS[fmt]}


def test_check_on_an_inventory_file_does_not_import_collect(tmp_path: Path) -> None:
    """Telling an inventory from a collector document needs no collect package."""
    path = tmp_path / "inventory.json"
    path.write_text(json.dumps(hb.dump_inventory(hb.load_example("host"))), encoding="utf-8")
    loaded = _loaded_after(_check_json(str(path)))
    assert not loaded & set(HEAVY)


def test_a_collector_document_still_loads_collect(tmp_path: Path) -> None:
    fixture = FIXTURES / "collect" / "standalone-ps7.json"
    loaded = _loaded_after(_check_json(str(fixture)))
    assert "hyperv_backup.collect._api" in loaded


@pytest.mark.parametrize("name", hb.__all__)
def test_every_public_name_resolves_to_the_object_in_its_module(name: str) -> None:
    value = getattr(hb, name)
    module = hb._LAZY.get(name)
    if module is not None:
        assert value is getattr(importlib.import_module(f"hyperv_backup.{module}"), name)
    assert name in dir(hb)


def test_star_import_and_from_import_give_every_public_name() -> None:
    namespace: dict[str, object] = {}
    exec("from hyperv_backup import *", namespace)  # noqa: S102 - a fixed statement
    assert set(hb.__all__) <= set(namespace)
    from hyperv_backup import Plan, backup_plan

    assert backup_plan is hb.backup_plan
    assert Plan is hb.Plan


def test_public_modules_are_attributes_too() -> None:
    for name in sorted(hb._SUBMODULES):
        assert getattr(hb, name) is importlib.import_module(f"hyperv_backup.{name}")
        assert name in dir(hb)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'no_such_name'"):
        _ = hb.no_such_name  # type: ignore[attr-defined]


def test_type_checkers_see_what_the_interpreter_imports() -> None:
    """The ``if TYPE_CHECKING:`` imports of ``__init__`` name exactly the lazy names."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    guarded = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    seen = {
        alias.name: (node.module or "").removeprefix("hyperv_backup.")
        for node in guarded.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert seen == hb._LAZY
    eager = {"HypervBackupError", "__version__"}
    assert set(hb._LAZY) | eager == set(hb.__all__)
    assert not set(hb._LAZY) & eager


def test_a_command_writing_to_standard_output_does_not_import_tempfile() -> None:
    """Only writing a file (``-o``) needs temporary names: tempfile stays out of a start-up."""
    code = (
        "import io, sys\n"
        "from hyperv_backup.cli import main\n"
        "sys.stdout = io.StringIO()\n"
        "main(['check', '--example', '--format', 'json'])\n"
        "sys.stdout = sys.__stdout__\n"
        "print('tempfile' in sys.modules)\n"
    )
    completed = subprocess.run(  # noqa: S603 - this interpreter, our code
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    assert completed.stdout.strip() == "False"
