/* Alinea review page: keyboard shortcuts, edits sent without leaving the page, conflicts.
 *
 * Plain JavaScript, loaded as a file (the Content-Security-Policy forbids inline script).
 * Without it the page still works: every edit is an ordinary form.
 */
(function () {
  "use strict";

  var beads = Array.prototype.slice.call(document.querySelectorAll("article.bead"));
  var current = -1;
  var busy = false;

  // Keys bound to a button of the current pair, by its data-action.
  var BEAD_KEYS = {
    c: "confirm",
    x: "reject",
    a: "reset",
    m: "merge-next",
    M: "merge-previous",
    s: "split",
    "[": "shift-up-target",
    "]": "shift-down-target",
    "{": "shift-up-source",
    "}": "shift-down-source",
    o: "detach-target",
    O: "detach-source"
  };
  // Keys bound to a button of the whole alignment, by its id.
  var PAGE_KEYS = { u: "undo-button", U: "redo-button", R: "realign-button" };

  function select(index, scroll) {
    if (!beads.length) { return; }
    index = Math.max(0, Math.min(beads.length - 1, index));
    if (current >= 0 && beads[current]) { beads[current].classList.remove("current"); }
    current = index;
    var bead = beads[current];
    bead.classList.add("current");
    if (scroll) {
      bead.focus({ preventScroll: true });
      bead.scrollIntoView({ block: "nearest" });
    }
  }

  function initialSelection() {
    var match = /^#bead-(\d+)$/.exec(window.location.hash);
    if (match) {
      for (var k = 0; k < beads.length; k++) {
        if (beads[k].dataset.position === match[1]) { select(k, true); return; }
      }
    }
    select(0, false);
  }

  function showNotice(message) {
    var notice = document.getElementById("notice");
    notice.textContent = message;
    notice.classList.remove("hidden");
  }

  // Navigate to url, reloading even when only the fragment differs.
  function go(url) {
    var next = new URL(url, window.location.href);
    var here = window.location;
    if (next.pathname === here.pathname && next.search === here.search) {
      window.history.replaceState(null, "", next.href);
      window.location.reload();
    } else {
      window.location.assign(next.href);
    }
  }

  function reloadAfterConflict() {
    var url = new URL(window.location.href);
    url.searchParams.set("notice", "conflict");
    go(url.href);
  }

  function send(form, submitter) {
    if (busy) { return; }
    busy = true;
    document.body.classList.add("busy");
    var data = new FormData(form, submitter || undefined);
    fetch(form.action, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok && body.location) { go(body.location); return; }
        busy = false;
        document.body.classList.remove("busy");
        if (response.status === 409) { reloadAfterConflict(); return; }
        showNotice(body.error || "The change could not be saved (error " + response.status + ").");
      });
    }).catch(function () {
      busy = false;
      document.body.classList.remove("busy");
      showNotice("The server could not be reached; nothing was changed. Try again.");
    });
  }

  function openSplit(bead) {
    var dialog = document.getElementById("split-dialog");
    var form = dialog.querySelector("form");
    var src = parseInt(bead.dataset.srcLen, 10);
    var tgt = parseInt(bead.dataset.tgtLen, 10);
    // Same default as the server: half of each side, or the two sides apart for a 1-1 pair.
    var srcCut = Math.ceil(src / 2);
    var tgtCut = Math.ceil(tgt / 2);
    if (srcCut === src && tgtCut === tgt) { tgtCut = 0; }
    form.elements.position.value = bead.dataset.position;
    form.elements.src_cut.max = src;
    form.elements.src_cut.value = srcCut;
    form.elements.tgt_cut.max = tgt;
    form.elements.tgt_cut.value = tgtCut;
    document.getElementById("split-position").textContent = bead.dataset.position;
    dialog.showModal();
    form.elements.src_cut.focus();
  }

  function onSubmit(event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("js-edit")) { return; }
    event.preventDefault();
    var submitter = event.submitter;
    if (submitter && submitter.dataset.action === "split") {
      openSplit(form.closest("article.bead"));
      return;
    }
    var dialog = form.closest("dialog");
    if (dialog) { dialog.close(); }
    send(form, submitter);
  }

  function press(button) {
    if (button && !button.disabled) { button.form.requestSubmit(button); }
  }

  function typing(target) {
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  function toggleHelp() {
    var help = document.getElementById("help-dialog");
    if (help.open) { help.close(); } else { help.showModal(); }
  }

  function onKey(event) {
    if (event.altKey || event.metaKey) { return; }
    var key = event.key;
    if (event.ctrlKey) {
      if (typing(event.target)) { return; }
      if (key === "z" || key === "Z") { key = event.shiftKey ? "U" : "u"; }
      else if (key === "y") { key = "U"; }
      else { return; }
    }
    if (document.querySelector("dialog[open]")) {
      if (key === "?") { event.preventDefault(); toggleHelp(); }
      return;
    }
    if (typing(event.target)) {
      if (key === "Escape") { event.target.blur(); }
      return;
    }
    var handled = true;
    var bead = beads[current];
    if (key === "j" || key === "ArrowDown") { select(current + 1, true); }
    else if (key === "k" || key === "ArrowUp") { select(current - 1, true); }
    else if (key === "?") { toggleHelp(); }
    else if (key === "/") { document.getElementById("search").focus(); }
    else if (key === "g") {
      var after = bead ? bead.dataset.position : "";
      go(document.querySelector(".beads").dataset.nextUrl + "?after=" + after);
    }
    else if (key === "n" && bead) {
      // A read-only page (a viewer's) has no note editor.
      var editor = bead.querySelector(".note-editor");
      if (editor) {
        editor.open = true;
        editor.querySelector("textarea").focus();
      }
    }
    else if (PAGE_KEYS[key]) { press(document.getElementById(PAGE_KEYS[key])); }
    else if (BEAD_KEYS[key] && bead) {
      if (BEAD_KEYS[key] === "split") {
        if (document.getElementById("split-dialog")) { openSplit(bead); }
      }
      else { press(bead.querySelector('[data-action="' + BEAD_KEYS[key] + '"]')); }
    }
    else { handled = false; }
    if (handled) { event.preventDefault(); }
  }

  // Text editors (roles that may edit text): the split form follows the cursor in the
  // segment's text. Offsets count characters as the server does (code points, not UTF-16).
  function codePoints(text) { return Array.from(text).length; }

  function trackCaret(event) {
    var area = event.target;
    if (!area.classList || !area.classList.contains("segment-text")) { return; }
    var editor = area.closest(".segment-editor");
    var form = editor && editor.querySelector(".split-text-form");
    if (!form) { return; }
    var button = form.querySelector("button");
    // A split cuts the stored text: an unsaved correction must be saved first.
    var edited = area.value !== area.defaultValue;
    button.disabled = edited;
    form.classList.toggle("unsaved", edited);
    if (edited) { return; }
    var offset = codePoints(area.value.slice(0, area.selectionStart));
    if (offset > 0 && offset < codePoints(area.value)) { form.elements.offset.value = offset; }
  }

  ["select", "keyup", "click", "input"].forEach(function (type) {
    document.addEventListener(type, trackCaret);
  });
  document.addEventListener("submit", onSubmit);
  document.addEventListener("keydown", onKey);
  document.addEventListener("click", function (event) {
    if (event.target.classList.contains("close-dialog")) {
      event.target.closest("dialog").close();
      return;
    }
    var bead = event.target.closest && event.target.closest("article.bead");
    if (bead) { select(beads.indexOf(bead), false); }
  });
  document.getElementById("help-button").addEventListener("click", toggleHelp);
  initialSelection();
})();
