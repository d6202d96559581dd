"""Settings, layered in one fixed order: safe defaults → instance/config.py → environment → test mapping.

Which settings there are, their defaults and parsers: shop.core.settings. Here the layers are
applied in order, the mode-dependent settings derived and unsafe ones refused, in one step."""

import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

from shop.core.database import engine_options
from shop.core.setting_parsers import ConfigError
from shop.core.settings import defaults, from_environment, parse_all

LIVE_API_URL = "https://api.iamport.kr"
LIVE_SDK_URL = "https://cdn.iamport.kr/js/iamport.payment-1.2.0.js"
# Kakao moved the loader from t1.daumcdn.net to t1.kakaocdn.net in 2026 (daumPostcode/QnA #1498).
LIVE_POSTCODE_URL = "https://t1.kakaocdn.net/mapjsapi/bundle/postcode/prod/postcode.v2.js"
SANDBOX_POSTCODE_URL = "/static/js/postcode-sample.js"
LIVE_REQUIRED = ("IMP_CODE", "IMP_KEY", "IMP_SECRET")


def load(app: Flask, test_config: dict | None) -> None:
    app.config.from_mapping(defaults(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(from_environment(os.environ))
    if test_config:
        app.config.from_mapping(test_config)
    finish(app.config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = local_secret_key(Path(app.instance_path))


def finish(config) -> None:
    """Read every setting, derive the mode-dependent ones; refuse settings that cannot work or
    are unsafe."""
    parse_all(config)
    config["PAYMENT_MODE"] = config["PAYMENT_MODE"] or ("live" if config["IMP_KEY"] else "sandbox")
    derive_unset(config)
    derive_database(config)
    if config["PAYMENT_MODE"] == "live":
        use_portone(config)
    else:
        use_sandbox(config)
    require_secret_key(config)


def derive_unset(config) -> None:
    """What None leaves to the mode and the shop's address."""
    if config["CONFIRM_PROCESS"] is None:
        config["CONFIRM_PROCESS"] = config["PAYMENT_MODE"] == "sandbox"
    config["SHOP_URL"] = config["SHOP_URL"].rstrip("/")
    if config["SESSION_COOKIE_SECURE"] is None:
        config["SESSION_COOKIE_SECURE"] = config["SHOP_URL"].startswith("https://")


def derive_database(config) -> None:
    config["SQLALCHEMY_DATABASE_URI"] = database_uri(config["DATABASE_URL"])
    if config["SQLALCHEMY_ENGINE_OPTIONS"] is None:
        config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(config["SQLALCHEMY_DATABASE_URI"])


def use_portone(config) -> None:
    """Live mode: every PortOne key, and PortOne's own addresses unless others are set."""
    missing = [name for name in LIVE_REQUIRED if not config[name]]
    if missing:
        raise ConfigError(
            "live 모드에는 PortOne 설정이 필요합니다. 빠진 설정: " + ", ".join(missing)
        )
    config["PORTONE_API_URL"] = config["PORTONE_API_URL"] or LIVE_API_URL
    config["PORTONE_SDK_URL"] = config["PORTONE_SDK_URL"] or LIVE_SDK_URL
    config["POSTCODE_SCRIPT_URL"] = config["POSTCODE_SCRIPT_URL"] or LIVE_POSTCODE_URL


def use_sandbox(config) -> None:
    """Sandbox mode: the mounted sandbox's keys and addresses. Webhook sources are not checked:
    the sandbox posts from this machine."""
    config["WEBHOOK_ALLOWED_IPS"] = ()
    refuse_public_sandbox(config)
    config["IMP_CODE"] = config["SANDBOX_MERCHANT_CODE"]
    config["IMP_KEY"] = config["SANDBOX_IMP_KEY"]
    config["IMP_SECRET"] = config["SANDBOX_IMP_SECRET"]
    config["PORTONE_API_URL"] = config["SHOP_URL"] + "/sandbox"
    config["PORTONE_SDK_URL"] = "/sandbox/iamport.payment.js"
    config["POSTCODE_SCRIPT_URL"] = SANDBOX_POSTCODE_URL


def require_secret_key(config) -> None:
    if not config.get("SECRET_KEY") and not local_development(config):
        raise ConfigError(
            "SECRET_KEY를 설정하세요(길고 무작위인 값, 모든 서버에 같은 값). 이 컴퓨터 주소의 "
            "샌드박스 모드나 FLASK_DEBUG가 아니면 자동으로 만들지 않습니다."
        )


def local_development(config) -> bool:
    """Tests, the debugger, or the sandbox on this computer's own address (`make run`)."""
    sandbox_here = config["PAYMENT_MODE"] == "sandbox" and is_loopback(config["SHOP_URL"])
    return bool(config.get("TESTING") or config.get("DEBUG") or sandbox_here)


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def refuse_public_sandbox(config) -> None:
    """A shop reachable by others in sandbox mode takes no money and shows anyone the sandbox's
    console: only on purpose (SANDBOX_PUBLIC), and then the console needs a password."""
    if config.get("TESTING") or is_loopback(config["SHOP_URL"]):
        return
    if not config["SANDBOX_PUBLIC"]:
        raise ConfigError(
            f"SHOP_URL({config['SHOP_URL']})이 이 컴퓨터 주소가 아닌데 샌드박스 모드입니다. "
            "실제 결제를 받으려면 IMP_CODE, IMP_KEY, IMP_SECRET을 설정하고, 샌드박스를 일부러 "
            "공개하려면 SANDBOX_PUBLIC=1과 SANDBOX_CONSOLE_PASSWORD_HASH를 설정하세요."
        )
    if not config["SANDBOX_CONSOLE_PASSWORD_HASH"]:
        raise ConfigError(
            "SANDBOX_PUBLIC=1이면 샌드박스 콘솔 비밀번호 SANDBOX_CONSOLE_PASSWORD_HASH가 "
            "필요합니다(werkzeug.security.generate_password_hash로 만든 값)."
        )


def database_uri(url: str) -> str:
    """Accept the common `postgres://` spelling and use psycopg 3 for PostgreSQL."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def local_secret_key(instance: Path) -> str:
    """A random key kept in instance/ so sessions survive restarts without a committed secret."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
