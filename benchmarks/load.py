"""Load from a separate process: wrk, a few rounds, the median of each figure."""

import os
import re
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

import requests

from benchmarks.settings import Settings

POST_SCRIPT = Path(__file__).with_name("post_json.lua")
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
# A request still unanswered after this counts as an error. Generous: with 16 connections on
# 2 sync workers, a page taking 2 s waits ~16 s in the queue, and that is what we measure.
TIMEOUT = "60s"


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    requests: int
    bad_answers: int  # non-2xx/3xx answers and timeouts, over all rounds


def hammer(
    url: str,
    settings: Settings,
    headers: dict[str, str] | None = None,
    json_body: str | None = None,
) -> Load:
    """wrk against one URL (a GET, or a POST of `json_body`), `settings.rounds` times, once
    one request shows it answers 200 (wrk would count a redirect or an error as served)."""
    preflight(url, headers, json_body)
    command = [
        "wrk",
        f"-t{settings.threads}",
        f"-c{settings.connections}",
        f"-d{settings.seconds}s",
        "--latency",
        "--timeout",
        TIMEOUT,
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    environment = dict(os.environ)
    if json_body is not None:
        command += ["-s", str(POST_SCRIPT)]
        environment["BENCH_BODY"] = json_body
    rounds = [parse(run([*command, url], environment)) for _ in range(settings.rounds)]
    return Load(
        requests_per_second=statistics.median(r.requests_per_second for r in rounds),
        p50_ms=statistics.median(r.p50_ms for r in rounds),
        p90_ms=statistics.median(r.p90_ms for r in rounds),
        p99_ms=statistics.median(r.p99_ms for r in rounds),
        requests=sum(r.requests for r in rounds),
        bad_answers=sum(r.bad_answers for r in rounds),
    )


def preflight(url: str, headers: dict[str, str] | None, json_body: str | None) -> None:
    headers = dict(headers or {})
    if json_body is not None:
        headers["Content-Type"] = "application/json"
    method = "GET" if json_body is None else "POST"
    answer = requests.request(
        method, url, headers=headers, data=json_body, allow_redirects=False, timeout=30
    )
    if answer.status_code != 200:
        raise RuntimeError(f"{method} {url} answered {answer.status_code}: {answer.text[:300]}")


def run(command: list[str], environment: dict[str, str]) -> str:
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=True)
    return done.stdout


def parse(output: str) -> Load:
    def find(pattern: str) -> re.Match:
        match = re.search(pattern, output)
        if match is None:
            raise ValueError(f"wrk said something unexpected:\n{output}")
        return match

    def latency(percent: str) -> float:
        value, unit = find(rf"\s{percent}%\s+([\d.]+)(us|ms|s)\b").groups()
        return float(value) * UNITS[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    timeouts = re.search(r"Socket errors: .*timeout (\d+)", output)
    return Load(
        requests_per_second=float(find(r"Requests/sec:\s+([\d.]+)").group(1)),
        p50_ms=latency("50"),
        p90_ms=latency("90"),
        p99_ms=latency("99"),
        requests=int(find(r"(\d+) requests in").group(1)),
        bad_answers=sum(int(m.group(1)) for m in (non_2xx, timeouts) if m),
    )
