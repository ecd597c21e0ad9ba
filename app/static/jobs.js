// The job page follows its job: it asks /jobs/<id>.json every second and shows the state,
// stage, counts, percent and time left, then the link to the alignment or the error.
(function () {
  "use strict";

  var INTERVAL_MS = 1000;
  var section = document.getElementById("job");
  if (!section) {
    return;
  }
  var url = section.getAttribute("data-status-url");

  function text(id, value) {
    var element = document.getElementById(id);
    if (element) {
      element.textContent = value;
    }
  }

  function duration(seconds) {
    var whole = Math.round(seconds);
    if (whole >= 60) {
      return "about " + Math.floor(whole / 60) + " min " + (whole % 60) + " s";
    }
    return "about " + whole + " s";
  }

  function show(job) {
    section.setAttribute("data-state", job.state);
    text("job-state", job.state);
    text("job-stage", job.stage || "waiting to start");
    text("job-counts", job.stage_total ? job.stage_done + "/" + job.stage_total : "");
    text("job-eta", job.eta_seconds === null ? "—" : duration(job.eta_seconds));
    text("job-attempts", job.attempts + " of " + job.max_attempts);
    text("job-runner", job.runner || "—");
    text("job-percent", job.percent.toFixed(1) + "%");
    var bar = document.getElementById("job-progress");
    bar.value = job.percent;
    bar.textContent = job.percent.toFixed(1) + "%";
    var notes = document.getElementById("job-notes");
    notes.textContent = "";
    job.notes.forEach(function (note) {
      var item = document.createElement("li");
      item.textContent = note.message;
      notes.appendChild(item);
    });
    if (job.state === "done" && job.alignment_url) {
      document.getElementById("job-alignment-link").setAttribute("href", job.alignment_url);
      text("job-summary", (job.result && job.result.summary) || "");
      document.getElementById("job-result").classList.remove("hidden");
    }
    if (job.state === "failed" || job.state === "cancelled") {
      text("job-error", job.error || "The job " + job.state + ".");
      document.getElementById("job-error").classList.remove("hidden");
    }
    var cancel = document.getElementById("job-cancel");
    if (cancel && job.finished) {
      cancel.classList.add("hidden");
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (job) {
        show(job);
        if (!job.finished) {
          window.setTimeout(poll, INTERVAL_MS);
        }
      })
      .catch(function () {
        // The server may be restarting: keep asking, less often.
        window.setTimeout(poll, INTERVAL_MS * 5);
      });
  }

  var state = section.getAttribute("data-state");
  if (state === "queued" || state === "running") {
    poll();
  }
})();
