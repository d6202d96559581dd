"""The URLs the sandbox builds are right wherever it is served: at a host's root (standalone) and
mounted under /sandbox (as the shop mounts it)."""

import json
import re

import pytest
from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.test import Client

from tests.sandbox.conftest import DEFAULT_PARAMS, MERCHANT_CODE, RETURN_URL, SHOP_ORIGIN

FORM_ACTION = re.compile(r'action="([^"]+)"')
LINKS = re.compile(r'(?:href|src)="([^"]+)"')


@pytest.fixture(params=["", "/sandbox"], ids=["root", "mounted"])
def prefix(request):
    return request.param


@pytest.fixture
def served(app, prefix):
    """A client of the sandbox at `prefix` on http://localhost."""
    if prefix:
        host = Flask("host")
        return Client(DispatcherMiddleware(host.wsgi_app, {prefix: app.wsgi_app}))
    return app.test_client()


def open_window(served, prefix, params=None, mode="iframe"):
    form = {
        "merchant_code": MERCHANT_CODE,
        "params": json.dumps(DEFAULT_PARAMS | (params or {})),
        "mode": mode,
        "channel": "pc",
        "origin": SHOP_ORIGIN,
    }
    return served.post(f"{prefix}/window", data=form)


def test_the_script_is_served_where_the_sandbox_is(served, prefix):
    with served.get(f"{prefix}/iamport.payment.js") as response:
        assert response.status_code == 200
        assert "window.IMP" in response.get_data(as_text=True)


def test_the_window_redirects_and_posts_under_the_prefix(served, prefix):
    response = open_window(served, prefix)

    location = response.headers["Location"]
    assert response.status_code == 303
    assert re.fullmatch(rf"{prefix}/window/imp_\d{{12}}", location)
    page = served.get(location).get_data(as_text=True)
    actions = FORM_ACTION.findall(page)
    assert actions and all(action.startswith(f"{location}/") for action in actions)
    stylesheets = [link for link in LINKS.findall(page) if link.endswith(".css")]
    assert stylesheets == [f"{prefix}/static/sandbox/sandbox.css"]
    with served.get(stylesheets[0]) as stylesheet:
        assert stylesheet.status_code == 200


def test_receipt_url_points_at_the_sandbox_under_the_prefix(served, prefix, auth):
    imp_uid = open_window(served, prefix).headers["Location"].rsplit("/", 1)[1]
    served.post(f"{prefix}/window/{imp_uid}/approve")

    payment = served.get(f"{prefix}/payments/{imp_uid}", headers=auth).json["response"]

    assert payment["receipt_url"] == f"http://localhost{prefix}/slips/{imp_uid}"
    assert served.get(payment["receipt_url"].removeprefix("http://localhost")).status_code == 200


def test_redirect_mode_goes_back_to_the_shop_not_under_the_prefix(served, prefix):
    imp_uid = open_window(served, prefix, mode="redirect").headers["Location"].rsplit("/", 1)[1]

    response = served.post(f"{prefix}/window/{imp_uid}/approve")

    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"{RETURN_URL}?imp_uid={imp_uid}")


def test_console_links_and_actions_stay_under_the_prefix(served, prefix, store):
    imp_uid = store.insert_payment(status="paid")["imp_uid"]

    index = served.get(f"{prefix}/").get_data(as_text=True)
    detail = served.get(f"{prefix}/dashboard/payments/{imp_uid}").get_data(as_text=True)
    cancelled = served.post(f"{prefix}/dashboard/payments/{imp_uid}/cancel", data={})

    assert f'href="{prefix}/dashboard/payments/{imp_uid}"' in index
    paths = LINKS.findall(detail) + FORM_ACTION.findall(detail)
    assert paths and all(path.startswith(f"{prefix}/") for path in paths)
    assert cancelled.status_code == 303
    assert cancelled.headers["Location"].startswith(f"{prefix}/dashboard/payments/{imp_uid}?")
