/* Admin map widget: the textarea holds GeoJSON; the map edits it. Around the map: a place
   search over the project's own data (/staff/places.json), "use my position", and typed
   latitude/longitude that move the point and follow it. Every message comes from the
   widget's json_script (the interface language) and is set as text, never as markup. */
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
    var widget = {box: box, map: map, texts: texts.tools || {}, status: box.querySelector(".qrmap-widget-status")};
    // Where the map looks, for the browser tests and for anyone reading the page's state.
    function recordCenter() {
      var c = map.getCenter();
      mapDiv.dataset.center = c.lat.toFixed(5) + "," + c.lng.toFixed(5);
    }
    map.on("moveend", recordCenter);
    recordCenter();

    function load() {
      drawn.clearLayers();
      var text = area.value.trim();
      if (!text) { showCoords(); return; }
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
      showCoords();
    }
    function save() {
      var layers = drawn.getLayers();
      if (!layers.length) { area.value = ""; showCoords(); return; }
      var geoms = layers.map(function (l) { return l.toGeoJSON().geometry; });
      var geom = geoms.length === 1 ? geoms[0] : {type: "GeometryCollection", geometries: geoms};
      area.value = JSON.stringify(geom);
      showCoords();
    }
    function place(latlng) {
      drawn.clearLayers();
      widget.clearAccuracy();
      drawn.addLayer(L.marker(latlng, {draggable: true}).on("dragend", function () {
        widget.clearAccuracy();
        save();
      }));
      save();
    }
    // The typed fields follow the point: dots, six decimals (about 10 cm), in every language.
    function showCoords() {
      if (!widget.lat) return;
      var layers = drawn.getLayers();
      var point = layers.length === 1 && layers[0].getLatLng ? layers[0].getLatLng() : null;
      widget.lat.value = point ? point.lat.toFixed(6) : "";
      widget.lon.value = point ? point.lng.toFixed(6) : "";
      widget.lat.removeAttribute("aria-invalid");
      widget.lon.removeAttribute("aria-invalid");
    }
    widget.place = place;
    widget.clearAccuracy = function () {
      if (widget.accuracy) { map.removeLayer(widget.accuracy); widget.accuracy = null; }
    };
    if (pointMode) {
      map.on("click", function (e) { place(e.latlng); });
      coordinates(widget, box);
      locate(widget, box);
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
    placeSearch(widget, box);
    area.addEventListener("change", load);
    load();
  }

  function say(widget, key, values) {
    var text = widget.texts[key] || key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(values[name]));
    });
    if (widget.status) widget.status.textContent = text;
    return text;
  }

  /* Typed latitude and longitude. Only dots are decimals: "21,85" is answered, not guessed
     (it could be two numbers). The province check stays with the server's rule on save. */
  function coordinates(widget, box) {
    widget.lat = box.querySelector(".qrmap-lat");
    widget.lon = box.querySelector(".qrmap-lon");
    if (!widget.lat || !widget.lon) return;
    var NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;
    function refuse(field, key, values) {
      field.setAttribute("aria-invalid", "true");
      say(widget, key, values);
    }
    function apply() {
      var latText = widget.lat.value.trim(), lonText = widget.lon.value.trim();
      widget.lat.removeAttribute("aria-invalid");
      widget.lon.removeAttribute("aria-invalid");
      if (!latText || !lonText) return;
      var fields = [[widget.lat, latText, "latNumber"], [widget.lon, lonText, "lonNumber"]];
      for (var i = 0; i < fields.length; i++) {
        var text = fields[i][1];
        if (NUMBER.test(text)) continue;
        if (NUMBER.test(text.replace(",", "."))) {
          return refuse(fields[i][0], "comma", {value: text.replace(",", ".")});
        }
        return refuse(fields[i][0], fields[i][2]);
      }
      var lat = parseFloat(latText), lon = parseFloat(lonText);
      if (Math.abs(lat) > 90 && Math.abs(lon) <= 90) return refuse(widget.lat, "swapped", {value: latText});
      if (Math.abs(lat) > 90) return refuse(widget.lat, "latRange");
      if (Math.abs(lon) > 180) return refuse(widget.lon, "lonRange");
      widget.place(L.latLng(lat, lon));
      widget.map.setView([lat, lon], Math.max(widget.map.getZoom(), 16));
      say(widget, "placed", {lat: lat, lon: lon});
    }
    [widget.lat, widget.lon].forEach(function (field) {
      field.addEventListener("change", apply);
      // Enter in a field of the admin form would save the whole form: apply the point instead.
      field.addEventListener("keydown", function (e) {
        if (e.key === "Enter") { e.preventDefault(); apply(); }
      });
    });
  }

  /* "Use my position": for a clerk standing at the plaque with a phone. */
  function locate(widget, box) {
    var button = box.querySelector(".qrmap-locate");
    if (!button) return;
    button.addEventListener("click", function () {
      if (!navigator.geolocation || window.isSecureContext === false) {
        say(widget, "unsupported");
        return;
      }
      say(widget, "locating");
      navigator.geolocation.getCurrentPosition(function (position) {
        var c = position.coords, latlng = L.latLng(c.latitude, c.longitude);
        widget.place(latlng);
        widget.accuracy = L.circle(latlng, {radius: c.accuracy, weight: 1, interactive: false}).addTo(widget.map);
        widget.map.fitBounds(widget.accuracy.getBounds(), {maxZoom: 18});
        say(widget, "located", {accuracy: formatNumber(Math.round(c.accuracy))});
      }, function (error) {
        say(widget, error.code === 1 ? "denied" : "unavailable");
      }, {enableHighAccuracy: true, timeout: 20000, maximumAge: 0});
    });
  }

  function formatNumber(n) {
    try { return new Intl.NumberFormat(document.documentElement.lang || undefined).format(n); }
    catch (e) { return String(n); }
  }

  /* The place search: a combobox over /staff/places.json (the user's communes, hamlets
     and assets); choosing a line moves the map there, the point stays where it is. */
  function placeSearch(widget, box) {
    var input = box.querySelector(".qrmap-place-input");
    var list = box.querySelector(".qrmap-place-list");
    if (!input || !list || !window.fetch) return;
    var found = [], active = -1, timer = null, pending = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function show(places) {
      found = places;
      list.textContent = "";
      places.forEach(function (p, i) {
        var item = document.createElement("li");
        item.id = list.id + "_" + i;
        item.setAttribute("role", "option");
        var name = document.createElement("span");
        name.className = "qrmap-place-name";
        name.textContent = p.name;
        var detail = document.createElement("span");
        detail.className = "qrmap-place-detail";
        detail.textContent = [p.kind_label, p.detail].filter(Boolean).join(" · ");
        item.appendChild(name);
        item.appendChild(detail);
        // mousedown, not click: it comes before the input's blur closes the list.
        item.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(item);
      });
      list.hidden = !places.length;
      input.setAttribute("aria-expanded", places.length ? "true" : "false");
      if (!places.length) say(widget, "none");
      else if (widget.status) widget.status.textContent = "";
    }
    function highlight(i) {
      var items = list.querySelectorAll("li");
      if (!items.length) return;
      active = (i + items.length) % items.length;
      items.forEach(function (item, n) { item.setAttribute("aria-selected", n === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
    }
    function choose(i) {
      var p = found[i];
      if (!p) return;
      if (p.bbox) widget.map.fitBounds([[p.bbox[1], p.bbox[0]], [p.bbox[3], p.bbox[2]]]);
      else widget.map.setView([p.lat, p.lon], 17);
      input.value = p.name;
      close();
      say(widget, "moved", {name: p.name});
    }
    function lookup() {
      var query = input.value.trim();
      if (query.length < 2) { close(); return; }
      if (pending) pending.abort();
      pending = window.AbortController ? new AbortController() : null;
      say(widget, "searching");
      fetch(box.dataset.places + "?q=" + encodeURIComponent(query), {
        credentials: "same-origin", headers: {Accept: "application/json"},
        signal: pending ? pending.signal : undefined
      }).then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      }).then(function (data) {
        if (input.value.trim() === query) show(data.places || []);
      }).catch(function (e) {
        if (e.name !== "AbortError") say(widget, "failed");
      });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 250);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (!list.hidden) highlight(active + (e.key === "ArrowDown" ? 1 : -1));
      } else if (e.key === "Enter") {
        // Never the admin form's submit: Enter picks the line (the first one if none is).
        e.preventDefault();
        if (!list.hidden) choose(active < 0 ? 0 : active);
        else { clearTimeout(timer); lookup(); }
      } else if (e.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
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
