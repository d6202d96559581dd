"""Template filters: how money, times, particles, account numbers and 할부 read on Korean pages."""

import re
from datetime import date, datetime

from flask import Flask

from shop.core.cash_receipts import masked
from shop.core.models import SEOUL, as_utc
from shop.core.phones import phone


def won(amount: int) -> str:
    return f"{amount:,}원"


def seoul_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return as_utc(moment).astimezone(SEOUL).strftime("%Y-%m-%d %H:%M")


WEEKDAYS = "월화수목금토일"


def korean_date(day: date | None) -> str:
    """2026년 12월 14일 (월)"""
    if day is None:
        return ""
    return f"{day.year}년 {day.month}월 {day.day}일 ({WEEKDAYS[day.weekday()]})"


# 조사 (particles) whose form depends on the sound a word ends with: (after a final consonant,
# after a vowel). 으로/로 also takes 로 after ㄹ.
PARTICLES = {
    "을/를": ("을", "를"),
    "이/가": ("이", "가"),
    "은/는": ("은", "는"),
    "과/와": ("과", "와"),
    "으로/로": ("으로", "로"),
}
FINAL_CONSONANTS = (
    "", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ",
    "ㄿ", "ㅀ", "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ",
)  # fmt: skip
FIRST_SYLLABLE, LAST_SYLLABLE = "가", "힣"
# 영 일 이 삼 사 오 육 칠 팔 구
DIGIT_FINALS = ("ㅇ", "ㄹ", "", "ㅁ", "", "", "ㄱ", "ㄹ", "ㄹ", "")
# A number ending in zeros is read ending in its unit: 십, 백, 천, then 만, 억 and 조 every four.
ZEROS_FINALS = {1: "ㅂ", 2: "ㄱ", 3: "ㄴ"} | dict.fromkeys(range(4, 8), "ㄴ")
ZEROS_FINALS |= dict.fromkeys(range(8, 12), "ㄱ") | dict.fromkeys(range(12, 16), "")
# Units read after a number: 센티미터, 밀리미터, 미터, 킬로미터, 밀리리터, 리터, 그램, 킬로그램.
UNIT_FINALS = {"cm": "", "mm": "", "m": "", "km": "", "ml": "", "l": "", "g": "ㅁ", "kg": "ㅁ"}
# Capital letters read one by one (LED, TV, HTML): 엘, 엠, 엔 and 알 end in a consonant.
LETTER_FINALS = {"L": "ㄹ", "M": "ㅁ", "N": "ㄴ", "R": "ㄹ"}
VOWELS = "aeiouy"
ENDING = re.compile(r"(\d[\d,]*)?([A-Za-z]*)$")


def josa(word: str, pair: str) -> str:
    """The word with the particle that fits how it is read: 쿠션을, 스탠드를, 머그로, 테이블로.
    When the ending cannot be read (a symbol, a foreign script) both forms are shown: 을(를)."""
    after_consonant, after_vowel = PARTICLES[pair]
    final = final_consonant(word)
    if final is None:
        return f"{word}{after_consonant}({after_vowel})"
    if final == "" or (final == "ㄹ" and after_vowel == "로"):
        return word + after_vowel
    return word + after_consonant


def final_consonant(word: str) -> str | None:
    """The 받침 the word is read ending with: "" for none, None when it cannot be told."""
    spoken = re.sub(r"\s*\([^()]*\)$", "", word.strip())  # 커버(45cm) reads as 커버
    if not spoken:
        return None
    if FIRST_SYLLABLE <= spoken[-1] <= LAST_SYLLABLE:
        return FINAL_CONSONANTS[(ord(spoken[-1]) - ord(FIRST_SYLLABLE)) % 28]
    ending = ENDING.search(spoken)  # matches every word, if only with an empty ending
    if ending is None:
        return None
    number, letters = ending.groups()
    if number and letters.lower() in UNIT_FINALS:
        return UNIT_FINALS[letters.lower()]
    if letters:
        return latin_final(letters)
    return number_final(number) if number else None


def number_final(number: str) -> str | None:
    digits = number.replace(",", "")
    zeros = len(digits) - len(digits.rstrip("0"))
    if zeros == len(digits):
        return DIGIT_FINALS[0]
    if zeros == 0:
        return DIGIT_FINALS[int(digits[-1])]
    return ZEROS_FINALS.get(zeros)


def latin_final(letters: str) -> str:
    if letters.isupper():
        return LETTER_FINALS.get(letters[-1], "")
    return english_final(letters.lower())


def english_final(word: str) -> str:
    """A rough reading of an English word's ending, as loanwords are written in Hangul."""
    silent_e = len(word) > 2 and word[-1] == "e" and word[-2] not in VOWELS
    stem = word[:-1] if silent_e else word  # phone → 폰, game → 게임, table → 테이블
    if stem.endswith("ng"):
        return "ㅇ"  # 링
    if stem[-1] in "lmn":
        return {"l": "ㄹ", "m": "ㅁ", "n": "ㄴ"}[stem[-1]]
    if not silent_e and short_stop(stem):
        return {"k": "ㄱ", "p": "ㅂ", "t": "ㅅ"}[stem[-1]]  # 북, 캡, 캣
    return ""  # 머그, 데스크, 컴퓨터


def short_stop(word: str) -> bool:
    """k, p or t after one short vowel (cat, top, black) is a 받침; after more, it is 크, 트, 프."""
    if word.endswith("ck"):
        return True
    return len(word) > 2 and word[-1] in "kpt" and word[-2] in VOWELS and word[-3] not in VOWELS


def installments(months: int) -> str:
    """A card payment's card_quota as the card slip says it: 0 is 일시불."""
    return f"{months}개월 할부" if months > 0 else "일시불"


def account_digits(number: str) -> str:
    """What a banking app takes when pasted: the digits without separators."""
    return re.sub(r"[\s-]", "", number)


def account_groups(number: str) -> str:
    """Bare digits in groups of four, then three, to read aloud: 5621-2345-678-901 (no bank's
    own layout is assumed). A number the PG sent with separators already is shown as sent."""
    groups = -(-len(number) // 4)  # as few as groups of at most four allow
    fours = len(number) - 3 * groups
    if not re.fullmatch(r"[0-9]+", number) or fours < 0:
        return number
    cut = 4 * fours
    return "-".join([*chunks(number[:cut], 4), *chunks(number[cut:], 3)])


def chunks(text: str, size: int) -> list[str]:
    return [text[start : start + size] for start in range(0, len(text), size)]


def register_filters(app: Flask) -> None:
    for template_filter in (
        won,
        seoul_time,
        korean_date,
        josa,
        installments,
        account_digits,
        account_groups,
        phone,
    ):
        app.add_template_filter(template_filter)
    app.add_template_filter(masked, "masked_receipt_number")
