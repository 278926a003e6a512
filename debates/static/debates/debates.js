/* Progressive enhancement for debate pages; everything works without it.
   - A live character counter under the comment boxes.
   - Agreement ("I agree") toggles without a page reload, falling back to the form post. */
(function () {
  "use strict";

  function counterAttach(textarea) {
    var max = parseInt(textarea.getAttribute("maxlength"), 10);
    var output = document.getElementById(textarea.dataset.counter);
    if (!output || !max) { return; }
    var label = output.dataset.label || "";
    function update() {
      var left = max - textarea.value.length;
      output.hidden = false;
      output.textContent = left + " / " + max;
      output.classList.toggle("counter--over", left < 100);
    }
    textarea.addEventListener("input", update);
    update();
    return label;
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

  document.querySelectorAll("textarea[data-counter]").forEach(counterAttach);
  document.querySelectorAll("form[data-reaction]").forEach(reactionAttach);
})();
