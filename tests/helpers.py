"""Small helpers shared by test modules: a free local port, a page's text, PortOne's refusal
envelope, and waiting for a server started in a subprocess to answer."""

import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

HOST = "127.0.0.1"
START_SECONDS = 30  # how long a server started in a subprocess may take to answer
REQUEST_SECONDS = 2  # how long one readiness request may take before it counts as "not yet"
POLL_SECONDS = 0.1  # between readiness requests
LOG_TAIL_LINES = 60


def free_port() -> int:
    """A port nothing listens on right now: for a server started in a subprocess, or for a URL
    whose connections are refused at once."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def page_of(response, status: int | None = None) -> str:
    """The response's body as text; with `status`, first check the response has it."""
    if status is not None:
        assert response.status_code == status, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def assert_portone_refusal(
    response,
    *,
    status: int = 200,
    code: int = 1,
    message: str | None = None,
    message_part: str | None = None,
) -> None:
    """The response is PortOne's refusal: HTTP `status` (PortOne answers many refusals with 200),
    a JSON body whose `code` is `code` and whose `response` is null, and whose `message` is
    exactly `message` and/or contains `message_part` (each checked when given)."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.json
    assert body["code"] == code, body
    assert body["response"] is None, body
    if message is not None:
        assert body["message"] == message
    if message_part is not None:
        assert message_part in body["message"], body["message"]


def log_tail(log: Path, lines: int = LOG_TAIL_LINES) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def wait_until_up(
    url: str, process: subprocess.Popen, log: Path, timeout: float = START_SECONDS
) -> None:
    """Wait until GET `url` answers 200 from the server `process` started (its output in `log`).

    Until the deadline, a refused connection, a timeout (connecting or reading: a worker still
    booting on a busy machine) or another status is "not yet"; the test fails, with the log's
    tail, when the process exits or the deadline passes."""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log_tail(log)}")
        try:
            if requests.get(url, timeout=min(REQUEST_SECONDS, left)).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):  # not listening, or still booting
            pass
        time.sleep(min(POLL_SECONDS, max(deadline - time.monotonic(), 0)))
    pytest.fail(f"nothing answered 200 at {url} within {timeout} s:\n{log_tail(log)}")
