"""The notices' shop sends by SMTP to a real server (tests/mail_server.py) on 127.0.0.1 that
keeps what it accepts."""

import pytest

from shop.notices.sender import stop_sender
from tests.conftest import checked, make_app


@pytest.fixture
def settings():
    """What a test changes of its shop's settings, by parametrizing this name."""
    return {}


@pytest.fixture
def app(request, tmp_path, mail_server, settings):
    """The shop (sandbox mode) sending by SMTP to `mail_server`, on SQLite or PostgreSQL."""
    smtp = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(mail_server.port), "MAIL_TIMEOUT": "5"}
    shop = make_app(tmp_path, getattr(request, "param", "sqlite"), **(smtp | settings))
    checks = checked(shop)
    yield next(checks)
    stop_sender(shop)
    next(checks, None)
