"""Our own failures never decide a payment: with the gateway or the database failing, each
delivery path answers "확인 중" (or asks PortOne to retry), keeps the claim where it can, and
marks nothing failed or refunded; once the fault is gone the same delivery settles the order.
"""

import pytest
import requests

from iamport_sandbox import switchboard
from shop.core.models import OrderStatus
from tests.conftest import DATABASES, Shopper, events, order_status, shop_app
from tests.invariants import broken_promises

pytestmark = pytest.mark.parametrize("app", DATABASES, indirect=True)


class RefusingInsideA200(requests.adapters.BaseAdapter):
    """PortOne's way of refusing: HTTP 200 with a code other than 0."""

    def send(self, request, **kwargs):
        answer = requests.Response()
        answer.status_code = 200
        answer._content = (
            b'{"code": -1, "message": "\\uc77c\\uc2dc\\uc801 \\uc624\\ub958", "response": null}'
        )
        answer.headers["Content-Type"] = "application/json"
        answer.request, answer.url = request, request.url
        return answer

    def close(self):
        pass


def fail_with_500(app, sandbox):
    switchboard.set(sandbox, "api_fail_status", "500")
    switchboard.set(sandbox, "api_fail_next", 1)


def fail_with_html_503(app, sandbox):  # a load balancer's page: not JSON at all
    switchboard.set(sandbox, "api_fail_status", "503")
    switchboard.set(sandbox, "api_fail_next", 1)


def hang(app, sandbox):
    app.extensions["portone"].timeout = (0.2, 0.3)
    switchboard.set(sandbox, "api_hang_seconds", 2)


def refuse_inside_a_200(app, sandbox):
    gateway = app.extensions["portone"]
    gateway.session.mount(gateway.base_url + "/payments/", RefusingInsideA200())


FAULTS = [fail_with_500, fail_with_html_503, hang, refuse_inside_a_200]


def heal(app, sandbox):
    switchboard.clear(sandbox)
    switchboard.set(sandbox, "webhook_drop", True)
    gateway = app.extensions["portone"]
    gateway.timeout = app.config["PORTONE_TIMEOUT"]
    gateway.session.adapters.pop(gateway.base_url + "/payments/", None)


def by_callback(shopper, imp_uid, merchant_uid):
    answer = shopper.complete(imp_uid, merchant_uid)
    return answer.status_code, answer.json["status"]


def by_return(shopper, imp_uid, merchant_uid):
    query = f"imp_uid={imp_uid}&merchant_uid={merchant_uid}&imp_success=true"
    page = shopper.client.get(f"/payments/complete/mobile?{query}")
    checking = "결제 결과를 확인하고 있습니다" in page.get_data(as_text=True)
    return page.status_code, "checking" if checking else "shown"


def by_webhook(shopper, imp_uid, merchant_uid):
    body = {"imp_uid": imp_uid, "merchant_uid": merchant_uid, "status": "paid"}
    answer = shopper.client.post("/payments/webhook", json=body)
    return answer.status_code, answer.json["status"]


WHILE_FAILING = {
    by_callback: (503, "pending"),
    by_return: (200, "checking"),
    by_webhook: (503, "retry"),
}


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("deliver", list(WHILE_FAILING))
def test_a_failing_gateway_decides_nothing_and_the_claim_is_kept(
    app, shopper, sandbox, fault, deliver
):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    fault(app, sandbox)

    assert deliver(shopper, imp_uid, merchant_uid) == WHILE_FAILING[deliver]
    assert order_status(app, merchant_uid) == OrderStatus.PENDING
    assert events(app)[-1].outcome == "unavailable"
    assert events(app)[-1].imp_uid == imp_uid

    heal(app, sandbox)
    deliver(shopper, imp_uid, merchant_uid)
    assert order_status(app, merchant_uid) == OrderStatus.PAID
    assert broken_promises(app) == []


def test_a_revoked_token_is_renewed_once_and_the_delivery_succeeds(app, shopper, sandbox):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    switchboard.set(sandbox, "api_unauthorized_once", True)

    assert by_webhook(shopper, imp_uid, merchant_uid) == (200, "ok")
    assert order_status(app, merchant_uid) == OrderStatus.PAID


def test_a_database_that_is_down_asks_for_a_retry_and_changes_nothing(app, shopper, tmp_path):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    down = "postgresql://nobody@127.0.0.1:9/none"  # nothing listens on port 9
    cut_off = shop_app(tmp_path, DATABASE_URL=down)  # the same sandbox file
    lost = Shopper(cut_off.test_client())

    assert by_webhook(lost, imp_uid, merchant_uid) == (503, "retry")
    assert by_return(lost, imp_uid, merchant_uid)[1] == "checking"
    asked = {"imp_uid": imp_uid, "merchant_uid": merchant_uid, "amount": 64900}
    confirm = lost.client.post("/payments/confirm", json=asked)
    assert confirm.status_code == 409  # never approve what the shop could not check
    assert "잠시 후 다시" in confirm.json["reason"]

    assert order_status(app, merchant_uid) == OrderStatus.PENDING
    assert by_webhook(shopper, imp_uid, merchant_uid) == (200, "ok")
    assert order_status(app, merchant_uid) == OrderStatus.PAID
