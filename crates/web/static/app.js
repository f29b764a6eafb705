// hako: optional enhancements. Every page works without this file.
// 1. The inbox checks /counts every 30 s, updates the tab counts and offers a reload when
//    there is new activity (it never reloads by itself: a half-filled form would be lost).
// 2. "Select all" with shift-click ranges is left for later; checkboxes work as they are.
(function () {
  "use strict";
  var table = document.querySelector("table.tickets[data-latest]");
  if (!table || !window.fetch) { return; }
  var latest = Number(table.getAttribute("data-latest") || "0");
  function poll() {
    fetch("/counts", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        Object.keys(data.tabs || {}).forEach(function (key) {
          var el = document.querySelector('[data-count="' + CSS.escape(key) + '"]');
          if (el) { el.textContent = String(data.tabs[key]); }
        });
        if (Number(data.latest || 0) > latest) {
          var fresh = document.getElementById("fresh");
          if (fresh) { fresh.hidden = false; }
        }
      })
      .catch(function () { /* offline for a moment: try again next time */ });
  }
  setInterval(poll, 30000);
})();

// 3. The reply composer: a live preview of the chosen template filled with this ticket's
//    data (debounced), and a heartbeat every 15 s that tells others we are here (and whether
//    we are writing) and shows who else is.
(function () {
  "use strict";
  var form = document.querySelector("form[data-preview]");
  if (!form || !window.fetch) { return; }
  var url = form.getAttribute("data-preview");
  var box = form.querySelector(".preview");
  var out = form.querySelector(".preview-text");
  var select = form.querySelector("select[name=template]");
  var text = form.querySelector("textarea[name=body]");
  var timer = null;
  function preview() {
    var q = "?template=" + encodeURIComponent(select.value) + "&body=" + encodeURIComponent(text.value);
    fetch(url + q, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        box.hidden = !select.value && !text.value;
        out.textContent = data.error ? data.error : data.text;
        out.classList.toggle("error", !!data.error);
      })
      .catch(function () {});
  }
  function later() { clearTimeout(timer); timer = setTimeout(preview, 300); }
  select.addEventListener("change", preview);
  text.addEventListener("input", later);

  var ticket = url.replace(/\/preview$/, "");
  var csrf = form.querySelector("input[name=_csrf]").value;
  var presence = document.getElementById("presence");
  function beat() {
    var body = new URLSearchParams();
    body.set("_csrf", csrf);
    body.set("replying", text.value.trim() ? "1" : "0");
    fetch(ticket + "/presence", { method: "POST", credentials: "same-origin", body: body })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (others) {
        if (!others || !presence) { return; }
        presence.textContent = "";
        others.forEach(function (o, i) {
          var words = o.replying ? presence.getAttribute("data-replying") : presence.getAttribute("data-viewing");
          presence.appendChild(document.createTextNode((i ? " · " : "") + o.name + " " + words));
        });
        presence.hidden = others.length === 0;
      })
      .catch(function () {});
  }
  setInterval(beat, 15000);
})();

// 4. The undo window: count down the seconds left on a reply that has not gone out yet, and
//    reload when it has (so the page shows it sent).
(function () {
  "use strict";
  var items = document.querySelectorAll("[data-seconds-left]");
  Array.prototype.forEach.call(items, function (item) {
    var left = Number(item.getAttribute("data-seconds-left"));
    var shown = item.querySelector(".countdown");
    if (!left || !shown) { return; }
    var t = setInterval(function () {
      left -= 1;
      shown.textContent = String(Math.max(left, 0));
      if (left <= -3) { clearInterval(t); window.location.reload(); }
    }, 1000);
  });
})();

// 5. A page marked data-autorefresh="N" (the supervisor board) reloads every N seconds,
//    unless a form on it was touched (a reassignment being chosen) or the tab is hidden.
(function () {
  "use strict";
  var page = document.querySelector("[data-autorefresh]");
  if (!page) { return; }
  var seconds = Math.max(15, Number(page.getAttribute("data-autorefresh")) || 60);
  var touched = false;
  page.addEventListener("change", function () { touched = true; });
  page.addEventListener("focusin", function () { touched = true; });
  setInterval(function () {
    if (!touched && !document.hidden) { window.location.reload(); }
  }, seconds * 1000);
})();

// 6. The template editor (settings): a live preview of the source being typed, rendered by
//    the server with the chosen ticket's data; errors show with their line.
(function () {
  "use strict";
  var form = document.querySelector("form[data-template-preview]");
  if (!form || !window.fetch || !window.URLSearchParams) { return; }
  var url = form.getAttribute("data-template-preview");
  var out = form.querySelector(".preview-text");
  var err = form.querySelector(".template-error");
  var timer = null;
  function field(name) { var el = form.elements[name]; return el ? el.value : ""; }
  function preview() {
    var body = new URLSearchParams();
    ["_csrf", "source", "ticket", "body"].forEach(function (k) { body.append(k, field(k)); });
    fetch(url, { method: "POST", credentials: "same-origin", body: body,
                 headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        err.hidden = !data.error;
        err.textContent = data.error || "";
        out.hidden = !!data.error;
        out.textContent = data.error ? "" : data.text;
      })
      .catch(function () { /* the Preview button still works */ });
  }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(preview, 400);
  });
})();
