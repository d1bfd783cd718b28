/* Planner dashboard: the progress of a scenario or proposal that a worker computes.
   Polls the job's status (JSON) and, once it is done, loads the page again without
   "again=1", which then shows the kept result; a failure shows its reason and the
   "run again" link. The page works without this script (its refresh link). No library. */
(function () {
  "use strict";
  var box = document.getElementById("analysis-job");
  if (!box || box.dataset.status === "done" || box.dataset.status === "failed") return;
  var label = document.getElementById("job-label");
  var count = document.getElementById("job-count");
  var bar = document.getElementById("job-bar");
  var help = document.getElementById("job-help");
  var message = document.getElementById("job-message");
  var again = document.getElementById("job-again");

  function show(s) {
    label.textContent = s.status_label;
    label.className = "status-" + s.status;
    if (s.total) {
      count.textContent = box.dataset.steps.replace("{done}", s.progress)
        .replace("{total}", s.total);
      bar.max = s.total;
      bar.value = s.progress;
    }
    message.textContent = s.message || "";
  }

  function reload() {
    var next = new URL(box.dataset.next, window.location.href);
    // Only the fragment differs: assign() would just scroll, so reload instead.
    if (next.pathname === window.location.pathname && next.search === window.location.search) {
      window.location.reload();
    } else {
      window.location.assign(next.href);
    }
  }

  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(function (s) {
        show(s);
        if (s.done) {
          reload();
        } else if (s.failed) {
          help.hidden = true;
          bar.hidden = true;
          again.hidden = false;
        } else {
          setTimeout(poll, 700);
        }
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 400);
})();
