"""What a preflight check looks at (Run) and answers (Result)."""

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

import requests
from flask import Flask

from shop.payments.gateway import PortOne

HTTP_TIMEOUT = (3.05, 10)


class Verdict(StrEnum):
    PASSED = "✓"
    FAILED = "✗"
    NOT_HERE = "–"  # not configured, or what matters in live mode only


class Result(NamedTuple):
    verdict: Verdict
    detail: str = ""


def passed(detail: str = "") -> Result:
    return Result(Verdict.PASSED, detail)


def failed(detail: str) -> Result:
    return Result(Verdict.FAILED, detail)


@dataclass(frozen=True)
class Run:
    """What the checks look at: the app (inside its context), and how many processes serve."""

    app: Flask
    processes: int

    @property
    def config(self):
        return self.app.config

    @property
    def gateway(self) -> PortOne:
        return self.app.extensions["portone"]

    @property
    def live(self) -> bool:
        return self.config["PAYMENT_MODE"] == "live"

    def get(self, path: str, method: str = "GET") -> requests.Response:
        """A request to SHOP_URL from outside the app, as a browser or PortOne makes it."""
        with requests.Session() as session:
            return session.request(method, self.config["SHOP_URL"] + path, timeout=HTTP_TIMEOUT)
