"""PortOne's escrow shipping API (POST, PUT and GET /escrows/logis/{imp_uid}): the courier,
invoice and sending time of an escrow payment's parcel, with its sender and receiver.

From the V1 spec: the body is JSON two levels deep (`sender`, `receiver`, `logis`, and
`products` for 웰컴페이먼츠); every field of `logis` is required (company, invoice, sent_at);
which fields of `sender` and `receiver` are required depends on the PG (REQUIRED_BY_PG); the
answer is EscrowLogisAnnotation (company, invoice, sent_at, applied_at). Its statuses: 400 for a
missing field or a PG without the API, 404 for an unknown payment, 409 for a payment that takes
no (further) registration, for a change of nothing registered, and for a lookup of nothing
registered (the spec's text for that one: REGISTRATION_NOT_FOUND).

The sandbox's guesses, none of them documented: the other texts; a payment must be an escrow
payment that is paid or partly cancelled; `company` is any courier code (PortOne's code table is
not in the spec); a form body names nested fields as `sender[name]`; a change keeps the first
registration's applied_at (and the buyer's decision, which no answer shows: escrow_changes.py);
a payment cancelled in part still ships what is left; no webhook follows a registration.
"""

from collections.abc import Mapping
from enum import StrEnum

from flask.typing import ResponseReturnValue

from .api import PAYMENT_NOT_FOUND, bp
from .current import store
from .params import MISSING_FIELD
from .rest import Refusal, body, envelope
from .store.cancels import is_cancellable
from .webguard import Payment

# The spec's x-portone-supported-pgs of each operation.
REGISTERING_PGS = frozenset(
    {"html5_inicis", "kcp", "daou", "ksnet", "smartro_v2", "nice_v2", "welcome"}
)
CHANGING_PGS = REGISTERING_PGS - {"kcp", "nice_v2"}
LOGIS_FIELDS = ("company", "invoice", "sent_at")  # EscrowLogisInfoAnnotation's required
KEPT_ON_CHANGE = ("applied_at", "decision")
# What the spec's x-portone-per-pg marks required, by PG and part of the body.
INICIS_PERSON = ("name", "tel", "addr", "postcode")
SMARTRO_PERSON = ("name", "tel", "postcode", "formed_address")
REQUIRED_BY_PG: dict[str, dict[str, tuple[str, ...]]] = {
    "html5_inicis": {"sender": INICIS_PERSON, "receiver": INICIS_PERSON},
    "smartro_v2": {"sender": SMARTRO_PERSON, "receiver": SMARTRO_PERSON},
    "daou": {"sender": ("relationship",), "logis": ("receiving_at", "address")},
}

REGISTRATION_NOT_FOUND = "등록된 배송정보가 존재하지 않습니다."  # the spec's text (GET 409)
# The sandbox's own texts.
NOT_ESCROW = "에스크로 결제건이 아닙니다."
NOT_PAID = "결제완료(paid) 상태의 에스크로 결제건만 배송정보를 등록할 수 있습니다(현재: {state})."
ALREADY_REGISTERED = "이미 배송정보가 등록된 결제건입니다. 수정은 PUT으로 요청하세요."
UNSUPPORTED_PG = "배송정보 {action}을 지원하지 않는 PG사입니다(pg_provider: {pg})."
NOT_A_TIMESTAMP = "{name} 파라메터는 UNIX timestamp(초 단위 정수)여야 합니다."
NOT_AN_OBJECT = "{name} 파라메터는 객체(JSON object)여야 합니다."


class Action(StrEnum):
    """What a request does to the shipping record; the value is the PG support's wording."""

    REGISTER = "등록"
    CHANGE = "수정"


@bp.post("/escrows/logis/<id:imp_uid>")
def register_logis(imp_uid: str) -> ResponseReturnValue:
    return envelope(answer(save(imp_uid, Action.REGISTER)))


@bp.put("/escrows/logis/<id:imp_uid>")
def change_logis(imp_uid: str) -> ResponseReturnValue:
    return envelope(answer(save(imp_uid, Action.CHANGE)))


