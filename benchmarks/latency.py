"""What wrk cannot repeat: requests timed one at a time from Python."""

import statistics
import time
from dataclasses import dataclass

import requests

from benchmarks.customer import Customer
from benchmarks.gateway_calls import SANDBOX_KEY, SANDBOX_SECRET


@dataclass(frozen=True)
class Timings:
    milliseconds: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.milliseconds)

    @property
    def p90(self) -> float:
        ordered = sorted(self.milliseconds)
        return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def first_verifications(url: str, count: int) -> Timings:
    """`count` fresh payments: each bought and approved in the sandbox's window (not timed),
    then its first POST /payments/complete (timed)."""
    customer = Customer(url)
    timings = []
    for _ in range(count):
        merchant_uid, imp_uid = customer.approved_order()
        timings.append(customer.verify(imp_uid, merchant_uid))
    return Timings(timings)


def sequential_gets(url: str, count: int, http: requests.Session | None = None) -> Timings:
    """The same loop's yardstick: GET the bare endpoint one request at a time."""
    http, timings = http or requests.Session(), []
    for _ in range(count):
        started = time.perf_counter()
        http.get(url, timeout=30).raise_for_status()
        timings.append((time.perf_counter() - started) * 1000)
    return Timings(timings)


def gateway_round_trips(url: str, imp_uid: str, count: int) -> Timings:
    """What one verification must wait for at least: GET /payments/{imp_uid} from the
    sandbox (mounted in the shop's server) with a token fetched beforehand, over HTTP."""
    http = requests.Session()
    credentials = {"imp_key": SANDBOX_KEY, "imp_secret": SANDBOX_SECRET}
    issued = http.post(url + "/sandbox/users/getToken", json=credentials, timeout=30)
    http.headers["Authorization"] = issued.json()["response"]["access_token"]
    return sequential_gets(f"{url}/sandbox/payments/{imp_uid}", count, http)
