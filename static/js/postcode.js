/* 우편번호 찾기 on the 주문서: the search fills 우편번호 and the 도로명 주소, and the customer goes
 * on to type the 상세주소. The search is Kakao's 우편번호 서비스 in live mode and the sandbox's
 * offline stand-in otherwise (POSTCODE_SCRIPT_URL); both answer the same API, so this file is
 * the same in both. Kakao's namespace is `kakao` since 2026 and `daum` in older loaders. Without
 * the search (no JavaScript, or its script did not load) the button stays hidden and both fields
 * are typed. */
(function () {
  "use strict";
  var service = window.kakao && window.kakao.postcode ? window.kakao : window.daum;
  var button = document.getElementById("postcode-search");
  var postcode = document.getElementById("buyer_postcode");
  var address = document.getElementById("buyer_addr");
  var detail = document.getElementById("address_detail");
  if (!button || !service || !service.postcode) { return; }

  // 참고항목 as Kakao's guide adds it to a 도로명 주소: the 법정동 (a 리 stays out) and an
  // apartment's name, e.g. "서울특별시 중구 세종대로 110 (태평로1가)".
  function reference(data) {
    var parts = [];
    if (data.bname && /[동로가]$/.test(data.bname)) { parts.push(data.bname); }
    if (data.buildingName && data.apartment === "Y") { parts.push(data.buildingName); }
    return parts.length ? " (" + parts.join(", ") + ")" : "";
  }

  // The 도로명 주소 even when the customer picked the 지번 one: the field asks for it.
  function roadAddress(data) {
    var road = data.roadAddress || data.autoRoadAddress;
    return road ? road + reference(data) : data.jibunAddress || data.address;
  }

  // checkout.js clears a field's error on its input event, as if the customer had typed it.
  function put(field, value) {
    field.value = value;
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function fill(data) {
    put(postcode, data.zonecode);
    put(address, roadAddress(data));
    detail.focus();
  }

  service.postcode.load(function () {
    button.hidden = false;
    button.addEventListener("click", function () {
      new service.Postcode({ oncomplete: fill }).open();
    });
  });
})();
