/* Alinea comparison page: choose, order and size the columns (kept in localStorage),
 * move between rows and pages with the keyboard, show or hide the word differences.
 *
 * Plain JavaScript, loaded as a file (the Content-Security-Policy forbids inline script).
 * Without it the page shows every column at equal width, differences marked.
 */
(function () {
  "use strict";

  var grid = document.getElementById("compare-grid");
  var settings = document.getElementById("column-settings");
  if (!grid || !settings) { return; }
  var key = "alinea.comparison." + settings.dataset.comparison + ".columns";
  var count = parseInt(grid.dataset.columns, 10);
  var rows = Array.prototype.slice.call(grid.querySelectorAll("article.crow"));
  var current = -1;

  function defaults() {
    var order = [];
    var widths = {};
    for (var k = 0; k < count; k++) { order.push(k); widths[k] = 2; }
    return { order: order, hidden: [], widths: widths, diffs: true };
  }

  function load() {
    var state = defaults();
    try {
      var saved = JSON.parse(window.localStorage.getItem(key) || "null");
      if (saved && Array.isArray(saved.order) && saved.order.length === count) {
        state.order = saved.order.map(Number);
        state.hidden = (saved.hidden || []).map(Number);
        state.widths = saved.widths || state.widths;
        state.diffs = saved.diffs !== false;
      }
    } catch (error) { /* a broken entry: the defaults */ }
    return state;
  }

  var state = load();

  function save() {
    try { window.localStorage.setItem(key, JSON.stringify(state)); } catch (error) { /* full or off */ }
  }

  function apply() {
    var shown = state.order.filter(function (k) { return state.hidden.indexOf(k) < 0; });
    var template = ["8rem"].concat(shown.map(function (k) {
      return "minmax(0, " + (state.widths[k] || 2) + "fr)";
    })).join(" ");
    grid.querySelectorAll(".crow").forEach(function (row) {
      row.style.gridTemplateColumns = template;
      row.querySelectorAll(".ccell").forEach(function (cell) {
        var k = parseInt(cell.dataset.column, 10);
        var position = shown.indexOf(k);
        cell.classList.toggle("hidden-column", position < 0);
        cell.style.order = position < 0 ? 999 : position + 1;
      });
    });
    var list = settings.querySelector(".column-list");
    state.order.forEach(function (k) {
      var item = list.querySelector("li[data-column='" + k + "']");
      list.appendChild(item);
      item.querySelector(".column-shown").checked = state.hidden.indexOf(k) < 0;
      item.querySelector(".column-width").value = state.widths[k] || 2;
    });
    grid.classList.toggle("diffs", state.diffs);
    document.getElementById("show-diffs").checked = state.diffs;
  }

  function move(k, step) {
    var at = state.order.indexOf(k);
    var to = at + step;
    if (to < 0 || to >= state.order.length) { return; }
    state.order.splice(at, 1);
    state.order.splice(to, 0, k);
    save();
    apply();
  }

  settings.addEventListener("change", function (event) {
    var target = event.target;
    var k = parseInt(target.dataset.column, 10);
    if (target.classList.contains("column-shown")) {
      state.hidden = state.hidden.filter(function (h) { return h !== k; });
      if (!target.checked) { state.hidden.push(k); }
    } else if (target.classList.contains("column-width")) {
      state.widths[k] = parseInt(target.value, 10);
    } else if (target.id === "show-diffs") {
      state.diffs = target.checked;
    } else { return; }
    save();
    apply();
  });
  settings.addEventListener("input", function (event) {
    if (event.target.classList.contains("column-width")) {
      state.widths[parseInt(event.target.dataset.column, 10)] = parseInt(event.target.value, 10);
      apply();
    }
  });
  settings.addEventListener("click", function (event) {
    var target = event.target;
    if (target.classList.contains("column-left")) { move(parseInt(target.dataset.column, 10), -1); }
    if (target.classList.contains("column-right")) { move(parseInt(target.dataset.column, 10), 1); }
  });

  function select(index) {
    if (!rows.length) { return; }
    index = Math.max(0, Math.min(rows.length - 1, index));
    if (current >= 0) { rows[current].classList.remove("current"); }
    current = index;
    rows[current].classList.add("current");
    rows[current].focus({ preventScroll: true });
    rows[current].scrollIntoView({ block: "nearest" });
  }

  function follow(id) {
    var link = document.getElementById(id);
    if (link) { window.location.assign(link.href); }
  }

  var help = document.getElementById("compare-help");
  document.getElementById("compare-help-button").addEventListener("click", function () {
    help.showModal();
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea") { return; }
    var handled = true;
    switch (event.key) {
      case "j": case "ArrowDown": select(current + 1); break;
      case "k": case "ArrowUp": select(current - 1); break;
      case "n": follow("next-page"); break;
      case "p": follow("prev-page"); break;
      case "Enter":
        if (current >= 0) { window.location.assign(rows[current].dataset.href); } else { handled = false; }
        break;
      case "d": state.diffs = !state.diffs; save(); apply(); break;
      case "c": settings.classList.toggle("hidden"); break;
      case "?": if (help.open) { help.close(); } else { help.showModal(); } break;
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  });

  apply();
  var match = /^#row-(\d+)$/.exec(window.location.hash);
  if (match) {
    rows.forEach(function (row, k) { if (row.dataset.row === match[1]) { select(k); } });
  }
})();
