/* Office for attention to municipalities: small progressive enhancements.
   Without JavaScript every form still works; this only hides what does not apply. */
(function () {
  "use strict";

  // The amount only matters when a resolution became a grant or a service.
  document.querySelectorAll("form").forEach(function (form) {
    var amount = form.querySelector("[data-amount]");
    var radios = form.querySelectorAll("input[name=outcome]");
    if (!amount || !radios.length) { return; }
    function sync() {
      var checked = form.querySelector("input[name=outcome]:checked");
      amount.hidden = !checked || checked.value === "none";
    }
    radios.forEach(function (radio) { radio.addEventListener("change", sync); });
    sync();
  });

  // Say which files were chosen, and warn about too large ones before sending.
  var LIMIT = 10 * 1024 * 1024;
  document.querySelectorAll("input[type=file][name=attachments]").forEach(function (input) {
    var note = document.createElement("p");
    note.className = "hint file-note";
    note.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", note);
    input.addEventListener("change", function () {
      var names = [];
      var large = [];
      Array.prototype.forEach.call(input.files, function (file) {
        names.push(file.name);
        if (file.size > LIMIT) { large.push(file.name); }
      });
      note.textContent = names.join(", ");
      note.classList.toggle("file-note--error", large.length > 0);
      if (large.length) { note.textContent += " — " + (input.dataset.tooLarge || "> 10 MB") + ": " + large.join(", "); }
    });
  });
})();
