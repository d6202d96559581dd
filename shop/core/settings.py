"""Every setting the shop reads, in one table: its name, its safe default, the environment
variable that may set it (an empty one is unset) and the parser its value goes through."""

import copy
import os
from collections.abc import Mapping, MutableMapping
from typing import Any, NamedTuple

from shop.core.setting_parsers import (
    Parser,
    as_given,
    comma_list,
    count,
    flag,
    one_of,
    positive,
    rate_limit,
)


class InInstance(NamedTuple):
    """A default path inside the app's instance folder, after `prefix`."""

    filename: str
    prefix: str = ""

    def path(self, instance_path: str) -> str:
        return self.prefix + os.path.join(instance_path, self.filename)


UNSET = object()  # no default: the setting is absent unless a layer sets it


class Setting(NamedTuple):
    name: str
    default: Any
    parse: Parser = as_given
    env: str | None = None  # the environment variable that sets it; None: never read from it

    def default_for(self, instance_path: str) -> Any:
        if isinstance(self.default, InInstance):
            return self.default.path(instance_path)
        return copy.deepcopy(self.default)  # no app changes another's mutable default


def from_env(name: str, default: Any, parse: Parser = as_given) -> Setting:
    """A setting the environment variable of the same name may set."""
    return Setting(name, default, parse, env=name)


def instance_only(name: str, default: Any) -> Setting:
    """A setting only instance/config.py (or a test mapping) sets: Python values, kept as given."""
    return Setting(name, default)


DEMO_BUSINESS_INFO = {
    "상호": "온담 리빙 (데모 상점)",
    "대표자": "김온담 (예시)",
    "사업자등록번호": "000-00-00000 (예시)",
    "통신판매업 신고번호": "제0000-서울강남-0000호 (예시)",
    "주소": "서울특별시 강남구 테헤란로 000 (예시 주소)",
    "고객센터": "02-000-0000 · help@example.com (예시)",
    "개인정보보호책임자": "이보안 (privacy@example.com, 예시)",
}

# Where parcels leave from and returns go back to: the sender of an escrow shipment
# registration (KG이니시스 requires each field) and the 반품지 shown to customers.
DEMO_SHIPPING_ORIGIN = {
    "이름": "온담 리빙 물류센터 (예시)",
    "전화": "02-000-0000",
    "주소": "서울특별시 강남구 테헤란로 000 (예시 주소)",
    "우편번호": "06236",
}

