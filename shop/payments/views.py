"""Where the browser reports a payment (the PC callback, the phone's return); every route here
only asks for a sync. PortOne's own calls are in shop.payments.portone_views, on this blueprint."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from sqlalchemy.exc import DBAPIError

from shop.core.database import writes
from shop.core.extensions import db, limit_setting, limiter
from shop.core.ledger import EventSource
from shop.core.models import Order
from shop.core.queries import order_named
from shop.payments.outcomes import Outcome, SyncResult
from shop.payments.results import describe
from shop.payments.settled import stored_answer
from shop.payments.sync import sync_latest, sync_payment
from shop.web.inputs import reads_json
from shop.web.security import private

bp = Blueprint("payments", __name__, url_prefix="/payments")

# What the pay page's script is told: (HTTP status, status word, Korean message).
ANSWERS = {
    Outcome.PAID: (200, "success", "결제가 완료되었습니다."),
    Outcome.VBANK_ISSUED: (
        200,
        "vbankIssued",
        "가상계좌가 발급되었습니다. 기한 안에 입금해 주세요.",
    ),
    Outcome.FAILED: (200, "failed", "결제에 실패했습니다."),
    Outcome.NOT_COMPLETED: (200, "notCompleted", "결제가 완료되지 않았습니다."),
    Outcome.CANCELLED: (200, "cancelled", "취소된 결제입니다."),
    Outcome.NEEDS_REVIEW: (
        200,
        "needsReview",
        "결제는 확인되었지만 주문 확인이 필요합니다. 상점에서 확인 후 안내해 드립니다.",
    ),
    Outcome.FORGED: (422, "forgery", "결제 금액이 주문 금액과 달라 주문을 처리하지 않았습니다."),
    Outcome.MISMATCH: (409, "mismatch", "이 결제는 요청한 주문의 결제가 아닙니다."),
    Outcome.UNKNOWN_PAYMENT: (404, "notFound", "결제 정보를 찾을 수 없습니다."),
    Outcome.UNKNOWN_ORDER: (404, "notFound", "이 결제에 해당하는 주문이 없습니다."),
    Outcome.INVALID: (400, "invalid", "결제 번호(imp_uid) 형식이 올바르지 않습니다."),
    Outcome.UNAVAILABLE: (
        503,
        "pending",
        "결제 확인이 늦어지고 있습니다. 잠시 후 다시 확인해 주세요.",
    ),
}


def gateway():
    return current_app.extensions["portone"]


@contextmanager
def customer_waiting() -> Iterator[None]:
    """A customer waits: within the process's budget, and not past PORTONE_CUSTOMER_WAIT."""
    portone = gateway()
    with portone.rationed(), portone.patience(current_app.config["PORTONE_CUSTOMER_WAIT"]):
        yield


@bp.post("/complete")
@reads_json
@limiter.limit(limit_setting("RATELIMIT_PAYMENT_CHECKS"))
def complete():
    """The PC callback: `{imp_uid, merchant_uid}` posted by jQuery.ajax with the CSRF header."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return answer_error("JSON 본문 {imp_uid, merchant_uid}이 필요합니다.")
    imp_uid, merchant_uid = body.get("imp_uid"), body.get("merchant_uid")
    if not isinstance(imp_uid, str) or not isinstance(merchant_uid, str) or not merchant_uid:
        return answer_error("imp_uid와 merchant_uid를 문자열로 보내 주세요.")
    with customer_waiting():
        result = stored_answer(imp_uid, merchant_uid, EventSource.CALLBACK) or sync_payment(
            gateway(), imp_uid, EventSource.CALLBACK, merchant_uid
        )
    status, word, message = ANSWERS[result.outcome]
    payload = {"status": word, "message": message, **details(result, merchant_uid)}
    return jsonify(payload), status


def answer_error(message: str):
    return jsonify(status="invalid", message=message), 400


def details(result: SyncResult, claimed: str) -> dict[str, Any]:
    payload: dict[str, Any] = {}
    if result.outcome == Outcome.FAILED and result.payment and result.payment.fail_reason:
        payload["reason"] = result.payment.fail_reason
    issued = result.order if result.outcome == Outcome.VBANK_ISSUED else None
    payment = issued.vbank_payment if issued else None
    if payment is not None:
        payload["vbank"] = {
            "bank": payment.vbank_name,
            "number": payment.vbank_num,
            "holder": payment.vbank_holder,
            "due": payment.vbank_date.isoformat() if payment.vbank_date else None,
        }
    # Short of a mismatch, the order found is the one claimed.
    if result.order is not None or result.outcome == Outcome.UNAVAILABLE:
        payload["redirect_url"] = url_for("orders.show", merchant_uid=claimed)
    return payload


@bp.get("/complete/mobile")
@private
@writes
@limiter.limit(limit_setting("RATELIMIT_PAYMENT_CHECKS"))
def mobile_complete():
    """m_redirect_url: the query string is only a claim; `imp_success` is never trusted.

    Safe to open again, or from another browser: it only syncs and shows the true state.
    """
    claim = request.args
    imp_uid = claim.get("imp_uid", "").strip()
    merchant_uid = claim.get("merchant_uid", "").strip()
    with customer_waiting():
        result = verify_return(imp_uid, merchant_uid, claimed_result(claim))
    # Only the order this URL names is shown: a leaked imp_uid must not reveal someone else's.
    order = order_if_reachable(merchant_uid)
    view = describe(order, result, claimed_error(claim))
    return render_template("orders/show.html", order=order, view=view), PAGE_STATUS.get(
        view.kind, 200
    )


def verify_return(imp_uid: str, merchant_uid: str, claim: str) -> SyncResult:
    if imp_uid and merchant_uid:
        answer = stored_answer(imp_uid, merchant_uid, EventSource.REDIRECT)
        return answer or sync_payment(
            gateway(), imp_uid, EventSource.REDIRECT, merchant_uid, claim=claim
        )
    if imp_uid or not merchant_uid:
        return sync_payment(
            gateway(), imp_uid, EventSource.REDIRECT, merchant_uid or None, claim=claim
        )
    # Refused before a window opened: ask PortOne what this order has.
    return sync_latest(gateway(), merchant_uid, EventSource.REDIRECT, claim=claim)


def order_if_reachable(merchant_uid: str) -> Order | None:
    """With the database down the page still says "확인 중", without the order."""
    try:
        return order_named(merchant_uid)
    except DBAPIError:
        db.session.rollback()
        return None


PAGE_STATUS = {"invalid": 400, "missing": 404, "mismatch": 409}


def claimed_error(claim) -> str:
    """The PG's code and text as the return URL gives them: a claim (see shop.payments.results)."""
    return " ".join(claim.get(key, "") for key in ("error_code", "error_msg")).strip()


def claimed_result(claim) -> str:
    """What the redirect said, kept in the event log (never acted upon)."""
    success = claim.get("imp_success", claim.get("success"))
    parts = {"imp_success": success, "error_code": claim.get("error_code")}
    return " ".join(f"{key}={value}" for key, value in parts.items() if value is not None)[:200]
