"""What a PG's escrow status webhook claims: KG이니시스's `Inicis.Escrow.Changed`, which PortOne
posts to the same webhook URL as payment webhooks.

Its body, from PortOne's KG이니시스 guide (이니시스 에스크로 상태변경 웹훅): `{event, imp_uid,
merchant_uid, status, extra: {escrow_status, changed_at, denied_reason}}`. The guide shows JSON
only; a form-encoded body is read as `extra[escrow_status]` fields or as `extra` holding JSON
(a guess). NHN KCP's guide documents no escrow webhook. Everything here is a claim: what the
shop does with it is decided in shop.payments.escrow_changes.
"""

import enum
import json
from dataclasses import dataclass
from typing import Any

EVENT = "Inicis.Escrow.Changed"


class EscrowStatus(enum.StrEnum):
    """extra.escrow_status, as the guide lists it."""

    SHIPPING_REGISTERED = "2"  # 배송등록
    PURCHASE_CONFIRMED = "3"  # 구매확인
    AUTO_CONFIRMED = "31"  # 자동구매확인
    FORCED_CONFIRMED = "32"  # 강제구매확인
    PURCHASE_DENIED = "4"  # 구매거절
    TRANSACTION_CANCELLED = "8"  # 거래취소
    DENIAL_ACKNOWLEDGED = "10"  # 거절확인

    @property
    def label(self) -> str:
        return LABELS[self]


S = EscrowStatus
LABELS = {
    S.SHIPPING_REGISTERED: "배송등록",
    S.PURCHASE_CONFIRMED: "구매확인",
    S.AUTO_CONFIRMED: "자동구매확인",
    S.FORCED_CONFIRMED: "강제구매확인",
    S.PURCHASE_DENIED: "구매거절",
    S.TRANSACTION_CANCELLED: "거래취소",
    S.DENIAL_ACKNOWLEDGED: "거절확인",
}
CONFIRMATIONS = frozenset({S.PURCHASE_CONFIRMED, S.AUTO_CONFIRMED, S.FORCED_CONFIRMED})


@dataclass(frozen=True)
class EscrowChange:
    """The webhook's escrow fields as sent; `status` is None for a code the guide does not list."""

    status: EscrowStatus | None
    raw_status: str
    changed_at: str
    denied_reason: str

    @property
    def claim(self) -> str:
        """What was claimed, for the event log."""
        parts = {"event": EVENT, "escrow_status": self.raw_status, "changed_at": self.changed_at}
        if self.denied_reason:
            parts["denied_reason"] = self.denied_reason
        return " ".join(f"{key}={value}" for key, value in parts.items())

    @property
    def label(self) -> str:
        return self.status.label if self.status else f"알 수 없는 상태 {self.raw_status!r}"


def escrow_change(body: dict[str, Any]) -> EscrowChange | None:
    """The escrow change the body claims; None when it is not an escrow webhook."""
    if body.get("event") != EVENT:
        return None
    extra = extra_fields(body)
    raw = text(extra.get("escrow_status"))
    known = raw in EscrowStatus.__members__.values()
    return EscrowChange(
        status=EscrowStatus(raw) if known else None,
        raw_status=raw,
        changed_at=text(extra.get("changed_at")),
        denied_reason=text(extra.get("denied_reason")),
    )


def extra_fields(body: dict[str, Any]) -> dict[str, Any]:
    """`extra` as a JSON object, as JSON text in a form field, or as `extra[...]` form fields."""
    extra = body.get("extra")
    if isinstance(extra, str):
        try:
            extra = json.loads(extra)
        except ValueError:
            extra = None
    if isinstance(extra, dict):
        return extra
    prefix = "extra["
    return {
        key[len(prefix) : -1]: value
        for key, value in body.items()
        if key.startswith(prefix) and key.endswith("]")
    }


def text(value: object) -> str:
    """A claimed scalar as text (the guide's changed_at is a number); anything else is empty."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    return str(value).strip()[:200]
