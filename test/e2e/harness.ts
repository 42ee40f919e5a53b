// Shared set-up of the end-to-end tests: one Extend stand-in child process per test file, a fresh local Apps
// Script host per test running the built dist/Code.js, and readers for the sheet the way a user would see it.
import type { CellValue } from "../../dev/gas-host/index.js";
import { GasHost } from "../../dev/gas-host/index.js";
import { configureAddOn } from "../../dev/local-run.js";
import { type StandInClient, startStandInProcess } from "../../dev/stand-in/process.js";
import { seededRunIds } from "../../dev/stand-in/runs.js";

export const API_KEY = "e2e-key-not-secret";
export const SHEET = "Runs";

export async function startExtend(
  options: { runCount?: number; rate?: number } = {},
): Promise<StandInClient> {
  return startStandInProcess({
    apiKey: API_KEY,
    runCount: options.runCount ?? 500,
    rate: options.rate ?? 1000,
  });
}

export interface HostSetup {
  rows?: CellValue[][];
  /** A CSV file imported as Sheets imports one, instead of rows. */
  csvPath?: string;
  rate?: number;
  executionLimitSeconds?: number;
  executionBudgetSeconds?: number;
}

export function newHost(extend: StandInClient, setup: HostSetup): GasHost {
  const host = new GasHost({ timeZone: "Europe/Berlin" });
  if (setup.csvPath) host.loadCsv(setup.csvPath, SHEET);
  else host.spreadsheet.addSheet(SHEET).setValues("A1", padRows(setup.rows ?? [[""]]), { raw: true });
  host.spreadsheet.select(SHEET, "A1");
  configureAddOn(host, {
    apiKey: API_KEY,
    baseUrl: extend.url,
    rate: setup.rate ?? 100,
    ...(setup.executionLimitSeconds ? { executionLimitSeconds: setup.executionLimitSeconds } : {}),
    ...(setup.executionBudgetSeconds ? { executionBudgetSeconds: setup.executionBudgetSeconds } : {}),
  });
  host.open();
  return host;
}

function padRows(rows: CellValue[][]): CellValue[][] {
  const width = Math.max(...rows.map((row) => row.length));
  return rows.map((row) => Array.from({ length: width }, (_, index) => row[index] ?? ""));
}

export const runIds = (count: number, seed = 1): string[] => seededRunIds(count, seed);

/** The sheet as header -> column values, for the rows below the header. */
export function columns(host: GasHost, sheetName = SHEET): Record<string, CellValue[]> {
  const [header = [], ...rows] = host.spreadsheet.sheet(sheetName).values();
  const byName: Record<string, CellValue[]> = {};
  header.forEach((name, index) => {
    if (name !== "") byName[String(name)] = rows.map((row) => row[index] ?? "");
  });
  return byName;
}

/** One row per data row: header -> value. */
export function records(host: GasHost, sheetName = SHEET): Record<string, CellValue>[] {
  const [header = [], ...rows] = host.spreadsheet.sheet(sheetName).values();
  return rows.map((row) => Object.fromEntries(header.map((name, index) => [String(name), row[index] ?? ""])));
}

/** Every text the user or a log could see, to prove the API key appears nowhere. */
export function everythingVisible(host: GasHost): string {
  const cells = host.spreadsheet.sheets.flatMap((sheet) => [
    ...sheet.values().flat(),
    ...sheet.formulas().flat(),
  ]);
  const dialogs = host.ui.dialogs.map((dialog) => `${dialog.title} ${dialog.prompt}`);
  const logs = host.logs.map((entry) => JSON.stringify(entry));
  return [
    ...cells.map(String),
    ...dialogs,
    ...logs,
    ...host.ui.toasts.map((toast) => JSON.stringify(toast)),
  ].join("\n");
}

export function lastAlert(host: GasHost): string {
  return host.ui.alerts.at(-1)?.prompt ?? "";
}
