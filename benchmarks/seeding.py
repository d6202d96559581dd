"""Rows put straight into the shop's tables with bulk inserts: products, and orders with a
realistic mix of statuses, lines, payments, claims (payment_event), notices and refunds.

Only the shop's own metadata is used (shop.core.models). Orders get the ids after the last one and
their children refer to them; PostgreSQL's sequence is then moved past them, so the orders the
shop places afterwards get ids of their own.
"""

import contextlib
import enum
import random
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine, func, insert, select, text
from sqlalchemy.exc import DBAPIError

from shop.core.extensions import db
from shop.core.ledger import Notice, Payment, PaymentEvent, Refund, RefundState
from shop.core.models import Order, OrderLine, OrderStatus, Product
from shop.storefront.demo import DEMO_PRODUCTS

BATCH = 2_000
STOCK = 1_000_000  # the benchmark buys a few hundred times; stock never runs out
S = OrderStatus
# How a year of orders ends up (weights); every payment row follows from the status.
MIX = {
    S.PAID: 55,
    S.PENDING: 14,
    S.FAILED: 6,
    S.VBANK_ISSUED: 3,
    S.EXPIRED: 3,
    S.REFUNDED: 8,
    S.PARTIALLY_REFUNDED: 2,
    S.CANCELLED: 6,
    S.NEEDS_REVIEW: 2,
    S.FORGED: 1,
}
BUYER = {
    "buyer_name": "김예시",
    "buyer_email": "buyer@example.com",
    "buyer_tel": "010-0000-0000",
    "buyer_addr": "서울특별시 중구 세종대로 110 (예시)",
    "buyer_postcode": "04524",
}


def create_tables(engine: Engine, products: int) -> None:
    """The shop's tables (from its models, as they are in the working tree) and `products`
    products: the demo's six, then plain ones."""
    db.metadata.create_all(engine)
    with engine.begin() as connection:
        rows = [item | {"stock": STOCK} for item in DEMO_PRODUCTS]
        connection.execute(insert(Product), rows)
    add_products(engine, products)


def add_products(engine: Engine, wanted: int) -> None:
    """Plain products until there are `wanted`."""
    with engine.begin() as connection:
        have = connection.execute(select(func.count()).select_from(Product)).scalar_one()
        rows = [product_row(number) for number in range(have + 1, wanted + 1)]
        for start in range(0, len(rows), BATCH):
            connection.execute(insert(Product), rows[start : start + BATCH])


def product_row(number: int) -> dict:
    return {
        "slug": f"bench-item-{number}",
        "name": f"벤치마크 상품 {number}",
        "description": "부하 측정용 상품입니다. " * 4,
        "price": 1000 * (5 + number % 116),
        "stock": STOCK,
        "image": DEMO_PRODUCTS[number % len(DEMO_PRODUCTS)]["image"],
    }


def add_orders(engine: Engine, wanted: int, seed: int = 7) -> int:
    """Orders (with everything they bring) until there are `wanted`; how many were added."""
    generator = random.Random(seed)
    with engine.begin() as connection:
        have = connection.execute(select(func.count()).select_from(Order)).scalar_one()
        products = connection.execute(select(Product.id, Product.name, Product.price)).all()
    added = 0
    while have + added < wanted:
        count = min(BATCH, wanted - have - added)
        with engine.begin() as connection:
            insert_batch(connection, [new_order(generator, products) for _ in range(count)])
        added += count
    with engine.begin() as connection:
        follow_sequence(connection, Order)
    return added


def analyze(engine: Engine) -> None:
    """What a shop that grew this much over time would have had done by now, so that the
    measurement does not share the machine with it: PostgreSQL's autovacuum vacuums and
    analyses the tables and its checkpoints write what the inserts dirtied; SQLite's automatic
    checkpoints keep its WAL short, which a bulk insert beside running workers leaves long."""
    if engine.dialect.name == "postgresql":
        run_alone(engine, "VACUUM ANALYZE")
        with contextlib.suppress(DBAPIError):  # CHECKPOINT needs a superuser (or pg_checkpoint)
            run_alone(engine, "CHECKPOINT")
    else:
        run_alone(engine, "PRAGMA wal_checkpoint(TRUNCATE)")


