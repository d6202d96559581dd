"""Settings, layered in one fixed order: safe defaults → instance/config.py → environment → test mapping."""

import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from limits import parse_many

from shop.core.database import engine_options

LIVE_API_URL = "https://api.iamport.kr"
LIVE_SDK_URL = "https://cdn.iamport.kr/js/iamport.payment-1.2.0.js"

# Environment variables read as plain strings (PortOne REST keys look numeric and must stay strings).
ENV_SETTINGS = (
    "SECRET_KEY",
    "DATABASE_URL",
    "PAYMENT_MODE",
    "SHOP_URL",
    "SHOP_NAME",
    "IMP_CODE",
    "IMP_KEY",
    "IMP_SECRET",
    "PORTONE_PG",
    "PORTONE_API_URL",
    "PORTONE_SDK_URL",
    "SANDBOX_DATABASE",
    "SANDBOX_WEBHOOK_URL",
    "SANDBOX_WEBHOOK_FORMAT",
    "WEBHOOK_ALLOWED_IPS",
    "TRUSTED_PROXY_HOPS",
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USE_TLS",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_SENDER",
    "MAIL_TIMEOUT",
    "NOTICE_SENDER",
    "NOTICE_SEND_INTERVAL",
    "NOTICE_MAX_ATTEMPTS",
    "RATELIMIT_STORAGE_URI",
    "RATELIMIT_ENABLED",
    "RATELIMIT_PAYMENT_CHECKS",
    "RATELIMIT_CHECKOUT",
    "RATELIMIT_CANCEL",
    "RATELIMIT_PORTONE",
    "RATELIMIT_ORDER_STATUS",
    "SANDBOX_PUBLIC",
    "SANDBOX_CONSOLE_PASSWORD_HASH",
    "SANDBOX_ALLOWED_HOSTS",
    "ADMIN_PASSWORD_HASH",
    "LOG_LEVEL",
)
LIVE_REQUIRED = ("IMP_CODE", "IMP_KEY", "IMP_SECRET")
RATE_LIMITS = (
    "RATELIMIT_PAYMENT_CHECKS",
    "RATELIMIT_CHECKOUT",
    "RATELIMIT_CANCEL",
    "RATELIMIT_PORTONE",
    "RATELIMIT_ORDER_STATUS",
)


DEMO_BUSINESS_INFO = {
    "상호": "온담 리빙 (데모 상점)",
    "대표자": "김온담 (예시)",
    "사업자등록번호": "000-00-00000 (예시)",
    "통신판매업 신고번호": "제0000-서울강남-0000호 (예시)",
    "주소": "서울특별시 강남구 테헤란로 000 (예시 주소)",
    "고객센터": "02-000-0000 · help@example.com (예시)",
    "개인정보보호책임자": "이보안 (privacy@example.com, 예시)",
}


class ConfigError(RuntimeError):
    """The settings cannot start the shop; the message says which setting to fix."""


