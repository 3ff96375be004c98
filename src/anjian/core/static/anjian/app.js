/* Forms marked data-busy="…" send a step that takes seconds at province scale (a draw's
   commitment and run over a million entities). Once sent, the form says it is working and a
   second click sends nothing: an officer who clicks again while waiting would otherwise post
   the step twice (the server refuses the second, but the officer sees an error for a step
   that in fact succeeded). No outside script: served by the platform like everything else. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-busy")) return;
    if (event.defaultPrevented) return;
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    var submitter = event.submitter;
    // After the browser has read the button's name and value into the request: a disabled
    // button sends neither.
    window.setTimeout(function () {
      form.querySelectorAll("button, input[type=submit]").forEach(function (b) {
        b.disabled = true;
      });
      if (submitter) {
        submitter.dataset.label = submitter.innerHTML; // with its icon
        submitter.textContent = form.getAttribute("data-busy");
      }
      form.setAttribute("aria-busy", "true");
    }, 0);
  });
  // Back to a page kept in the browser's memory: its forms work again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-busy][data-sent]").forEach(function (form) {
      delete form.dataset.sent;
      form.removeAttribute("aria-busy");
      form.querySelectorAll("button, input[type=submit]").forEach(function (b) {
        b.disabled = false;
        if (b.dataset.label) b.innerHTML = b.dataset.label;
      });
    });
  });
})();
