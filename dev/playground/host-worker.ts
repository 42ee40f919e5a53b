// The playground's local Apps Script host, in a worker thread: runs what the sidebar calls against the built
// bundle and the stand-in, applies the person's own edits to the sheet between executions (edits.ts), and
// posts snapshots of the sheet while executions run (at most a few per second).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { detectSeparator } from "../csv-separator.js";
import { importCsv } from "../gas-host/csv.js";
import { columnLetters, GasHost, type ServiceCall } from "../gas-host/index.js";
import { seededRunIds } from "../stand-in/runs.js";
import { applyEdit, EditRefused } from "./edits.js";
import {
  clientResult,
  type FromHost,
  type HostSetup,
  type Selection,
  type SheetSnapshot,
  type ToHost,
} from "./protocol.js";

const SHEET = "Runs";
const SNAPSHOT_INTERVAL_MS = 300;
const SYNC_FUNCTIONS = new Set(["startSyncJob", "continueSyncJob"]);
const setup = workerData as HostSetup;
const port = parentPort;
if (!port) throw new Error("host-worker runs only as a worker thread");

const host = new GasHost({ timeZone: "Europe/Berlin" });
if (setup.rows !== undefined) {
  const customers = ["ACME Corp", "Globex", "Initech", "Umbrella", "Hooli"];
  const rows = seededRunIds(setup.rows, 1).map((id, index) => [
    id,
    `Invoice batch ${index + 1}`,
    customers[index % customers.length] ?? "",
    Math.round(index * 37.5) / 10,
    `production, customer-${(index % 40) + 1}`,
  ]);
  host.spreadsheet
    .addSheet(SHEET)
    .setValues("A1", [["Run ID", "Name", "metadata.customer", "metadata.invoiceTotal", "Tags"], ...rows], {
      raw: true,
    });
} else {
  const text = readFileSync(setup.csvPath ?? join(import.meta.dirname, "../../examples/runs.csv"), "utf8");
  importCsv(host.spreadsheet, SHEET, text, detectSeparator(text));
}
host.spreadsheet.removeSheet("Sheet1");
host.spreadsheet.select(SHEET, "A2");
// Posted at once, even mid-execution, so the light thread's calls read the cache as it is now.
host.caches.document.onChange = (key, entry) =>
  port.postMessage({ type: "cache", key, ...(entry ? { entry } : {}) } satisfies FromHost);
// Where the add-on reads its settings; the key is left for the person to type into the sidebar (the stand-in
// takes any key).
host.documentProperties.set("extendSync.setting.baseUrl", setup.standInUrl);
// As a test deployment's manifest would list it: the built manifest allows only Extend's own hosts.
host.allowUrlFetchPrefixes(`${new URL(setup.standInUrl).origin}/`);
if (setup.executionLimitSeconds)
  host.documentProperties.set(
    "extendSync.setting.executionLimitSeconds",
    String(setup.executionLimitSeconds),
  );
if (setup.requestsUsedToday) {
  host.urlFetchQuota.used = setup.requestsUsedToday;
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: "America/Los_Angeles" }).format(host.clock.now());
  host.userProperties.set("extendSync.urlFetchToday", JSON.stringify({ day, used: setup.requestsUsedToday }));
}
host.open();

function snapshot(): Omit<SheetSnapshot, "version"> {
  const book = host.spreadsheet;
  const sheet = book.activeSheet;
  const [header = [], ...rows] = sheet.displayValues();
  const selected = book.selection?.sheetName === sheet.name ? book.selection.ranges[0] : undefined;
  return {
    sheets: book.sheets.map((candidate) => candidate.name),
    sheetName: sheet.name,
    header,
    rows,
    hiddenColumns: [...sheet.hiddenColumns],
    grid: { rows: sheet.maxRows, columns: sheet.maxColumns },
    selection: selected ? { first: selected.row, last: selected.row + selected.numRows - 1 } : null,
    selectionColumns: selected
      ? { first: selected.column, last: selected.column + selected.numColumns - 1 }
      : null,
    toasts: host.ui.toasts.slice(-3).map((toast) => toast.message),
  };
}

const post = (message: FromHost) => port.postMessage(message);
let lastSnapshotAt = 0;
const postSnapshot = () => {
  lastSnapshotAt = Date.now();
  post({ type: "sheet", snapshot: snapshot() });
};
host.onServiceCall = (call: ServiceCall) => {
  // Only after writes can the sheet look different; a snapshot per write would slow the sync itself.
  if (call.key.startsWith("Range.set") && Date.now() - lastSnapshotAt > SNAPSHOT_INTERVAL_MS) postSnapshot();
};

const entryFunctions = new Set(setup.entryFunctions);
const kills = new Set(setup.killSyncExecutions ?? []);
let syncExecutions = 0;
const limitMs = (setup.executionLimitSeconds ?? 360) * 1000;

/**
 * Selects rows (whole: from column A to the last column with data) or a block of cells, as a click would; a
 * click cannot reach past the sheet's grid, so neither can this.
 */
function select(selection: Selection): void {
  const sheet = host.spreadsheet.findSheet(selection.sheetName);
  if (!sheet) return;
  const {
    firstRow,
    lastRow = firstRow,
    firstColumn = 1,
    lastColumn = Math.max(1, sheet.lastColumn()),
  } = selection;
  if (!firstRow || !lastRow) {
    host.spreadsheet.select(sheet.name, "A1");
    return;
  }
  const row = (n: number) => Math.min(n, sheet.maxRows);
  const column = (n: number) => columnLetters(Math.min(n, sheet.maxColumns));
  host.spreadsheet.select(
    sheet.name,
    `${column(firstColumn)}${row(firstRow)}:${column(lastColumn)}${row(lastRow)}`,
  );
}

port.on("message", (message: ToHost) => {
  if (message.type === "select") {
    select(message);
    postSnapshot();
    post({ type: "selected", id: message.id });
    return;
  }
  if (message.type === "edit") {
    // The person's edit, applied to the model directly: this thread runs one message at a time, so no
    // execution is running now and none sees half of it.
    let answer: FromHost;
    try {
      answer = {
        type: "edited",
        id: message.id,
        outcome: applyEdit(host.spreadsheet, message.sheetName, message.edit),
      };
    } catch (error) {
      const text = error instanceof EditRefused ? error.message : `The edit failed: ${String(error)}`;
      answer = { type: "edited", id: message.id, error: text };
    }
    postSnapshot();
    post(answer);
    return;
  }
  if (!entryFunctions.has(message.functionName)) {
    // The server refuses these before they get here; a second check keeps this thread from ever running one.
    post({ type: "result", id: message.id, killed: false, error: "not an entry function of the add-on" });
    return;
  }
  let killWhen: ((call: ServiceCall) => boolean) | undefined;
  if (SYNC_FUNCTIONS.has(message.functionName)) {
    syncExecutions += 1;
    if (kills.has(syncExecutions)) {
      // Killed right after its first batch was answered and before it is written: that batch goes out again.
      let answered = false;
      killWhen = (call) => {
        if (answered && call.service !== "UrlFetchApp" && call.service !== "HTTPResponse") return true;
        if (call.key === "UrlFetchApp.fetchAll") answered = true;
        return false;
      };
    }
  }
  const result = clientResult(message.id, () =>
    host.runFromClient(message.functionName, message.args, {
      executionLimitMs: limitMs,
      ...(message.user ? { userEmail: message.user } : {}),
      ...(killWhen ? { killWhen } : {}),
    }),
  );
  postSnapshot();
  post(result);
});

postSnapshot();
post({ type: "ready" });