def run_alone(engine: Engine, statement: str) -> None:
    """Outside a transaction, as VACUUM must be."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(statement)


def insert_batch(connection: Connection, orders: list[dict]) -> None:
    """The orders with ids of our choosing (after the last one), then their children."""
    last = connection.execute(select(func.coalesce(func.max(Order.id), 0))).scalar_one()
    children = {OrderLine: [], Payment: [], PaymentEvent: [], Notice: [], Refund: []}
    for order_id, order in enumerate(orders, start=last + 1):
        row = order["row"]
        row["id"] = order_id
        row["number"] = row["created_at"].strftime("%Y%m%d-") + f"{order_id % 1_000_000:06d}"
        for model in children:
            children[model] += [row | {"order_id": order_id} for row in order[model]]
    write(connection, Order, [order["row"] for order in orders])
    for model, rows in children.items():
        write(connection, model, rows)


def write(connection: Connection, model, rows: list[dict]) -> None:
    """executemany; COPY on PostgreSQL, where it is many times faster."""
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        connection.execute(insert(model), rows)
        return
    columns = list(rows[0])
    names = ", ".join(f'"{name}"' for name in columns)
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f'COPY "{model.__tablename__}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([plain(row[name]) for name in columns])


def plain(value):
    return value.value if isinstance(value, enum.Enum) else value


def follow_sequence(connection: Connection, model) -> None:
    """On PostgreSQL, ids the shop takes next come after the ones chosen here."""
    if connection.dialect.name == "postgresql":
        table = model.__tablename__
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"
                f' (SELECT max(id) FROM "{table}"))'
            )
        )


def new_order(generator: random.Random, products) -> dict:
    """One order as a year of trading leaves it: its row and its children's rows."""
    status = generator.choices(list(MIX), weights=list(MIX.values()))[0]
    created = datetime.now(UTC) - timedelta(seconds=generator.randint(600, 365 * 86400))
    lines = [line(generator, products) for _ in range(generator.choice((1, 1, 1, 2, 2, 3)))]
    goods = sum(row["unit_price"] * row["quantity"] for row in lines)
    shipping = 0 if goods >= 50_000 else 3_000
    merchant_uid = "ord_" + secrets.token_hex(16)
    row = BUYER | {
        "merchant_uid": merchant_uid,
        "status": status,
        "name": lines[0]["name"] + (f" 외 {len(lines) - 1}건" if len(lines) > 1 else ""),
        "amount": goods + shipping,
        "shipping_fee": shipping,
        "currency": "KRW",
        "pay_method": "vbank" if status in (S.VBANK_ISSUED, S.EXPIRED) else "card",
        "created_at": created,
        "updated_at": created + timedelta(minutes=2),
        "paid_at": created + timedelta(minutes=1) if status in PAID_ONCE else None,
        "stock_taken": status in (S.PAID, S.PARTIALLY_REFUNDED, S.NEEDS_REVIEW, S.VBANK_ISSUED),
        "review_reason": "두 번째 결제" if status == S.NEEDS_REVIEW else None,
    }
    payments = payments_for(generator, status, merchant_uid, row["amount"], created)
    return {
        "row": row,
        OrderLine: lines,
        Payment: payments,
        PaymentEvent: events_for(generator, status, merchant_uid, payments, created),
        Notice: notices_for(status, created),
        Refund: refunds_for(status, payments, created),
    }


PAID_ONCE = (S.PAID, S.PARTIALLY_REFUNDED, S.REFUNDED, S.NEEDS_REVIEW)


def line(generator: random.Random, products) -> dict:
    product_id, name, price = generator.choice(products)
    quantity = generator.choice((1, 1, 1, 2, 3))
    return {"product_id": product_id, "name": name, "unit_price": price, "quantity": quantity}


