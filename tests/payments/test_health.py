"""GET /healthz: 200 while the database answers, 503 when it does not; the gateway's state is
reported beside it, asked at most once a minute."""

from tests.conftest import GatewaySwitch, shop_app


def test_a_healthy_shop_says_so(app):
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 200
    assert answer.json == {"status": "ok", "database": "ok", "gateway": "ok"}


def test_an_unreachable_gateway_is_reported_but_the_shop_is_up(app):
    GatewaySwitch(app.extensions["portone"]).cut()
    answer = app.test_client().get("/healthz")
    assert (answer.status_code, answer.json["gateway"]) == (200, "unreachable")


def test_the_gateway_is_asked_at_most_once_a_minute(app):
    client = app.test_client()
    assert client.get("/healthz").json["gateway"] == "ok"
    GatewaySwitch(app.extensions["portone"]).cut()
    assert client.get("/healthz").json["gateway"] == "ok"  # the answer of a moment ago
    app.extensions["gateway_health"]["at"] -= 61
    assert client.get("/healthz").json["gateway"] == "unreachable"


def test_a_database_that_is_down_fails_the_check(tmp_path):
    down = shop_app(tmp_path, DATABASE_URL="postgresql://nobody@127.0.0.1:9/none")
    answer = down.test_client().get("/healthz")
    assert (answer.status_code, answer.json["database"]) == (503, "unreachable")
