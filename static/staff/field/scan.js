/* Field mode's camera: read the plaque's QR code (the browser's BarcodeDetector where it has
   one, else the vendored jsQR on canvas frames), take a photo from the same stream, and shrink
   any photo on the phone to a JPEG of at most `side` pixels a side before it is queued. */
(function () {
  "use strict";
  var stream = null, timer = null;

  // A plaque's QR holds <base URL>/Q/<CODE>; a bare code is taken as it is.
  function codeOf(text) {
    var match = /\/q\/([^/?#]+)\/?(?:[?#].*)?$/i.exec(text || "");
    return normalize(match ? decodeURIComponent(match[1]) : text);
  }

  // The forgiving reading of assets.codes.normalize: O→0, I/L→1, U→V, no dashes or spaces.
  function normalize(text) {
    return String(text || "").trim().toUpperCase().replace(/[\s-]/g, "")
      .replace(/O/g, "0").replace(/[IL]/g, "1").replace(/U/g, "V");
  }

  function group(code) { return code ? code.slice(0, 4) + "-" + code.slice(4) : "—"; }

  function frameCanvas(video, side) {
    var w = video.videoWidth, h = video.videoHeight;
    var scale = Math.min(1, side / Math.max(w, h));
    var canvas = document.createElement("canvas");
    canvas.width = Math.round(w * scale);
    canvas.height = Math.round(h * scale);
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    return canvas;
  }

  function decoder() {
    if ("BarcodeDetector" in window) {
      var detector = new window.BarcodeDetector({formats: ["qr_code"]});
      return function (video) {
        return detector.detect(video).then(function (found) {
          return found.length ? found[0].rawValue : null;
        });
      };
    }
    return function (video) {
      var canvas = frameCanvas(video, 800);
      var pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(pixels.data, canvas.width, canvas.height);
      return Promise.resolve(found ? found.data : null);
    };
  }

  function stop(video) {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    if (video) video.srcObject = null;
  }

  function start(video, onText) {
    stop(video);
    return navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}})
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        return video.play();
      }).then(function () {
        var detect = decoder();
        var tick = function () {
          if (!stream) return;
          var ready = video.readyState >= 2 && video.videoWidth;
          (ready ? detect(video) : Promise.resolve(null)).then(function (text) {
            if (text) onText(text);
            else if (stream) timer = setTimeout(tick, 200);
          });
        };
        tick();
      });
  }

  function toBlob(canvas) {
    return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.85); });
  }

  function snap(video, side) {
    var canvas = frameCanvas(video, side);
    return toBlob(canvas).then(function (blob) {
      return {blob: blob, width: canvas.width, height: canvas.height};
    });
  }

  function shrink(file, side) {
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return toBlob(canvas).then(function (blob) {
        return {blob: blob, width: canvas.width, height: canvas.height};
      });
    });
  }

  window.FieldScan = {start: start, stop: stop, snap: snap, shrink: shrink, codeOf: codeOf,
                      normalize: normalize, group: group};
})();
