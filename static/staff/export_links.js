/* Import screen: carry the filter fields onto the export links when one is clicked. Without
   JavaScript the links export everything. A static file: the CSP allows no inline script. */
(function () {
  "use strict";
  function wire() {
    var form = document.getElementById("export-filter");
    if (!form) return;
    document.querySelectorAll("a.export").forEach(function (a) {
      a.addEventListener("click", function () {
        var q = new URLSearchParams(new FormData(form));
        Array.from(q.keys()).forEach(function (k) { if (!q.get(k)) q.delete(k); });
        a.href = a.href.split("?")[0] + (q.toString() ? "?" + q : "");
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
})();
