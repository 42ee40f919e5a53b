// The start of a sync, right after it was planned from one read of the sheet: output columns created where
// missing, the outcomes known without a request written, and every row to send marked with the sync's id, all
// in as few rectangles as the rows allow.
import type { CellValue } from "./cell";
import { runIdTag } from "./fingerprint";
import { type ColumnMap, missingOutputColumns, OUTPUT_HEADERS, type OutputColumn } from "./headers";
import { markTag, type SyncCounts } from "./job";
import { outcomeCells, pendingStateCell, type RowBefore, type RowOutcome } from "./outcome";
import { outputColumnIndexes, type PlannedRow, type SyncPlan } from "./plan";
import type { SheetPort } from "./ports";
import { planWrites, type RowWrite } from "./write-plan";

export const COUNT_KEY: Readonly<Record<RowOutcome["kind"], keyof SyncCounts>> = {
  updated: "updated",
  failed: "failed",
  invalid: "invalid",
  unchanged: "unchanged",
  noop: "noop",
};

/** Creates missing output columns at the right end; returns the full map of output column indexes. */
export function ensureOutputColumns(
  sheet: SheetPort,
  columns: ColumnMap,
  headerWidth: number,
): Record<OutputColumn, number> {
  const missing = missingOutputColumns(columns);
  if (missing.length > 0) {
    sheet.appendColumns(missing.map((column) => OUTPUT_HEADERS[column]));
    missing.forEach((column, offset) => {
      columns.output[column] = headerWidth + offset;
    });
  }
  const indexes = outputColumnIndexes(columns);
  if (!indexes) throw new Error("output columns could not be created");
  return indexes;
}

export function beforeOf(row: PlannedRow): RowBefore {
  return { runId: row.runId, state: row.state, link: row.previous.link ?? "" };
}

export interface Begun {
  counts: Partial<SyncCounts>;
  rowsToSend: number;
  /** The values the plan was made from, with the state cells as just written: the first execution's read. */
  values: CellValue[][];
  /** Short tags of the rows marked to be sent, to recognise them at the end (see MAX_MARKS_REMEMBERED). */
  marks: string[];
}

/**
 * Writes the outcomes known without a request and marks the rows to send, writing only their state cells.
 * `values` is the read the plan was made from (the caller planned under the document lock, just now).
 */
export function beginSync(
  sheet: SheetPort,
  plan: SyncPlan,
  values: readonly (readonly CellValue[])[],
  outputs: Record<OutputColumn, number>,
  syncId: string,
): Begun {
  const writes: RowWrite[] = [];
  const counts: Partial<SyncCounts> = {};
  let rowsToSend = 0;
  const marks: string[] = [];
  let width = values[0]?.length ?? 0;
  for (const index of Object.values(outputs)) if (index + 1 > width) width = index + 1;
  const current = values.map((row) => {
    const copy = row.slice();
    while (copy.length < width) copy.push("");
    return copy;
  });
  // Columns ensureOutputColumns just appended are in the sheet but not in the read the plan was made from.
  const header = current[0];
  if (header)
    for (const column of Object.keys(outputs) as OutputColumn[])
      header[outputs[column]] = OUTPUT_HEADERS[column];
  for (const row of plan.rows) {
    let cells: RowWrite["values"];
    if ("outcome" in row.action) {
      cells = outcomeCells(row.action.outcome, beforeOf(row), syncId);
      const key = COUNT_KEY[row.action.outcome.kind];
      counts[key] = (counts[key] ?? 0) + 1;
    } else {
      rowsToSend += 1;
      marks.push(markTag(runIdTag(row.runId)));
      cells = { state: pendingStateCell(beforeOf(row), syncId, row.action.fingerprint) };
    }
    writes.push({ row: row.row, values: cells });
    const copy = current[row.row - 1];
    if (copy) copy[outputs.state] = cells.state ?? "";
  }
  sheet.write(planWrites(writes, outputs));
  return { counts, rowsToSend, values: current, marks };
}
