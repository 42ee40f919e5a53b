// `npm start`: the add-on end to end on a laptop, with no Google account and no network. Loads a CSV laid out
// by the sheet contract into the local Apps Script host, runs onOpen and prints the menu, clicks "Sync all
// rows" against the Extend stand-in (or a real API), prints the sheet before and after, and saves the result.
import { writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { GasHost } from "./gas-host/index.js";
import { clickAndFinish, configureAddOn, describeMenu } from "./local-run.js";
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

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    "base-url": { type: "string" },
    // Declared only to refuse it with a clear message: npm prints its command line, key included.
    "api-key": { type: "string" },
    "execution-limit": { type: "string" },
    rate: { type: "string" },
  },
});

function printSheet(title: string, rows: string[][], widths?: Record<string, number>): void {
  console.log(`\n${title}`);
  const header = rows[0] ?? [];
  const columns = header
    .map((name, index) => ({ index, width: widths ? widths[name] : CELL_WIDTH }))
    .filter((column): column is { index: number; width: number } => column.width !== undefined);
  for (const row of rows) {
    const cells = columns.map(({ index, width }) => {
      const text = (row[index] ?? "").replace(/\s+/g, " ");
      return (text.length > width ? `${text.slice(0, width - 1)}…` : text).padEnd(width);
    });
    console.log(`  ${cells.join(" │ ").trimEnd()}`);
  }
}

async function main(): Promise<void> {
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
    console.log(`Extend stand-in running at ${baseUrl} (rate limit 20 requests/s per category).`);
  }
  if (!apiKey)
    throw new Error("With --base-url, set the API key in the EXTEND_API_KEY environment variable.");

  const host = new GasHost({ timeZone: "Europe/Berlin" });
  try {
    host.loadCsv(csvPath, SHEET);
    host.spreadsheet.select(SHEET, "A1");
    configureAddOn(host, {
      apiKey,
      baseUrl,
      ...(flags.rate ? { rate: Number(flags.rate) } : {}),
      ...(executionLimitSeconds ? { executionLimitSeconds } : {}),
    });

    host.open();
    console.log("\nExtensions > Extend Sync");
    console.log(describeMenu(host.ui.addonMenu?.items ?? []).join("\n"));

    printSheet(
      `Sheet "${SHEET}" before the sync (${basename(csvPath)}):`,
      host.spreadsheet.sheet(SHEET).displayValues(),
    );
    const started = Date.now();
    const run = clickAndFinish(
      host,
      "Sync all rows",
      executionLimitSeconds ? { executionLimitMs: executionLimitSeconds * 1000 } : {},
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);

    console.log("\nWhat the add-on told the user:");
    for (const alert of host.ui.alerts)
      console.log(`  [${alert.title ?? "alert"}] ${alert.prompt.replace(/\n+/g, "\n    ")}`);
    const visible = host.spreadsheet.sheet(SHEET).displayValues();
    printSheet(
      `Sheet "${SHEET}" after the sync (Run ID and the columns the add-on wrote):`,
      visible,
      RESULT_COLUMNS,
    );

    const outPath = `${csvPath.replace(/\.csv$/i, "")}.synced.csv`;
    writeFileSync(outPath, host.toCsv(SHEET));
    console.log(`\nSynced sheet written to ${outPath}`);
    console.log(
      `Executions: ${run.executions.length} (${run.killed} killed at the ${executionLimitSeconds ?? 360} s limit), ${seconds} s in all.`,
    );
    if (standIn) {
      const stats = await standIn.stats();
      console.log(
        `Stand-in received ${stats.byRoute["POST /workflow_runs/{id}"] ?? 0} updates (${stats.updatesApplied} applied, ${stats.rateLimited} answered 429).`,
      );
    }
  } finally {
    host.dispose();
    await standIn?.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
