// Writes a batch's outcomes onto the rows that carry their run ids. The rows found at the execution's start are
// checked first (the header row, and the Run ID and Sync State cells of just those rows); only when a row no
// longer matches, because the user sorted, inserted or deleted rows or moved columns meanwhile, are the whole
// Run ID and Sync State columns read again. A write Sheets refuses is retried row by row, so one bad cell costs
// its row, not the sync. Sheets may refuse a write at the write or when it commits its queue (Google does not
// say), and may take part of a write: a row's Sync State never reaches the sheet before the rest of its cells,
// so a row is never marked done without its result.

import { runIdTag } from "../requests/fingerprint";
import { exceptionText, type Scrub } from "../requests/secrets";
import { type CellValue, cellText } from "../sheet/cell";
import {
  type ColumnMap,
  mapHeaders,
  type OutputColumn,
  type ReadColumn,
  type WritableColumn,
} from "../sheet/headers";
import { planWrites, type RangeWrite, type RowWrite } from "../sheet/write-plan";
import { addCounts, emptyCounts, type SyncCounts } from "./job";
import { hadSyncedAt, outcomeCounts, settledCells, shortOutcomeCells } from "./outcome";
import { outputColumnIndexes } from "./plan";
import type { SheetPort } from "./ports";
import type { Finished } from "./prepare";
import { decodeRowState, isPendingFor } from "./row-state";

export interface Layout {
  columns: ColumnMap;
  outputs: Record<OutputColumn, number>;
  /** Sheet rows (1-based) of each pending run id; kept up to date as rows are found to have moved. */
  rowsOf: Map<string, number[]>;
}

export interface CommitDeps {
  sheet: SheetPort;
  syncId: string;
  dateToIso(date: Date): string;
  scrub: Scrub;
}

export type CommitResult =
  | {
      kind: "written";
      counts: Partial<SyncCounts>;
      rowsWritten: number;
      /** Run ids whose outcome could not be written at all. */
      unwritable: string[];
      /**
       * Asked for with `wholeColumns` (an execution's last write): the Run ID and Sync State columns whole, as
       * read before the write and with the states it wrote, so the job's final scan needs no read of its own.
       * Absent when a write was refused in part (the sheet then says what it holds).
       */
      columns?: [ids: CellValue[], states: CellValue[]];
    }
  /** The header row no longer has the columns needed: nothing was written; the rows stay marked. */
  | { kind: "header changed" };

/** Reading two single columns beats one block spanning them once the block would hold more cells than this. */
const MAX_BLOCK_CELLS = 5_000;

function sameLayout(
  a: ColumnMap,
  b: ColumnMap,
  outputs: Record<OutputColumn, number>,
  next: Record<OutputColumn, number>,
) {
  const reads = new Set([...Object.keys(a.read), ...Object.keys(b.read)] as ReadColumn[]);
  return (
    a.runId === b.runId &&
    (Object.keys(outputs) as OutputColumn[]).every((key) => outputs[key] === next[key]) &&
    [...reads].every((key) => a.read[key] === b.read[key])
  );
}

/** Every column an outcome may write, output and read-only alike, where the sheet has it. */
export function writableColumns(layout: Layout): Partial<Record<WritableColumn, number>> {
  return { ...layout.columns.read, ...layout.outputs };
}

/** Whether the rows believed to hold these run ids still do, reading only those rows. */
function rowsStillMatch(deps: CommitDeps, layout: Layout, runIds: readonly string[]): boolean {
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (const runId of runIds) {
    for (const row of layout.rowsOf.get(runId) ?? []) {
      if (row < first) first = row;
      if (row > last) last = row;
    }
  }
  if (last === 0) return runIds.length === 0;
  const idColumn = layout.columns.runId;
  const stateColumn = layout.outputs.state;
  const height = last - first + 1;
  const left = Math.min(idColumn, stateColumn);
  const width = Math.abs(stateColumn - idColumn) + 1;
  let ids: CellValue[];
  let states: CellValue[];
  try {
    if (height * width <= MAX_BLOCK_CELLS) {
      const block = deps.sheet.readBlock(first, height, left, width);
      ids = block.map((cells) => cells[idColumn - left] ?? "");
      states = block.map((cells) => cells[stateColumn - left] ?? "");
    } else {
      ids = deps.sheet.readBlock(first, height, idColumn, 1).map((cells) => cells[0] ?? "");
      states = deps.sheet.readBlock(first, height, stateColumn, 1).map((cells) => cells[0] ?? "");
    }
  } catch {
    // Sheets refuses a range past the sheet's last row: the user deleted rows at the bottom, so the rows no
    // longer match and the whole columns (read to their last row) say where the run ids are now.
    return false;
  }
  return runIds.every((runId) =>
    (layout.rowsOf.get(runId) ?? []).every((row) => {
      const offset = row - first;
      return (
        cellText(ids[offset] ?? "", deps.dateToIso) === runId &&
        isPendingFor(decodeRowState(states[offset]), deps.syncId, runId)
      );
    }),
  );
}

