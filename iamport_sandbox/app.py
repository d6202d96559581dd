"""The sandbox app: its settings, its factories and its error pages.

create_sandbox_app builds it from settings given (the shop mounts it so); create_app reads them
from the environment first (Flask's CLI and gunicorn find it through the package).
"""

import os

import requests
from flask import Flask, Response, render_template
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from . import api, dashboard, hosts, rest, routing, security, switchboard, webhooks, window
from .store import SandboxStore

# These modules' routes join api's blueprint as they are imported, so this order (after api's
# own) is the order of their rules in the URL map.
from . import prepare, cancel, balance, vbanks, escrows, receipts, codes  # noqa: F401  # isort: skip

# The app is named after the package, not this module, so its logger is `iamport_sandbox`.
PACKAGE = __name__.rpartition(".")[0]

DEFAULTS = {
    "SANDBOX_DATABASE": None,
    "SANDBOX_IMP_KEY": "sandbox_key",
    "SANDBOX_IMP_SECRET": "sandbox_secret",
    "SANDBOX_MERCHANT_CODE": "imp00000000",
    "SANDBOX_MERCHANT_NAME": "데모 상점",
    # Where webhooks go when a payment has no notice_url; None sends none (and logs that).
    "SANDBOX_WEBHOOK_URL": None,
    "SANDBOX_WEBHOOK_FORMAT": "json",  # or "form"; the dashboard's switch overrides it
    "SANDBOX_WEBHOOK_RETRY_INTERVAL": 60,  # seconds between re-deliveries, as PortOne's
    # The merchant's site (comma-separated origins): notice_url and confirm_url may only point
    # there, and only its pages may frame the payment window. None: any (security.py).
    "SANDBOX_MERCHANT_ORIGINS": None,
    # A werkzeug password hash: the console then asks for it (HTTP Basic, any user name).
    "SANDBOX_CONSOLE_PASSWORD_HASH": None,
    # Host names it answers besides loopback and the merchant's (comma-separated; hosts.py).
    "SANDBOX_ALLOWED_HOSTS": None,
    # The account's PG channels (GET /users/pg): "provider" or "provider.MID", comma-separated.
    "SANDBOX_PG_CHANNELS": codes.DEFAULT_CHANNELS,
}

# PortOne's texts for these are unknown; the sandbox answers in the same envelope with its own.
ERROR_MESSAGES = {
    400: "잘못된 요청입니다.",
    404: "존재하지 않는 API입니다.",
    405: "허용되지 않는 HTTP 메서드입니다.",
    500: "샌드박스 서버 내부 오류가 발생했습니다.",
}


# What the standalone sandbox (create_app) reads from the environment; an empty one is unset.
ENVIRONMENT = (
    "SANDBOX_IMP_KEY",
    "SANDBOX_IMP_SECRET",
    "SANDBOX_MERCHANT_CODE",
    "SANDBOX_MERCHANT_NAME",
    "SANDBOX_WEBHOOK_URL",
    "SANDBOX_WEBHOOK_FORMAT",
    "SANDBOX_DATABASE",
    "SANDBOX_MERCHANT_ORIGINS",
    "SANDBOX_CONSOLE_PASSWORD_HASH",
    "SANDBOX_ALLOWED_HOSTS",
    "SANDBOX_PG_CHANNELS",
)


def create_app(config: dict | None = None) -> Flask:
    """The sandbox on its own, as Flask's CLI and gunicorn find it: settings from the
    environment (ENVIRONMENT), then `config`, over DEFAULTS. The shop does not use this: it
    mounts create_sandbox_app with its own settings."""
    settings = {name: os.environ[name] for name in ENVIRONMENT if os.environ.get(name)}
    return create_sandbox_app(settings | (config or {}))


def create_sandbox_app(config: dict | None = None) -> Flask:
    app = Flask(PACKAGE)
    app.config.from_mapping(DEFAULTS)
    app.config.update(config or {})
    check_config(app)
    app.url_map.strict_slashes = False
    routing.install(app)  # its converter must be known before the blueprints' rules are added
    hosts.install(app)  # first: a request to a foreign host gets nothing else
    security.install(app)
    app.extensions["sandbox"] = SandboxStore(database_path(app))
    # Webhooks go out through this session; whoever mounts the sandbox may add transports.
    app.extensions["webhook_session"] = requests.Session()
    app.register_blueprint(api.bp)
    app.register_blueprint(window.bp)
    app.register_blueprint(dashboard.bp)
    app.before_request(switchboard.disturb_api)
    app.register_error_handler(HTTPException, handle_http_error)
    return app


def check_config(app: Flask) -> None:
    """Refuse at start what would otherwise fail at the first webhook."""
    content = app.config["SANDBOX_WEBHOOK_FORMAT"]
    if content not in webhooks.CONTENT_TYPES:
        choices = " or ".join(webhooks.CONTENT_TYPES)
        raise ValueError(f"SANDBOX_WEBHOOK_FORMAT must be {choices}, not {content!r}")


def database_path(app: Flask) -> str:
    if app.config["SANDBOX_DATABASE"]:
        return app.config["SANDBOX_DATABASE"]
    os.makedirs(app.instance_path, exist_ok=True)
    return os.path.join(app.instance_path, "sandbox.sqlite")


def handle_http_error(error: HTTPException):
    """Browser pages get an HTML page; everything else, unknown routes included, the envelope."""
    detail = error.description if isinstance(error, hosts.Refusal) else None
    if routing.blueprint_of_path() in ("window", "dashboard"):
        page = render_template("sandbox/error.html", error=error, detail=detail)
        response = Response(page, error.code, content_type="text/html; charset=utf-8")
    else:
        status = error.code or 500
        response = rest.failure(detail or ERROR_MESSAGES.get(status, error.name), status)
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response
