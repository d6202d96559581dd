from urllib.parse import urlencode

import pytest

START = 1_700_000_000  # where the clock fixture starts
NOT_FOUND = {"code": -1, "message": "존재하지 않는 결제정보입니다.", "response": None}
DAY = 24 * 60 * 60


def assert_bad_request(response, message: str | None = None) -> None:
    assert response.status_code == 400
    assert response.json["code"] == -1
    assert response.json["message"]
    assert response.json["response"] is None
    if message is not None:
        assert response.json["message"] == message


def imp_uids(response) -> list[str]:
    return [payment["imp_uid"] for payment in response.json["response"]["list"]]


@pytest.fixture
def order(store, clock):
    """Five attempts at order-1, a minute apart, oldest first: failed, failed, paid, ready,
    ready; and one payment of another order."""
    attempts = []
    for status in ("failed", "failed", "paid", "ready", "ready"):
        attempts.append(store.insert_payment(merchant_uid="order-1", status=status))
        clock.advance(60)
    store.insert_payment(merchant_uid="order-2", status="paid")
    return attempts


# GET /payments/findAll/{merchant_uid}/{payment_status}


def test_find_all_lists_every_attempt_newest_first(client, auth, order, validate):
    response = client.get("/payments/findAll/order-1", headers=auth)

    assert response.status_code == 200
    validate(response.json, "PaymentListResponse")
    assert response.json["code"] == 0
    assert response.json["message"] is None
    page = response.json["response"]
    assert (page["total"], page["previous"], page["next"]) == (5, 0, 0)
    assert page["list"] == order[::-1]


@pytest.mark.parametrize("status, indexes", [("failed", [1, 0]), ("paid", [2]), ("ready", [4, 3])])
def test_find_all_with_a_status_lists_the_attempts_in_it(client, auth, order, status, indexes):
    response = client.get(f"/payments/findAll/order-1/{status}", headers=auth)

    assert imp_uids(response) == [order[index]["imp_uid"] for index in indexes]
    assert response.json["response"]["total"] == len(indexes)


@pytest.mark.parametrize(
    "page, previous, following, indexes",
    [(1, 0, 2, [4, 3]), (2, 1, 3, [2, 1]), (3, 2, 0, [0])],
)
def test_find_all_pages_through_the_attempts(
    client, auth, order, page, previous, following, indexes
):
    response = client.get(f"/payments/findAll/order-1?page={page}&limit=2", headers=auth)

    body = response.json["response"]
    assert (body["total"], body["previous"], body["next"]) == (5, previous, following)
    assert imp_uids(response) == [order[index]["imp_uid"] for index in indexes]


def test_find_all_follows_the_sorting(client, auth, order):
    response = client.get("/payments/findAll/order-1?sorting=started", headers=auth)

    assert response.json["response"]["list"] == order


def test_find_all_lists_twenty_by_default(client, auth, store):
    for _ in range(21):
        store.insert_payment(merchant_uid="order-1")

    page = client.get("/payments/findAll/order-1", headers=auth).json["response"]

    assert (page["total"], len(page["list"]), page["next"]) == (21, 20, 2)


@pytest.mark.parametrize(
    "path", ["/payments/findAll/order-9", "/payments/findAll/order-1/cancelled"]
)
def test_find_all_without_a_match_is_not_found(client, auth, order, path):
    response = client.get(path, headers=auth)

    assert response.status_code == 404
    assert response.json == NOT_FOUND


def test_find_all_rejects_an_unknown_status(client, auth, order):
    response = client.get("/payments/findAll/order-1/refunded", headers=auth)

    assert_bad_request(response, "지원되지 않는 상태값입니다.")


def test_find_all_tolerates_a_trailing_slash(client, auth, order):
    response = client.get("/payments/findAll/order-1/", headers=auth)

    assert response.json["response"]["total"] == 5


@pytest.mark.parametrize("base", ["/payments/findAll/order-1", "/payments/status/all"])
@pytest.mark.parametrize(
    "query",
    [
        "page=9",
        "page=4&limit=2",
        "page=0",
        "page=-1",
        "page=x",
        "limit=0",
        "limit=1001",
        "limit=2.5",
        "sorting=amount",
    ],
)
def test_lists_refuse_a_bad_page_limit_or_sorting(client, auth, order, base, query):
    assert_bad_request(client.get(f"{base}?{query}", headers=auth))


