"""The README's deployment, as written: `flask db upgrade` and `seed` on PostgreSQL, then
gunicorn with gunicorn.conf.py and several workers; a customer buys and cancels (a refund)
over real HTTP, and /healthz answers.

Sandbox mode (no keys here), but run as production runs: no TESTING, a SECRET_KEY from the
environment, the notice sender thread in every worker."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text

from shop.core.settings import ENV_SETTINGS
from tests.conftest import POSTGRES_URL
from tests.gunicorn_servers import Customer
from tests.helpers import free_port, wait_until_up

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]


def drop_everything() -> None:
    engine = create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def environment(tmp_path):
    port = free_port()
    inherited = {k: v for k, v in os.environ.items() if k not in ENV_SETTINGS}
    drop_everything()
    yield inherited | {
        "DATABASE_URL": POSTGRES_URL,
        "SECRET_KEY": "deployment-test-" + "x" * 48,
        "SHOP_URL": f"http://127.0.0.1:{port}",
        "SANDBOX_DATABASE": str(tmp_path / "sandbox.sqlite3"),
        "PORT": str(port),
        "WEB_CONCURRENCY": "3",
        "GUNICORN_THREADS": "2",
    }
    drop_everything()


def run(environment: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "shop", *args],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture
def shop(environment, tmp_path):
    run(environment, "db", "upgrade")
    assert "데모 상품 6개를 추가했습니다" in run(environment, "seed")
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = environment["SHOP_URL"]
    try:
        wait_until_up(url + "/healthz", process, log)
        yield url
    finally:
        process.terminate()
        process.wait(15)
    assert "Traceback" not in log.read_text(errors="replace"), log.read_text()[-4000:]


def test_a_purchase_and_a_refund_under_gunicorn_on_postgresql(shop):
    customer = Customer(shop)
    merchant_uid = customer.buy_cushion()

    assert customer.pay(merchant_uid)["status"] == "success"
    assert "결제가 완료되었습니다" in customer.get(f"/orders/{merchant_uid}").text

    customer.get(f"/orders/{merchant_uid}/cancel")
    assert customer.post(f"/orders/{merchant_uid}/cancel", confirm="y").status_code == 302
    refunded = customer.get(f"/orders/{merchant_uid}").text
    assert "결제가 취소되었습니다" in refunded and "22,800원" in refunded
    assert requests.get(shop + "/healthz", timeout=5).json() == {
        "status": "ok",
        "database": "ok",
        "gateway": "ok",
    }
