// The history `npm start` keeps beside the sheet, `<name>.history.csv`: the host's "Extend Sync History" sheet
// saved after a sync or an undo, and loaded back into the next run's host so a later run can undo an earlier
// one. The file is checked before anything starts (a foreign or edited file is refused in one line: setting it
// aside would lose the only way back). The local stand-in starts fresh from its seeded runs every time, so the
// changes the history records as applied are replayed onto it first: it then holds what the earlier runs left.
//
// Written and read back exactly: the file is read as File > Import reads a CSV (a leading apostrophe means
// "text" and is dropped; numbers and dates are typed), except that a cell starting with "=" stays text, so a
// formula put in the file by hand never runs. So every text cell that would not come back as itself (a
// formula such as =HYPERLINK(…) from a hostile server, a number-like or date-like text, a text starting with
// an apostrophe) is written with one apostrophe before it. That is also what keeps it from running as a
// formula when opened in Excel or LibreOffice; safeCsv's neutralisation then finds nothing left to change.
import { readFileSync } from "node:fs";
import { HISTORY_HEADERS, HISTORY_SHEET, historyColumns, readHistory } from "../src/core/engine/history.js";
import { buildUpdateRequest } from "../src/core/requests/request.js";
import { MAX_CELL_CHARACTERS } from "../src/core/sheet/cell.js";
import { detectSeparator, type Separator } from "./csv-separator.js";
import { enterValue } from "./gas-host/cell-values.js";
import { csvCells, parseCsvText } from "./gas-host/csv.js";
import type { GasHost } from "./gas-host/index.js";
import { BOM, safeCsv } from "./safe-output.js";
import { outputPath, UsageError } from "./start-options.js";

/** Where the history of `csvPath` is kept: `f.history.csv` beside `f.csv`. */
export const historyPath = (csvPath: string): string => outputPath(csvPath, "history");

export interface HistoryFile {
  path: string;
  text: string;
  bom: boolean;
  separator: Separator;
  /** The jobs it records, in the order of the file (the newest last). */
  jobIds: string[];
}

/** A cell as the file holds it, read as an import reads it: one leading apostrophe is a mark, not text. */
const unquoted = (field: string): string => (field.startsWith("'") ? field.slice(1) : field);

/**
 * The history file beside the sheet, checked; undefined when there is none. A file that is not UTF-8, lacks
 * the history's columns or holds a cell no sheet can hold was not written by npm start as it is: refused.
 */
export function readHistoryFile(path: string): HistoryFile | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new UsageError(`Cannot read ${path}: the system says ${(error as NodeJS.ErrnoException).code}.`);
  }
  const setAside = "Move it aside (or delete it) and run again; npm start then begins a new history.";
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new UsageError(`${path} is not UTF-8 text, so it is not a history npm start wrote. ${setAside}`);
  }
  const separator = detectSeparator(text);
  const rows = parseCsvText(text.replace(/^\uFEFF/, ""), separator);
  const columns = historyColumns((rows[0] ?? []).map(unquoted));
  if (!columns)
    throw new UsageError(
      `${path} is not a history npm start wrote: its first line lacks the columns ${HISTORY_HEADERS.join(", ")}. ${setAside}`,
    );
  const jobIds = new Set<string>();
  rows.forEach((row, index) => {
    const long = row.findIndex((field) => unquoted(field).length > MAX_CELL_CHARACTERS);
    if (long >= 0)
      throw new UsageError(
        `${path}, row ${index + 1}: a cell of ${unquoted(row[long] ?? "").length.toLocaleString("en-US")} characters, and a sheet cell holds at most ${MAX_CELL_CHARACTERS.toLocaleString("en-US")} (a history npm start wrote never has one). ${setAside}`,
      );
    const jobId = unquoted(row[columns["Job ID"]] ?? "").trim();
    if (index > 0 && jobId !== "" && unquoted(row[columns["Run ID"]] ?? "") !== "") jobIds.add(jobId);
  });
  return { path, text, bom: text.startsWith(BOM), separator, jobIds: [...jobIds] };
}

