// The compose screen: drafts kept in this browser while typing (restored after a crash or a
// closed tab), and keyboard shortcuts. Without JavaScript the form works the same.
(function () {
  "use strict";
  var form = document.querySelector("form.compose");
  if (!form) return;
  var key = "sitrep:compose:" + location.pathname;
  var fields = function () {
    return Array.prototype.filter.call(form.elements, function (el) {
      // The image fields are the upload's, not the post's: they are not kept as a draft.
      return el.name && el.type !== "hidden" && el.type !== "submit" && el.type !== "file" &&
        el.name.indexOf("image-") !== 0;
    });
  };
  function snapshot() {
    var data = {};
    fields().forEach(function (el) { data[el.name] = el.type === "checkbox" ? el.checked : el.value; });
    return data;
  }
  function save() {
    try { localStorage.setItem(key, JSON.stringify({ at: Date.now(), data: snapshot() })); } catch (e) { /* full or private */ }
  }
  var saved = null;
  try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
  if (saved && JSON.stringify(saved.data) !== JSON.stringify(snapshot()) && !document.querySelector(".errorlist, .error")) {
    var bar = document.getElementById("draft-restore");
    bar.hidden = false;
    bar.querySelector("time").textContent = new Date(saved.at).toLocaleString();
    bar.querySelector("[data-restore]").addEventListener("click", function () {
      fields().forEach(function (el) {
        if (!(el.name in saved.data)) return;
        if (el.type === "checkbox") el.checked = saved.data[el.name]; else el.value = saved.data[el.name];
      });
      bar.hidden = true;
    });
    bar.querySelector("[data-discard]").addEventListener("click", function () {
      localStorage.removeItem(key);
      bar.hidden = true;
    });
  }
  var timer = null;
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(save, 800);
  });
  form.addEventListener("submit", function (event) {
    var action = event.submitter && event.submitter.value;
    if (action !== "preview" && action !== "add_clip") {
      try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
    }
  });
  document.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey) || event.key !== "Enter") return;
    var wanted = event.shiftKey ? "button.primary" : "button[value=preview]";
    var button = form.querySelector(wanted);
    if (button) { event.preventDefault(); button.click(); }
  });
})();
