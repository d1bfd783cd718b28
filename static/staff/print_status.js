/* Print batch page: poll the batch's status until it is done or failed, then reload once
   so the list of plaques and the download link appear. No library. */
(function () {
  "use strict";
  var box = document.getElementById("batch-status");
  if (!box || box.dataset.done) return;
  var label = document.getElementById("status-label");
  var count = document.getElementById("status-count");
  var bar = document.getElementById("status-bar");
  var message = document.getElementById("status-message");
  // Figures in the page's language, as the server writes them (vi 1.234, zh 1,234).
  var figure = new Intl.NumberFormat(document.documentElement.lang || undefined);
  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        label.textContent = s.status_label;
        label.className = "status-" + s.status;
        count.textContent = figure.format(s.progress) + "/" + figure.format(s.total);
        bar.max = s.total || 1;
        bar.value = s.progress;
        message.textContent = s.message || "";
        if (s.done) { window.location.reload(); } else { setTimeout(poll, 700); }
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 400);
})();
