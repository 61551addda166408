// The schedule grid: drag a meeting to another cell to move it. While it is dragged over a cell, the
// server's own check of a move (meetings/<id>/move-check, the move form's reasons) says whether it
// fits there, before anything is dropped; a drop where it fits posts the meeting's move form. Cells
// that cannot take a meeting (a table closed in that slot) are no drop targets. Without a mouse,
// each meeting's page has the same move form.
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

  // A cell's place: its column's data-slot and its row's data-table (0: the online row). Cells of a
  // table closed in that slot are no drop target.
  function cellOf(node) {
    var cell = node && node.closest ? node.closest("td") : null;
    if (!cell || !grid.contains(cell) || cell.classList.contains("closed") ||
        !cell.parentNode.hasAttribute("data-table")) {
      return null;
    }
    return cell;
  }

  function slotOf(cell) {
    return grid.tHead.rows[0].cells[cell.cellIndex].getAttribute("data-slot");
  }

  function tableOf(cell) {
    return cell.parentNode.getAttribute("data-table");
  }

  function meetingOf(link) {  // its href is "meetings/<id>"
    return link.getAttribute("href").split("/").pop();
  }

  function urlOf(link, action) {  // the grid's base: /organiser/events/<id>/meetings/
    return grid.getAttribute("data-meetings") + meetingOf(link) + action;
  }

  function keyOf(cell) {
    return slotOf(cell) + ":" + tableOf(cell);
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
    var url = urlOf(meeting, "/move-check") + "?slot=" + encodeURIComponent(slotOf(cell)) +
      "&table=" + encodeURIComponent(tableOf(cell));
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

  grid.querySelectorAll("a.meeting").forEach(function (link) {
    link.draggable = true;
  });

  grid.addEventListener("dragstart", function (e) {
    var link = e.target && e.target.closest ? e.target.closest("a.meeting") : null;
    if (!link) {
      return;
    }
    dragged = link;
    results = {};
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", meetingOf(link));
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
    form.elements.slot_id.value = slotOf(cell);
    form.elements.table_id.value = tableOf(cell);
    say(status.getAttribute("data-moving"));
    form.submit();
  });

  grid.addEventListener("dragend", end);
})();
