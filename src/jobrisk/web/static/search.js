// Search as you type: fills #search-results from /api/v1/search. Without it, the form posts
// to /search. Arrow keys move through the results, Enter opens one, Escape closes the list.
(function () {
  "use strict";
  var input = document.getElementById("search");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!input || !list) { return; }
  var timer = null, active = -1, seq = 0;

  function clear() { while (list.firstChild) { list.removeChild(list.firstChild); } active = -1; input.removeAttribute("aria-activedescendant"); }

  function show(results) {
    clear();
    results.forEach(function (hit, i) {
      var li = document.createElement("li");
      li.id = "search-opt-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("data-testid", "search-result");
      var a = document.createElement("a");
      a.href = "/occupations/" + encodeURIComponent(hit.code);
      a.tabIndex = -1;
      a.textContent = hit.title;
      if (hit.matched && hit.matched !== hit.title) {
        var span = document.createElement("span");
        span.className = "hint";
        span.textContent = " (" + hit.matched + ")";
        a.appendChild(span);
      }
      li.appendChild(a);
      list.appendChild(li);
    });
    if (status) { status.textContent = results.length + " results"; }
  }

  function select(i) {
    var items = list.querySelectorAll("li");
    if (!items.length) { return; }
    active = (i + items.length) % items.length;
    items.forEach(function (li, j) { li.setAttribute("aria-selected", j === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", items[active].id);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) { clear(); return; }
    timer = setTimeout(function () {
      var mine = ++seq;
      fetch("/api/v1/search?limit=8&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (mine === seq) { show(data.results || []); } })
        .catch(function () { clear(); });
    }, 120);
  });

  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); select(active + 1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); select(active - 1); }
    else if (e.key === "Escape") { clear(); }
    else if (e.key === "Enter" && active >= 0) {
      e.preventDefault();
      var a = list.querySelectorAll("li a")[active];
      if (a) { window.location.href = a.href; }
    }
  });
})();
