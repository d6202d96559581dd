"""The payment methods offered at checkout and the PortOne parameters each one needs."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Method:
    label: str
    pay_method: str
    pg: str | None = None  # None: the shop's configured PG (PORTONE_PG)
    hint: str = ""


METHODS = {
    "card": Method("신용·체크카드", "card"),
    "trans": Method("실시간 계좌이체", "trans"),
    "vbank": Method(
        "가상계좌 (무통장입금)", "vbank", hint="발급된 계좌로 기한 안에 입금하면 결제가 완료됩니다."
    ),
    "phone": Method("휴대폰 소액결제", "phone"),
    "kakaopay": Method("카카오페이", "card", pg="kakaopay"),
    "paypal": Method(
        "PayPal", "paypal", pg="paypal", hint="PayPal 결제창으로 이동한 뒤 돌아옵니다."
    ),
}


def pg_for(key: str, config) -> str:
    """PORTONE_PG_BY_METHOD routes a method to its own PG (e.g. {"card": "nice_v2"})."""
    return config["PORTONE_PG_BY_METHOD"].get(key) or METHODS[key].pg or config["PORTONE_PG"]


def offered(config) -> list[str]:
    """The methods PAY_METHODS allows, in the order of METHODS."""
    return [key for key in METHODS if key in config["PAY_METHODS"]]


def providers(config) -> set[str]:
    """The PG providers of the methods offered, as PortOne names them in a payment's
    pg_provider ("html5_inicis.MID" is provider html5_inicis)."""
    return {pg_for(key, config).split(".")[0] for key in offered(config)}


def reported_method(pg_provider: str | None, pay_method: str | None) -> str | None:
    """The shop's method for a payment as PortOne reported it: a PG of its own first
    ("kakaopay.TC0ONETIME" is 카카오페이, whatever pay_method it reports), else its pay_method;
    None when neither is one of the shop's."""
    provider = (pg_provider or "").split(".")[0]
    by_pg = next((key for key, method in METHODS.items() if method.pg == provider), None)
    return by_pg or (pay_method if pay_method in METHODS else None)
