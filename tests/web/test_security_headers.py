"""Security headers on every answer: a Content-Security-Policy with a nonce per request that
allows only what the pages use, in sandbox mode and in live mode, and the headers around it.
tests/browser/test_csp.py checks in Chromium that the pages break none of it."""

import re
from pathlib import Path

import pytest
from flask import render_template_string
from sqlalchemy import select

from shop import create_app
from shop.core.extensions import db
from shop.core.models import Order
from shop.web.security import PAYMENT_HOSTS

ROOT = Path(__file__).resolve().parents[2]
LIVE = {
    "IMP_CODE": "imp12345678",
    "IMP_KEY": "key",
    "IMP_SECRET": "secret",
    "PORTONE_API_URL": "http://portone.invalid",
}


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


def live_app(tmp_path, **settings):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "live",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}",
            "SHOP_URL": "https://shop.example",
        }
        | LIVE
        | settings
    )
    with app.app_context():
        db.create_all()
    return app


@pytest.mark.parametrize(
    "path", ["/", "/cart", "/orders/lookup", "/nowhere", "/static/css/shop.css", "/healthz"]
)
def test_every_answer_carries_the_security_headers(client, path):
    with client.get(path) as answer:
        headers = answer.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin-allow-popups"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" not in headers  # SHOP_URL is http://shop.test


def test_in_sandbox_mode_the_pages_load_only_the_shops_own_scripts_frames_and_styles(client):
    policy = directives(client.get("/"))
    nonce = policy["script-src"][1]
    assert re.fullmatch(r"'nonce-[\w-]{22}'", nonce)
    assert policy == {
        "default-src": ["'self'"],
        "script-src": ["'self'", nonce],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-src": ["'self'"],
        "form-action": ["'self'", "http://shop.test"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
        "report-uri": ["/csp-report"],
    }


def test_in_live_mode_portones_sdk_and_the_payment_windows_are_allowed(tmp_path):
    policy = directives(live_app(tmp_path).test_client().get("/"))
    assert policy["script-src"][0] == "'self'"
    assert policy["script-src"][2:] == ["https://cdn.iamport.kr"]
    assert policy["frame-src"] == ["'self'", *PAYMENT_HOSTS]
    assert policy["form-action"] == ["'self'", "https://shop.example", *PAYMENT_HOSTS]
    assert {"https://*.iamport.kr", "https://service.iamport.kr"} <= set(PAYMENT_HOSTS)
    assert not any("'unsafe-inline'" in sources for sources in policy.values())


def test_hsts_is_sent_when_the_shop_is_served_over_https(tmp_path):
    headers = live_app(tmp_path).test_client().get("/").headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000"


def test_the_pay_page_sends_the_same_headers(app, client, shopper):
    page = client.get(f"/orders/{shopper.buy()}/pay")
    assert page.status_code == 200
    assert page.headers["X-Frame-Options"] == "DENY"
    assert directives(page)["frame-src"] == ["'self'"]
    assert directives(page)["script-src"][0] == "'self'"


def test_each_request_has_its_own_nonce_and_templates_can_use_it(app):
    app.add_url_rule(
        "/nonce-check",
        "nonce_check",
        lambda: render_template_string('<script nonce="{{ csp_nonce() }}"></script>'),
    )
    client = app.test_client()
    first, second = client.get("/nonce-check"), client.get("/nonce-check")
    for answer in (first, second):
        nonce = directives(answer)["script-src"][1].removeprefix("'nonce-").removesuffix("'")
        assert f'nonce="{nonce}"' in answer.get_data(as_text=True)
    assert directives(first)["script-src"] != directives(second)["script-src"]


TEMPLATES = [
    *sorted((ROOT / "templates").rglob("*.html")),
    *sorted((ROOT / "shop" / "sandbox" / "templates").rglob("*.html")),
]
INLINE_STYLE = re.compile(r"<style|\sstyle=", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+=|javascript:", re.I)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_template_needs_unsafe_inline(template):
    """style-src 'self' blocks inline styles; script-src runs only external or nonced
    scripts (a JSON data block does not run)."""
    html = template.read_text()
    assert not INLINE_STYLE.search(html)
    assert not INLINE_HANDLER.search(html)
    for attributes in SCRIPT_TAG.findall(html):
        assert (
            "src=" in attributes
            or "csp_nonce()" in attributes
            or 'type="application/json"' in attributes
        ), attributes


def test_the_mounted_sandbox_sends_headers_of_its_own(app, client, shopper):
    window = shopper.open_window(shopper.buy())
    page = client.get(window.headers["Location"])
    assert page.headers["X-Frame-Options"] == "SAMEORIGIN"  # the shop's page frames it
    assert directives(page)["frame-ancestors"] == ["'self'", "http://shop.test"]
    console = client.get("/sandbox/")
    assert console.headers["X-Frame-Options"] == "DENY"
    assert directives(console)["frame-ancestors"] == ["'none'"]


def test_every_page_with_a_buyers_details_is_never_stored(app, shopper):
    merchant_uid = shopper.buy()
    back = shopper.pay_by_redirect(merchant_uid).removeprefix("http://shop.test")
    with app.app_context():
        number = db.session.scalar(select(Order.number).filter_by(merchant_uid=merchant_uid))
    found = {"order_number": number, "buyer_tel": "010-4242-4242"}
    pages = {
        f"/orders/{merchant_uid}": shopper.client.get(f"/orders/{merchant_uid}"),
        "the mobile return": shopper.client.get(back),
        f"/orders/{merchant_uid}/cancel": shopper.client.get(f"/orders/{merchant_uid}/cancel"),
        "/orders/lookup": shopper.client.get("/orders/lookup"),
        "a lookup's answer": lookup(shopper, found),
        "a lookup's refusal": lookup(shopper, found | {"buyer_tel": "010-0000-0000"}),
        "/checkout": shopper.client.get("/checkout"),
    }
    assert "홍길동" in pages[f"/orders/{merchant_uid}"].get_data(as_text=True)
    cached = {name: page.headers.get("Cache-Control") for name, page in pages.items()}
    assert cached == dict.fromkeys(pages, "no-store")


def lookup(shopper, fields):
    data = fields | {"csrf_token": shopper.csrf_token()}
    return shopper.client.post("/orders/lookup", data=data)


def test_the_mounted_sandbox_answers_the_shops_host_only(app, client):
    assert client.get("/sandbox/mailbox").status_code == 200  # Host: shop.test
    assert client.get("/sandbox/mailbox", headers={"Host": "evil.example"}).status_code == 400
