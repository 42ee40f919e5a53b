// `npm start`: the add-on end to end on a laptop, with no Google account and no network. Loads a CSV laid out
// by the sheet contract into the local Apps Script host, runs onOpen and prints the menu, clicks "Sync all
// rows" (or, with --tag-mode, the add or remove item; with --refresh, "Refresh from Extend: all rows") against
// the Extend stand-in (or a real API), prints the sheet before and after, and saves the result. With --import,
// it imports runs into a new sheet instead, as the import dialog would, and saves that sheet. What it writes
// and prints goes through safe-output.ts: no formula runs when a CSV is opened, no escape reaches the terminal.
// It is written for someone trying the add-on for the first time: the sheet is printed with its row numbers
// and whole cells (sheet-table.ts), a question the add-on asks is answered Yes (or No, with --no) and says so,
// and what cannot work (a flag, a missing file) is refused in one line before anything starts.
// Every job's id is printed with the command that undoes it; the history is kept beside the sheet as
// `<name>.history.csv` and read back at the next start, and --undo <id> undoes a job (start-history.ts,
// start-jobs.ts).
import { writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { RUN_LOG_SHEET } from "../src/core/views/run-log.js";
import { SEPARATOR_NAMES, type Separator } from "./csv-separator.js";
import { csvCells, importCsv } from "./gas-host/csv.js";
import { type DialogRecord, GasHost } from "./gas-host/index.js";
import { clickAndFinish, configureAddOn, describeMenu, type SyncRun, startAndFinish } from "./local-run.js";
import { buildQuietly } from "./quiet-build.js";
import { printable, safeCsv, say } from "./safe-output.js";
import { sheetTable } from "./sheet-table.js";
import { type StandInClient, startStandInProcess } from "./stand-in/process.js";
import {
  type HistoryFile,
  hasHistory,
  historyCsv,
  historyPath,
  loadHistory,
  readHistoryFile,
  replayHistory,
} from "./start-history.js";
import { checkUndoable, printJobIds, UNDO_ITEM, undoFromMenu, undoOutcome } from "./start-jobs.js";
import { outputPath, readInputCsv, type StartOptions, startOptions, UsageError } from "./start-options.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const LOCAL_KEY = "local-stand-in-key";
const SHEET = "Runs";
const CREDITS_SHEET = "Extend Credits by Tag";
/** After the sync, the Run ID and what the add-on wrote (the CSV file has every column). */
const RESULT_COLUMNS = ["Run ID", "Sync Result", "Run Status", "Sync Error"];
const RESULT_COLUMNS_REFRESH = ["Run ID", "Run Status", "Current Tags", "Credits", "Refresh Error"];
const RESULT_COLUMNS_IMPORT = ["Run ID", "Run Status", "Workflow", "File Names", "Created At", "Credits"];
const RESULT_COLUMNS_UNDO = ["Run ID", "Tags Before", "Tags Sent", "Sync Result", "Sync Error"];
const STAND_IN_PACE = { rate: 20, latencyMs: 30 };
const IMPORT_ROWS_SHOWN = 20;

/** The terminal's width; a pipe has none, so 100 (or COLUMNS, as a shell sets it). */
const terminalWidth = (): number => process.stdout.columns || Number(process.env.COLUMNS) || 100;

/** Prints rows of a sheet (row 1 first), with the sheet's row numbers; `names` picks columns by header. */
function printSheet(title: string, rows: string[][], names?: string[]): void {
  say(`\n${title}`);
  const header = rows[0] ?? [];
  const columns = names?.map((name) => header.indexOf(name)).filter((index) => index >= 0);
  for (const line of sheetTable(rows, { width: terminalWidth(), ...(columns ? { columns } : {}) })) say(line);
}

const BUTTON_WORDS: Record<string, string> = {
  YES: "Yes",
  NO: "No",
  OK: "OK",
  CANCEL: "Cancel",
  CLOSE: "Close",
};

/** What the add-on asked, and, for a question, which answer npm start gave in the user's place. */
function printAlerts(alerts: readonly DialogRecord[], answerYes: boolean): void {
  say("\nWhat the add-on told the user:");
  for (const alert of alerts) {
    say(`  [${alert.title ?? "alert"}] ${alert.prompt.replace(/\n+/g, "\n    ")}`);
    if (alert.kind === "prompt") {
      say(`  → npm start typed ${alert.responseText ?? ""} and pressed OK for you, as --undo asks.`);
      continue;
    }
    if (alert.buttons === "OK") continue;
    const answer = BUTTON_WORDS[alert.answer] ?? alert.answer;
    say(
      answerYes
        ? `  → npm start answered ${answer} for you. Run it with --no to answer No instead.`
        : `  → npm start answered ${answer} for you, as --no asks. Without --no it answers Yes.`,
    );
  }
}

/** How long it took, in Apps Script runs (Google's "executions") and what stopped them. */
function printRun(run: SyncRun, started: number, executionLimitSeconds: number | undefined): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const runs = run.executions.length;
  const inRuns = `${runs} Apps Script ${runs === 1 ? "run" : "runs"}`;
  if (executionLimitSeconds === undefined) {
    say(
      `Done in ${seconds} s: ${inRuns} (Google stops each after 6 minutes; a longer job goes on in the next).`,
    );
    return;
  }
  const allowed = `${inRuns}, each allowed ${executionLimitSeconds} s (--execution-limit)`;
  if (run.killed > 0)
    say(
      `Done in ${seconds} s: ${allowed}; ${run.killed} ${run.killed === 1 ? "was" : "were"} stopped at that limit and the next went on from where it had got to.`,
    );
  else if (runs > 1)
    say(`Done in ${seconds} s: ${allowed}; the job paused in time and went on in the next run.`);
  else say(`Done in ${seconds} s: ${allowed}.`);
}

