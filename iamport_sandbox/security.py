"""What the sandbox refuses, and the headers it sends with every answer.

JSON is read strictly (webguard.py) and NUL is refused anywhere, so hostile requests are
malformed ones, never a 500. The console (payments, webhook log, switches, mailbox) asks for
SANDBOX_CONSOLE_PASSWORD_HASH when one is set. When SANDBOX_MERCHANT_ORIGINS names the
merchant's site (the shop sets its own origin when it mounts the sandbox), notice_url and
confirm_url may only point there, so nobody can make the sandbox's server POST to any other
address, and only the merchant's pages may frame the payment window.
"""

from flask import Flask, Response, abort, current_app, render_template, request
from werkzeug.exceptions import Unauthorized
from werkzeug.security import check_password_hash

from .webguard import StrictJSONProvider, csp_nonce, origin

# The sandbox's refusal, like its other F-codes a guess: PortOne itself posts to any address.
FOREIGN_URL = (
    "F0015",
    "notice_url과 confirm_url은 가맹점 주소({origins})만 가리킬 수 있습니다(샌드박스 규칙).",
)
PASSWORD_REALM = 'Basic realm="iamport-sandbox", charset="UTF-8"'


def install(app: Flask) -> None:
    app.json = StrictJSONProvider(app)
    app.add_template_global(csp_nonce)
    app.before_request(refuse_nul)
    app.before_request(require_console_password)
    app.after_request(add_headers)


def refuse_nul() -> None:
    """NUL in a query, a form or a path is a malformed request (the shop's PostgreSQL would
    refuse a merchant_uid holding one)."""
    texts = list((request.view_args or {}).values())
    for fields in (request.args, request.form):
        for key, value in fields.items(multi=True):
            texts += (key, value)
    if any(isinstance(text, str) and "\x00" in text for text in texts):
        abort(400)


# Where the sandbox's server may post


def merchant_origins() -> tuple[str, ...]:
    """SANDBOX_MERCHANT_ORIGINS as origins; empty: any (the sandbox on a developer's machine)."""
    configured = current_app.config["SANDBOX_MERCHANT_ORIGINS"] or ()
    items = configured.split(",") if isinstance(configured, str) else configured
    return tuple(origin(item.strip()) for item in items if item.strip())


def is_merchant_url(url: object) -> bool:
    origins = merchant_origins()
    return not origins or (isinstance(url, str) and origin(url) in origins)


def foreign_url_refusal(*urls: object) -> tuple[str, str] | None:
    """F0015 when a URL the sandbox would post to lies outside the merchant's site."""
    flat = [u for url in urls for u in (url if isinstance(url, list) else [url]) if u]
    if all(is_merchant_url(url) for url in flat):
        return None
    code, message = FOREIGN_URL
    return code, message.format(origins=", ".join(merchant_origins()))


# The console's password


def require_console_password():
    """HTTP Basic for the console when SANDBOX_CONSOLE_PASSWORD_HASH is set (any user name)."""
    expected = current_app.config["SANDBOX_CONSOLE_PASSWORD_HASH"]
    if not expected or request.blueprint != "dashboard":
        return None
    given = request.authorization
    if given and given.password and check_password_hash(expected, given.password):
        return None
    page = render_template("sandbox/error.html", error=Unauthorized())
    return Response(page, 401, {"WWW-Authenticate": PASSWORD_REALM}, mimetype="text/html")


# Headers


def add_headers(response: Response) -> Response:
    """Pages may run the sandbox's own scripts and nonced ones; the payment window may be
    framed by the merchant's pages (or any, without SANDBOX_MERCHANT_ORIGINS), the console by
    nobody; the REST API's JSON loads nothing."""
    headers = response.headers
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    if request.blueprint == "window" and response.mimetype == "text/html":
        headers["Content-Security-Policy"] = page_policy(framed_by=merchant_origins())
        if merchant_origins():
            headers["X-Frame-Options"] = "SAMEORIGIN"
    elif request.blueprint == "dashboard" or response.mimetype == "text/html":
        headers["Content-Security-Policy"] = page_policy(framed_by=None)
        headers["X-Frame-Options"] = "DENY"
    else:
        headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
        headers["X-Frame-Options"] = "DENY"
    return response


def page_policy(framed_by: tuple[str, ...] | None) -> str:
    """framed_by None: no frame at all; empty: any page (and forms may post anywhere, as the
    window's full-page result goes to any m_redirect_url)."""
    origins = merchant_origins()
    directives = [
        "default-src 'self'",
        f"script-src 'self' 'nonce-{csp_nonce()}'",
        "style-src 'self'",
        "img-src 'self' data:",
        "base-uri 'self'",
        "object-src 'none'",
    ]
    if framed_by is None:
        directives.append("frame-ancestors 'none'")
    elif framed_by:
        directives.append(" ".join(("frame-ancestors 'self'", *framed_by)))
    if origins or framed_by is None:
        directives.append(" ".join(("form-action 'self'", *origins)))
    return "; ".join(directives)
