// Long threads: collapse a reply branch, and mark what is new since the last visit (kept in
// this browser's localStorage: no account, no cookie). The page is complete without it.
(function () {
  "use strict";
  var thread = document.querySelector(".thread");
  if (!thread) return;
  var comments = Array.prototype.slice.call(thread.querySelectorAll(".comment"));

  // A comment's replies are the list inside its own item: collapsing hides that list.
  comments.forEach(function (comment) {
    var replies = comment.querySelector(":scope > .replies");
    if (!replies) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "toggle";
    button.setAttribute("aria-expanded", "true");
    button.textContent = "Collapse replies";
    button.addEventListener("click", function () {
      var collapse = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", String(!collapse));
      button.textContent = collapse ? "Expand replies" : "Collapse replies";
      replies.hidden = collapse;
    });
    comment.querySelector(":scope > .comment-box > .comment-meta").appendChild(button);
  });

  var key = "sitrep:seen:" + location.pathname;
  var last = null;
  try { last = window.localStorage.getItem(key); } catch (e) { /* private mode */ }
  if (last) {
    var fresh = comments.filter(function (c) { return c.dataset.created > last; });
    fresh.forEach(function (c) { c.classList.add("new"); });
    var note = document.getElementById("new-comments");
    if (note && fresh.length) {
      note.hidden = false;
      note.querySelector("a").href = "#" + fresh[0].id;
      note.querySelector("a").textContent = fresh.length + " new since your last visit";
    }
  }
  var newest = comments.reduce(function (acc, c) {
    return c.dataset.created > acc ? c.dataset.created : acc;
  }, last || "");
  try { if (newest) window.localStorage.setItem(key, newest); } catch (e) { /* ignore */ }
})();
