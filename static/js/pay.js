/* The pay page: for paying again, and for browsers that placed the order without JavaScript.
 * When Back restores this page from the cache, it asks the server whether the order can
 * still be paid and otherwise shows the order; a window opened for a paid order is refused
 * by PortOne (F1002), and the return page then shows the order as it is. */
jQuery(function ($) {
  "use strict";
  var payment = window.ShopPayment;
  var config = payment.config;
  var $button = $("#pay-button");
  var label = $button.text();

  $button.prop("disabled", false);

  function leaveIfSettled() {
    $.ajax({ url: config.statusUrl, dataType: "json", cache: false, timeout: 5000 })
      .done(function (data) {
        if ($.inArray(data.status, config.payableStatuses) === -1) {
          window.location.replace(config.resultUrl);
        }
      });
  }

  // Back from a full-page payment window restores this page from the cache as it was.
  $(window).on("pageshow", function (event) {
    if (event.originalEvent.persisted) {
      payment.progress("");
      $button.prop("disabled", false).text(label);
      leaveIfSettled();
    }
  });

  $button.on("click", function () {
    $button.prop("disabled", true).text("결제 진행 중…");
    payment.open(config.request, config.resultUrl, function () {
      $button.text("결제 확인 중…");
    });
  });
});
