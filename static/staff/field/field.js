/* Field mode (/field/): the to-do list of the clerk's communes on a light map and as a list,
   nearest first from the phone's position; at the site: the measured position, accept or
   move, scan the plaque and photograph it, install or report damage. Every action is queued
   on the phone (FieldStore) and sent to the server in order when a signal returns; conflicts
   come back for the clerk to resolve. Values reach the page as text, never as HTML. */
(function () {
  "use strict";
  var config, T, syncer, state = {todo: null, queue: [], here: null, item: null, fix: null,
                          scanned: "", photo: null, map: null, layer: null};

  function $(id) { return document.getElementById(id); }
  function fmt(text, values) {
    return String(text).replace(/%\((\w+)\)s/g, function (_m, k) {
      return values && values[k] !== undefined ? String(values[k]) : "";
    });
  }
  function say(id, text, cls) {
    var node = $(id);
    node.textContent = text || "";
    node.className = cls || "";
  }
  function number(n) { return Math.round(n).toLocaleString(document.documentElement.lang); }
  function metres(a, b) { return L.latLng(a.lat, a.lon).distanceTo(L.latLng(b.lat, b.lon)); }

  /* ---- the queue and the status bar ---- */
  function refreshQueue() {
    return FieldStore.all().then(function (all) {
      state.queue = syncer.mine(all);
      var waiting = all.filter(function (a) { return !a.conflict && !a.refused; }).length;
      say("pending", waiting ? fmt(T.pending, {n: waiting}) : T.none_pending);
      syncer.renderConflicts();
      renderTodo();
    });
  }

  function network() {
    say("network", navigator.onLine ? T.online : T.offline);
  }

  /* ---- the to-do list ---- */
  function loadTodo() {
    return fetch(config.todo, {credentials: "same-origin"}).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(function (todo) {
      state.todo = todo;
      renderCounts();
      renderTodo();
    }).catch(function () { /* offline without a kept copy: the queue still works */ });
  }

  function queuedKeys() {
    var keys = {};
    state.queue.forEach(function (a) { keys[a.key] = true; });
    return keys;
  }

  function renderCounts() {
    var list = $("counts");
    list.textContent = "";
    state.todo.communes.forEach(function (c) {
      var li = document.createElement("li");
      li.textContent = fmt(T.counts, {name: c.name, verify: c.counts.verify,
                                      install: c.counts.install, repair: c.counts.repair});
      list.appendChild(li);
    });
  }

  function renderTodo() {
    if (!state.todo) return;
    var done = queuedKeys();
    var items = state.todo.items.filter(function (i) { return !done[i.key]; });
    if (state.here) {
      items.forEach(function (i) { i.distance = metres(state.here, i); });
      items.sort(function (a, b) { return a.distance - b.distance; });
    }
    var list = $("todo");
    list.textContent = "";
    if (!items.length) {
      var empty = document.createElement("li");
      empty.textContent = T.empty;
      list.appendChild(empty);
    }
    items.forEach(function (item) {
      var li = document.createElement("li"), button = document.createElement("button");
      button.type = "button";
      button.dataset.key = item.key;
      var name = document.createElement("strong");
      name.textContent = item.name;
      var what = document.createElement("span");
      what.className = "what";
      what.textContent = " · " + T["type_" + item.type] + " · " + (item.plaque_code ?
        FieldScan.group(item.plaque_code) : item.code) +
        (item.distance !== undefined ? " · " + fmt(T.distance, {dist: number(item.distance)}) : "");
      button.appendChild(name);
      button.appendChild(what);
      button.addEventListener("click", function () { openItem(item); });
      li.appendChild(button);
      list.appendChild(li);
    });
    renderMap(items);
  }

  function renderMap(items) {
    if (!window.L) return;
    if (!state.map) {
      state.map = L.map("field-map", {keyboard: false});
      L.tileLayer(config.tiles, {maxZoom: 19, attribution: "&copy; OpenStreetMap"})
        .addTo(state.map);
      L.geoJSON({type: "FeatureCollection", features: state.todo.communes.map(function (c) {
        return {type: "Feature", geometry: c.outline, properties: {}};
      })}, {style: {color: "#0b5cad", weight: 1, fillOpacity: 0.03}}).addTo(state.map);
    }
    if (state.layer) state.layer.remove();
    state.layer = L.layerGroup().addTo(state.map);
    var bounds = [];
    items.forEach(function (item) {
      var colour = item.type === "verify" ? "#0b5cad" : item.type === "install" ? "#1a7f37"
        : "#b00020";
      L.circleMarker([item.lat, item.lon], {radius: 7, color: "#fff", weight: 2,
        fillColor: colour, fillOpacity: 1}).on("click", function () { openItem(item); })
        .addTo(state.layer);
      bounds.push([item.lat, item.lon]);
    });
    if (state.here) bounds.push([state.here.lat, state.here.lon]);
    if (bounds.length) state.map.fitBounds(bounds, {maxZoom: 16, padding: [16, 16]});
    else state.map.setView([21.85, 106.76], 10);
  }

  /* ---- position ---- */
  function locate() {
    return new Promise(function (resolve, reject) {
      navigator.geolocation.getCurrentPosition(function (p) {
        resolve({lon: p.coords.longitude, lat: p.coords.latitude, acc: p.coords.accuracy});
      }, reject, {enableHighAccuracy: true, maximumAge: 0, timeout: 30000});
    });
  }

  /* ---- at the site ---- */
  function openItem(item) {
    FieldScan.stop($("camera"));
    state.item = item;
    state.fix = null;
    state.scanned = "";
    state.photo = null;
    say("site-type", T["type_" + item.type]);
    say("site-title", item.name);
    say("site-code", item.code);
    say("site-plaque", item.plaque_code ? FieldScan.group(item.plaque_code) : "");
    say("here-text", T.no_position);
    say("scan-result", "");
    say("photo-text", "");
    say("site-done", "");
    $("photo-preview").hidden = true;
    $("photo-file").value = "";
    $("damage-note").value = "";
    $("camera").hidden = true;
    $("snap").hidden = true;
    $("verify-actions").hidden = item.type !== "verify";
    $("plaque-actions").hidden = item.type === "verify";
    $("site").hidden = false;
    $("todo-box").hidden = true;
    enable();
    $("site-title").scrollIntoView();
  }

  function closeItem() {
    FieldScan.stop($("camera"));
    state.item = null;
    $("site").hidden = true;
    $("todo-box").hidden = false;
    renderTodo();
    if (state.map) state.map.invalidateSize();  // it was hidden: Leaflet measures again
  }

  function enable() {
    var fix = !!state.fix;
    $("accept").disabled = !fix;
    $("move").disabled = !fix;
    $("move").hidden = !config.can_move;
    $("install").disabled = !(fix && state.scanned && state.photo);
    $("damage").disabled = !(fix && $("damage-note").value.trim());
  }

  function here() {
    locate().then(function (fix) {
      state.fix = fix;
      state.here = fix;
      say("here-text", fmt(T.accuracy, {acc: number(fix.acc),
                                        dist: number(metres(fix, state.item))}));
      enable();
    }, function (error) { say("here-text", fmt(T.denied, {why: error.message}), "wrong"); });
  }

  function scan() {
    var video = $("camera");
    video.hidden = false;
    say("scan-result", T.scan_wait);
    FieldScan.start(video, function (text) {
      var code = FieldScan.codeOf(text), expected = state.item.plaque_code;
      if (code === expected) {
        state.scanned = code;
        say("scan-result", fmt(T.scan_ok, {code: FieldScan.group(code)}), "right");
        $("snap").hidden = false;
      } else {
        state.scanned = "";
        FieldScan.stop(video);
        video.hidden = true;
        say("scan-result", fmt(T.scan_wrong, {expected: FieldScan.group(expected),
                                              scanned: FieldScan.group(code)}), "wrong");
      }
      enable();
    }).catch(function (error) {
      say("scan-result", fmt(T.camera_denied, {why: error.message}), "wrong");
    });
  }

  function photoReady(shot) {
    state.photo = shot.blob;
    var preview = $("photo-preview");
    if (preview.src) URL.revokeObjectURL(preview.src);
    preview.src = URL.createObjectURL(shot.blob);
    preview.hidden = false;
    say("photo-text", fmt(T.photo_ready, {w: shot.width, h: shot.height}));
    enable();
  }

  function snap() {
    var video = $("camera");
    FieldScan.snap(video, config.photo_side).then(function (shot) {
      FieldScan.stop(video);
      video.hidden = true;
      $("snap").hidden = true;
      photoReady(shot);
    });
  }

  function queue(kind) {
    var item = state.item, fix = state.fix;
    var action = {id: FieldStore.newId(), user: config.user, key: item.key, label: item.name, kind: kind,
                  asset: item.asset, plaque: item.plaque, version: item.version,
                  time: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
                  lon: fix.lon, lat: fix.lat, accuracy: fix.acc};
    if (kind === "install") { action.scanned = state.scanned; action.photo = state.photo; }
    if (kind === "damage") action.note = $("damage-note").value.trim();
    return FieldStore.add(action).then(function () {
      closeItem();
      say("site-done", "");
      return refreshQueue();
    }).then(function () {
      say("pending", $("pending").textContent + " " + fmt(T.queued, {what: T["act_" + kind]}));
      if (navigator.onLine) syncer.sync();
    });
  }

  /* ---- offline ---- */
  function worker() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(config.worker, {scope: config.scope});
    navigator.serviceWorker.ready.then(function () { $("offline-ready").hidden = false; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    config = JSON.parse($("field-config").textContent);
    T = config.texts;
    syncer = FieldSync({config: config, texts: T, state: state, $: $, say: say, fmt: fmt,
                        refreshQueue: refreshQueue, loadTodo: loadTodo});
    network();
    worker();
    window.addEventListener("online", function () { network(); syncer.sync(); });
    window.addEventListener("offline", network);
    $("here").addEventListener("click", here);
    $("accept").addEventListener("click", function () { queue("verify"); });
    $("move").addEventListener("click", function () { queue("move"); });
    $("install").addEventListener("click", function () { queue("install"); });
    $("damage").addEventListener("click", function () { queue("damage"); });
    $("damage-note").addEventListener("input", enable);
    $("scan").addEventListener("click", scan);
    $("snap").addEventListener("click", snap);
    $("close").addEventListener("click", closeItem);
    $("sync-now").addEventListener("click", function () { syncer.sync(); });
    $("photo-file").addEventListener("change", function () {
      var file = this.files[0];
      if (file) FieldScan.shrink(file, config.photo_side).then(photoReady);
    });
    $("sort-here").addEventListener("click", function () {
      locate().then(function (fix) { state.here = fix; renderTodo(); });
    });
    refreshQueue().then(loadTodo).then(syncer.sync).then(function () {
      // Nearest first from the start, where the phone gives a position (else list order).
      return locate().then(function (fix) { state.here = fix; renderTodo(); }, function () {});
    });
  });
})();