SETTINGS = (
    from_env("SECRET_KEY", UNSET),  # unset: instance/secret_key in local development only
    from_env("SHOP_NAME", "온담 리빙"),
    from_env("SHOP_URL", "http://127.0.0.1:5000"),
    from_env("DATABASE_URL", InInstance("shop.sqlite3", prefix="sqlite:///")),
    # None: decided in finish(): sandbox unless PortOne keys are configured
    from_env("PAYMENT_MODE", None, one_of("sandbox", "live", particle="은")),
    from_env("IMP_CODE", None),
    from_env("IMP_KEY", None),
    from_env("IMP_SECRET", None),
    from_env("PORTONE_PG", "html5_inicis"),
    instance_only("PORTONE_PG_BY_METHOD", {}),  # e.g. {"card": "nice_v2", "trans": "html5_inicis"}
    # 사업자 정보 shown in every page's footer (전자상거래법 제10조). Demo values: replace
    # them all in instance/config.py before opening the shop.
    instance_only("BUSINESS_INFO", DEMO_BUSINESS_INFO),
    instance_only("SHIPPING_ORIGIN", DEMO_SHIPPING_ORIGIN),
    instance_only("SHIPPING_FEE", 3000),
    instance_only("FREE_SHIPPING_FROM", 50000),
    # 반품 배송비, each way: a 단순 변심 return pays both ways, the way there being the fee
    # paid, or this when the order was sent free (shop.core.returns.shipping_deduction)
    instance_only("RETURN_SHIPPING_FEE", 3000),
    instance_only("PAY_METHODS", ("card", "trans", "vbank", "phone", "kakaopay", "paypal")),
    # 구매안전서비스 (전자상거래법 제13조 ②10, 제24조): the cash-type methods paid with escrow
    # (request_pay's escrow: true), and the service the footer says the shop joined. Both
    # need the PG's escrow contract in live mode.
    instance_only("ESCROW_METHODS", ("trans", "vbank")),
    instance_only("ESCROW_SERVICE", "KG이니시스 에스크로"),
    # None: on in sandbox mode; in live mode PortOne enables it
    instance_only("CONFIRM_PROCESS", None),
    # How long the confirm process holds an order's stock for a payment whose result has
    # not come; then the next sync or reconciliation gives it back (shop.payments.confirm).
    instance_only("CONFIRM_HOLD_MINUTES", 15),
    from_env("PORTONE_API_URL", None),
    from_env("PORTONE_SDK_URL", None),
    # 우편번호 찾기's script. None: Kakao's 우편번호 서비스 in live mode; sandbox mode always
    # uses the shop's offline stand-in (static/js/postcode-sample.js)
    from_env("POSTCODE_SCRIPT_URL", None),
    instance_only("PORTONE_TIMEOUT", (3.05, 10)),
    # A customer waiting on a verification sees "확인 중" after this, rather than after the
    # full read timeout; the webhook and reconciliation settle the payment later.
    instance_only("PORTONE_CUSTOMER_WAIT", 3),
    # How many of a process's requests a customer or PortOne waits on (verifications,
    # confirm_url, webhooks) may wait on PortOne at once; the next answers "확인 중" (or 503
    # to a webhook) at once. Keep it below GUNICORN_THREADS so that pages stay served while
    # PortOne is slow. 0: no limit.
    from_env("PORTONE_CONCURRENCY", 2, count),
    from_env("SANDBOX_DATABASE", InInstance("sandbox.sqlite3")),
    instance_only("SANDBOX_MERCHANT_CODE", "imp00000000"),
    instance_only("SANDBOX_IMP_KEY", "sandbox_key"),
    instance_only("SANDBOX_IMP_SECRET", "sandbox_secret"),
    # Unset: the sandbox's own defaults (iamport_sandbox.DEFAULTS) apply.
    from_env("SANDBOX_WEBHOOK_URL", UNSET),
    from_env("SANDBOX_WEBHOOK_FORMAT", UNSET),
    # The sandbox account's PG channels (GET /users/pg), comma-separated "provider[.MID]"
    from_env("SANDBOX_PG_CHANNELS", UNSET),
    instance_only("SESSION_COOKIE_SAMESITE", "Lax"),
    instance_only("SESSION_COOKIE_SECURE", None),  # None: secure exactly when SHOP_URL is https
    instance_only("SESSION_COOKIE_HTTPONLY", True),
    instance_only("MAX_CONTENT_LENGTH", 1024 * 1024),
    # Webhooks: only these source addresses when set (comma-separated in the environment);
    # never checked in sandbox mode. PortOne's are listed in the README.
    from_env("WEBHOOK_ALLOWED_IPS", None, comma_list),
    # How many reverse proxies in front of the shop append to X-Forwarded-For (0: none).
    from_env("TRUSTED_PROXY_HOPS", 0, count),
    # None: chosen for the database (shop.core.database)
    instance_only("SQLALCHEMY_ENGINE_OPTIONS", None),
    # Notices go out by SMTP (shop.notices.transports); without MAIL_SERVER, in sandbox mode, to
    # the sandbox's mailbox (/sandbox/mailbox).
    from_env("MAIL_SERVER", None),
    from_env("MAIL_PORT", 25, positive(int)),
    from_env("MAIL_USE_TLS", False, flag),  # STARTTLS
    from_env("MAIL_USERNAME", None),
    from_env("MAIL_PASSWORD", None),
    from_env("MAIL_SENDER", None),  # None: "<SHOP_NAME> <no-reply@example.com>"
    from_env("MAIL_TIMEOUT", 10, positive(float)),  # seconds
    # "thread" or "off" (cron: flask send-notices); None: off in tests
    from_env("NOTICE_SENDER", None, one_of("thread", "off", particle="는")),
    # seconds between the background sender's rounds
    from_env("NOTICE_SEND_INTERVAL", 2, positive(float)),
    # then the notice stays unsent, with its last error
    from_env("NOTICE_MAX_ATTEMPTS", 8, positive(int)),
    from_env("RATELIMIT_STORAGE_URI", "memory://"),  # redis://host:6379 shares limits between hosts
    from_env("RATELIMIT_ENABLED", True, flag),
    # Per client address (Flask-Limiter's notation), on what makes the shop call PortOne:
    # the PC callback and the mobile return (each fetches the payment), placing an order
    # (/payments/prepare), cancelling one; PortOne's own calls (webhook, confirm_url) come in
    # bursts and retries, and addresses in WEBHOOK_ALLOWED_IPS are never limited; the order
    # page asks for its status every few seconds.
    from_env("RATELIMIT_PAYMENT_CHECKS", "20 per minute", rate_limit),
    from_env("RATELIMIT_CHECKOUT", "10 per minute", rate_limit),
    from_env("RATELIMIT_CANCEL", "10 per minute", rate_limit),
    from_env("RATELIMIT_PORTONE", "300 per minute", rate_limit),
    from_env("RATELIMIT_ORDER_STATUS", "120 per minute", rate_limit),
    # Browsers' reports of what the CSP blocked (shop.web.csp_reports): a page may send a few.
    from_env("RATELIMIT_CSP_REPORTS", "30 per minute", rate_limit),
    # While trying a new PG: its window is not blocked by the CSP's payment hosts (frames and
    # form posts to any https host), and what the strict list would block is reported instead.
    from_env("CSP_PAYMENT_REPORT_ONLY", False, flag),
    # Sandbox mode on an address other than this computer's is refused unless this is set,
    # with a password for the sandbox's console (a werkzeug password hash).
    from_env("SANDBOX_PUBLIC", False, flag),
    from_env("SANDBOX_CONSOLE_PASSWORD_HASH", None),
    # hosts the sandbox answers besides loopback and SHOP_URL (comma-separated, read by it)
    from_env("SANDBOX_ALLOWED_HOSTS", None),
    from_env("ADMIN_PASSWORD_HASH", None),  # `flask --app shop admin-password` prints one (/admin/)
    from_env("LOG_LEVEL", "INFO"),
)

# The variables the shop reads: what tests and benchmarks keep from the servers they start.
ENV_SETTINGS = tuple(setting.env for setting in SETTINGS if setting.env)
RATE_LIMITS = tuple(setting.name for setting in SETTINGS if setting.parse is rate_limit)


def defaults(instance_path: str) -> dict:
    """The first layer: every setting that has a default."""
    return {
        setting.name: setting.default_for(instance_path)
        for setting in SETTINGS
        if setting.default is not UNSET
    }


def from_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The settings the environment sets, as text; an empty variable sets nothing."""
    return {
        setting.name: environ[setting.env]
        for setting in SETTINGS
        if setting.env and environ.get(setting.env)
    }


def parse_all(config: MutableMapping[str, Any]) -> None:
    """Every setting through its parser; the first that cannot be read stops the shop."""
    for setting in SETTINGS:
        if setting.name in config:
            config[setting.name] = setting.parse(setting.name, config[setting.name])
