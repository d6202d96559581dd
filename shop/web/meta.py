"""Each page's <meta name="description">, kept in one table by endpoint so that no template
needs its own copy; a page without an entry gets the shop-wide sentence. Product pages say
their product's own description instead (templates/catalog/product.html), error pages their
message (templates/error.html)."""

from flask import Flask, current_app, request

DEFAULT = (
    "{shop}: 작은 공방과 함께 만든 가구와 리빙 소품(의자, 테이블, 쿠션, 머그, 조명, 캔들)을 "
    "파는 온라인 상점입니다."
)
ORDER_PAGE = "{shop} 주문 내역: 주문번호와 결제 결과, 주문 상태, 주문 상품과 금액을 확인하세요."
DESCRIPTIONS = {
    "catalog.index": (
        "작은 공방과 함께 만든 리빙 소품을 만나 보세요. 회전 의자, 원목 사이드 테이블, "
        "리넨 쿠션 커버, 세라믹 머그, 무드 조명, 소이 캔들까지 {shop}의 전체 상품입니다."
    ),
    "cart.show": "{shop} 장바구니: 담은 상품의 수량을 바꾸고, 배송비를 더한 결제 금액을 확인한 뒤 주문하세요.",
    "checkout.form": (
        "{shop} 주문서 작성: 주문하시는 분과 배송지, 결제 수단을 입력하고 구매조건에 동의한 뒤 "
        "결제를 진행하세요."
    ),
    "orders.pay": "{shop} 결제하기: 주문 상품과 결제 금액, 결제 수단을 확인하고 결제창에서 결제하세요.",
    "orders.show": ORDER_PAGE,
    "payments.mobile_complete": ORDER_PAGE,  # the phone's return shows the order page
    "orders.cancel": "{shop} 주문 취소: 취소할 주문과 환불되는 금액, 환불 방법을 확인하세요.",
    "lookup.lookup": (
        "{shop} 비회원 주문조회: 주문번호와 주문할 때 입력한 휴대폰 번호로 주문 상태와 "
        "결제 내역을 확인하세요."
    ),
    "pages.terms": (
        "{shop} 이용약관: 구매신청과 계약의 성립, 결제와 배송비, 가상계좌 입금 기한, "
        "청약철회와 환불, 분쟁 해결을 정합니다."
    ),
    "pages.privacy": (
        "{shop} 개인정보처리방침: 처리하는 개인정보와 목적, 보유 기간, 처리 위탁, "
        "정보주체의 권리와 개인정보보호책임자를 알려 드립니다."
    ),
}


def register(app: Flask) -> None:
    app.add_template_global(page_description)


def page_description() -> str:
    text = DESCRIPTIONS.get(request.endpoint or "", DEFAULT)
    return text.format(shop=current_app.config["SHOP_NAME"])
