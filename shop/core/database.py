"""What the shop needs of its database beyond the ORM, on SQLite and PostgreSQL alike.

SQLite runs in WAL mode, so readers and the one writer do not wait for each other. A
transaction that may write takes the write lock at BEGIN (BEGIN IMMEDIATE): with SQLite's
default deferred transactions, two syncs of one payment both read, then one fails on the write
with "database is locked" at once instead of waiting its turn. A request that only reads (GET
and HEAD, unless its view is marked `writes`, or a block inside `reading()`) begins DEFERRED,
so that rendering a page never holds the write lock.
PostgreSQL: the payment sync locks the order row (SELECT ... FOR UPDATE).
Both: a row that two deliveries insert at once is inserted once (INSERT ... ON CONFLICT DO
NOTHING), so a race is a no-op, never an IntegrityError.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, g, has_app_context, request
from sqlalchemy import Engine, event
from sqlalchemy.dialects import postgresql, sqlite

from shop.core.extensions import db

SQLITE_BUSY_SECONDS = 15  # how long a transaction waits for another to release the lock
# synchronous=NORMAL is safe in WAL mode against a crash of the shop; a power cut may lose
# the last commits, which PortOne still has (reconciliation). foreign_keys: SQLite's are off
# unless asked for.
SQLITE_PRAGMAS = (
    "journal_mode=WAL",
    "synchronous=NORMAL",
    "foreign_keys=ON",
    "cache_size=-16000",
    "temp_store=MEMORY",
)
READING_METHODS = ("GET", "HEAD")


def engine_options(uri: str) -> dict:
    if uri.startswith("sqlite"):
        return {"connect_args": {"timeout": SQLITE_BUSY_SECONDS}}
    return {"pool_pre_ping": True}  # a restarted server's dead connections are replaced


def configure(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _prepare_connection)
        event.listen(engine, "begin", _begin)


def register(app: Flask) -> None:
    app.before_request(_mark_reading_request)


def writes(view: Callable) -> Callable:
    """Mark a GET view that writes (it then begins its transactions IMMEDIATE)."""
    view.writes = True  # type: ignore[attr-defined]
    return view


@contextmanager
def reading() -> Iterator[None]:
    """A transaction begun inside only reads (on SQLite it begins DEFERRED): end it before
    writing, so that the write begins a transaction of its own."""
    before = g.get("reading", False)
    g.reading = True
    try:
        yield
    finally:
        g.reading = before


def _mark_reading_request() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    g.reading = request.method in READING_METHODS and not getattr(view, "writes", False)


def _prepare_connection(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # pysqlite would otherwise BEGIN by itself
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute("PRAGMA " + pragma)
    cursor.close()


def _begin(connection) -> None:
    reads_only = has_app_context() and g.get("reading", False)
    connection.exec_driver_sql("BEGIN" if reads_only else "BEGIN IMMEDIATE")


def insert_once(model: type, values: dict[str, Any], unique: list[str]) -> None:
    """Insert a row unless one with the same unique columns exists (or is being inserted)."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(model).values(**values).on_conflict_do_nothing(index_elements=unique)
    db.session.execute(statement)
