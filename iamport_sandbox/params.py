"""What a REST request names besides its path: sorting and paging in the query, numbers and text
in a JSON or form body. An unusable value ends the request with PortOne's envelope (400), or,
for a body's number, with CancelRefused, as the cancel and virtual-account routes answer it."""

import math
from collections.abc import Mapping

from flask import abort, request

from .money import MAX_NUMBER
from .rest import failure
from .store import CancelRefused
from .store.lookups import SORTINGS

MAX_LIMIT = 1000
DEFAULT_LIMIT = 20
# PortOne's texts for these refusals are not documented; these are the sandbox's own.
UNSUPPORTED_SORTING = "지원되지 않는 정렬기준입니다."
NOT_AN_INTEGER = "{name} 파라메터는 0 이상의 정수여야 합니다."
INVALID_LIMIT = "limit 파라메터는 1 이상 1000 이하여야 합니다."
NOT_A_NUMBER = "{name} 파라메터는 숫자여야 합니다."
MISSING_FIELD = "{name} 파라메터가 누락되었습니다."


def requested_sorting() -> str:
    sorting = request.args.get("sorting", "-started")
    if sorting not in SORTINGS:
        abort(failure(UNSUPPORTED_SORTING, 400))
    return sorting


def query_integer(name: str, default: int) -> int:
    raw = request.args.get(name, "")
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 12):
        abort(failure(NOT_AN_INTEGER.format(name=name), 400))
    return int(raw)


def requested_page() -> tuple[int, int]:
    page, limit = query_integer("page", 1), query_integer("limit", DEFAULT_LIMIT)
    if page < 1:
        abort(failure(NOT_AN_INTEGER.format(name="page"), 400))
    if not 1 <= limit <= MAX_LIMIT:
        abort(failure(INVALID_LIMIT, 400))
    return page, limit


def text_field(fields: Mapping[str, object], name: str) -> str | None:
    value = fields.get(name)
    return None if value is None or value == "" else str(value)


def number_field(fields: Mapping[str, object], name: str) -> int | float | None:
    """A number from a JSON or form body; None when absent; refused when not a number."""
    value = fields.get(name)
    if value is None or value == "":
        return None
    number = as_number(value)
    if number is None:
        raise CancelRefused(1, NOT_A_NUMBER.format(name=name))
    return int(number) if float(number).is_integer() else number


def as_number(value: object) -> int | float | None:
    """A finite number up to MAX_NUMBER either way, from JSON or from text; None for any other."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value if math.isfinite(value) and abs(value) <= MAX_NUMBER else None


def is_true(value: object) -> bool:
    return value is True or str(value).lower() in ("true", "1")
