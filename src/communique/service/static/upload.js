// Upload one file at a time through the API, so that each file's result shows as it
// comes and the bar tells how far the batch is. Without this script the form posts
// to /upload and the page answers with every result at once.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.fetch || !window.FormData) return;
  var rows = document.getElementById("upload-rows");
  var panel = document.getElementById("upload-results");
  var progress = document.getElementById("upload-progress");
  var bar = document.getElementById("upload-bar");
  var button = document.getElementById("upload-button");

  function cell(tr, content) {
    var td = document.createElement("td");
    if (typeof content === "string") td.textContent = content; else if (content) td.appendChild(content);
    tr.appendChild(td);
    return td;
  }

  function show(result) {
    var tr = document.createElement("tr");
    tr.className = "res-" + result.status;
    cell(tr, result.file).className = "file";
    var badge = document.createElement("span");
    badge.className = "pill st-" + result.status;
    badge.textContent = result.status;
    cell(tr, badge);
    var details = cell(tr, null);
    if (result.document_id) {
      var a = document.createElement("a");
      a.href = "/documents/" + result.document_id;
      a.textContent = "open document " + result.document_id;
      details.appendChild(a);
    }
    if (result.reason) {
      var why = document.createElement("span");
      why.className = "muted";
      why.textContent = " " + result.reason;
      details.appendChild(why);
    }
    rows.appendChild(tr);
  }

  form.addEventListener("submit", function (event) {
    var files = document.getElementById("files").files;
    var token = document.getElementById("token").value.trim();
    if (!files.length || !token) return;  // the browser's own checks say what is missing
    event.preventDefault();
    rows.textContent = "";
    panel.hidden = false;
    bar.hidden = false;
    bar.max = files.length;
    bar.value = 0;
    button.disabled = true;
    var list = Array.prototype.slice.call(files);
    var done = 0;

    function next() {
      if (!list.length) {
        progress.textContent = done + " of " + files.length + " files done";
        button.disabled = false;
        return;
      }
      var file = list.shift();
      progress.textContent = "Uploading " + file.name + " (" + (done + 1) + " of " + files.length + ")…";
      var body = new FormData();
      body.append("files", file, file.name);
      fetch("/api/v1/documents", {
        method: "POST",
        headers: { "Authorization": "Bearer " + token },
        body: body
      }).then(function (response) {
        return response.json().then(function (data) {
          if (data.results) {
            data.results.forEach(show);
          } else {
            show({ file: file.name, status: "failed", reason: data.error || ("HTTP " + response.status) });
            if (response.status === 401 || response.status === 429) list = [];
          }
        });
      }).catch(function () {
        show({ file: file.name, status: "failed", reason: "the server could not be reached" });
      }).then(function () {
        done += 1;
        bar.value = done;
        next();
      });
    }
    next();
  });
})();
