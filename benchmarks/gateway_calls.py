"""REST calls to PortOne (here: the sandbox) per verification, counted where the sandbox
answers them (benchmarks/counted.py writes one line per call), and the pattern of PortOne's
guide sample and Python client run beside them for comparison."""

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import requests

from benchmarks.customer import Customer

SANDBOX_KEY, SANDBOX_SECRET = "sandbox_key", "sandbox_secret"


@dataclass(frozen=True)
class Calls:
    verifications: int
    calls: Counter  # "METHOD /rule" → how many

    @property
    def per_verification(self) -> float:
        return sum(self.calls.values()) / self.verifications

    def breakdown(self) -> str:
        return ", ".join(
            f"{call} {count / self.verifications:.2f}" for call, count in sorted(self.calls.items())
        )


class GatewayLog:
    def __init__(self, path: Path):
        self.path = path

    def lines(self) -> list[str]:
        return self.path.read_text().splitlines() if self.path.exists() else []

    def count(self, action, times: int) -> Calls:
        """Run `action()` `times` times; the REST calls the sandbox answered meanwhile."""
        before = len(self.lines())
        for _ in range(times):
            action()
        return Calls(times, Counter(self.lines()[before:]))


def measure(url: str, log: GatewayLog, times: int) -> list[tuple[str, Calls]]:
    """Each verification the shop makes, and the guide's, `times` times (payments made in the
    sandbox's window first, uncounted)."""
    customer = Customer(url)
    fresh = [customer.approved_order() for _ in range(times)]
    pending = iter(fresh)
    merchant_uid, imp_uid = fresh[0]
    claim = {"imp_uid": imp_uid, "merchant_uid": merchant_uid, "imp_success": "true"}
    mobile = f"{url}/payments/complete/mobile?{urlencode(claim)}"

    def first_verification() -> None:
        fresh_merchant_uid, fresh_imp_uid = next(pending)
        customer.verify(fresh_imp_uid, fresh_merchant_uid)

    return [
        ("first verification (POST /payments/complete)", log.count(first_verification, times)),
        (
            "repeat, settled order (POST /payments/complete)",
            log.count(lambda: customer.verify(imp_uid, merchant_uid), times),
        ),
        (
            "mobile return, settled order (GET …/mobile)",
            log.count(lambda: requests.get(mobile, timeout=30).raise_for_status(), times),
        ),
        (
            "guide sample / iamport-rest-client: token per call",
            log.count(lambda: token_per_call(url + "/sandbox", imp_uid), times),
        ),
    ]


def token_per_call(api_url: str, imp_uid: str) -> dict:
    """PortOne's server-side guide sample, as its Python client (iamport-rest-client's
    Iamport.find) also does it: a new access token for every call, then the payment."""
    credentials = {"imp_key": SANDBOX_KEY, "imp_secret": SANDBOX_SECRET}
    issued = requests.post(api_url + "/users/getToken", json=credentials, timeout=10)
    token = issued.json()["response"]["access_token"]
    found = requests.get(
        f"{api_url}/payments/{imp_uid}", headers={"Authorization": token}, timeout=10
    )
    payment = found.json()["response"]
    if payment["status"] != "paid":
        raise RuntimeError(f"the guide's pattern fetched {payment}")
    return payment
