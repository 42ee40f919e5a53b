// Groups output cells into as few rectangular writes as possible: consecutive rows times adjacent output
// columns. Input columns are never inside a rectangle, so a write can never touch what users typed.
import type { CellValue } from "./cell";
import type { OutputColumn } from "./headers";

export interface RowWrite {
  /** 1-based sheet row. */
  row: number;
  values: Readonly<Record<OutputColumn, CellValue>>;
}

export interface RangeWrite {
  /** 1-based sheet row and column of the top-left cell. */
  row: number;
  column: number;
  values: CellValue[][];
}

function runs<T>(sorted: readonly T[], isNext: (previous: T, next: T) => boolean): T[][] {
  const groups: T[][] = [];
  for (const item of sorted) {
    const current = groups[groups.length - 1];
    const last = current?.[current.length - 1];
    if (current && last !== undefined && isNext(last, item)) current.push(item);
    else groups.push([item]);
  }
  return groups;
}

/** `outputColumns` maps each output column to its 0-based sheet column. */
export function planWrites(
  rows: readonly RowWrite[],
  outputColumns: Readonly<Record<OutputColumn, number>>,
): RangeWrite[] {
  const byRow = [...new Map(rows.map((write) => [write.row, write])).values()].sort((a, b) => a.row - b.row);
  const columns = (Object.entries(outputColumns) as [OutputColumn, number][]).sort((a, b) => a[1] - b[1]);
  const columnBlocks = runs(columns, (previous, next) => next[1] === previous[1] + 1);
  const rowRuns = runs(byRow, (previous, next) => next.row === previous.row + 1);
  const writes: RangeWrite[] = [];
  for (const rowRun of rowRuns) {
    for (const block of columnBlocks) {
      writes.push({
        row: rowRun[0]?.row ?? 0,
        column: (block[0]?.[1] ?? 0) + 1,
        values: rowRun.map((write) => block.map(([column]) => write.values[column])),
      });
    }
  }
  return writes;
}
