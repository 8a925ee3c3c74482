// Search-as-you-type over the roster: hides the names (and schools) that do not match
// what is typed in a question's search box. Without JavaScript the box is sent with
// the form and the server filters the list instead.
(function () {
  "use strict";
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.querySelectorAll("[data-roster-search]").forEach(function (box) {
    var list = document.getElementById(box.getAttribute("data-roster-search"));
    var count = document.getElementById(box.getAttribute("data-count"));
    if (!list) { return; }
    var options = Array.prototype.slice.call(list.options);
    function apply() {
      var want = fold(box.value.trim());
      var shown = 0;
      options.forEach(function (o) {
        var hit = !want || fold(o.textContent).indexOf(want) !== -1 || o.selected;
        o.hidden = !hit;
        o.disabled = !hit && !o.selected;
        if (hit) { shown += 1; }
      });
      if (count) { count.textContent = shown + " names shown"; }
    }
    box.addEventListener("input", apply);
    box.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); list.focus(); }
    });
    var button = document.querySelector("[data-search-button='" + box.id + "']");
    if (button) { button.hidden = true; }
    apply();
  });
})();
