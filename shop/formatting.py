"""Template filters: how money and times read on Korean pages."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask

from shop.models import as_utc

SEOUL = ZoneInfo("Asia/Seoul")


def won(amount: int) -> str:
    return f"{amount:,}원"


def seoul_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return as_utc(moment).astimezone(SEOUL).strftime("%Y-%m-%d %H:%M")


def register_filters(app: Flask) -> None:
    app.add_template_filter(won)
    app.add_template_filter(seoul_time)
