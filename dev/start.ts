// `npm start`: the add-on end to end on a laptop, with no Google account and no network. Loads a CSV laid out
// by the sheet contract into the local Apps Script host, runs onOpen and prints the menu, clicks "Sync all
// rows" (or, with --tag-mode, the add or remove item; with --refresh, "Refresh from Extend: all rows") against
// the Extend stand-in (or a real API), prints the sheet before and after, and saves the result. With --import,
// it imports runs into a new sheet instead, as the import dialog would, and saves that sheet. What it writes
// and prints goes through safe-output.ts: no formula runs when a CSV is opened, no escape reaches the terminal.
import { readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { csvCells } from "./gas-host/csv.js";
import { GasHost } from "./gas-host/index.js";
import { clickAndFinish, configureAddOn, describeMenu, type SyncRun, startAndFinish } from "./local-run.js";
import { BOM, printable, safeCsv, say } from "./safe-output.js";
import { type StandInClient, startStandInProcess } from "./stand-in/process.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const LOCAL_KEY = "local-stand-in-key";
const SHEET = "Runs";
const CELL_WIDTH = 22;
/** After the sync, the Run ID and what the add-on wrote, wide enough to read. */
const RESULT_COLUMNS: Record<string, number> = {
  "Run ID": 24,
  "Sync Result": 40,
  "Run Status": 12,
  "Synced At": 19,
  "Sync Error": 70,
};
const RESULT_COLUMNS_REFRESH: Record<string, number> = {
  "Run ID": 24,
  "Run Status": 12,
  "Current Tags": 24,
  Credits: 8,
  "Refresh Error": 60,
};
const RESULT_COLUMNS_IMPORT: Record<string, number> = {
  "Run ID": 24,
  "Run Status": 12,
  Workflow: 22,
  "File Names": 24,
  "Created At": 19,
  Credits: 8,
  "Current Tags": 20,
};

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    "base-url": { type: "string" },
    // Declared only to refuse it with a clear message: npm prints its command line, key included.
    "api-key": { type: "string" },
    "execution-limit": { type: "string" },
    rate: { type: "string" },
    refresh: { type: "boolean" },
    "tag-mode": { type: "string" },
    import: { type: "string" },
    status: { type: "string" },
    "workflow-id": { type: "string" },
    "batch-id": { type: "string" },
    "file-name-contains": { type: "string" },
    "sort-by": { type: "string" },
    "sort-dir": { type: "string" },
    max: { type: "string" },
    "with-current": { type: "boolean" },
  },
});

const CREDITS_SHEET = "Extend Credits by Tag";
const SYNC_ITEMS: Record<string, string> = {
  replace: "Sync all rows",
  add: "Add tags: all rows",
  remove: "Remove tags: all rows",
};

/** What to do: sync (in a tag mode), refresh, or import; refused when flags contradict each other. */
function chosenAction():
  | { kind: "sync"; caption: string }
  | { kind: "refresh" }
  | { kind: "import"; out: string } {
  const importOnly = [
    "status",
    "workflow-id",
    "batch-id",
    "file-name-contains",
    "sort-by",
    "sort-dir",
    "max",
    "with-current",
  ];
  if (flags.import !== undefined) {
    if (flags.refresh || flags["tag-mode"] !== undefined || positionals.length > 0)
      throw new Error("--import writes a new sheet: give it no CSV to read, and no --refresh or --tag-mode.");
    return { kind: "import", out: flags.import };
  }
  const stray = importOnly.filter((name) => flags[name as keyof typeof flags] !== undefined);
  if (stray.length > 0) throw new Error(`--${stray.join(", --")} only go with --import.`);
  if (flags.refresh) {
    if (flags["tag-mode"] !== undefined) throw new Error("--refresh reads runs: it takes no --tag-mode.");
    return { kind: "refresh" };
  }
  const mode = flags["tag-mode"] ?? "replace";
  const caption = SYNC_ITEMS[mode];
  if (!caption) throw new Error("--tag-mode takes add, remove or replace.");
  return { kind: "sync", caption };
}

/** The import dialog's form, from the flags (the add-on checks every field as it would the dialog's). */
function importForm(): Record<string, unknown> {
  return {
    status: flags.status ?? "",
    workflowId: flags["workflow-id"] ?? "",
    batchId: flags["batch-id"] ?? "",
    fileNameContains: flags["file-name-contains"] ?? "",
    sortBy: flags["sort-by"] ?? "",
    sortDir: flags["sort-dir"] ?? "",
    max: flags.max ?? "",
    withCurrent: flags["with-current"] === true,
  };
}

function printSheet(title: string, rows: string[][], widths?: Record<string, number>): void {
  say(`\n${title}`);
  const header = rows[0] ?? [];
  const columns = header
    .map((name, index) => ({ index, width: widths ? widths[name] : CELL_WIDTH }))
    .filter((column): column is { index: number; width: number } => column.width !== undefined);
  for (const row of rows) {
    const cells = columns.map(({ index, width }) => {
      const text = printable(row[index] ?? "").replace(/\s+/g, " ");
      return (text.length > width ? `${text.slice(0, width - 1)}…` : text).padEnd(width);
    });
    say(`  ${cells.join(" │ ").trimEnd()}`);
  }
}

function printAlerts(host: GasHost): void {
  say("\nWhat the add-on told the user:");
  for (const alert of host.ui.alerts)
    say(`  [${alert.title ?? "alert"}] ${alert.prompt.replace(/\n+/g, "\n    ")}`);
}

function printRun(run: SyncRun, started: number, executionLimitSeconds: number | undefined): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  say(
    `Executions: ${run.executions.length} (${run.killed} killed at the ${executionLimitSeconds ?? 360} s limit), ${seconds} s in all.`,
  );
}

