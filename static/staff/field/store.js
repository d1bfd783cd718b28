/* Field mode's queue: the actions taken at the sites, kept in IndexedDB (photos as Blobs)
   in the order they were taken, until the server has applied them. */
(function () {
  "use strict";
  var DB = "qrmap-field", STORE = "actions";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, {keyPath: "seq", autoIncrement: true});
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && result.result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  window.FieldStore = {
    newId: newId,
    add: function (action) { return run("readwrite", function (s) { return s.add(action); }); },
    put: function (action) { return run("readwrite", function (s) { return s.put(action); }); },
    remove: function (seq) { return run("readwrite", function (s) { return s.delete(seq); }); },
    // In the order taken: the key grows with each action.
    all: function () { return run("readonly", function (s) { return s.getAll(); }); }
  };
})();
