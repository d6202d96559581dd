"""Korean banks by their standard code, and the sandbox's stand-in for the banks' account-holder
lookup behind GET /vbanks/holder.

The codes and names are the KFTC (금융결제원) standard codes PortOne V1 uses for bank_code,
vbank_code and refund_bank. No real bank is asked anything: the holder of an account comes from a
small fixed table, else from a rule (HOLDER_RULE below), both the sandbox's own.
"""

import re

BANKS = {
    "002": "KDB산업은행",
    "003": "IBK기업은행",
    "004": "KB국민은행",
    "007": "수협은행",
    "011": "NH농협은행",
    "012": "지역농축협",
    "020": "우리은행",
    "023": "SC제일은행",
    "027": "한국씨티은행",
    "031": "대구은행",
    "032": "부산은행",
    "034": "광주은행",
    "035": "제주은행",
    "037": "전북은행",
    "039": "경남은행",
    "045": "새마을금고",
    "048": "신협",
    "050": "저축은행",
    "071": "우체국",
    "081": "하나은행",
    "088": "신한은행",
    "089": "케이뱅크",
    "090": "카카오뱅크",
    "092": "토스뱅크",
}

# Accounts whose holder a test can count on. The first is the console's test refund account.
KNOWN_HOLDERS = {
    ("088", "110123456789"): "홍길동",
    ("004", "123456789012"): "김철수",
    ("020", "1002123456789"): "주식회사 데모상점",
}

# The rule for every other account, a guess throughout: an account number has 10 to 14 digits
# (hyphens and spaces are allowed and ignored, as PortOne allows symbols); one whose digits end
# in 0000 does not exist, so the "no such account" path can be tested; any other exists, and
# its holder is one of these names, always the same for the same account.
HOLDER_RULE = "10~14자리 계좌번호 중 끝 네 자리가 0000이면 없는 계좌, 그 밖에는 테스트 예금주"
TEST_HOLDERS = ("김민준", "이서연", "박지호", "최하은", "정도윤", "강서아", "조예준", "윤지우")
MISSING_ACCOUNT_SUFFIX = "0000"
ACCOUNT_DIGITS = range(10, 15)


def bank_code(raw: object) -> str | None:
    """The three-digit standard code of a known bank; older two-digit codes ("88") are taken
    with their leading zero added (a guess: PortOne's older docs list them that way)."""
    code = str(raw or "").strip()
    if code.isascii() and code.isdigit() and len(code) <= 3:
        code = code.zfill(3)
    return code if code in BANKS else None


def bank_name(code: str) -> str:
    return BANKS[code]


def account_digits(bank_num: str) -> str:
    return re.sub(r"\D", "", bank_num)


def holder(code: str, bank_num: str) -> str | None:
    """The holder of the account at the bank `code`; None when there is no such account."""
    digits = account_digits(bank_num)
    if (code, digits) in KNOWN_HOLDERS:
        return KNOWN_HOLDERS[(code, digits)]
    if len(digits) not in ACCOUNT_DIGITS or digits.endswith(MISSING_ACCOUNT_SUFFIX):
        return None
    return TEST_HOLDERS[sum(map(int, code + digits)) % len(TEST_HOLDERS)]
