from concurrent.futures import ThreadPoolExecutor

import pytest

from iamport_sandbox.store import SandboxStore

CREDENTIALS = {"imp_key": "sandbox_key", "imp_secret": "sandbox_secret"}


def get_token(client, **body):
    return client.post("/users/getToken", json=body or CREDENTIALS)


def test_token_lives_thirty_minutes(client, clock, validate):
    response = get_token(client)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=UTF-8"
    validate(response.json, "AuthResponse")
    assert response.json["code"] == 0
    assert response.json["message"] is None
    assert response.json["response"]["now"] == clock.now
    assert response.json["response"]["expired_at"] == clock.now + 1800


def test_token_is_accepted_from_a_form_body(client):
    response = client.post("/users/getToken", data=CREDENTIALS)

    assert response.status_code == 200
    assert response.json["response"]["access_token"]


def test_same_token_and_expiry_are_returned_before_expiry(client, clock):
    first = get_token(client).json["response"]
    clock.advance(1000)
    second = get_token(client).json["response"]

    assert second["access_token"] == first["access_token"]
    assert second["expired_at"] == first["expired_at"]
    assert second["now"] == first["now"] + 1000


def test_token_in_its_last_minute_is_extended_by_five_minutes_once(client, clock):
    first = get_token(client).json["response"]
    clock.advance(1800 - 60)
    extended = get_token(client).json["response"]
    again = get_token(client).json["response"]

    assert extended["access_token"] == first["access_token"]
    assert extended["expired_at"] == first["expired_at"] + 300
    assert again["expired_at"] == extended["expired_at"]


def test_token_a_second_before_its_last_minute_is_not_extended(client, clock):
    first = get_token(client).json["response"]
    clock.advance(1800 - 61)

    assert get_token(client).json["response"]["expired_at"] == first["expired_at"]


def test_new_token_is_issued_after_expiry(client, clock):
    first = get_token(client).json["response"]
    clock.advance(1800)
    second = get_token(client).json["response"]

    assert second["access_token"] != first["access_token"]
    assert second["expired_at"] == clock.now + 1800


@pytest.mark.parametrize(
    "body",
    [
        {"imp_key": "sandbox_key", "imp_secret": "wrong"},
        {"imp_key": "wrong", "imp_secret": "sandbox_secret"},
        {"imp_key": "샌드박스", "imp_secret": "sandbox_secret"},
    ],
)
def test_wrong_credentials_are_unauthorized(client, body):
    response = client.post("/users/getToken", json=body)

    assert response.status_code == 401
    assert response.json["code"] == -1
    assert response.json["message"]
    assert response.json["response"] is None


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"imp_key": "sandbox_key"},
        {"imp_secret": "sandbox_secret"},
        {"imp_key": "", "imp_secret": ""},
    ],
)
@pytest.mark.parametrize("as_json", [True, False])
def test_missing_credentials_are_a_bad_request(client, body, as_json):
    if as_json:
        response = client.post("/users/getToken", json=body)
    else:
        response = client.post("/users/getToken", data=body)

    assert response.status_code == 400
    assert response.json == {
        "code": -1,
        "message": "imp_key, imp_secret 파라메터가 누락되었습니다.",
        "response": None,
    }


@pytest.mark.parametrize(
    "header",
    [
        lambda token: {"Authorization": token},
        lambda token: {"Authorization": f"Bearer {token}"},
        lambda token: {"X-ImpTokenHeader": token},
    ],
    ids=["raw", "bearer", "x-imp-token-header"],
)
def test_token_is_accepted_in_every_header_form(client, token, header, store):
    payment = store.insert_payment()

    response = client.get(f"/payments/{payment['imp_uid']}", headers=header(token))

    assert response.status_code == 200


def expired_token(client, clock):
    token = get_token(client).json["response"]["access_token"]
    clock.advance(1800)
    return {"Authorization": token}


@pytest.mark.parametrize(
    "headers",
    [
        lambda client, clock: {},
        lambda client, clock: {"Authorization": "Bearer not-a-token"},
        lambda client, clock: {"X-ImpTokenHeader": "not-a-token"},
        expired_token,
    ],
    ids=["missing", "unknown", "unknown-legacy-header", "expired"],
)
@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/payments/imp_000000000000"),
        ("get", "/payments/find/order-1"),
        ("get", "/payments/find/order-1/paid"),
        ("post", "/payments/prepare"),
        ("put", "/payments/prepare"),
        ("get", "/payments/prepare/order-1"),
    ],
)
def test_protected_routes_refuse_a_missing_unknown_or_expired_token(
    client, clock, headers, method, path
):
    response = getattr(client, method)(path, headers=headers(client, clock))

    assert response.status_code == 401
    assert response.json == {"code": -1, "message": "Unauthorized", "response": None}


def test_concurrent_callers_sharing_the_file_get_one_token(store):
    stores = [store, SandboxStore(store.path, clock=store.clock)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        issued = list(pool.map(lambda i: stores[i % 2].issue_token(), range(32)))

    assert len({token["access_token"] for token in issued}) == 1
