// An imported sheet's columns: which there are (left to right as the import creates them), what each holds for a
// listed run, and where each is now. The user may insert, move, rename or delete columns while an import is
// paused, so every append finds its columns by header in the row 1 read just before it, like every other write,
// and never writes by position. A missing column that the import fills is added back at the right end, as a sync
// adds back its output columns; one it only leaves blank (Name, Tags, the refresh's and the sync's columns) is
// not, since nothing would go in it. Two columns are the import's own bookkeeping and cannot come back empty: Run
// ID (which runs are in the sheet) and, with current values, Sync State (which rows are still to be read); when
// either is gone, the import pauses and says which, so the person can put it back and continue.
import { type CellValue, textCell } from "../../sheet/cell";
import {
  type ColumnMap,
  columnLetter,
  mapHeaders,
  normalizeHeader,
  OUTPUT_HEADERS,
  READ_HEADERS,
} from "../../sheet/headers";
import { INPUT_HEADERS } from "../../sheet/sheet-setup";
import type { ListedRun } from "./import-list";

/** Columns the import writes that no other job writes: facts from the list, never read as input. */
export const LIST_HEADERS = {
  workflow: "Workflow",
  workflowId: "Workflow ID",
  batchId: "Batch ID",
  fileNames: "File Names",
  createdAt: "Created At",
  updatedAt: "Updated At",
} as const;

interface ImportColumn {
  header: string;
  /** Where mapHeaders found the column; absent for the list's columns, which are found by their name. */
  locate?: (columns: ColumnMap) => number | undefined;
  /** The cell of a run, given its Sync State mark; absent for a column the import leaves blank. */
  value?: (run: ListedRun, mark: string) => CellValue;
}

const LEADING: readonly ImportColumn[] = [
  { header: INPUT_HEADERS.runId, locate: (c) => c.runId, value: (run) => textCell(run.id) },
  { header: INPUT_HEADERS.name, locate: (c) => c.name },
  { header: INPUT_HEADERS.tags, locate: (c) => c.tags },
  {
    header: OUTPUT_HEADERS.link,
    locate: (c) => c.output.link,
    value: (run) => (run.dashboardUrl ? textCell(run.dashboardUrl) : ""),
  },
  { header: OUTPUT_HEADERS.status, locate: (c) => c.output.status, value: (run) => textCell(run.status) },
  { header: LIST_HEADERS.workflow, value: (run) => textCell(run.workflowName) },
  { header: LIST_HEADERS.workflowId, value: (run) => textCell(run.workflowId) },
  { header: LIST_HEADERS.batchId, value: (run) => textCell(run.batchId) },
  { header: LIST_HEADERS.fileNames, value: (run) => textCell(run.fileNames) },
  { header: LIST_HEADERS.createdAt, value: (run) => run.createdAt ?? "" },
  { header: LIST_HEADERS.updatedAt, value: (run) => run.updatedAt ?? "" },
  { header: READ_HEADERS.credits, locate: (c) => c.read.credits, value: (run) => run.credits ?? "" },
];

/** Filled by the refresh that follows the listing when current values were asked for. */
const CURRENT: readonly ImportColumn[] = [
  { header: READ_HEADERS.currentTags, locate: (c) => c.read.currentTags },
  { header: READ_HEADERS.currentMetadata, locate: (c) => c.read.currentMetadata },
  { header: READ_HEADERS.failure, locate: (c) => c.read.failure },
  { header: READ_HEADERS.refreshedAt, locate: (c) => c.read.refreshedAt },
  { header: READ_HEADERS.refreshError, locate: (c) => c.read.refreshError },
];

function trailing(withCurrent: boolean): ImportColumn[] {
  const state: ImportColumn = { header: OUTPUT_HEADERS.state, locate: (c) => c.output.state };
  // Without current values the mark is empty: the column is then one the import leaves blank.
  if (withCurrent) state.value = (_run, mark) => mark;
  return [
    { header: OUTPUT_HEADERS.result, locate: (c) => c.output.result },
    { header: OUTPUT_HEADERS.syncedAt, locate: (c) => c.output.syncedAt },
    { header: OUTPUT_HEADERS.error, locate: (c) => c.output.error },
    state,
  ];
}

function importColumns(withCurrent: boolean): ImportColumn[] {
  return [...LEADING, ...(withCurrent ? CURRENT : []), ...trailing(withCurrent)];
}

/** The new sheet's header row, left to right. */
export function importHeaders(withCurrent: boolean): string[] {
  return importColumns(withCurrent).map((column) => column.header);
}

/** A run as a row under importHeaders(withCurrent); `mark` is the Sync State cell to write. */
export function importRow(run: ListedRun, withCurrent: boolean, mark: string): CellValue[] {
  return importColumns(withCurrent).map((column) => column.value?.(run, mark) ?? "");
}

/** Where the import's columns are in a header row. */
export type ImportPlacement =
  | {
      ok: true;
      /** For each column of importHeaders(withCurrent): its 0-based index in the sheet, or -1 when absent. */
      at: number[];
      /** Headers of the absent columns the import fills, to add back at the right end. */
      missing: string[];
    }
  | { ok: false; problem: string };

/** Where a list column is: found by its name (case, spaces, "_" and "-" aside); two of them are a problem. */
function findByName(header: readonly CellValue[], name: string): number | string {
  const wanted = normalizeHeader(name);
  const found: number[] = [];
  header.forEach((cell, index) => {
    if (normalizeHeader(String(cell ?? "").trim()) === wanted) found.push(index);
  });
  if (found.length > 1)
    return `Two columns are both "${name}" (column ${columnLetter(found[0] ?? 0)} and column ${columnLetter(found[1] ?? 0)}): keep one.`;
  return found[0] ?? -1;
}

/**
 * Finds each import column in `header` by name. `hasRows`: the sheet already holds imported rows, so a lost
 * Sync State column (with current values) took their marks with it and cannot be added back empty.
 */
export function placeImportColumns(
  header: readonly CellValue[],
  withCurrent: boolean,
  hasRows: boolean,
): ImportPlacement {
  const mapped = mapHeaders(header);
  if (!mapped.ok) return { ok: false, problem: mapped.problems.join(" ") };
  const at: number[] = [];
  const missing: string[] = [];
  for (const column of importColumns(withCurrent)) {
    const index = column.locate ? (column.locate(mapped.columns) ?? -1) : findByName(header, column.header);
    if (typeof index === "string") return { ok: false, problem: index };
    at.push(index);
    if (index >= 0 || !column.value) continue;
    if (column.header === OUTPUT_HEADERS.state && hasRows)
      return {
        ok: false,
        problem: `The hidden "${OUTPUT_HEADERS.state}" column is gone: it marked the imported runs still to be read for their current values.`,
      };
    missing.push(column.header);
  }
  return { ok: true, at, missing };
}

/**
 * The cells of `rows` (each under importHeaders) that go into columns the sheet has, and those columns, left to
 * right: what SheetPort.appendRows takes.
 */
export function placedCells(
  rows: readonly (readonly CellValue[])[],
  at: readonly number[],
): { columns: number[]; rows: CellValue[][] } {
  const order = at
    .map((column, position) => ({ column, position }))
    .filter(({ column }) => column >= 0)
    .sort((a, b) => a.column - b.column);
  return {
    columns: order.map(({ column }) => column),
    rows: rows.map((row) => order.map(({ position }) => row[position] ?? "")),
  };
}
