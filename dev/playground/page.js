// The playground page's own script (inlined after grid.js): polls the host's sheet and hands each snapshot to
// the grid, posts the grid's selections and edits, runs the toolbar (insert and delete rows, load a CSV file),
// switches sheets with the tabs, shows the add-on's toasts, and opens the sidebar (again, or as a colleague).
// The page was opened with the access token in its address: every call and the sidebar's address carry it on.
/* global createSheetGrid */
(() => {
  const token = new URLSearchParams(location.search).get("token") || "";
  const MAX_FILE_BYTES = 10 * 1024 * 1024;
  let version = -1;
  let current = null;
  const status = document.getElementById("status");

  function text(tag, value, className) {
    const element = document.createElement(tag);
    element.textContent = value;
    if (className) element.className = className;
    return element;
  }

  function post(path, body) {
    return fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json", "x-playground-token": token },
      body: JSON.stringify(body),
    }).then((response) =>
      response
        .json()
        .catch(() => ({ error: `The playground answered ${response.status}.` }))
        .then((answer) => ({ ok: response.ok, answer: answer })),
    );
  }

  function poll() {
    return fetch(`/sheet?since=${version}`, { headers: { "x-playground-token": token } })
      .then((response) => (response.status === 204 ? null : response.json()))
      .then((snapshot) => {
        if (snapshot) {
          version = snapshot.version;
          render(snapshot);
        }
      })
      .catch(() => {});
  }

  /** An edit of the sheet shown; says what became of it when asked to, and always when it was refused. */
  function edit(sheetName, change, announce) {
    return post("/edit", { sheetName: sheetName, edit: change }).then((reply) => {
      if (!reply.ok) status.textContent = reply.answer.error;
      else if (announce) status.textContent = reply.answer.message;
      poll();
      return reply;
    });
  }

  const grid = createSheetGrid(document.getElementById("sheet"), {
    select: (selection) =>
      post("/select", selection).then((reply) => {
        poll();
        return reply.answer;
      }),
    edit: (sheetName, change) => edit(sheetName, change, change.kind === "paste"),
  });

  function showTabs(snapshot) {
    const tabs = document.getElementById("sheet-tabs");
    tabs.textContent = "";
    snapshot.sheets.forEach((name) => {
      const tab = text("button", name);
      tab.type = "button";
      tab.setAttribute("aria-pressed", String(name === snapshot.sheetName));
      tab.addEventListener("click", () => {
        post("/select", { sheetName: name }).then(poll);
      });
      tabs.appendChild(tab);
    });
  }

  function showToasts(snapshot) {
    const box = document.getElementById("toasts");
    box.textContent = "";
    snapshot.toasts.forEach((message) => {
      box.appendChild(text("div", message, "toast"));
    });
  }

  function render(snapshot) {
    current = snapshot;
    grid.render(snapshot);
    showTabs(snapshot);
    showToasts(snapshot);
  }

  document.getElementById("insert-row").addEventListener("click", () => {
    const rows = grid.selectedRows();
    if (!rows) return;
    edit(current.sheetName, { kind: "insertRows", after: rows.last, count: 1 }, true).then((reply) => {
      if (reply.ok) grid.moveTo(rows.last + 1);
    });
  });

  document.getElementById("delete-rows").addEventListener("click", () => {
    const rows = grid.selectedRows();
    if (!rows) return;
    const last = Math.min(rows.last, rows.lastData);
    if (rows.first > last) {
      status.textContent = "Select the rows to delete first: click their row numbers.";
      return;
    }
    edit(current.sheetName, { kind: "deleteRows", first: rows.first, count: last - rows.first + 1 }, true);
  });

  const fileInput = document.getElementById("csv-file");
  document.getElementById("load-csv").addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", () => {
    const file = fileInput.files[0];
    fileInput.value = "";
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      status.textContent = `${file.name} is larger than 10 MB: the playground loads CSV files up to 10 MB.`;
      return;
    }
    status.textContent = `Loading ${file.name}…`;
    file.text().then((content) => {
      edit(current.sheetName, { kind: "loadCsv", fileName: file.name, text: content }, true);
    });
  });

  (function loop() {
    poll().then(() => {
      setTimeout(loop, 400);
    });
  })();

  const frame = document.getElementById("sidebar");
  const editor = document.getElementById("editor");
  function reopen() {
    const query = new URLSearchParams({ token: token });
    if (editor.value) query.set("user", editor.value);
    frame.src = `/sidebar?${query}`;
  }
  editor.addEventListener("change", reopen);
  document.getElementById("reopen").addEventListener("click", reopen);
  reopen();

  // The sidebar's google.script.run (script-run-shim.js) reads this switch on every call.
  const signedInTwice = document.getElementById("signed-in-twice");
  signedInTwice.checked = localStorage.getItem("playground.signedInTwice") === "1";
  signedInTwice.addEventListener("change", () => {
    if (signedInTwice.checked) localStorage.setItem("playground.signedInTwice", "1");
    else localStorage.removeItem("playground.signedInTwice");
  });
})();
