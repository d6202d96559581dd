"""Modes and settings: sandbox by default, live only with every PortOne key."""

from base64 import b64encode

import pytest
from flask import Config
from werkzeug.security import generate_password_hash

from shop import create_app
from shop.core.config import finish, is_loopback, local_secret_key
from shop.core.extensions import db
from shop.core.models import Order, Product
from shop.core.setting_parsers import ConfigError
from shop.core.settings import defaults
from shop.storefront.demo import DEMO_PRODUCTS

LIVE_KEYS = {"IMP_CODE": "imp12345678", "IMP_KEY": "1234567890123456", "IMP_SECRET": "s" * 40}


@pytest.fixture(autouse=True)
def no_portone_environment(monkeypatch, tmp_path):
    for name in ("PAYMENT_MODE", "IMP_CODE", "IMP_KEY", "IMP_SECRET", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)


def make(tmp_path, **settings):
    return create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SANDBOX_DATABASE": str(tmp_path / "s.db")} | settings
    )


def test_without_keys_the_shop_runs_in_sandbox_mode(tmp_path):
    app = make(tmp_path)
    assert app.config["PAYMENT_MODE"] == "sandbox"
    assert app.config["PORTONE_SDK_URL"] == "/sandbox/iamport.payment.js"
    with app.test_client().get("/sandbox/iamport.payment.js") as response:
        assert response.status_code == 200


@pytest.mark.parametrize("missing", ["IMP_CODE", "IMP_KEY", "IMP_SECRET"])
def test_live_mode_without_a_key_refuses_to_start_and_names_it(tmp_path, missing):
    keys = {name: value for name, value in LIVE_KEYS.items() if name != missing}
    with pytest.raises(ConfigError, match=missing):
        make(tmp_path, PAYMENT_MODE="live", **keys)


def test_live_mode_calls_portone_and_mounts_no_sandbox(tmp_path):
    app = make(tmp_path, **LIVE_KEYS)
    assert app.config["PAYMENT_MODE"] == "live"
    assert app.extensions["portone"].base_url == "https://api.iamport.kr"
    assert app.config["PORTONE_SDK_URL"].startswith("https://cdn.iamport.kr/")
    assert "sandbox_app" not in app.extensions
    assert app.test_client().get("/sandbox/iamport.payment.js").status_code == 404


def test_environment_settings_stay_strings(tmp_path, monkeypatch):
    for name, value in LIVE_KEYS.items():
        monkeypatch.setenv(name, value)
    app = make(tmp_path)
    assert app.config["IMP_KEY"] == "1234567890123456"
    assert app.config["PAYMENT_MODE"] == "live"


@pytest.mark.parametrize(
    ("url", "secure"), [("https://shop.example", True), ("http://127.0.0.1:5000", False)]
)
def test_the_session_cookie_is_secure_when_the_shop_is_served_over_https(tmp_path, url, secure):
    app = make(tmp_path, SHOP_URL=url)
    assert app.config["SESSION_COOKIE_SECURE"] is secure
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_an_unknown_mode_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="sandbox 또는 live"):
        make(tmp_path, PAYMENT_MODE="production")


def test_postgres_urls_use_psycopg(tmp_path):
    app = make(tmp_path, DATABASE_URL="postgres://u@h/db")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_a_generated_secret_key_is_kept_and_private(tmp_path):
    first, second = local_secret_key(tmp_path), local_secret_key(tmp_path)
    assert first == second
    assert len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_live_pages_never_show_the_rest_key_or_secret(tmp_path):
    app = make(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'live.db'}", **LIVE_KEYS)
    with app.app_context():
        db.create_all()
        db.session.add_all(Product(**item) for item in DEMO_PRODUCTS)
        order = Order(
            name="노르웨이 회전 의자", amount=64900, pay_method="card", buyer_name="홍길동",
            buyer_email="a@example.com", buyer_tel="010-1234-5678", buyer_addr="서울",
            buyer_postcode="06236",
        )  # fmt: skip
        db.session.add(order)
        db.session.commit()
        merchant_uid = order.merchant_uid
    client = app.test_client()
    with client.session_transaction() as session:
        session["orders"] = [merchant_uid]  # the browser that placed it
    pages = ["/", "/products/swivel-chair", "/cart", "/nowhere", f"/orders/{merchant_uid}"]
    pages.append(f"/orders/{merchant_uid}/pay")
    for path in pages:
        page = client.get(path).get_data(as_text=True)
        assert LIVE_KEYS["IMP_KEY"] not in page, path
        assert LIVE_KEYS["IMP_SECRET"] not in page, path
    assert LIVE_KEYS["IMP_CODE"] in page  # the pay page does carry the public merchant code


