"""Korean time, and a virtual account's deadline: the vbank_due a request names, in one of
PortOne's formats, or else the sandbox's default, the end of the day VBANK_DAYS from now."""

from datetime import datetime, timedelta, timezone

# Korea has kept UTC+9 without daylight saving since 1988, so a fixed offset is exact.
KST = timezone(timedelta(hours=9), "KST")
VBANK_DUE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y%m%d%H%M%S", "%Y-%m-%d", "%Y%m%d")
VBANK_DAYS = 3


def parse_vbank_due(vbank_due: str) -> datetime | None:
    """A deadline in one of PortOne's formats, in Korean time; a bare date means its last second."""
    for layout in VBANK_DUE_FORMATS:
        try:
            due = datetime.strptime(vbank_due, layout).replace(tzinfo=KST)
        except ValueError:
            continue
        return due if "%H" in layout else due.replace(hour=23, minute=59, second=59)
    return None


def vbank_deadline(vbank_due: str | None, now: int) -> int:
    due = parse_vbank_due(vbank_due) if vbank_due else None
    if due is None:
        today = datetime.fromtimestamp(now, KST).replace(hour=23, minute=59, second=59)
        due = today + timedelta(days=VBANK_DAYS)
    return int(due.timestamp())


def kst_text(timestamp: int) -> str:
    """A moment as Korean time reads it: 2024-01-31 23:59:59."""
    return datetime.fromtimestamp(timestamp, KST).strftime("%Y-%m-%d %H:%M:%S")
