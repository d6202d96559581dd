"""A requests transport adapter that hands requests to a WSGI app in this process.

In sandbox mode the gateway client talks HTTP to the sandbox without a socket: the same
requests, headers and status codes as over the network, and it works under `flask run`,
under a single synchronous gunicorn worker (which could not answer a request to itself)
and from Flask's test client.
"""

import threading
from io import BytesIO
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from werkzeug.test import EnvironBuilder, run_wsgi_app


class WSGIAdapter(BaseAdapter):
    def __init__(self, app, script_name: str = ""):
        super().__init__()
        self.app = app
        self.script_name = script_name.rstrip("/")

    def send(self, request: requests.PreparedRequest, timeout=None, **kwargs) -> requests.Response:
        """Answer in this process, but give up after the read timeout as a socket would."""
        outcome: dict = {}

        def call() -> None:
            try:
                outcome["response"] = self._call(request)
            except BaseException as error:  # re-raised in the caller's thread below
                outcome["error"] = error

        worker = threading.Thread(target=call, daemon=True)
        worker.start()
        worker.join(read_timeout(timeout))
        if worker.is_alive():
            raise requests.ReadTimeout(f"no answer from {request.url} in {timeout}")
        if "error" in outcome:
            raise outcome["error"]
        return outcome["response"]

    def _call(self, request: requests.PreparedRequest) -> requests.Response:
        url = urlsplit(request.url)
        path = url.path
        if self.script_name and path.startswith(self.script_name):
            path = path[len(self.script_name) :]
        environ = EnvironBuilder(
            method=request.method,
            base_url=f"{url.scheme}://{url.netloc}{self.script_name}",
            path=path or "/",
            query_string=url.query,
            headers=dict(request.headers),
            data=request.body or b"",
        ).get_environ()
        app_iter, status, headers = run_wsgi_app(self.app, environ, buffered=True)
        try:
            body = b"".join(app_iter)
        finally:
            getattr(app_iter, "close", lambda: None)()
        return build_response(request, status, headers, body)

    def close(self) -> None:
        pass


def read_timeout(timeout) -> float | None:
    """requests passes None, one number, or a (connect, read) pair."""
    return timeout[1] if isinstance(timeout, tuple) else timeout


def build_response(request, status: str, headers, body: bytes) -> requests.Response:
    response = requests.Response()
    response.status_code = int(status.split(" ", 1)[0])
    response.reason = status.split(" ", 1)[1] if " " in status else ""
    response.headers = CaseInsensitiveDict(headers.to_wsgi_list())
    response.raw = BytesIO(body)
    response._content = body
    response.encoding = requests.utils.get_encoding_from_headers(response.headers)
    response.url = request.url
    response.request = request
    return response