# Startup refusals: what must not run by accident on a public address


def finished(tmp_path, **settings):
    """The settings as finish() leaves them, outside tests and the debugger unless asked."""
    config = Config(tmp_path)
    config.from_mapping(defaults(str(tmp_path)) | {"TESTING": False, "DEBUG": False} | settings)
    finish(config)
    return config


def test_live_mode_without_a_secret_key_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        finished(tmp_path, SHOP_URL="https://shop.example", **LIVE_KEYS)


def test_a_sandbox_on_a_public_address_without_a_secret_key_is_refused(tmp_path):
    public = {"SHOP_URL": "https://demo.example", "SANDBOX_PUBLIC": "1"}
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        finished(tmp_path, SANDBOX_CONSOLE_PASSWORD_HASH=generate_password_hash("pw"), **public)


@pytest.mark.parametrize(
    "settings",
    [
        {"SHOP_URL": "http://127.0.0.1:5000"},  # make run
        {"SHOP_URL": "http://localhost:5001"},
        {"SHOP_URL": "http://[::1]:5000"},
        {"SHOP_URL": "https://shop.example", "DEBUG": True, **LIVE_KEYS},  # flask run --debug
        {"SHOP_URL": "https://shop.example", "TESTING": True, **LIVE_KEYS},
    ],
)
def test_local_development_may_leave_the_secret_key_to_instance(tmp_path, settings):
    assert finished(tmp_path, **settings)["SHOP_URL"] == settings["SHOP_URL"]


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:5000", True),
        ("http://127.8.0.1", True),
        ("http://[::1]:8000", True),
        ("http://localhost", True),
        ("http://shop.localhost:5000", True),
        ("http://0.0.0.0:5000", False),
        ("http://192.168.0.10:5000", False),
        ("https://shop.example", False),
        ("http://localhost.example.com", False),
    ],
)
def test_only_this_computers_own_addresses_are_local(url, local):
    assert is_loopback(url) is local


def test_sandbox_mode_on_a_public_address_is_refused_unless_meant(tmp_path):
    with pytest.raises(ConfigError, match="SANDBOX_PUBLIC=1") as refusal:
        finished(tmp_path, SHOP_URL="https://shop.example", SECRET_KEY="k")
    assert "IMP_KEY" in str(refusal.value)  # or the shop was meant to be live


def test_a_public_sandbox_needs_a_console_password(tmp_path):
    public = {"SHOP_URL": "https://demo.example", "SECRET_KEY": "k", "SANDBOX_PUBLIC": "1"}
    with pytest.raises(ConfigError, match="SANDBOX_CONSOLE_PASSWORD_HASH"):
        finished(tmp_path, **public)


def test_the_refusal_stops_create_app_with_its_message(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"SHOP_URL": "https://shop.example", "NOTICE_SENDER": "off", **LIVE_KEYS})


def test_a_public_sandbox_shows_the_test_banner_and_locks_its_console(tmp_path):
    app = make(
        tmp_path,
        SHOP_URL="https://demo.example",
        SANDBOX_PUBLIC="1",
        SANDBOX_CONSOLE_PASSWORD_HASH=generate_password_hash("console-pw"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.db'}",
    )
    with app.app_context():
        db.create_all()
    client = app.test_client()
    assert "테스트 모드(샌드박스)입니다" in client.get("/").get_data(as_text=True)
    assert "테스트 모드(샌드박스)입니다" in client.get("/nowhere").get_data(as_text=True)
    assert client.get("/sandbox/").status_code == 401
    signed_in = {"Authorization": "Basic " + b64encode(b"any:console-pw").decode()}
    assert client.get("/sandbox/", headers=signed_in).status_code == 200
