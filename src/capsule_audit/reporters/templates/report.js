// Filters for the capsule-audit HTML report. Only toggles `hidden` and sets `textContent`:
// capsule data is never parsed as HTML. State lives in the URL hash (#rule=..&severity=..).
(function () {
  "use strict";
  var KEYS = ["rule", "severity", "capsule"];
  var state = { rule: "", severity: "", capsule: "" };

  function readHash() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    KEYS.forEach(function (key) { state[key] = params.get(key) || ""; });
  }

  function writeHash() {
    var params = new URLSearchParams();
    KEYS.forEach(function (key) { if (state[key]) { params.set(key, state[key]); } });
    var hash = params.toString();
    if (window.location.hash.replace(/^#/, "") !== hash) {
      window.history.replaceState(null, "", hash ? "#" + hash : window.location.pathname);
    }
  }

  function matches(el) {
    if (state.rule && el.dataset.rule !== state.rule) { return false; }
    if (state.severity && el.dataset.severity !== state.severity) { return false; }
    if (state.capsule && el.dataset.capsules.split(" ").indexOf(state.capsule) < 0) { return false; }
    return true;
  }

  function apply() {
    var shown = 0;
    document.querySelectorAll("article.finding").forEach(function (el) {
      var ok = matches(el);
      el.hidden = !ok;
      if (ok) { shown += 1; }
    });
    KEYS.forEach(function (key) {
      var select = document.getElementById("filter-" + key);
      if (select) { select.value = state[key]; }
    });
    document.getElementById("shown-count").textContent = String(shown);
    document.body.dataset.filtered = KEYS.map(function (k) { return state[k]; }).join("|");
    writeHash();
  }

  function set(key, value) {
    state[key] = value;
    apply();
  }

  document.querySelectorAll("select[data-filter]").forEach(function (select) {
    select.addEventListener("change", function () { set(select.dataset.filter, select.value); });
  });
  document.querySelectorAll("[data-set-filter]").forEach(function (button) {
    button.addEventListener("click", function () { set(button.dataset.setFilter, button.dataset.value); });
  });
  document.getElementById("filter-reset").addEventListener("click", function () {
    KEYS.forEach(function (key) { state[key] = ""; });
    apply();
  });
  window.addEventListener("hashchange", function () { readHash(); apply(); });
  readHash();
  apply();
}());
