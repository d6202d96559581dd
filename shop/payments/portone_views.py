"""The routes PortOne's servers call: the webhook (payments and the PG's escrow changes) and
confirm_url. Their bodies are claims; what PortOne answers when asked is the truth."""

from flask import abort, current_app, jsonify, request

from shop.core.extensions import csrf, limit_setting, limiter
from shop.core.ledger import EventSource
from shop.payments.confirm import confirm
from shop.payments.escrow_changes import Verdict, handle_escrow_change
from shop.payments.escrow_claims import escrow_change
from shop.payments.outcomes import Outcome
from shop.payments.payloads import IMP_UID_SHAPE
from shop.payments.sync import sync_payment
from shop.payments.views import answer_error, bp, customer_waiting, gateway
from shop.web.inputs import reads_json


def webhook_source_listed() -> bool:
    """One of PortOne's addresses in WEBHOOK_ALLOWED_IPS: its bursts and retries are not limited."""
    return request.remote_addr in current_app.config["WEBHOOK_ALLOWED_IPS"]


@bp.post("/webhook")
@reads_json
@csrf.exempt  # PortOne cannot send a CSRF token; the body is only a claim, never trusted
@limiter.limit(limit_setting("RATELIMIT_PORTONE"), exempt_when=webhook_source_listed)
def webhook():
    """PortOne's notification (JSON or form): imp_uid, merchant_uid, status, cancellation_id;
    or a PG's escrow change (event, extra: shop.payments.escrow_claims).

    200 when processed or there is nothing to do; 400 for a malformed body; 503 only when the
    gateway or the database could not be reached, so that PortOne's retry can help.
    """
    if not webhook_source_allowed():
        return jsonify(status="forbidden", message="허용되지 않은 발신 주소입니다."), 403
    body = webhook_body()
    imp_uid = body.get("imp_uid")
    if not isinstance(imp_uid, str) or not IMP_UID_SHAPE.fullmatch(imp_uid):
        return answer_error("imp_uid가 필요합니다 (JSON 또는 form).")
    merchant_uid = body.get("merchant_uid")
    claimed = merchant_uid if isinstance(merchant_uid, str) and merchant_uid else None
    with gateway().rationed():  # when the budget is spent: 503 at once, PortOne retries
        if (change := escrow_change(body)) is not None:
            return escrow_answer(handle_escrow_change(gateway(), imp_uid, claimed, change))
        result = sync_payment(
            gateway(), imp_uid, EventSource.WEBHOOK, claimed, claim=webhook_note(body)
        )
    if result.outcome == Outcome.UNAVAILABLE:
        return jsonify(status="retry", message=result.detail), 503
    return jsonify(status="ok", outcome=result.outcome.value), 200


def escrow_answer(verdict: Verdict):
    if verdict is Verdict.UNCHECKED:
        return jsonify(status="retry", message="PortOne에 확인하지 못했습니다."), 503
    return jsonify(status="ok", outcome=verdict.value), 200


def webhook_body() -> dict:
    if request.is_json:
        body = request.get_json(silent=True)
        return body if isinstance(body, dict) else {}
    return request.form.to_dict()


def webhook_note(body: dict) -> str:
    """What the webhook claimed, kept in the event log (never acted upon)."""
    claimed = {key: body.get(key) for key in ("status", "cancellation_id")}
    return " ".join(f"{key}={value}" for key, value in claimed.items() if value is not None)


def webhook_source_allowed() -> bool:
    """remote_addr is the client as the trusted proxies saw it (TRUSTED_PROXY_HOPS)."""
    allowed = current_app.config["WEBHOOK_ALLOWED_IPS"]
    return not allowed or request.remote_addr in allowed


@bp.post("/confirm")
@reads_json
@csrf.exempt  # called by PortOne's servers
@limiter.limit(limit_setting("RATELIMIT_PORTONE"), exempt_when=webhook_source_listed)
def confirm_payment():
    """confirm_url: PortOne asks right before approval. 200 lets it approve; any other
    answer stops the payment and PortOne shows the customer our `reason`. Only while the
    confirm process is on, and only from PortOne's addresses when they are listed."""
    if not current_app.config["CONFIRM_PROCESS"]:
        abort(404)
    if not webhook_source_allowed():
        return jsonify(reason="허용되지 않은 발신 주소입니다."), 403
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    imp_uid, merchant_uid = body.get("imp_uid"), body.get("merchant_uid")
    if not isinstance(merchant_uid, str) or not isinstance(imp_uid, str):
        return jsonify(reason="imp_uid와 merchant_uid가 필요합니다."), 400
    with customer_waiting():
        refusal = confirm(gateway(), imp_uid, merchant_uid, body.get("amount"))
    if refusal:
        return jsonify(reason=refusal), 409
    return jsonify(reason=None), 200
