/* Quantity steppers. In the cart each − and + is a plain form button that works without
 * JavaScript; here it posts in the background and the updated cart replaces the old one, so
 * the page keeps its scroll position and a quick second tap counts from the new quantity
 * instead of posting the old one again. On a product page − and + change the number field. */
(function () {
  "use strict";

  function holdButtons(form) {
    form.setAttribute("aria-busy", "true");
    form.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
  }

  function postedData(form, button) {
    var data = new FormData(form);
    data.set(button.name, button.value);
    return data;
  }

  /* Swap in the new page's main content and cart count; the scripts below stay as they are. */
  function showPage(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    ["#main", ".cart-link"].forEach(function (selector) {
      var old = document.querySelector(selector);
      var now = fresh.querySelector(selector);
      if (old && now) { old.replaceWith(now); }
    });
  }

  function refocus(productId, step) {
    var stepper = document.querySelector('[data-stepper="' + productId + '"]');
    if (!stepper) { return; }
    var same = stepper.querySelector('[data-step="' + step + '"]');
    (same.disabled ? stepper.querySelector("button:not([disabled])") || same : same).focus();
  }

  /* Whatever went wrong in the background, the plain form post still works. */
  function postPlainly(form, button) {
    var field = document.createElement("input");
    field.type = "hidden";
    field.name = button.name;
    field.value = button.value;
    form.appendChild(field);
    form.submit();
  }

  function changeQuantity(form, button) {
    holdButtons(form);
    fetch(form.action, { method: "POST", body: postedData(form, button), credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        showPage(html);
        refocus(form.dataset.stepper, button.dataset.step);
      })
      .catch(function () { postPlainly(form, button); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    if (!form.matches("[data-stepper]") || !button || !window.fetch) { return; }
    event.preventDefault();
    changeQuantity(form, button);
  });

  function stepField(picker, step) {
    var field = picker.querySelector("input");
    var wanted = (parseInt(field.value, 10) || 1) + step;
    field.value = Math.min(Math.max(wanted, Number(field.min)), Number(field.max));
    markLimits(picker);
  }

  function markLimits(picker) {
    var field = picker.querySelector("input");
    var value = parseInt(field.value, 10) || 1;
    picker.querySelector('[data-step="-1"]').disabled = value <= Number(field.min);
    picker.querySelector('[data-step="1"]').disabled = value >= Number(field.max);
  }

  document.querySelectorAll("[data-quantity-picker]").forEach(function (picker) {
    picker.querySelectorAll("[data-step]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { stepField(picker, Number(button.dataset.step)); });
    });
    picker.querySelector("input").addEventListener("input", function () { markLimits(picker); });
    markLimits(picker);
  });
}());
