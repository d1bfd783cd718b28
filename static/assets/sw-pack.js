/* The tourist's offline pack: the service worker that saves a commune's heritage and scenic
   sites on the phone (assets/public/pack.py says what a pack holds) and opens them without
   signal. It is served from the site's root (/sw-pack.js) so that its scope covers the asset
   pages, and registered only by static/assets/pack.js when the visitor taps "Save": the asset
   page itself never registers it.

   - "save" (from the pack page, with a MessageChannel port): fetch the manifest, then every
     URL in it, into the cache of that commune's pack ("qrmap-pack-<GSO code>"), reporting
     progress on the port; addresses no longer in the manifest are dropped afterwards.
   - "remove": delete that pack; with no pack left, the worker unregisters itself.
   - fetch: only for addresses a pack can hold (asset pages, the pack pages, static files,
     public photos). Online, the network answers (and refreshes a saved copy); offline or
     after TIMEOUT_MS without an answer, the saved copy does. Hashed static files never
     change, so they come from the cache first. Everything else (staff pages, the admin,
     the API, maps, /field/ and its own worker) is left to the browser untouched. */
"use strict";

var PREFIX = "qrmap-pack-";
// On weak 3G a request can hang for a minute before it fails; a saved page is better.
var TIMEOUT_MS = 4000;
var PARALLEL = 3;
// The asset page's addresses (assets/public/urls.py): /Q/<code>, /q/<code>, /a/<code>[/].
var ASSET_PAGE = /^\/(?:Q|q|a)\/([0-9A-Za-z-]{1,40})\/?$/;
var PACK_ADDRESS = /^\/(?:offline\/[0-9]{2,5}\/(?:pack\.json)?$|static\/|media\/assets\/)/;
var HASHED_STATIC = /^\/static\/.+\.[0-9a-f]{12}\.[0-9a-z]+$/;
var TO_SYMBOL = { O: "0", I: "1", L: "1", U: "V" };

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  // The pack page that registered the worker is served by it from now on, without a reload.
  event.waitUntil(self.clients.claim());
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var port = event.ports && event.ports[0];
  if (!port) return;
  if (data.type === "save" && typeof data.manifest === "string") {
    event.waitUntil(save(data.manifest, port));
  } else if (data.type === "remove") {
    event.waitUntil(remove(data.cache, port));
  }
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var page = ASSET_PAGE.exec(url.pathname);
  if (!page && !PACK_ADDRESS.test(url.pathname)) return;
  if (HASHED_STATIC.test(url.pathname)) {
    event.respondWith(saved(request, null).then(function (found) {
      return found || fetch(request);
    }));
    return;
  }
  event.respondWith(networkFirst(request, page ? page[1] : null));
});

function packCaches() {
  return caches.keys().then(function (names) {
    return names.filter(function (name) { return name.indexOf(PREFIX) === 0; });
  });
}

function save(manifestUrl, port) {
  return fetch(manifestUrl, { cache: "no-cache", credentials: "omit" }).then(function (response) {
    if (!response.ok) throw new Error("manifest " + response.status);
    return response.clone().json().then(function (manifest) {
      if (typeof manifest.cache !== "string" || manifest.cache.indexOf(PREFIX) !== 0) {
        throw new Error("manifest without a pack name");
      }
      return caches.open(manifest.cache).then(function (cache) {
        return cache.put(manifestUrl, response).then(function () {
          return fetchAll(cache, manifest.urls || [], port);
        }).then(function (result) {
          return prune(cache, manifest.urls || [], manifestUrl).then(function () {
            port.postMessage({ type: result.failed ? "failed" : "saved", cache: manifest.cache,
                               done: result.done, total: result.total });
          });
        });
      });
    });
  }).catch(function (error) {
    port.postMessage({ type: "failed", reason: String(error && error.message) });
  });
}

function fetchAll(cache, urls, port) {
  var next = 0, done = 0, failed = 0;
  function one() {
    if (next >= urls.length) return Promise.resolve();
    var url = urls[next++];
    // "Purpose: prefetch": saving a page is not a visit, so the server counts no scan.
    return fetch(url, { credentials: "omit", headers: { Purpose: "prefetch" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return cache.put(url, response);
      })
      .then(function () { done++; }, function () { failed++; })
      .then(function () {
        port.postMessage({ type: "progress", done: done, total: urls.length });
        return one();
      });
  }
  var runners = [];
  for (var i = 0; i < PARALLEL; i++) runners.push(one());
  return Promise.all(runners).then(function () {
    return { done: done, failed: failed, total: urls.length };
  });
}

function prune(cache, urls, manifestUrl) {
  var kept = {};
  urls.concat([manifestUrl]).forEach(function (url) {
    kept[new URL(url, self.location.origin).href] = true;
  });
  return cache.keys().then(function (requests) {
    return Promise.all(requests.filter(function (request) { return !kept[request.url]; })
      .map(function (request) { return cache.delete(request); }));
  });
}

function remove(name, port) {
  if (typeof name !== "string" || name.indexOf(PREFIX) !== 0) return Promise.resolve();
  return caches.delete(name).then(packCaches).then(function (left) {
    port.postMessage({ type: "removed", cache: name });
    if (!left.length) return self.registration.unregister();
  });
}

function networkFirst(request, code) {
  var network = fetch(request);
  network.then(function (response) {
    if (response.ok) return refresh(request.url, response.clone());
  }).catch(function () { /* offline: the saved copy answers below */ });
  if (self.navigator && self.navigator.onLine === false) {
    return saved(request, code).then(function (found) { return found || network; });
  }
  var late = new Promise(function (resolve, reject) {
    setTimeout(function () { reject(new Error("timeout")); }, TIMEOUT_MS);
  });
  return Promise.race([network, late]).catch(function () {
    return saved(request, code).then(function (found) { return found || network; });
  });
}

// A fresh answer replaces a saved copy; an address no pack holds is not written.
function refresh(url, response) {
  return packCaches().then(function (names) {
    return Promise.all(names.map(function (name) {
      return caches.open(name).then(function (cache) {
        return cache.match(url, { ignoreVary: true }).then(function (old) {
          if (old) return cache.put(url, response.clone());
        });
      });
    }));
  });
}

function saved(request, code) {
  return caches.match(request, { ignoreVary: true }).then(function (found) {
    if (found) return found;
    if (code) return byCode(code);
    // The pack page asked without (or with another) ?lang=: any saved language will do.
    return caches.match(request, { ignoreVary: true, ignoreSearch: true });
  });
}

// An asset page by any code that opens it (its own or a plaque's, typed in any forgiving
// form), through the saved manifests: offline, a scanned plaque still opens its page.
// The same normalisation as assets/codes.py normalize().
function byCode(code) {
  var key = code.trim().toUpperCase().replace(/[-\s]/g, "").replace(/[OILU]/g, function (c) {
    return TO_SYMBOL[c];
  });
  return packCaches().then(function (names) {
    return names.reduce(function (chain, name) {
      return chain.then(function (found) {
        return found || caches.open(name).then(function (cache) { return inPack(cache, key); });
      });
    }, Promise.resolve(undefined));
  });
}

function inPack(cache, key) {
  return cache.keys().then(function (requests) {
    var manifest = requests.filter(function (request) {
      return new URL(request.url).pathname.slice(-10) === "/pack.json";
    })[0];
    if (!manifest) return undefined;
    return cache.match(manifest).then(function (response) {
      return response.json();
    }).then(function (data) {
      var url = data.codes && data.codes[key];
      return url ? cache.match(url, { ignoreVary: true }) : undefined;
    });
  });
}
