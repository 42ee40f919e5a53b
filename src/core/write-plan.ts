// Groups output cells into as few rectangular writes as possible: consecutive rows that write the same output
// columns, times runs of adjacent sheet columns. Only output columns are ever inside a rectangle, so a write can
// never touch what users typed.
import type { CellValue } from "./cell";
import type { OutputColumn } from "./headers";

export interface RowWrite {
  /** 1-based sheet row. */
  row: number;
  /** The output cells to write; columns left out keep what they hold. */
  values: Readonly<Partial<Record<OutputColumn, CellValue>>>;
}

export interface RangeWrite {
  /** 1-based sheet row and column of the top-left cell. */
  row: number;
  column: number;
  values: CellValue[][];
}

/** `outputColumns` maps each output column to its 0-based sheet column. */
export function planWrites(
  rows: readonly RowWrite[],
  outputColumns: Readonly<Record<OutputColumn, number>>,
): RangeWrite[] {
  const byRow = new Map<number, RowWrite>();
  for (const write of rows) byRow.set(write.row, write);
  const sorted = [...byRow.values()].sort((a, b) => a.row - b.row);

  const writes: RangeWrite[] = [];
  let group:
    | { first: number; signature: string; columns: [OutputColumn, number][]; rows: RowWrite[] }
    | undefined;
  const flush = () => {
    if (!group) return;
    // Runs of adjacent sheet columns within the group's columns, each one rectangle.
    let start = 0;
    for (let index = 1; index <= group.columns.length; index++) {
      const previous = group.columns[index - 1];
      const next = group.columns[index];
      if (next && previous && next[1] === previous[1] + 1) continue;
      const block = group.columns.slice(start, index);
      const firstColumn = block[0];
      if (firstColumn)
        writes.push({
          row: group.first,
          column: firstColumn[1] + 1,
          values: group.rows.map((write) => block.map(([column]) => write.values[column] ?? "")),
        });
      start = index;
    }
    group = undefined;
  };
  for (const write of sorted) {
    const columns: [OutputColumn, number][] = [];
    for (const column of Object.keys(write.values) as OutputColumn[]) {
      const index = outputColumns[column];
      if (index !== undefined) columns.push([column, index]);
    }
    columns.sort((a, b) => a[1] - b[1]);
    if (columns.length === 0) continue;
    const signature = columns.map(([column]) => column).join();
    const last = group?.rows[group.rows.length - 1];
    if (group && last && last.row + 1 === write.row && group.signature === signature) {
      group.rows.push(write);
    } else {
      flush();
      group = { first: write.row, signature, columns, rows: [write] };
    }
  }
  flush();
  return writes;
}
