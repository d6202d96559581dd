/*
 * Sandbox stand-in for I'mport's iamport.payment.js: the same window.IMP API, but the payment
 * window is the sandbox's test window, opened in an overlay (iframe) or by a full-page redirect.
 * Plain ES5 plus URL, no dependencies: it must run on any shop page, with or without jQuery.
 */
(function (window, document) {
  "use strict";

  var SCRIPT_NAME = "iamport.payment.js";
  var MOBILE_AGENT = /Mobi|Android|iPhone|iPad|iPod/;
  var sandboxBase = findSandboxBase();
  var sandboxOrigin = new URL(sandboxBase).origin;
  var merchantCode = null;
  var openOverlay = null;

  // The sandbox may be mounted anywhere, so its address is read from this script's own src.
  function findSandboxBase() {
    var script = document.currentScript;
    if (!script) {
      var candidates = document.querySelectorAll("script[src]");
      for (var i = 0; i < candidates.length; i++) {
        if (new URL(candidates[i].src, document.baseURI).pathname.slice(-SCRIPT_NAME.length) === SCRIPT_NAME) {
          script = candidates[i];
        }
      }
    }
    var url = new URL(script.src, document.baseURI);
    url.search = "";
    url.hash = "";
    url.pathname = url.pathname.slice(0, url.pathname.length - SCRIPT_NAME.length);
    return url.href;
  }

  function init(code) {
    merchantCode = code;
  }

  function request_pay(params, callback) {
    params = params || {};
    var done = typeof callback === "function" ? callback : function () {};
    var paypal = /^paypal/.test(params.pg || "");
    var mobile = MOBILE_AGENT.test(window.navigator.userAgent);

    // These codes and texts are the sandbox's own; PortOne does not document its equivalents.
    if (!merchantCode) {
      return refuse(params, done, "F0000", "IMP.init()으로 가맹점 식별코드를 먼저 설정해주세요.");
    }
    if (paypal && !params.m_redirect_url) {
      return refuse(params, done, "F0001", "PayPal 결제에는 m_redirect_url이 필요합니다.");
    }
    if (openOverlay) {
      return refuse(params, done, "F0002", "이미 결제창이 열려 있습니다.");
    }

    var redirect = paypal || (mobile && !!params.m_redirect_url);
    var fields = {
      merchant_code: merchantCode,
      params: JSON.stringify(params),
      mode: redirect ? "redirect" : "iframe",
      channel: mobile ? "mobile" : "pc",
      origin: window.location.origin
    };
    if (redirect) {
      submit(fields, "_self", document.body);
    } else {
      showWindow(fields, done);
    }
  }

  function refuse(params, done, code, message) {
    var rsp = {
      success: false,
      imp_uid: null,
      merchant_uid: params.merchant_uid === undefined ? null : params.merchant_uid,
      error_code: code,
      error_msg: message
    };
    window.setTimeout(function () { done(rsp); }, 0);
  }

  function showWindow(fields, done) {
    var name = "iamport-sandbox-" + new Date().getTime();
    var narrow = window.matchMedia && window.matchMedia("(max-width: 480px)").matches;
    var overlay = document.createElement("div");
    var frame = document.createElement("iframe");
    var previousOverflow = document.documentElement.style.overflow;

    overlay.setAttribute("data-iamport-sandbox", "overlay");
    overlay.style.cssText = [
      "position:fixed", "top:0", "right:0", "bottom:0", "left:0", "z-index:2147483647",
      "display:flex", "align-items:center", "justify-content:center",
      "background:rgba(15,23,42,0.55)"
    ].join(";");
    frame.name = name;
    frame.title = "아임포트 테스트 결제창";
    frame.style.cssText = [
      "width:min(420px,100%)", "height:min(720px,100%)", "border:0", "background:#fff",
      "border-radius:" + (narrow ? "0" : "12px"), "box-shadow:0 12px 40px rgba(0,0,0,0.35)"
    ].join(";");
    overlay.appendChild(frame);
    document.body.appendChild(overlay);
    document.documentElement.style.overflow = "hidden";
    openOverlay = overlay;

    function onMessage(event) {
      var data = event.data;
      if (event.source !== frame.contentWindow || event.origin !== sandboxOrigin) return;
      if (!data || data.source !== "iamport-sandbox") return;
      window.removeEventListener("message", onMessage);
      overlay.parentNode.removeChild(overlay);
      document.documentElement.style.overflow = previousOverflow;
      openOverlay = null;
      done(data.rsp);
    }

    window.addEventListener("message", onMessage);
    submit(fields, name, overlay);
  }

  function submit(fields, target, container) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = new URL("window", sandboxBase).href;
    form.target = target;
    form.style.display = "none";
    Object.keys(fields).forEach(function (key) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = key;
      input.value = fields[key];
      form.appendChild(input);
    });
    container.appendChild(form);
    form.submit();
  }

  window.IMP = { init: init, request_pay: request_pay };
})(window, document);
