"""Points where a crash-safety test kills the shop (tests/test_crash_safety.py).

SHOP_CRASH_AT names one point; a process that reaches it ends there with CRASH_EXIT, as if
the machine had lost power: no cleanup, no rollback, no answer. The variable is read from the
environment once per process, never from the config or a request, so nothing a customer sends
can reach it, and with it unset a point costs one comparison.
"""

import os
from functools import cache

CRASH_EXIT = 86
VARIABLE = "SHOP_CRASH_AT"


@cache
def _armed() -> str | None:
    return os.environ.get(VARIABLE)


def crash_point(name: str) -> None:
    """Die here when SHOP_CRASH_AT is `name`."""
    if _armed() == name:
        os._exit(CRASH_EXIT)