interface Written {
  bom: boolean;
  separator: Separator;
}

/** Writes a sheet as CSV, formula-like cells neutralised, with the input's byte order mark and separator. */
function saveSheet(host: GasHost, sheetName: string, path: string, written: Written): void {
  writeFileSync(
    path,
    safeCsv(csvCells(host.spreadsheet.sheet(sheetName)), { bom: written.bom, delimiter: written.separator }),
  );
}

/** Writes the credits summary, when the run made one, as `<base>.credits.csv`. */
function saveCredits(host: GasHost, basePath: string, written: Written): void {
  if (!host.spreadsheet.sheets.some((sheet) => sheet.name === CREDITS_SHEET)) return;
  const path = outputPath(basePath, "credits");
  saveSheet(host, CREDITS_SHEET, path, written);
  printSheet(`Sheet "${CREDITS_SHEET}":`, host.spreadsheet.sheet(CREDITS_SHEET).displayValues());
  say(`Credits summary written to ${path}`);
}

/** Writes the history sheet beside the sheet, with the history file's (or else the input's) BOM and separator. */
function saveHistory(host: GasHost, path: string, written: Written): void {
  if (!hasHistory(host)) return;
  writeFileSync(path, historyCsv(host, written));
  say(`History written to ${path} (earlier runs' history kept; the next npm start reads it back).`);
}

/** The local stand-in starts from its seeded runs: the history's applied changes are replayed onto it. */
async function replayOnto(standIn: StandInClient, host: GasHost, apiKey: string, file: HistoryFile) {
  await standIn.configure({ rate: 0, latencyMs: 0 });
  const replayed = await replayHistory(host, standIn.url, apiKey);
  await standIn.configure(STAND_IN_PACE);
  // The stand-in's counts that follow are this run's own.
  await standIn.reset();
  say(
    `The local stand-in starts afresh each time, so the ${replayed.applied} ${replayed.applied === 1 ? "change" : "changes"} that ${file.path} records as applied were made on it first: it holds what the earlier runs left. Delete ${file.path} to start over.`,
  );
  if (replayed.unconfirmed > 0)
    say(
      `  ${replayed.unconfirmed} recorded ${replayed.unconfirmed === 1 ? "change was" : "changes were"} never confirmed (Sending or Not confirmed), so ${replayed.unconfirmed === 1 ? "it was" : "they were"} not made again.`,
    );
}

