"""The customer's own return (the pay page's callback, the phone's return URL) is in the order's
timeline even when the webhook settled the payment first and storage answers it: once, however
often the page is reloaded, and without touching the payment or the order."""

import pytest

from tests.conftest import DATABASES, events, order
from tests.test_query_counts import counting

pytestmark = pytest.mark.parametrize("app", DATABASES, indirect=True)


def settled_by_the_webhook(shopper, webhooks) -> tuple[str, str]:
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    webhooks()
    assert [e.source for e in events(shopper.client.application)] == ["webhook"]
    return merchant_uid, imp_uid


def test_a_callback_after_the_webhook_is_recorded_once_as_changing_nothing(app, shopper, webhooks):
    merchant_uid, imp_uid = settled_by_the_webhook(shopper, webhooks)

    answers = [shopper.complete(imp_uid, merchant_uid).json["status"] for _ in range(3)]

    assert answers == ["success"] * 3
    [returned] = events(app, "callback")
    assert (returned.imp_uid, returned.claimed_merchant_uid) == (imp_uid, merchant_uid)
    assert returned.order_id == order(app, merchant_uid).id
    assert (returned.outcome, returned.order_status_before, returned.order_status_after) == (
        "paid",
        "paid",
        "paid",
    )
    assert "변경 없음" in returned.detail


def test_a_phone_return_after_the_webhook_is_recorded_once(app, shopper, webhooks):
    merchant_uid, imp_uid = settled_by_the_webhook(shopper, webhooks)
    query = f"imp_uid={imp_uid}&merchant_uid={merchant_uid}&imp_success=true"

    for _ in range(2):
        page = shopper.client.get(f"/payments/complete/mobile?{query}")
        assert "결제가 완료되었습니다" in page.get_data(as_text=True)

    assert [e.outcome for e in events(app, "redirect")] == ["paid"]


def test_recording_the_return_writes_only_its_event_row(app, shopper, webhooks):
    merchant_uid, imp_uid = settled_by_the_webhook(shopper, webhooks)

    with counting(app) as first:
        shopper.complete(imp_uid, merchant_uid)
    with counting(app) as again:
        shopper.complete(imp_uid, merchant_uid)

    assert [s.split("(")[0].strip() for s in first.writes] == ["INSERT INTO payment_event"]
    assert again.writes == []
