// "N new since your last visit" on a story page. The time of the newest post seen is kept in a
// cookie for this story only; the server never reads it, so the page stays the same cached page
// for everyone. Without JavaScript the timeline is simply complete.
(function () {
  "use strict";
  var note = document.getElementById("story-new");
  if (!note) return;
  var name = "sitrep_story_" + note.dataset.story;
  var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=(\\d+)"));
  var last = match ? parseInt(match[1], 10) : null;
  var entries = Array.prototype.slice.call(document.querySelectorAll(".timeline-entry"));
  var newest = 0;
  var fresh = [];
  entries.forEach(function (entry) {
    var when = parseInt(entry.dataset.published || "0", 10);
    newest = Math.max(newest, when);
    if (last !== null && when > last) {
      fresh.push(entry);
      entry.classList.add("new");
    }
  });
  if (fresh.length) {
    note.textContent = fresh.length + " new since your last visit";
    note.hidden = false;
  }
  if (newest) {
    var secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = name + "=" + newest + "; Max-Age=31536000; Path=/; SameSite=Lax" + secure;
  }
})();
