// Images in compose: drop or paste an image into your text, or pick a file, and it is uploaded
// with a progress bar and placed where the cursor was (or made the lead image). Alt text is
// asked for first: without it nothing is uploaded. Without JavaScript, "Upload image" does it.
(function () {
  "use strict";
  var box = document.getElementById("images");
  if (!box || !window.FormData || !window.DataTransfer) return;
  var form = box.closest("form");
  var text = form.querySelector("[name=text]");
  var file = box.querySelector("[name=image-file]");
  var alt = box.querySelector("[name=image-alt]");
  var bar = box.querySelector("[data-progress]");
  var button = box.querySelector("[data-upload-button]");
  var status = document.createElement("p");
  status.setAttribute("role", "status");
  status.className = "small";
  button.parentNode.insertBefore(status, button.nextSibling);
  var cursor = null; // where in the text the image goes

  function say(message, isError) {
    status.textContent = message;
    status.className = isError ? "error" : "small";
  }
  function chosen(place) {
    var radio = box.querySelector("[name=image-place][value=" + place + "]");
    if (radio) radio.checked = true;
  }
  function take(found, at) {
    var list = new DataTransfer();
    list.items.add(found);
    file.files = list.files;
    chosen("text");
    cursor = at;
    alt.focus();
    say("Describe " + (found.name || "the image") + " in the alt text, then press Upload image.");
  }
  function imageOf(items) {
    return Array.prototype.find.call(items || [], function (f) { return /^image\//.test(f.type); });
  }
  text.addEventListener("dragover", function (e) {
    if (Array.prototype.indexOf.call(e.dataTransfer.types, "Files") < 0) return;
    e.preventDefault();
    text.classList.add("dragging");
  });
  text.addEventListener("dragleave", function () { text.classList.remove("dragging"); });
  text.addEventListener("drop", function (e) {
    text.classList.remove("dragging");
    var found = imageOf(e.dataTransfer.files);
    if (!found) return;
    e.preventDefault();
    take(found, text.selectionStart);
  });
  text.addEventListener("paste", function (e) {
    var found = imageOf(e.clipboardData && e.clipboardData.files);
    if (!found) return;
    e.preventDefault();
    take(found, text.selectionStart);
  });

  function insert(markdown) {
    var at = cursor === null ? text.value.length : cursor;
    var before = text.value.slice(0, at).replace(/\s*$/, "");
    var after = text.value.slice(at).replace(/^\s*/, "");
    text.value = (before ? before + "\n\n" : "") + markdown + (after ? "\n\n" + after : "\n");
    text.dispatchEvent(new Event("input", { bubbles: true }));
  }
  function lead(result) {
    form.querySelector("[name=lead_image]").value = result.id;
    var shown = box.querySelector("[data-lead]");
    shown.textContent = "";
    var note = document.createElement("p");
    note.textContent = "Lead image (save the post to keep it):";
    var img = document.createElement("img");
    img.src = result.thumb; img.alt = result.alt; img.width = 224;
    img.height = Math.round(224 * result.height / result.width);
    shown.appendChild(note); shown.appendChild(img);
  }
  button.addEventListener("click", function (e) {
    if (!file.files.length) return; // the server's answer: choose a file
    e.preventDefault();
    if (!alt.value.trim()) {
      say("Alt text is required: say what the image shows, for readers who cannot see it.", true);
      alt.focus();
      return;
    }
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    ["file", "alt", "caption", "credit"].forEach(function (name) {
      var field = box.querySelector("[name=image-" + name + "]");
      if (name === "file") data.append("image-file", field.files[0]); else data.append("image-" + name, field.value);
    });
    var place = (box.querySelector("[name=image-place]:checked") || { value: "text" }).value;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", box.dataset.upload);
    xhr.upload.addEventListener("progress", function (p) {
      if (p.lengthComputable) { bar.hidden = false; bar.value = Math.round(100 * p.loaded / p.total); }
    });
    xhr.addEventListener("load", function () {
      bar.hidden = true;
      var result = {};
      try { result = JSON.parse(xhr.responseText); } catch (err) { result = { errors: ["The server did not answer (" + xhr.status + "). Try again."] }; }
      if (xhr.status !== 200) { say((result.errors || ["Not uploaded."]).join(" "), true); return; }
      if (place === "lead") lead(result); else insert(result.markdown);
      ["file", "alt", "caption", "credit"].forEach(function (name) { box.querySelector("[name=image-" + name + "]").value = ""; });
      cursor = null;
      say(place === "lead" ? "Uploaded: it is the lead image." : "Uploaded and placed in your text.");
    });
    xhr.addEventListener("error", function () { bar.hidden = true; say("The upload did not reach the server. Try again.", true); });
    say("Uploading…");
    xhr.send(data);
  });
})();
