"""What the shop needs of its database beyond the ORM, on SQLite and PostgreSQL alike.

SQLite: every transaction takes the write lock at BEGIN (BEGIN IMMEDIATE). With SQLite's
default deferred transactions, two syncs of one payment both read, then one fails on the
write with "database is locked" at once instead of waiting its turn.
PostgreSQL: the payment sync locks the order row (SELECT ... FOR UPDATE).
Both: a row that two deliveries insert at once is inserted once (INSERT ... ON CONFLICT DO
NOTHING), so a race is a no-op, never an IntegrityError.
"""

from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.dialects import postgresql, sqlite

from shop.extensions import db

SQLITE_BUSY_SECONDS = 15  # how long a transaction waits for another to release the lock


def engine_options(uri: str) -> dict:
    if uri.startswith("sqlite"):
        return {"connect_args": {"timeout": SQLITE_BUSY_SECONDS}}
    return {"pool_pre_ping": True}  # a restarted server's dead connections are replaced


def configure(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _leave_transactions_to_us)
        event.listen(engine, "begin", _begin_immediate)


def _leave_transactions_to_us(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # pysqlite would otherwise BEGIN by itself


def _begin_immediate(connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def insert_once(model: type, values: dict[str, Any], unique: list[str]) -> None:
    """Insert a row unless one with the same unique columns exists (or is being inserted)."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(model).values(**values).on_conflict_do_nothing(index_elements=unique)
    db.session.execute(statement)