@pytest.mark.parametrize(
    "base, total", [("/payments/findAll/order-1", 5), ("/payments/status/all", 6)]
)
def test_lists_take_a_limit_up_to_a_thousand(client, auth, order, base, total):
    response = client.get(f"{base}?limit=1000", headers=auth)

    assert response.status_code == 200
    assert response.json["response"]["total"] == total


# GET /payments/status/{payment_status}

MOMENTS = {
    "ready": "started_at",
    "paid": "paid_at",
    "cancelled": "cancelled_at",
    "failed": "failed_at",
}


def payment_at(store, status: str, moment: int, otherwise: int) -> dict:
    """A payment whose moment of `status` is `moment` while its other timestamps are
    `otherwise`."""
    timestamps = {"started_at": otherwise, "paid_at": 0, "failed_at": 0, "cancelled_at": 0}
    if status == "cancelled":
        timestamps["paid_at"] = otherwise
    return store.insert_payment(status=status, **timestamps | {MOMENTS[status]: moment})


@pytest.mark.parametrize("status", MOMENTS)
def test_status_list_compares_the_moment_of_that_status(client, auth, store, validate, status):
    inside = payment_at(store, status, moment=START, otherwise=START - 30 * DAY)
    payment_at(store, status, moment=START - 30 * DAY, otherwise=START)
    for other in set(MOMENTS) - {status}:
        payment_at(store, other, moment=START, otherwise=START)

    response = client.get(
        f"/payments/status/{status}?from={START - 60}&to={START + 60}", headers=auth
    )

    assert response.status_code == 200
    validate(response.json, "PaymentListResponse")
    assert imp_uids(response) == [inside["imp_uid"]]


def test_status_all_lists_every_status_by_start(client, auth, store, clock):
    started = []
    for status in MOMENTS:
        started.append(store.insert_payment(status=status)["imp_uid"])
        clock.advance(60)
    store.insert_payment(status="paid", started_at=START - 10 * DAY)

    response = client.get(f"/payments/status/all?from={START - DAY}", headers=auth)

    assert imp_uids(response) == started[::-1]


@pytest.mark.parametrize("days_ago, listed", [(89, True), (90, True), (91, False)])
def test_status_list_covers_the_last_ninety_days_by_default(client, auth, store, days_ago, listed):
    payment = store.insert_payment(started_at=START - days_ago * DAY)

    response = client.get("/payments/status/ready", headers=auth)

    assert imp_uids(response) == ([payment["imp_uid"]] if listed else [])


def test_status_list_ends_now_by_default(client, auth, store):
    store.insert_payment(started_at=START + 60)

    assert client.get("/payments/status/ready", headers=auth).json["response"]["total"] == 0


def test_status_list_from_alone_ends_now(client, auth, store):
    payment = store.insert_payment(started_at=START - 100 * DAY)

    response = client.get(f"/payments/status/ready?from={START - 89 * DAY}", headers=auth)
    older = client.get(
        f"/payments/status/ready?from={START - 120 * DAY}&to={START - 60 * DAY}", headers=auth
    )

    assert imp_uids(response) == []
    assert imp_uids(older) == [payment["imp_uid"]]


@pytest.mark.parametrize(
    "query",
    [
        f"from={START}&to={START - 1}",
        f"from={START - 91 * DAY}&to={START}",
        f"from={START - 91 * DAY}",
        "from=yesterday",
        "to=-5",
        "to=1.5",
    ],
)
def test_status_list_refuses_a_bad_period(client, auth, query):
    assert_bad_request(client.get(f"/payments/status/paid?{query}", headers=auth))


def test_status_list_refuses_an_unknown_status(client, auth):
    response = client.get("/payments/status/refunded", headers=auth)

    assert_bad_request(response, "지원되지 않는 상태값입니다.")


def test_empty_status_list_is_an_empty_first_page(client, auth, validate):
    response = client.get("/payments/status/cancelled", headers=auth)

    assert response.status_code == 200
    validate(response.json, "PaymentListResponse")
    assert response.json["response"] == {"total": 0, "previous": 0, "next": 0, "list": []}


