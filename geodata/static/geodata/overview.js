/* The coverage map's overview (geodata/overview.py): the hamlets the server drew into the
   page, on screen before any script. Once Leaflet runs, the drawing is pinned to the map
   (its viewBox spans the view's bounds in Web Mercator, as the map does), so that it follows
   a pan or a zoom; it goes once the hamlet tiles of the view are in and have drawn a
   feature (not at the first tile: the view would show some communes only). If no tile
   comes (no network, a server error), it stays: the map still shows where the gaps are. */
(function () {
  "use strict";
  var Q = window.QRMap;
  Q.overview = function (map, key) {
    var box = map.getContainer().parentNode.querySelector("[data-qrmap-overview]");
    var layer = Q.layers[key];
    if (!box) return;
    var b = box.getAttribute("data-bounds").split(",").map(Number);
    var pinned = L.svgOverlay(box.querySelector("svg"), [[b[1], b[0]], [b[3], b[2]]],
                              {interactive: false}).addTo(map);
    function drawn() {
      if (Q.count(key) === 0) return;  // the tiles failed, or hold no hamlet
      layer.off("load", drawn);
      map.removeLayer(pinned);
      box.hidden = true;
    }
    if (layer) layer.on("load", drawn);
  };
})();
