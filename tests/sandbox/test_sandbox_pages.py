import shutil
import subprocess
from pathlib import Path

import pytest

import iamport_sandbox

SCRIPT = Path(iamport_sandbox.__file__).parent / "static" / "sandbox" / "iamport.payment.js"


def test_sdk_script_is_served_as_javascript(client):
    with client.get("/iamport.payment.js") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/javascript"
        assert "window.IMP" in response.get_data(as_text=True)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_sdk_script_has_no_syntax_error():
    subprocess.run(["node", "--check", str(SCRIPT)], check=True, capture_output=True)


def test_front_page_lists_recent_payments(client, store):
    store.insert_payment(merchant_uid="order-1", name="<b>머그컵</b>", amount=64900, status="paid")

    page = client.get("/").get_data(as_text=True)

    assert "order-1" in page
    assert "&lt;b&gt;머그컵&lt;/b&gt;" in page
    assert "64,900원" in page
    assert "결제완료" in page


def test_front_page_says_when_there_is_nothing_yet(client):
    assert "아직 결제가 없습니다" in client.get("/").get_data(as_text=True)


def test_slip_of_an_unknown_payment_is_an_html_404(client):
    response = client.get("/slips/imp_000000000000")

    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_urls_follow_the_mount_point(window, client, store):
    mounted = {"base_url": "http://localhost/sandbox"}
    form = {"merchant_code": "imp00000000", "params": '{"merchant_uid": "o", "amount": 100}'}

    opened = client.post("/window", data=form, **mounted)
    imp_uid = opened.headers["Location"].rsplit("/", 1)[1]
    page = client.get(f"/window/{imp_uid}", **mounted).get_data(as_text=True)
    client.post(f"/window/{imp_uid}/approve", **mounted)

    assert opened.headers["Location"] == f"/sandbox/window/{imp_uid}"
    assert f'action="/sandbox/window/{imp_uid}/approve"' in page
    assert "/sandbox/static/sandbox/sandbox.css" in page
    assert store.get_payment(imp_uid)["receipt_url"] == (
        f"http://localhost/sandbox/slips/{imp_uid}"
    )
