"""The one SQLite file every part of the store keeps its tables in, and how it is opened.

Several threads and several processes (the shop's workers) share the file, so every operation
opens its own connection, the journal is WAL and every write is one short IMMEDIATE transaction.
"""

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Database:
    """The file, its clock and its transactions; the parts of SandboxStore build on this."""

    SCHEMA: tuple[str, ...] = ()  # every table and index, as SandboxStore gathers them

    def __init__(self, path: str, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock
        with self._connection() as db:
            db.execute("PRAGMA journal_mode=WAL")
        with self._transaction() as db:
            for statement in self.SCHEMA:
                db.execute(statement)

    def now(self) -> int:
        return int(self.clock())

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
        try:
            yield db
        finally:
            db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connection() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def reset(self) -> None:
        """Empty every table of the file: payments, tokens, registrations, log and switches."""
        with self._transaction() as db:
            tables = db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
            for (table,) in tables:
                db.execute(f'DELETE FROM "{table}"')