def payments_for(generator, status, merchant_uid, amount, created) -> list[dict]:
    """What PortOne holds for an order in this status (oldest first)."""

    def payment(state: str, paid: int = amount, cancelled: int = 0, **fields) -> dict:
        return payment_row(merchant_uid, created, state, paid, cancelled) | fields

    if status in (S.PENDING, S.CANCELLED):
        return []
    if status == S.FAILED:
        return [payment("failed", fail_reason="한도 초과")]
    if status in (S.VBANK_ISSUED, S.EXPIRED):
        return [payment("ready", **virtual_account(created))]
    if status == S.PAID and generator.random() < 0.1:  # declined once, then paid
        return [payment("failed", fail_reason="잔액 부족"), payment("paid")]
    return {
        S.PAID: [payment("paid")],
        S.PARTIALLY_REFUNDED: [payment("paid", cancelled=amount // 2)],
        S.REFUNDED: [payment("cancelled", cancelled=amount)],
        S.NEEDS_REVIEW: [payment("paid"), payment("paid")],
        S.FORGED: [payment("paid", paid=max(100, amount // 10))],
    }[status]


def payment_row(merchant_uid, created, state: str, amount: int, cancelled: int) -> dict:
    """Every column, so that one executemany takes every payment of a batch."""
    settled = created + timedelta(minutes=1)
    return {
        "imp_uid": "imp_" + secrets.token_hex(6),
        "merchant_uid": merchant_uid,
        "status": state,
        "amount": amount,
        "cancel_amount": cancelled,
        "currency": "KRW",
        "pay_method": "card",
        "pg_provider": "html5_inicis",
        "pg_tid": "StdpayCARD" + secrets.token_hex(8),
        "apply_num": None if state == "ready" else secrets.token_hex(4),
        "card_name": None if state == "ready" else "신한카드",
        "receipt_url": None,
        "fail_reason": None,
        "vbank_name": None,
        "vbank_num": None,
        "vbank_holder": None,
        "vbank_date": None,
        "sandbox": True,
        "escrow": False,
        "started_at": created + timedelta(seconds=30),
        "paid_at": settled if state in ("paid", "cancelled") else None,
        "failed_at": settled if state == "failed" else None,
        "fetched_at": settled,
    }


def virtual_account(created: datetime) -> dict:
    return {
        "pay_method": "vbank",
        "vbank_name": "국민은행",
        "vbank_num": "T" + secrets.token_hex(6),
        "vbank_holder": "온담리빙",
        "vbank_date": created + timedelta(days=3),
    }


def events_for(generator, status, merchant_uid, payments, created) -> list[dict]:
    """The claims that settled each payment: a confirm, the callback, often the webhook and
    sometimes a phone's return."""
    rows = []
    before = S.PENDING.value
    for payment in payments:
        sources = ["confirm", "callback", "webhook"][: generator.choice((2, 3, 3))]
        if generator.random() < 0.3:
            sources.append("redirect")
        for source in sources:
            after = status.value if source == "callback" else before
            rows.append(
                {
                    "created_at": created + timedelta(minutes=1),
                    "source": source,
                    "imp_uid": payment["imp_uid"],
                    "claimed_merchant_uid": merchant_uid,
                    "gateway_status": payment["status"],
                    "gateway_amount": payment["amount"],
                    "outcome": OUTCOMES.get(source, OUTCOMES.get(payment["status"], "paid")),
                    "order_status_before": before,
                    "order_status_after": after,
                }
            )
            before = after
    return rows


# What the shop records as a claim's outcome (shop.payments.outcomes.Outcome), by source or payment status.
OUTCOMES = {
    "confirm": "confirmed",
    "ready": "vbank_issued",
    "failed": "failed",
    "cancelled": "cancelled",
}


def notices_for(status, created) -> list[dict]:
    kind = {
        S.PAID: "payment_confirmed",
        S.PARTIALLY_REFUNDED: "payment_confirmed",
        S.VBANK_ISSUED: "vbank_issued",
        S.REFUNDED: "refunded",
        S.CANCELLED: "cancelled",
    }.get(status)
    if kind is None:
        return []
    sent = created + timedelta(minutes=2)
    return [
        {
            "kind": kind,
            "key": kind,  # as the migration keys the notices an order had of each kind
            "recipient": BUYER["buyer_email"],
            "subject": "[온담 리빙] 주문 안내",
            "body": "주문 안내 메일 본문입니다.\n" * 12,
            "created_at": sent,
            "sent_at": sent,
            "attempts": 1,
        }
    ]


def refunds_for(status, payments, created) -> list[dict]:
    if status not in (S.REFUNDED, S.PARTIALLY_REFUNDED):
        return []
    paid = payments[-1]
    return [
        {
            "imp_uid": paid["imp_uid"],
            "amount": paid["cancel_amount"],
            "checksum": paid["amount"],
            "reason": "고객 요청",
            "cause": "customer",
            "state": RefundState.DONE,
            "created_at": created + timedelta(days=1),
            "finished_at": created + timedelta(days=1),
        }
    ]
