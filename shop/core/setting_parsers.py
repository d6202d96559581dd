"""How each setting's value is read, whichever layer set it (defaults, instance/config.py, the
environment, a test mapping): values from the environment arrive as text. A parser takes the
setting's name and value, returns the value the shop uses, or raises ConfigError naming it."""

from collections.abc import Callable
from typing import Any

from limits import parse_many

Parser = Callable[[str, Any], Any]


class ConfigError(RuntimeError):
    """The settings cannot start the shop; the message says which setting to fix."""


def as_given(name: str, value: Any) -> Any:
    """Kept as it is: text stays text (PortOne REST keys look numeric and must stay strings)."""
    return value


def flag(name: str, value: Any) -> bool:
    """Environment switches arrive as text: 0, false, no and off mean off."""
    if isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "no", "off", "")
    return bool(value)


def positive(kind: Callable[[Any], float]) -> Parser:
    """A number above 0, made by `kind` (int or float)."""

    def parse(name: str, value: Any) -> float:
        try:
            number = kind(value)
        except (TypeError, ValueError):
            number = 0
        if number <= 0:
            raise ConfigError(f"{name}는 0보다 큰 숫자여야 합니다 (현재: {value!r}).")
        return number

    return parse


def count(name: str, value: Any) -> int:
    """A whole number, 0 or more."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0:
        raise ConfigError(f"{name}는 0 이상의 정수여야 합니다 (현재: {value!r}).")
    return number


def comma_list(name: str, value: Any) -> tuple[str, ...]:
    """Items separated by commas (or already a sequence); unset or empty: none."""
    if not value:
        return ()
    items = value.split(",") if isinstance(value, str) else value
    return tuple(item.strip() for item in items if item.strip())


def one_of(*choices: str, particle: str) -> Parser:
    """One of `choices`, or unset (then derived); `particle` (은 or 는) follows the name in the
    message."""

    def parse(name: str, value: Any) -> Any:
        if value and value not in choices:
            allowed = " 또는 ".join(choices)
            raise ConfigError(f"{name}{particle} {allowed}여야 합니다 (현재: {value!r}).")
        return value

    return parse


def rate_limit(name: str, value: Any) -> Any:
    """Flask-Limiter's notation, e.g. "20 per minute"."""
    try:
        parse_many(value)
    except ValueError:
        raise ConfigError(
            f"{name}은 '20 per minute' 같은 형식이어야 합니다 (현재: {value!r})."
        ) from None
    return value
