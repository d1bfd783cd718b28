/* qrmap map themes. Each theme is one L.geoJSON layer drawn on the map's canvas renderer
   (the map is made with preferCanvas), styled here once instead of per feature in the page.
   Popups are built when opened, from short property names (see geodata/coverage/mapdata.py).
   Names and other data are shown as text: popups and tooltips are DOM nodes filled with
   textContent, never HTML strings (Leaflet reads a string content as HTML). */
(function () {
  "use strict";
  var Q = window.QRMap = {map: null, layers: {}};
  var OPERATORS = {viettel: "#7b3294", vinaphone: "#0571b0", mobifone: "#008080",
                   vietnamobile: "#b8860b"};
  var SHARES = [[0.5, "#cb181d"], [0.25, "#fb6a4a"], [0.1, "#fcae91"], [0.0001, "#fee5d9"],
                [-1, "#f7f7f7"]];
  Q.colours = {operators: OPERATORS, shares: SHARES};

  /* A phone's map is too small for an open layer list and legend: both start folded, the
     list behind Leaflet's button (named in the page's language: the map box's
     data-map-layers, geodata/_map.html), the legend behind its title. */
  var NARROW = !!(window.matchMedia && window.matchMedia("(max-width: 40rem)").matches);
  if (NARROW) L.Control.Layers.addInitHook(function () { this.options.collapsed = true; });
  var layersAdd = L.Control.Layers.prototype.onAdd;
  L.Control.Layers.include({onAdd: function (map) {
    var container = layersAdd.call(this, map);
    var holder = map.getContainer().closest("[data-map-layers]");
    var name = holder && holder.getAttribute("data-map-layers");
    if (name && this._layersLink) {
      this._layersLink.title = name;
      this._layersLink.setAttribute("aria-label", name);
    }
    return container;
  }});

  /* A hamlet's status is a shape and a colour (geodata/map_symbols.py, which passes the
     table as o.symbols): circleMarkers and tile points with options.shape are drawn as
     that shape by the canvas renderer, in their circle's place (a click still hits the
     circle). Sizes are in units of the marker's radius, as the legend's SVG draws them. */
  var SHAPES = {
    triangle: [[0, -1.24], [1.2, 0.84], [-1.2, 0.84]],
    square: [[-0.96, -0.96], [0.96, -0.96], [0.96, 0.96], [-0.96, 0.96]],
    diamond: [[0, -1.3], [1.3, 0], [0, 1.3], [-1.3, 0]],
    cross: [[-0.4, -1.2], [0.4, -1.2], [0.4, -0.4], [1.2, -0.4], [1.2, 0.4], [0.4, 0.4],
            [0.4, 1.2], [-0.4, 1.2], [-0.4, 0.4], [-1.2, 0.4], [-1.2, -0.4], [-0.4, -0.4]]
  };
  var drawCircle = L.Canvas.prototype._updateCircle;
  L.Canvas.include({_updateCircle: function (layer) {
    var corners = SHAPES[layer.options.shape];
    if (!corners) return drawCircle.call(this, layer);
    if (!this._drawing || layer._empty()) return;
    var ctx = this._ctx, p = layer._point, r = Math.max(layer._radius, 1);
    ctx.beginPath();
    corners.forEach(function (c, i) {
      ctx[i ? "lineTo" : "moveTo"](p.x + c[0] * r, p.y + c[1] * r);
    });
    ctx.closePath();
    this._fillStroke(ctx, layer);
  }});
  /* The style of a hamlet's mark: `marked` (declaration and model disagree, or a planned
     site closes it) thickens the outline. Broadband marks are drawn a size larger, under
     the 3G/4G ones, so that a hamlet shows both when both themes are on. */
  function symbolStyle(symbol, radius, marked) {
    symbol = symbol || {shape: "cross", fill: "#6b6b6b", stroke: "#1a1a1a"};
    var hollow = symbol.fill === "#ffffff";
    return {radius: radius, shape: symbol.shape, fill: true, fillColor: symbol.fill,
            fillOpacity: 1, color: marked ? "#000" : symbol.stroke, opacity: 1,
            weight: marked ? 2.5 : (hollow ? 2 : 1)};
  }
  function hamletStyle(p, o) {
    var broadband = o.theme === "broadband", symbols = (o.symbols || {})[o.theme] || {};
    var radius = (o.radius || 5) + (broadband ? 2 : 0);
    return symbolStyle(symbols[broadband ? p.b : p.m], radius,
                       !broadband && !!(p.d || p.s));
  }

  function text(value) { return value == null ? "" : String(value); }
  /* An element with the given text (or none), appended to parent when there is one. */
  function el(tag, content, parent, className) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content != null) node.textContent = text(content);
    if (parent) parent.appendChild(node);
    return node;
  }
  /* A link to a page of this site: the path is set as an attribute, never parsed as HTML. */
  function link(href, label, parent) {
    var a = el("a", label, parent);
    a.setAttribute("href", href);
    return a;
  }
  /* Tooltip content: a text node (a string would be read as HTML). */
  function textContent(value) {
    return function () { return document.createTextNode(text(value)); };
  }
  function num(value) {
    return Number(value || 0).toLocaleString(document.documentElement.lang || undefined);
  }
  function pct(value) { return Math.round((value || 0) * 1000) / 10 + " %"; }
  function table(title, rows) {
    var box = el("div");
    el("strong", title, box);
    var body = el("table", null, box, "qrmap-popup");
    rows.filter(function (r) { return r[1] !== "" && r[1] != null; }).forEach(function (r) {
      var tr = el("tr", null, body);
      el("th", r[0], tr);
      el("td", r[1], tr);
    });
    return box;
  }
  /* {"f": names, "r": [[lon, lat, ...values]]} -> a GeoJSON FeatureCollection of points. */
  function unpack(table) {
    if (!table || !table.r) return table;
    return {type: "FeatureCollection", features: table.r.map(function (row) {
      var properties = {};
      table.f.forEach(function (name, i) { properties[name] = row[i + 2]; });
      return {type: "Feature", properties: properties,
              geometry: {type: "Point", coordinates: [row[0], row[1]]}};
    })};
  }
  Q.unpack = unpack;
  Q.register = function (map) {
    Q.map = map;
    map.getContainer().classList.add("qrmap-map");
    map.on("popupopen", focusPopup);
  };
  /* A popup takes the focus, on its first link (an asset's page) or else on its text, so
     that a keyboard or a screen reader is where the answer is, not left on the canvas. */
  function focusPopup(e) {
    var content = e.popup.getElement().querySelector(".leaflet-popup-content");
    if (!content) return;
    var target = content.querySelector("a[href]") || content;
    if (target === content) content.tabIndex = -1;
    target.focus({preventScroll: true});
  }
  Q.layer = function (key, layer) { Q.layers[key] = layer; };
  /* Features a layer draws: an inline layer's, or the distinct ids in a tile layer's
     loaded tiles (VectorGrid keeps them when getFeatureId is given); for a kind switch of
     the assets map, the assets of that kind in the assets tiles. */
  Q.count = function (key) {
    var layer = Q.layers[key], kind = layer && layer.qrmapKind;
    if (kind) layer = Q.layers.assets;
    if (!layer) return 0;
    if (layer.getLayers) return layer.getLayers().length;
    var ids = {};
    Object.keys(layer._vectorTiles || {}).forEach(function (tile) {
      var features = layer._vectorTiles[tile]._features || {};
      Object.keys(features).forEach(function (id) {
        var p = features[id].feature.properties;
        if (!kind || (p.t === kind && Q.kindOn(kind))) ids[id] = true;  // asset_map.js
      });
    });
    return Object.keys(ids).length;
  };

  Q.hamlets = function (data, o) {
    var L_ = o.labels;
    return L.geoJSON(unpack(data), {
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, hamletStyle(f.properties, o));
      },
      onEachFeature: function (f, layer) {
        layer.bindPopup(function () {
          var p = f.properties;
          return table(p.n, [
            [L_.commune, (o.communes || {})[p.c] || p.c], [L_.population, num(p.p)],
            [L_.mobile, L_.mobile_status[p.m]],
            [L_.broadband, L_.broadband_status[p.b]],
            [L_.note, p.d ? L_.disagreement[p.d] : (p.s ? L_.closed : "")]
          ]);
        });
      }
    });
  };

  Q.shareColour = function (share) {
    for (var i = 0; i < SHARES.length; i++) { if (share >= SHARES[i][0]) return SHARES[i][1]; }
    return SHARES[SHARES.length - 1][1];
  };

  Q.communes = function (data, o) {
    var L_ = o.labels;
    return L.geoJSON(data, {
      style: function (f) {
        return {color: "#37474f", weight: 1, fillColor: Q.shareColour(f.properties.s),
                fillOpacity: 0.45};
      },
      onEachFeature: function (f, layer) {
        layer.bindPopup(function () {
          var p = f.properties;
          var box = table(p.n, [
            [L_.hamlets, num(p.t)], [L_.mobile_gaps, num(p.g) + " (" + pct(p.s) + ")"],
            [L_.mobile_gap_people, num(p.gp)],
            [L_.broadband_gaps, num(p.bg) + " (" + pct(p.bs) + ")"]
          ]);
          if (o.link) link(o.link + encodeURIComponent(p.k), L_.open, box);
          return box;
        });
      }
    });
  };

  Q.sites = function (data, o) {
    var L_ = o.labels;
    return L.geoJSON(unpack(data), {
      pointToLayer: function (f, latlng) {
        var colour = OPERATORS[f.properties.o] || "#555";
        return L.circle(latlng, {radius: f.properties.r, color: colour, weight: 1,
                                 fillColor: colour, fillOpacity: 0.06});
      },
      onEachFeature: function (f, layer) {
        layer.bindPopup(function () {
          var p = f.properties;
          return table(p.n, [[L_.operator, L_.operators[p.o] || p.o], [L_.technologies, p.t],
                             [L_.radius, num(p.r) + " m"]]);
        });
      }
    });
  };

  /* Planned or proposed sites: dashed circles with what each adds. */
  Q.planned = function (data, o) {
    var L_ = o.labels;
    return L.geoJSON(unpack(data), {
      pointToLayer: function (f, latlng) {
        return L.circle(latlng, {radius: f.properties.r, color: "#111", weight: 2,
                                 dashArray: "6 4", fillColor: "#ffeb3b", fillOpacity: 0.15});
      },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        layer.bindTooltip(textContent(p.i), {permanent: true, direction: "center",
                                             className: "qrmap-site-label"});
        layer.bindPopup(function () {
          return table(L_.site + " " + p.i + (p.n ? " — " + p.n : ""), [
            [L_.radius, num(p.r) + " m"], [L_.adds_hamlets, num(p.h)],
            [L_.adds_people, num(p.p)]
          ]);
        });
      }
    });
  };

  /* Themes from vector tiles (geodata/tile_maps.py). Their canvases take no pointer events
     (Leaflet's tile panes are click-through), so a click on the map is matched here against
     the features of the tile under it, the topmost theme first. */
  var EARTH_M = 40075016.686;
  /* Pixels of r metres at this zoom, at the map's latitude (Web Mercator). */
  function metresToPixels(r, zoom) {
    var lat = Q.map ? Q.map.getCenter().lat : 0;
    return r / (EARTH_M * Math.cos(lat * Math.PI / 180) / Math.pow(2, zoom + 8));
  }
  /* A commune's point with counts: area by hamlets (or assets), colour by gap share. */
  function countCircle(count, share) {
    return {radius: Math.min(24, 4 + Math.sqrt(count) * 0.7), fill: true, weight: 1,
            color: "#fff", fillColor: Q.shareColour(share), fillOpacity: 0.85};
  }
  var TILE_STYLES = {
    mobile: function (p, zoom, o) {
      if (p.t != null) return countCircle(p.t, p.g / p.t);
      return hamletStyle(p, o);
    },
    broadband: function (p, zoom, o) {
      if (p.t != null) return countCircle(p.t, p.bg / p.t);
      return hamletStyle(p, o);
    },
    sites: function (p, zoom) {
      if (p.n != null) {
        return {radius: Math.min(16, 3 + Math.sqrt(p.n)), fill: true, fillColor: "#555",
                fillOpacity: 0.5, weight: 1, color: "#fff"};
      }
      var colour = OPERATORS[p.o] || "#555";
      return {radius: Math.max(2, metresToPixels(p.r, zoom)), fill: true, color: colour,
              weight: 1, fillColor: colour, fillOpacity: 0.06};
    },
    communes: function (p) {
      return {fill: true, fillColor: Q.shareColour(p.s), fillOpacity: 0.45,
              color: "#37474f", weight: 1};
    },
    outlines: function () {
      return {fill: true, fillColor: "#cfd8dc", fillOpacity: 0.08, color: "#607d8b",
              weight: 1};
    }
  };
  /* Other scripts add themes: Q.tileStyles[theme](properties, zoom, options) draws a tile
     feature, Q.tileClicks[theme](options, properties, latlng) answers a click on it. */
  Q.tileStyles = TILE_STYLES;
  Q.tileClicks = {};
  Q.dom = {el: el, link: link, text: text};
  /* What a click shows: from the tile's own properties, or the feature's details fetched
     by id (JSON, shown as text). Opened after the click has finished its way through the
     map, which would otherwise close it again. */
  function tilePopup(o, e) {
    var p = e.layer.properties || {}, L_ = o.labels, id = p.$id;
    function open(content) {
      setTimeout(function () {
        L.popup().setLatLng(e.latlng).setContent(content).openOn(Q.map);
      }, 0);
    }
    if (Q.tileClicks[o.theme]) return Q.tileClicks[o.theme](o, p, e.latlng);
    if (o.theme === "outlines") return open(el("strong", p.n));
    if (o.theme === "communes" || p.t != null) {
      var rows = [[L_.hamlets, num(p.t)],
                  [L_.mobile_gaps, num(p.g) + (p.s != null ? " (" + pct(p.s) + ")" : "")],
                  [L_.mobile_gap_people, num(p.gp)],
                  [L_.broadband_gaps, num(p.bg) + (p.bs != null ? " (" + pct(p.bs) + ")" : "")]];
      var box = table(p.n, rows);
      if (o.link) link(o.link + encodeURIComponent(p.k), L_.open, box);
      return open(box);
    }
    if (p.n != null) return open(table(L_.sites_here, [[L_.sites_here, num(p.n)]]));
    fetch(o.detail.replace("{id}", encodeURIComponent(id)), {credentials: "omit"})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (d) {
        if (o.theme === "sites") {
          return open(table(d.n, [[L_.operator, L_.operators[d.o] || d.o],
                                  [L_.technologies, d.t],
                                  [L_.radius, d.r == null ? "" : num(d.r) + " m"]]));
        }
        open(table(d.n, [
          [L_.commune, d.c], [L_.population, num(d.p)], [L_.households, num(d.h)],
          [L_.mobile, L_.mobile_status[d.m]], [L_.broadband, L_.broadband_status[d.b]],
          [L_.note, d.d ? L_.disagreement[d.d] : ""]
        ]));
      })
      .catch(function () { open(el("span", L_.unavailable)); });
  }

  var TILE_ORDER = ["assets", "hamlets", "sites", "communes", "outlines"];
  /* The feature of a tile layer drawn at latlng, or null (VectorGrid's own hit test). */
  function tileHit(layer, latlng) {
    /* The zoom of the tiles on screen: at a fractional map zoom (fitted bounds snap to
       quarters) Leaflet shows the rounded zoom's tiles, scaled. */
    var zoom = layer._tileZoom != null ? layer._tileZoom
      : Math.min(Math.round(Q.map.getZoom()), layer.options.maxNativeZoom);
    var scale = Q.map.getZoomScale(Q.map.getZoom(), zoom);
    var pixel = Q.map.project(latlng, Q.map.getZoom()).divideBy(scale);
    var coords = pixel.divideBy(256).floor();
    var renderer = (layer._vectorTiles || {})[coords.x + ":" + coords.y + ":" + zoom];
    if (!renderer) return null;
    var point = pixel.subtract(coords.multiplyBy(256)), hit = null;
    Object.keys(renderer._layers).forEach(function (id) {
      var drawn = renderer._layers[id];
      if (!drawn._pxBounds && drawn.makeInteractive) drawn.makeInteractive();  // its bounds
      if (drawn._containsPoint(point)) hit = drawn;
    });
    return hit;
  }
  function onTileClick(e) {
    if (Q.picking) return;  // the click adds a site to the scenario (Q.pickPoints)
    var layers = Object.keys(Q.layers).map(function (k) { return Q.layers[k]; })
      .filter(function (l) { return l.qrmapTiles && Q.map.hasLayer(l); })
      .sort(function (a, b) {
        return TILE_ORDER.indexOf(a.qrmapTiles.layer) - TILE_ORDER.indexOf(b.qrmapTiles.layer);
      });
    for (var i = 0; i < layers.length; i++) {
      var hit = tileHit(layers[i], e.latlng);
      if (hit) return tilePopup(layers[i].qrmapTiles, {layer: hit, latlng: e.latlng});
    }
  }

  /* The main theme first (o.first: the hamlets, the assets): on a slow link the tiles of
     the other themes wait until its first tiles are in (or FIRST_WAIT_MS), so that they do
     not share the link with it. A layer's fetch is deferred by one turn of the event loop,
     by which time the page's map script has made every layer and named the main one. */
  var FIRST_WAIT_MS = 4000, releaseFirst;
  var firstTiles = new Promise(function (resolve) { releaseFirst = resolve; });
  function afterFirst(layer) {
    var fetchTile = layer._getVectorTilePromise;
    layer._getVectorTilePromise = function () {
      var self = this, args = arguments;
      return new Promise(function (resolve) { setTimeout(resolve, 0); })
        .then(function () { return Q.firstLayer ? firstTiles : null; })
        .then(function () { return fetchTile.apply(self, args); });
    };
  }

  /* Leaflet 1.9.4's GridLayer.redraw takes the map's zoom as its tiles' zoom unrounded: at
     a fractional zoom (a map fitted at 360 px sits at 8.25) it asked for /tiles/x/8.25/..,
     which the server refuses (400). Rounded here as GridLayer._setView rounds it. */
  L.GridLayer.include({redraw: function () {
    if (!this._map) return this;
    this._removeAllTiles();
    var zoom = this._clampZoom(Math.round(this._map.getZoom()));
    if (zoom !== this._tileZoom) {
      this._tileZoom = zoom;
      this._updateLevels();
    }
    this._update();
    return this;
  }});

  /* Over the base map (1): areas under points, broadband marks under the 3G/4G ones
     (hamletStyle). */
  var THEME_Z = {outlines: 2, communes: 2, sites: 3, broadband: 4, mobile: 5, assets: 5};
  /* Counts drawn on canvas (a commune's hamlets, a cluster of assets or of sites) say
     nothing to a screen reader and a keyboard cannot reach them: each count in view gets
     a transparent button over it, named by what it counts ("12 hamlets without 3G/4G in
     X"), which does what a click on it does. Rebuilt when tiles come in or the view moves. */
  function plural(forms, count, values) {
    var form = (forms || ["", ""])[count === 1 ? 0 : 1];  // en, vi, zh: one form or two
    return Object.keys(values).reduce(function (t, name) {
      return t.split("%(" + name + ")s").join(text(values[name]));
    }, form);
  }
  var COUNTS = {
    mobile: function (p, L_) {
      return p.t == null ? null : plural(L_.count_mobile, p.g, {count: num(p.g), commune: p.n});
    },
    broadband: function (p, L_) {
      return p.t == null ? null
        : plural(L_.count_broadband, p.bg, {count: num(p.bg), commune: p.n});
    },
    sites: function (p, L_) {
      return p.n == null ? null : plural(L_.count_sites, p.n, {count: num(p.n)});
    }
  };
  Q.countLabels = COUNTS;  // asset_map.js adds the assets' clusters
  function countButtons(layer) {
    var o = layer.qrmapTiles, group = L.layerGroup(), timer = null;
    function rebuild() {
      group.clearLayers();
      if (!Q.map.hasLayer(layer)) return;
      var view = Q.map.getBounds(), seen = {};
      Object.keys(layer._vectorTiles || {}).forEach(function (key) {
        var tile = layer._vectorTiles[key], coords = tile._tileCoord;
        Object.keys(tile._features || {}).forEach(function (id, index) {
          var drawn = tile._features[id].feature, p = drawn.properties || {};
          var label = COUNTS[o.theme] && drawn._point && COUNTS[o.theme](p, o.labels || {});
          var done = p.$id != null ? "id" + p.$id : key + ":" + index;
          if (!label || seen[done]) return;
          var latlng = Q.map.unproject(coords.scaleBy(L.point(256, 256)).add(drawn._point),
                                       coords.z);
          if (!view.contains(latlng)) return;
          seen[done] = true;
          var size = Math.round(2 * Math.max(drawn._radius || 8, 8));
          var button = L.marker(latlng, {keyboard: true, icon: L.divIcon({
            className: "qrmap-count", iconSize: [size, size], html: ""})});
          button.on("click", function () {
            if (Q.tileClicks[o.theme]) return Q.tileClicks[o.theme](o, p, latlng);
            tilePopup(o, {layer: {properties: p}, latlng: latlng});
          });
          button.on("add", function () {
            var node = button.getElement();
            node.setAttribute("role", "button");
            node.setAttribute("aria-label", label);
            L.DomEvent.on(node, "keydown", function (e) {
              if (e.key !== "Enter" && e.key !== " ") return;
              L.DomEvent.preventDefault(e);
              button.fire("click");
            });
          });
          group.addLayer(button);
        });
      });
    }
    function later() { clearTimeout(timer); timer = setTimeout(rebuild, 50); }
    layer.on("load", later);
    layer.on("add", function () { group.addTo(Q.map); later(); });
    layer.on("remove", function () { group.remove(); });
    Q.map.on("moveend", later);
    if (Q.map.hasLayer(layer)) group.addTo(Q.map);
    layer.qrmapCounts = group;
  }

  Q.tiles = function (url, o) {
    var styles = {};
    styles[o.layer] = function (p, zoom) { return TILE_STYLES[o.theme](p, zoom, o); };
    var layer = L.vectorGrid.protobuf(url, {
      rendererFactory: L.canvas.tile, interactive: false, vectorTileLayerStyles: styles,
      /* A drawn feature keeps its properties, not its id: the popup needs it there. */
      getFeatureId: function (f) { f.properties.$id = f.id; return f.id; },
      maxZoom: 19, maxNativeZoom: 16, zIndex: THEME_Z[o.theme] || 6
    });
    layer.qrmapTiles = o;
    // Drawn once a first tile is in: a restyle before that has nothing to redraw.
    layer.once("tileload", function () { layer.qrmapDrawn = true; });
    if (o.first) {
      Q.firstLayer = layer;
      layer.once("load remove", function () { releaseFirst(); });
      setTimeout(releaseFirst, FIRST_WAIT_MS);
    } else {
      afterFirst(layer);
    }
    if (Q.map) countButtons(layer);
    if (Q.map && !Q.clicksWired) {
      Q.clicksWired = true;
      Q.map.on("click", onTileClick);
    }
    return layer;
  };

  /* While the button is pressed, a click on the map adds "lon, lat" to the textarea (the
     scenario form) and draws a small mark; features' popups stay closed meanwhile. */
  Q.pickPoints = function (button, textarea) {
    if (!button || !textarea || !Q.map) return;
    var on = false, marks = L.layerGroup().addTo(Q.map);
    button.addEventListener("click", function () {
      on = !on;
      Q.picking = on;
      button.setAttribute("aria-pressed", String(on));
      Q.map.getContainer().style.cursor = on ? "crosshair" : "";
    });
    Q.map.on("preclick", function (e) {
      if (!on) return;
      var line = e.latlng.lng.toFixed(5) + ", " + e.latlng.lat.toFixed(5);
      textarea.value = (textarea.value.replace(/\s+$/, "") + "\n" + line).replace(/^\n/, "");
      L.circleMarker(e.latlng, {radius: 6, color: "#111", fillColor: "#ffeb3b",
                                fillOpacity: 1}).addTo(marks);
      setTimeout(function () { Q.map.closePopup(); }, 0);
    });
  };

  /* Legend sections carry data-layer="<key> ..." and show only while those layers are on. The html
     is the legend a Django template rendered (auto-escaped, labels only, no map data); it is
     parsed in an inert document, so nothing in it runs or loads before it is placed. */
  Q.legend = function (map, html, title) {
    var control = L.control({position: "bottomleft"});
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "qrmap-legend");
      div.setAttribute("role", "region");
      div.setAttribute("aria-label", title);
      // On a phone the legend scrolls inside its box: a keyboard reaches it to scroll it.
      div.tabIndex = 0;
      var box = L.DomUtil.create("details", "qrmap-legend-box", div);
      box.open = !NARROW;
      L.DomUtil.create("summary", "", box).textContent = title;
      var parsed = new DOMParser().parseFromString(html, "text/html").body;
      while (parsed.firstChild) box.appendChild(document.adoptNode(parsed.firstChild));
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    control.addTo(map);
    function sync() {
      var sections = control.getContainer().querySelectorAll("[data-layer]");
      Array.prototype.forEach.call(sections, function (section) {
        // "a b": shown while every one of these layers is on
        section.hidden = !section.getAttribute("data-layer").split(" ").every(function (key) {
          return Q.layers[key] && map.hasLayer(Q.layers[key]);
        });
      });
    }
    map.on("overlayadd overlayremove layeradd layerremove", sync);
    sync();
    Q.legendControl = control;
    return control;
  };

  /* Page controls are wired here, not with inline handlers (the CSP allows none):
     <button data-qrmap-pick="ID"> adds map clicks to the textarea ID (the scenario form),
     <button data-qrmap-print> prints the page. */
  function wire() {
    var each = function (selector, fn) {
      Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
    };
    each("[data-qrmap-pick]", function (button) {
      Q.pickPoints(button, document.getElementById(button.getAttribute("data-qrmap-pick")));
    });
    each("[data-qrmap-print]", function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }
  /* Deferred, this runs before DOMContentLoaded, on which the page's map is made: wired
     after it, so that the map exists. */
  if (document.readyState !== "complete") document.addEventListener("DOMContentLoaded", wire);
  else wire();
})();
