"""What the sandbox app handling the request (or running the thread) holds, for the modules
that serve it: create_sandbox_app puts both in app.extensions."""

import requests
from flask import current_app

from .store import SandboxStore


def store() -> SandboxStore:
    return current_app.extensions["sandbox"]


def webhook_session() -> requests.Session:
    """The session webhooks and confirm_url calls go out through; whoever mounts the sandbox
    may add transports to it."""
    return current_app.extensions["webhook_session"]
