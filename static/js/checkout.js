/* The 주문서: 결제하기 places the order on the server (jQuery.ajax, the same form post) and
 * opens the payment window at once. Errors come back as JSON and are shown beside their
 * fields, with what was typed kept. Without the SDK the form posts as a page and leads to the
 * order's pay page. */
jQuery(function ($) {
  "use strict";
  var $form = $("#checkout-form");
  var $button = $("#checkout-pay");
  var $message = $("#checkout-message");
  var label = $button.text();
  var busy = false;

  function fieldOf(name) {
    var $control = $form.find("[name='" + name + "']").first();
    return { $control: $control, $box: $control.closest(".field, .consent__item, .pay-methods") };
  }

  function clearError($control) {
    var $box = $control.closest(".field, .consent__item, .pay-methods");
    $box.removeClass("field--error").find(".field__error").remove();
    $control.removeAttr("aria-invalid aria-describedby");
  }

  function showError(name, text) {
    var field = fieldOf(name);
    var id = name + "-error";
    field.$box.addClass("field--error").find(".field__error").remove();
    field.$box.append($("<p class='field__error'>").attr("id", id).text(text));
    field.$control.attr({ "aria-invalid": "true", "aria-describedby": id });
  }

  function showMessage(text, errors) {
    $message.empty().append($("<h2>").text(text));
    if (errors) {
      var $list = $("<ul>").appendTo($message);
      $.each(errors, function (i, error) {
        var text = error.messages[0];
        $list.append($("<li>").append($("<a>").attr("href", "#" + error.field).text(text)));
        showError(error.field, text);
      });
    }
    $message.prop("hidden", false).trigger("focus");
  }

  function ready() {
    busy = false;
    window.ShopPayment.progress("");
    $button.prop("disabled", false).text(label);
  }

  function refused(xhr) {
    var data = xhr.responseJSON || {};
    if (data.redirect_url) { window.location.assign(data.redirect_url); return; }
    ready();
    showMessage(data.message || "주문을 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.", data.errors);
  }

  function placed(data) {
    $button.text("결제 진행 중…");
    window.ShopPayment.open(data.request, data.resultUrl, function () {
      $button.text("결제 확인 중…");
    });
  }

  $form.on("submit", function (event) {
    if (!window.ShopPayment) { return; }  // the SDK did not load: the page post still works
    event.preventDefault();
    if (busy) { return; }  // a double click makes one order and one window
    busy = true;
    $message.prop("hidden", true);
    $button.prop("disabled", true).text("주문 확인 중…");
    $.ajax({
      url: $form.attr("action"),
      method: "POST",
      data: $form.serialize(),
      dataType: "json",
      headers: { "X-CSRFToken": $('meta[name="csrf-token"]').attr("content") }
    }).done(placed).fail(refused);
  });

  // An error goes as soon as its field is right, not at the next 결제하기.
  $form.on("input change", ".field--error input, .field--error select, .consent__item input", function () {
    var control = this;
    var filled = control.type === "checkbox" ? control.checked : $.trim(control.value) !== "";
    if (filled && control.checkValidity()) { clearError($(control)); }
  });

  // 전체 동의 over the required items; it follows them when they are ticked one by one.
  var $items = $form.find("[data-consent]");
  var $all = $("#agree-all");
  $all.closest("label").prop("hidden", false);
  $all.on("change", function () { $items.prop("checked", this.checked).trigger("change"); });
  $items.on("change", function () {
    $all.prop("checked", $items.filter(":checked").length === $items.length);
  });
  $items.first().trigger("change");

  // 받는 분: the 주문자 unless the box is cleared.
  var $same = $("#same_as_buyer");
  function showRecipient() {
    var separate = !$same.prop("checked");
    $("#recipient-fields").prop("hidden", !separate);
    $("#recipient_name, #recipient_tel").prop("required", separate);
  }
  $form.find("[data-no-script]").remove();
  $same.on("change", showRecipient);
  showRecipient();

  // 배송 메모: 직접 입력 opens a text field.
  var $memo = $("#delivery_memo");
  function showTypedMemo() { $("#memo-typed").prop("hidden", $memo.val() !== "typed"); }
  $memo.on("change", showTypedMemo);
  showTypedMemo();

  // 현금영수증: only for the cash methods, with the number its choice asks for.
  var $receipt = $("#cash-receipt");
  var cashMethods = ($receipt.data("cash-methods") || "").split(" ");
  function showReceipt() {
    var method = $form.find("[name='pay_method']:checked").val();
    var choice = $form.find("[data-receipt-choice]:checked").val();
    $receipt.prop("hidden", $.inArray(method, cashMethods) < 0);
    $receipt.find("[data-receipt-for]").each(function () {
      $(this).prop("hidden", $(this).data("receipt-for") !== choice);
    });
  }
  $form.on("change", "[name='pay_method'], [data-receipt-choice]", showReceipt);
  showReceipt();

  // Back to a page kept in the browser's memory: the server says what the order became.
  $(window).on("pageshow", function (event) {
    if (event.originalEvent.persisted) { window.location.reload(); }
  });
});