def defaults(instance_path: str) -> dict:
    return {
        "SHOP_NAME": "온담 리빙",
        "SHOP_URL": "http://127.0.0.1:5000",
        "DATABASE_URL": "sqlite:///" + os.path.join(instance_path, "shop.sqlite3"),
        "PAYMENT_MODE": None,  # decided in finish(): sandbox unless PortOne keys are configured
        "IMP_CODE": None,
        "IMP_KEY": None,
        "IMP_SECRET": None,
        "PORTONE_PG": "html5_inicis",
        "PORTONE_PG_BY_METHOD": {},  # e.g. {"card": "nice_v2", "trans": "html5_inicis"}
        # 사업자 정보 shown in every page's footer (전자상거래법 제10조). Demo values: replace
        # them all in instance/config.py before opening the shop.
        "BUSINESS_INFO": DEMO_BUSINESS_INFO,
        "SHIPPING_FEE": 3000,
        "FREE_SHIPPING_FROM": 50000,
        "PAY_METHODS": ("card", "trans", "vbank", "phone", "kakaopay", "paypal"),
        "CONFIRM_PROCESS": None,  # None: on in sandbox mode; in live mode PortOne enables it
        # How long the confirm process holds an order's stock for a payment whose result has
        # not come; then the next sync or reconciliation gives it back (shop.payments.confirm).
        "CONFIRM_HOLD_MINUTES": 15,
        "PORTONE_API_URL": None,
        "PORTONE_SDK_URL": None,
        "PORTONE_TIMEOUT": (3.05, 10),
        # A customer waiting on a verification sees "확인 중" after this, rather than after the
        # full read timeout; the webhook and reconciliation settle the payment later.
        "PORTONE_CUSTOMER_WAIT": 3,
        "SANDBOX_DATABASE": os.path.join(instance_path, "sandbox.sqlite3"),
        "SANDBOX_MERCHANT_CODE": "imp00000000",
        "SANDBOX_IMP_KEY": "sandbox_key",
        "SANDBOX_IMP_SECRET": "sandbox_secret",
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": None,  # None: secure exactly when SHOP_URL is https
        "SESSION_COOKIE_HTTPONLY": True,
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # Webhooks: only these source addresses when set (comma-separated in the environment);
        # never checked in sandbox mode. PortOne's are listed in the README.
        "WEBHOOK_ALLOWED_IPS": None,
        # How many reverse proxies in front of the shop append to X-Forwarded-For (0: none).
        "TRUSTED_PROXY_HOPS": 0,
        "SQLALCHEMY_ENGINE_OPTIONS": None,  # None: chosen for the database (shop.core.database)
        # Notices go out by SMTP (shop.notices.mailer); without MAIL_SERVER, in sandbox mode, to the
        # sandbox's mailbox (/sandbox/mailbox). Numbers and flags may be strings (environment).
        "MAIL_SERVER": None,
        "MAIL_PORT": 25,
        "MAIL_USE_TLS": False,  # STARTTLS
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_SENDER": None,  # None: "<SHOP_NAME> <no-reply@example.com>"
        "MAIL_TIMEOUT": 10,  # seconds
        "NOTICE_SENDER": None,  # "thread" or "off" (cron: flask send-notices); None: off in tests
        "NOTICE_SEND_INTERVAL": 2,  # seconds between the background sender's rounds
        "NOTICE_MAX_ATTEMPTS": 8,  # then the notice stays unsent, with its last error
        "RATELIMIT_STORAGE_URI": "memory://",  # redis://host:6379 shares limits between hosts
        "RATELIMIT_ENABLED": True,
        # Per client address (Flask-Limiter's notation), on what makes the shop call PortOne:
        # the PC callback and the mobile return (each fetches the payment), placing an order
        # (/payments/prepare), cancelling one; PortOne's own calls (webhook, confirm_url) come in
        # bursts and retries, and addresses in WEBHOOK_ALLOWED_IPS are never limited; the order
        # page asks for its status every few seconds.
        "RATELIMIT_PAYMENT_CHECKS": "20 per minute",
        "RATELIMIT_CHECKOUT": "10 per minute",
        "RATELIMIT_CANCEL": "10 per minute",
        "RATELIMIT_PORTONE": "300 per minute",
        "RATELIMIT_ORDER_STATUS": "120 per minute",
        # Sandbox mode on an address other than this computer's is refused unless this is set,
        # with a password for the sandbox's console (a werkzeug password hash).
        "SANDBOX_PUBLIC": False,
        "SANDBOX_CONSOLE_PASSWORD_HASH": None,
        "SANDBOX_ALLOWED_HOSTS": None,  # hosts the sandbox answers besides loopback and SHOP_URL
        "ADMIN_PASSWORD_HASH": None,  # `flask --app shop admin-password` prints one (/admin/)
        "LOG_LEVEL": "INFO",
    }


