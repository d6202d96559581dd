"""The items a buyer agrees to before paying, each a document with a version: the order keeps
which versions were agreed and when (shop.core.models.Consent), as evidence if a dispute comes.

Change a document's text (templates/checkout/consent/<item>.html) and its version together;
orders placed before keep the version they were shown.
"""

import enum
from dataclasses import dataclass

from shop.core.models import Consent, utcnow


class ConsentItem(enum.StrEnum):
    PURCHASE = "purchase"  # 전자상거래법 제8조 ②: the order's terms confirmed before paying
    PRIVACY_COLLECTION = "privacy_collection"  # 개인정보 보호법 제15조
    PRIVACY_THIRD_PARTY = "privacy_third_party"  # 제17조: to the PG and the courier
    ELECTRONIC_FINANCE = "electronic_finance"  # 전자금융거래법: the PG's terms of service

    @property
    def document(self) -> "Document":
        return DOCUMENTS[self]

    @property
    def template(self) -> str:
        return f"checkout/consent/{self.value}.html"


@dataclass(frozen=True)
class Document:
    label: str
    version: str


DOCUMENTS = {
    ConsentItem.PURCHASE: Document("구매조건 확인 및 결제진행 동의", "2026-12-07"),
    ConsentItem.PRIVACY_COLLECTION: Document("개인정보 수집·이용 동의", "2026-12-07"),
    ConsentItem.PRIVACY_THIRD_PARTY: Document(
        "개인정보 제3자 제공 동의 (결제대행사·택배사)", "2026-12-07"
    ),
    ConsentItem.ELECTRONIC_FINANCE: Document("전자금융거래 이용약관 동의", "2026-12-07"),
}


def records(items: list[ConsentItem]) -> list[Consent]:
    """One row per agreed item, stamped with the version the buyer was shown."""
    moment = utcnow()
    return [
        Consent(item=item.value, version=item.document.version, agreed_at=moment) for item in items
    ]
