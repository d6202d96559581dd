"""The console's escrow record and its buyer (구매확인, 구매거절) and PG (any escrow status)
buttons, and the Inicis.Escrow.Changed webhook they send, in JSON and form encoding."""

import pytest

from iamport_sandbox import switchboard
from tests.helpers import page_of
from tests.sandbox.test_sandbox_dashboard import settled

SHIPPING = {
    "sender": {"name": "온담", "tel": "02-000-0000", "addr": "서울", "postcode": "06236"},
    "receiver": {"name": "김철수", "tel": "010-1234-5678", "addr": "서울", "postcode": "04525"},
    "logis": {"company": "CJGLS", "invoice": "123456789012", "sent_at": 1_700_000_000},
}
JSON, FORM = "application/json", "application/x-www-form-urlencoded"


@pytest.fixture
def escrow_paid(window, store, receiver) -> str:
    """A paid KG이니시스 escrow payment, its paid webhook delivered."""
    imp_uid = window.opened({"escrow": True, "pay_method": "vbank"})
    window.decide(imp_uid, "vbank")
    store.update_payment(imp_uid, lambda payment, checkout: {"status": "paid", "paid_at": 1})
    settled(store, imp_uid)
    return imp_uid


@pytest.fixture
def shipped(client, auth, escrow_paid) -> str:
    response = client.post(f"/escrows/logis/{escrow_paid}", json=SHIPPING, headers=auth)
    assert response.status_code == 200, response.json
    return escrow_paid


def console(client, imp_uid: str, action: str, **form):
    return client.post(f"/dashboard/payments/{imp_uid}/escrow/{action}", data=form)


def escrow_webhooks(store, receiver, imp_uid) -> list[dict]:
    settled(store, imp_uid)
    return [r for r in receiver.received if "Inicis.Escrow.Changed" in r["body"]]


def test_the_payment_page_shows_the_parcel_portone_holds(client, shipped):
    page = page_of(client.get(f"/dashboard/payments/{shipped}"))

    assert "CJGLS" in page and "123456789012" in page
    assert "2023-11-15 07:13" in page  # sent_at in KST
    assert "구매확인" in page and "구매거절" in page


def test_the_buyers_confirmation_sends_the_escrow_webhook(client, store, clock, receiver, shipped):
    response = console(client, shipped, "confirm")

    assert response.status_code == 303
    [sent] = escrow_webhooks(store, receiver, shipped)
    assert sent["content_type"] == "application/json"
    assert sent["fields"] == {
        "event": "Inicis.Escrow.Changed",
        "imp_uid": shipped,
        "merchant_uid": "order-1",
        "status": "paid",
        "extra": {"escrow_status": "3", "changed_at": clock.now},
    }
    assert "구매확인" in page_of(client.get(response.headers["Location"]))


def test_a_denial_goes_form_encoded_with_its_reason(client, store, clock, receiver, shipped):
    switchboard.set(store, "webhook_format", "form")

    console(client, shipped, "deny", denied_reason="상품 파손")

    [sent] = escrow_webhooks(store, receiver, shipped)
    assert sent["content_type"] == "application/x-www-form-urlencoded"
    assert sent["fields"] == {
        "event": "Inicis.Escrow.Changed",
        "imp_uid": shipped,
        "merchant_uid": "order-1",
        "status": "paid",
        "extra[escrow_status]": "4",
        "extra[changed_at]": str(clock.now),
        "extra[denied_reason]": "상품 파손",
    }


def test_the_decision_is_not_in_portones_parcel_answer(client, auth, shipped, validate):
    console(client, shipped, "confirm")

    answer = client.get(f"/escrows/logis/{shipped}", headers=auth).json["response"]

    assert set(answer) == {"company", "invoice", "sent_at", "applied_at"}
    validate(answer, "EscrowLogisAnnotation")


def test_a_change_of_the_parcel_keeps_the_decision(client, auth, store, shipped):
    console(client, shipped, "deny")
    changed = SHIPPING | {"logis": SHIPPING["logis"] | {"invoice": "999"}}

    client.put(f"/escrows/logis/{shipped}", json=changed, headers=auth)

    assert store.logis(shipped)["decision"]["escrow_status"] == "4"


def test_the_buyer_decides_once(client, store, receiver, shipped):
    console(client, shipped, "confirm")

    again = console(client, shipped, "deny")

    assert again.status_code == 409
    assert "이미 구매 결정" in page_of(again, 409)
    assert len(escrow_webhooks(store, receiver, shipped)) == 1


def test_the_buyer_cannot_decide_before_the_parcel_is_registered(
    client, store, receiver, escrow_paid
):
    refused = console(client, escrow_paid, "confirm")

    assert "배송정보가 등록되지 않아" in page_of(refused, 409)
    assert escrow_webhooks(store, receiver, escrow_paid) == []


def test_a_payment_without_escrow_takes_no_escrow_action(client, window, store, receiver):
    imp_uid = window.opened()
    window.decide(imp_uid, "approve")

    refused = console(client, imp_uid, "webhook", escrow_status="3")

    assert "에스크로 결제건이 아니라" in page_of(refused, 409)
    assert escrow_webhooks(store, receiver, imp_uid) == []


@pytest.mark.parametrize("content", ["json", "form"])
def test_the_pg_sends_any_status_in_the_chosen_format_and_changes_nothing(
    client, store, receiver, escrow_paid, content
):
    response = console(client, escrow_paid, "webhook", escrow_status="31", content=content)

    assert response.status_code == 303
    [sent] = escrow_webhooks(store, receiver, escrow_paid)
    fields = sent["fields"]
    if content == "json":
        assert (sent["content_type"], fields["extra"]["escrow_status"]) == (JSON, "31")
    else:
        assert (sent["content_type"], fields["extra[escrow_status]"]) == (FORM, "31")
    assert store.logis(escrow_paid) is None


@pytest.mark.parametrize(
    "form, message",
    [
        ({"escrow_status": "5"}, "목록에서 고르세요"),
        ({"escrow_status": "3", "content": "xml"}, "JSON 또는 form"),
    ],
)
def test_the_pg_button_refuses_what_the_guide_does_not_list(client, escrow_paid, form, message):
    assert message in page_of(console(client, escrow_paid, "webhook", **form), 409)
