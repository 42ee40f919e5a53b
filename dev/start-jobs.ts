// What `npm start` says about the jobs it ran, and how it undoes one. Every job's id is printed as the run log
// has it (its Sync ID), with the command that undoes it when it recorded changes in the history. An undo goes
// through the menu item a person would use, Undo a sync…: its prompt is answered with the id given to --undo,
// its confirmation with Yes (or No with --no), so what is printed is what the person would have seen.
import { HISTORY_SHEET, readHistory } from "../src/core/engine/history.js";
import { RUN_LOG_SHEET } from "../src/core/views/run-log.js";
import type { GasHost } from "./gas-host/index.js";
import { clickAndFinish, type FinishOptions, type SyncRun } from "./local-run.js";
import { say } from "./safe-output.js";
import type { HistoryFile } from "./start-history.js";
import { UsageError } from "./start-options.js";

export const UNDO_ITEM = "Undo a sync…";
/** How many job ids a refusal lists (the newest). */
const IDS_LISTED = 10;

/** A path as a shell would need it typed: quoted when it holds anything but plain characters. */
export function shellWord(path: string): string {
  return /^[\w./:@%+=,-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/** Refuses, before anything starts, an undo the history file cannot serve. */
export function checkUndoable(
  file: HistoryFile | undefined,
  jobId: string,
  csvPath: string,
  path: string,
): void {
  const csv = shellWord(csvPath);
  if (!file)
    throw new UsageError(
      `There is no history to undo from: ${path} does not exist. A sync writes it (npm start -- ${csv}); then undo with the id it prints.`,
    );
  if (file.jobIds.includes(jobId)) return;
  if (file.jobIds.length === 0)
    throw new UsageError(
      `${path} records no job yet, so there is nothing to undo. A sync writes one: npm start -- ${csv}`,
    );
  const newest = file.jobIds.slice(-IDS_LISTED).reverse();
  const older = file.jobIds.length - newest.length;
  throw new UsageError(
    `${path} has no job with the id "${jobId}". The ids it records, newest first: ${newest.join(", ")}${older > 0 ? ` (and ${older} older)` : ""}.`,
  );
}

/** Each record of the history sheet, counted by job id. */
function recordsByJob(host: GasHost): Map<string, number> {
  const counts = new Map<string, number>();
  const sheet = host.spreadsheet.sheets.find((candidate) => candidate.name === HISTORY_SHEET);
  if (!sheet) return counts;
  for (const record of readHistory(sheet.values(), (date) => date.toISOString()).records)
    counts.set(record.jobId, (counts.get(record.jobId) ?? 0) + 1);
  return counts;
}

/** The run log's jobs of this run: each id, in plain words, and how to undo it when it changed something. */
export function printJobIds(host: GasHost, csvPath: string, historyFile: string | undefined): void {
  const log = host.spreadsheet.sheets.find((sheet) => sheet.name === RUN_LOG_SHEET);
  const rows = log?.displayValues() ?? [];
  const header = rows[0] ?? [];
  const idColumn = header.indexOf("Sync ID");
  const kindColumn = header.indexOf("Kind");
  const recorded = recordsByJob(host);
  for (const row of rows.slice(1)) {
    const id = row[idColumn] ?? "";
    if (id === "") continue;
    const kind = row[kindColumn] || "Job";
    const changes = recorded.get(id) ?? 0;
    say(`\nJob id (the run log's Sync ID): ${id}, ${kind.toLowerCase()}.`);
    if (changes > 0 && historyFile)
      say(
        `  Its ${changes} ${changes === 1 ? "change is" : "changes are"} recorded in ${historyFile}. To undo ${changes === 1 ? "it" : "them"}: npm start -- ${shellWord(csvPath)} --undo ${id}`,
      );
    else say("  It recorded no change in the history, so there is nothing to undo.");
  }
}

/** Clicks Undo a sync… with the prompt answered by `jobId`; the confirmation is answered as --yes/--no says. */
export function undoFromMenu(host: GasHost, jobId: string, options: FinishOptions): SyncRun {
  host.ui.answerNext({ button: "OK", text: jobId });
  say(`\nClicking ${UNDO_ITEM}`);
  return clickAndFinish(host, UNDO_ITEM, options);
}

/** The rows of the undone job in the history sheet, header first, and the runs skipped as changed since. */
export function undoOutcome(host: GasHost, jobId: string): { rows: string[][]; changedSince: string[] } {
  const sheet = host.spreadsheet.sheet(HISTORY_SHEET);
  const all = sheet.displayValues();
  const header = all[0] ?? [];
  const job = header.indexOf("Job ID");
  const run = header.indexOf("Run ID");
  const error = header.indexOf("Sync Error");
  const rows = all.slice(1).filter((row) => row[job] === jobId);
  const changedSince = rows
    .filter((row) => error >= 0 && (row[error] ?? "").startsWith("CHANGED_SINCE"))
    .map((row) => row[run] ?? "");
  return { rows: [header, ...rows], changedSince };
}
