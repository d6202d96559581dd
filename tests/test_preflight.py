"""`flask --app shop preflight` against the sandbox: a good configuration passes every check,
and each misconfiguration fails its own check with what to fix, and the command with exit 1."""

import secrets
import socket

import flask_migrate
import pytest
from werkzeug.security import generate_password_hash

from shop.core.extensions import db
from shop.preflight import CHECKS
from tests.conftest import shop_app
from tests.live_server import LiveServer

GOOD = {
    "SECRET_KEY": secrets.token_hex(32),
    "ADMIN_PASSWORD_HASH": generate_password_hash("correct horse battery", "pbkdf2:sha256:1000"),
    "SERVER_NAME": None,  # answer the live server's 127.0.0.1:PORT
}


@pytest.fixture
def server():
    with LiveServer() as server:
        yield server


@pytest.fixture
def make_shop(tmp_path, server, monkeypatch):
    """A shop served at the live server, its database upgraded to the newest migration."""
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)

    def make(upgrade: bool = True, **settings):
        app = shop_app(tmp_path, SHOP_URL=server.url, **GOOD | settings)
        if upgrade:
            with app.app_context():
                flask_migrate.upgrade()
        server.app = app
        return app

    return make


def preflight(app, *args) -> tuple[int, dict[str, str]]:
    """The exit code, and each check's line by its label."""
    result = app.test_cli_runner().invoke(args=["preflight", *args])
    lines = {
        check.label: next(ln for ln in result.output.splitlines() if check.label in ln)
        for check in CHECKS
    }
    return result.exit_code, lines


def closed_port() -> int:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        return unused.getsockname()[1]


def test_a_good_configuration_passes_against_the_sandbox(make_shop):
    code, lines = preflight(make_shop())

    assert code == 0, lines
    failed = [line for line in lines.values() if line.startswith("✗")]
    assert failed == []
    assert lines["PG 채널(PORTONE_PG, PORTONE_PG_BY_METHOD)"].startswith("✓")
    assert lines["웹훅 주소(SHOP_URL/payments/webhook) 응답"].startswith("✓")
    assert lines["마이그레이션 최신"].startswith("✓")


def test_live_only_checks_are_pointed_out_in_sandbox_mode(make_shop):
    code, lines = preflight(make_shop())

    assert code == 0
    assert lines["SHOP_URL이 https"].startswith("– SHOP_URL이 https: live 모드에서만 필요합니다")
    assert lines["PG 테스트모드 꺼짐"].startswith("– PG 테스트모드 꺼짐: live 모드에서만")


def test_wrong_keys_fail_the_token_check(make_shop):
    app = make_shop()
    app.extensions["sandbox_app"].config["SANDBOX_IMP_SECRET"] = "rotated"

    code, lines = preflight(app)

    assert code == 1
    assert lines["PortOne 토큰 발급(IMP_KEY, IMP_SECRET)"].startswith("✗")
    assert (
        "IMP_KEY, IMP_SECRET에 그대로 넣으세요" in lines["PortOne 토큰 발급(IMP_KEY, IMP_SECRET)"]
    )


def test_an_http_shop_url_fails_in_live_mode(make_shop):
    app = make_shop()
    app.config["PAYMENT_MODE"] = "live"  # the sandbox still answers: only the mode changes

    code, lines = preflight(app)

    assert code == 1
    assert lines["SHOP_URL이 https"].startswith("✗ SHOP_URL이 https: SHOP_URL(http://127.0.0.1")
    assert lines["PG 테스트모드 꺼짐"].startswith("✗")


@pytest.mark.parametrize(
    "settings",
    [{"PORTONE_PG": "tosspayments"}, {"PORTONE_PG_BY_METHOD": {"card": "nice_v2.OTHER_MID"}}],
)
def test_a_pg_the_account_lacks_fails(make_shop, settings):
    code, lines = preflight(make_shop(**settings))

    assert code == 1
    pg_line = lines["PG 채널(PORTONE_PG, PORTONE_PG_BY_METHOD)"]
    assert pg_line.startswith("✗ PG 채널")
    assert (settings.get("PORTONE_PG") or "nice_v2.OTHER_MID") in pg_line


def test_pending_migrations_fail(make_shop):
    app = make_shop(upgrade=False)
    with app.app_context():
        db.create_all()  # tables, but no alembic revision

    code, lines = preflight(app)

    assert code == 1
    assert "`flask --app shop db upgrade`" in lines["마이그레이션 최신"]


def test_no_admin_password_fails(make_shop):
    code, lines = preflight(make_shop(ADMIN_PASSWORD_HASH=None))

    assert code == 1
    assert lines["관리자 비밀번호(ADMIN_PASSWORD_HASH)"].startswith("✗")
    assert "admin-password" in lines["관리자 비밀번호(ADMIN_PASSWORD_HASH)"]


def test_a_weak_secret_key_fails(make_shop):
    code, lines = preflight(make_shop(SECRET_KEY="test-secret"))

    assert code == 1
    assert lines["SECRET_KEY 강도"].startswith("✗ SECRET_KEY 강도: SECRET_KEY가 짧거나")


@pytest.mark.parametrize("processes", [["--processes", "3"], "environment"])
def test_memory_rate_limits_fail_with_several_processes(make_shop, monkeypatch, processes):
    app = make_shop()
    if processes == "environment":
        monkeypatch.setenv("WEB_CONCURRENCY", "3")
        processes = []

    code, lines = preflight(app, *processes)

    assert code == 1
    assert (
        "프로세스 3개가 요청 제한을 따로 셉니다" in lines["요청 제한 공유(RATELIMIT_STORAGE_URI)"]
    )


def test_an_unreachable_mail_server_fails(make_shop):
    port = closed_port()
    code, lines = preflight(make_shop(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=2))

    assert code == 1
    assert lines["메일 서버 연결(MAIL_SERVER)"].startswith(
        f"✗ 메일 서버 연결(MAIL_SERVER): 메일 서버 127.0.0.1:{port}"
    )


def test_a_shop_that_does_not_answer_fails_its_http_checks(make_shop, server):
    app = make_shop()
    server.stop()

    code, lines = preflight(app)

    assert code == 1
    assert "에 연결하지 못했습니다" in lines["SHOP_URL/healthz 응답"]
    assert lines["웹훅 주소(SHOP_URL/payments/webhook) 응답"].startswith("– ")
