"""A merchant's webhook endpoint for tests, and bounded waiting for what happens in threads."""

import json
import threading
import time
from urllib.parse import parse_qsl

from werkzeug.wrappers import Request, Response

from tests.helpers import free_port
from tests.live_server import LiveServer


class Receiver:
    """An HTTP server on 127.0.0.1 that records each request and answers as told."""

    def __init__(self, path: str = "/portone/webhook") -> None:
        self.received: list[dict] = []
        self.statuses: list[int] = []  # answered in order; 200 once they run out
        self.answer_body = "OK"
        self.released = threading.Event()  # clear() holds every answer until set()
        self.released.set()
        self.server = LiveServer(self.answer)
        self.base_url = self.server.url
        self.url = self.base_url + path

    def __enter__(self) -> "Receiver":
        self.server.start()
        return self

    def __exit__(self, *exc) -> None:
        self.released.set()
        self.server.stop()

    @Request.application
    def answer(self, request: Request) -> Response:
        body = request.get_data(as_text=True)
        self.received.append(
            {
                "path": request.path,
                "content_type": request.headers.get("Content-Type"),
                "body": body,
                "fields": parsed(request.mimetype, body),
            }
        )
        self.released.wait(timeout=5)
        status = self.statuses.pop(0) if self.statuses else 200
        return Response(self.answer_body, status)


def parsed(mimetype: str, body: str) -> dict:
    if mimetype == "application/json":
        return json.loads(body)
    return dict(parse_qsl(body, strict_parsing=True))


def wait_for(condition, timeout: float = 5.0):
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        assert time.monotonic() < deadline, f"waited {timeout} s in vain"
        time.sleep(0.02)
    return value


def webhook_threads(imp_uid: str) -> list[threading.Thread]:
    """Threads still delivering a webhook of this payment."""
    return [t for t in threading.enumerate() if t.name == f"sandbox-webhook-{imp_uid}"]


def closed_port_url() -> str:
    """A local URL nobody listens on: connecting to it is refused at once."""
    return f"http://127.0.0.1:{free_port()}/portone/webhook"
