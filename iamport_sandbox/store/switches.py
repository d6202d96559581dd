"""The switchboard's fault switches (switchboard.py): one row per switch that is on."""

import json
from collections.abc import Callable

from .database import Database

SCHEMA = ("CREATE TABLE IF NOT EXISTS switches (name TEXT PRIMARY KEY, value TEXT NOT NULL)",)


class SwitchStore(Database):
    def switches(self) -> dict[str, object]:
        """The switches that are on; a switch that is off has no row."""
        with self._connection() as db:
            rows = db.execute("SELECT name, value FROM switches").fetchall()
        return {row["name"]: json.loads(row["value"]) for row in rows}

    def change_switch(self, name: str, change: Callable[[object], object]) -> object:
        """Replace a switch's value (None: off) in one transaction; returns the value before."""
        with self._transaction() as db:
            row = db.execute("SELECT value FROM switches WHERE name = ?", (name,)).fetchone()
            before = json.loads(row["value"]) if row else None
            after = change(before)
            if after is None:
                db.execute("DELETE FROM switches WHERE name = ?", (name,))
            else:
                db.execute(
                    "INSERT OR REPLACE INTO switches VALUES (?, ?)", (name, json.dumps(after))
                )
        return before

    def clear_switches(self) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM switches")
