/* The report form on a phone (templates/assets/report.html).
 *
 * A phone photo is 3-5 MB; over a weak 3G uplink that is minutes, and an upload cut off
 * half-way used to end in an error page. So the photo is made smaller here, before it
 * leaves (longest side config.maxSide, JPEG of a few hundred KB, upright as it was taken),
 * and the form is sent in the background with a progress bar. When the upload fails, the
 * form stays as it was typed and says why, in the page's language.
 *
 * Without this script (or in an old browser) the form posts as a plain HTML form, and the
 * server refuses a photo above its limit with the same words.
 */
(function () {
  "use strict";

  var form = document.querySelector("form.report");
  var configNode = document.getElementById("report-script");
  if (!form || !configNode || !window.FormData || !window.DOMParser ||
      !window.Promise || !HTMLCanvasElement.prototype.toBlob) {
    return;
  }
  var config = JSON.parse(configNode.textContent);
  var messages = config.messages;
  var alertBox = document.getElementById("report-problem");
  var progress = document.getElementById("report-progress");
  var bar = progress.querySelector("progress");
  var status = progress.querySelector("span");
  var button = form.querySelector("button[type=submit]");
  var busy = false;
  var title = document.title;

  function showProgress(text, percent) {
    progress.hidden = false;
    status.textContent = text;
    if (percent === null) {
      bar.removeAttribute("value");  // indeterminate while the photo is being prepared
    } else {
      bar.value = percent;
    }
  }

  /* The reason, read out and focused (not left on <body>), and named in the title, which
     is what a screen reader announces first and a switched-away tab shows. */
  function fail(text) {
    busy = false;
    button.disabled = false;
    progress.hidden = true;
    alertBox.textContent = text;
    alertBox.hidden = false;
    alertBox.tabIndex = -1;
    document.title = messages.errorTitle + " " + title;
    alertBox.focus();
  }

  // Decoded and turned upright as the camera held it (EXIF orientation).
  function decode(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file, {imageOrientation: "from-image"})
        .catch(function () { return decodeWithImage(file); });
    }
    return decodeWithImage(file);
  }

  function decodeWithImage(file) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var image = new Image();
      image.onload = function () { URL.revokeObjectURL(url); resolve(image); };
      image.onerror = function () { URL.revokeObjectURL(url); reject(new Error("decode")); };
      image.src = url;
    });
  }

  function encode(canvas, quality) {
    return new Promise(function (resolve, reject) {
      canvas.toBlob(function (blob) {
        if (blob) { resolve(blob); } else { reject(new Error("encode")); }
      }, "image/jpeg", quality);
    });
  }

  // The photo drawn at most maxSide pixels a side, as a JPEG of about targetBytes:
  // the quality steps down until it fits.
  function shrink(file) {
    return decode(file).then(function (picture) {
      var width = picture.naturalWidth || picture.width;
      var height = picture.naturalHeight || picture.height;
      var scale = Math.min(1, config.maxSide / Math.max(width, height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(width * scale));
      canvas.height = Math.max(1, Math.round(height * scale));
      var context = canvas.getContext("2d");
      context.imageSmoothingQuality = "high";
      context.drawImage(picture, 0, 0, canvas.width, canvas.height);
      if (picture.close) { picture.close(); }
      var qualities = [0.85, 0.75, 0.65, 0.55];
      function attempt(index) {
        return encode(canvas, qualities[index]).then(function (blob) {
          if (blob.size <= config.targetBytes || index === qualities.length - 1) {
            return blob;
          }
          return attempt(index + 1);
        });
      }
      return attempt(0);
    }).then(function (blob) {
      return blob.size < file.size ? blob : file;  // a small photo goes as it is
    });
  }

  function preparePhoto(data) {
    var input = form.elements.photo;
    var file = input && input.files && input.files[0];
    if (!file) {
      return Promise.resolve(data);
    }
    showProgress(messages.preparing, null);
    return shrink(file).then(function (photo) {
      var name = photo === file ? file.name : "photo.jpg";
      data.set("photo", photo, name);  // keeps its place in the form's order
      return data;
    }, function () {
      // This browser cannot read the photo (a format it does not know): send it as it
      // is when the server will take it.
      if (file.size > config.maxBytes) {
        throw new Error("too-big");
      }
      return data;
    });
  }

  function errorSlot(field) {
    if (!field) {
      return null;
    }
    return field.classList.contains("errors") ? field : field.querySelector(".errors");
  }

  // The server answered: the thank-you page, or the form with its reasons.
  function answered(xhr) {
    var page = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    if (xhr.status < 400 && page.querySelector("[data-report-sent]")) {
      // Show the page it answered with, at its address: a reload then does not post again.
      history.replaceState(null, "", xhr.responseURL || location.href);
      document.title = page.title;
      document.querySelector("main").replaceWith(document.adoptNode(page.querySelector("main")));
      window.scrollTo(0, 0);
      return;
    }
    // Each field's errors go next to it, as the server wrote them; the inputs keep what
    // was typed and the chosen photo.
    var reasons = [];
    Array.prototype.forEach.call(form.querySelectorAll("[data-field]"), function (field) {
      var slot = errorSlot(field);
      var twin = errorSlot(page.querySelector(
        'form.report [data-field="' + field.dataset.field + '"]'));
      var lists = twin ? Array.prototype.slice.call(twin.children) : [];
      slot.replaceChildren.apply(slot, lists.map(function (list) {
        Array.prototype.forEach.call(list.querySelectorAll("li"), function (item) {
          reasons.push(item.textContent.trim());
        });
        return document.adoptNode(list);
      }));
    });
    // A rate limit, in words (not the empty message box of a re-rendered form).
    var note = page.querySelector("main .note[role=alert]:not([hidden])");
    if (note && note.textContent.trim()) {
      reasons.push(note.textContent.trim());
    }
    if (!reasons.length) {
      reasons.push(xhr.status === 413 ? messages.tooBig
        : messages.refused.replace("{status}", String(xhr.status)));
    }
    fail(reasons.join(" "));
  }

  function send(data) {
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || location.href);
    xhr.upload.onprogress = function (event) {
      if (event.lengthComputable) {
        var percent = Math.round(100 * event.loaded / event.total);
        showProgress(messages.sending.replace("{percent}", String(percent)), percent);
      }
    };
    xhr.onload = function () { answered(xhr); };
    xhr.onerror = xhr.onabort = xhr.ontimeout = function () { fail(messages.network); };
    showProgress(messages.sending.replace("{percent}", "0"), 0);
    xhr.send(data);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) {
      return;
    }
    busy = true;
    button.disabled = true;
    alertBox.hidden = true;
    preparePhoto(new FormData(form)).then(send, function () { fail(messages.tooBig); });
  });
}());
