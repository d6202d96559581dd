"""A PostgreSQL database of this test run's own, so two runs on one machine (a contributor's
`make check` beside CI's `make test`) never drop each other's tables.

TEST_DATABASE_URL names the server, the role and the database the role may connect to;
the run's database is made beside it (the role needs CREATEDB, which scripts/install-postgres
grants) and dropped when the run ends. A role without CREATEDB, or a server that cannot be
reached yet, gets the named database itself, as before.
"""

import os
import secrets
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


def _connect(url: str) -> psycopg.Connection:
    return psycopg.connect(url, autocommit=True, connect_timeout=5)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


# Remembered in the environment: pytest imports tests/conftest.py as `conftest` and the tests
# import it again as `tests.conftest`; both must name the same database.
REMEMBERED = "TEST_RUN_DATABASE"


def own_database(url: str) -> tuple[str, str | None]:
    """The URL to test against, and the name of the database made for this run (None when the
    named database is used)."""
    name = os.environ.get(REMEMBERED) or _created(url)
    if name is None:
        return url, None
    os.environ[REMEMBERED] = name
    return _with_database(url, name), name


def _created(url: str) -> str | None:
    name = f"{urlsplit(url).path.lstrip('/')}_run{os.getpid()}_{secrets.token_hex(3)}"
    try:
        with _connect(url) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error:
        return None
    return name


def drop_database(url: str, name: str) -> None:
    """WITH (FORCE): a test that failed may have left a connection open (PostgreSQL 13+)."""
    with _connect(url) as connection:
        statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        connection.execute(statement.format(sql.Identifier(name)))
