/* Field mode's sync: send the phone's queued actions to /field/sync/ one by one, in the
   order they were taken, and show what came back to resolve (a conflict: keep mine, take
   theirs, drop; a refusal: drop). `page` gives the page's state and helpers (field.js). */
(function () {
  "use strict";

  window.FieldSync = function (page) {
    var config = page.config, T = page.texts, state = page.state, $ = page.$;
    var say = page.say, fmt = page.fmt, syncing = false;

    // Only this user's actions: another clerk's wait on the phone until they sign in again.
    function mine(all) {
      return all.filter(function (a) { return a.user === config.user; });
    }

    function csrf() { return document.querySelector("#csrf [name=csrfmiddlewaretoken]").value; }

    function send(action) {
      var body = new FormData(), data = {};
      Object.keys(action).forEach(function (k) {
        if (["photo", "seq", "key", "label", "conflict", "refused", "user"].indexOf(k) === -1) {
          data[k] = action[k];
        }
      });
      body.append("action", JSON.stringify(data));
      if (action.photo) body.append("photo", action.photo, "plaque.jpg");
      return fetch(config.sync, {method: "POST", body: body, credentials: "same-origin",
                                 headers: {"X-CSRFToken": csrf()}})
        .then(function (r) {
          var json = (r.headers.get("Content-Type") || "").indexOf("json") !== -1;
          if (!json) throw new Error("not json");  // a login or CSRF page: try again later
          return r.json();
        });
    }

    function sync() {
      if (syncing || !navigator.onLine) return Promise.resolve();
      syncing = true;
      var applied = 0;
      return FieldStore.all().then(function (all) {
        var todo = mine(all).filter(function (a) { return !a.conflict && !a.refused; });
        return todo.reduce(function (chain, action) {
          return chain.then(function () {
            return send(action).then(function (answer) {
              if (answer.result === "applied" || answer.result === "duplicate") {
                applied += 1;
                return FieldStore.remove(action.seq);
              }
              if (answer.result === "conflict") action.conflict = answer;
              else action.refused = answer.message;
              return FieldStore.put(action);
            });
          });
        }, Promise.resolve());
      }).catch(function () { /* signal lost again: the rest waits for the next "online" */ })
        .then(function () {
          syncing = false;
          if (applied) return page.loadTodo();
        }).then(page.refreshQueue).then(function () {
          if (applied) say("network", (navigator.onLine ? T.online : T.offline) + " " +
                           fmt(T.synced, {n: applied}));
        });
    }

    /* ---- conflicts and refusals ---- */
    function resolveButton(label, id, work) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-plain";
      button.id = id;
      button.textContent = label;
      button.addEventListener("click", work);
      return button;
    }

    function renderConflicts() {
      var list = $("conflicts");
      list.textContent = "";
      var open = state.queue.filter(function (a) { return a.conflict || a.refused; });
      $("conflicts-box").hidden = !open.length;
      open.forEach(function (action) {
        var li = document.createElement("li"), p = document.createElement("p");
        li.id = "conflict-" + action.seq;
        p.textContent = action.label + " — " + T["act_" + action.kind] + ": " +
          (action.conflict ? fmt(T.conflict, {why: action.conflict.message})
                           : fmt(T.refused, {why: action.refused}));
        li.appendChild(p);
        if (action.conflict) {
          var theirs = action.conflict.theirs || {};
          var q = document.createElement("p");
          q.textContent = fmt(T.theirs, {what: theirs.change || "", who: theirs.changed_by || "—",
            when: theirs.changed_at ? new Date(theirs.changed_at).toLocaleString() : ""});
          li.appendChild(q);
          if (!theirs.retired && theirs.plaque_status !== "replaced" &&
              theirs.plaque_status !== "removed") {
            li.appendChild(resolveButton(T.keep_mine, "keep-" + action.seq, function () {
              action.version = theirs.version;
              delete action.conflict;
              FieldStore.put(action).then(page.refreshQueue).then(sync);
            }));
          }
          li.appendChild(resolveButton(T.take_theirs, "theirs-" + action.seq, function () {
            FieldStore.remove(action.seq).then(page.loadTodo).then(page.refreshQueue);
          }));
        }
        li.appendChild(resolveButton(T.drop, "drop-" + action.seq, function () {
          FieldStore.remove(action.seq).then(page.refreshQueue);
        }));
        list.appendChild(li);
      });
    }

    return {sync: sync, renderConflicts: renderConflicts, mine: mine};
  };
})();
