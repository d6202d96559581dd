/* The payment window and what follows it, shared by the 주문서 and the pay page.
 * The callback's rsp is only a claim: the shop's server asks PortOne for the truth, and the
 * order's page shows it. A payment refused before it existed (no imp_uid) goes to the return
 * page, which asks PortOne and explains. */
(function ($) {
  "use strict";
  var config = JSON.parse($("#payment-config").text());
  var VERIFY_WAIT_MS = 8000;  // then the return page takes over ("확인 중", checking again)

  IMP.init(config.impCode);  // exactly once per page

  function progress(text) {
    $("#pay-progress-text").text(text || "");
    $("#pay-progress").prop("hidden", !text);
  }

  function returnPage(params) {
    window.location.assign(config.returnUrl + "?" + $.param(params));
  }

  function verify(rsp, resultUrl) {
    progress("결제 결과를 확인하고 있습니다…");
    var slow = window.setTimeout(function () {
      progress("결제사 응답을 기다리고 있습니다. 창을 닫지 말아 주세요…");
    }, 3000);
    $.ajax({
      url: config.completeUrl,
      method: "POST",
      contentType: "application/json",
      dataType: "json",
      timeout: VERIFY_WAIT_MS,
      headers: { "X-CSRFToken": $('meta[name="csrf-token"]').attr("content") },
      data: JSON.stringify({ imp_uid: rsp.imp_uid, merchant_uid: rsp.merchant_uid })
    }).done(function (data) {
      window.location.assign(data.redirect_url || resultUrl);
    }).fail(function (xhr) {
      var data = xhr.responseJSON || {};
      if (xhr.status === 503 || xhr.status === 0) {
        returnPage({ imp_uid: rsp.imp_uid, merchant_uid: rsp.merchant_uid });
      } else {
        window.location.assign(data.redirect_url || resultUrl);
      }
    }).always(function () {
      window.clearTimeout(slow);
    });
  }

  /* Opens the window for a request made by the server; onVerifying is told when the window
   * has answered and the server is being asked. */
  function open(request, resultUrl, onVerifying) {
    IMP.request_pay(request, function (rsp) {
      if (rsp.imp_uid) {
        onVerifying();
        verify(rsp, resultUrl);  // failures too: the server records them and shows the truth
      } else {
        returnPage({
          merchant_uid: request.merchant_uid,
          error_code: rsp.error_code || "",
          error_msg: rsp.error_msg || ""
        });
      }
    });
  }

  window.ShopPayment = { config: config, open: open, progress: progress };
})(jQuery);
