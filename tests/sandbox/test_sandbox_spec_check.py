import pytest
from flask import Blueprint, Flask

from iamport_sandbox import create_sandbox_app
from tests.spec_check import SpecCheck, spec_checked

PAYMENT = {
    "imp_uid": "imp_123456789012",
    "merchant_uid": "order-1",
    "amount": 1000,
    "cancel_amount": 0,
    "currency": "KRW",
    "status": "paid",
    "sandbox": True,
}


def envelope(response=None, code=0, message=None):
    return {"code": code, "message": message, "response": response}


def answering(answer, status=200):
    """An app whose `api` blueprint answers every route with the given JSON."""
    app = Flask(__name__)
    bp = Blueprint("api", __name__)
    for rule, method in [
        ("/payments/<imp_uid>", "GET"),
        ("/payments/find/<merchant_uid>", "GET"),
        ("/payments/cancel", "POST"),
        ("/payments", "GET"),
        ("/sandbox-only", "GET"),
    ]:
        bp.add_url_rule(rule, rule, lambda **_: (answer, status), methods=[method])
    app.register_blueprint(bp)
    return app


@pytest.mark.parametrize(
    "method, path, answer, status",
    [
        ("GET", "/payments/imp_1", envelope(PAYMENT), 200),
        ("GET", "/payments/find/order-1", envelope(PAYMENT), 200),
        ("POST", "/payments/cancel", envelope(code=1, message="취소할 결제건이 없습니다."), 200),
        ("GET", "/payments", envelope([PAYMENT]), 207),
        ("GET", "/payments/imp_1", envelope(code=-1, message="존재하지 않는 결제정보입니다."), 404),
        ("GET", "/sandbox-only", envelope({"anything": 1}), 200),
    ],
)
def test_answers_that_fit_the_spec_pass(method, path, answer, status):
    app = answering(answer, status)
    check = SpecCheck(app)

    app.test_client().open(path, method=method)

    assert check.violations == []


@pytest.mark.parametrize(
    "method, path, answer, status, complaint",
    [
        ("GET", "/payments/imp_1", envelope(PAYMENT | {"amount": "1000"}), 200, "'1000'"),
        ("GET", "/payments/find/order-1", envelope(PAYMENT | {"paid_at": 1.5}), 200, "1.5"),
        ("GET", "/payments", envelope([{"imp_uid": "imp_1"}]), 207, "required"),
        ("GET", "/payments/imp_1", envelope(PAYMENT, message="success"), 200, "'success'"),
        ("POST", "/payments/cancel", envelope(PAYMENT, code=1, message="거절"), 200, "'null'"),
        ("GET", "/payments/imp_1", envelope(), 404, "0"),
        ("GET", "/payments/imp_1", {"code": -1, "message": "없음"}, 404, "'response'"),
        ("GET", "/sandbox-only", {"anything": 1}, 200, "'code'"),
        ("GET", "/nowhere", {"error": "not found"}, 404, "'code'"),
    ],
)
def test_a_deliberately_wrong_answer_is_caught(method, path, answer, status, complaint):
    app = answering(answer, status)
    app.register_error_handler(404, lambda error: (answer, 404))
    check = SpecCheck(app)

    app.test_client().open(path, method=method)

    assert check.violations
    assert all(
        violation.startswith(f"{method} {path} → {status}") for violation in check.violations
    )
    assert any(complaint in violation for violation in check.violations)


def test_a_wrong_sandbox_answer_fails_the_fixture_at_teardown(tmp_path, monkeypatch):
    app = create_sandbox_app({"TESTING": True, "SANDBOX_DATABASE": str(tmp_path / "s.sqlite")})
    fixture = spec_checked(app, app)
    client = next(fixture).test_client()
    store = app.extensions["sandbox"]
    payment = store.insert_payment(status="paid")
    monkeypatch.setattr(store, "get_payment", lambda imp_uid: payment | {"escrow": "false"})
    token = client.post(
        "/users/getToken", json={"imp_key": "sandbox_key", "imp_secret": "sandbox_secret"}
    ).json["response"]["access_token"]

    client.get(f"/payments/{payment['imp_uid']}", headers={"Authorization": token})

    with pytest.raises(AssertionError, match=r"GET /payments/imp_\d{12} → 200: 'false'"):
        next(fixture)


def test_the_check_must_come_before_the_first_request(tmp_path):
    app = create_sandbox_app({"TESTING": True, "SANDBOX_DATABASE": str(tmp_path / "s.sqlite")})
    app.test_client().get("/payments/imp_000000000000")

    with pytest.raises(RuntimeError, match="first request"):
        SpecCheck(app)
