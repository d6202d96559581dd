"""Webhooks as PortOne V1 sends them: a POST of imp_uid, merchant_uid and status (plus
cancellation_id for a cancel, or KG이니시스's escrow change: escrow_changes.py) to the payment's
notice_url, or else to SANDBOX_WEBHOOK_URL.

Delivery runs in a background thread, so it may reach the shop before or after the browser
returns, as with PortOne. The `webhook_first` switch sends the first attempt before the window
answers instead; under one synchronous gunicorn worker the shop cannot answer that request
until the same worker is free, so the attempt times out: run threads or two workers for it.
Every attempt, and every webhook not sent, is a row in the sandbox's SQLite file (shared).
"""

import json
import logging
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from flask import current_app

from . import current, security, switchboard
from .store import SandboxStore
from .webguard import Payment

# PortOne's documented timeouts: the first delivery may take 10 s to connect and 30 s to answer;
# a re-delivery 15 s in all, which requests can only approximate by bounding each phase.
FIRST_TIMEOUT = (10, 30)
REDELIVERY_TIMEOUT = 15
CONTENT_TYPES = {"json": "application/json", "form": "application/x-www-form-urlencoded"}
EXCERPT = 500  # characters of the merchant's answer kept in the log
USER_AGENT = "iamport-sandbox-webhook"
NO_URL = "notice_url도 SANDBOX_WEBHOOK_URL도 없어 보내지 않았습니다."
DROPPED = "webhook_drop 스위치가 켜져 있어 보내지 않았습니다."

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Webhook:
    """One notification and how to deliver it; safe to hand to another thread."""

    store: SandboxStore
    session: requests.Session
    imp_uid: str
    merchant_uid: str
    status: str
    body: str
    content_type: str
    resend: bool
    retries: int
    interval: float

    def record(self, **fields: object) -> dict:
        return self.store.log_delivery(
            imp_uid=self.imp_uid,
            merchant_uid=self.merchant_uid,
            status=self.status,
            content_type=self.content_type,
            body=self.body,
            resend=self.resend,
            **fields,
        )

    def attempt(self, url: str, number: int, duplicate: bool) -> bool:
        """POST once and log it; True when PortOne would try again (network error or 5xx)."""
        first = number == 1 and not self.resend
        try:
            response = self.session.post(
                url,
                data=self.body.encode(),
                headers={"Content-Type": self.content_type, "User-Agent": USER_AGENT},
                timeout=FIRST_TIMEOUT if first else REDELIVERY_TIMEOUT,
                allow_redirects=False,  # a guess: PortOne is not documented to follow them
                stream=True,
            )
        except requests.RequestException as error:
            self.record(
                url=url,
                attempt=number,
                duplicate=duplicate,
                outcome="error",
                error=describe(error),
            )
            return True
        with response:
            answer = next(response.iter_content(EXCERPT * 4), b"").decode(errors="replace")
        self.record(
            url=url,
            attempt=number,
            duplicate=duplicate,
            outcome="delivered" if 200 <= response.status_code < 300 else "refused",
            response_status=response.status_code,
            response_body=answer[:EXCERPT],
        )
        return response.status_code >= 500


def describe(error: requests.RequestException) -> str:
    """The error's type and its innermost reason, without urllib3's retry wrapping."""
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return f"{type(error).__name__}: {reason or error}"[:EXCERPT]


@dataclass(frozen=True)
class Target:
    url: str
    duplicate: bool


def notify(payment: Payment, status: str, cancellation_id: str | None = None) -> None:
    """Send the webhook PortOne sends when `payment` reaches `status`.

    Callers decide whether PortOne would send one at all (never for a failure; for an API
    cancel only with enable_webhook). Needs a sandbox app or request context.
    """
    send(payment, status, cancellation_id, resend=False)


def resend(payment: Payment) -> None:
    """The console's "재발송": the payment's current status again, with re-delivery timeouts."""
    history = payment["cancel_history"]
    cancellation_id = history[-1]["cancellation_id"] if history else None
    send(payment, payment["status"], cancellation_id, resend=True)


def deliveries(store: SandboxStore, imp_uid: str | None = None) -> list[dict]:
    """The logged attempts, oldest first (url, body, outcome, response_status, error, ...)."""
    return store.deliveries(imp_uid)


def content_format(store: SandboxStore) -> str:
    """json or form: the switch when set, else SANDBOX_WEBHOOK_FORMAT."""
    chosen = switchboard.choice(switchboard.get(store, "webhook_format"))
    return chosen or current_app.config["SANDBOX_WEBHOOK_FORMAT"]


