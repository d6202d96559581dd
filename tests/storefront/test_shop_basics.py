"""The legal pages every Korean online shop shows: 사업자 정보 in every page's footer (from
configuration), 이용약관 and 개인정보처리방침. The purchase consent is tested in
tests/storefront/test_purchase_consent.py, the shipping fee in tests/storefront/test_shipping_fee.py."""

import pytest

from tests.conftest import make_app


@pytest.mark.parametrize("path", ["/", "/cart", "/terms", "/privacy", "/orders/lookup"])
def test_every_page_shows_the_business_information(app, path):
    page = app.test_client().get(path).get_data(as_text=True)
    for name in ("상호", "대표자", "사업자등록번호", "통신판매업 신고번호", "개인정보보호책임자"):
        assert f"<dt>{name}</dt>" in page
    assert 'href="/terms"' in page and 'href="/privacy"' in page


def test_the_business_information_comes_from_configuration(tmp_path):
    info = {"상호": "주식회사 테스트", "사업자등록번호": "123-45-67890"}
    app = make_app(tmp_path, BUSINESS_INFO=info)
    page = app.test_client().get("/").get_data(as_text=True)
    assert "<dd>주식회사 테스트</dd>" in page and "123-45-67890" in page
    business_info = page[page.index('<dl class="business-info">') :]
    assert "예시" not in business_info[: business_info.index("</dl>")]


def test_the_terms_cover_withdrawal_and_the_fee_and_the_privacy_policy_retention(app):
    client = app.test_client()
    terms = client.get("/terms").get_data(as_text=True)
    privacy = client.get("/privacy").get_data(as_text=True)
    assert "<h1>이용약관</h1>" in terms and "청약철회" in terms and "3,000원" in terms
    assert "<h1>개인정보처리방침</h1>" in privacy and "보유 기간" in privacy
