"""The databases a run measures: a SQLite file of its own, and a PostgreSQL database of its own
(`shop_bench`, created and dropped here) when this machine lets us create one."""

import sqlite3
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from shop.core.config import database_uri

BENCH_DATABASE = "shop_bench"
# Who may create it: the superuser (trust auth on a development machine), else the role
# scripts/install-postgres creates with CREATEDB (from the URL it prints).
ADMIN_URLS = (
    "postgresql://postgres@127.0.0.1:5432/postgres",
    "postgresql://shop_test:shop_test@127.0.0.1:5432/postgres",
)


@dataclass(frozen=True)
class Database:
    kind: str  # sqlite or postgresql
    url: str  # as the shop's DATABASE_URL reads it
    version: str

    @property
    def sqlalchemy_url(self) -> str:
        return database_uri(self.url)


@contextmanager
def sqlite(directory: Path):
    """(a SQLite file in `directory`, None): the shop's default database."""
    url = f"sqlite:///{directory / 'shop.sqlite3'}"
    yield Database("sqlite", url, sqlite3.sqlite_version), None


@contextmanager
def postgresql(admin_urls: tuple[str, ...] = ADMIN_URLS):
    """(a fresh `shop_bench` database, None), dropped afterwards; or (None, why there is none)."""
    admin, reasons = None, []
    for url in admin_urls:
        try:
            admin = psycopg.connect(url, autocommit=True, connect_timeout=5)
            break
        except psycopg.Error as error:
            reasons.append(
                f"as {psycopg.conninfo.conninfo_to_dict(url)['user']}: {first_line(error)}"
            )
    if admin is None:
        yield None, "; ".join(reasons)
        return
    with admin:
        info = admin.info
        try:
            drop(admin)
            admin.execute(f"CREATE DATABASE {BENCH_DATABASE}")
        except psycopg.Error as error:
            yield None, f"{info.user} cannot create {BENCH_DATABASE}: {first_line(error)}"
            return
        version = admin.execute("SHOW server_version").fetchone()[0].split()[0]
        password = f":{info.password}" if info.password else ""
        url = f"postgresql://{info.user}{password}@{info.host}:{info.port}/{BENCH_DATABASE}"
        try:
            yield Database("postgresql", url, version), None
        finally:
            drop(admin)


def drop(admin: psycopg.Connection) -> None:
    admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")


def first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def scratch_directory():
    return tempfile.TemporaryDirectory(prefix="shop-bench-")
