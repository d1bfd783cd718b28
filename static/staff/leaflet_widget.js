/* Admin map widget: the textarea holds GeoJSON; the map edits it. */
(function () {
  "use strict";
  function init(box) {
    var area = box.querySelector("textarea");
    var mapDiv = box.querySelector(".qrmap-map");
    if (!window.L || !area || !mapDiv || box.dataset.ready) return;
    box.dataset.ready = "1";
    // Tool tips in the interface language (the widget's json_script); English without it.
    var textsNode = box.querySelector('script[type="application/json"]');
    var texts = textsNode ? JSON.parse(textsNode.textContent) : {};
    if (L.drawLocal && texts.draw) merge(L.drawLocal, {draw: texts.draw, edit: texts.edit});
    var map = L.map(mapDiv, {zoomControl: false}).setView([+box.dataset.lat, +box.dataset.lon], 13);
    L.control.zoom(texts.zoom || {}).addTo(map);
    L.tileLayer(box.dataset.tiles, {maxZoom: 19, attribution: box.dataset.attribution}).addTo(map);
    var drawn = new L.FeatureGroup().addTo(map);
    var pointMode = box.dataset.draw === "point";

    function load() {
      drawn.clearLayers();
      var text = area.value.trim();
      if (!text) return;
      try {
        L.geoJSON(JSON.parse(text), {
          pointToLayer: function (f, latlng) { return L.marker(latlng, {draggable: pointMode}); }
        }).eachLayer(function (layer) {
          if (layer.getLayers) layer.getLayers().forEach(function (l) { drawn.addLayer(l); });
          else drawn.addLayer(layer);
        });
        var bounds = drawn.getBounds();
        if (bounds.isValid()) map.fitBounds(bounds, {maxZoom: 17});
        drawn.eachLayer(function (l) { if (l.on) l.on("dragend", save); });
      } catch (e) { /* leave the text for the user to fix */ }
    }
    function save() {
      var layers = drawn.getLayers();
      if (!layers.length) { area.value = ""; return; }
      var geoms = layers.map(function (l) { return l.toGeoJSON().geometry; });
      var geom = geoms.length === 1 ? geoms[0] : {type: "GeometryCollection", geometries: geoms};
      area.value = JSON.stringify(geom);
    }
    if (pointMode) {
      map.on("click", function (e) {
        drawn.clearLayers();
        var m = L.marker(e.latlng, {draggable: true}).on("dragend", save);
        drawn.addLayer(m);
        save();
      });
    } else {
      map.addControl(new L.Control.Draw({
        edit: {featureGroup: drawn},
        draw: {polyline: true, polygon: true, rectangle: false, circle: false, marker: false,
               circlemarker: false}
      }));
      map.on(L.Draw.Event.CREATED, function (e) { drawn.clearLayers(); drawn.addLayer(e.layer); save(); });
      map.on(L.Draw.Event.EDITED, save);
      map.on(L.Draw.Event.DELETED, save);
    }
    area.addEventListener("change", load);
    load();
  }
  function merge(into, from) {
    Object.keys(from).forEach(function (key) {
      if (from[key] && typeof from[key] === "object" && into[key]) merge(into[key], from[key]);
      else into[key] = from[key];
    });
  }
  function all() { document.querySelectorAll(".qrmap-map-widget").forEach(init); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all);
  else all();
})();
