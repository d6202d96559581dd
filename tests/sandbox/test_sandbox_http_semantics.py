"""What a real API server gets right before any view runs: reserved path words are never ids,
authentication comes before the method check, HEAD and OPTIONS are answered."""

import pytest

from iamport_sandbox import switchboard

METHOD_NOT_ALLOWED = {"code": -1, "message": "허용되지 않는 HTTP 메서드입니다.", "response": None}


def allowed(response) -> set[str]:
    return {method.strip() for method in response.headers["Allow"].split(",")}


# Reserved path words


@pytest.mark.parametrize(
    "path, methods",
    [
        ("/payments/cancel", {"POST"}),
        ("/payments/prepare", {"POST", "PUT"}),
    ],
)
def test_a_get_of_a_fixed_path_is_no_payment_lookup(client, auth, store, path, methods):
    store.insert_payment(imp_uid=path.rsplit("/", 1)[1], status="paid")

    response = client.get(path, headers=auth)

    assert response.status_code == 405
    assert response.json == METHOD_NOT_ALLOWED
    assert methods <= allowed(response)


@pytest.mark.parametrize("path", ["/payments/find", "/payments/findAll", "/payments/status"])
def test_a_fixed_path_without_its_parameter_is_not_found(client, auth, path):
    response = client.get(path, headers=auth)

    assert response.status_code == 404
    assert response.json["message"] == "존재하지 않는 API입니다."


def test_an_imp_uid_that_only_starts_like_a_word_is_still_an_imp_uid(client, auth, store):
    imp_uid = store.insert_payment(imp_uid="cancelled_1", status="paid")["imp_uid"]

    assert client.get(f"/payments/{imp_uid}", headers=auth).json["response"]["imp_uid"] == imp_uid


# Authentication before the method check


@pytest.mark.parametrize(
    "method, path",
    [
        ("DELETE", "/payments/imp_000000000000"),
        ("PUT", "/payments/imp_000000000000"),
        ("PUT", "/payments/cancel"),
        ("DELETE", "/payments/prepare"),
        ("GET", "/vbanks"),
        ("POST", "/vbanks/imp_000000000000"),
        ("DELETE", "/vbanks/holder"),
        ("POST", "/payments/status/paid"),
    ],
)
def test_a_wrong_method_without_a_token_is_unauthorized(client, auth, method, path):
    anonymous = client.open(path, method=method)
    authenticated = client.open(path, method=method, headers=auth)

    assert anonymous.status_code == 401
    assert anonymous.json == {"code": -1, "message": "Unauthorized", "response": None}
    assert authenticated.status_code == 405
    assert authenticated.json == METHOD_NOT_ALLOWED


def test_get_token_needs_no_token_to_be_told_its_method(client):
    response = client.get("/users/getToken")

    assert response.status_code == 405
    assert "POST" in allowed(response)


@pytest.mark.parametrize("path", ["/window/imp_000000000000", "/dashboard/switches/clear"])
def test_pages_keep_their_html_405(client, path):
    response = client.put(path)

    assert response.status_code == 405
    assert response.mimetype == "text/html"
    assert "POST" in allowed(response) or "GET" in allowed(response)


# HEAD


def test_head_answers_like_get_without_a_body(client, auth, store):
    imp_uid = store.insert_payment(status="paid")["imp_uid"]

    got = client.get(f"/payments/{imp_uid}", headers=auth)
    head = client.head(f"/payments/{imp_uid}", headers=auth)

    assert head.status_code == 200
    assert head.headers["Content-Type"] == got.headers["Content-Type"]
    assert head.headers["Content-Length"] == got.headers["Content-Length"]
    assert head.get_data() == b""


def test_head_needs_a_token_as_get_does(client):
    response = client.head("/payments/imp_000000000000")

    assert response.status_code == 401
    assert response.get_data() == b""


def test_head_of_a_post_only_path_is_not_allowed(client, auth):
    assert client.head("/payments/cancel", headers=auth).status_code == 405


# OPTIONS


@pytest.mark.parametrize(
    "path, methods",
    [
        ("/payments/imp_000000000000", {"GET", "HEAD", "OPTIONS"}),
        ("/payments/prepare", {"POST", "PUT", "OPTIONS"}),
        ("/vbanks/imp_000000000000", {"PUT", "DELETE", "OPTIONS"}),
        ("/users/getToken", {"POST", "OPTIONS"}),
    ],
)
def test_options_names_the_methods_without_a_token(client, path, methods):
    response = client.options(path)

    assert response.status_code in (200, 204)
    assert allowed(response) == methods
    assert response.get_data() == b""


def test_options_of_an_unknown_path_is_not_found(client):
    assert client.options("/nothing/here").status_code == 404


def test_options_leaves_the_failure_switch_to_real_calls(client, auth, store):
    switchboard.set(store, "api_fail_next", 1)

    assert client.options("/payments/prepare").status_code == 200
    assert client.get("/payments/imp_000000000000", headers=auth).status_code == 500
