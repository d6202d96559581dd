"""Logging: one configuration (stderr, which gunicorn and systemd collect) and one line per
payment claim that says what came of it.

Lines carry ids, statuses, amounts and outcomes only: never keys, secrets, tokens,
Authorization headers, cookies, refund accounts or the buyer's personal data."""

import logging
from logging.config import dictConfig

from flask import Flask

from shop.core.ledger import PaymentEvent

payments_log = logging.getLogger("shop.payments")

# Outcomes someone should look at: money that does not match, or claims about other orders.
SUSPICIOUS = ("forged", "mismatch", "unknown_order", "needs_review")


def configure(app: Flask) -> None:
    """Configure logging once per process (create_app runs again in tests and CLI commands)."""
    if app.testing or logging.getLogger("shop").handlers:
        return
    dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {
                "line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            },
            "handlers": {
                "stderr": {"class": "logging.StreamHandler", "formatter": "line"},
            },
            "loggers": {
                "shop": {"handlers": ["stderr"], "level": app.config["LOG_LEVEL"]},
                "werkzeug": {"level": "INFO"},
            },
        }
    )


def claim_line(event: PaymentEvent) -> str:
    fields = {
        "source": event.source,
        "imp_uid": event.imp_uid,
        "merchant_uid": event.claimed_merchant_uid,
        "order_id": event.order_id,
        "outcome": event.outcome,
        "gateway_status": event.gateway_status,
        "gateway_amount": event.gateway_amount,
        "status": _move(event),
    }
    return "payment " + " ".join(f"{key}={value}" for key, value in fields.items() if value)


def _move(event: PaymentEvent) -> str | None:
    before, after = event.order_status_before, event.order_status_after
    if before is None and after is None:
        return None
    return f"{before}->{after}" if before != after else str(after)


def log_claim(outcome: str | None, line: str) -> None:
    level = logging.WARNING if outcome in SUSPICIOUS else logging.INFO
    payments_log.log(level, line)
