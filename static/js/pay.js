/* The pay page: open the PortOne window, then let the server verify what happened.
 * The callback's rsp is only a claim; the shop's server asks PortOne for the truth. */
jQuery(function ($) {
  "use strict";
  var config = JSON.parse($("#payment-config").text());
  var $button = $("#pay-button");
  var $message = $("#pay-message");
  var label = $button.text();

  IMP.init(config.impCode);  // exactly once per page
  $button.prop("disabled", false);

  function say(text) {
    $message.text(text).prop("hidden", !text);
  }

  function ready() {
    $button.prop("disabled", false).text(label);
  }

  function verify(rsp) {
    say("결제 결과를 확인하고 있습니다…");
    $.ajax({
      url: config.completeUrl,
      method: "POST",
      contentType: "application/json",
      dataType: "json",
      headers: { "X-CSRFToken": $('meta[name="csrf-token"]').attr("content") },
      data: JSON.stringify({ imp_uid: rsp.imp_uid, merchant_uid: rsp.merchant_uid })
    }).done(function (data) {
      window.location.assign(data.redirect_url || config.resultUrl);
    }).fail(function (xhr) {
      var data = xhr.responseJSON || {};
      if (xhr.status === 503 || xhr.status === 0) {
        // The gateway did not answer in time: the return page keeps checking.
        window.location.assign(config.returnUrl + "?" + $.param({
          imp_uid: rsp.imp_uid, merchant_uid: rsp.merchant_uid
        }));
      } else if (data.redirect_url) {
        window.location.assign(data.redirect_url);
      } else {
        say(data.message || "결제를 확인하지 못했습니다. 주문 내역에서 결과를 확인해 주세요.");
        ready();
      }
    });
  }

  // Coming back with the Back button from a full-page payment window restores this page
  // from the cache with the button still disabled.
  $(window).on("pageshow", function (event) {
    if (event.originalEvent.persisted) {
      say("");
      ready();
    }
  });

  $button.on("click", function () {
    $button.prop("disabled", true).text("결제 진행 중…");
    say("");
    IMP.request_pay(config.request, function (rsp) {
      if (rsp.imp_uid) {
        verify(rsp);  // failures too: the server records them and shows the true state
      } else {
        say(rsp.error_msg || "결제창을 열지 못했습니다. 잠시 후 다시 시도해 주세요.");
        ready();
      }
    });
  });
});
