"""The schema comes from Flask-Migrate's migrations (`flask db upgrade`), and they stay in step
with the models: an upgraded empty database is exactly what the models describe."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from shop.core.extensions import db
from tests.conftest import DATABASES, shop_app


@pytest.fixture(params=DATABASES)
def empty(request, tmp_path):
    app = shop_app(tmp_path, request.param)
    with app.app_context():
        drop_everything()
    yield app
    with app.app_context():
        drop_everything()
        db.engine.dispose()


def drop_everything() -> None:
    db.drop_all()
    db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
    db.session.commit()


def differences(app) -> list:
    with app.app_context(), db.engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), db.metadata)


def test_upgrading_an_empty_database_gives_the_models_schema(empty):
    result = empty.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert differences(empty) == []


def test_upgrade_and_seed_can_run_twice(empty):
    runner = empty.test_cli_runner()
    for _ in range(2):
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
        seeded = runner.invoke(args=["seed"])
    assert "데모 상품 0개를 추가했습니다 (이미 있던 상품 6개)" in seeded.output


def old_order(number: str, shipped_at: str | None) -> dict:
    """An order row as the schema before fulfilment (e8c5a1d2f4b6) holds it."""
    return {
        "merchant_uid": f"ord_{number}",
        "number": number,
        "status": "paid",
        "name": "원목 의자",
        "amount": 64900,
        "shipping_fee": 0,
        "currency": "KRW",
        "pay_method": "card",
        "buyer_name": "홍길동",
        "buyer_email": "buyer@example.com",
        "buyer_tel": "010-1234-5678",
        "buyer_addr": "서울특별시 중구 세종대로 110",
        "buyer_postcode": "04524",
        "created_at": "2026-12-01 10:00:00+00:00",
        "updated_at": "2026-12-01 10:00:00+00:00",
        "stock_taken": True,
        "shipped_at": shipped_at,
    }


def test_orders_marked_shipped_before_the_states_are_on_their_way(empty):
    runner = empty.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade", "e8c5a1d2f4b6"]).exit_code == 0
    rows = [
        old_order("20261201-000001", "2026-12-02 09:00:00+00:00"),
        old_order("20261201-000002", None),
    ]
    columns = ", ".join(f'"{name}"' for name in rows[0])
    values = ", ".join(f":{name}" for name in rows[0])
    with empty.app_context():
        db.session.execute(text(f'INSERT INTO "order" ({columns}) VALUES ({values})'), rows)
        db.session.commit()

    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0

    with empty.app_context():
        found = db.session.execute(
            text('SELECT number, fulfilment, courier, invoice_number FROM "order" ORDER BY number')
        ).all()
        db.session.rollback()
    assert [tuple(row) for row in found] == [
        ("20261201-000001", "shipping", None, None),
        ("20261201-000002", "ordered", None, None),
    ]
