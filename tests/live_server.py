"""A WSGI app served on a real local socket, for tests whose client must reach it over HTTP:
PortOne's own clients, real browsers, webhooks and timeouts.

The server listens on 127.0.0.1 at a port the system picks when it is made, serves from a daemon
thread (a thread per request), and is shut down and closed on leaving.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.serving import make_server

HOST = "127.0.0.1"
POLL_SECONDS = 0.05  # how soon serve_forever notices a shutdown
JOIN_SECONDS = 5


def not_serving_yet(environ, start_response):
    """What a server answers until it is given its app."""
    start_response("503 Service Unavailable", [("Content-Length", "0")])
    return []


class LiveServer:
    """The port is taken when the object is made, so an app that must know its own URL (the
    shop's SHOP_URL) can be made afterwards and handed over by setting `app`."""

    def __init__(self, app=not_serving_yet) -> None:
        self.server = make_server(HOST, 0, app, threaded=True)
        self.url = f"http://{HOST}:{self.server.server_port}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": POLL_SECONDS}, daemon=True
        )

    @property
    def app(self):
        return self.server.app

    @app.setter
    def app(self, app) -> None:
        self.server.app = app

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=JOIN_SECONDS)

    def __enter__(self) -> "LiveServer":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


@contextmanager
def serving(app) -> Iterator[str]:
    """Serve `app` while the block runs; its URL, http://127.0.0.1:PORT (no trailing slash)."""
    with LiveServer(app) as server:
        yield server.url
