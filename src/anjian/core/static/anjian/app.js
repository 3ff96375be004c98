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

/* The on-site record (inspections/record_detail.html), made for a phone at the site: the page
   opens at the first unanswered check point with its four answer buttons on screen, and after
   each answer saved (HTMX swaps the point's card) it moves on to the next unanswered point. A
   hazard or violation first needs its finding: the page stays at that card until the finding is
   recorded. Re-answering a finished point does not move the page. */
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 768px)");

  function record() {
    return document.querySelector(".aj-record-edit");
  }
  function unanswered(card) {
    return card.getAttribute("data-answer") === "";
  }
  function finished(card) {
    return !unanswered(card) && !card.hasAttribute("data-needs-finding") && !card.querySelector(".alert-danger");
  }
  // Scroll the card to the top of the screen, unless its top and its answer buttons are on screen
  // already; a card too long to show both shows its buttons.
  function bringIntoView(card, smooth) {
    var buttons = card.querySelector(".aj-answers") || card;
    var margin = 8;
    var top = card.getBoundingClientRect().top;
    var bottom = buttons.getBoundingClientRect().bottom;
    if (top >= 0 && bottom <= window.innerHeight) return;
    var by = top - margin;
    if (bottom - top + 2 * margin > window.innerHeight) by = bottom + margin - window.innerHeight;
    window.scrollTo({ top: window.scrollY + by, behavior: smooth ? "smooth" : "auto" });
  }
  function markCurrent(root, card) {
    root.querySelectorAll(".aj-point.aj-current").forEach(function (c) {
      c.classList.remove("aj-current");
    });
    var link = root.querySelector("[data-aj-current-link]");
    var submitLink = root.querySelector("[data-aj-submit-link]");
    if (card) {
      card.classList.add("aj-current");
      if (link) link.setAttribute("href", "#" + card.id);
    }
    if (link) link.hidden = !card;
    if (submitLink) submitLink.hidden = !!card;
    var count = root.querySelector("[data-aj-answered]");
    if (count) {
      count.textContent = String(
        Array.prototype.filter.call(root.querySelectorAll(".aj-point"), function (c) {
          return !unanswered(c);
        }).length
      );
    }
  }
  // The next unanswered point after `card`, else the first unanswered one before it.
  function nextUnanswered(root, card) {
    var cards = Array.prototype.slice.call(root.querySelectorAll(".aj-point"));
    var at = cards.indexOf(card);
    var order = cards.slice(at + 1).concat(cards.slice(0, at));
    for (var i = 0; i < order.length; i++) if (unanswered(order[i])) return order[i];
    return null;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = record();
    if (!root) return;
    if (wide.matches) {
      root.querySelectorAll("details[data-aj-open-wide]").forEach(function (d) {
        d.open = true;
      });
    }
    var current = root.querySelector(".aj-point.aj-current");
    // A link to a given point (#cp-…, as after a reload) is the browser's to follow.
    if (current && !window.location.hash) bringIntoView(current, false);
  });

  // Whether the point's card was still open work before the answer or finding was sent.
  var wasOpen = {};
  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail.target;
    if (!target || !target.classList || !target.classList.contains("aj-point")) return;
    wasOpen[target.id] = !finished(target);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var root = record();
    var target = event.detail.target;
    if (!root || !target || !target.id || !(target.id in wasOpen)) return;
    var open = wasOpen[target.id];
    delete wasOpen[target.id];
    var card = document.getElementById(target.id);
    if (!card) return;
    if (!finished(card)) {
      // Still this point's work: a finding to record, or an error to read.
      markCurrent(root, card);
      return;
    }
    if (!open) {
      // A finished point answered again: the page stays where the officer is.
      markCurrent(root, root.querySelector(".aj-point.aj-current") || nextUnanswered(root, card));
      return;
    }
    var next = nextUnanswered(root, card);
    markCurrent(root, next);
    if (next) {
      bringIntoView(next, true);
      next.focus({ preventScroll: true });
    } else {
      var side = document.getElementById("aj-submit");
      if (side) side.scrollIntoView({ behavior: "smooth", block: "nearest" });
    }
  });
})();

/* Small behaviours that used to be inline handlers (onclick="…"): the content security policy
   allows no inline script, so they are declared by data attributes and bound here.
   data-autosubmit   a <select> that submits its form when changed
   data-print        a button that prints the page
   data-confirm="…"  a button that asks first; "cancel" sends nothing
   data-toggle-sidebar  the menu button of a narrow screen
   data-reset-on-success  an htmx form emptied once its request succeeded (hx-on would need
                      eval, which the content security policy refuses) */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field instanceof Element && field.hasAttribute("data-autosubmit") && field.form) {
      field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var asking = target.closest("[data-confirm]");
    if (asking && !window.confirm(asking.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    if (target.closest("[data-print]")) {
      window.print();
      return;
    }
    if (target.closest("[data-toggle-sidebar]")) {
      var sidebar = document.querySelector(".aj-sidebar");
      if (sidebar) sidebar.classList.toggle("show");
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-reset-on-success") &&
        event.detail && event.detail.successful) {
      form.reset();
    }
  });
})();