/** Finds every row still marked for this sync, by reading the Run ID and Sync State columns whole (`read`). */
function findPendingRows(
  deps: CommitDeps,
  layout: Layout,
  read = deps.sheet.readColumns([layout.columns.runId, layout.outputs.state]),
): Map<string, number[]> {
  const [ids = [], states = []] = read;
  const rowsOf = new Map<string, number[]>();
  ids.forEach((id, index) => {
    if (index === 0) return;
    const runId = cellText(id, deps.dateToIso);
    if (!isPendingFor(decodeRowState(states[index]), deps.syncId, runId)) return;
    const rows = rowsOf.get(runId);
    if (rows) rows.push(index + 1);
    else rowsOf.set(runId, [index + 1]);
  });
  return rowsOf;
}

/** Whether no sheet row is written by more than one rectangle (Sheets takes or refuses each one whole). */
function oneRectanglePerRow(plan: readonly RangeWrite[]): boolean {
  for (let index = 1; index < plan.length; index++) {
    const previous = plan[index - 1] as RangeWrite;
    if ((plan[index] as RangeWrite).row < previous.row + previous.values.length) return false;
  }
  return true;
}

/**
 * Writes rows' outcome cells. Sheets takes or refuses one rectangle whole, but may take some rectangles of a
 * write and refuse others; when a row's cells span several rectangles, its Sync State is therefore written in a
 * write of its own after the rest, so the mark that a row is done never reaches the sheet without its result.
 */
function writeOutcomeCells(
  deps: CommitDeps,
  layout: Layout,
  rows: readonly RowWrite[],
  dateRows: readonly number[] = [],
): void {
  const columns = writableColumns(layout);
  const plan = planWrites(rows, columns);
  const firstDates = dateRows.length > 0 ? { column: layout.outputs.syncedAt, rows: dateRows } : undefined;
  if (oneRectanglePerRow(plan)) {
    deps.sheet.write(plan, firstDates);
    return;
  }
  const results: RowWrite[] = [];
  const states: RowWrite[] = [];
  for (const { row, values } of rows) {
    const { state, ...rest } = values;
    results.push({ row, values: rest });
    if (state !== undefined) states.push({ row, values: { state } });
  }
  deps.sheet.write(planWrites(results, columns), firstDates);
  deps.sheet.write(planWrites(states, columns));
}

/** Writes what it can row by row after Sheets refused the whole; returns the run ids nothing could be written for. */
function writeRowByRow(
  deps: CommitDeps,
  layout: Layout,
  writes: readonly { write: RowWrite; done: Finished }[],
  dateRows: ReadonlySet<number>,
): string[] {
  const unwritable: string[] = [];
  for (const { write, done } of writes) {
    try {
      writeOutcomeCells(deps, layout, [write], dateRows.has(write.row) ? [write.row] : []);
    } catch (error) {
      const short: RowWrite = {
        row: write.row,
        values: shortOutcomeCells(
          done.outcome,
          write.values.state ?? "",
          `The result could not be written to the sheet (${exceptionText(error, deps.scrub, 300)}).`,
        ),
      };
      try {
        writeOutcomeCells(deps, layout, [short]);
      } catch {
        unwritable.push(done.runId);
      }
    }
  }
  return unwritable;
}

/**
 * Rows whose Synced At cell got its first date from writes whose format is still to come. Each format is one
 * more Sheets call or two, so dates are formatted with a write now and then (DatesToFormat.now), not each time.
 * A write that finds rows moved forgets the rows before it: they may hold other rows' dates now.
 */
