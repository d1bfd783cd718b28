/* Field mode's service worker (scope /field/): keeps the field page, its static files and the
   to-do list for work without signal. The page and the list: network first, the kept copy
   when offline; static files: the kept copy first. Posts (the sync) are never touched: the
   page queues actions in IndexedDB and sends them itself when a signal returns. */
"use strict";
var VERSION = {{ version|safe }};
var CACHE = "qrmap-field-" + VERSION;
var PAGE = {{ page|safe }};
var TODO = {{ todo|safe }};
var STATIC = {{ static_urls|safe }};

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(STATIC.concat([PAGE, TODO]));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k.indexOf("qrmap-field-") === 0 && k !== CACHE;
    }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function networkFirst(request, key) {
  return fetch(request).then(function (response) {
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(key, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(key).then(function (kept) { return kept || Response.error(); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === PAGE || url.pathname === TODO) {
    event.respondWith(networkFirst(request, url.pathname));
  } else if (STATIC.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(url.pathname).then(function (kept) {
      return kept || fetch(request);
    }));
  }
});