@bp.get("/escrows/logis/<id:imp_uid>")
def get_logis(imp_uid: str) -> ResponseReturnValue:
    if store().get_payment(imp_uid) is None:
        raise Refusal(PAYMENT_NOT_FOUND, 404)
    record = store().logis(imp_uid)
    if record is None:
        raise Refusal(REGISTRATION_NOT_FOUND, 409)
    return envelope(answer(record))


def answer(record: Mapping) -> dict:
    """EscrowLogisAnnotation: the parcel's courier, invoice and times."""
    logis = record["logis"]
    fields = {name: logis[name] for name in LOGIS_FIELDS}
    return fields | {"applied_at": record["applied_at"]}


def save(imp_uid: str, action: Action) -> dict:
    """Check the request against the payment and what is registered, then keep it."""
    fields = body()

    def saved(payment: Payment | None, registered: dict | None) -> dict:
        if payment is None:
            raise Refusal(PAYMENT_NOT_FOUND, 404)
        refuse_unfit(payment, registered, action)
        shipping = requested_shipping(fields, payment["pg_provider"])
        before = registered or {}
        kept = {key: before[key] for key in KEPT_ON_CHANGE if key in before}
        return shipping | {"applied_at": store().now(), "updated_at": store().now()} | kept

    return store().change_logis(imp_uid, saved)


def refuse_unfit(payment: Payment, registered: dict | None, action: Action) -> None:
    pg_provider = payment["pg_provider"]
    supported = REGISTERING_PGS if action is Action.REGISTER else CHANGING_PGS
    if pg_provider not in supported:
        raise Refusal(UNSUPPORTED_PG.format(action=action.value, pg=pg_provider), 400)
    if not payment["escrow"]:
        raise Refusal(NOT_ESCROW, 409)
    if not is_cancellable(payment):
        raise Refusal(NOT_PAID.format(state=payment["status"]), 409)
    if action is Action.REGISTER and registered:
        raise Refusal(ALREADY_REGISTERED, 409)
    if action is Action.CHANGE and not registered:
        raise Refusal(REGISTRATION_NOT_FOUND, 409)


def requested_shipping(fields: Mapping[str, object], pg_provider: str) -> dict:
    """sender, receiver, logis and products as the PG needs them; Refusal (400) when not."""
    required = REQUIRED_BY_PG.get(pg_provider, {})
    shipping: dict[str, object] = {
        part: requested_part(fields, part, required.get(part, ()))
        for part in ("sender", "receiver")
    }
    logis = requested_part(fields, "logis", LOGIS_FIELDS + required.get("logis", ()))
    logis["sent_at"] = timestamp(logis["sent_at"], "logis.sent_at")
    shipping["logis"] = logis
    shipping["products"] = requested_products(fields, pg_provider)
    return shipping


def requested_part(fields: Mapping[str, object], part: str, required: tuple[str, ...]) -> dict:
    """One object of the body, which the spec requires, with the fields `required` names."""
    found = nested(fields, part)
    if found is None:
        raise Refusal(MISSING_FIELD.format(name=part), 400)
    for name in required:
        if found.get(name) in (None, ""):
            raise Refusal(MISSING_FIELD.format(name=f"{part}.{name}"), 400)
    return found


def nested(fields: Mapping[str, object], part: str) -> dict | None:
    """A JSON object, or the form's `part[name]` fields as one; None when there is neither."""
    value = fields.get(part)
    if value is not None:
        if not isinstance(value, dict):
            raise Refusal(NOT_AN_OBJECT.format(name=part), 400)
        return dict(value)
    prefix = f"{part}["
    found = {
        key[len(prefix) : -1]: item
        for key, item in fields.items()
        if key.startswith(prefix) and key.endswith("]")
    }
    return found or None


def timestamp(value: object, name: str) -> int:
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise Refusal(NOT_A_TIMESTAMP.format(name=name), 400)
    return value


def requested_products(fields: Mapping[str, object], pg_provider: str) -> list:
    """The parcel's products, which 웰컴페이먼츠 requires (a JSON list only: a guess)."""
    products = fields.get("products")
    if products in (None, "", []):
        if pg_provider == "welcome":
            raise Refusal(MISSING_FIELD.format(name="products"), 400)
        return []
    if not isinstance(products, list) or not all(isinstance(p, dict) for p in products):
        raise Refusal(NOT_AN_OBJECT.format(name="products[]"), 400)
    return products
