"""The checks PortOne answers: the keys, the merchant code, the account's PG channels."""

import re

from shop.payments.gateway import GatewayError
from shop.payments.methods import offered, pg_for
from shop.preflight.results import Result, Run, failed, passed

IMP_CODE_SHAPE = re.compile(r"imp\d{8}")  # 가맹점 식별코드: imp and 8 digits


def token(run: Run) -> Result:
    try:
        run.gateway.check()
    except GatewayError as error:
        return failed(
            f"PortOne이 토큰을 주지 않습니다({error.message}). PortOne 콘솔의 REST API 키와 "
            "시크릿을 IMP_KEY, IMP_SECRET에 그대로 넣으세요."
        )
    return passed()


def imp_code(run: Run) -> Result:
    code = run.config["IMP_CODE"] or ""
    if IMP_CODE_SHAPE.fullmatch(code):
        return passed(code)
    return failed(
        f"IMP_CODE({code or '없음'})가 가맹점 식별코드 모양(imp와 숫자 8자리, 예: imp12345678)이 "
        "아닙니다. PortOne 콘솔에 나온 고객사 식별코드를 넣으세요."
    )


def pg_codes(run: Run) -> list[str]:
    """Every `pg` the shop sends, as "provider" or "provider.MID" (shop.payments.methods)."""
    return sorted({pg_for(key, run.config) for key in offered(run.config)})


def channel_of(pg: str, channels: list[dict]) -> dict | None:
    provider, _, mid = pg.partition(".")
    for channel in channels:
        if channel["pg_provider"] == provider and mid in ("", channel["pg_id"]):
            return channel
    return None


def channels_or_failure(run: Run) -> list[dict] | Result:
    try:
        return run.gateway.pg_channels()
    except GatewayError as error:
        return failed(
            f"PortOne에서 PG 채널 목록(GET /users/pg)을 받지 못했습니다({error.message})."
        )


def pg_channels(run: Run) -> Result:
    channels = channels_or_failure(run)
    if isinstance(channels, Result):
        return channels
    unknown = [pg for pg in pg_codes(run) if channel_of(pg, channels) is None]
    if unknown:
        return failed(
            f"PortOne 계정에 없는 PG입니다: {', '.join(unknown)}. PortOne 콘솔에 채널을 추가하거나 "
            "PORTONE_PG, PORTONE_PG_BY_METHOD를 계정의 PG 코드로 고치세요."
        )
    return passed(", ".join(pg_codes(run)))


def pg_test_mode_off(run: Run) -> Result:
    channels = channels_or_failure(run)
    if isinstance(channels, Result):
        return channels
    testing = [pg for pg in pg_codes(run) if (channel_of(pg, channels) or {}).get("sandbox")]
    if testing:
        return failed(f"테스트모드인 PG 채널입니다: {', '.join(testing)}. PortOne 콘솔에서 끄세요.")
    return passed()