def test_status_list_past_its_last_page_is_refused(client, auth, store):
    assert_bad_request(client.get("/payments/status/ready?page=2", headers=auth))


@pytest.mark.parametrize(
    "sorting, expected", [("-started", [2, 1, 0]), ("started", [0, 1, 2]), ("-paid", [1, 0, 2])]
)
def test_status_list_follows_the_sorting(client, auth, store, clock, sorting, expected):
    payments = [
        store.insert_payment(status="paid", paid_at=START + 100),
        store.insert_payment(status="paid", paid_at=START + 200, started_at=START + 1),
        store.insert_payment(status="paid", paid_at=START + 50, started_at=START + 2),
    ]
    clock.advance(300)

    response = client.get(f"/payments/status/paid?sorting={sorting}", headers=auth)

    assert imp_uids(response) == [payments[index]["imp_uid"] for index in expected]


def test_status_list_pages_through_the_payments(client, auth, store, clock):
    for _ in range(5):
        store.insert_payment(status="paid")
        clock.advance(1)

    page = client.get("/payments/status/paid?page=2&limit=2", headers=auth).json["response"]

    assert (page["total"], page["previous"], page["next"], len(page["list"])) == (5, 1, 3, 2)


def test_partly_cancelled_payment_is_listed_as_cancelled(client, auth, store):
    payment = store.insert_payment(status="paid", amount=10000)
    store.cancel(payment["imp_uid"], amount=1000)

    paid = client.get("/payments/status/paid", headers=auth).json["response"]
    cancelled = client.get("/payments/status/cancelled", headers=auth).json["response"]

    assert paid["total"] == 0
    assert [entry["imp_uid"] for entry in cancelled["list"]] == [payment["imp_uid"]]


# GET /payments?imp_uid[]=...&merchant_uid[]=...


def lookup(client, auth, imp_uids=(), merchant_uids=()):
    query = [("imp_uid[]", value) for value in imp_uids]
    query += [("merchant_uid[]", value) for value in merchant_uids]
    return client.get(f"/payments?{urlencode(query)}", headers=auth)


def test_lookup_answers_every_payment_asked_for(client, auth, store, order, validate):
    other = store.insert_payment(merchant_uid="order-3", status="paid")

    response = lookup(client, auth, [order[0]["imp_uid"], other["imp_uid"]], ["order-1"])

    assert response.status_code == 200
    validate(response.json, "MultiplePaymentsResponse")
    assert response.json["code"] == 0
    assert response.json["message"] is None
    assert response.json["response"] == [order[0], other, order[-1]]


def test_lookup_with_some_missing_answers_207_with_the_found_ones(client, auth, order, validate):
    response = lookup(client, auth, [order[2]["imp_uid"], "imp_000000000000"], ["order-9"])

    assert response.status_code == 207
    validate(response.json, "MultiplePaymentsResponse")
    assert response.json["code"] == 0
    assert response.json["message"] is None
    assert response.json["response"] == [order[2]]


def test_lookup_names_a_payment_asked_for_twice_once(client, auth, order):
    newest = order[-1]["imp_uid"]

    response = lookup(client, auth, [newest, newest], ["order-1"])

    assert response.status_code == 200
    assert [payment["imp_uid"] for payment in response.json["response"]] == [newest]


def test_lookup_without_a_match_is_not_found(client, auth, order):
    response = lookup(client, auth, ["imp_000000000000"], ["order-9"])

    assert response.status_code == 404
    assert response.json == NOT_FOUND


def test_lookup_takes_up_to_a_hundred_ids(client, auth, order):
    response = lookup(client, auth, [f"imp_{n:012}" for n in range(99)], ["order-1"])

    assert response.status_code == 207
    assert response.json["response"] == [order[-1]]


@pytest.mark.parametrize("count", [0, 101])
def test_lookup_refuses_no_ids_or_more_than_a_hundred(client, auth, order, count):
    assert_bad_request(lookup(client, auth, [order[0]["imp_uid"]] * count))


@pytest.mark.parametrize(
    "path",
    [
        "/payments/findAll/order-1",
        "/payments/status/all",
        "/payments?merchant_uid[]=order-1",
    ],
)
def test_lists_need_a_token(client, order, path):
    response = client.get(path)

    assert response.status_code == 401
    assert response.json["code"] == -1
    assert response.json["response"] is None
