"""GET /payments/{imp_uid}/balance: PortOne's 결제 상세내역 (getPaymentBalance), which its Node
client calls. PortOne fills it for PAYCO only, splitting a payment into the primary method
(card, transfer, virtual account, phone), secondary (PG or card points), discounts and the part
a cash receipt covers, each as tax-free, supply, VAT and service, "after refunds".

The sandbox's guesses, since nothing else is documented: every payment is answered, not only
PAYCO's; it is all primary and all taxed (the sandbox keeps no tax split), its supply and VAT
split as Korean PGs split an amount with 10% VAT in it; `amount` and the parts are what is left
after cancels; a cash receipt covers the primary part when the payment says one was issued; a
payment never paid has nothing and no history; `histories` holds the balance after the payment
and after each cancel, oldest first.
"""

from collections.abc import Iterator
from decimal import Decimal

from flask.typing import ResponseReturnValue

from .api import PAYMENT_NOT_FOUND, bp
from .current import store
from .money import exact, plain, split_vat
from .rest import envelope, failure
from .store.cancels import is_revoked
from .webguard import Payment

ZERO = Decimal(0)


@bp.get("/payments/<id:imp_uid>/balance")
def payment_balance(imp_uid: str) -> ResponseReturnValue:
    payment = store().get_payment(imp_uid)
    return envelope(balance_of(payment)) if payment else failure(PAYMENT_NOT_FOUND, 404)


def balance_of(payment: Payment) -> dict:
    """The balance now, with the balances it went through."""
    steps = list(balance_steps(payment))
    left = steps[-1][1] if steps else ZERO
    histories = [parts(payment, amount) | {"created": at} for at, amount in steps]
    return {"amount": plain(left), **parts(payment, left), "histories": histories}


def balance_steps(payment: Payment) -> Iterator[tuple[int, Decimal]]:
    """(moment, amount left) once paid, then after each cancel."""
    if not payment["paid_at"] or is_revoked(payment):
        return
    left = exact(payment["amount"])
    yield payment["paid_at"], left
    for cancellation in payment["cancel_history"]:
        left -= exact(cancellation["amount"])
        yield cancellation["cancelled_at"], left


def parts(payment: Payment, amount: Decimal) -> dict:
    primary = taxed(amount, payment["currency"])
    return {
        "primary": primary,
        "secondary": taxed(ZERO, payment["currency"]),
        "discount": taxed(ZERO, payment["currency"]),
        "cash_receipt": primary if payment["cash_receipt_issued"] else taxed(ZERO, None),
    }


def taxed(amount: Decimal, currency: str | None) -> dict:
    supply, vat = split_vat(amount, currency)
    return {"tax_free": 0, "supply": plain(supply), "vat": plain(vat), "service": 0}
