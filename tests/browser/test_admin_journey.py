"""The operator in a real browser: logs in, finds the order a customer just paid, refunds part of
it, and reads the refund in the order's timeline."""

from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from shop.core.extensions import db
from shop.core.models import Order, OrderStatus
from tests.browser.conftest import screenshot
from tests.browser.test_desktop_journey import checkout_one_chair, open_window
from tests.conftest import order, order_status

PASSWORD = "correct horse battery staple"
OTHER_ORDERS = (
    ("20260301-100001", "김민지", "원목 사이드 테이블", 89000, OrderStatus.VBANK_ISSUED, None),
    ("20260301-100002", "이서준", "린넨 쿠션 커버 외 1건", 38000, OrderStatus.PENDING, None),
    (
        "20260301-100003",
        "박지우",
        "세라믹 머그 2개",
        24000,
        OrderStatus.NEEDS_REVIEW,
        "결제 2건이 한 주문에 들어왔습니다",
    ),
)


def other_orders(app) -> None:
    """A few orders of other customers, so the list looks like a shop's."""
    earlier = datetime.now(UTC) - timedelta(hours=3)
    with app.app_context():
        for index, (number, buyer, name, amount, status, reason) in enumerate(OTHER_ORDERS):
            db.session.add(
                Order(
                    number=number,
                    name=name,
                    amount=amount,
                    status=status,
                    review_reason=reason,
                    pay_method="vbank" if status == OrderStatus.VBANK_ISSUED else "card",
                    buyer_name=buyer,
                    buyer_email="guest@example.com",
                    buyer_tel=f"010-5555-{index:04d}",
                    buyer_addr="서울특별시 마포구 월드컵로 1",
                    buyer_postcode="03900",
                    created_at=earlier + timedelta(minutes=index),
                )
            )
        db.session.commit()


def test_an_operator_refunds_part_of_a_paid_order_and_reads_it_in_the_timeline(live_shop, page):
    live_shop.config["ADMIN_PASSWORD_HASH"] = generate_password_hash(PASSWORD)
    other_orders(live_shop)
    merchant_uid = checkout_one_chair(page, live_shop.url)
    open_window(page).get_by_role("button", name="결제 승인").click()
    expect(page.get_by_role("heading", name="결제가 완료되었습니다")).to_be_visible()
    number = order(live_shop, merchant_uid).number

    page.goto(live_shop.url + "/admin/")
    expect(page.get_by_role("heading", name="관리자 로그인")).to_be_visible()
    page.get_by_label("관리자 비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    expect(page.get_by_text("로그인했습니다.")).to_be_visible()
    expect(page.get_by_role("link", name=number)).to_be_visible()
    screenshot(page, "admin-orders")

    page.get_by_label("검색").fill("010-4242-4242")
    page.get_by_role("button", name="검색").click()
    expect(page.get_by_text("주문 1건", exact=True)).to_be_visible()
    page.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", name=f"주문 {number}")).to_be_visible()

    page.get_by_label("환불 금액 (원)").fill("10,000")
    page.get_by_label("환불 사유").fill("부분 반품 (의자 팔걸이 1개)")
    page.get_by_label("환불 금액과 사유를 확인했습니다").check()
    page.get_by_role("button", name="환불하기").click()

    expect(page.get_by_text("10,000원을 환불했습니다. 주문 상태: 부분 환불")).to_be_visible()
    refund_row = page.locator(".admin-timeline tr.admin-event--refund")
    expect(refund_row).to_contain_text("부분 환불")
    expect(page.get_by_text("부분 반품 (의자 팔걸이 1개)")).to_be_visible()
    amounts = page.locator(".refund-amounts dd")
    expect(amounts).to_have_text(["64,900원", "10,000원", "54,900원"])
    expect(page.get_by_label("환불 금액 (원)")).to_have_value("")  # empty again, never the rest
    screenshot(page, "admin-order")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "admin-order-phone")
    assert order_status(live_shop, merchant_uid) == OrderStatus.PARTIALLY_REFUNDED
