/* The job page opens the alignment as soon as the job it is watching finishes.
 *
 * jobs.js reveals the "Review the alignment" link when the job is done; this follows that
 * link at that moment. A page loaded after the job finished stays, for its notes.
 */
(function () {
  "use strict";
  var result = document.getElementById("job-result");
  var link = document.getElementById("job-alignment-link");
  if (!result || !link || !result.classList.contains("hidden")) { return; }
  var watcher = new MutationObserver(function () {
    if (!result.classList.contains("hidden") && link.getAttribute("href")) {
      watcher.disconnect();
      window.location.assign(link.href);
    }
  });
  watcher.observe(result, { attributes: true, attributeFilter: ["class"] });
})();
