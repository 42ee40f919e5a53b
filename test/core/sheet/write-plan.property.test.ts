// Property of src/core/sheet/write-plan.ts (fast-check): the writes planned are exactly those the first
// implementation planned (every row keyed and sorted, each row's columns worked out on their own), for rows
// in any order, with repeats, and any mix of output columns.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { WritableColumn } from "../../../src/core/sheet/headers";
import { planWrites, type RangeWrite, type RowWrite } from "../../../src/core/sheet/write-plan";

// The implementation as it was, kept verbatim as the reference.
function referencePlanWrites(
  rows: readonly RowWrite[],
  outputColumns: Readonly<Partial<Record<WritableColumn, number>>>,
): RangeWrite[] {
  const byRow = new Map<number, RowWrite>();
  for (const write of rows) byRow.set(write.row, write);
  const sorted = [...byRow.values()].sort((a, b) => a.row - b.row);

  const writes: RangeWrite[] = [];
  let group:
    | { first: number; signature: string; columns: [WritableColumn, number][]; rows: RowWrite[] }
    | undefined;
  const flush = () => {
    if (!group) return;
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
    const columns: [WritableColumn, number][] = [];
    for (const column of Object.keys(write.values) as WritableColumn[]) {
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

const COLUMNS: WritableColumn[] = [
  "result",
  "status",
  "syncedAt",
  "error",
  "link",
  "state",
  "credits",
  "failure",
];
const values = fc.shuffledSubarray(COLUMNS).chain((keys) =>
  fc
    .array(fc.oneof(fc.string({ maxLength: 3 }), fc.integer()), {
      minLength: keys.length,
      maxLength: keys.length,
    })
    .map((cells) => Object.fromEntries(keys.map((key, index) => [key, cells[index]]))),
);
/** Mostly runs of rows in order sharing one shape, as a sync writes them; sometimes anything. */
const rows: fc.Arbitrary<RowWrite[]> = fc.oneof(
  fc
    .tuple(fc.integer({ min: 2, max: 5 }), values, fc.integer({ min: 0, max: 30 }))
    .chain(([first, shape, count]) =>
      fc
        .array(fc.oneof({ weight: 6, arbitrary: fc.constant(shape) }, { weight: 1, arbitrary: values }), {
          minLength: count,
          maxLength: count,
        })
        .map((all) => all.map((cells, index) => ({ row: first + index, values: cells }))),
    ),
  fc.array(fc.record({ row: fc.integer({ min: 2, max: 12 }), values }), { maxLength: 25 }),
);
const outputColumns = fc
  .array(fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }), {
    minLength: COLUMNS.length,
    maxLength: COLUMNS.length,
  })
  .map((indexes) => {
    const map: Partial<Record<WritableColumn, number>> = {};
    COLUMNS.forEach((column, at) => {
      const index = indexes[at];
      if (index !== undefined) map[column] = index;
    });
    return map;
  });

describe("planWrites", () => {
  it("plans what every row worked out on its own planned", () => {
    fc.assert(
      fc.property(rows, outputColumns, (writes, columns) => {
        expect(planWrites(writes, columns)).toEqual(referencePlanWrites(writes, columns));
      }),
      { numRuns: 2000 },
    );
  });
});
