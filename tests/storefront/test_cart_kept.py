"""The cart lives until payment: a declined or closed payment returns to a full cart; a paid
order (or an issued virtual account) takes out exactly what it bought."""

from flask import session


def cart_now(client) -> dict[str, int]:
    with client:
        client.get("/cart")
        return dict(session.get("cart", {}))


def test_a_declined_payment_leaves_the_cart_full(app, shopper):
    merchant_uid = shopper.buy(product_id=1, quantity=2)
    imp_uid = shopper.pay_in_window(merchant_uid, outcome="decline")
    shopper.complete(imp_uid, merchant_uid)

    assert cart_now(shopper.client) == {"1": 2}
    page = shopper.client.get(f"/orders/{merchant_uid}").get_data(as_text=True)
    assert 'href="/cart"' in page and "장바구니로 돌아가기" in page


def test_a_paid_order_empties_the_cart(app, shopper):
    merchant_uid = shopper.buy(product_id=1)
    shopper.complete(shopper.pay_in_window(merchant_uid), merchant_uid)
    assert cart_now(shopper.client) == {}


def test_what_was_added_after_checkout_stays_after_payment(app, shopper):
    merchant_uid = shopper.buy(product_id=1, quantity=2)
    shopper.add_to_cart(1, 1)
    shopper.add_to_cart(3, 1)
    shopper.complete(shopper.pay_in_window(merchant_uid), merchant_uid)
    assert cart_now(shopper.client) == {"1": 1, "3": 1}


def test_a_payment_seen_by_webhook_only_empties_the_cart_on_the_next_page(app, shopper, webhooks):
    merchant_uid = shopper.buy(product_id=1)
    shopper.pay_in_window(merchant_uid)  # the browser never reports back
    webhooks()
    assert cart_now(shopper.client) == {}


def test_an_issued_virtual_account_empties_the_cart(app, shopper):
    merchant_uid = shopper.buy(product_id=1, pay_method="vbank")
    shopper.complete(shopper.pay_in_window(merchant_uid, outcome="vbank"), merchant_uid)
    assert cart_now(shopper.client) == {}


def test_a_cancelled_order_leaves_the_cart_and_is_forgotten(app, shopper):
    merchant_uid = shopper.buy(product_id=1)
    token = shopper.csrf_token()
    shopper.client.post(
        f"/orders/{merchant_uid}/cancel", data={"confirm": "y", "csrf_token": token}
    )
    with shopper.client:
        shopper.client.get("/")
        assert "cart_order" not in session
        assert session["cart"] == {"1": 1}


def test_buy_now_leaves_the_cart_alone(app, shopper):
    shopper.add_to_cart(3, 1)
    token = shopper.csrf_token()
    shopper.client.post("/checkout/buy-now/1", data={"quantity": 1, "csrf_token": token})
    merchant_uid = shopper.checkout(source="buy_now")
    shopper.complete(shopper.pay_in_window(merchant_uid), merchant_uid)
    assert cart_now(shopper.client) == {"3": 1}


def test_minus_keeps_only_what_is_left():
    from shop.storefront.paid_cart import minus

    assert minus({"1": 3, "2": 1}, {"1": 2, "2": 1, "9": 4}) == {"1": 1}
