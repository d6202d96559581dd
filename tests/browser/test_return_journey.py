"""A 반품 in real browsers, on a desktop and on an iPhone: a delivered card order is returned
within 7 days, approved, recorded back and refunded less the return shipping, with the refund's
deadline in the admin; and a change of mind asked on the 8th day is refused in words."""

from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from shop.core.formatting import korean_date
from shop.core.fulfilment import Fulfilment
from shop.core.models import Order, OrderStatus
from shop.core.returns import refund_due
from tests.admin.test_admin import change
from tests.browser.conftest import screenshot
from tests.browser.test_customer_journeys import order_cushion, pay
from tests.browser.test_shipping_journey import PASSWORD, ship_as_operator
from tests.conftest import order


def delivered_order(live_shop, device):
    """A paid 리넨 쿠션 커버 (22,800원), shipped and marked 배송완료 by the operator."""
    live_shop.config["ADMIN_PASSWORD_HASH"] = generate_password_hash(PASSWORD)
    customer = device()
    merchant_uid = order_cushion(customer, live_shop.url)
    pay(customer)
    expect(customer.get_by_role("heading", name="결제가 완료되었습니다")).to_be_visible()
    operator = device()
    ship_as_operator(operator, live_shop.url, merchant_uid)
    operator.get_by_label("고객이 상품을 받았습니다").check()
    operator.get_by_role("button", name="배송완료로 표시").click()
    expect(operator.get_by_text("배송 상태: 배송중 → 배송완료")).to_be_visible()
    return customer, operator, merchant_uid


def ask_for_a_change_of_mind_return(customer) -> None:
    customer.get_by_role("link", name="반품 신청").click()
    customer.get_by_label("단순 변심").check()
    customer.get_by_label("자세한 내용 (선택)").fill("색이 생각과 달라요")
    customer.get_by_role("button", name="반품 신청하기").click()


def admin_step(operator, confirm: str, button: str) -> None:
    operator.get_by_label(confirm).check()
    operator.get_by_role("button", name=button).click()


def test_a_delivered_card_order_is_returned_and_refunded_less_the_way_back(live_shop, device):
    customer, operator, merchant_uid = delivered_order(live_shop, device)
    customer.reload()
    returns = customer.locator("#return")
    expect(returns).to_contain_text("단순 변심 반품")
    ask_for_a_change_of_mind_return(customer)
    expect(customer.get_by_text("반품을 신청했습니다.")).to_be_visible()
    expect(customer.locator(".return-state")).to_have_text("반품요청")
    screenshot(customer, f"{device.name}-return-asked")

    operator.reload()
    admin_step(operator, "반품을 받아 상품을 회수합니다", "반품승인 (회수 시작)")
    expect(operator.get_by_text("반품을 승인했습니다. 상품을 회수해 주세요.")).to_be_visible()
    admin_step(operator, "반품된 상품을 돌려받았습니다", "반품완료 (상품 도착)")
    due = korean_date(refund_due(order(live_shop, merchant_uid)))
    expect(operator.locator("#return .return-deadline")).to_contain_text(f"{due}까지")
    operator.goto(live_shop.url + "/admin/")
    expect(operator.locator(".return-deadline")).to_have_text(f"환불 기한 {due}")
    screenshot(operator, f"{device.name}-admin-return-deadline")

    operator.goto(live_shop.url + f"/admin/orders/{merchant_uid}")
    expect(operator.locator(".return-refund-amount")).to_have_text("16,800원")
    admin_step(operator, "환불할 금액 16,800원을 확인했습니다", "반품 환불하기")
    expect(operator.get_by_text("반품 환불 16,800원을 마쳤습니다.")).to_be_visible()

    customer.reload()
    expect(customer.locator(".refund-line")).to_have_text(
        "환불 16,800원 · 반품 환불 (단순 변심, 왕복 배송비 6,000원 차감)"
    )
    screenshot(customer, f"{device.name}-return-refunded")
    done = order(live_shop, merchant_uid)
    assert (done.status, done.fulfilment) == (
        OrderStatus.PARTIALLY_REFUNDED,
        Fulfilment.RETURN_REFUNDED,
    )


def test_a_change_of_mind_on_the_eighth_day_is_refused_in_words(live_shop, device):
    customer, _, merchant_uid = delivered_order(live_shop, device)
    eight_days_ago = datetime.now(UTC) - timedelta(days=8)
    change(live_shop, Order, Order.merchant_uid == merchant_uid, delivered_at=eight_days_ago)
    customer.reload()

    ask_for_a_change_of_mind_return(customer)

    refusal = customer.get_by_text("반품 신청 기간이 지났습니다. 단순 변심 반품은")
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text("7일 안(")
    screenshot(customer, f"{device.name}-return-too-late")
    assert order(live_shop, merchant_uid).fulfilment == Fulfilment.DELIVERED
