"""A requests transport adapter that hands requests to a WSGI app in this process.

In sandbox mode the gateway client talks HTTP to the sandbox without a socket: the same
requests, headers and status codes as over the network, and it works under `flask run`,
under a single synchronous gunicorn worker (which could not answer a request to itself)
and from Flask's test client.
"""

import gzip
import threading
from collections.abc import Iterable, Mapping
from io import BytesIO
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from werkzeug.test import EnvironBuilder, run_wsgi_app

if TYPE_CHECKING:
    from _typeshed import SupportsRead
    from _typeshed.wsgi import WSGIEnvironment

# What requests passes as a timeout: None, one number, or a (connect, read) pair.
Timeout = float | tuple[float | None, float | None] | None


class WSGIAdapter(BaseAdapter):
    def __init__(self, app, script_name: str = ""):
        super().__init__()
        self.app = app
        self.script_name = script_name.rstrip("/")

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Timeout = None,
        verify: bool | str = True,
        cert: str | tuple[str, str] | None = None,
        proxies: dict[str, str] | None = None,
    ) -> requests.Response:
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
        app_iter, status, headers = run_wsgi_app(self.app, self._environ(request), buffered=True)
        try:
            body = b"".join(app_iter)
        finally:
            getattr(app_iter, "close", lambda: None)()
        return build_response(request, status, headers, decoded(headers, body))

    def _environ(self, request: requests.PreparedRequest) -> "WSGIEnvironment":
        if request.method is None or request.url is None:
            raise ValueError("only a prepared request, with a method and a URL, can be sent")
        url = urlsplit(request.url)
        path = url.path
        if self.script_name and path.startswith(self.script_name):
            path = path[len(self.script_name) :]
        return EnvironBuilder(
            method=request.method,
            base_url=f"{url.scheme}://{url.netloc}{self.script_name}",
            path=path or "/",
            query_string=url.query,
            headers=text_headers(request.headers),
            data=body_bytes(request.body),
        ).get_environ()

    def close(self) -> None:
        pass


def decoded(headers, body: bytes) -> bytes:
    """A gzipped answer unpacked, as urllib3 does for requests over a socket."""
    return gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body


def read_timeout(timeout: Timeout) -> float | None:
    return timeout[1] if isinstance(timeout, tuple) else timeout


def text_headers(headers: Mapping[str, str | bytes]) -> list[tuple[str, str]]:
    """Bytes values as Latin-1 text: the bytes http.client would put on the wire."""
    return [
        (name, value.decode("latin-1") if isinstance(value, bytes) else value)
        for name, value in headers.items()
    ]


def body_bytes(
    body: "str | bytes | Iterable[str | bytes] | SupportsRead[str | bytes] | None",
) -> bytes:
    """Text as UTF-8 (as werkzeug encodes it), a file read out; a chunked stream is refused."""
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode()
    if isinstance(body, bytes):
        return body
    if hasattr(body, "read"):
        return body_bytes(body.read())
    raise TypeError("a streamed (chunked) body cannot be sent in process")


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
