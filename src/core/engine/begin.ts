// The start of a job, right after it was planned from one read of the sheet: output columns created where
// missing, the outcomes known without a request written, and every row to work on marked with the job's id,
// all in as few rectangles as the rows allow.

import { runIdTag } from "../requests/fingerprint";
import type { CellValue } from "../sheet/cell";
import {
  type ColumnMap,
  missingOutputColumns,
  missingReadColumns,
  OUTPUT_HEADERS,
  type OutputColumn,
  READ_HEADERS,
  type ReadColumn,
} from "../sheet/headers";
import { planWrites, type RowWrite } from "../sheet/write-plan";
import { addCounts, emptyCounts, markTag, type SyncCounts } from "./job";
import { outcomeCells, outcomeCounts, pendingStateCell, type RowBefore } from "./outcome";
import { outputColumnIndexes, type PlannedRow, type SyncPlan } from "./plan";
import type { SheetPort } from "./ports";

/**
 * Creates missing output columns at the right end (and, for a job that reads runs, the missing read-only
 * columns); returns the full map of output column indexes, and whether it made the Sync State column. `columns`
 * is updated in place. `values`: the data range just read (under the document lock), whose size the sheet then
 * need not be asked for again. A new Sync State column is not hidden here: a job's start leaves that to its
 * first execution, which hides it while the pace makes it wait (`hideStateColumn`). The header cells are
 * committed by the caller's next write.
 */
export function addOutputColumns(
  sheet: SheetPort,
  columns: ColumnMap,
  values: readonly (readonly CellValue[])[],
  withReadColumns = false,
): { outputs: Record<OutputColumn, number>; stateColumnMade: boolean } {
  const headerWidth = values[0]?.length ?? 0;
  const stateColumnMade = columns.output.state === undefined;
  const missing = missingOutputColumns(columns);
  const missingReads = withReadColumns ? missingReadColumns(columns) : [];
  if (missing.length + missingReads.length > 0) {
    sheet.appendColumns(
      [
        ...missingReads.map((column) => READ_HEADERS[column]),
        ...missing.map((column) => OUTPUT_HEADERS[column]),
      ],
      { lastColumn: headerWidth, lastRow: values.length },
    );
    missingReads.forEach((column, offset) => {
      columns.read[column] = headerWidth + offset;
    });
    missing.forEach((column, offset) => {
      columns.output[column] = headerWidth + missingReads.length + offset;
    });
  }
  const outputs = outputColumnIndexes(columns);
  if (!outputs) throw new Error("output columns could not be created");
  return { outputs, stateColumnMade };
}

/** addOutputColumns for an execution under way: a Sync State column it had to make again is hidden at once. */
export function ensureOutputColumns(
  sheet: SheetPort,
  columns: ColumnMap,
  values: readonly (readonly CellValue[])[],
  withReadColumns = false,
): Record<OutputColumn, number> {
  const { outputs, stateColumnMade } = addOutputColumns(sheet, columns, values, withReadColumns);
  if (stateColumnMade) sheet.hideColumn(outputs.state);
  return outputs;
}

export function beforeOf(row: PlannedRow): RowBefore {
  return {
    runId: row.runId,
    state: row.state,
    link: row.previous.link ?? "",
    syncedAt: row.previous.syncedAt ?? "",
  };
}

export interface Begun {
  counts: SyncCounts;
  rowsToSend: number;
  /** The values the plan was made from, with the state cells as just written: the first execution's read. */
  values: CellValue[][];
  /** Short tags of the rows marked to be sent, to recognise them at the end (see MAX_MARKS_REMEMBERED). */
  marks: string[];
}

export interface BeginOptions {
  /** A refresh or preview: marks keep what Extend last accepted, as a read changes nothing there. */
  forReading?: boolean;
  /** A preview writes no outcome of rows it does not read (invalid, nothing to change): it only counts them. */
  countOnly?: boolean;
}

/**
 * Writes the outcomes known without a request and marks the rows to work on, writing only their state cells.
 * `values` is the read the plan was made from (the caller planned under the document lock, just now).
 */
export function beginSync(
  sheet: SheetPort,
  plan: SyncPlan,
  values: readonly (readonly CellValue[])[],
  outputs: Record<OutputColumn, number>,
  syncId: string,
  options: BeginOptions = {},
): Begun {
  const writes: RowWrite[] = [];
  let counts = emptyCounts();
  let rowsToSend = 0;
  const marks: string[] = [];
  let width = values[0]?.length ?? 0;
  for (const index of [...Object.values(outputs), ...Object.values(plan.columns.read)])
    if (index !== undefined && index + 1 > width) width = index + 1;
  const current = values.map((row) => {
    const copy = row.slice();
    while (copy.length < width) copy.push("");
    return copy;
  });
  // Columns addOutputColumns just appended are in the sheet but not in the read the plan was made from.
  const header = current[0];
  if (header) {
    for (const column of Object.keys(outputs) as OutputColumn[])
      header[outputs[column]] = OUTPUT_HEADERS[column];
    for (const column of Object.keys(plan.columns.read) as ReadColumn[]) {
      const index = plan.columns.read[column];
      if (index !== undefined && index < header.length) header[index] = READ_HEADERS[column];
    }
  }
  for (const row of plan.rows) {
    let cells: RowWrite["values"];
    if ("outcome" in row.action) {
      counts = addCounts(counts, outcomeCounts(row.action.outcome));
      if (options.countOnly) continue;
      cells = outcomeCells(row.action.outcome, beforeOf(row), syncId);
    } else {
      rowsToSend += 1;
      marks.push(markTag(runIdTag(row.runId)));
      const plannedPrint = "fingerprint" in row.action ? row.action.fingerprint : "";
      cells = { state: pendingStateCell(beforeOf(row), syncId, plannedPrint, options.forReading) };
    }
    writes.push({ row: row.row, values: cells });
    const copy = current[row.row - 1];
    if (copy) copy[outputs.state] = cells.state ?? "";
  }
  sheet.write(planWrites(writes, { ...plan.columns.read, ...outputs }));
  return { counts, rowsToSend, values: current, marks };
}