export interface DatesToFormat {
  rows: number[];
  /** Format them, and this write's, with this write. */
  now: boolean;
}

/**
 * `wholeColumns`: return the Run ID and Sync State columns whole, as written (the execution's last write, whose
 * job is scanned next: one read serves both). They are read now, rather than only the rows to write, unless
 * `readBefore` holds them as read during the wait before the last batch, with no write to the sheet since: then
 * only the rows to write are checked, as in any write, and a row found moved means the columns are read again.
 */
export function commitOutcomes(
  deps: CommitDeps,
  layout: Layout,
  done: readonly Finished[],
  wholeColumns = false,
  readBefore?: CellValue[][],
  dates: DatesToFormat = { rows: [], now: true },
): CommitResult {
  let counts = emptyCounts();
  if (done.length === 0) return { kind: "written", counts: {}, rowsWritten: 0, unwritable: [] };
  const headers = mapHeaders(deps.sheet.readHeader());
  const outputs = headers.ok ? outputColumnIndexes(headers.columns) : undefined;
  if (!headers.ok || !outputs) return { kind: "header changed" };
  const moved = !sameLayout(layout.columns, headers.columns, layout.outputs, outputs);
  layout.columns = headers.columns;
  layout.outputs = outputs;

  const runIds = done.map((item) => item.runId);
  const rowsBefore = runIds.map((runId) => String(layout.rowsOf.get(runId)));
  let read: CellValue[][] | undefined;
  const stillInPlace = () => !moved && rowsStillMatch(deps, layout, runIds);
  if (wholeColumns && readBefore && stillInPlace()) read = readBefore;
  else if (wholeColumns) {
    read = deps.sheet.readColumns([layout.columns.runId, layout.outputs.state]);
    layout.rowsOf = findPendingRows(deps, layout, read);
  } else if (!stillInPlace()) layout.rowsOf = findPendingRows(deps, layout);
  if (moved || runIds.some((runId, index) => String(layout.rowsOf.get(runId)) !== rowsBefore[index]))
    dates.rows.length = 0;

  const writes: { write: RowWrite; done: Finished }[] = [];
  const firstDateRows = new Set<number>();
  for (const item of done) {
    const { outcome, cells } = settledCells(item.outcome, item.before, deps.syncId, deps.scrub);
    // Extend has the outcome even when its row is gone: it is counted; the row counts as missing at the end.
    counts = addCounts(counts, outcomeCounts(outcome));
    const rows = layout.rowsOf.get(item.runId) ?? [];
    const firstDate = cells.syncedAt instanceof Date && !hadSyncedAt(item.before);
    for (const row of rows) {
      writes.push({ write: { row, values: cells }, done: { ...item, outcome } });
      if (firstDate) firstDateRows.add(row);
    }
    layout.rowsOf.delete(item.runId);
  }
  for (const row of firstDateRows) dates.rows.push(row);
  const dateRows = dates.now ? [...new Set(dates.rows)].sort((a, b) => a - b) : [];
  let unwritable: string[] = [];
  let refused = false;
  try {
    writeOutcomeCells(
      deps,
      layout,
      writes.map((entry) => entry.write),
      dateRows,
    );
  } catch {
    refused = true;
    // Row by row, each row's own date only: the earlier rows' formats are left (a refusal is not worth a retry).
    unwritable = writeRowByRow(deps, layout, writes, dates.now ? firstDateRows : new Set());
  }
  if (dates.now) dates.rows.length = 0;
  const rowsWritten = new Set(writes.map((entry) => entry.write.row)).size - new Set(unwritable).size;
  const result: CommitResult = {
    kind: "written",
    counts,
    rowsWritten: Math.max(0, rowsWritten),
    unwritable: unwritable.map(runIdTag),
  };
  if (read && !refused) result.columns = withStates(read, writes);
  return result;
}

/** The columns as read, with the Sync State cells the writes put in. */
function withStates(
  [ids = [], states = []]: CellValue[][],
  writes: readonly { write: RowWrite }[],
): [CellValue[], CellValue[]] {
  const written = [...states];
  for (const { write } of writes) {
    const state = write.values.state;
    if (state !== undefined) written[write.row - 1] = state;
  }
  return [ids, written];
}
