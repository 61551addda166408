// The schedule grid: drag a meeting to another cell to move it. While it is dragged over a cell, the
// server's own check of a move (meetings/<id>/move-check, the move form's reasons) says whether it
// fits there, before anything is dropped; a drop where it fits posts the meeting's move form. Cells
// that cannot take a meeting (a table closed in that slot) carry no data-slot and are no drop
// targets. Without a mouse, each meeting's page has the same move form.
(function () {
  "use strict";
  var grid = document.querySelector("table[data-grid]");
  var form = document.getElementById("grid-move");
  var status = document.getElementById("grid-status");
  if (!grid || !form || !status || !window.fetch) {
    return;
  }
  var dragged = null;  // the meeting's link being dragged
  var over = null;  // the cell under the pointer
  var results = {};  // "slot:table" -> {ok, reason} for the dragged meeting, or "pending"

  function cellOf(node) {
    var cell = node && node.closest ? node.closest("td[data-slot]") : null;
    return cell && grid.contains(cell) ? cell : null;
  }

  function urlOf(meeting, action) {  // the grid's base: /organiser/events/<id>/meetings/
    return grid.getAttribute("data-meetings") + meeting.getAttribute("data-meeting") + action;
  }

  function keyOf(cell) {
    return cell.getAttribute("data-slot") + ":" + cell.getAttribute("data-table");
  }

  function say(text) {
    status.textContent = text || "";
  }

  function show(cell, result) {
    cell.classList.toggle("drop-ok", result.ok);
    cell.classList.toggle("drop-refused", !result.ok);
    if (cell === over) {
      say(result.ok ? status.getAttribute("data-fits") : result.reason);
    }
  }

  function unmark(cell) {
    if (cell) {
      cell.classList.remove("drop-ok", "drop-refused");
    }
  }

  function check(cell) {
    var key = keyOf(cell);
    var known = results[key];
    if (known) {
      if (known !== "pending") {
        show(cell, known);
      }
      return;
    }
    results[key] = "pending";
    say(status.getAttribute("data-checking"));
    var meeting = dragged;
    var url = urlOf(meeting, "/move-check") + "?slot=" + encodeURIComponent(cell.getAttribute("data-slot")) +
      "&table=" + encodeURIComponent(cell.getAttribute("data-table"));
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .catch(function () {
        return {ok: false, reason: status.getAttribute("data-failed")};
      })
      .then(function (result) {
        if (dragged !== meeting) {
          return;  // that drag is over
        }
        results[key] = result;
        if (cell === over) {
          show(cell, result);
        }
      });
  }

  function fits(cell) {
    var result = cell ? results[keyOf(cell)] : null;
    return Boolean(result && result !== "pending" && result.ok);
  }

  function end() {
    unmark(over);
    over = null;
    dragged = null;
    results = {};
    grid.classList.remove("dragging");
  }

  grid.addEventListener("dragstart", function (e) {
    var link = e.target && e.target.closest ? e.target.closest("a[data-meeting]") : null;
    if (!link) {
      return;
    }
    dragged = link;
    results = {};
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", link.getAttribute("data-meeting"));
    grid.classList.add("dragging");
  });

  grid.addEventListener("dragover", function (e) {
    if (!dragged) {
      return;
    }
    var cell = cellOf(e.target);
    if (cell && cell.contains(dragged)) {
      cell = null;  // its own place
    }
    if (cell !== over) {
      unmark(over);
      over = cell;
      if (cell) {
        check(cell);
      } else {
        say("");
      }
    }
    if (fits(cell)) {
      e.preventDefault();  // a drop is allowed only where the check said it fits
      e.dataTransfer.dropEffect = "move";
    }
  });

  grid.addEventListener("drop", function (e) {
    var cell = cellOf(e.target);
    if (!dragged || !fits(cell)) {
      return;
    }
    e.preventDefault();
    form.setAttribute("action", urlOf(dragged, "/move") + "?next=" +
      encodeURIComponent(grid.getAttribute("data-next")));
    form.elements.slot_id.value = cell.getAttribute("data-slot");
    form.elements.table_id.value = cell.getAttribute("data-table");
    say(status.getAttribute("data-moving"));
    form.submit();
  });

  grid.addEventListener("dragend", end);
})();
