// The background job page: poll the job's status and move the progress bar; reload once it is finished,
// so that the page shows the result (and its link) as the server renders it. Without JavaScript the
// page's "Refresh" link does the same by hand.
(function () {
  "use strict";
  var card = document.getElementById("job");
  if (!card || card.getAttribute("data-job-finished") === "yes") {
    return;
  }
  var url = card.getAttribute("data-job-status");
  var bar = document.getElementById("job-progress");
  var text = document.getElementById("job-text");
  var INTERVAL = 1500;

  function show(status) {
    if (status.total > 0) {
      bar.max = status.total;
      bar.value = status.done;
    }
    if (text.textContent !== status.text) {
      text.textContent = status.text;
    }
  }

  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (status.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, INTERVAL);
        }
      })
      .catch(function () {
        window.setTimeout(poll, INTERVAL * 4);  // the server is busy or restarting: try again later
      });
  }

  window.setTimeout(poll, INTERVAL);
}());
