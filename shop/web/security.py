"""Security headers on every response of the shop (the mounted sandbox sends its own).

The Content-Security-Policy lets pages run only the shop's own scripts, PortOne's SDK in live
mode, and inline scripts carrying this request's nonce (`csp_nonce()` in templates); it lets
only the payment window's hosts into frames and form posts, and keeps the shop's pages out of
other sites' frames. The 주문서 in live mode also lets in Kakao's 우편번호 서비스 (its script
and its frame). Browsers report what it blocked to shop.web.csp_reports.
"""

import functools
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, after_this_request, current_app, request

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
# Kakao's 우편번호 서비스 in live mode, on the pages that search addresses only. Its loader
# (POSTCODE_SCRIPT_URL, on t1.kakaocdn.net) is allowed as a script; its search page is allowed as
# a frame (embed() frames it; open() shows it in a popup, which needs no source here). Kakao's
# notices (daumPostcode/QnA #1498, #1499) name postcode.map.kakao.com since 2026-03-10, with
# postcode.map.daum.net redirecting there until it is retired. Guesses, unverified offline: that
# the loader fetches its core script from its own CDN host (Kakao said so of t1.daumcdn.net in
# QnA #239), and that nothing else (its stlog1-local.kakao.com logging) is needed to work.
POSTCODE_FRAME_HOSTS = ("https://postcode.map.kakao.com", "https://postcode.map.daum.net")
ADDRESS_SEARCH_PAGES = frozenset({"checkout.form"})
HSTS = "max-age=31536000"
REPORT_PATH = "/csp-report"  # shop.web.csp_reports
ANY_HTTPS = ("https:",)  # the payment hosts while CSP_PAYMENT_REPORT_ONLY tries a new PG
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
    nonce, trying_a_pg = csp_nonce(), config["CSP_PAYMENT_REPORT_ONLY"]
    headers["Content-Security-Policy"] = policy(config, nonce, request.endpoint, trying_a_pg)
    if trying_a_pg:  # what the strict payment hosts would block is reported, not blocked
        headers["Content-Security-Policy-Report-Only"] = policy(config, nonce, request.endpoint)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    headers["Permissions-Policy"] = PERMISSIONS
    headers["Cross-Origin-Opener-Policy"] = "same-origin-allow-popups"  # payment popups
    if config["SHOP_URL"].startswith("https://"):
        headers["Strict-Transport-Security"] = HSTS
    return response


def policy(config, nonce: str, endpoint: str | None = None, any_pg: bool = False) -> str:
    """The policy; `any_pg` lets the payment window frame and post to any https host."""
    live = config["PAYMENT_MODE"] == "live"
    payment_hosts = (ANY_HTTPS if any_pg else PAYMENT_HOSTS) if live else ()
    sdk = (origin(config["PORTONE_SDK_URL"]),) if live else ()
    postcode_script, postcode_frames = address_search_hosts(config, endpoint)
    directives = {
        "default-src": ("'self'",),
        "script-src": ("'self'", f"'nonce-{nonce}'", *sdk, *postcode_script),
        "style-src": ("'self'",),
        "img-src": ("'self'", "data:"),
        "frame-src": ("'self'", *payment_hosts, *postcode_frames),
        # The sandbox's full-page window returns to SHOP_URL, which 'self' may not be when
        # the shop is reached by another name (localhost for 127.0.0.1).
        "form-action": ("'self'", origin(config["SHOP_URL"]), *payment_hosts),
        "frame-ancestors": ("'none'",),
        "base-uri": ("'self'",),
        "object-src": ("'none'",),
        # Not report-to: headless Chromium queued its Reporting API reports and had sent none
        # after 90 s, while report-uri's arrived at once (and Firefox knows only report-uri).
        "report-uri": (REPORT_PATH,),
    }
    return "; ".join(" ".join((name, *sources)) for name, sources in directives.items())


def address_search_hosts(config, endpoint: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The script and frame sources of Kakao's 우편번호 서비스, where live mode uses it; the
    sandbox's stand-in is the shop's own script. A loader served from the shop (a relative
    POSTCODE_SCRIPT_URL) needs no host of its own."""
    if config["PAYMENT_MODE"] != "live" or endpoint not in ADDRESS_SEARCH_PAGES:
        return (), ()
    script_url = config["POSTCODE_SCRIPT_URL"]
    script = (origin(script_url),) if urlsplit(script_url).netloc else ()
    return script, POSTCODE_FRAME_HOSTS
