/* An unsettled order's page: a webhook or reconciliation may settle it at any moment (a
 * deposit, a late approval). Ask the shop for the stored status and reload when it changes:
 * every 5 s for two minutes, then every 30 s, for half an hour at most. */
(function () {
  "use strict";
  var watch = document.getElementById("order-watch");
  if (!watch) { return; }
  var url = watch.getAttribute("data-status-url");
  var known = watch.getAttribute("data-status");
  var started = Date.now();

  function delay() {
    return Date.now() - started < 120000 ? 5000 : 30000;
  }

  function ask() {
    if (Date.now() - started > 1800000) { watch.hidden = true; return; }
    var request = new XMLHttpRequest();
    request.open("GET", url);
    request.onload = function () {
      var answer = request.status === 200 ? JSON.parse(request.responseText) : null;
      if (answer && answer.status !== known) { window.location.reload(); return; }
      window.setTimeout(ask, delay());
    };
    request.onerror = function () { window.setTimeout(ask, delay()); };
    request.send();
  }

  window.setTimeout(ask, delay());
}());