async function main(options: StartOptions): Promise<void> {
  const { action, executionLimitSeconds } = options;
  // Everything that can be refused is refused before the build and the servers start.
  const input =
    action.kind === "import" || action.kind === "undo" ? undefined : readInputCsv(options.csvPath);
  const historyFile = action.kind === "import" ? undefined : historyPath(options.csvPath);
  const history = historyFile ? readHistoryFile(historyFile) : undefined;
  if (action.kind === "undo") checkUndoable(history, action.jobId, options.csvPath, historyFile ?? "");
  const apiKey = options.baseUrl ? process.env.EXTEND_API_KEY?.trim() : LOCAL_KEY;
  if (!apiKey)
    throw new UsageError("With --base-url, set the API key in the EXTEND_API_KEY environment variable.");
  if (options.build) buildQuietly();

  let standIn: StandInClient | undefined;
  let baseUrl = options.baseUrl;
  if (!baseUrl) {
    standIn = await startStandInProcess({ apiKey: LOCAL_KEY, runCount: 20_000, ...STAND_IN_PACE });
    baseUrl = standIn.url;
    say(`Extend stand-in running at ${baseUrl} (rate limit 20 requests/s per category).`);
  }

  const host = new GasHost({ timeZone: "Europe/Berlin" });
  // A question the add-on asks (the tag changes, the tag mode) is answered as --yes or --no says.
  host.ui.declineUnansweredAlerts = !options.answerYes;
  const finishOptions = executionLimitSeconds ? { executionLimitMs: executionLimitSeconds * 1000 } : {};
  try {
    if (input) importCsv(host.spreadsheet, SHEET, input.text, input.separator);
    else host.spreadsheet.addSheet(SHEET);
    if (history) loadHistory(host, history);
    host.spreadsheet.select(SHEET, "A1");
    configureAddOn(host, {
      apiKey,
      baseUrl,
      ...(options.rate !== undefined ? { rate: options.rate } : {}),
      ...(executionLimitSeconds ? { executionLimitSeconds } : {}),
    });
    if (history && standIn) await replayOnto(standIn, host, apiKey, history);

    host.open();
    say("\nExtensions > Extend Sync");
    say(describeMenu(host.ui.addonMenu?.items ?? []).join("\n"));
    const started = Date.now();

    if (action.kind === "import") {
      const form = options.importForm;
      say(`\nImporting runs (${JSON.stringify(form)}), as Import runs… would.`);
      const run = startAndFinish(host, "startImportJob", [form], finishOptions);
      const last = run.executions.at(-1)?.returned as { state?: string; message?: string } | undefined;
      if (last?.state === "error" || last?.state === "stopped") say(`The add-on answered: ${last.message}`);
      const imported = host.spreadsheet.sheets.find((sheet) => sheet.name.startsWith("Extend runs"));
      if (!imported) throw new Error("The import wrote no sheet.");
      printSheet(
        `Sheet "${imported.name}" (the first ${IMPORT_ROWS_SHOWN} runs):`,
        imported.displayValues().slice(0, IMPORT_ROWS_SHOWN + 1),
        RESULT_COLUMNS_IMPORT,
      );
      const written = { bom: false, separator: "," as const };
      saveSheet(host, imported.name, action.out, written);
      say(`\nImported sheet (${imported.lastRow() - 1} runs) written to ${action.out}`);
      saveCredits(host, action.out, written);
      printJobIds(host, options.csvPath, undefined);
      printRun(run, started, executionLimitSeconds);
    } else if (action.kind === "undo") {
      const run = undoFromMenu(host, action.jobId, finishOptions);
      printAlerts(host.ui.dialogs, options.answerYes);
      const outcome = undoOutcome(host, action.jobId);
      printSheet(
        `Sheet "Extend Sync History", the rows of ${action.jobId} (what ${UNDO_ITEM} did with each run):`,
        outcome.rows,
        RESULT_COLUMNS_UNDO,
      );
      const skipped = outcome.changedSince.length;
      const undoStarted = host.spreadsheet.findSheet(RUN_LOG_SHEET) !== undefined;
      say(
        !undoStarted
          ? "\nThe undo did not start: nothing was sent, and the runs in Extend are as they were."
          : skipped === 0
            ? "\nNo run was skipped as changed since that job."
            : `\n${skipped} ${skipped === 1 ? "run was" : "runs were"} skipped as changed since that job (someone changed ${skipped === 1 ? "it" : "them"} later; that change was kept): ${outcome.changedSince.join(", ")}`,
      );
      const written = history ?? { bom: false, separator: "," as const };
      if (historyFile) saveHistory(host, historyFile, written);
      printJobIds(host, options.csvPath, historyFile);
      printRun(run, started, executionLimitSeconds);
    } else if (input) {
      const caption = action.kind === "refresh" ? "Refresh from Extend: all rows" : action.caption;
      const doing = action.kind === "refresh" ? "refresh" : "sync";
      const file = basename(options.csvPath);
      if (input.separator !== ",")
        say(
          `\n${file} has its columns separated by ${SEPARATOR_NAMES[input.separator]} (as Excel saves CSV in many languages): it is read, and written back, that way.`,
        );
      printSheet(
        `Sheet "${SHEET}" before the ${doing} (${file}):`,
        host.spreadsheet.sheet(SHEET).displayValues(),
      );
      say(`\nClicking ${caption}`);
      const run = clickAndFinish(host, caption, finishOptions);
      printAlerts(host.ui.alerts, options.answerYes);
      printSheet(
        `Sheet "${SHEET}" after the ${doing} (Run ID and the columns the add-on wrote):`,
        host.spreadsheet.sheet(SHEET).displayValues(),
        action.kind === "refresh" ? RESULT_COLUMNS_REFRESH : RESULT_COLUMNS,
      );
      const outPath = outputPath(options.csvPath, action.kind === "refresh" ? "refreshed" : "synced");
      saveSheet(host, SHEET, outPath, input);
      say(`\n${action.kind === "refresh" ? "Refreshed" : "Synced"} sheet written to ${outPath}`);
      if (action.kind === "refresh") saveCredits(host, options.csvPath, input);
      else if (historyFile) saveHistory(host, historyFile, history ?? input);
      printJobIds(host, options.csvPath, historyFile);
      printRun(run, started, executionLimitSeconds);
    }
    if (standIn) {
      const stats = await standIn.stats();
      say(
        `Stand-in received ${stats.byRoute["POST /workflow_runs/{id}"] ?? 0} updates (${stats.updatesApplied} applied), ${stats.byRoute["GET /workflow_runs/{id}"] ?? 0} reads of a run and ${stats.byRoute["GET /workflow_runs"] ?? 0} pages of the list; ${stats.rateLimited} answered 429.`,
      );
    }
  } finally {
    host.dispose();
    await standIn?.close();
  }
}

try {
  await main(startOptions(process.argv.slice(2), join(repoRoot, "examples/runs.csv")));
} catch (error) {
  console.error(printable(error instanceof Error ? error.message : String(error)));
  // A refusal of what was asked (a flag, the file) is exit code 2, as for any command line tool.
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
