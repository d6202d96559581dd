"""The sandbox's modules import each other without a circle, and nothing from the rest of the
shop: it is an app of its own that the shop talks to over HTTP only. Its neutral module
(webguard), which the shop imports too, imports nothing but the standard library, Flask and
werkzeug, and importing it loads nothing else of the sandbox.

Read from the source (ast), so an import inside a function counts as much as one at the top.
"""

import ast
import json
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

import iamport_sandbox

ROOT = Path(iamport_sandbox.__file__).parent
PACKAGE = "iamport_sandbox"
NEUTRAL = f"{PACKAGE}.webguard"
NEUTRAL_MAY_IMPORT = frozenset({*sys.stdlib_module_names, "flask", "werkzeug"})


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join((PACKAGE, *parts[: -1 if parts[-1] == "__init__" else None]))


def imported_names(path: Path) -> set[str]:
    """Every absolute module name the file's imports name, `from x import y` giving both x
    and x.y (y may be a module)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            base = ".".join(part for part in (base, node.module) if part)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph() -> dict[str, set[str]]:
    """Each module and the sandbox modules it imports, leaving out its own packages (a module's
    package is always imported before it)."""
    paths = sorted(ROOT.rglob("*.py"))
    modules = {module_name(path) for path in paths}
    graph = {}
    for path in paths:
        name = module_name(path)
        graph[name] = {
            target
            for target in imported_names(path) & modules
            if not name.startswith(target + ".") and target != name
        }
    return graph


def test_the_sandbox_imports_nothing_from_the_rest_of_the_shop():
    outside = {
        module_name(path): sorted(
            name
            for name in imported_names(path)
            if name.partition(".")[0] == "shop" and name != "shop" and not name.startswith(PACKAGE)
        )
        for path in ROOT.rglob("*.py")
    }

    assert {name: found for name, found in outside.items() if found} == {}


def test_the_sandbox_modules_import_each_other_without_a_circle():
    try:
        TopologicalSorter(import_graph()).prepare()
    except CycleError as error:
        # graphlib lists each module before the ones that import it; the message reads the
        # other way: each module imports the next.
        pytest.fail(f"import circle: {' -> '.join(reversed(error.args[1]))}")


def test_the_neutral_module_imports_only_the_standard_library_flask_and_werkzeug():
    imported = imported_names(ROOT / "webguard.py")

    assert (
        sorted(name for name in imported if name.partition(".")[0] not in NEUTRAL_MAY_IMPORT) == []
    )


def test_importing_the_neutral_module_loads_no_other_part_of_the_sandbox():
    """The shop imports webguard without the sandbox app; the factories load it when asked."""
    script = (
        "import json, sys, importlib\n"
        "def loaded():\n"
        f"    return sorted(m for m in sys.modules if m.startswith({PACKAGE!r}))\n"
        f"importlib.import_module({NEUTRAL!r})\n"
        "before = loaded()\n"
        f"from {PACKAGE} import create_sandbox_app\n"
        "print(json.dumps([before, loaded()]))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT.parent, capture_output=True, text=True, check=True
    )
    before, after = json.loads(run.stdout)

    assert before == [PACKAGE, NEUTRAL]
    assert f"{PACKAGE}.app" in after


def test_the_package_offers_its_factory_as_flask_s_cli_looks_for_it():
    """`flask --app iamport_sandbox` takes an `app` or `application` only if it is a Flask app
    (`app` is the module app.py; asking for `application` raises AttributeError, as PEP 562
    wants), and then calls `create_app`."""
    assert getattr(iamport_sandbox, "application", None) is None
    assert iamport_sandbox.create_app.__module__ == f"{PACKAGE}.app"
