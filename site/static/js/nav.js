// The main navigation folds behind a "Menu" button on narrow screens.
// A file of its own (no inline script): the Content-Security-Policy allows 'self' only.
// Without JavaScript the html element keeps its "no-js" class, the button stays hidden
// and the list stays open, so the navigation always works.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");
  var button = document.querySelector(".mainnav__toggle");
  if (!button) {
    return;
  }
  var list = document.getElementById(button.getAttribute("aria-controls"));
  var nav = button.closest(".mainnav");
  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("mainnav--open", open);
  }
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
  if (list) {
    // Leaving the open menu with the keyboard closes it, as a disclosure should.
    list.addEventListener("focusout", function (event) {
      var next = event.relatedTarget;
      var narrow = window.matchMedia("(max-width: 40rem)").matches;
      if (narrow && next && !list.contains(next) && next !== button) {
        setOpen(false);
      }
    });
  }
})();
