"""An offline stand-in for PortOne V1 (I'mport): its REST API and its browser SDK.

It is a separate Flask app that the shop mounts (under /sandbox) and talks to over HTTP only,
so nothing here may import from the rest of the shop. It also runs on its own, at a host's
root, for projects in any language: `flask --app iamport_sandbox run` or
`gunicorn -w 2 "iamport_sandbox:create_app()"`, with its settings in the environment.

Importing the package loads nothing else: the shop imports the neutral `webguard` module on
its own, and the app (app.py) loads only when one of its names is asked for (PEP 562).
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .app import create_app, create_sandbox_app, database_path

__all__ = ["create_app", "create_sandbox_app", "database_path"]


def __getattr__(name: str) -> object:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import app

    return getattr(app, name)
