// The owner's waiting-room view: refresh the counts in place every 3 seconds
// (/admin/queue.json); a room that appears or goes reloads the page.
(function () {
  "use strict";
  var status = document.getElementById("queue-updated");
  function known() {
    return Array.prototype.map.call(document.querySelectorAll("tr[data-room]"),
      function (row) { return row.getAttribute("data-room"); }).join(",");
  }
  function refresh() {
    fetch("/admin/queue.json", { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body) { return; }
        var ids = body.rooms.map(function (room) { return room.id; }).join(",");
        if (ids !== known()) { window.location.reload(); return; }
        body.rooms.forEach(function (room) {
          var row = document.querySelector('tr[data-room="' + room.id + '"]');
          row.querySelectorAll("[data-count]").forEach(function (cell) {
            cell.textContent = String(room[cell.getAttribute("data-count")]);
          });
        });
        status.textContent = "Updated " + new Date().toLocaleTimeString();
      })
      .catch(function () { status.textContent = "Not updating: the gateway did not answer."; });
  }
  setInterval(refresh, 3000);
}());
