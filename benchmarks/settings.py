"""What a run measures and for how long, from BENCH_* environment variables."""

import os
from dataclasses import dataclass


def number(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip().replace("_", "").replace(",", "")
    return int(raw) if raw else default


@dataclass(frozen=True)
class Settings:
    seconds: int  # one wrk round
    rounds: int  # wrk rounds per row; the median is reported
    threads: int  # wrk -t
    connections: int  # wrk -c
    workers: int  # gunicorn -w (sync workers)
    verifications: int  # fresh payments timed one by one, per database and size
    small_orders: int
    large_orders: int
    many_products: int
    databases: tuple[str, ...]
    quick: bool

    @property
    def label(self) -> str:
        return ("quick run: " if self.quick else "") + (
            f"wrk -t{self.threads} -c{self.connections} -d{self.seconds}s,"
            f" {f'median of {self.rounds} rounds' if self.rounds > 1 else 'one round'};"
            f" gunicorn -w {self.workers} --worker-class sync;"
            f" {self.verifications} fresh payments per first-verification row"
        )


def from_environment() -> Settings:
    quick = os.environ.get("BENCH_QUICK", "") not in ("", "0")
    databases = os.environ.get("BENCH_DATABASES", "sqlite,postgresql")
    return Settings(
        seconds=number("BENCH_SECONDS", 3 if quick else 10),
        rounds=number("BENCH_ROUNDS", 1 if quick else 2),
        threads=number("BENCH_THREADS", 2),
        connections=number("BENCH_CONNECTIONS", 16),
        workers=number("BENCH_WORKERS", 2),
        verifications=number("BENCH_VERIFICATIONS", 10 if quick else 30),
        small_orders=number("BENCH_SMALL_ORDERS", 1_000),
        large_orders=number("BENCH_LARGE_ORDERS", 10_000 if quick else 100_000),
        many_products=number("BENCH_PRODUCTS", 10_000),
        databases=tuple(name.strip() for name in databases.split(",") if name.strip()),
        quick=quick,
    )