/** Writes a sheet as CSV, formula-like cells neutralised, with a byte order mark when the input CSV had one. */
function saveSheet(host: GasHost, sheetName: string, path: string, bom: boolean): void {
  writeFileSync(path, safeCsv(csvCells(host.spreadsheet.sheet(sheetName)), { bom }));
}

/** Writes the credits summary, when the run made one, as `<base>.credits.csv`. */
function saveCredits(host: GasHost, base: string, bom: boolean): void {
  if (!host.spreadsheet.sheets.some((sheet) => sheet.name === CREDITS_SHEET)) return;
  const path = `${base}.credits.csv`;
  saveSheet(host, CREDITS_SHEET, path, bom);
  printSheet(`Sheet "${CREDITS_SHEET}":`, host.spreadsheet.sheet(CREDITS_SHEET).displayValues());
  say(`Credits summary written to ${path}`);
}

async function main(): Promise<void> {
  const action = chosenAction();
  const csvPath = positionals[0] ?? join(repoRoot, "examples/runs.csv");
  const executionLimitSeconds = flags["execution-limit"] ? Number(flags["execution-limit"]) : undefined;
  if (executionLimitSeconds !== undefined && !(executionLimitSeconds >= 2 && executionLimitSeconds <= 360)) {
    throw new Error("--execution-limit takes seconds from 2 to 360");
  }
  if (flags["api-key"] !== undefined) {
    throw new Error(
      "--api-key is not accepted: npm prints the command line, so the key would show. Put the key in the EXTEND_API_KEY environment variable instead.",
    );
  }
  let standIn: StandInClient | undefined;
  let baseUrl = flags["base-url"];
  let apiKey = baseUrl ? process.env.EXTEND_API_KEY?.trim() : undefined;
  if (!baseUrl) {
    standIn = await startStandInProcess({ apiKey: LOCAL_KEY, runCount: 20_000, rate: 20, latencyMs: 30 });
    baseUrl = standIn.url;
    apiKey = LOCAL_KEY;
    say(`Extend stand-in running at ${baseUrl} (rate limit 20 requests/s per category).`);
  }
  if (!apiKey)
    throw new Error("With --base-url, set the API key in the EXTEND_API_KEY environment variable.");

  const host = new GasHost({ timeZone: "Europe/Berlin" });
  const finishOptions = executionLimitSeconds ? { executionLimitMs: executionLimitSeconds * 1000 } : {};
  try {
    // Excel reads a UTF-8 CSV as such only with a byte order mark: what came with one goes back with one.
    const bom = action.kind !== "import" && readFileSync(csvPath, "utf8").startsWith(BOM);
    if (action.kind === "import") host.spreadsheet.addSheet(SHEET);
    else host.loadCsv(csvPath, SHEET);
    host.spreadsheet.select(SHEET, "A1");
    configureAddOn(host, {
      apiKey,
      baseUrl,
      ...(flags.rate ? { rate: Number(flags.rate) } : {}),
      ...(executionLimitSeconds ? { executionLimitSeconds } : {}),
    });

    host.open();
    say("\nExtensions > Extend Sync");
    say(describeMenu(host.ui.addonMenu?.items ?? []).join("\n"));
    const started = Date.now();

    if (action.kind === "import") {
      const form = importForm();
      say(`\nImporting runs (${JSON.stringify(form)}), as Import runs… would.`);
      const run = startAndFinish(host, "startImportJob", [form], finishOptions);
      const last = run.executions.at(-1)?.returned as { state?: string; message?: string } | undefined;
      if (last?.state === "error" || last?.state === "stopped") say(`The add-on answered: ${last.message}`);
      const imported = host.spreadsheet.sheets.find((sheet) => sheet.name.startsWith("Extend runs"));
      if (!imported) throw new Error("The import wrote no sheet.");
      printSheet(
        `Sheet "${imported.name}" (the first rows):`,
        imported.displayValues().slice(0, 21),
        RESULT_COLUMNS_IMPORT,
      );
      saveSheet(host, imported.name, action.out, false);
      say(`\nImported sheet (${imported.lastRow() - 1} runs) written to ${action.out}`);
      saveCredits(host, action.out.replace(/\.csv$/i, ""), false);
      printRun(run, started, executionLimitSeconds);
    } else {
      const caption = action.kind === "refresh" ? "Refresh from Extend: all rows" : action.caption;
      const doing = action.kind === "refresh" ? "refresh" : "sync";
      printSheet(
        `Sheet "${SHEET}" before the ${doing} (${basename(csvPath)}):`,
        host.spreadsheet.sheet(SHEET).displayValues(),
      );
      say(`\nClicking ${caption}`);
      const run = clickAndFinish(host, caption, finishOptions);
      printAlerts(host);
      printSheet(
        `Sheet "${SHEET}" after the ${doing} (Run ID and the columns the add-on wrote):`,
        host.spreadsheet.sheet(SHEET).displayValues(),
        action.kind === "refresh" ? RESULT_COLUMNS_REFRESH : RESULT_COLUMNS,
      );
      const base = csvPath.replace(/\.csv$/i, "");
      const outPath = `${base}.${action.kind === "refresh" ? "refreshed" : "synced"}.csv`;
      saveSheet(host, SHEET, outPath, bom);
      say(`\n${action.kind === "refresh" ? "Refreshed" : "Synced"} sheet written to ${outPath}`);
      if (action.kind === "refresh") saveCredits(host, base, bom);
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

main().catch((error: unknown) => {
  console.error(printable(error instanceof Error ? error.message : String(error)));
  process.exitCode = 1;
});
