"""우편번호 찾기 on the 주문서: Kakao's 우편번호 서비스 in live mode, allowed by the 주문서's CSP
only; the shop's offline stand-in and its sample of real addresses in sandbox mode, where the
CSP stays the shop's own. tests/browser/test_address_search.py searches with it in Chromium."""

import json
import re
from pathlib import Path

import pytest

from shop.core.config import LIVE_POSTCODE_URL, SANDBOX_POSTCODE_URL
from shop.core.extensions import db
from shop.core.models import Product
from shop.storefront.demo import DEMO_PRODUCTS
from shop.web.security import POSTCODE_FRAME_HOSTS, address_search_hosts
from tests.conftest import Shopper, shop_app
from tests.web.test_security_headers import LIVE, directives

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "static" / "data" / "postcode-sample.json"
KAKAO_CDN = "https://t1.kakaocdn.net"
SCRIPTS = re.compile(r'<script src="([^"]+)"')
SIDO = {
    *("서울특별시", "부산광역시", "대구광역시", "인천광역시", "광주광역시", "대전광역시"),
    *("울산광역시", "세종특별자치시", "경기도", "강원특별자치도", "충청북도", "충청남도"),
    *("전북특별자치도", "전라남도", "경상북도", "경상남도", "제주특별자치도"),
}


@pytest.fixture
def live_shop(tmp_path):
    app = shop_app(tmp_path, **LIVE)
    with app.app_context():
        db.create_all()
        db.session.add_all(Product(**item) for item in DEMO_PRODUCTS)
        db.session.commit()
    return app


def checkout_page(app):
    shopper = Shopper(app.test_client())
    shopper.add_to_cart(1)
    page = shopper.client.get("/checkout")
    assert page.status_code == 200
    return page


def scripts_of(page) -> list[str]:
    return [src.partition("?")[0] for src in SCRIPTS.findall(page.get_data(as_text=True))]


def test_in_sandbox_mode_the_checkout_loads_the_stand_in_then_the_shops_search(app):
    scripts = scripts_of(checkout_page(app))
    assert SANDBOX_POSTCODE_URL == "/static/js/postcode-sample.js"
    assert scripts.index(SANDBOX_POSTCODE_URL) < scripts.index("/static/js/postcode.js")
    assert not any("kakao" in src or "daum" in src for src in scripts)


def test_the_stand_in_and_its_sample_are_served_by_the_shop(client):
    for path in (
        SANDBOX_POSTCODE_URL,
        "/static/js/postcode.js",
        "/static/data/postcode-sample.json",
    ):
        with client.get(path) as answer:
            assert answer.status_code == 200, path


def test_in_sandbox_mode_the_checkouts_policy_needs_no_kakao_host(app):
    policy = directives(checkout_page(app))
    assert policy["script-src"][0] == "'self'"
    assert policy["script-src"][1].startswith("'nonce-")
    assert len(policy["script-src"]) == 2
    assert policy["frame-src"] == ["'self'"]


def test_setting_a_script_in_sandbox_mode_still_loads_the_offline_stand_in(tmp_path):
    app = shop_app(tmp_path, POSTCODE_SCRIPT_URL=LIVE_POSTCODE_URL)
    assert app.config["POSTCODE_SCRIPT_URL"] == SANDBOX_POSTCODE_URL


def test_in_live_mode_the_checkout_loads_kakaos_postcode_service(live_shop):
    scripts = scripts_of(checkout_page(live_shop))
    assert LIVE_POSTCODE_URL.startswith(KAKAO_CDN + "/mapjsapi/bundle/postcode/prod/postcode.v2.js")
    assert scripts.index(LIVE_POSTCODE_URL) < scripts.index("/static/js/postcode.js")
    assert SANDBOX_POSTCODE_URL not in scripts


def test_in_live_mode_the_checkouts_policy_allows_kakaos_script_and_frame(live_shop):
    policy = directives(checkout_page(live_shop))
    assert KAKAO_CDN in policy["script-src"]
    assert set(POSTCODE_FRAME_HOSTS) <= set(policy["frame-src"])
    assert POSTCODE_FRAME_HOSTS == (
        "https://postcode.map.kakao.com",
        "https://postcode.map.daum.net",
    )
    assert not any("'unsafe-inline'" in sources for sources in policy.values())


def test_in_live_mode_other_pages_keep_kakao_out(live_shop):
    client = live_shop.test_client()
    for path in ("/", "/cart", "/orders/lookup"):
        policy = directives(client.get(path))
        assert KAKAO_CDN not in policy["script-src"], path
        assert not set(POSTCODE_FRAME_HOSTS) & set(policy["frame-src"]), path


def test_a_loader_served_by_the_shop_itself_adds_no_script_host():
    live = {"PAYMENT_MODE": "live", "POSTCODE_SCRIPT_URL": "/static/vendor/postcode.v2.js"}
    assert address_search_hosts(live, "checkout.form") == ((), POSTCODE_FRAME_HOSTS)
    assert address_search_hosts(live, "catalog.index") == ((), ())


def sample() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def test_the_sample_says_what_it_is_and_where_it_comes_from():
    document = sample()
    assert document["source"] == "compiled by hand from public addresses"
    assert "샘플" in document["about"] and "not an address database" in document["about"]
    assert f"{len(document['addresses'])}곳" in document["about"]


def test_the_sample_is_a_few_dozen_addresses_across_the_country():
    addresses = sample()["addresses"]
    assert 30 <= len(addresses) <= 60
    regions = {address["roadAddress"].split()[0] for address in addresses}
    assert regions <= SIDO and len(regions) >= 8
    assert len({address["roadAddress"] for address in addresses}) == len(addresses)
    assert len({address["buildingName"] for address in addresses}) == len(addresses)


@pytest.mark.parametrize(
    "address", sample()["addresses"], ids=lambda address: address["buildingName"]
)
def test_every_sample_address_is_complete_and_consistent(address):
    assert set(address) == {"zonecode", "roadAddress", "jibunAddress", "buildingName"}
    assert re.fullmatch(r"\d{5}", address["zonecode"])
    road, jibun = address["roadAddress"].split(), address["jibunAddress"].split()
    # The stand-in reads the 도로명 and the 법정동 (bname) from these places.
    assert re.fullmatch(r"\d+(-\d+)?", road[-1]) and re.search(r"(로|길)$", road[-2])
    assert re.fullmatch(r"산?\d+(-\d+)?", jibun[-1]) and re.search(r"(동|가|리|로)$", jibun[-2])
    assert road[:2] == jibun[:2]  # the same 시·도 and 시·군·구
