"""Whom the sandbox answers: only requests addressed to a host it is configured for, and console
changes only from its own pages.

A web page can point a name it owns at 127.0.0.1 (DNS rebinding) and then read whatever the
sandbox answers to that name: its console, its mailbox. So a request is answered only when its
Host is loopback, the merchant's site (SANDBOX_MERCHANT_ORIGINS; the shop sets its own) or one
of SANDBOX_ALLOWED_HOSTS. And since a browser that knows the console's password sends it to
any page's forms too, a console POST whose Origin (or, without one, Referer) is another site's
is refused. A client that sends neither (curl, a test) is no browser and may post.
"""

from urllib.parse import urlsplit

from flask import Flask, current_app, request
from werkzeug.exceptions import HTTPException

from .security import merchant_origins

LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


class Refusal(HTTPException):
    """A refusal whose description, in Korean, says what to do; shown as it is."""

    def __init__(self, code: int, description: str):
        super().__init__(description)
        self.code = code


def install(app: Flask) -> None:
    app.before_request(refuse_foreign_host)
    app.before_request(refuse_cross_site_console_post)


def allowed_hosts() -> frozenset[str]:
    configured = current_app.config["SANDBOX_ALLOWED_HOSTS"] or ()
    items = configured.split(",") if isinstance(configured, str) else configured
    merchants = (hostname(origin) for origin in merchant_origins())
    return LOOPBACK | {item.strip().lower() for item in items if item.strip()} | set(merchants)


def hostname(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def refuse_foreign_host():
    if hostname("//" + request.host) not in allowed_hosts():
        raise Refusal(
            400,
            f"이 샌드박스는 {request.host} 주소로 응답하지 않습니다. SANDBOX_ALLOWED_HOSTS에 추가하세요.",
        )


def refuse_cross_site_console_post():
    if request.blueprint != "dashboard" or request.method != "POST":
        return
    sender = request.headers.get("Origin") or request.headers.get("Referer")
    if sender and urlsplit(sender).netloc.lower() != request.host.lower():
        raise Refusal(403, "다른 사이트에서 보낸 콘솔 요청은 받지 않습니다.")
