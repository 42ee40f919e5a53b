// Groups output cells into as few rectangular writes as possible: consecutive rows that write the same output
// columns, times runs of adjacent sheet columns. Only output columns are ever inside a rectangle, so a write can
// never touch what users typed.
import type { CellValue } from "./cell";
import type { WritableColumn } from "./headers";

export interface RowWrite {
  /** 1-based sheet row. */
  row: number;
  /** The output cells to write; columns left out keep what they hold. */
  values: Readonly<Partial<Record<WritableColumn, CellValue>>>;
}

export interface RangeWrite {
  /** 1-based sheet row and column of the top-left cell. */
  row: number;
  column: number;
  values: CellValue[][];
}

/** `outputColumns` maps each column the add-on writes to its 0-based sheet column; absent ones are skipped. */
export function planWrites(
  rows: readonly RowWrite[],
  outputColumns: Readonly<Partial<Record<WritableColumn, number>>>,
): RangeWrite[] {
  let sorted: readonly RowWrite[] = rows;
  // Rows come in sheet order nearly always: then there is no later write of a row to keep, and nothing to sort.
  if (!inRowOrder(rows)) {
    const byRow = new Map<number, RowWrite>();
    for (const write of rows) byRow.set(write.row, write);
    sorted = [...byRow.values()].sort((a, b) => a.row - b.row);
  }

  const writes: RangeWrite[] = [];
  let group:
    | { first: number; signature: string; columns: [WritableColumn, number][]; rows: RowWrite[] }
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
  let lastKeys: string[] = [];
  let columns: [WritableColumn, number][] = [];
  let signature = "";
  for (const write of sorted) {
    // Rows with the same output columns in the same order, nearly all of them, share the work on them.
    const keys = Object.keys(write.values);
    if (!sameKeys(keys, lastKeys)) {
      lastKeys = keys;
      columns = [];
      for (const column of keys as WritableColumn[]) {
        const index = outputColumns[column];
        if (index !== undefined) columns.push([column, index]);
      }
      columns.sort((a, b) => a[1] - b[1]);
      signature = columns.map(([column]) => column).join();
    }
    if (columns.length === 0) continue;
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

function inRowOrder(rows: readonly RowWrite[]): boolean {
  for (let index = 1; index < rows.length; index++) {
    // As the sort below compares them, so anything it would reorder is sorted.
    if (!((rows[index - 1] as RowWrite).row - (rows[index] as RowWrite).row < 0)) return false;
  }
  return true;
}

function sameKeys(keys: readonly string[], others: readonly string[]): boolean {
  if (keys.length !== others.length) return false;
  for (let index = 0; index < keys.length; index++) if (keys[index] !== others[index]) return false;
  return true;
}
