// The appointment pages work without this: it only moves focus to a result or an error, so
// a screen reader reads it first, and lets a form go once (a second click would be harmless
// anyway: the server answers it with the same result).
(function () {
  var said = document.querySelector("[data-focus]");
  if (said) { said.focus(); }
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("aria-busy") === "true") { event.preventDefault(); return; }
      form.setAttribute("aria-busy", "true");
    });
  });
})();
