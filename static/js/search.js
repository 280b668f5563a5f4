// Search as you type: while the user types in the search box, show up to
// eight matching entries as links under it. The page works fully without
// this script; the form still submits as before.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("suggestions");
  if (!input || !list || !window.fetch) { return; }
  var timer = null, last = "", controller = null;

  function clear() {
    list.hidden = true;
    list.textContent = "";
    input.setAttribute("aria-expanded", "false");
  }

  function show(items) {
    list.textContent = "";
    items.forEach(function (s) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = s.url;
      a.textContent = s.title;
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", items.length ? "true" : "false");
  }

  function suggest() {
    var q = input.value.trim();
    if (q === last) { return; }
    last = q;
    if (q.length < 2) { clear(); return; }
    if (controller) { controller.abort(); }
    controller = window.AbortController ? new AbortController() : null;
    var url = input.dataset.suggest + "?lang=" + encodeURIComponent(input.dataset.lang) + "&q=" + encodeURIComponent(q);
    fetch(url, { signal: controller && controller.signal, headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
      .then(function (data) { if (input.value.trim() === q) { show(data.suggestions || []); } })
      .catch(function () { /* offline or aborted: the form still works */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 150);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { clear(); }
    if (e.key === "ArrowDown" && !list.hidden) {
      var first = list.querySelector("a");
      if (first) { e.preventDefault(); first.focus(); }
    }
  });
  list.addEventListener("keydown", function (e) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var i = links.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && i < links.length - 1) { e.preventDefault(); links[i + 1].focus(); }
    if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
    if (e.key === "Escape") { clear(); input.focus(); }
  });
})();
