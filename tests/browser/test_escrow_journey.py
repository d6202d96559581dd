"""An escrow order from the deposit to 구매확정, on a desktop and on an iPhone: a 가상계좌 order
(paid with escrow) is deposited in the sandbox's console, shipped in the admin with an invoice,
PortOne's escrow record of the parcel is seen in the console, the buyer presses 구매확인 there,
and the shop's order page says 구매확정."""

import re

from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from shop.core.fulfilment import Fulfilment
from tests.browser.conftest import screenshot
from tests.browser.test_order_story import issue_account
from tests.browser.test_shipping_journey import PASSWORD, ship_as_operator
from tests.conftest import order


def open_in_console(console, base_url: str, merchant_uid: str) -> None:
    console.goto(base_url + "/sandbox/")
    console.get_by_role("row").filter(has_text=merchant_uid).get_by_role("link").first.click()


def test_the_buyers_confirmation_in_the_console_makes_the_order_final(live_shop, device):
    live_shop.config["ADMIN_PASSWORD_HASH"] = generate_password_hash(PASSWORD)
    customer = device()
    merchant_uid = issue_account(customer, live_shop.url)

    console = device()  # the PG's console, where the deposit arrives and the buyer decides
    open_in_console(console, live_shop.url, merchant_uid)
    console.get_by_role("button", name="입금 처리").click()
    expect(customer.get_by_role("heading", name="결제가 완료되었습니다")).to_be_visible(
        timeout=15_000
    )

    operator = device()
    ship_as_operator(operator, live_shop.url, merchant_uid)
    expect(operator.get_by_text("PortOne에 에스크로 배송정보를 등록했습니다.")).to_be_visible()

    console.reload()
    escrow = console.get_by_role("region", name="에스크로 · 현금영수증")
    expect(escrow.get_by_text("배송정보 등록됨")).to_be_visible()
    expect(escrow.get_by_text("HANJIN")).to_be_visible()
    expect(escrow.get_by_text("420012345678")).to_be_visible()
    screenshot(console, f"{device.name}-sandbox-escrow-registered")
    escrow.get_by_role("button", name="구매확인", exact=True).click()
    expect(console.get_by_text(re.compile("구매자가 구매확인했습니다"))).to_be_visible()

    customer.reload()
    expect(customer.locator(".shipment").get_by_text("구매확정")).to_be_visible(timeout=15_000)
    screenshot(customer, f"{device.name}-order-purchase-confirmed")
    assert order(live_shop, merchant_uid).fulfilment is Fulfilment.CONFIRMED
