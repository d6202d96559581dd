"""An offline stand-in for PortOne V1 (I'mport): its REST API and its browser SDK.

It is a separate Flask app that the shop mounts (under /sandbox) and talks to over HTTP only,
so nothing here may import from the rest of the shop.
"""

import os

import requests
from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from . import api, dashboard, switchboard, window
from .store import SandboxStore

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
}

# PortOne's texts for these are unknown; the sandbox answers in the same envelope with its own.
ERROR_MESSAGES = {
    400: "잘못된 요청입니다.",
    404: "존재하지 않는 API입니다.",
    405: "허용되지 않는 HTTP 메서드입니다.",
    500: "샌드박스 서버 내부 오류가 발생했습니다.",
}


def create_sandbox_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.update(config or {})
    app.url_map.strict_slashes = False
    app.extensions["sandbox"] = SandboxStore(database_path(app))
    # Webhooks go out through this session; whoever mounts the sandbox may add transports.
    app.extensions["webhook_session"] = requests.Session()
    app.register_blueprint(api.bp)
    app.register_blueprint(window.bp)
    app.register_blueprint(dashboard.bp)
    app.before_request(switchboard.disturb_api)
    app.register_error_handler(HTTPException, handle_http_error)
    return app


def database_path(app: Flask) -> str:
    if app.config["SANDBOX_DATABASE"]:
        return app.config["SANDBOX_DATABASE"]
    os.makedirs(app.instance_path, exist_ok=True)
    return os.path.join(app.instance_path, "sandbox.sqlite")


def handle_http_error(error: HTTPException):
    """Browser pages get an HTML page; everything else, unknown routes included, the envelope."""
    if request.blueprint in ("window", "dashboard"):
        return render_template("sandbox/error.html", error=error), error.code
    message = ERROR_MESSAGES.get(error.code, error.name)
    response = api.failure(message, error.code)
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response
