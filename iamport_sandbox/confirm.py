"""PortOne's confirm process: the merchant's last word right before a payment is approved.

What PortOne documents (developer center, 컨펌 프로세스, V1; it must be switched on by its
support): when request_pay() has `confirm_url`, PortOne POSTs `imp_uid`, `merchant_uid` and
`amount` to it right before it asks the PG to approve, and waits 10 s. HTTP 200 lets the payment
go on; any other answer stops it (실패처리), and a `reason` in a JSON answer is recorded in
fail_reason as "고객사 요청에 의해 결제를 중단합니다. (상세사유 : %s)", "알 수 없음" when there
is none. Its FAQ adds that the body is JSON and that a timeout counts as a 500.

The sandbox's guesses: the error code (F1011, like the window's other invented F-codes); that
issuing a virtual account is asked about as an approval is; that no answer at all (network
error, timeout) stops the payment like a refusal; that redirects are not followed; that a reason
is cut at 200 characters.
"""

import json
import logging

import requests

from . import current, security
from .webguard import Payment, PaymentFields
from .webhooks import describe

TIMEOUT = 10
USER_AGENT = "iamport-sandbox-confirm"
REASON_LIMIT = 200
ANSWER_LIMIT = 4096  # bytes of the merchant's answer read to find its reason
REFUSED = ("F1011", "고객사 요청에 의해 결제를 중단합니다. (상세사유 : {reason})")
UNKNOWN_REASON = "알 수 없음"

log = logging.getLogger(__name__)


def refusal(payment: Payment, checkout: dict) -> tuple[PaymentFields, str] | None:
    """Ask confirm_url, if the request had one. None lets the payment go on; else the changes
    that fail it and the error code, as the window's other outcomes return them."""
    url = checkout.get("confirm_url")
    # The window refuses others; one stored before SANDBOX_MERCHANT_ORIGINS was set is ignored.
    if not url or not security.is_merchant_url(url):
        return None
    store = current.store()
    call = ask(url, payment) | {"at": store.now()}
    store.log_confirm(payment["imp_uid"], call)
    if call["accepted"]:
        return None
    code, text = REFUSED
    fail_reason = text.format(reason=call["reason"] or UNKNOWN_REASON)
    failure: PaymentFields = {
        "status": "failed",
        "failed_at": call["at"],
        "fail_reason": fail_reason,
    }
    return failure, code


def ask(url: str, payment: Payment) -> dict:
    """POST the payment to confirm_url once: url, accepted, status, reason and error."""
    body = {
        "imp_uid": payment["imp_uid"],
        "merchant_uid": payment["merchant_uid"],
        "amount": payment["amount"],
    }
    call = {"url": url, "accepted": False, "status": None, "reason": None, "error": None}
    try:
        response = current.webhook_session().post(
            url,
            json=body,
            headers={"User-Agent": USER_AGENT},
            timeout=TIMEOUT,
            allow_redirects=False,
            stream=True,
        )
    except requests.RequestException as error:
        log.info("confirm_url %s gave no answer for %s: %s", url, payment["imp_uid"], error)
        return call | {"error": describe(error)}
    with response:
        answer = next(response.iter_content(ANSWER_LIMIT), b"")
    log.info("confirm_url %s answered %s for %s", url, response.status_code, payment["imp_uid"])
    if response.status_code == 200:
        return call | {"accepted": True, "status": 200}
    return call | {"status": response.status_code, "reason": reason_in(answer)}


def reason_in(answer: bytes) -> str | None:
    """The `reason` string of a JSON answer, trimmed and cut; None when there is none."""
    try:
        data = json.loads(answer)
    except ValueError:
        return None
    reason = data.get("reason") if isinstance(data, dict) else None
    if not isinstance(reason, str) or not reason.strip():
        return None
    return reason.strip()[:REASON_LIMIT]
