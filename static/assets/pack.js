/* The pack page (templates/assets/pack.html): "save this area for offline".

   The service worker (static/assets/sw-pack.js, served at /sw-pack.js) is registered here,
   only when the visitor taps Save; the pack page then sends it the manifest's address and
   shows its progress ("12 of 30 saved"). Which places are saved is read from the phone's
   cache itself, so the marks are right also after a reload, offline.
   Words come from data- attributes of #pack (translated by the server); names and URLs only
   ever reach the page as text or attributes, never as HTML. */
(function () {
  "use strict";
  var root = document.getElementById("pack");
  if (!root) return;
  var save = document.getElementById("pack-save");
  var removal = document.getElementById("pack-remove");
  var status = document.getElementById("pack-status");
  if (!save || !removal || !status) return; // no site to save here
  var cacheName = root.getAttribute("data-cache");
  var manifestUrl = root.getAttribute("data-manifest");
  var manifest = null;

  function words(name, values) {
    var text = root.getAttribute("data-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(String(values[key]));
    });
    return text;
  }
  function show(text) {
    status.textContent = text;
  }

  if (!("serviceWorker" in navigator) || !window.caches || !window.MessageChannel) {
    document.getElementById("pack-unsupported").hidden = false;
    return;
  }

  function loadManifest() {
    return fetch(manifestUrl, { credentials: "omit" }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).catch(function () {
      // Offline without the worker in charge of this page: the saved copy, if any.
      return caches.open(cacheName).then(function (cache) {
        return cache.match(manifestUrl, { ignoreVary: true });
      }).then(function (response) {
        if (!response) throw new Error("no manifest");
        return response.json();
      });
    });
  }

  // Mark each place saved or not, and say whether the whole pack is on this phone.
  function refresh() {
    return caches.open(cacheName).then(function (cache) {
      return Promise.all(manifest.urls.map(function (url) {
        return cache.match(url, { ignoreVary: true }).then(function (found) { return !!found; });
      }));
    }).then(function (flags) {
      var held = {};
      manifest.urls.forEach(function (url, i) { held[url] = flags[i]; });
      Array.prototype.forEach.call(root.querySelectorAll("li[data-url]"), function (item) {
        var mark = item.querySelector(".saved-mark");
        if (mark) mark.hidden = !held[item.getAttribute("data-url")];
      });
      var all = flags.length > 0 && flags.every(Boolean);
      removal.hidden = !flags.some(Boolean);
      root.setAttribute("data-state", all ? "saved" : "");
      return all;
    });
  }

  function ask(message, onReply) {
    return navigator.serviceWorker.register(root.getAttribute("data-worker"), { scope: "/" })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) { onReply(event.data || {}); };
        registration.active.postMessage(message, [channel.port2]);
      });
  }

  function onSaveReply(reply) {
    if (reply.type === "progress") {
      show(words("progress", { done: reply.done, total: reply.total }));
      return;
    }
    save.disabled = false;
    refresh().then(function (all) {
      show(words(all && reply.type === "saved" ? "saved" : "failed",
                 { done: reply.done || 0, total: reply.total || manifest.count }));
    });
  }

  save.addEventListener("click", function () {
    save.disabled = true;
    show(words("progress", { done: 0, total: manifest.count }));
    ask({ type: "save", manifest: manifestUrl }, onSaveReply).catch(function () {
      save.disabled = false;
      show(words("failed", { done: 0, total: manifest.count }));
    });
  });

  removal.addEventListener("click", function () {
    removal.disabled = true;
    ask({ type: "remove", cache: cacheName }, function () {
      removal.disabled = false;
      refresh().then(function () { show(words("removed")); });
    }).catch(function () { removal.disabled = false; });
  });

  loadManifest().then(function (found) {
    manifest = found;
    save.hidden = false;
    return refresh();
  }).then(function (all) {
    if (all) show(words(navigator.onLine ? "saved" : "offline"));
  }).catch(function () {
    show(words("failed", { done: 0, total: 0 }));
  });
})();
