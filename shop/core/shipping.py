"""배송비: a flat fee below a threshold, free from it; both set in configuration."""

from dataclasses import dataclass

from flask import current_app


@dataclass(frozen=True)
class Totals:
    goods: int  # 상품 금액
    shipping: int  # 배송비

    @property
    def amount(self) -> int:
        """결제 금액: what is registered with /payments/prepare and charged."""
        return self.goods + self.shipping


def totals_for(goods: int) -> Totals:
    config = current_app.config
    free = goods == 0 or goods >= config["FREE_SHIPPING_FROM"]
    return Totals(goods, 0 if free else config["SHIPPING_FEE"])
