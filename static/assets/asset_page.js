/* The asset page, improved when scripts run (the page reads and works without them):
   - the Directions button points at the phone's own maps: Apple Maps on iPhone, iPad and
     Mac, Google Maps on Android; every other device keeps OpenStreetMap's route planner;
   - the photo (below the first screen) is fetched only when it nears the screen: the
     browser's own lazy loading starts 1250-2500 px ahead, which on this page is at once;
   - the Share button appears: the Web Share API where the browser has it (the phone's share
     sheet: Zalo, Messenger, WeChat...), else the link is copied, else shown to copy by hand.
   Nothing here is data from the page turned into code: the values come from attributes. */
(function () {
  "use strict";
  var ua = navigator.userAgent || "";
  var platform = /iPhone|iPad|iPod|Macintosh/.test(ua) ? "apple"
    : /Android/.test(ua) ? "google" : "";
  var button = document.getElementById("directions");
  var own = platform && document.querySelector('a[data-route="' + platform + '"]');
  if (button && own) {
    button.href = own.href;
    button.setAttribute("data-route", platform);
  }

  var photo = document.getElementById("photo");
  function photoLoad() {
    photo.querySelectorAll("[data-srcset]").forEach(function (source) {
      source.srcset = source.getAttribute("data-srcset");
    });
    var img = photo.querySelector("img[data-src]");
    if (img) img.src = img.getAttribute("data-src");
  }
  if (photo) {
    photo.hidden = false;
    if ("IntersectionObserver" in window) {
      var watch = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) {
          watch.disconnect();
          photoLoad();
        }
      }, { rootMargin: "200px 0px" });
      watch.observe(photo);
    } else {
      photoLoad();
    }
  }

  var share = document.getElementById("share");
  var status = document.getElementById("share-status");
  if (!share || !status) return;
  share.hidden = false;
  var url = share.getAttribute("data-url");
  function show(text) {
    status.textContent = text;
  }
  share.addEventListener("click", function () {
    if (navigator.share) {
      navigator.share({ title: share.getAttribute("data-title"), url: url })
        .catch(function () { /* the visitor closed the share sheet */ });
      return;
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(function () {
        show(share.getAttribute("data-copied"));
      }, function () {
        show(share.getAttribute("data-failed") + " " + url);
      });
      return;
    }
    show(share.getAttribute("data-failed") + " " + url);
  });
})();
