"""The goods leave, on a desktop and on an iPhone: the operator ships a paid order with the
courier and the invoice number, and the customer's order page says 배송중, with the invoice
and a link to the courier's tracking page, and no longer offers 주문 취소."""

from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from shop.core.fulfilment import Fulfilment
from tests.browser.conftest import screenshot
from tests.browser.test_customer_journeys import order_cushion, pay
from tests.conftest import order

PASSWORD = "correct horse battery staple"
TRACKING = "https://www.hanjin.com/kor/CMS/DeliveryMgr/WaybillResult.do?mCode=MN038&schLang=KR&wblnumText2=420012345678"


def ship_as_operator(operator, base_url: str, merchant_uid: str) -> None:
    operator.goto(base_url + "/admin/login")
    operator.get_by_label("관리자 비밀번호").fill(PASSWORD)
    operator.get_by_role("button", name="로그인").click()
    operator.goto(base_url + f"/admin/orders/{merchant_uid}")
    operator.get_by_label("택배사").select_option(label="한진택배")
    operator.get_by_label("송장번호").fill("4200-1234-5678")
    operator.get_by_label("상품을 발송했습니다").check()
    operator.get_by_role("button", name="배송 시작").click()
    expect(operator.get_by_text("배송 상태: 주문접수 → 배송중")).to_be_visible()
    expect(operator.get_by_role("link", name="420012345678")).to_have_attribute("href", TRACKING)


def test_the_operator_ships_with_an_invoice_and_the_customer_can_track_it(live_shop, device):
    live_shop.config["ADMIN_PASSWORD_HASH"] = generate_password_hash(PASSWORD)
    customer = device()
    merchant_uid = order_cushion(customer, live_shop.url)
    pay(customer)
    expect(customer.get_by_role("heading", name="결제가 완료되었습니다")).to_be_visible()
    expect(customer.get_by_role("link", name="주문 취소")).to_be_visible()

    operator = device()
    ship_as_operator(operator, live_shop.url, merchant_uid)
    screenshot(operator, f"{device.name}-admin-shipped")

    customer.reload()
    steps = customer.get_by_role("list", name="주문 진행 단계")
    expect(steps.locator('[aria-current="step"]')).to_have_text("배송중")
    expect(customer.get_by_text("한진택배")).to_be_visible()
    expect(customer.get_by_text("420012345678")).to_be_visible()
    tracking = customer.get_by_role("link", name="배송 조회")
    expect(tracking).to_have_attribute("href", TRACKING)
    expect(tracking).to_have_attribute("target", "_blank")
    expect(customer.get_by_role("link", name="주문 취소")).to_have_count(0)
    screenshot(customer, f"{device.name}-order-shipped")
    assert order(live_shop, merchant_uid).fulfilment == Fulfilment.SHIPPING
