"""Static files under versioned URLs: pages link `?v=<fingerprint of the content>`, and a
request naming the current fingerprint may be kept for a year; without it, or with an old
one, the browser revalidates as before. An edited file gets a new fingerprint."""

import hashlib
import os
import re
from pathlib import Path

import pytest
import xstatic.pkg.jquery
from flask import url_for

from shop.web.assets import IMMUTABLE

ROOT = Path(__file__).resolve().parents[2]
LINKED = re.compile(r'(?:src|href)="(/(?:static|vendor)/[^"]+)"')


def linked_files(page: str) -> dict[str, str]:
    """Each static URL in the page, without its query, mapped to its `v`."""
    links = (re.fullmatch(r"([^?]+)\?v=([0-9a-f]+)", url) for url in LINKED.findall(page))
    return dict(match.groups() for match in links if match)


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10]


def pay_page(shopper) -> str:
    merchant_uid = shopper.buy()
    return shopper.client.get(f"/orders/{merchant_uid}/pay").get_data(as_text=True)


def test_every_static_url_in_a_page_carries_its_version(client):
    page = client.get("/").get_data(as_text=True)
    urls = LINKED.findall(page)
    assert urls and all(re.search(r"\?v=[0-9a-f]{10}$", url) for url in urls)
    stylesheet = fingerprint(ROOT / "static/css/shop.css")
    assert linked_files(page)["/static/css/shop.css"] == stylesheet


def test_the_pay_page_loads_jquery_and_its_script_by_version(app, shopper):
    versions = linked_files(pay_page(shopper))
    jquery = Path(xstatic.pkg.jquery.BASE_DIR) / "jquery.min.js"
    assert versions["/vendor/jquery/jquery.min.js"] == fingerprint(jquery)
    assert versions["/static/js/pay.js"] == fingerprint(ROOT / "static/js/pay.js")


def test_versioned_urls_may_be_kept_for_a_year(app, shopper):
    page = pay_page(shopper) + shopper.client.get("/").get_data(as_text=True)
    for path, version in linked_files(page).items():
        with shopper.client.get(f"{path}?v={version}") as response:
            assert response.status_code == 200, path
            assert response.headers["Cache-Control"] == IMMUTABLE, path


@pytest.mark.parametrize("query", ["", "?v=0000000000", "?v="])
@pytest.mark.parametrize("path", ["/static/js/pay.js", "/vendor/jquery/jquery.min.js"])
def test_without_the_current_version_the_browser_revalidates(client, path, query):
    with client.get(path + query) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache"
        assert response.headers["ETag"] and response.headers["Last-Modified"]


def test_an_edited_file_gets_a_new_version_while_debugging(app, client, tmp_path):
    """In production a file's version is read once per process: a deploy restarts it."""
    app.static_folder = str(tmp_path)
    app.debug = True
    edited = tmp_path / "note.css"
    edited.write_text("p { color: red; }")
    with app.test_request_context():
        before = url_for("static", filename="note.css")
        edited.write_text("p { color: blue; }")
        stat = edited.stat()
        os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        after = url_for("static", filename="note.css")
    assert after == f"/static/note.css?v={fingerprint(edited)}" != before
    with client.get(before) as stale, client.get(after) as current:
        assert stale.headers["Cache-Control"] == "no-cache"
        assert current.headers["Cache-Control"] == IMMUTABLE


@pytest.mark.parametrize("filename", ["missing.css", "css", "../shop/assets.py"])
def test_a_file_that_is_not_there_gets_no_version_and_stays_a_404(app, client, filename):
    with app.test_request_context():
        url = url_for("static", filename=filename)
    assert "?v=" not in url
    with client.get(f"/static/{filename}?v=0000000000") as response:
        assert response.status_code == 404
        assert "immutable" not in response.headers.get("Cache-Control", "")


def test_favicon_ico_is_served_for_revalidation(client):
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache"
