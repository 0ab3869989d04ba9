// Keyboard for the inbox. The page works without it: every action is also a button.
(function () {
  "use strict";
  var list = document.querySelector(".inbox");
  if (!list) return;
  var items = Array.prototype.slice.call(list.querySelectorAll(".inbox-item"));
  var current = -1;
  var csrf = document.querySelector("#inbox-form input[name=csrfmiddlewaretoken]");

  function select(index) {
    if (!items.length) return;
    current = Math.max(0, Math.min(items.length - 1, index));
    items.forEach(function (el, i) { el.classList.toggle("current", i === current); });
    items[current].focus({ preventScroll: true });
    items[current].scrollIntoView({ block: "nearest" });
  }

  function mark(action, item) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf.value);
    body.append("item", item.dataset.id);
    fetch(list.dataset.markUrl.replace("ACTION", action), {
      method: "POST", body: body, headers: { "X-Requested-With": "fetch" }, credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) return;
      if (action === "dismiss") item.classList.add("dismissed");
      if (action === "read") item.classList.add("read");
      if (action === "star") item.classList.add("starred");
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.target.closest("input, textarea, select") || event.metaKey || event.ctrlKey || event.altKey) return;
    var item = items[current];
    switch (event.key) {
      case "j": select(current + 1); break;
      case "k": select(current - 1); break;
      case "o": if (item && item.dataset.url) { window.open(item.dataset.url, "_blank", "noopener"); mark("read", item); } break;
      case "c": if (item) window.location = item.dataset.clip; break;
      case "s": if (item) mark("star", item); break;
      case "r": if (item) mark("read", item); break;
      case "d": if (item) { mark("dismiss", item); select(current + 1); } break;
      case "x": if (item) { var box = item.querySelector("input[type=checkbox]"); box.checked = !box.checked; } break;
      default: return;
    }
    event.preventDefault();
  });
})();
