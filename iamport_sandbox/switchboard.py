"""Faults a tester switches on: slow or failing REST answers, odd webhooks, odd payment windows.

The switches live in the sandbox's SQLite file, so every worker of a gunicorn deployment obeys
the same board, and they survive restarts. A switch that is off has no row. The `next ...`
switches fire once (or N times) and then turn themselves off.
"""

import time
from dataclasses import dataclass

from flask import Response, request

from . import current, rest
from .store import SandboxStore

# What a switch holds: a flag, a number, or a choice (None: not chosen).
Value = bool | int | str | None


@dataclass(frozen=True)
class Switch:
    group: str
    label: str
    description: str
    default: Value
    maximum: int = 0  # numbers only
    choices: tuple[str, ...] = ()  # choices only; a default of None means "the app's config"

    def check(self, value: object) -> Value:
        """The value if this switch can take it; ValueError (in Korean) otherwise."""
        if self.choices:
            if value is None or value in self.choices:
                return value
            raise ValueError(f"{', '.join(self.choices)} 중 하나를 고르세요.")
        if isinstance(self.default, bool):
            if isinstance(value, bool):
                return value
            raise ValueError("켜기 또는 끄기만 할 수 있습니다.")
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("정수를 입력하세요.")
        if not 0 <= value <= self.maximum:
            raise ValueError(f"0에서 {self.maximum:,} 사이의 정수를 입력하세요.")
        return value

    def parse(self, raw: str | None) -> Value:
        """The value a dashboard form field stands for (a checkbox is absent when unticked)."""
        raw = (raw or "").strip()
        if self.choices:
            return self.check(raw or None)
        if isinstance(self.default, bool):
            return raw in ("on", "1", "true")
        try:
            number = int(raw.replace(",", "")) if raw else 0
        except ValueError:
            raise ValueError("정수를 입력하세요.") from None
        return self.check(number)

    @property
    def kind(self) -> str:
        if self.choices:
            return "choice"
        return "bool" if isinstance(self.default, bool) else "number"


GROUPS = {"api": "REST API", "webhook": "웹훅", "window": "결제창"}

SWITCHES = {
    "api_latency_ms": Switch(
        "api", "응답 지연 (ms)", "모든 REST 응답을 이만큼 늦게 보냅니다.", 0, maximum=30_000
    ),
    "api_fail_next": Switch(
        "api",
        "다음 N번 서버 오류",
        "다음 N번의 REST 응답(getToken 포함)을 아래 종류의 서버 오류로 보냅니다.",
        0,
        maximum=1_000,
    ),
    "api_fail_status": Switch(
        "api",
        "서버 오류 종류",
        "500은 PortOne 형식의 JSON 본문으로, 503은 앞단 로드밸런서가 보내는 HTML 본문으로 답합니다.",
        "500",
        choices=("500", "503"),
    ),
    "api_hang_seconds": Switch(
        "api",
        "응답 멈춤 (초)",
        "REST 응답을 이만큼 붙잡아 둡니다. 가맹점 클라이언트의 읽기 타임아웃을 넘겨 보세요.",
        0,
        maximum=120,
    ),
    "api_unauthorized_once": Switch(
        "api",
        "토큰 폐기 (1회)",
        "유효한 토큰으로 온 다음 REST 호출에 401을 답하고 그 토큰을 폐기합니다. getToken에는 적용되지 않습니다.",
        False,
    ),
    "webhook_format": Switch(
        "webhook",
        "웹훅 Content-Type",
        "json이면 application/json, form이면 application/x-www-form-urlencoded 본문을 보냅니다.",
        None,
        choices=("json", "form"),
    ),
    "webhook_delay_seconds": Switch(
        "webhook", "발송 지연 (초)", "웹훅을 이만큼 늦게 보냅니다.", 0, maximum=600
    ),
    "webhook_drop": Switch(
        "webhook",
        "웹훅 유실",
        "웹훅을 보내지 않고 로그에 '유실'로만 남깁니다. 웹훅 없이도 결제가 맞춰지는지 확인하세요.",
        False,
    ),
    "webhook_duplicate": Switch(
        "webhook",
        "중복 발송",
        "같은 웹훅을 두 번씩 보냅니다. 가맹점은 같은 알림을 여러 번 받아도 문제가 없어야 합니다.",
        False,
    ),
    "webhook_first": Switch(
        "webhook",
        "웹훅 우선",
        "결제창 결과를 브라우저에 돌려주기 전에 웹훅부터 보내고 응답을 기다립니다. "
        "동기 워커 하나로 돌리는 gunicorn에서는 그 워커가 결제창 요청을 처리하는 동안 웹훅에 답할 수 없으니, "
        "스레드 워커나 워커 2개 이상에서 켜세요.",
        False,
    ),
    "webhook_retries": Switch(
        "webhook",
        "재발송 횟수",
        "네트워크 오류나 5xx 응답이면 이 횟수까지 다시 보냅니다(PortOne은 요청 시 최대 5회, 1분 간격).",
        0,
        maximum=5,
    ),
    "window_fails_to_open": Switch(
        "window",
        "다음 결제창 PG 오류",
        "다음 결제창이 열리지 않고 PG 설정 오류(MID)로 실패합니다. 결제건은 결제실패로 남고 웹훅은 없습니다.",
        False,
    ),
    "window_reported_amount": Switch(
        "window",
        "다음 승인 금액 변조 (원)",
        "다음 승인 결제를 요청 금액 대신 이 금액으로 기록합니다. 브라우저에서 금액을 바꾼 위변조 결제를 흉내 냅니다.",
        0,
        maximum=1_000_000_000,
    ),
    "window_late_approval_seconds": Switch(
        "window",
        "다음 승인 지연 (초)",
        "다음 승인 결제를 먼저 결제실패로 알리고, 이만큼 지난 뒤 결제완료로 바꾸며 paid 웹훅을 보냅니다(PortOne이 PaymentWall에 대해 안내하는 동작).",
        0,
        maximum=3_600,
    ),
}

