/* Progressive enhancement for debate pages; everything works without it.
   - A character counter under the comment boxes (characters used of the limit).
   - Agreement ("I agree") toggles without a page reload, falling back to the form post.
   - "Show more comments" / "Show N more replies" fetch the next window as an HTML
     fragment and insert it (debates/fragments.py); each is a real link otherwise.
   - A comment or reply posted arrives alone, inserted in place; the polite live region
     reads it, and only it; a refusal shows next to the form, the text stays typed.
   - A link to a comment outside the first window (#c123) asks the server for the
     window that holds it (?comment=123). */
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

  var FRAGMENT = { "X-Debate-Fragment": "1" };
  var section = document.getElementById("comments");

  function enhance(root) {
    root.querySelectorAll("textarea[data-counter-text]").forEach(counterAttach);
    root.querySelectorAll("form[data-reaction]").forEach(reactionAttach);
    root.querySelectorAll("form[data-post-in-place]").forEach(postAttach);
  }

  function parse(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content;
  }

  function repliesList(parentItem) {
    var list = parentItem.querySelector(":scope > ol.comment-list--replies");
    if (!list) {
      list = document.createElement("ol");
      list.className = "comment-list comment-list--replies";
      var more = parentItem.querySelector(":scope > .comment__more");
      parentItem.insertBefore(list, more);
    }
    return list;
  }

  function threadList() {
    var list = section.querySelector("[data-thread-list]");
    if (!list) {
      list = document.createElement("ol");
      list.className = "comment-list";
      list.setAttribute("data-thread-list", "");
      var empty = section.querySelector("[data-thread-list-empty]");
      if (empty) { empty.replaceWith(list); } else { section.appendChild(list); }
    }
    return list;
  }

  /* A comment of a fragment goes under its parent when that is on the page (a reply),
     else at the end of the thread list (a new thread). */
  function place(item) {
    if (document.getElementById(item.id)) { return false; }  // shown already
    var parent = item.dataset.parent && item.dataset.parent !== item.id.slice(1)
      ? document.getElementById("c" + item.dataset.parent) : null;
    (parent ? repliesList(parent) : threadList()).appendChild(item);
    enhance(item);
    return true;
  }

  function focusOn(item) {
    if (!item) { return; }
    item.setAttribute("tabindex", "-1");
    item.focus();
  }

  function moreLoad(link) {
    var holder = link.closest("[data-more-threads], [data-more-replies]");
    link.setAttribute("aria-busy", "true");
    fetch(link.dataset.fragment, { headers: FRAGMENT, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok || !response.headers.get("X-Debate-Fragment")) { throw new Error(); }
        return response.text();
      }).then(function (html) {
        var fragment = parse(html);
        var items = fragment.querySelectorAll("[data-fragment-threads] > li, [data-fragment-subtrees] > li");
        var first = null;
        Array.prototype.forEach.call(items, function (item) {
          if (place(item) && !first) { first = item; }
        });
        var next = fragment.querySelector("[data-more-threads], [data-more-replies]");
        if (next) { holder.replaceWith(next); } else { holder.remove(); }
        focusOn(first);
      }).catch(function () { window.location.href = link.href; });
  }

  function errorShow(form, html) {
    var box = form.previousElementSibling;
    if (!box || !box.hasAttribute("data-post-error")) {
      box = document.createElement("div");
      box.setAttribute("data-post-error", "");
      form.insertAdjacentElement("beforebegin", box);
    }
    box.innerHTML = "";
    box.appendChild(parse(html));
  }

  function errorClear(form) {
    var box = form.previousElementSibling;
    if (box && box.hasAttribute("data-post-error")) { box.remove(); }
  }

  function announce(item) {
    var live = document.getElementById("comment-announcer");
    if (!live) { return; }
    var author = item.querySelector(".comment__author");
    var text = item.querySelector(".comment__text");
    live.textContent = "";
    // A change after a pause is what screen readers notice; the new comment alone.
    window.setTimeout(function () {
      live.textContent = (author ? author.textContent.trim() + ": " : "") +
        (text ? text.textContent.trim() : "");
    }, 100);
  }

  function countIncrement() {
    // The number comes from data-count (the shown text has the language's thousands
    // separator: "10.000" in Catalan is ten thousand, not ten).
    var format = new Intl.NumberFormat(document.documentElement.lang || undefined,
      { useGrouping: "always" });
    section.querySelectorAll("#comments-heading .count").forEach(function (count) {
      var n = parseInt(count.dataset.count, 10);
      if (isNaN(n)) { return; }
      count.dataset.count = String(n + 1);
      count.textContent = format.format(n + 1);
    });
  }

  function postAttach(form) {
    if (form.dataset.enhanced) { return; }
    form.dataset.enhanced = "1";
    form.addEventListener("submit", function (event) {
      if (!window.fetch) { return; }
      var textarea = form.querySelector("textarea[name=comment]");
      var button = form.querySelector("button[type=submit]");
      event.preventDefault();
      if (button) { button.disabled = true; }
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: FRAGMENT,
        credentials: "same-origin"
      }).then(function (response) {
        return response.text().then(function (html) {
          return { status: response.status, ours: !!response.headers.get("X-Debate-Fragment"), html: html };
        });
      }).then(function (result) {
        if (button) { button.disabled = false; }
        if (result.status === 201 && result.ours) {
          var item = parse(result.html).querySelector("li.comment");
          errorClear(form);
          if (textarea) {
            textarea.value = "";
            textarea.dispatchEvent(new Event("input"));
          }
          var details = form.closest("details.comment__reply");
          if (details) { details.open = false; }
          place(item);
          countIncrement();
          announce(item);
          focusOn(item);
          return;
        }
        errorShow(form, result.ours ? result.html : '<div class="form-errors" role="alert"><p>' +
          section.dataset.postFailed + "</p></div>");
      }).catch(function () {
        if (button) { button.disabled = false; }
        errorShow(form, '<div class="form-errors" role="alert"><p>' + section.dataset.postFailed + "</p></div>");
      });
    });
  }

  if (section) {
    section.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-fragment]");
      if (!link || !window.fetch || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
      event.preventDefault();
      moreLoad(link);
    });
    // A link to a comment outside this window: ask for the window that holds it.
    var anchor = /^#c(\d+)$/.exec(window.location.hash);
    if (anchor && !document.getElementById("c" + anchor[1]) &&
        window.location.search.indexOf("comment=") === -1) {
      window.location.replace(window.location.pathname + "?comment=" + anchor[1] + window.location.hash);
    }
  }
  document.querySelectorAll("textarea[data-counter-text]").forEach(counterAttach);
  document.querySelectorAll("form[data-reaction]").forEach(reactionAttach);
  document.querySelectorAll("form[data-post-in-place]").forEach(postAttach);
})();
