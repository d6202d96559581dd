"""Security headers on every response of the shop (the mounted sandbox sends its own).

The Content-Security-Policy lets pages run only the shop's own scripts, PortOne's SDK in live
mode, and inline scripts carrying this request's nonce (`csp_nonce()` in templates); it lets
only the payment window's hosts into frames and form posts, and keeps the shop's pages out of
other sites' frames.
"""

import functools
from collections.abc import Callable

from flask import Flask, after_this_request, current_app

from iamport_sandbox.webguard import csp_nonce, origin

# Where PortOne's payment window lives (iamport.payment.js frames service.iamport.kr and, on
# phones, posts the page there) and the PGs behind it, whose frames and pages the window
# opens. Merchants add their own PG's hosts here (a PG's manual lists them).
PAYMENT_HOSTS = (
    "https://*.iamport.kr",
    "https://service.iamport.kr",
    "https://*.inicis.com",  # KG이니시스 (html5_inicis)
    "https://*.nicepay.co.kr",  # 나이스페이먼츠
    "https://*.kcp.co.kr",  # NHN KCP
    "https://*.tosspayments.com",  # 토스페이먼츠
    "https://*.kakao.com",  # 카카오페이
    "https://*.naver.com",  # 네이버페이
    "https://*.payco.com",  # 페이코
    "https://*.danalpay.com",  # 다날
    "https://*.paypal.com",  # PayPal
)
HSTS = "max-age=31536000"
PERMISSIONS = "camera=(), microphone=(), geolocation=()"


def private(view: Callable) -> Callable:
    """A page with a buyer's details (or the operator's): no browser or proxy keeps a copy,
    and Back asks the server again."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        after_this_request(never_stored)
        return view(*args, **kwargs)

    return wrapped


def never_stored(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def register(app: Flask) -> None:
    app.add_template_global(csp_nonce)
    app.after_request(add_headers)


def add_headers(response):
    config = current_app.config
    headers = response.headers
    headers["Content-Security-Policy"] = policy(config, csp_nonce())
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    headers["Permissions-Policy"] = PERMISSIONS
    headers["Cross-Origin-Opener-Policy"] = "same-origin-allow-popups"  # payment popups
    if config["SHOP_URL"].startswith("https://"):
        headers["Strict-Transport-Security"] = HSTS
    return response


def policy(config, nonce: str) -> str:
    live = config["PAYMENT_MODE"] == "live"
    payment_hosts = PAYMENT_HOSTS if live else ()
    sdk = (origin(config["PORTONE_SDK_URL"]),) if live else ()
    directives = {
        "default-src": ("'self'",),
        "script-src": ("'self'", f"'nonce-{nonce}'", *sdk),
        "style-src": ("'self'",),
        "img-src": ("'self'", "data:"),
        "frame-src": ("'self'", *payment_hosts),
        # The sandbox's full-page window returns to SHOP_URL, which 'self' may not be when
        # the shop is reached by another name (localhost for 127.0.0.1).
        "form-action": ("'self'", origin(config["SHOP_URL"]), *payment_hosts),
        "frame-ancestors": ("'none'",),
        "base-uri": ("'self'",),
        "object-src": ("'none'",),
    }
    return "; ".join(" ".join((name, *sources)) for name, sources in directives.items())
