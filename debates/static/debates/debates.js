/* Progressive enhancement for debate pages; everything works without it.
   - A character counter under the comment boxes (characters used of the limit).
   - Agreement ("I agree") toggles without a page reload, falling back to the form post. */
(function () {
  "use strict";

  /* Shows how many characters are used ("0 / 3000" on an empty box) and updates as
     one types. Screen readers hear it through a separate live region, once typing
     pauses, rather than at every key. */
  function counterAttach(textarea) {
    var max = parseInt(textarea.getAttribute("maxlength"), 10);
    if (!max) { return; }
    var spoken = textarea.dataset.counterText || "{used} / {max}";
    var visible = document.createElement("p");
    visible.className = "counter meta";
    visible.setAttribute("aria-hidden", "true");
    var live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    textarea.insertAdjacentElement("afterend", live);
    textarea.insertAdjacentElement("afterend", visible);
    var timer = null;
    function show() {
      var used = textarea.value.length;
      visible.textContent = used + " / " + max;
      visible.classList.toggle("counter--over", max - used < 100);
      return used;
    }
    textarea.addEventListener("input", function () {
      var used = show();
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        live.textContent = spoken.replace("{used}", String(used)).replace("{max}", String(max));
      }, 800);
    });
    show();
  }

  function reactionAttach(form) {
    form.addEventListener("submit", function (event) {
      var button = form.querySelector("button");
      var count = form.querySelector(".chip__count");
      if (!window.fetch || !button || !count) { return; }
      event.preventDefault();
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (result) {
        if (!result.ok) { form.submit(); return; }
        var on = result.data.on;
        var n = parseInt(count.textContent, 10) || 0;
        count.textContent = String(on ? n + 1 : Math.max(n - 1, 0));
        button.setAttribute("aria-pressed", on ? "true" : "false");
        button.classList.toggle("chip--on", on);
      }).catch(function () { form.submit(); });
    });
  }

  document.querySelectorAll("textarea[data-counter-text]").forEach(counterAttach);
  document.querySelectorAll("form[data-reaction]").forEach(reactionAttach);
})();
