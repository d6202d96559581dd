"""POST, PUT and GET /escrows/logis/{imp_uid}: an escrow payment's shipping, to the V1 spec."""

import pytest

from iamport_sandbox import escrows
from tests.helpers import assert_portone_refusal

UNKNOWN_IMP_UID = "imp_000000000000"
PERSON = {"name": "홍길동", "tel": "010-1234-5678", "addr": "서울시 중구 세종대로 110"}
SENDER = PERSON | {"postcode": "04524"}
RECEIVER = PERSON | {"name": "김철수", "postcode": "04525"}


@pytest.fixture
def shipping(clock) -> dict:
    return {
        "sender": SENDER,
        "receiver": RECEIVER,
        "logis": {"company": "CJGLS", "invoice": "123456789012", "sent_at": clock.now},
    }


@pytest.fixture
def escrow_payment(store) -> str:
    payment = store.insert_payment(status="paid", pay_method="trans", escrow=True)
    return payment["imp_uid"]


def register(client, auth, imp_uid, fields):
    return client.post(f"/escrows/logis/{imp_uid}", json=fields, headers=auth)


def change(client, auth, imp_uid, fields):
    return client.put(f"/escrows/logis/{imp_uid}", json=fields, headers=auth)


def look_up(client, auth, imp_uid):
    return client.get(f"/escrows/logis/{imp_uid}", headers=auth)


def test_request_pay_escrow_is_reported_by_get_payment(window, client, auth):
    imp_uid = window.opened({"escrow": True, "pay_method": "trans"})
    window.decide(imp_uid, "approve")

    payment = client.get(f"/payments/{imp_uid}", headers=auth).json["response"]

    assert payment["escrow"] is True


def test_a_payment_without_escrow_reports_false(window, client, auth):
    imp_uid = window.opened()

    assert client.get(f"/payments/{imp_uid}", headers=auth).json["response"]["escrow"] is False


def test_registration_answers_the_logis_with_its_time(
    client, auth, escrow_payment, shipping, clock, validate
):
    response = register(client, auth, escrow_payment, shipping)

    assert response.status_code == 200
    validate(response.json, "EscrowLogisResponse")
    assert response.json["response"] == {
        "company": "CJGLS",
        "invoice": "123456789012",
        "sent_at": clock.now,
        "applied_at": clock.now,
    }


def test_lookup_answers_what_was_registered(client, auth, escrow_payment, shipping):
    registered = register(client, auth, escrow_payment, shipping).json["response"]

    response = look_up(client, auth, escrow_payment)

    assert response.status_code == 200
    assert response.json["response"] == registered


def test_change_replaces_the_logis_and_keeps_applied_at(
    client, auth, escrow_payment, shipping, clock
):
    applied_at = register(client, auth, escrow_payment, shipping).json["response"]["applied_at"]
    clock.advance(600)  # within the token's life
    logis = {"company": "HANJIN", "invoice": "99887766", "sent_at": clock.now}

    response = change(client, auth, escrow_payment, shipping | {"logis": logis})

    assert response.json["response"] == logis | {"applied_at": applied_at}
    assert look_up(client, auth, escrow_payment).json["response"]["invoice"] == "99887766"


def test_a_form_body_names_nested_fields_in_brackets(client, auth, escrow_payment, clock):
    form = {f"sender[{key}]": value for key, value in SENDER.items()}
    form |= {f"receiver[{key}]": value for key, value in RECEIVER.items()}
    form |= {"logis[company]": "EPOST", "logis[invoice]": "1", "logis[sent_at]": str(clock.now)}

    response = client.post(f"/escrows/logis/{escrow_payment}", data=form, headers=auth)

    assert response.json["response"]["sent_at"] == clock.now


def test_a_second_registration_is_a_409(client, auth, escrow_payment, shipping):
    register(client, auth, escrow_payment, shipping)

    response = register(client, auth, escrow_payment, shipping)

    assert_portone_refusal(response, status=409, code=-1, message=escrows.ALREADY_REGISTERED)


@pytest.mark.parametrize("call", [register, change])
def test_a_non_escrow_payment_is_a_409(client, auth, store, shipping, call):
    imp_uid = store.insert_payment(status="paid", pay_method="trans")["imp_uid"]

    response = call(client, auth, imp_uid, shipping)

    assert_portone_refusal(response, status=409, code=-1, message=escrows.NOT_ESCROW)


@pytest.mark.parametrize("status", ["ready", "failed", "cancelled"])
def test_an_escrow_payment_not_paid_is_a_409(client, auth, store, shipping, status):
    imp_uid = store.insert_payment(status=status, pay_method="trans", escrow=True)["imp_uid"]

    response = register(client, auth, imp_uid, shipping)

    assert_portone_refusal(response, status=409, code=-1, message_part=status)


