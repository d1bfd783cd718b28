/* The verification queue: the page's assets as numbered points on a light map (their data
   comes from the json_script #verify-points, never from HTML), a marker toggles its row's
   checkbox, and "Use my position" fills the point for the nearest-first order. */
(function () {
  "use strict";

  function marker(point, map) {
    var box = document.getElementById("pick-" + point.id);
    var icon = function () {
      return L.divIcon({className: "verify-pin" + (box && box.checked ? " picked" : ""),
                        html: "", iconSize: [26, 26]});
    };
    var m = L.marker([point.lat, point.lon], {icon: icon(), keyboard: false,
                                               title: point.n + ". " + point.name});
    // The number is text content, not HTML: a name can hold anything.
    var label = function () { m.getElement().textContent = String(point.n); };
    m.on("add", label);
    m.on("click", function () {
      if (!box) return;
      box.checked = !box.checked;
      box.dispatchEvent(new Event("change"));
    });
    if (box) box.addEventListener("change", function () { m.setIcon(icon()); label(); });
    return m.addTo(map);
  }

  function mapInit() {
    var node = document.getElementById("verify-points");
    var div = document.getElementById("verify-map");
    if (!node || !div || !window.L) return;
    var points = JSON.parse(node.textContent);
    var map = L.map(div, {keyboard: false});
    L.tileLayer(div.dataset.tiles, {maxZoom: 19,
      attribution: "&copy; OpenStreetMap"}).addTo(map);
    var bounds = points.map(function (p) { marker(p, map); return [p.lat, p.lon]; });
    map.fitBounds(bounds, {maxZoom: 16, padding: [20, 20]});
  }

  function positionInit() {
    var button = document.getElementById("use-position");
    var near = document.getElementById("id_near");
    var order = document.getElementById("id_order");
    if (!button || !near || !navigator.geolocation) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        // Dot decimals and lon,lat: the form's (and the API's) one order.
        near.value = pos.coords.longitude.toFixed(6) + "," + pos.coords.latitude.toFixed(6);
        if (order) order.value = "nearest";
        button.form.submit();
      });
    });
  }

  function reasonInit() {
    // The reason is required to send back, not to verify: the browser checks it per button.
    var reason = document.getElementById("id_reason");
    var reject = document.getElementById("reject-selected");
    var verify = document.getElementById("verify-selected");
    if (!reason || !reject || !verify) return;
    reject.addEventListener("click", function () { reason.required = true; });
    verify.addEventListener("click", function () { reason.required = false; });
  }

  function selectAllInit() {
    var button = document.getElementById("select-all");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var boxes = document.querySelectorAll('#review-form input[name="ids"]');
      var all = Array.prototype.every.call(boxes, function (b) { return b.checked; });
      Array.prototype.forEach.call(boxes, function (b) {
        b.checked = !all;
        b.dispatchEvent(new Event("change"));
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    selectAllInit();
    mapInit();
    positionInit();
    reasonInit();
  });
})();
