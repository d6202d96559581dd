"""구매안전서비스: the cash-type methods the merchant configured are paid with escrow, the
주문서 says so beside them, and every page's footer states the membership and links to the
공정위's 사업자정보 확인 page."""

import re


def test_cash_methods_are_paid_with_escrow_and_cards_are_not(app, shopper):
    merchant_uid = shopper.buy(pay_method="trans")
    assert shopper.pay_request(merchant_uid)["escrow"] is True
    assert shopper.pay_request(merchant_uid, method="vbank")["escrow"] is True
    assert "escrow" not in shopper.pay_request(merchant_uid, method="card")


def test_the_merchant_chooses_the_escrow_methods(app, shopper):
    app.config["ESCROW_METHODS"] = ()
    merchant_uid = shopper.buy(pay_method="trans")
    assert "escrow" not in shopper.pay_request(merchant_uid)
    assert "구매안전서비스" not in shopper.client.get("/").get_data(as_text=True)


def test_the_checkout_marks_the_escrow_methods(app, shopper):
    shopper.add_to_cart(1)
    page = shopper.client.get("/checkout").get_data(as_text=True)
    tagged = re.findall(r'value="(\w+)"[^>]*> <span>[^<]*<small class="escrow-tag">', page)
    assert tagged == ["trans", "vbank"]
    assert "구매안전서비스(KG이니시스 에스크로)가 적용됩니다" in page


def test_the_footer_states_the_membership_and_links_to_the_ftc(app, client):
    app.config["BUSINESS_INFO"] = {"상호": "테스트 상점", "사업자등록번호": "123-45-67890"}
    page = client.get("/").get_data(as_text=True)
    assert 'href="https://www.ftc.go.kr/bizCommPop.do?wrkr_no=1234567890"' in page
    assert "구매안전서비스(KG이니시스 에스크로, 예시)" in page  # sandbox mode
