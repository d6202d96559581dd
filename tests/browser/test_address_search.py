"""우편번호 찾기 on the 주문서 in Chromium, on a desktop and on an iPhone 13: the sandbox's
stand-in for Kakao's 우편번호 서비스 opens a dialog, finds sample addresses by 도로명, 건물명,
지번 동 or 우편번호, and the shop's postcode.js fills 우편번호 and the 도로명 주소 and moves on to
상세주소, with no CSP violation. Kakao's own answer is played by a stand-in of the data it sends."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_page, screenshot
from tests.browser.test_checkout_page import to_checkout
from tests.browser.test_csp import watched

SEARCH = "우편번호 찾기"


def query_box(dialog):
    return dialog.get_by_label("도로명, 건물명 또는 지번으로 검색하세요", exact=False)


def open_search(page, device_name: str = "desktop"):
    button = page.get_by_role("button", name=SEARCH)
    button.tap() if device_name == "iphone" else button.click()
    dialog = page.get_by_role("dialog", name=SEARCH)
    expect(dialog).to_be_visible()
    expect(query_box(dialog)).to_be_focused()
    return dialog


def results(dialog):
    return dialog.locator(".postcode-result")


def test_a_road_found_and_picked_fills_the_postcode_and_the_road_address(live_shop, device):
    page = device()
    violations = watched(page)
    to_checkout(page, live_shop.url)
    dialog = open_search(page, device.name)
    query_box(dialog).fill("세종대로")
    expect(dialog.get_by_role("status")).to_have_text("검색 결과 4건")
    expect(results(dialog)).to_have_count(4)
    screenshot(page, f"{device.name}-postcode-dialog", full_page=False)

    picked = results(dialog).filter(has_text="서울특별시청")
    picked.tap() if device.name == "iphone" else picked.click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_label("우편번호", exact=True)).to_have_value("04524")
    expect(page.get_by_label("주소", exact=True)).to_have_value(
        "서울특별시 중구 세종대로 110 (태평로1가)"
    )
    expect(page.get_by_label("상세주소")).to_be_focused()
    screenshot(page, f"{device.name}-postcode-filled", full_page=False)
    assert violations == []


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("테헤란로152", "강남파이낸스센터"),  # spaces ignored
        ("판교역로", "카카오 판교아지트"),
        ("태평로1가", "서울특별시청"),  # the 지번's 동
        ("48058", "영화의전당"),  # the 우편번호
        ("부산 시청", "부산광역시청"),  # words anywhere in one address
        ("국립 중앙 박물관", "국립중앙박물관"),
    ],
)
def test_the_sample_is_found_by_road_building_dong_or_postcode(live_shop, page, query, found):
    to_checkout(page, live_shop.url)
    dialog = open_search(page)
    query_box(dialog).fill(query)
    expect(results(dialog)).to_have_count(1)
    expect(results(dialog)).to_contain_text(found)


def test_nothing_found_says_so_and_esc_gives_the_typing_back(live_shop, page):
    violations = watched(page)
    to_checkout(page, live_shop.url)
    dialog = open_search(page)
    query_box(dialog).fill("없는길 999")
    query_box(dialog).press("Enter")  # searches; the 주문서 is not submitted
    expect(dialog.get_by_role("status")).to_have_text("검색 결과가 없습니다")
    expect(dialog.get_by_text("우편번호와 주소를 직접 입력해 주세요")).to_be_visible()
    expect(results(dialog)).to_have_count(0)
    screenshot(page, "desktop-postcode-nothing-found", full_page=False)

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name=SEARCH)).to_be_focused()
    expect(page.get_by_label("우편번호", exact=True)).to_have_value("")
    expect(page.get_by_role("heading", name="주문서 작성")).to_be_visible()
    assert violations == []


def test_focus_stays_in_the_dialog_and_its_targets_are_44_pixels(live_shop, phone):
    to_checkout(phone, live_shop.url)
    dialog = open_search(phone, "iphone")
    query_box(dialog).fill("광역시청")
    expect(results(dialog)).to_have_count(6)
    search_at = query_box(dialog).bounding_box()["y"]
    results(dialog).last.scroll_into_view_if_needed()
    assert query_box(dialog).bounding_box()["y"] == search_at  # the results scroll, not the search
    screenshot(phone, "iphone-postcode-many-results", full_page=False)
    for key in ["Tab"] * 12 + ["Shift+Tab"] * 12:
        phone.keyboard.press(key)
        assert phone.evaluate("!!document.activeElement.closest('dialog')"), key
    box = dialog.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # the iPhone 13's width
    for target in [dialog.get_by_role("button", name="닫기"), *results(dialog).all()]:
        assert target.bounding_box()["height"] >= 44
    dialog.get_by_role("button", name="닫기").tap()
    expect(phone.get_by_role("button", name=SEARCH)).to_be_focused()


def test_embed_searches_for_its_q_inside_the_pages_own_element(live_shop, page):
    to_checkout(page, live_shop.url)
    expect(page.get_by_role("button", name=SEARCH)).to_be_visible()  # the scripts have run
    page.evaluate(
        """() => {
          const box = document.createElement("div");
          box.id = "embedded";
          document.querySelector("main").prepend(box);
          new kakao.Postcode({ oncomplete: (data) => { window.embedded = data; } })
            .embed(box, { q: "에버랜드로" });
        }"""
    )
    box = page.locator("#embedded")
    expect(query_box(box)).to_have_value("에버랜드로")  # q: searched at once
    box.locator(".postcode-result").click()
    expect(box.locator(".postcode-panel")).to_have_count(0)  # autoClose
    data = page.evaluate("window.embedded")
    read = {
        name: data[name] for name in ("zonecode", "bname", "sido", "roadname", "userSelectedType")
    }
    assert read == {
        "zonecode": "17023",
        "bname": "전대리",
        "sido": "경기도",
        "roadname": "에버랜드로",
        "userSelectedType": "R",
    }
    assert page.evaluate("window.daum.Postcode === window.kakao.Postcode")


KAKAO_ANSWER = {
    "zonecode": "05510",
    "address": "서울 송파구 올림픽로 99",
    "addressType": "R",
    "userSelectedType": "J",
    "roadAddress": "서울 송파구 올림픽로 99",
    "jibunAddress": "서울 송파구 잠실동 22",
    "autoRoadAddress": "",
    "buildingName": "잠실엘스",
    "apartment": "Y",
    "bname": "잠실동",
}


def test_kakaos_answer_for_an_apartment_picked_by_its_jibun_fills_the_road_address(live_shop, page):
    """The data is made up in Kakao's documented shape; postcode.js alone is under test."""
    to_checkout(page, live_shop.url)
    expect(page.get_by_role("button", name=SEARCH)).to_be_visible()  # the scripts have run
    page.evaluate(
        """(answer) => {
          window.kakao.Postcode = function (options) {
            this.open = () => options.oncomplete(answer);
          };
        }""",
        KAKAO_ANSWER,
    )
    page.get_by_role("button", name=SEARCH).click()
    expect(page.get_by_label("우편번호", exact=True)).to_have_value("05510")
    expect(page.get_by_label("주소", exact=True)).to_have_value(
        "서울 송파구 올림픽로 99 (잠실동, 잠실엘스)"
    )
    expect(page.get_by_label("상세주소")).to_be_focused()


def test_without_javascript_the_button_stays_hidden_and_the_fields_are_typed(live_shop, browser):
    page = new_page(browser, java_script_enabled=False)
    try:
        to_checkout(page, live_shop.url)
        expect(page.get_by_role("button", name=SEARCH)).to_be_hidden()
        expect(page.get_by_label("우편번호", exact=True)).to_be_editable()
        expect(page.get_by_label("주소", exact=True)).to_be_editable()
    finally:
        page.context.close()