COUNTERS = frozenset({"api_fail_next"})

# What PortOne's own 500s say is not documented; this text is the sandbox's.
SERVER_ERROR = "일시적인 서버 오류가 발생했습니다. 잠시 후 다시 시도해주세요."
# What a load balancer in front of an API typically answers while the service is down.
SERVICE_UNAVAILABLE = (
    "<html><head><title>503 Service Temporarily Unavailable</title></head>"
    "<body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>"
)


def get(store: SandboxStore, name: str) -> Value:
    return stored_value(store.switches().get(name, SWITCHES[name].default))


def board(store: SandboxStore) -> dict[str, Value]:
    """Every switch with its value, defaults included."""
    stored = store.switches()
    return {
        name: stored_value(stored.get(name, switch.default)) for name, switch in SWITCHES.items()
    }


def stored_value(value: object) -> Value:
    """A value read back from the store's JSON, which holds only what set() let through."""
    if value is None or isinstance(value, bool | int | str):
        return value
    raise TypeError(f"a switch cannot hold {value!r}")


def number(value: Value) -> int:
    """A number switch's value (asking for a number of any other switch is a mistake)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"not a number switch's value: {value!r}")
    return value


def choice(value: Value) -> str | None:
    """A choice switch's value: one of its choices, or None."""
    if value is not None and not isinstance(value, str):
        raise TypeError(f"not a choice switch's value: {value!r}")
    return value


def set(store: SandboxStore, name: str, value: object) -> None:
    """Set one switch; KeyError for an unknown name, ValueError for a value it cannot take."""
    switch = SWITCHES[name]
    value = switch.check(value)
    store.change_switch(name, lambda _: None if value == switch.default else value)


def clear(store: SandboxStore) -> None:
    store.clear_switches()


def take(store: SandboxStore, name: str) -> Value:
    """Use a one-shot switch: a counter goes down by one, any other switch turns off.

    Returns the value it had, so `if take(...)` fires exactly once per use, even when several
    workers race for it.
    """

    def used(value):
        if value is None or name not in COUNTERS or value <= 1:
            return None
        return value - 1

    before = store.change_switch(name, used)
    return SWITCHES[name].default if before is None else stored_value(before)


def disturb_api() -> Response | None:
    """Slow, fail or refuse REST answers as the board says (a before_request of the app).
    A preflight OPTIONS is no REST call: it is left alone and uses up no one-shot switch."""
    if request.blueprint != "api" or request.method == "OPTIONS":
        return None
    store = current.store()
    switches = board(store)
    time.sleep(number(switches["api_latency_ms"]) / 1000 + number(switches["api_hang_seconds"]))
    if switches["api_fail_next"] and take(store, "api_fail_next"):
        return server_error(choice(switches["api_fail_status"]))
    if switches["api_unauthorized_once"] and request.endpoint != "api.get_token":
        token = rest.presented_token()
        if token and store.token_is_valid(token) and take(store, "api_unauthorized_once"):
            store.revoke_token(token)
            return rest.failure("Unauthorized", 401)
    return None


def server_error(status: str | None) -> Response:
    if status == "503":
        return Response(SERVICE_UNAVAILABLE, 503, content_type="text/html")
    return rest.failure(SERVER_ERROR, 500)
