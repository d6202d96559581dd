"""Gzip for pages, CSS and JavaScript when the browser accepts it, the same bytes once
unpacked; a weak ETag on the gzipped file that still earns a 304; nothing gzipped for a browser
that does not ask, or for what gzip cannot shrink."""

import gzip
import re
from collections import OrderedDict

import pytest

from shop.web import compression

GZIP = {"Accept-Encoding": "gzip, deflate, br"}
TEXT = [
    "/",
    "/cart",
    "/static/css/shop.css",
    "/static/js/payment-window.js",
    "/vendor/jquery/jquery.min.js",
]
# What differs between two requests for the same page.
PER_REQUEST = re.compile(r'name="csrf-token" content="[^"]+"')


def body(response) -> bytes:
    with response:
        return PER_REQUEST.sub("", response.get_data(as_text=True)).encode()


@pytest.mark.parametrize("path", TEXT)
def test_text_is_gzipped_for_a_browser_that_accepts_it(client, path):
    with client.get(path, headers=GZIP) as zipped:
        assert zipped.status_code == 200
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in zipped.headers["Vary"]
        assert int(zipped.headers["Content-Length"]) == len(zipped.data)
        unpacked = gzip.decompress(zipped.data).decode()
    assert PER_REQUEST.sub("", unpacked).encode() == body(client.get(path))
    assert len(zipped.data) < len(unpacked.encode()) / 2


@pytest.mark.parametrize("accepted", [None, "identity", "br", "gzip;q=0"])
@pytest.mark.parametrize("path", TEXT)
def test_nothing_is_gzipped_for_a_browser_that_does_not_accept_it(client, path, accepted):
    headers = {"Accept-Encoding": accepted} if accepted else {}
    with client.get(path, headers=headers) as response:
        assert "Content-Encoding" not in response.headers
        assert "Accept-Encoding" in response.headers["Vary"]
        assert int(response.headers["Content-Length"]) == len(response.data)


@pytest.mark.parametrize("path", ["/static/favicon.svg", "/static/apple-touch-icon.png"])
def test_small_or_already_compact_files_are_sent_as_they_are(client, path):
    with client.get(path, headers=GZIP) as response:
        assert response.status_code == 200
        assert "Content-Encoding" not in response.headers


def test_a_gzipped_file_has_a_weak_etag_that_still_earns_a_304(client):
    path = "/static/css/shop.css"
    with client.get(path) as plain, client.get(path, headers=GZIP) as zipped:
        strong, weak = plain.headers["ETag"], zipped.headers["ETag"]
    assert weak == f"W/{strong}"
    assert "Accept-Ranges" not in zipped.headers
    with client.get(path, headers=GZIP | {"If-None-Match": weak}) as revalidated:
        assert revalidated.status_code == 304
        assert revalidated.headers["ETag"] == weak
        assert revalidated.data == b""


def test_head_announces_the_gzipped_length(client):
    path = "/vendor/jquery/jquery.min.js"
    with client.get(path, headers=GZIP) as got, client.head(path, headers=GZIP) as head:
        assert head.status_code == 200 and head.data == b""
        assert head.headers["Content-Encoding"] == "gzip"
        assert head.headers["Content-Length"] == str(len(got.data))


def test_a_static_file_is_compressed_once_per_version(client, monkeypatch):
    monkeypatch.setattr(compression, "compressed_files", OrderedDict())
    calls = []
    compress = compression.gzipped
    monkeypatch.setattr(compression, "gzipped", lambda data: calls.append(1) or compress(data))
    for _ in range(3):
        client.get("/vendor/jquery/jquery.min.js", headers=GZIP).close()
    assert len(calls) == 1


def test_the_security_headers_survive_compression(client):
    with client.get("/", headers=GZIP) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert "'nonce-" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
