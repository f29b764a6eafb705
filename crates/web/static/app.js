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
