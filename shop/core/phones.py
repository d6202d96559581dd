"""Phone numbers as they are written in Korea: 010-1234-5678, 02-123-4567, 031-1234-5678.

People type them in many shapes (01012345678, 010 1234 5678, +82 10-1234-5678); the shop keeps
what was typed, shows it in one shape, and compares numbers by their digits. A number that fits
no Korean numbering plan is shown as it was typed.
"""

import re

# What people put between the groups of a number; the admin's search strips them in SQL too.
SEPARATORS = ("-", " ", ".", "(", ")")
COUNTRY_CODE = "+82"
# Tried in order: Seoul's 02, the 050x personal numbers, then the three-digit prefixes (mobile
# 01x, area codes 031-064, 070 and 080), then the eight-digit 15xx-18xx company numbers.
PLANS = tuple(
    re.compile(plan, re.ASCII)
    for plan in (
        r"(02)(\d{3,4})(\d{4})",
        r"(050\d)(\d{3,4})(\d{4})",
        r"(01\d|0[3-9]\d)(\d{3,4})(\d{4})",
        r"(1[5-8]\d\d)(\d{4})",
    )
)


def dialled(typed: str) -> str:
    """The number as dialled within Korea: separators dropped, +82 read as the leading 0."""
    number = typed.strip()
    for mark in SEPARATORS:
        number = number.replace(mark, "")
    if number.startswith(COUNTRY_CODE):
        number = "0" + number.removeprefix(COUNTRY_CODE).removeprefix("0")
    return number


def phone(typed: str) -> str:
    """010-1234-5678 however it was typed; as typed when it is no Korean number."""
    number = dialled(typed)
    for plan in PLANS:
        if groups := plan.fullmatch(number):
            return "-".join(groups.groups())
    return typed
