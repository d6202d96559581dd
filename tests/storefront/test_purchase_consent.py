"""The consents at checkout, itemised as Korean shops show them: no order without each
required item, and the order keeps which items and which versions were agreed, and when."""

import pytest
from sqlalchemy import select

from shop.core.extensions import db
from shop.core.models import Consent, Order
from shop.storefront.consent import DOCUMENTS, ConsentItem
from tests.conftest import BUYER


@pytest.mark.parametrize("item", list(ConsentItem))
def test_checkout_without_any_one_required_consent_places_no_order(app, shopper, item):
    shopper.add_to_cart(1)
    data = BUYER | {"csrf_token": shopper.csrf_token()}
    del data[f"agree_{item.value}"]

    page = shopper.client.post("/checkout", data=data).get_data(as_text=True)

    assert f"{DOCUMENTS[item].label}가 필요합니다." in page
    assert 'id="error-summary"' in page and "autofocus" in page
    with app.app_context():
        assert db.session.execute(select(Order)).first() is None


def test_the_order_keeps_each_item_with_its_version_and_time(app, shopper):
    merchant_uid = shopper.buy()
    with app.app_context():
        placed = db.session.scalar(select(Order).where(Order.merchant_uid == merchant_uid))
        agreed = {consent.item: consent for consent in placed.consents}
        assert set(agreed) == {item.value for item in ConsentItem}
        assert all(agreed[item.value].version == DOCUMENTS[item].version for item in ConsentItem)
        assert len({consent.agreed_at for consent in agreed.values()}) == 1


def test_paying_again_from_the_same_checkout_updates_the_consents_in_place(app, shopper):
    shopper.add_to_cart(1)
    first = shopper.checkout()
    again = shopper.checkout()
    assert again == first
    with app.app_context():
        assert db.session.query(Consent).count() == len(ConsentItem)


def test_each_item_has_its_own_inline_text_and_the_all_box_sits_over_them(app, shopper):
    shopper.add_to_cart(3)
    page = shopper.client.get("/checkout").get_data(as_text=True)
    assert page.count('<details class="consent__doc"><summary>보기</summary>') == len(ConsentItem)
    consent = page.split('id="consent"')[1].split("</fieldset>")[0]
    assert 'target="_blank"' not in consent
    positions = [page.index(DOCUMENTS[item].label) for item in ConsentItem]
    assert page.index("주문 상품") < page.index("전체 동의") < min(positions)
    assert max(positions) < page.index("결제하기</button>")
