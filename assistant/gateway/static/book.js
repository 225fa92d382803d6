/* The booking page's enhancements; every step works without them.
 * - The customer's time zone from the browser goes with the staff choice, so times are shown
 *   in it (without it they are in the business's zone, which the page names).
 * - A form is sent once: a second click while the first is on its way does nothing (the
 *   server books once anyway; this spares the wait).
 * - Inside the widget's booking mode the page tells the frame its height, so it never scrolls
 *   inside a scrolling page. */
(function () {
  "use strict";
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
  document.querySelectorAll("input.js-zone").forEach(function (input) { input.value = zone; });

  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sent") === "1") { event.preventDefault(); return; }
      form.setAttribute("data-sent", "1");
      form.setAttribute("aria-busy", "true");
    });
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sent]").forEach(function (form) {
      form.removeAttribute("data-sent"); form.removeAttribute("aria-busy");
    });
  });

  if (document.body.classList.contains("embed") && window.parent !== window) {
    var tell = function () {
      window.parent.postMessage({type: "booking-height",
                                 height: document.documentElement.scrollHeight}, "*");
    };
    window.addEventListener("load", tell);
    window.addEventListener("resize", tell);
  }
  var alert = document.querySelector("[role=alert]");
  if (alert) { alert.setAttribute("tabindex", "-1"); alert.focus(); }
})();
