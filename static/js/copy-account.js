/* 계좌번호 복사: a [data-copy] button puts its digits (no hyphens, as banking apps take them) on
 * the clipboard and says so in its status element, which a screen reader announces (role=status).
 * navigator.clipboard needs a secure context (https or localhost); elsewhere a hidden textarea
 * and execCommand("copy") do it. Without this script the button stays hidden. */
(function () {
  "use strict";
  var COPIED = "복사되었습니다";
  var FAILED = "복사하지 못했습니다. 번호를 길게 눌러 복사해 주세요.";

  function copyByTextarea(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
    document.body.removeChild(area);
    return copied;
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        if (!copyByTextarea(text)) { throw new Error("copy refused"); }
      });
    }
    return copyByTextarea(text) ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function tell(status, message) {
    status.textContent = "";  // the same words again are announced again
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(button.getAttribute("data-copy")).then(
        function () { tell(status, COPIED); },
        function () { tell(status, FAILED); }
      );
    });
  });
}());
