"""Amounts by currency: which amounts a request may name, which a currency can take, how an
amount splits into supply value and VAT, and exact arithmetic for partial cancels."""

import math
from decimal import ROUND_HALF_UP, Decimal

# Currencies without a minor unit in use. PortOne's V1 spec types amounts as numbers; the won
# has no fraction, so a KRW amount with one is refused everywhere (the window, prepare, cancel,
# virtual accounts). Other currencies keep cents.
WHOLE_CURRENCIES = frozenset({"KRW"})
DEFAULT_CURRENCY = "KRW"  # PortOne's default when a request names none

# A guess: numbers above JavaScript's largest exact integer (what the SDK can send) are refused
# as not numbers; PortOne documents no limit.
MAX_NUMBER = 2**53 - 1
# A guess: PortOne's texts for a fractional won amount are not documented.
NOT_WHOLE_WON = "원화(KRW) 금액 {name}은(는) 소수점 없는 정수여야 합니다(받은 값: {value})."


def normalize_amount(value: object) -> int | float | None:
    """A positive number up to MAX_NUMBER, as an int when it has no fraction; None for anything
    else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or value <= 0 or value > MAX_NUMBER:
        return None
    return int(value) if float(value).is_integer() else value


def fits_currency(amount: int | float, currency: str | None) -> bool:
    """Whether the currency can carry this amount: whole for KRW, anything for the rest."""
    if (currency or DEFAULT_CURRENCY) in WHOLE_CURRENCIES:
        return float(amount).is_integer()
    return True


def not_whole_won(name: str, amount: int | float) -> str:
    return NOT_WHOLE_WON.format(name=name, value=amount)


def minor_unit(currency: str | None) -> Decimal:
    return Decimal(1) if (currency or DEFAULT_CURRENCY) in WHOLE_CURRENCIES else Decimal("0.01")


def split_vat(amount: Decimal, currency: str | None) -> tuple[Decimal, Decimal]:
    """(supply, vat) of a taxed amount that includes 10% VAT: vat = amount / 11 rounded half
    up to the currency's unit, as Korean PGs compute it when the merchant gives no vat_amount."""
    vat = (amount / 11).quantize(minor_unit(currency), rounding=ROUND_HALF_UP)
    return amount - vat, vat


def exact(amount: float) -> Decimal:
    """Money as a Decimal, so partial cancels of fractional currencies add up exactly."""
    return Decimal(str(amount))


def plain(amount: Decimal) -> int | float:
    """A Decimal as JSON wants it: an int when whole."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)
