/* The sandbox's stand-in for Kakao's 우편번호 서비스 (postcode.v2.js), with its API:
 * kakao.postcode.load(callback), then new kakao.Postcode({ oncomplete, onclose }).open() or
 * .embed(element), and the fields of oncomplete's data that a shop reads, so static/js/postcode.js
 * runs unchanged in both modes. Kakao's namespace was `daum` until 2026; both are set.
 *
 * It searches a sample of real addresses (static/data/postcode-sample.json, compiled by hand from
 * public addresses), not an address database, and asks no one else: the sandbox runs offline. */
(function () {
  "use strict";
  var SAMPLE_URL = new URL("../data/postcode-sample.json", document.currentScript.src).href;
  var PROMPT = "도로명, 건물명 또는 지번으로 검색하세요 (예: 테헤란로 152, 판교역로, 세종대로)";
  var NOTHING_FOUND = "검색 결과가 없습니다";
  var TYPE_IT = "찾는 주소가 없으면 우편번호와 주소를 직접 입력해 주세요.";
  var sample = null;
  var ids = 0;

  function uniqueId(prefix) { ids += 1; return prefix + ids; }

  function compact(text) { return text.replace(/\s+/g, "").toLowerCase(); }

  function indexed(address) {
    var fields = [address.roadAddress, address.jibunAddress, address.buildingName, address.zonecode];
    return { address: address, text: fields.map(compact).join("|") };
  }

  function addresses() {
    if (!sample) {
      sample = fetch(SAMPLE_URL).then(function (response) {
        if (!response.ok) { throw new Error("postcode sample: HTTP " + response.status); }
        return response.json();
      }).then(function (file) { return file.addresses.map(indexed); });
    }
    return sample;
  }

  // Every word of the query, spaces ignored, in the address's 도로명, 지번 (its 동), 건물명 or 우편번호.
  function find(query) {
    var words = query.trim().split(/\s+/).map(compact).filter(Boolean);
    return addresses().then(function (entries) {
      if (!words.length) { return []; }
      return entries.filter(function (entry) {
        return words.every(function (word) { return entry.text.indexOf(word) !== -1; });
      }).map(function (entry) { return entry.address; });
    });
  }

  // What Kakao's oncomplete receives for a 도로명 result that the customer picked.
  function completed(address, query) {
    var road = address.roadAddress.split(" ");
    var jibun = address.jibunAddress.split(" ");
    return {
      zonecode: address.zonecode,
      address: address.roadAddress,
      addressType: "R",
      userSelectedType: "R",
      noSelected: "N",
      roadAddress: address.roadAddress,
      jibunAddress: address.jibunAddress,
      autoRoadAddress: "",
      autoJibunAddress: "",
      buildingName: address.buildingName,
      apartment: "N",
      sido: road[0],
      roadname: road[road.length - 2],
      bname: jibun[jibun.length - 2],
      query: query
    };
  }

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) { made.className = className; }
    if (text) { made.textContent = text; }
    return made;
  }

  function resultItem(address, pick) {
    var item = element("li");
    var button = element("button", "postcode-result");
    button.type = "button";
    button.append(
      element("span", "postcode-result__zonecode", address.zonecode),
      element("span", "postcode-result__road", address.roadAddress),
      element("span", "postcode-result__building", address.buildingName),
      element("span", "postcode-result__jibun", "지번 " + address.jibunAddress)
    );
    button.addEventListener("click", function () { pick(address); });
    item.append(button);
    return item;
  }

  function searchBox(id) {
    var box = element("div", "postcode-panel__search");
    box.setAttribute("role", "search");
    var label = element("label", "postcode-panel__label", PROMPT);
    var input = element("input", "postcode-panel__query");
    var submit = element("button", "button postcode-panel__submit", "검색");
    label.htmlFor = input.id = id;
    input.type = "text";  // a search input would spend the first Esc on clearing itself
    input.autocomplete = "off";
    input.enterKeyHint = "search";
    input.autofocus = true;
    submit.type = "button";
    box.append(label, input, submit);
    return { box: box, input: input, submit: submit };
  }

  // The search form, its announced status and the results; pick(data) gets the chosen address.
  function searchPanel(initialQuery, pick) {
    var panel = element("div", "postcode-panel");
    var search = searchBox(uniqueId("postcode-query-"));
    var status = element("p", "postcode-panel__status");
    var typeIt = element("p", "postcode-panel__hint", TYPE_IT);
    var results = element("ul", "postcode-panel__results");
    var note = element("p", "postcode-panel__note");
    status.setAttribute("role", "status");
    typeIt.hidden = true;
    search.input.value = initialQuery;

    function show(found, query) {
      var asked = query.trim() !== "";
      results.replaceChildren.apply(results, found.map(function (address) {
        return resultItem(address, function () { pick(completed(address, query)); });
      }));
      status.textContent = !asked ? "" : found.length ? "검색 결과 " + found.length + "건" : NOTHING_FOUND;
      typeIt.hidden = !asked || found.length > 0;
    }

    function run() {
      var query = search.input.value;
      find(query).then(function (found) { show(found, query); });
    }

    search.input.addEventListener("input", run);
    search.submit.addEventListener("click", run);
    search.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); run(); }  // not the page's own form
    });
    addresses().then(function (entries) {
      note.textContent = "샌드박스 연습용: 실제 주소 검색 대신 공공건물 주소 " + entries.length +
        "곳의 샘플에서만 찾습니다.";
    });
    panel.append(search.box, note, status, typeIt, results);
    if (initialQuery) { run(); }
    return panel;
  }

  function dialogHead(titleId, close) {
    var head = element("div", "postcode-dialog__head");
    var title = element("h2", "postcode-dialog__title", "우편번호 찾기");
    var closer = element("button", "postcode-dialog__close", "닫기");
    title.id = titleId;
    closer.type = "button";
    closer.addEventListener("click", close);
    head.append(title, closer);
    return head;
  }

  // The page behind a modal dialog is inert, but Tab may still leave it for the browser's own
  // controls: from the last control it goes round to the first, and back with Shift+Tab.
  function keepFocusIn(dialog) {
    dialog.addEventListener("keydown", function (event) {
      if (event.key !== "Tab") { return; }
      var controls = dialog.querySelectorAll("button, input");
      var from = event.shiftKey ? controls[0] : controls[controls.length - 1];
      var to = event.shiftKey ? controls[controls.length - 1] : controls[0];
      if (document.activeElement === from) { event.preventDefault(); to.focus(); }
    });
  }

  function Postcode(options) {
    this.options = options || {};
  }

  // Kakao opens a popup window; here a modal dialog: the page behind is inert, focus stays in
  // the dialog, Esc closes it, and focus goes back to what opened it before oncomplete runs.
  Postcode.prototype.open = function (settings) {
    var options = this.options;
    var opener = document.activeElement;
    var dialog = element("dialog", "postcode-dialog");
    var titleId = uniqueId("postcode-title-");
    var picked = null;
    dialog.setAttribute("aria-labelledby", titleId);
    dialog.append(
      dialogHead(titleId, function () { dialog.close(); }),
      searchPanel((settings && settings.q) || "", function (data) { picked = data; dialog.close(); })
    );
    dialog.addEventListener("close", function () {
      dialog.remove();
      if (opener && opener.focus) { opener.focus(); }
      if (picked && options.oncomplete) { options.oncomplete(picked); }
      if (options.onclose) { options.onclose(picked ? "COMPLETE_CLOSE" : "FORCE_CLOSE"); }
    });
    keepFocusIn(dialog);
    document.body.append(dialog);
    dialog.showModal();
  };

  // In the page's own element; gone once an address is picked unless autoClose is false.
  Postcode.prototype.embed = function (container, settings) {
    var options = this.options;
    var autoClose = !settings || settings.autoClose !== false;
    var panel = searchPanel((settings && settings.q) || "", function (data) {
      if (autoClose) { panel.remove(); }
      if (options.oncomplete) { options.oncomplete(data); }
      if (autoClose && options.onclose) { options.onclose("COMPLETE_CLOSE"); }
    });
    container.append(panel);
  };

  // The sample did not load: no callback, so no search, and the fields stay typed.
  function load(callback) { addresses().then(function () { callback(); }, function () {}); }

  ["kakao", "daum"].forEach(function (name) {
    var namespace = window[name] = window[name] || {};
    namespace.postcode = { load: load, version: "sandbox" };
    namespace.Postcode = Postcode;
  });
})();
