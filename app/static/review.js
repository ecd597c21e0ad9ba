/* Alinea review page: keyboard shortcuts, and edits applied in place without a reload.
 *
 * Plain JavaScript, loaded as a file (the Content-Security-Policy forbids inline script).
 * Without it the page still works: every edit is an ordinary form.
 *
 * An edit is sent as JSON; the answer holds the changed pairs' new rows, which replace the
 * old ones, and the pairs after them are renumbered. Edits are sent one at a time, in the
 * order they were asked for, so a reviewer can keep typing while the server saves.
 */
(function () {
  "use strict";

  var container = document.querySelector(".beads");
  var current = null;
  var queue = [];
  var sending = false;
  var NOTICE_KEY = "alinea-notice";

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
  // After these, the next pair is selected: one key per pair.
  var MOVE_ON = { confirm: true, reject: true };
  // Keys bound to a button of the whole alignment, by its id.
  var PAGE_KEYS = { u: "undo-button", U: "redo-button", R: "realign-button" };
  // Changes of many pairs: the page is loaded again once they are done.
  var LONG = { realign: "Re-aligning the unconfirmed pairs", "confirm-above": "Confirming pairs",
               "confirm-through": "Confirming pairs" };

  function beads() {
    return Array.prototype.slice.call(container ? container.querySelectorAll("article.bead") : []);
  }

  function position(bead) { return parseInt(bead.dataset.position, 10); }

  function select(bead, scroll) {
    if (!bead) { return; }
    if (current) { current.classList.remove("current"); }
    current = bead;
    bead.classList.add("current");
    if (scroll) {
      bead.focus({ preventScroll: true });
      bead.scrollIntoView({ block: "nearest" });
    }
  }

  // Move by delta pairs; past either end of the page, go on to the next or previous page.
  function move(delta) {
    var list = beads();
    var index = list.indexOf(current) + delta;
    if (index >= list.length) { return turnPage("next", "#first"); }
    if (index < 0) { return turnPage("prev", "#last"); }
    select(list[index], true);
  }

  function turnPage(rel, fragment) {
    var link = document.querySelector('.pager a[rel="' + rel + '"]');
    if (!link) { return; }
    whenIdle(function () { go(link.href.split("#")[0] + fragment); });
  }

  function initialSelection() {
    var list = beads();
    var hash = window.location.hash;
    var match = /^#bead-(\d+)$/.exec(hash);
    var chosen = null;
    if (match) {
      chosen = list.filter(function (b) { return b.dataset.position === match[1]; })[0] || null;
    } else if (hash === "#last") {
      chosen = list[list.length - 1];
    } else if (hash === "#first") {
      chosen = list[0];
    }
    if (chosen) { select(chosen, true); } else { select(list[0], false); }
    // A notice left by the page that sent us here, for this very page only (another page
    // in between, such as a job's, says what happened itself).
    var stored = null;
    try { stored = JSON.parse(window.sessionStorage.getItem(NOTICE_KEY) || "null"); } catch (e) { stored = null; }
    window.sessionStorage.removeItem(NOTICE_KEY);
    if (stored && stored.path === window.location.pathname && stored.message) {
      showNotice(stored.message);
    }
  }

  function showNotice(message) {
    var notice = document.getElementById("notice");
    notice.textContent = message;
    notice.classList.remove("hidden");
  }

  function working(message) {
    var box = document.getElementById("working");
    var text = document.getElementById("working-text");
    if (!message) { box.classList.add("hidden"); return null; }
    var started = Date.now();
    box.classList.remove("hidden");
    text.textContent = message + "…";
    return window.setInterval(function () {
      var seconds = Math.round((Date.now() - started) / 1000);
      text.textContent = message + "… " + seconds + " s (the page stays as it is until it is done)";
    }, 1000);
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

  // Edits wait in a queue and go one by one: each is sent with the versions the previous
  // one left.
  function enqueue(form, submitter) {
    queue.push({ form: form, submitter: submitter || null });
    pump();
  }

  var idleWaiters = [];
  function whenIdle(callback) {
    if (!sending && !queue.length) { callback(); } else { idleWaiters.push(callback); }
  }

  function pump() {
    if (sending) { return; }
    var next = queue.shift();
    while (next && next.form && !document.contains(next.form)) { next = queue.shift(); }
    if (next && next.scores) { sendScores(next.scores); return; }
    if (!next) {
      var waiting = idleWaiters;
      idleWaiters = [];
      waiting.forEach(function (callback) { callback(); });
      return;
    }
    send(next.form, next.submitter);
  }

  function finished() {
    sending = false;
    document.body.classList.remove("busy");
    pump();
  }

  function send(form, submitter) {
    sending = true;
    document.body.classList.add("busy");
    var action = submitter && submitter.dataset.action;
    if (!action) {
      var button = form.querySelector("button[data-action]");
      action = button && button.dataset.action;
    }
    var timer = null;
    if (LONG[action]) {
      // Keys wait until it is done: the page is loaded again at the end.
      document.body.classList.add("long-operation");
      timer = working(LONG[action]);
    }
    var data = new FormData(form, submitter || undefined);
    var url = (submitter && submitter.getAttribute("formaction")) || form.action;
    // A change of pairs shows at once; the new pairs' scores follow in a second request.
    var operation = /\/operations$/.test(url);
    if (operation) { data.append("defer_scores", "1"); }
    post(url, data, function (response, body) {
      if (timer) { window.clearInterval(timer); working(null); }
      if (response.ok && body.rows !== undefined) {
        document.body.classList.remove("long-operation");
        applyChanges(body, false);
        showNotice(sentence(body.summary));
        if (operation && body.scores_url) { queue.unshift({ scores: body.scores_url }); }
        finished();
        return;
      }
      if (response.ok && body.location) {
        queue = [];
        if (body.summary) {
          window.sessionStorage.setItem(NOTICE_KEY, JSON.stringify({
            path: new URL(body.location, window.location.href).pathname,
            message: sentence(body.summary)
          }));
        }
        go(body.location);
        return;
      }
      queue = [];
      document.body.classList.remove("long-operation");
      finished();
      if (response.status === 409) { reloadAfterConflict(); return; }
      showNotice(body.error || "The change could not be saved (error " + response.status + ").");
    }).catch(function () {
      if (timer) { window.clearInterval(timer); working(null); }
      queue = [];
      document.body.classList.remove("long-operation");
      finished();
      showNotice("The server could not be reached; nothing was changed. Try again.");
    });
  }

  function sendScores(url) {
    sending = true;
    document.body.classList.add("busy");
    var data = new FormData();
    var token = document.querySelector('input[name="csrf_token"]');
    if (token) { data.append("csrf_token", token.value); }
    data.append("next", window.location.pathname + window.location.search);
    post(url, data, function (response, body) {
      if (response.ok && body.scored) { applyChanges(body, true); }
      finished();
    }).catch(finished);
  }

  // POSTs `data` asking for JSON and hands onAnswer the response and its body ({} when the
  // answer is not JSON). The promise rejects when the server cannot be reached, or when
  // onAnswer throws.
  function post(url, data, onAnswer) {
    return fetch(url, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return onAnswer(response, body);
      });
    });
  }

  function sentence(summary) {
    if (!summary) { return ""; }
    return summary.charAt(0).toUpperCase() + summary.slice(1) + ".";
  }

  // Put the changed rows in place and renumber the pairs after them.
  function applyChanges(body, keepSelection) {
    var start = body.start, removed = body.removed, added = body.added;
    var kept = current ? position(current) : null;
    var template = document.createElement("template");
    template.innerHTML = body.rows;
    var fresh = Array.prototype.slice.call(template.content.querySelectorAll("article.bead"));
    var list = beads();
    var old = list.filter(function (b) {
      var p = position(b);
      return p >= start && p < start + removed;
    });
    var wasCurrent = old.indexOf(current) >= 0;
    var anchor = old[0] || null;
    if (!anchor && container.dataset.documentOrder === "1") {
      // Nothing of the stretch on this page: new rows belong here only beside its rows.
      var after = list.filter(function (b) { return position(b) >= start + removed; })[0];
      var before = list.filter(function (b) { return position(b) < start; }).pop();
      if (after && (position(after) === start + removed) || before && position(before) === start - 1) {
        anchor = after || null;
        if (!after) { fresh.forEach(function (row) { container.appendChild(row); }); fresh = []; }
      } else {
        fresh = [];
      }
    } else if (!anchor) {
      fresh = [];
    }
    fresh.forEach(function (row) { container.insertBefore(row, anchor); });
    old.forEach(function (row) { row.remove(); });
    var delta = added - removed;
    if (delta) {
      beads().forEach(function (bead) {
        if (fresh.indexOf(bead) < 0 && position(bead) >= start + removed) {
          renumber(bead, position(bead) + delta);
        }
      });
    }
    setVersion(body.version);
    showState(body.state);
    if (wasCurrent || !document.contains(current)) {
      var wanted = keepSelection && kept !== null ? kept : body.position;
      var focus = beads().filter(function (b) { return position(b) === wanted; })[0];
      select(focus || fresh[0] || beads()[0], false);
    }
  }

  function renumber(bead, to) {
    var number = String(to + 1);
    bead.id = "bead-" + to;
    bead.dataset.position = String(to);
    bead.querySelectorAll(".pair-number").forEach(function (el) { el.textContent = number; });
    bead.querySelectorAll("a.position").forEach(function (a) { a.setAttribute("href", "#bead-" + to); });
    bead.querySelectorAll('input[name="position"]').forEach(function (i) { i.value = String(to); });
    bead.querySelectorAll('button[name="through"]').forEach(function (b) { b.value = String(to); });
    bead.querySelectorAll("a.bead-history").forEach(function (a) {
      a.setAttribute("href", a.getAttribute("href").replace(/position=\d+/, "position=" + to));
    });
    [bead].concat(Array.prototype.slice.call(bead.querySelectorAll("[aria-label]"))).forEach(function (el) {
      el.setAttribute("aria-label", el.getAttribute("aria-label").replace(/pair \d+/, "pair " + number));
    });
  }

  function setVersion(version) {
    if (version === undefined) { return; }
    container.dataset.version = String(version);
    document.querySelectorAll('input[data-scope="alignment"]').forEach(function (input) {
      input.value = String(version);
    });
  }

  function showState(state) {
    if (!state) { return; }
    var count = document.querySelector(".progress-count strong");
    if (count) { count.textContent = state.confirmed + "/" + state.total; }
    var bar = document.querySelector(".progress-summary progress");
    if (bar) { bar.max = state.total || 1; bar.value = state.confirmed; }
    var rejected = document.getElementById("rejected-count");
    if (rejected) {
      rejected.textContent = String(state.rejected);
      rejected.parentNode.classList.toggle("hidden", !state.rejected);
    }
    var mean = document.getElementById("mean-similarity");
    if (mean) { mean.textContent = state.mean_similarity; }
    var undo = document.getElementById("undo-button");
    if (undo) { undo.disabled = !state.can_undo; }
    var redo = document.getElementById("redo-button");
    if (redo) { redo.disabled = !state.can_redo; }
  }

  // Splitting: the reviewer clicks between segments on each side to say where.

  function openSplit(bead) {
    var form = document.getElementById("split-form");
    if (!form || !bead) { return; }
    if (bead.querySelector(".split-bar")) { return; }
    var src = parseInt(bead.dataset.srcLen, 10);
    var tgt = parseInt(bead.dataset.tgtLen, 10);
    // Same default as the server: half of each side, or the two sides apart for a 1-1 pair.
    var srcCut = Math.ceil(src / 2);
    var tgtCut = Math.ceil(tgt / 2);
    if (srcCut === src && tgtCut === tgt) { tgtCut = 0; }
    var chosen = { source: srcCut, target: tgtCut };
    var number = position(bead) + 1;
    ["source", "target"].forEach(function (side) {
      var column = bead.querySelector(".bead-" + side);
      var segments = Array.prototype.slice.call(column.querySelectorAll(".segment"));
      if (!segments.length) { return; }
      var name = side === "source" ? "original" : "translation";
      for (var k = 0; k <= segments.length; k++) {
        var cut = document.createElement("button");
        cut.type = "button";
        cut.className = "cut";
        cut.dataset.side = side;
        cut.dataset.cut = String(k);
        cut.textContent = k === 0 ? "✂ all in the second part" : k === segments.length ? "✂ all in the first part" : "✂ split here";
        cut.setAttribute("aria-label", "split the " + name + " of pair " + number + " after segment " + k);
        cut.setAttribute("aria-pressed", String(k === chosen[side]));
        column.insertBefore(cut, segments[k] || null);
      }
    });
    var bar = document.createElement("div");
    bar.className = "split-bar";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "split pair " + number);
    var hint = document.createElement("span");
    hint.textContent = "Click between segments on each side to choose where pair " + number + " splits.";
    var apply = document.createElement("button");
    apply.type = "button";
    apply.className = "primary split-apply";
    apply.textContent = "Split (Enter)";
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "split-cancel";
    cancel.textContent = "Cancel (Esc)";
    bar.appendChild(hint);
    bar.appendChild(apply);
    bar.appendChild(cancel);
    bead.querySelector(".bead-actions").prepend(bar);
    bead.classList.add("splitting");
    apply.focus();
  }

  function chooseCut(button) {
    var bead = button.closest("article.bead");
    bead.querySelectorAll('.cut[data-side="' + button.dataset.side + '"]').forEach(function (cut) {
      cut.setAttribute("aria-pressed", String(cut === button));
    });
  }

  function closeSplit(bead) {
    if (!bead) { return; }
    bead.querySelectorAll(".cut, .split-bar").forEach(function (el) { el.remove(); });
    bead.classList.remove("splitting");
  }

  function applySplit(bead) {
    var form = document.getElementById("split-form");
    function cutOf(side) {
      var pressed = bead.querySelector('.cut[data-side="' + side + '"][aria-pressed="true"]');
      return pressed ? pressed.dataset.cut : "0";
    }
    form.elements.position.value = bead.dataset.position;
    form.elements.src_cut.value = cutOf("source");
    form.elements.tgt_cut.value = cutOf("target");
    closeSplit(bead);
    enqueue(form, null);
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
    enqueue(form, submitter);
  }

  function press(button) {
    if (!button || button.disabled) { return false; }
    enqueue(button.form, button);
    return true;
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
    var splitting = document.querySelector("article.bead.splitting");
    if (splitting) {
      if (key === "Escape") { event.preventDefault(); closeSplit(splitting); return; }
      if (key === "Enter") {
        event.preventDefault();
        applySplit(splitting);
        return;
      }
    }
    if (document.body.classList.contains("long-operation")) { return; }
    var handled = true;
    var bead = current;
    if (key === "j" || key === "ArrowDown") { move(1); }
    else if (key === "k" || key === "ArrowUp") { move(-1); }
    else if (key === "?") { toggleHelp(); }
    else if (key === "/") { document.getElementById("search").focus(); }
    else if (key === "g") {
      var after = bead ? bead.dataset.position : "";
      whenIdle(function () { go(container.dataset.nextUrl + "?after=" + after); });
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
      var action = BEAD_KEYS[key];
      if (action === "split") { openSplit(bead); }
      else if (press(bead.querySelector('[data-action="' + action + '"]')) && MOVE_ON[action]) {
        move(1);
      }
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
    var target = event.target;
    if (target.classList.contains("close-dialog")) {
      target.closest("dialog").close();
      return;
    }
    var bead = target.closest && target.closest("article.bead");
    if (target.classList.contains("cut")) { chooseCut(target); return; }
    if (target.classList.contains("split-apply")) { applySplit(bead); return; }
    if (target.classList.contains("split-cancel")) { closeSplit(bead); return; }
    if (bead) { select(bead, false); }
  });
  var help = document.getElementById("help-button");
  if (help) { help.addEventListener("click", toggleHelp); }
  initialSelection();
})();
