"""Money in a real browser: a customer cancels a paid order; a forged amount never keeps money."""

import re

from playwright.sync_api import expect

from iamport_sandbox import switchboard
from shop.core.models import OrderStatus
from tests.browser.conftest import screenshot
from tests.browser.test_desktop_journey import checkout_one_chair, open_window
from tests.conftest import order_status

CHANGE_THE_AMOUNT = """
Object.defineProperty(window, "IMP", {
  configurable: true,
  get() { return this.__imp; },
  set(value) {
    const pay = value.request_pay;
    value.request_pay = function (params, callback) {
      return pay.call(this, Object.assign({}, params, {amount: 100}), callback);
    };
    this.__imp = value;
  },
});
"""


def sandbox_of(live_shop):
    return live_shop.extensions["sandbox_app"].extensions["sandbox"]


def test_a_customer_cancels_a_paid_order_and_is_refunded(live_shop, page):
    merchant_uid = checkout_one_chair(page, live_shop.url)
    open_window(page).get_by_role("button", name="결제 승인").click()
    expect(page.get_by_role("heading", name="결제가 완료되었습니다")).to_be_visible()

    page.get_by_role("link", name="주문 취소").click()
    expect(page.get_by_role("heading", name="주문을 취소할까요?")).to_be_visible()
    page.get_by_label("주문 취소 내용을 확인했습니다").check()
    screenshot(page, "desktop-08-cancel-confirm")
    page.get_by_role("button", name="주문 취소하기").click()

    expect(page.get_by_role("heading", name="결제가 취소되었습니다")).to_be_visible()
    expect(page.get_by_text("주문을 취소했습니다.")).to_be_visible()
    screenshot(page, "desktop-09-cancelled")
    assert order_status(live_shop, merchant_uid) == OrderStatus.REFUNDED


def test_a_payment_reported_at_another_amount_is_refunded_by_itself(live_shop, page):
    switchboard.set(sandbox_of(live_shop), "window_reported_amount", 100)
    merchant_uid = checkout_one_chair(page, live_shop.url)
    open_window(page).get_by_role("button", name="결제 승인").click()

    expect(page.get_by_role("heading", name="결제를 확인하지 못했습니다")).to_be_visible()
    expect(
        page.get_by_text("환불 100원 · 결제 금액이 주문 금액과 달라 자동으로 환불했습니다.")
    ).to_be_visible()
    screenshot(page, "desktop-10-forged-refunded")
    assert order_status(live_shop, merchant_uid) == OrderStatus.FORGED
    payments = sandbox_of(live_shop).order_payments(merchant_uid, None, "-started", 1, 10)[1]
    assert [p["status"] for p in payments] == ["cancelled"]


def test_an_amount_changed_in_the_page_takes_no_money(live_shop, page):
    page.add_init_script(CHANGE_THE_AMOUNT)
    merchant_uid = checkout_one_chair(page, live_shop.url)

    expect(page.get_by_text(re.compile("결제"))).not_to_have_count(0)
    page.wait_for_timeout(500)
    paid = sandbox_of(live_shop).order_payments(merchant_uid, "paid", "-started", 1, 10)[0]
    assert paid == 0
    assert order_status(live_shop, merchant_uid) in (OrderStatus.PENDING, OrderStatus.FAILED)
