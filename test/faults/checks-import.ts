// What must hold after every import of a fault scenario: the new sheet holds each listed run once, with the
// list's facts about that very run under their headers (wherever the columns are, after whatever sorts), and,
// once the listing is done, exactly the runs List holds for the filters; an import that stopped says why and
// keeps the runs read before; the run log and the final progress count the rows the sheet shows.
import type { CellValue, GasHost } from "../../dev/gas-host/index.js";
import type { StoredRun } from "../../dev/stand-in/types.js";
import { DASHBOARD_BASE, type SheetView, type Violations } from "./checks.js";
import { type JobCounts, lastLogRow, sheetCounts } from "./checks-job.js";
import type { RowIntent } from "./sheet.js";

export const IMPORTED_SHEET_PREFIX = "Extend runs";

/** The sheet the import made (there is only ever one per scenario), or undefined. */
export function importedSheetName(host: GasHost): string | undefined {
  return host.spreadsheet.sheets
    .map((sheet) => sheet.name)
    .find((name) => name.startsWith(IMPORTED_SHEET_PREFIX));
}

/** The list's facts about a run, by the header of the column that shows them. */
function listedCells(run: StoredRun): Record<string, CellValue> {
  return {
    "Run Status": run.status,
    Workflow: run.workflow.name,
    "Workflow ID": run.workflow.id,
    "Batch ID": run.batchId ?? "",
    "File Names": run.files.map((file) => file.name).join(", "),
    Credits: run.usage?.credits ?? "",
    "Dashboard Link": DASHBOARD_BASE + run.id,
  };
}

const LISTED_HEADERS = [
  "Run ID",
  "Run Status",
  "Workflow",
  "Workflow ID",
  "Batch ID",
  "File Names",
  "Created At",
  "Updated At",
  "Credits",
  "Dashboard Link",
];

const sameCell = (cell: CellValue | undefined, expected: CellValue | Date): boolean =>
  expected instanceof Date
    ? cell instanceof Date && cell.getTime() === expected.getTime()
    : cell === expected;

/** Every imported row is a listed run, once, showing that run's facts; all of them once the listing is done. */
export function checkImportedRows(
  host: GasHost,
  sheetName: string,
  expectedIds: readonly string[],
  runs: ReadonlyMap<string, StoredRun>,
  listingDone: boolean,
  found: Violations,
): string[] {
  const [header = [], ...rows] = host.spreadsheet.sheet(sheetName).values();
  const at = (name: string) => header.indexOf(name);
  for (const name of LISTED_HEADERS) if (at(name) < 0) found.add(`the imported sheet has no ${name} column`);
  const expected = new Set(expectedIds);
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const [index, cells] of rows.entries()) {
    const id = String(cells[at("Run ID")] ?? "");
    const where = `imported row ${index + 2} (${id})`;
    if (id === "") {
      found.add(`${where}: no Run ID`);
      continue;
    }
    if (seen.has(id)) found.add(`${where}: imported twice`);
    seen.add(id);
    ids.push(id);
    const run = runs.get(id);
    if (!run || !expected.has(id)) {
      found.add(`${where}: not a run List holds for the import's filters`);
      continue;
    }
    const wanted: Record<string, CellValue | Date> = {
      ...listedCells(run),
      "Created At": new Date(run.createdAt),
      "Updated At": new Date(run.updatedAt),
    };
    for (const [name, value] of Object.entries(wanted))
      if (at(name) >= 0 && !sameCell(cells[at(name)], value))
        found.add(
          `${where}: ${name} ${JSON.stringify(cells[at(name)]).slice(0, 100)} is not the run's ${JSON.stringify(value).slice(0, 100)}`,
        );
  }
  if (listingDone)
    for (const id of expectedIds)
      if (!seen.has(id)) found.add(`${id}: List holds it, the finished import lost it`);
  return ids;
}

/**
 * The import's counts in the run log (its Details) and in its final progress equal the rows in its sheet; with
 * current values, the runs it read or could not read too. Returns how the job ended, as the log says.
 */
export function checkImportEnd(
  host: GasHost,
  view: SheetView,
  intents: ReadonlyMap<string, RowIntent>,
  withCurrent: boolean,
  lastReturned: unknown,
  label: string,
  found: Violations,
): { ended: string; counts?: JobCounts } {
  const log = lastLogRow(host);
  if (log?.Kind !== "Import") {
    found.add(`${label}: no run log row of the import`);
    return { ended: "?" };
  }
  const ended = String(log.Ended);
  if (
    ended !== "Finished" &&
    !/^Stopped: [A-Z_]+: .+ What to do: /s.test(ended) &&
    !/^Paused: (UNAUTHORIZED|USAGE_BLOCKED): .+ What to do: /s.test(ended)
  )
    found.add(`${label}: the import ended "${ended.slice(0, 300)}"`);
  const imported = Number(String(log.Details).match(/^(\d+) runs imported/)?.[1]);
  if (imported !== view.rows.length)
    found.add(`${label}: the run log counts ${imported} runs imported, the sheet has ${view.rows.length}`);
  const counts = withCurrent ? sheetCounts(view, String(log["Sync ID"]), "refresh", intents) : undefined;
  if (
    counts &&
    (Number(log["Runs Read"]) !== counts.read || Number(log["Reads Failed"]) !== counts.readFailed)
  )
    found.add(
      `${label}: the run log counts ${log["Runs Read"]} read and ${log["Reads Failed"]} not, the sheet shows ${counts.read} and ${counts.readFailed}`,
    );
  const progress = lastReturned as { jobId?: string; counts?: Record<string, number> } | undefined;
  const shown = progress && progress.jobId === String(log["Sync ID"]) ? progress.counts : undefined;
  if (shown) {
    if (shown.imported !== view.rows.length)
      found.add(
        `${label}: the final progress counts ${shown.imported} imported, the sheet has ${view.rows.length}`,
      );
    if (counts && (shown.read !== counts.read || shown.readFailed !== counts.readFailed))
      found.add(
        `${label}: the final progress counts ${shown.read} read and ${shown.readFailed} not, the sheet shows ${counts.read} and ${counts.readFailed}`,
      );
  }
  return { ended, ...(counts ? { counts } : {}) };
}