def load(app: Flask, test_config: dict | None) -> None:
    app.config.from_mapping(defaults(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.update({name: os.environ[name] for name in ENV_SETTINGS if os.environ.get(name)})
    if test_config:
        app.config.from_mapping(test_config)
    finish(app.config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = local_secret_key(Path(app.instance_path))


def finish(config) -> None:
    """Derive mode-dependent settings; refuse settings that cannot work or are unsafe."""
    mode = config["PAYMENT_MODE"] or ("live" if config["IMP_KEY"] else "sandbox")
    if mode not in ("sandbox", "live"):
        raise ConfigError(f"PAYMENT_MODE은 sandbox 또는 live여야 합니다 (현재: {mode!r}).")
    config["PAYMENT_MODE"] = mode
    if config["CONFIRM_PROCESS"] is None:
        config["CONFIRM_PROCESS"] = mode == "sandbox"
    config["SHOP_URL"] = config["SHOP_URL"].rstrip("/")
    if config["SESSION_COOKIE_SECURE"] is None:
        config["SESSION_COOKIE_SECURE"] = config["SHOP_URL"].startswith("https://")
    config["SQLALCHEMY_DATABASE_URI"] = database_uri(config["DATABASE_URL"])
    if config["SQLALCHEMY_ENGINE_OPTIONS"] is None:
        config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(config["SQLALCHEMY_DATABASE_URI"])
    config["TRUSTED_PROXY_HOPS"] = proxy_hops(config["TRUSTED_PROXY_HOPS"])
    config["RATELIMIT_ENABLED"] = switched_on(config["RATELIMIT_ENABLED"])
    check_rate_limits(config)
    config["WEBHOOK_ALLOWED_IPS"] = address_list(config["WEBHOOK_ALLOWED_IPS"], mode)
    if mode == "live":
        missing = [name for name in LIVE_REQUIRED if not config[name]]
        if missing:
            raise ConfigError(
                "live 모드에는 PortOne 설정이 필요합니다. 빠진 설정: " + ", ".join(missing)
            )
        config["PORTONE_API_URL"] = config["PORTONE_API_URL"] or LIVE_API_URL
        config["PORTONE_SDK_URL"] = config["PORTONE_SDK_URL"] or LIVE_SDK_URL
    else:
        refuse_public_sandbox(config)
        config["IMP_CODE"] = config["SANDBOX_MERCHANT_CODE"]
        config["IMP_KEY"] = config["SANDBOX_IMP_KEY"]
        config["IMP_SECRET"] = config["SANDBOX_IMP_SECRET"]
        config["PORTONE_API_URL"] = config["SHOP_URL"] + "/sandbox"
        config["PORTONE_SDK_URL"] = "/sandbox/iamport.payment.js"
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
    config["SANDBOX_PUBLIC"] = switched_on(config["SANDBOX_PUBLIC"])
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


def check_rate_limits(config) -> None:
    for name in RATE_LIMITS:
        try:
            parse_many(config[name])
        except ValueError:
            raise ConfigError(
                f"{name}은 '20 per minute' 같은 형식이어야 합니다 (현재: {config[name]!r})."
            ) from None


def proxy_hops(value) -> int:
    try:
        hops = int(value)
    except (TypeError, ValueError):
        hops = -1
    if hops < 0:
        raise ConfigError(f"TRUSTED_PROXY_HOPS는 0 이상의 정수여야 합니다 (현재: {value!r}).")
    return hops


def switched_on(value) -> bool:
    """Environment switches arrive as text: 0, false, no and off mean off."""
    if isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "no", "off", "")
    return bool(value)


def address_list(value, mode: str) -> tuple[str, ...]:
    """Allowed webhook sources; empty means any. The sandbox posts from this machine."""
    if mode == "sandbox" or not value:
        return ()
    items = value.split(",") if isinstance(value, str) else value
    return tuple(item.strip() for item in items if item.strip())


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
