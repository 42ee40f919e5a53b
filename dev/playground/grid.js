// The playground's sheet view as a grid a person works in like a sheet (the WAI-ARIA grid pattern): one cell or
// row number is in the tab order at a time; arrow keys move it, Shift+arrows select, Home and End go to the
// row's ends; Enter, F2, a double click or typing edits a cell (Enter or Tab saves, Escape cancels); Delete
// clears the selected cells; Ctrl+V pastes a block copied from a spreadsheet and Ctrl+C copies one; a row
// number (clicked, or focused and moved with the arrow keys) selects its row, Shift for a range. As in Sheets,
// the table head holds the column letters and row 1 (the sheet's header) is a row like the others, kept in
// view; two empty rows and one empty column follow the data, within the sheet's grid, to type new ones. The
// grid shows the host's sheet as each snapshot has it; the page (page.js) posts what the person does. Text goes
// in with textContent only.
/* exported createSheetGrid */
// biome-ignore lint/correctness/noUnusedVariables: page.js, inlined after this file, calls it.
function createSheetGrid(table, page) {
  const SPARE_ROWS = 2;
  const PAGE_ROWS = 20;
  const head = table.tHead;
  const body = table.tBodies[0];
  let view = null;
  let shape = "";
  let cursor = { row: 2, column: 1 };
  let anchor = { row: 2, column: 1 };
  let wholeRows = false;
  let marked = [];
  let editor = null;
  let deferred = null;
  // Cells typed or cleared whose edit the host has not applied yet: snapshots until then still show the old text.
  const pendingCells = new Map();
  let selecting = false;
  let queuedSelection = null;
  // The snapshot version that shows the last selection posted: older snapshots cannot say the add-on moved it.
  let settledAt = 0;

  function letters(column) {
    let text = "";
    for (let n = column; n > 0; n = Math.floor((n - 1) / 26))
      text = String.fromCharCode(65 + ((n - 1) % 26)) + text;
    return text;
  }
  function clamp(value, low, high) {
    return Math.max(low, Math.min(high, value));
  }
  function lastDataRow() {
    return view.snapshot.rows.length + 1;
  }
  function lastDataColumn() {
    return Math.max(1, view.snapshot.header.length);
  }
  function textAt(row, column) {
    const line = row === 1 ? view.snapshot.header : view.snapshot.rows[row - 2];
    return line?.[column - 1] || "";
  }
  function position(column) {
    return column === 0 ? 0 : view.columns.indexOf(column) + 1;
  }
  function columnAt(place) {
    return place === 0 ? 0 : view.columns[clamp(place, 1, view.columns.length) - 1];
  }
  function cellElement(row, column) {
    const line = body.rows[row - 1];
    return line ? line.cells[position(column)] || null : null;
  }
  function shownText(row, column) {
    return pendingCells.get(`${row}:${column}`) ?? textAt(row, column);
  }
  /** A column's letter, named with the header the sheet gives it (row 1) for screen readers. */
  function labelColumn(element, column) {
    const name = textAt(1, column);
    const label = name === "" ? `Column ${letters(column)}` : `Column ${letters(column)}, ${name}`;
    if (element.getAttribute("aria-label") !== label) element.setAttribute("aria-label", label);
  }

  function newCell(row, column) {
    const element = document.createElement(column === 0 ? "th" : "td");
    element.dataset.row = String(row);
    element.dataset.column = String(column);
    if (column === 0) {
      element.className = "row-number";
      element.setAttribute("role", "rowheader");
      element.setAttribute("aria-label", `Row ${row}`);
      element.textContent = String(row);
    } else {
      element.setAttribute("role", "gridcell");
      element.textContent = shownText(row, column);
    }
    return element;
  }

  function rebuild() {
    head.textContent = "";
    body.textContent = "";
    marked = [];
    const letterRow = document.createElement("tr");
    const corner = document.createElement("th");
    corner.className = "row-number";
    corner.setAttribute("role", "columnheader");
    corner.textContent = "Row";
    letterRow.appendChild(corner);
    view.columns.forEach((column) => {
      const letter = document.createElement("th");
      letter.setAttribute("role", "columnheader");
      letter.textContent = letters(column);
      labelColumn(letter, column);
      letterRow.appendChild(letter);
    });
    head.appendChild(letterRow);
    for (let row = 1; row <= view.rowCount; row++) {
      const line = document.createElement("tr");
      line.dataset.row = String(row);
      if (row === 1) line.className = "header-row";
      for (let place = 0; place <= view.columns.length; place++)
        line.appendChild(newCell(row, columnAt(place)));
      body.appendChild(line);
    }
  }

  function update() {
    view.columns.forEach((column, index) => {
      labelColumn(head.rows[0].cells[index + 1], column);
    });
    for (let row = 1; row <= view.rowCount; row++) {
      const line = body.rows[row - 1];
      for (let place = 1; place <= view.columns.length; place++) {
        const element = line.cells[place];
        const text = shownText(row, view.columns[place - 1]);
        if (editor?.element !== element && element.textContent !== text) element.textContent = text;
      }
    }
  }

  /** The selection in sheet rows and columns (whole rows: every column). */
  function range() {
    const top = Math.min(anchor.row, cursor.row);
    const bottom = Math.max(anchor.row, cursor.row);
    if (wholeRows) return { top: top, bottom: bottom, left: 1, right: Number.MAX_SAFE_INTEGER, whole: true };
    const low = Math.max(1, Math.min(position(anchor.column), position(cursor.column)));
    const high = Math.max(1, position(anchor.column), position(cursor.column));
    return { top: top, bottom: bottom, left: columnAt(low), right: columnAt(high), whole: false };
  }
  function rangeKey(selected) {
    return `${selected.top}-${selected.bottom}:${selected.whole ? "rows" : `${selected.left}-${selected.right}`}`;
  }

  function showSelection(scroll) {
    marked.forEach((element) => {
      element.classList.remove("selected", "in-range");
      element.removeAttribute("aria-selected");
    });
    marked = [];
    const selected = range();
    for (let row = selected.top; row <= selected.bottom; row++) {
      const line = body.rows[row - 1];
      if (!line) continue;
      if (selected.whole) {
        line.classList.add("selected");
        line.setAttribute("aria-selected", "true");
        marked.push(line);
      }
      for (let place = 1; place <= view.columns.length; place++) {
        const column = view.columns[place - 1];
        if (column < selected.left || column > selected.right) continue;
        line.cells[place].classList.add("in-range");
        line.cells[place].setAttribute("aria-selected", "true");
        marked.push(line.cells[place]);
      }
    }
    const focused = table.contains(document.activeElement);
    const target = cellElement(cursor.row, cursor.column);
    table.querySelectorAll("[tabindex]").forEach((element) => {
      if (element !== target) element.removeAttribute("tabindex");
    });
    if (!target) return;
    target.tabIndex = 0;
    if (focused && !editor) target.focus({ preventScroll: true });
    if (scroll) target.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  function sendSelection() {
    const selection = queuedSelection;
    queuedSelection = null;
    selecting = true;
    page
      .select(selection)
      .then((answer) => {
        if (answer && typeof answer.version === "number") settledAt = answer.version;
      })
      .finally(() => {
        selecting = false;
        if (queuedSelection) sendSelection();
      });
  }

  /** Tells the host the selection (the last one wins while one is on its way). */
  function postSelection() {
    const selected = range();
    const selection = {
      sheetName: view.snapshot.sheetName,
      firstRow: selected.top,
      lastRow: selected.bottom,
    };
    if (!selected.whole) {
      selection.firstColumn = selected.left;
      selection.lastColumn = selected.right;
    }
    queuedSelection = selection;
    if (!selecting) sendSelection();
  }

  /** Moves the cursor (column 0: the row number); with extend, the selection grows from its anchor. */
  function moveTo(row, column, extend) {
    cursor = { row: clamp(row, 1, view.rowCount), column: column };
    if (!extend) {
      anchor = { row: cursor.row, column: column };
      wholeRows = column === 0;
    } else if (column === 0) wholeRows = true;
    showSelection(true);
    postSelection();
  }

  /** Follows a selection the add-on made (the sidebar's "Row 14"), unless the person's own is on its way. */
  function adopt(snapshot) {
    if (selecting || queuedSelection || snapshot.version < settledAt || !snapshot.selection) return;
    const rows = snapshot.selection;
    const columns = snapshot.selectionColumns || { first: 1, last: lastDataColumn() };
    const whole = columns.first <= 1 && columns.last >= lastDataColumn();
    const host = {
      top: rows.first,
      bottom: rows.last,
      left: columns.first,
      right: whole ? Number.MAX_SAFE_INTEGER : columns.last,
      whole: whole,
    };
    if (rangeKey(host) === rangeKey(range())) return;
    const first = view.columns.find((column) => column >= columns.first) || view.columns[0];
    const last = view.columns.filter((column) => column <= columns.last).pop() || first;
    wholeRows = whole;
    anchor = { row: clamp(rows.first, 1, view.rowCount), column: first };
    cursor = { row: clamp(rows.last, 1, view.rowCount), column: whole ? first : last };
    const target = cellElement(anchor.row, anchor.column);
    if (target) target.scrollIntoView({ block: "center" });
  }

  function render(snapshot) {
    if (editor && view && snapshot.sheetName !== view.snapshot.sheetName) finishEdit(false);
    const hidden = new Set(snapshot.hiddenColumns);
    const columns = [];
    for (let column = 1; column <= snapshot.header.length; column++)
      if (!hidden.has(column)) columns.push(column);
    if (snapshot.header.length < snapshot.grid.columns || columns.length === 0)
      columns.push(snapshot.header.length + 1);
    const rowCount = clamp(snapshot.rows.length + 1 + SPARE_ROWS, 1, Math.max(1, snapshot.grid.rows));
    const nextShape = `${snapshot.sheetName}|${rowCount}|${columns.join(",")}`;
    if (editor && nextShape !== shape) {
      // Rebuilding would take the cell being typed into away: the new shape waits until the edit ends.
      deferred = snapshot;
      return;
    }
    const sheetChanged = !view || view.snapshot.sheetName !== snapshot.sheetName;
    view = { snapshot: snapshot, columns: columns, rowCount: rowCount };
    table.setAttribute("aria-label", `Sheet ${snapshot.sheetName}`);
    const focused = table.contains(document.activeElement);
    if (nextShape !== shape) rebuild();
    else update();
    shape = nextShape;
    if (sheetChanged) {
      cursor = { row: 2, column: columns[0] };
      anchor = { row: 2, column: columns[0] };
      wholeRows = false;
    }
    if (cursor.column !== 0 && columns.indexOf(cursor.column) < 0) cursor.column = columns[0];
    if (anchor.column !== 0 && columns.indexOf(anchor.column) < 0) anchor.column = columns[0];
    cursor.row = clamp(cursor.row, 1, rowCount);
    anchor.row = clamp(anchor.row, 1, rowCount);
    adopt(snapshot);
    showSelection(false);
    if (focused && !table.contains(document.activeElement)) cellElement(cursor.row, cursor.column)?.focus();
  }

  function startEdit(initial) {
    if (cursor.column === 0) return;
    const element = cellElement(cursor.row, cursor.column);
    if (!element) return;
    const original = shownText(cursor.row, cursor.column);
    const input = document.createElement("input");
    input.type = "text";
    input.value = initial ?? original;
    input.setAttribute("aria-label", `Cell ${letters(cursor.column)}${cursor.row}`);
    element.textContent = "";
    element.classList.add("editing");
    element.appendChild(input);
    editor = { row: cursor.row, column: cursor.column, element: element, input: input, original: original };
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
    input.addEventListener("keydown", (event) => {
      // The grid's own keys (onKey) are for moving between cells, not within the text.
      event.stopPropagation();
      const moves = { Enter: [1, 0], Tab: [0, 1] };
      const move = moves[event.key];
      if (move) {
        event.preventDefault();
        const back = event.shiftKey ? -1 : 1;
        finishEdit(true, move[0] * back, move[1] * back);
      } else if (event.key === "Escape") {
        event.preventDefault();
        finishEdit(false);
      }
    });
    input.addEventListener("blur", () => finishEdit(true));
  }

  /** Ends the edit, saving the text when asked and changed, then moves by (down, right) cells. */
  function finishEdit(save, down, right) {
    if (!editor) return;
    const edited = editor;
    editor = null;
    const text = edited.input.value;
    // Enter, Tab and Escape leave the keyboard in the grid; a click elsewhere (the blur) leaves it there.
    const keepFocus = edited.element.contains(document.activeElement);
    edited.element.classList.remove("editing");
    edited.element.textContent = save ? text : edited.original;
    if (save && text !== edited.original) setCells(edited.row, edited.column, [[text]]);
    if (down || right) {
      const place = clamp(position(edited.column) + (right || 0), 1, view.columns.length);
      moveTo(edited.row + (down || 0), columnAt(place), false);
    }
    if (keepFocus) cellElement(cursor.row, cursor.column)?.focus();
    if (deferred) {
      const waiting = deferred;
      deferred = null;
      render(waiting);
    }
  }

  /** Posts typed (or cleared) text, showing it at once; the host's next snapshot then has the stored value. */
  function setCells(row, column, values) {
    values.forEach((line, i) => {
      line.forEach((text, j) => {
        pendingCells.set(`${row + i}:${column + j}`, text);
      });
    });
    page
      .edit(view.snapshot.sheetName, { kind: "set", row: row, column: column, values: values })
      .finally(() => {
        values.forEach((line, i) => {
          line.forEach((_, j) => {
            pendingCells.delete(`${row + i}:${column + j}`);
          });
        });
      });
  }

  /** The selected cells that hold data (or could: the empty row and column after it). */
  function selectedBlock() {
    const selected = range();
    const right = selected.whole ? lastDataColumn() : selected.right;
    const columns = view.columns.filter((column) => column >= selected.left && column <= right);
    return { top: selected.top, bottom: Math.min(selected.bottom, view.rowCount), columns: columns };
  }

  function clearSelection() {
    const block = selectedBlock();
    if (block.columns.length === 0) return;
    // One write per run of adjacent columns, so a hidden column between them is left alone.
    const runs = [];
    block.columns.forEach((column) => {
      const last = runs[runs.length - 1];
      if (last && last.right === column - 1) last.right = column;
      else runs.push({ left: column, right: column });
    });
    const height = block.bottom - block.top + 1;
    runs.forEach((run) => {
      const values = Array.from({ length: height }, () => new Array(run.right - run.left + 1).fill(""));
      setCells(block.top, run.left, values);
    });
  }

  function copySelection(event) {
    const block = selectedBlock();
    const lines = [];
    for (let row = block.top; row <= block.bottom; row++)
      lines.push(block.columns.map((column) => textAt(row, column)).join("\t"));
    event.clipboardData.setData("text/plain", lines.join("\n"));
    event.preventDefault();
  }

  function onKey(event) {
    if (editor || !view) return;
    const place = position(cursor.column);
    const shift = event.shiftKey;
    const steps = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
      PageUp: [-PAGE_ROWS, 0],
      PageDown: [PAGE_ROWS, 0],
    };
    const step = steps[event.key];
    if (step) {
      event.preventDefault();
      moveTo(cursor.row + step[0], columnAt(clamp(place + step[1], 0, view.columns.length)), shift);
    } else if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      moveTo(cursor.row, event.key === "Home" ? columnAt(1) : columnAt(view.columns.length), shift);
    } else if (event.key === " " && (shift || cursor.column === 0)) {
      // Shift+Space selects the row, as in Sheets; Space on a row number too.
      event.preventDefault();
      const column = cursor.column;
      anchor = { row: shift && wholeRows ? anchor.row : cursor.row, column: column };
      wholeRows = true;
      showSelection(false);
      postSelection();
    } else if (event.key === "Enter" || event.key === "F2") {
      event.preventDefault();
      if (cursor.column === 0) moveTo(cursor.row, 0, shift);
      else startEdit();
    } else if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      clearSelection();
    } else if (
      event.key.length === 1 &&
      !event.ctrlKey &&
      !event.metaKey &&
      !event.altKey &&
      cursor.column !== 0
    ) {
      event.preventDefault();
      startEdit(event.key);
    }
  }

  table.addEventListener("keydown", onKey);
  table.addEventListener("mousedown", (event) => {
    const element = event.target.closest("[data-column]");
    if (!element || !view || editor?.element.contains(event.target)) return;
    if (editor) finishEdit(true);
    event.preventDefault();
    const row = Number(element.dataset.row);
    const column = Number(element.dataset.column);
    moveTo(row, column, event.shiftKey);
    cellElement(cursor.row, cursor.column)?.focus();
  });
  table.addEventListener("dblclick", (event) => {
    const element = event.target.closest("[data-column]");
    if (element && !editor && Number(element.dataset.column) > 0) startEdit();
  });
  table.addEventListener("paste", (event) => {
    if (editor || !view) return;
    event.preventDefault();
    const text = event.clipboardData.getData("text/plain");
    const block = selectedBlock();
    const column = cursor.column === 0 ? view.columns[0] : (block.columns[0] ?? cursor.column);
    if (text !== "")
      page.edit(view.snapshot.sheetName, { kind: "paste", row: block.top, column: column, text: text });
  });
  table.addEventListener("copy", (event) => {
    if (!editor && view) copySelection(event);
  });

  return {
    render: render,
    /** The selected rows, to insert below or to delete. */
    selectedRows: () => (view ? { first: range().top, last: range().bottom, lastData: lastDataRow() } : null),
    moveTo: (row, column) => moveTo(row, column ?? view.columns[0], false),
  };
}
