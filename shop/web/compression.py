"""Gzip for text: pages, CSS, JavaScript, JSON and SVG shrink to a fraction on the wire,
which a phone on a slow network feels most. Pages are compressed as they are sent; static
files once per version (by ETag), since jQuery alone is 87 KB.
"""

import gzip
import threading
from collections import OrderedDict

from flask import Flask, request

COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "image/svg+xml",
    }
)
# Below this, gzip's header and the work cost more than they save.
MIN_SIZE = 500
LEVEL = 6
KEPT_FILES = 32

compressed_files: OrderedDict[tuple[str, str], bytes] = OrderedDict()
compressed_files_lock = threading.Lock()


def register(app: Flask) -> None:
    app.after_request(compress)


def compress(response):
    if response.mimetype not in COMPRESSIBLE:
        return response
    response.vary.add("Accept-Encoding")
    if gzip_wanted(response):
        weaken_etag(response)
        if response.status_code == 200:
            gzip_body(response)
    return response


def gzip_wanted(response) -> bool:
    """This client takes gzip and the body is whole, large and not yet encoded; checked for
    a 304 too, so that it carries the ETag its 200 would have."""
    return (
        request.accept_encodings["gzip"] > 0
        and "Content-Encoding" not in response.headers
        and (response.direct_passthrough or not response.is_streamed)
        and (response.content_length or 0) >= MIN_SIZE
    )


def weaken_etag(response) -> None:
    """The gzipped bytes are not the file's bytes, so their ETag may only be weak; a
    browser's If-None-Match with it still matches the file's strong one, and gets a 304."""
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)


def gzip_body(response) -> None:
    response.direct_passthrough = False  # send_file's file, read here instead of by the server
    data = response.get_data()
    etag, _ = response.get_etag()
    body = gzip_file((request.path, etag), data) if etag else gzipped(data)
    response.set_data(body)
    response.headers["Content-Encoding"] = "gzip"
    # Ranges would count the file's bytes, which this answer no longer is.
    response.headers.pop("Accept-Ranges", None)


def gzip_file(key: tuple[str, str], data: bytes) -> bytes:
    """The last KEPT_FILES files compressed, by path and ETag (which changes with the file)."""
    with compressed_files_lock:
        if key in compressed_files:
            compressed_files.move_to_end(key)
            return compressed_files[key]
    body = gzipped(data)
    with compressed_files_lock:
        compressed_files[key] = body
        if len(compressed_files) > KEPT_FILES:
            compressed_files.popitem(last=False)
    return body


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, LEVEL, mtime=0)
