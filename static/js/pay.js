/* The pay page: open the PortOne window, then let the server verify what happened.
 * The callback's rsp is only a claim; the shop's server asks PortOne for the truth.
 * When Back restores this page from the cache, it asks the server whether the order can
 * still be paid and otherwise shows the order; a window opened for a paid order is refused
 * by PortOne (F1002), and the return page then shows the order as it is. */
jQuery(function ($) {
  "use strict";
  var config = JSON.parse($("#payment-config").text());
  var $button = $("#pay-button");
  var $progress = $("#pay-progress");
  var label = $button.text();
  var VERIFY_WAIT_MS = 8000;  // then the return page takes over ("확인 중", checking again)

  IMP.init(config.impCode);  // exactly once per page
  $button.prop("disabled", false);

  function progress(text) {
    $("#pay-progress-text").text(text || "");
    $progress.prop("hidden", !text);
  }

  function ready() {
    progress("");
    $button.prop("disabled", false).text(label);
  }

  function returnPage(params) {
    window.location.assign(config.returnUrl + "?" + $.param(params));
  }

  function leaveIfSettled() {
    $.ajax({ url: config.statusUrl, dataType: "json", cache: false, timeout: 5000 })
      .done(function (data) {
        if ($.inArray(data.status, config.payableStatuses) === -1) {
          window.location.replace(config.resultUrl);
        }
      });
  }

  function verify(rsp) {
    $button.prop("disabled", true).text("결제 확인 중…");
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
      window.location.assign(data.redirect_url || config.resultUrl);
    }).fail(function (xhr) {
      var data = xhr.responseJSON || {};
      if (xhr.status === 503 || xhr.status === 0) {
        returnPage({ imp_uid: rsp.imp_uid, merchant_uid: rsp.merchant_uid });
      } else {
        window.location.assign(data.redirect_url || config.resultUrl);
      }
    }).always(function () {
      window.clearTimeout(slow);
    });
  }

  // Back from a full-page payment window restores this page from the cache as it was.
  $(window).on("pageshow", function (event) {
    if (event.originalEvent.persisted) {
      ready();
      leaveIfSettled();
    }
  });

  $button.on("click", function () {
    $button.prop("disabled", true).text("결제 진행 중…");
    IMP.request_pay(config.request, function (rsp) {
      if (rsp.imp_uid) {
        verify(rsp);  // failures too: the server records them and shows the true state
      } else {
        // Refused before any payment existed: the return page asks PortOne and explains.
        returnPage({
          merchant_uid: config.request.merchant_uid,
          error_code: rsp.error_code || "",
          error_msg: rsp.error_msg || ""
        });
      }
    });
  });
});