def test_a_change_of_nothing_registered_is_a_409(client, auth, escrow_payment, shipping):
    response = change(client, auth, escrow_payment, shipping)

    assert_portone_refusal(response, status=409, code=-1, message=escrows.REGISTRATION_NOT_FOUND)


def test_a_lookup_of_nothing_registered_is_the_specs_409(client, auth, escrow_payment):
    response = look_up(client, auth, escrow_payment)

    assert_portone_refusal(
        response, status=409, code=-1, message="등록된 배송정보가 존재하지 않습니다."
    )


@pytest.mark.parametrize("call", [register, change, lambda c, a, i, _: look_up(c, a, i)])
def test_an_unknown_payment_is_a_404(client, auth, shipping, call):
    response = call(client, auth, UNKNOWN_IMP_UID, shipping)

    assert_portone_refusal(response, status=404, code=-1, message="존재하지 않는 결제정보입니다.")


@pytest.mark.parametrize(
    ("part", "field", "named"),
    [
        ("logis", "company", "logis.company"),
        ("logis", "invoice", "logis.invoice"),
        ("logis", "sent_at", "logis.sent_at"),
        ("sender", "name", "sender.name"),  # KG이니시스 needs every field of both people
        ("receiver", "postcode", "receiver.postcode"),
    ],
)
def test_a_missing_field_is_a_400_that_names_it(
    client, auth, escrow_payment, shipping, part, field, named
):
    shipping[part] = {key: value for key, value in shipping[part].items() if key != field}

    response = register(client, auth, escrow_payment, shipping)

    assert_portone_refusal(response, status=400, code=-1, message_part=named)


@pytest.mark.parametrize("missing", ["sender", "receiver", "logis"])
def test_a_missing_part_is_a_400(client, auth, escrow_payment, shipping, missing):
    del shipping[missing]

    response = register(client, auth, escrow_payment, shipping)

    assert_portone_refusal(response, status=400, code=-1, message_part=missing)


@pytest.mark.parametrize("sent_at", ["어제", -1, True, 1.5])
def test_sent_at_must_be_a_unix_timestamp(client, auth, escrow_payment, shipping, sent_at):
    shipping["logis"]["sent_at"] = sent_at

    response = register(client, auth, escrow_payment, shipping)

    assert_portone_refusal(response, status=400, code=-1, message_part="logis.sent_at")


def test_a_part_that_is_no_object_is_a_400(client, auth, escrow_payment, shipping):
    response = register(client, auth, escrow_payment, shipping | {"sender": "홍길동"})

    assert_portone_refusal(response, status=400, code=-1, message_part="sender")


def test_another_pg_needs_only_its_own_fields(client, auth, store, clock):
    imp_uid = store.insert_payment(
        status="paid", pay_method="trans", escrow=True, pg_provider="kcp"
    )["imp_uid"]
    fields = {"sender": {}, "receiver": {}, "logis": {"company": "ETC", "invoice": "1"}}
    fields["logis"]["sent_at"] = clock.now

    assert register(client, auth, imp_uid, fields).json["code"] == 0


@pytest.mark.parametrize(
    ("pg_provider", "call"), [("kcp", change), ("nice_v2", change), ("tosspayments", register)]
)
def test_a_pg_without_the_operation_is_a_400(client, auth, store, shipping, pg_provider, call):
    imp_uid = store.insert_payment(
        status="paid", pay_method="trans", escrow=True, pg_provider=pg_provider
    )["imp_uid"]

    response = call(client, auth, imp_uid, shipping)

    assert_portone_refusal(response, status=400, code=-1, message_part=pg_provider)


def test_welcome_needs_products(client, auth, store, shipping):
    imp_uid = store.insert_payment(
        status="paid", pay_method="trans", escrow=True, pg_provider="welcome"
    )["imp_uid"]

    refused = register(client, auth, imp_uid, shipping)
    product = {"id": "p1", "name": "머그컵", "amount": 12000}
    accepted = register(client, auth, imp_uid, shipping | {"products": [product]})

    assert_portone_refusal(refused, status=400, code=-1, message_part="products")
    assert accepted.json["code"] == 0


def test_the_api_needs_a_token(client, escrow_payment, shipping):
    response = client.post(f"/escrows/logis/{escrow_payment}", json=shipping)

    assert_portone_refusal(response, status=401, code=-1, message="Unauthorized")


def test_the_console_shows_the_registration(client, auth, escrow_payment, shipping):
    register(client, auth, escrow_payment, shipping)

    page = client.get(f"/dashboard/payments/{escrow_payment}").get_data(as_text=True)

    assert "배송정보 등록됨" in page
    assert "CJGLS" in page and "123456789012" in page
