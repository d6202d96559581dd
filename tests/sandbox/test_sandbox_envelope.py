import pytest
from jsonschema import ValidationError


def test_unknown_route_answers_a_404_envelope(client):
    response = client.get("/payments/imp_1/nothing/here")

    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json; charset=UTF-8"
    assert response.json["code"] == -1
    assert response.json["message"]
    assert response.json["response"] is None


def test_wrong_method_answers_a_405_envelope(client):
    response = client.get("/users/getToken")

    assert response.status_code == 405
    assert response.json["code"] == -1
    assert response.json["response"] is None
    assert "POST" in response.headers["Allow"]


def test_an_exception_answers_a_500_envelope(app, client, auth, store, monkeypatch):
    def broken(imp_uid):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store, "get_payment", broken)
    app.testing = False

    response = client.get("/payments/imp_000000000000", headers=auth)

    assert response.status_code == 500
    assert response.headers["Content-Type"] == "application/json; charset=UTF-8"
    assert response.json["code"] == -1
    assert "disk on fire" not in response.json["message"]


def test_every_error_envelope_fits_the_spec(client, validate):
    response = client.get("/payments/imp_000000000000")

    validate(response.json, "ResponseAnnotation")


@pytest.fixture
def payment(client, auth, store):
    imp_uid = store.insert_payment(status="paid")["imp_uid"]
    return client.get(f"/payments/{imp_uid}", headers=auth).json


@pytest.mark.parametrize(
    "field, wrong",
    [
        ("paid_at", "1700000000"),
        ("started_at", 1700000000.5),
        ("amount", "64900"),
        ("escrow", "false"),
        ("card_quota", None),
        ("cancel_history", None),
        ("cancel_history", [{"amount": 100}]),
        ("imp_uid", 123),
        ("name", "가" * 41),
    ],
)
def test_payment_schema_catches_a_wrong_value(payment, validate, field, wrong):
    validate(payment, "PaymentResponse")
    payment["response"][field] = wrong

    with pytest.raises(ValidationError):
        validate(payment, "PaymentResponse")


@pytest.mark.parametrize("required", ["imp_uid", "merchant_uid", "amount", "status", "currency"])
def test_payment_schema_catches_a_missing_field(payment, validate, required):
    del payment["response"][required]

    with pytest.raises(ValidationError):
        validate(payment, "PaymentResponse")


@pytest.mark.parametrize(
    "field, wrong", [("access_token", 123), ("expired_at", "1700001800"), ("now", 1.5)]
)
def test_token_schema_catches_a_wrong_value(client, validate, field, wrong):
    body = client.post(
        "/users/getToken", json={"imp_key": "sandbox_key", "imp_secret": "sandbox_secret"}
    ).json
    validate(body, "AuthResponse")
    body["response"][field] = wrong

    with pytest.raises(ValidationError):
        validate(body, "AuthResponse")


@pytest.mark.parametrize("field, wrong", [("amount", "64900"), ("merchant_uid", 1), ("code", None)])
def test_prepare_schema_catches_a_wrong_value(client, auth, validate, field, wrong):
    body = client.post(
        "/payments/prepare", json={"merchant_uid": "order-1", "amount": 64900}, headers=auth
    ).json
    validate(body, "PaymentPrepareResponse")
    if field == "code":
        body["code"] = wrong
    else:
        body["response"][field] = wrong

    with pytest.raises(ValidationError):
        validate(body, "PaymentPrepareResponse")