def send(payment: Payment, status: str, cancellation_id: str | None, resend: bool) -> None:
    fields = {
        "imp_uid": payment["imp_uid"],
        "merchant_uid": payment["merchant_uid"],
        "status": status,
    }
    if cancellation_id is not None:
        fields["cancellation_id"] = cancellation_id
    send_fields(payment, fields, status, resend)


def send_fields(
    payment: Payment, fields: dict, status: str, resend: bool, content: str | None = None
) -> None:
    """Deliver `fields` in `content` (json or form; else as configured); the log shows `status`."""
    store = current.store()
    switches = switchboard.board(store)
    content = content or content_format(store)
    webhook = compose(store, payment, fields, status, resend, content, switches)
    urls = target_urls(store, payment)
    if not urls:
        log.info("No webhook for %s: no notice_url and no SANDBOX_WEBHOOK_URL.", webhook.imp_uid)
        webhook.record(url=None, outcome="no_url", error=NO_URL)
        return
    if switches["webhook_drop"]:
        for url in urls:
            webhook.record(url=url, outcome="dropped", error=DROPPED)
        return
    copies = (False, True) if switches["webhook_duplicate"] else (False,)
    targets = [Target(url, duplicate) for url in urls for duplicate in copies]
    delay = switchboard.number(switches["webhook_delay_seconds"])
    if switches["webhook_first"]:
        time.sleep(delay)
        pending = first_round(webhook, targets)
        if pending and webhook.retries:
            in_background(webhook, redeliver, webhook, pending)
    else:
        in_background(webhook, deliver, webhook, targets, delay)


def compose(
    store: SandboxStore,
    payment: Payment,
    fields: dict,
    status: str,
    resend: bool,
    content: str,
    switches: dict,
) -> Webhook:
    return Webhook(
        store=store,
        session=current.webhook_session(),
        imp_uid=payment["imp_uid"],
        merchant_uid=payment["merchant_uid"],
        status=status,
        body=json.dumps(fields) if content == "json" else urlencode(form_fields(fields)),
        content_type=CONTENT_TYPES[content],
        resend=resend,
        retries=switches["webhook_retries"],
        interval=current_app.config["SANDBOX_WEBHOOK_RETRY_INTERVAL"],
    )


def form_fields(fields: dict) -> dict:
    """A nested object as `extra[escrow_status]` fields: a guess (no form encoding of a nested
    body is documented; the sandbox's escrow API reads the same shape)."""
    flat: dict[str, object] = {}
    for key, value in fields.items():
        if isinstance(value, dict):
            flat |= {f"{key}[{name}]": item for name, item in value.items()}
        else:
            flat[key] = value
    return flat


def target_urls(store: SandboxStore, payment: Payment) -> list[str]:
    """notice_url (a string or a list of them) replaces the configured URL; it is not added."""
    found = store.payment_and_checkout(payment["imp_uid"])
    notice_url = found[1]["notice_url"] if found else None
    urls = [notice_url] if isinstance(notice_url, str) else list(notice_url or ())
    # The window refuses others; one stored before SANDBOX_MERCHANT_ORIGINS was set is ignored.
    urls = [url for url in urls if security.is_merchant_url(url)]
    if urls:
        return urls
    configured = current_app.config["SANDBOX_WEBHOOK_URL"]
    return [configured] if configured else []


def in_background(webhook: Webhook, target, *args) -> None:
    name = f"sandbox-webhook-{webhook.imp_uid}"
    threading.Thread(target=target, args=args, name=name, daemon=True).start()


def deliver(webhook: Webhook, targets: list[Target], delay: float) -> None:
    time.sleep(delay)
    redeliver(webhook, first_round(webhook, targets))


def first_round(webhook: Webhook, targets: list[Target]) -> list[Target]:
    """Send to every target once; the targets worth another try."""
    return [target for target in targets if webhook.attempt(target.url, 1, target.duplicate)]


def redeliver(webhook: Webhook, pending: list[Target]) -> None:
    for number in range(2, webhook.retries + 2):
        if not pending:
            return
        time.sleep(webhook.interval)
        if webhook.store.get_payment(webhook.imp_uid) is None:  # the sandbox was reset
            return
        pending = [
            target for target in pending if webhook.attempt(target.url, number, target.duplicate)
        ]
