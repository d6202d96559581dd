"""The layer rule: each package of the shop imports only the packages below it, the sandbox
imports nothing of the shop, and no modules import each other in a circle.

    core ← web ← notices ← payments ← storefront ← admin ← the factory (shop/__init__), cli
    and preflight

Read from the source (ast), so an import inside a function counts as much as one at the top;
imports under `if TYPE_CHECKING:` are for the type checker only and do not count.
"""

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("core", "web", "notices", "payments", "storefront", "admin")
# What both apps may import from the sandbox's distribution: it imports nothing of either.
NEUTRAL = "iamport_sandbox.webguard"


def sources() -> list[Path]:
    return sorted([*(ROOT / "shop").rglob("*.py"), *(ROOT / "iamport_sandbox").rglob("*.py")])


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[: -1 if parts[-1] == "__init__" else None])


MODULES = {module_name(path) for path in sources()}


def runtime_nodes(tree: ast.Module):
    """Every node but those under `if TYPE_CHECKING:`."""
    skipped = {
        id(child)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for statement in node.body
        for child in ast.walk(statement)
    }
    return (node for node in ast.walk(tree) if id(node) not in skipped)


def imported_names(path: Path, source: str | None = None) -> set[str]:
    """Every absolute module name the file imports: for `from x import y`, x.y when y is a
    module of ours, else x."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    names = set()
    for node in runtime_nodes(ast.parse(source if source is not None else path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            base = ".".join(part for part in (base, node.module) if part)
            names.update(_module_or_base(base, alias.name) for alias in node.names)
    return names


def _module_or_base(base: str, name: str) -> str:
    return f"{base}.{name}" if f"{base}.{name}" in MODULES else base


def layer_of(module: str) -> int | None:
    """0 for core … 5 for admin; 6 for the factory, the cli and its preflight; None outside
    the shop."""
    parts = module.split(".")
    if parts[0] != "shop":
        return None
    if len(parts) == 1 or parts[1] in ("cli", "preflight"):
        return len(LAYERS)
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else None


def wrong_way(module: str, imported: set[str]) -> list[str]:
    """The imports that break the rule, in words."""
    own = layer_of(module)
    found = []
    for target in sorted(imported):
        theirs = layer_of(target)
        if module.startswith("iamport_sandbox") and target.split(".")[0] == "shop":
            found.append(f"{module} imports {target}: the sandbox imports nothing of the shop")
        elif own is not None and theirs is not None and theirs > own:
            found.append(f"{module} imports {target}, a layer above it")
        elif own is not None and own < len(LAYERS) and _sandbox_but_neutral(target):
            found.append(f"{module} imports {target}: only the factory mounts the sandbox")
    return found


def _sandbox_but_neutral(target: str) -> bool:
    top = target.split(".")[0]
    return top == "iamport_sandbox" and not (
        target == "iamport_sandbox" or target.startswith(NEUTRAL)
    )


def test_every_import_goes_down_the_layers():
    broken = [
        problem
        for path in sources()
        for problem in wrong_way(module_name(path), imported_names(path))
    ]
    assert broken == []


def test_no_modules_import_each_other_in_a_circle():
    paths = sources()
    graph = {
        module_name(path): {
            target for target in imported_names(path) & MODULES if target != module_name(path)
        }
        for path in paths
    }
    try:
        list(TopologicalSorter(graph).static_order())
    except CycleError as error:
        pytest.fail(f"import circle: {' → '.join(error.args[1])}")


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("shop/core/example.py", "from shop.storefront.cart import cart_quantities"),
        ("shop/payments/example.py", "def later():\n    from shop.admin import bp"),
        ("shop/web/example.py", "import shop.notices.texts"),
        ("iamport_sandbox/example.py", "from shop.core.models import Order"),
        ("shop/payments/example.py", "from iamport_sandbox.window import bp"),
    ],
)
def test_a_wrong_way_import_is_caught(module, source):
    path = ROOT / module
    assert wrong_way(module_name(path), imported_names(path, source)) != []


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("shop/admin/example.py", "from shop.storefront.cart import cart_quantities"),
        ("shop/web/example.py", "from iamport_sandbox.webguard import loads"),
        ("shop/__init__.py", "from iamport_sandbox import create_sandbox_app"),
        (
            "shop/core/example.py",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from shop.payments.sync import SyncResult",
        ),
    ],
)
def test_imports_down_the_layers_pass(module, source):
    path = ROOT / module
    assert wrong_way(module_name(path), imported_names(path, source)) == []
