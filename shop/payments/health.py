"""GET /healthz for load balancers and monitors: 200 while the database answers, 503 when it
does not. The gateway is asked at most once a minute (a token request); its state is reported
but does not fail the check, as the shop still serves its pages without PortOne."""

import time

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from shop.core.extensions import db, limiter
from shop.payments.gateway import GatewayError

bp = Blueprint("health", __name__)

GATEWAY_CHECK_SECONDS = 60


@bp.get("/healthz")
@limiter.exempt
def healthz():
    database = database_state()
    checks = {"database": database, "gateway": gateway_state()}
    status = 200 if database == "ok" else 503
    return jsonify(status="ok" if status == 200 else "error", **checks), status


def database_state() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except DBAPIError:
        db.session.rollback()
        return "unreachable"
    return "ok"


def gateway_state() -> str:
    cache = current_app.extensions.setdefault("gateway_health", {"at": 0.0, "state": None})
    if time.monotonic() - cache["at"] > GATEWAY_CHECK_SECONDS:
        cache.update(at=time.monotonic(), state=ask_gateway())
    return cache["state"]


def ask_gateway() -> str:
    try:
        current_app.extensions["portone"].check()
    except GatewayError:
        return "unreachable"
    return "ok"
