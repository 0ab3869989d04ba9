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

  // A commenter's edit and delete links for their own comments of the last fifteen minutes,
  // by this browser's own-comment cookie, when the page came from a cache shared by everyone
  // (deploy/nginx.conf) instead of with the links in. The server checks the signed cookie
  // again on every edit; this only shows the way.
  var own = document.cookie.match(/(?:^|;\s*)sitrep_own="?([^";]*)/);
  var actions = document.getElementById("own-actions");
  if (own && actions) {
    var sentinel = actions.dataset.id;
    var since = Date.now() / 1000 - parseInt(actions.dataset.seconds, 10);  // EDIT_WINDOW
    own[1].replace(/\\054/g, ",").split(":")[0].split(",").forEach(function (id) {
      var comment = /^\d+$/.test(id) && document.getElementById("c" + id);
      if (!comment || comment.classList.contains("removed") ||
          comment.querySelector(":scope > .comment-box .own-actions") ||
          parseFloat(comment.dataset.created) < since) return;
      var links = actions.content.firstElementChild.cloneNode(true);
      links.querySelector("a").href = links.querySelector("a").getAttribute("href").replace(sentinel, id);
      var form = links.querySelector("form");
      form.setAttribute("action", form.getAttribute("action").replace(sentinel, id));
      var meta = comment.querySelector(":scope > .comment-box > .comment-meta");
      var marker = Array.prototype.find.call(meta.childNodes, function (node) {
        return node.nodeType === Node.COMMENT_NODE && node.data === "own:" + id;
      });
      if (marker) meta.replaceChild(links, marker);  // where the server would have put them
    });
  }

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
