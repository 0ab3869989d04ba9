// Keyboard for the moderation queue; every action is also a button on the page.
(function () {
  "use strict";
  var form = document.getElementById("queue-form");
  if (!form) return;
  var items = Array.prototype.slice.call(form.querySelectorAll(".desk-comment"));
  var current = -1;
  function select(i) {
    if (!items.length) return;
    current = Math.max(0, Math.min(items.length - 1, i));
    items.forEach(function (el, n) { el.classList.toggle("current", n === current); });
    items[current].focus({ preventScroll: true });
    items[current].scrollIntoView({ block: "nearest" });
  }
  function act(action) {
    var ticked = form.querySelectorAll("input[name=comment]:checked");
    if (!ticked.length && items[current]) items[current].querySelector("input[name=comment]").checked = true;
    var button = form.querySelector("button[name=action][value=" + action + "]");
    if (button) button.click();
  }
  document.addEventListener("keydown", function (event) {
    if (event.target.closest("input[type=text], textarea, select") || event.metaKey || event.ctrlKey || event.altKey) return;
    var keys = { j: function () { select(current + 1); }, k: function () { select(current - 1); },
      x: function () { if (items[current]) { var b = items[current].querySelector("input[name=comment]"); b.checked = !b.checked; } },
      a: function () { act("approve"); }, r: function () { act("remove"); },
      s: function () { act("spam"); }, b: function () { act("ban"); } };
    if (!keys[event.key]) return;
    event.preventDefault();
    keys[event.key]();
  });
})();
