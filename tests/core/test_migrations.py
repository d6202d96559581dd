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
