"""The shipping fee (배송비): 3,000원 below 50,000원 of goods, free from there (both
configurable), part of the amount PortOne is told and shown wherever the amount is."""

from tests.conftest import Shopper, make_app, order


def test_below_fifty_thousand_won_the_fee_is_charged_and_part_of_what_portone_is_told(
    app, shopper, sandbox
):
    merchant_uid = shopper.buy(product_id=3)  # 19,800원
    placed = order(app, merchant_uid)
    assert (placed.amount, placed.shipping_fee, placed.goods_amount) == (22800, 3000, 19800)
    assert sandbox.prepared(merchant_uid)["amount"] == 22800
    assert shopper.pay_request(merchant_uid)["amount"] == 22800


def test_from_fifty_thousand_won_shipping_is_free(app, shopper):
    placed = order(app, shopper.buy(product_id=1))  # 64,900원
    assert (placed.amount, placed.shipping_fee) == (64900, 0)


def test_the_fee_and_the_free_shipping_threshold_are_configurable(tmp_path):
    app = make_app(tmp_path, SHIPPING_FEE=2500, FREE_SHIPPING_FROM=100_000)
    shopper = Shopper(app.test_client())
    placed = order(app, shopper.buy(product_id=1))
    assert (placed.amount, placed.shipping_fee) == (67400, 2500)


def test_the_fee_is_shown_in_checkout_pay_and_order_pages(app, shopper):
    shopper.add_to_cart(3)
    pages = [shopper.client.get("/checkout").get_data(as_text=True)]
    merchant_uid = shopper.checkout()
    pages.append(shopper.client.get(f"/orders/{merchant_uid}/pay").get_data(as_text=True))
    pages.append(shopper.client.get(f"/orders/{merchant_uid}").get_data(as_text=True))
    for page in pages:
        assert "<dt>배송비</dt><dd>3,000원</dd>" in page
        assert "22,800원" in page
