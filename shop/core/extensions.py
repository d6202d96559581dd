"""Extensions are created here and bound to the app in the factory."""

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: DateTime(timezone=True)},
    )


db = SQLAlchemy(model_class=Base)
# The models' base class: Flask-SQLAlchemy's db.Model, which a type checker sees as Base.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
csrf = CSRFProtect()
# batch mode: SQLite alters a table by copying it, which Alembic does only when asked.
migrate = Migrate(render_as_batch=True, compare_type=True)
# Storage from RATELIMIT_STORAGE_URI (memory:// by default; redis://… to share between hosts).
limiter = Limiter(get_remote_address)


def limit_setting(name: str) -> Callable[[], str]:
    """A route's limit as the app's settings say when a request comes (RATELIMIT_* in config)."""
    return lambda: current_app.config[name]
