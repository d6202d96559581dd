/* A form's [data-once] button is pressed once: a double click sends one request (the server
 * would refuse the second anyway, but the customer should not see that refusal). */
document.addEventListener("submit", function (event) {
  "use strict";
  var button = event.target.querySelector("[data-once]");
  if (button) { window.setTimeout(function () { button.disabled = true; }, 0); }
});
