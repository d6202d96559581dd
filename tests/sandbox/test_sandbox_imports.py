"""The sandbox's neutral module (webguard), which the shop imports too, imports nothing but
the standard library, Flask and werkzeug, and importing it loads nothing else of the sandbox.
That the sandbox imports nothing of the shop, and that no modules import each other in a
circle, tests/test_layers.py checks for both apps.
"""

import json
import subprocess
import sys
from pathlib import Path

import iamport_sandbox
from tests.test_layers import imported_names

ROOT = Path(iamport_sandbox.__file__).parent
PACKAGE = "iamport_sandbox"
NEUTRAL = f"{PACKAGE}.webguard"
NEUTRAL_MAY_IMPORT = frozenset({*sys.stdlib_module_names, "flask", "werkzeug"})


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
