"""The claim log: every claim about a payment is an event row, committed with what it caused.

What arrived is stored as text cut to its column, whatever it was; the sender's words
(`claim`) stay apart from what the shop found and did (`detail`).
"""

import logging

from sqlalchemy.exc import DBAPIError

from shop.core.extensions import db
from shop.core.ledger import EventSource, PaymentEvent
from shop.core.logs import claim_line, log_claim
from shop.payments.outcomes import Outcome, SyncResult

DATABASE_TROUBLE = "데이터베이스에 접근하지 못해 반영하지 못했습니다."

log = logging.getLogger(__name__)


def new_event(source: EventSource, imp_uid, claimed, note, *, claim: object = None) -> PaymentEvent:
    """Claims are stored as text cut to their columns, whatever arrived: `claimed` and
    `claim` are the sender's, `note` the shop's."""
    return PaymentEvent(
        source=source,
        imp_uid=column_text(imp_uid, 100),
        claimed_merchant_uid=column_text(claimed, 100),
        claim=column_text(claim, 200),
        detail=column_text(note, 500),
    )


def column_text(value: object, limit: int) -> str | None:
    """Text any database stores: a lone surrogate becomes "?" and NUL (which PostgreSQL
    refuses) U+FFFD; cut to `limit` characters (what VARCHAR(n) counts on PostgreSQL)."""
    if value is None:
        return None
    text = str(value).encode("utf-8", "replace").decode("utf-8")
    return text.replace("\x00", "\ufffd")[:limit]


def record_claim(event: PaymentEvent, result: SyncResult) -> SyncResult:
    event.outcome = result.outcome.value
    add_detail(event, result.detail)
    line = claim_line(event)  # now: the commit expires what the event holds
    if not _committed(event):
        return SyncResult(Outcome.UNAVAILABLE, detail=DATABASE_TROUBLE)
    log_claim(result.outcome.value, line)
    return result


def record_answered(event: PaymentEvent) -> None:
    """A claim answered from what was stored (shop.payments.settled), in a transaction of its
    own: without a database to write to, the answer stands and only its row is lost."""
    line = claim_line(event) + " stored"
    _committed(event)
    log_claim(event.outcome, line)


def _committed(event: PaymentEvent) -> bool:
    try:
        db.session.add(event)
        db.session.commit()
    except DBAPIError as error:
        db.session.rollback()
        log.warning("claim %s %s not recorded: %s", event.source, event.imp_uid, error)
        return False
    return True


def add_detail(event: PaymentEvent, text: str | None) -> None:
    """Add to what the event says; its column holds 500 characters."""
    event.detail = "; ".join(filter(None, (event.detail, text)))[:500] or None
