"""KG이니시스's escrow status changes (에스크로 상태변경 웹훅): the buyer's 구매확인 or 구매거절
in the console, and the webhook PortOne then sends to the payment's notice_url.

The body, from PortOne's KG이니시스 guide (이니시스 에스크로 상태변경 웹훅):
`{event: "Inicis.Escrow.Changed", imp_uid, merchant_uid, status, extra: {escrow_status,
changed_at, denied_reason}}`, escrow_status one of EscrowStatus, denied_reason only with 구매거절.
The V1 REST API has no field for the buyer's decision: GET /escrows/logis answers only the
parcel (escrows.py), so the decision is kept in the parcel's record under `decision`, which no
answer shows. The sandbox's guesses: the webhook goes where payment webhooks go; a decision
needs a registered parcel of a paid escrow payment and is made once; the form encoding names
the nested fields `extra[escrow_status]`; NHN KCP documents no such webhook, so none is sent
for other PGs by the buyer's buttons (the PG's button sends one for any escrow payment).
"""

from enum import StrEnum

from flask import abort, request

from . import webhooks
from .console_actions import Refused
from .current import store
from .store.cancels import is_cancellable
from .webguard import Payment

EVENT = "Inicis.Escrow.Changed"
BUYER_PGS = frozenset({"html5_inicis"})
DEFAULT_DENIAL = "구매자 구매거절 (샌드박스 콘솔)"
CONTENT_CHOICES = frozenset({"json", "form"})


class EscrowStatus(StrEnum):
    """extra.escrow_status, as the guide lists it."""

    SHIPPING_REGISTERED = "2"
    PURCHASE_CONFIRMED = "3"
    AUTO_CONFIRMED = "31"
    FORCED_CONFIRMED = "32"
    PURCHASE_DENIED = "4"
    TRANSACTION_CANCELLED = "8"
    DENIAL_ACKNOWLEDGED = "10"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    EscrowStatus.SHIPPING_REGISTERED: "배송등록",
    EscrowStatus.PURCHASE_CONFIRMED: "구매확인",
    EscrowStatus.AUTO_CONFIRMED: "자동구매확인",
    EscrowStatus.FORCED_CONFIRMED: "강제구매확인",
    EscrowStatus.PURCHASE_DENIED: "구매거절",
    EscrowStatus.TRANSACTION_CANCELLED: "거래취소",
    EscrowStatus.DENIAL_ACKNOWLEDGED: "거절확인",
}


def webhook_fields(payment: Payment, status: EscrowStatus, changed_at: int, reason: str) -> dict:
    extra: dict[str, object] = {"escrow_status": status.value, "changed_at": changed_at}
    if status is EscrowStatus.PURCHASE_DENIED:
        extra["denied_reason"] = reason
    return {
        "event": EVENT,
        "imp_uid": payment["imp_uid"],
        "merchant_uid": payment["merchant_uid"],
        "status": payment["status"],
        "extra": extra,
    }


def announce(payment: Payment, status: EscrowStatus, reason: str, content: str | None) -> None:
    fields = webhook_fields(payment, status, store().now(), reason)
    told = f"{EVENT} {status.value}"
    webhooks.send_fields(payment, fields, told, resend=False, content=content)


def confirm_purchase(imp_uid: str) -> None:
    """구매확인 by the buyer."""
    decide(imp_uid, EscrowStatus.PURCHASE_CONFIRMED, "")


def deny_purchase(imp_uid: str) -> None:
    """구매거절 by the buyer, with the reason typed (or a default one)."""
    reason = request.form.get("denied_reason", "").strip()[:200] or DEFAULT_DENIAL
    decide(imp_uid, EscrowStatus.PURCHASE_DENIED, reason)


def decide(imp_uid: str, status: EscrowStatus, reason: str) -> None:
    """Keep the buyer's decision with the parcel, then send its webhook."""
    now = store().now()

    def decided(payment: Payment | None, registered: dict | None) -> dict:
        refuse_undecidable(payment, registered)
        return (registered or {}) | {"decision": decision(status, now, reason)}

    store().change_logis(imp_uid, decided)
    announce(store().get_payment(imp_uid) or abort(404), status, reason, None)


def decision(status: EscrowStatus, at: int, reason: str) -> dict:
    return {"escrow_status": status.value, "changed_at": at, "denied_reason": reason or None}


def refuse_undecidable(payment: Payment | None, registered: dict | None) -> None:
    if payment is None:
        abort(404)
    if not payment["escrow"]:
        raise Refused("에스크로 결제건이 아닙니다.")
    if payment["pg_provider"] not in BUYER_PGS:
        raise Refused("구매확인·구매거절 웹훅은 KG이니시스(html5_inicis) 결제건에만 있습니다.")
    if not is_cancellable(payment):
        raise Refused("결제완료 상태의 에스크로 결제건만 구매 결정을 할 수 있습니다.")
    if registered is None:
        raise Refused("배송정보가 등록되지 않아 구매자가 구매 결정을 할 수 없습니다.")
    if registered.get("decision"):
        raise Refused("구매자가 이미 구매 결정을 했습니다.")


def send_as_pg(imp_uid: str) -> None:
    """The PG's webhook for the chosen event, in the chosen format; nothing else changes, so a
    tester can also send what the PG would not (a 구매확인 of an unregistered parcel)."""
    payment = store().get_payment(imp_uid) or abort(404)
    if not payment["escrow"]:
        raise Refused("에스크로 결제건이 아니라 에스크로 상태변경 웹훅을 보내지 않습니다.")
    status = chosen_status(request.form.get("escrow_status", ""))
    content = request.form.get("content", "")
    if content and content not in CONTENT_CHOICES:
        raise Refused("본문 형식은 JSON 또는 form 중에서 고르세요.")
    reason = request.form.get("denied_reason", "").strip()[:200] or DEFAULT_DENIAL
    announce(payment, status, reason, content or None)


def chosen_status(raw: str) -> EscrowStatus:
    try:
        return EscrowStatus(raw)
    except ValueError:
        raise Refused("보낼 에스크로 상태를 목록에서 고르세요.") from None


def decision_label(record: dict | None) -> str | None:
    """What the console shows of the buyer's decision."""
    made = (record or {}).get("decision")
    return EscrowStatus(made["escrow_status"]).label if made else None
