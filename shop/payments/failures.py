"""What a failed payment means to the customer: a Korean sentence that says what happened and
what to do. The PG's own words differ by PG and are written for merchants, so they are only
matched on here; causes on the merchant's side (a MID or contract setting, a PG fault) read as
a temporary problem to the customer and are logged for the merchant."""

from dataclasses import dataclass

from flask import current_app


@dataclass(frozen=True)
class Failure:
    title: str
    advice: str
    merchant_side: bool = False


CLOSED = Failure(
    "결제를 취소하셨습니다", "결제창을 닫아 결제가 진행되지 않았습니다. 다시 결제하실 수 있습니다."
)
SERVICE_TROUBLE = Failure(
    "결제 서비스에 일시적인 문제가 있습니다",
    "잠시 후 다시 시도하시거나 다른 결제 수단을 이용해 주세요. 불편을 드려 죄송합니다.",
    merchant_side=True,
)
UNEXPLAINED = Failure(
    "결제에 실패했습니다",
    "결제가 완료되지 않았습니다. 다시 시도하시거나 다른 결제 수단을 이용해 주세요.",
)
# (words in the PG's message, what the customer reads); the first match wins.
RULES = (
    (("사용자가 결제를 취소", "결제를 취소하셨습니다", "사용자 취소", "F1000"), CLOSED),
    (
        ("잔액부족", "잔액 부족"),
        Failure("잔액이 부족합니다", "다른 카드나 결제 수단으로 다시 결제해 주세요."),
    ),
    (
        ("한도초과", "한도 초과"),
        Failure("카드 한도를 넘었습니다", "다른 카드나 결제 수단으로 다시 결제해 주세요."),
    ),
    (
        ("카드정보", "카드 정보", "유효기간", "비밀번호", "카드번호"),
        Failure(
            "카드 정보가 맞지 않습니다",
            "카드 번호, 유효기간, 비밀번호를 확인하고 다시 결제해 주세요.",
        ),
    ),
    (
        ("분실", "도난", "거래정지", "사용정지"),
        Failure("사용할 수 없는 카드입니다", "카드사에 문의하시거나 다른 카드로 결제해 주세요."),
    ),
    (
        ("이미 결제", "F1002"),
        Failure("이미 결제된 주문입니다", "주문 내역에서 결제 결과를 확인해 주세요."),
    ),
    (("MID", "상점아이디", "가맹점", "계약", "설정 오류", "[PG]", "F00", "F1003"), SERVICE_TROUBLE),
)


def explain(message: str | None) -> Failure:
    for words, failure in RULES:
        if message and any(word in message for word in words):
            return failure
    return UNEXPLAINED


def explain_for_customer(message: str | None, merchant_uid: str) -> Failure:
    failure = explain(message)
    if failure.merchant_side:
        current_app.logger.warning(
            "결제 실패(상점 설정 또는 PG 문제) order=%s message=%r", merchant_uid, message
        )
    return failure
