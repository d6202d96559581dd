"""PortOne V1's lookups of what an account and the payment networks are: the PG channels of the
account (GET /users/pg, getPgSettingList), the bank codes (GET /banks, /banks/{code}) and the
card codes (GET /cards, /cards/{code}). The routes join api.py's blueprint (token check,
envelopes, switchboard).

The spec declares 200 for all and 404 for an unknown code ("코드에 해당되는 은행정보를 찾을 수
없음"); its texts for the 404 are not documented, these are the sandbox's own.

The channels are SANDBOX_PG_CHANNELS ("provider" or "provider.MID", comma-separated or a
sequence): by default the PGs whose behaviour the sandbox plays (escrow, receipts,
installments) and the easy-pay and overseas PGs the shop offers. Each is a `payment` channel
(the console's 일반결제 tab) in test mode (sandbox: true); a bare provider gets a MID of the
sandbox's own. The window takes any `pg` still, as PortOne falls back to the default channel.
"""

from collections.abc import Iterable

from flask import current_app
from flask.typing import ResponseReturnValue

from . import banks
from .api import bp
from .cards import CARDS
from .rest import envelope, failure

DEFAULT_CHANNELS = (
    "html5_inicis",
    "kcp",
    "nice_v2",
    "smartro_v2",
    "daou",
    "ksnet",
    "welcome",
    "kakaopay",
    "paypal",
)
UNKNOWN_BANK = "코드에 해당되는 은행정보를 찾을 수 없습니다."
UNKNOWN_CARD = "코드에 해당되는 카드사정보를 찾을 수 없습니다."


@bp.get("/users/pg")
def pg_settings() -> ResponseReturnValue:
    return envelope([channel(pg) for pg in configured_channels()])


@bp.get("/banks")
def all_banks() -> ResponseReturnValue:
    return envelope(listed(banks.BANKS.items()))


@bp.get("/banks/<code>")
def one_bank(code: str) -> ResponseReturnValue:
    known = banks.bank_code(code)
    if known is None:
        return failure(UNKNOWN_BANK, 404)
    return envelope(listed([(known, banks.bank_name(known))])[0])


@bp.get("/cards")
def all_cards() -> ResponseReturnValue:
    return envelope(listed(CARDS.items()))


@bp.get("/cards/<code>")
def one_card(code: str) -> ResponseReturnValue:
    if code not in CARDS:
        return failure(UNKNOWN_CARD, 404)
    return envelope(listed([(code, CARDS[code])])[0])


def listed(codes: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    """StandardCodeAnnotation: code and name."""
    return [{"code": code, "name": name} for code, name in codes]


def configured_channels() -> list[str]:
    configured = current_app.config["SANDBOX_PG_CHANNELS"]
    if isinstance(configured, str):
        configured = configured.split(",")
    return [pg.strip() for pg in configured if pg.strip()]


def channel(pg: str) -> dict:
    """PgSettingAnnotation of one channel."""
    provider, _, pg_id = pg.partition(".")
    return {
        "pg_provider": provider,
        "pg_id": pg_id or f"sandbox_{provider}",
        "sandbox": True,
        "type": "payment",
        "channel_name": f"{provider} (샌드박스)",
        "channel_key": f"channel-key-sandbox-{provider}-{pg_id or 'default'}",
    }
