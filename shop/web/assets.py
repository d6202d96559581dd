"""Versioned static URLs: `url_for('static', ...)` and `url_for('vendor.static', ...)` add
`v=<fingerprint of the file's content>`, and a request naming the file's current fingerprint
may be kept by browsers and proxies for a year: an edited file gets a new URL, so nobody keeps
an old one. Requests without it (or with an old one) get Flask's `no-cache`, revalidated by
ETag, as before.
"""

import functools
import hashlib
import os

from flask import Flask, current_app, request
from werkzeug.security import safe_join

STATIC_ENDPOINTS = ("static", "vendor.static")
IMMUTABLE = "public, max-age=31536000, immutable"


def register(app: Flask) -> None:
    app.url_defaults(add_version)
    app.after_request(cache_versioned)


def add_version(endpoint: str, values: dict) -> None:
    if endpoint in STATIC_ENDPOINTS and "v" not in values:
        version = current_version(endpoint, values.get("filename"))
        if version:
            values["v"] = version


def cache_versioned(response):
    if response.status_code in (200, 304) and names_current_version():
        response.headers["Cache-Control"] = IMMUTABLE
    return response


def names_current_version() -> bool:
    """The request's `v` is the fingerprint of the static file as it is now."""
    if request.endpoint not in STATIC_ENDPOINTS or "v" not in request.args:
        return False
    filename = (request.view_args or {}).get("filename")
    return request.args["v"] == current_version(request.endpoint, filename)


def current_version(endpoint: str, filename: str | None) -> str | None:
    """None when no file is there to serve: its URL then answers 404, as it did. Read once
    per process (a deploy restarts the workers), or on every use while debugging."""
    folder = static_folder(endpoint)
    if not folder or not filename:
        return None
    if current_app.debug:
        return version_on_disk(safe_join(folder, filename))
    return version_at_start(folder, filename)


@functools.lru_cache(maxsize=1024)
def version_at_start(folder: str, filename: str) -> str | None:
    return version_on_disk(safe_join(folder, filename))


def version_on_disk(path: str | None) -> str | None:
    """None for a name reaching outside the folder, which is served nothing either."""
    if path is None or not os.path.isfile(path):
        return None
    try:
        return fingerprint(path, os.stat(path).st_mtime_ns)
    except OSError:  # removed since isfile looked
        return None


def static_folder(endpoint: str) -> str | None:
    """The folder `static` (the app's) or `B.static` (blueprint B's) serves."""
    blueprint = endpoint.rpartition(".")[0]
    return (current_app.blueprints[blueprint] if blueprint else current_app).static_folder


@functools.lru_cache(maxsize=512)
def fingerprint(path: str, mtime_ns: int) -> str:
    """Read once per version of the file: its modification time is part of the cache key."""
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()[:10]
