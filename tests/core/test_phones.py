"""Phone numbers are shown in one shape however they were typed, and compared by their digits."""

import pytest

from shop.core.phones import dialled, phone


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("01012345678", "010-1234-5678"),
        ("010-1234-5678", "010-1234-5678"),
        ("010 1234 5678", "010-1234-5678"),
        ("010.1234.5678", "010-1234-5678"),
        ("+82 10-1234-5678", "010-1234-5678"),
        ("+82-010-1234-5678", "010-1234-5678"),
        ("0111234567", "011-123-4567"),
        ("021234567", "02-123-4567"),
        ("0212345678", "02-1234-5678"),
        ("(02) 1234-5678", "02-1234-5678"),
        ("0311234567", "031-123-4567"),
        ("03112345678", "031-1234-5678"),
        ("064-123-4567", "064-123-4567"),
        ("07012345678", "070-1234-5678"),
        ("05051234567", "0505-123-4567"),
        ("15881234", "1588-1234"),
    ],
)
def test_a_korean_number_is_shown_with_hyphens(typed, shown):
    assert phone(typed) == shown


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "12345",
        "010-12",
        "0101234567890",
        "02-12-345",
        "전화 없음",
        "０１０１２３４５６７８",
        "+1 415 555 0100",
    ],
)
def test_anything_else_is_shown_as_typed(typed):
    assert phone(typed) == typed


def test_both_forms_dial_the_same_digits():
    assert dialled("010-4242-4242") == dialled("01042424242") == dialled("+82 10 4242 4242")
    assert dialled("010-4242-4242") == "01042424242"