/**
 * The history file's rows as the host's history sheet, read as File > Import reads them, except that a cell
 * starting with "=" stays text: a formula put in the file by hand or by another tool never runs.
 */
export function loadHistory(host: GasHost, file: HistoryFile): void {
  const rows = parseCsvText(file.text.replace(/^\uFEFF/, ""), file.separator);
  const sheet = host.spreadsheet.addSheet(HISTORY_SHEET);
  sheet.ensureSize(
    rows.length,
    rows.reduce((most, row) => Math.max(most, row.length), 0),
  );
  rows.forEach((row, r) => {
    row.forEach((field, c) => {
      if (field !== "") sheet.enter(r + 1, c + 1, field.startsWith("=") ? `'${field}` : field);
    });
  });
  sheet.frozenRows = 1;
}

/** Whether the text, imported, comes back as the same text (not a formula, number, date, boolean, or cut). */
function readsBackAsItself(text: string, timeZone: string): boolean {
  const entered = enterValue(text, { timeZone, evaluate: () => "" });
  return entered.formula === undefined && entered.value === text;
}

/** The history sheet's cells as the file holds them: each text that would not read back as itself quoted. */
export function historyFileRows(host: GasHost): string[][] {
  const sheet = host.spreadsheet.sheet(HISTORY_SHEET);
  return csvCells(sheet).map((row, r) =>
    row.map((field, c) => {
      const cell = sheet.cell(r + 1, c + 1);
      const isText = typeof cell?.value === "string" && cell.formula === undefined;
      return isText && field !== "" && !readsBackAsItself(field, sheet.timeZone) ? `'${field}` : field;
    }),
  );
}

/** Whether the run left a history sheet to save. */
export const hasHistory = (host: GasHost): boolean =>
  host.spreadsheet.sheets.some((sheet) => sheet.name === HISTORY_SHEET);

/** The history sheet as the file's text, with the byte order mark and separator it is to keep. */
export function historyCsv(host: GasHost, written: { bom: boolean; separator: Separator }): string {
  return safeCsv(historyFileRows(host), { bom: written.bom, delimiter: written.separator });
}

export interface Replayed {
  applied: number;
  /** Records whose outcome was never confirmed: whether the earlier stand-in took them is unknown. */
  unconfirmed: number;
}

/** How many runs are replayed at once (each run's own changes in order). */
const REPLAY_LANES = 8;

/**
 * Sends, in the order they were made, the changes the loaded history records as applied, to a stand-in that
 * has just started from its seeded runs: it then holds what the runs that wrote the history left. Only one
 * run's changes depend on each other, so runs go in parallel lanes and each run's changes in order.
 */
export async function replayHistory(host: GasHost, baseUrl: string, apiKey: string): Promise<Replayed> {
  const { records } = readHistory(host.spreadsheet.sheet(HISTORY_SHEET).values(), (date) =>
    date.toISOString(),
  );
  const applied = records.filter((record) => record.state === "Applied");
  const byRun = new Map<string, typeof applied>();
  for (const record of applied) {
    const changes = byRun.get(record.runId);
    if (changes) changes.push(record);
    else byRun.set(record.runId, [record]);
  }
  const runs = [...byRun.values()];
  const lane = async (): Promise<void> => {
    for (let changes = runs.shift(); changes; changes = runs.shift()) {
      for (const record of changes) {
        const request = buildUpdateRequest(record.runId, record.sent, { baseUrl, apiKey });
        const answer = await fetch(request.url, {
          method: "POST",
          headers: { ...request.headers, "content-type": request.contentType },
          body: request.payload,
        });
        if (!answer.ok)
          throw new Error(
            `Replaying the history onto the local stand-in failed at run ${record.runId} (HTTP ${answer.status}). Move the history file aside and run again.`,
          );
      }
    }
  };
  await Promise.all(Array.from({ length: REPLAY_LANES }, lane));
  return { applied: applied.length, unconfirmed: records.length - applied.length };
}
