/* The assets map (assets/maps.py) on top of geodata/maps.js: the "assets" tile theme (a dot
   per asset in its kind's colour, or a circle where a tile counts them), a switch per kind
   in the layer control, popups from the asset's details fetched by id, and the focus on one
   asset. Loaded after maps.js (both deferred, in this order). Names are shown as text. */
(function () {
  "use strict";
  var Q = window.QRMap, el = Q.dom.el, link = Q.dom.link, text = Q.dom.text;

  /* markercluster's scale: green, yellow, orange as the count grows. */
  function clusterColour(n) {
    return n < 10 ? "#6ecc39" : (n < 100 ? "#f0c20c" : "#f18017");
  }
  function assetsShown(p) {
    if (!Q.kinds) return p.n;
    return Object.keys(Q.kinds).reduce(function (sum, kind) {
      return sum + (Q.kindOn(kind) ? (p["n_" + kind] || 0) : 0);
    }, 0);
  }

  /* The assets map's kinds: one switch each in the layer control (an empty layer group);
     the assets tile layer draws the kinds whose switch is on. */
  Q.kinds = null;
  Q.kindOn = function (kind) {
    return !Q.kinds || !Q.kinds[kind] || !Q.map || Q.map.hasLayer(Q.kinds[kind]);
  };
  Q.kindSwitch = function (kind) {
    var layer = L.layerGroup();
    layer.qrmapKind = kind;
    Q.kinds = Q.kinds || {};
    Q.kinds[kind] = layer;
    layer.on("add remove", function () {
      clearTimeout(Q.kindTimer);
      Q.kindTimer = setTimeout(function () {
        /* Not while the page sets the switches up: the tiles asked for then are drawn
           with them already, and a redraw would cancel and ask for them again. */
        var tiles = Q.layers.assets;
        if (tiles && tiles.qrmapDrawn && Q.map.hasLayer(tiles)) tiles.redraw();
      }, 0);
    });
    return layer;
  };

  /* An asset: a dot in its kind's colour; where counted, a circle sized by the assets of
     the kinds switched on (none: nothing drawn). */
  Q.tileStyles.assets = function (p, zoom, o) {
    if (p.n != null) {
      var n = assetsShown(p);
      if (!n) return [];
      return {radius: Math.min(22, 8 + Math.sqrt(n) * 0.6), fill: true, weight: 3,
              color: "#fff", fillColor: clusterColour(n), fillOpacity: 0.9};
    }
    if (!Q.kindOn(p.t)) return [];
    return {radius: 7, fill: true, weight: 1.5, color: "#fff",
            fillColor: (o.colours || {})[p.t] || "#555", fillOpacity: 0.95};
  };

  /* An asset's popup from its details (name in the page's language), as the inline map
     built it; a count zooms in where it was clicked, as a cluster did. */
  function assetPopup(o, id, latlng) {
    var L_ = o.labels;
    function open(content) {
      setTimeout(function () {
        L.popup().setLatLng(latlng).setContent(content).openOn(Q.map);
      }, 0);
    }
    var url = o.detail.replace("{id}", encodeURIComponent(id)) +
      (o.lang ? "?lang=" + encodeURIComponent(o.lang) : "");
    return fetch(url, {credentials: "omit"})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (d) {
        var code = text(d.k), box = el("div", null, null, "qrmap-asset");
        el("strong", d.n, box);
        el("br", null, box);
        box.appendChild(document.createTextNode(text(L_.categories[d.c] || d.c)));
        el("br", null, box);
        box.appendChild(document.createTextNode(text(L_.code) + ": "));
        el("code", code.slice(0, 4) + "-" + code.slice(4), box);
        el("br", null, box);
        link(o.link + encodeURIComponent(code), L_.open, box);
        open(box);
      })
      .catch(function () { open(el("span", L_.unavailable)); });
  }
  /* What a screen reader hears of a cluster (maps.js, countButtons). */
  Q.countLabels.assets = function (p, L_) {
    if (p.n == null) return null;
    var n = assetsShown(p);
    if (!n) return null;
    var form = (L_.count || ["", ""])[n === 1 ? 0 : 1];  // en, vi, zh: one form or two
    return form.split("%(count)s").join(Number(n).toLocaleString(
      document.documentElement.lang || undefined));
  };
  Q.tileClicks.assets = function (o, p, latlng) {
    if (p.n != null) {
      Q.map.setView(latlng, Math.min(Q.map.getZoom() + 2, 18));
      return;
    }
    assetPopup(o, p.$id, latlng);
  };
  /* The asset the page was opened for (?focus=CODE): its popup, once the map is there. */
  Q.focusAsset = function (focus) {
    var layer = Q.layers.assets;
    if (!layer || !focus) return;
    assetPopup(layer.qrmapTiles, focus.id, L.latLng(focus.lat, focus.lon));
  };
})();
