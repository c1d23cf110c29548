// Follow a background job: poll its API, move the progress bar, reload the page (rendered in
// the reader's language by the server) when the job reaches another stage or ends.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || !window.fetch) { return; }
  var bar = document.getElementById("job-progress");
  function poll() {
    fetch(box.dataset.jobUrl, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        bar.value = job.progress;
        bar.textContent = job.progress + "%";
        if (job.stage !== box.dataset.stage || job.status !== box.dataset.state) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
}());
