// Pages that follow the day (offers, who is free, the live table plan): the part marked data-live is
// fetched again every data-every seconds and swapped in place, without reloading the page. It waits
// while the person uses a control inside it, and the "Pause updates" button stops it (WCAG 2.2.2).
// Without JavaScript the page's "Refresh" link does the same by hand.
(function () {
  "use strict";
  var region = document.querySelector("[data-live]");
  if (!region) {
    return;
  }
  var every = (parseInt(region.getAttribute("data-every"), 10) || 60) * 1000;
  var paused = false;
  var button = document.querySelector("[data-live-pause]");

  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      paused = !paused;
      button.textContent = button.getAttribute(paused ? "data-resume" : "data-pause");
      button.setAttribute("aria-pressed", paused ? "true" : "false");
    });
  }

  function busy() {
    var active = document.activeElement;
    return active && active !== document.body && region.contains(active);
  }

  function refresh() {
    if (paused || busy() || document.hidden) {
      later();
      return;
    }
    fetch(window.location.href, {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html === null) {
          return;
        }
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-live]");
        if (fresh && !busy() && !paused) {
          region.innerHTML = fresh.innerHTML;
        }
      })
      .catch(function () {
        // Offline for a moment: the next round tries again.
      })
      .then(later);
  }

  function later() {
    window.setTimeout(refresh, every);
  }

  later();
})();
