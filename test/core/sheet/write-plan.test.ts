// Unit tests for src/core/sheet/write-plan.ts: output cells grouped into few rectangles, never outside the
// output set.
import { describe, expect, it } from "vitest";
import type { CellValue } from "../../../src/core/sheet/cell";
import type { OutputColumn } from "../../../src/core/sheet/headers";
import { planWrites, type RangeWrite, type RowWrite } from "../../../src/core/sheet/write-plan";

type Columns = Record<OutputColumn, number>;

/** Values that name their row and column, so a misplaced cell shows up in the assertion. */
function rowWrite(row: number, tag = ""): RowWrite {
  const cell = (column: string): CellValue => `${column}${row}${tag}`;
  return {
    row,
    values: {
      result: cell("result"),
      status: cell("status"),
      syncedAt: cell("syncedAt"),
      error: cell("error"),
      link: cell("link"),
      state: cell("state"),
    },
  };
}

// A B C ... : Run ID at 0, outputs contiguous at 5..10.
const CONTIGUOUS: Columns = { result: 5, status: 6, syncedAt: 7, error: 8, link: 9, state: 10 };
const ALL = ["result", "status", "syncedAt", "error", "link", "state"] as const;
const line = (row: number, columns: readonly OutputColumn[] = ALL, tag = ""): CellValue[] =>
  columns.map((column) => `${column}${row}${tag}`);

describe("planWrites", () => {
  it.each<[string, RowWrite[], Columns, RangeWrite[]]>([
    ["nothing to write", [], CONTIGUOUS, []],
    ["one row", [rowWrite(2)], CONTIGUOUS, [{ row: 2, column: 6, values: [line(2)] }]],
    [
      "contiguous rows and columns -> one rectangle",
      [rowWrite(2), rowWrite(3), rowWrite(4)],
      CONTIGUOUS,
      [{ row: 2, column: 6, values: [line(2), line(3), line(4)] }],
    ],
    [
      "a gap in the rows -> one rectangle per run of rows",
      [rowWrite(2), rowWrite(3), rowWrite(7), rowWrite(8), rowWrite(10)],
      CONTIGUOUS,
      [
        { row: 2, column: 6, values: [line(2), line(3)] },
        { row: 7, column: 6, values: [line(7), line(8)] },
        { row: 10, column: 6, values: [line(10)] },
      ],
    ],
    [
      "unsorted rows are sorted",
      [rowWrite(4), rowWrite(2), rowWrite(3), rowWrite(9)],
      CONTIGUOUS,
      [
        { row: 2, column: 6, values: [line(2), line(3), line(4)] },
        { row: 9, column: 6, values: [line(9)] },
      ],
    ],
    [
      "a row given twice is written once, with its last values",
      [rowWrite(2, "-first"), rowWrite(3), rowWrite(2, "-last")],
      CONTIGUOUS,
      [{ row: 2, column: 6, values: [line(2, ALL, "-last"), line(3)] }],
    ],
    [
      "output columns split by a user column -> one rectangle per block",
      [rowWrite(2), rowWrite(3)],
      { result: 1, status: 2, syncedAt: 4, error: 5, link: 6, state: 8 },
      [
        { row: 2, column: 2, values: [line(2, ["result", "status"]), line(3, ["result", "status"])] },
        {
          row: 2,
          column: 5,
          values: [line(2, ["syncedAt", "error", "link"]), line(3, ["syncedAt", "error", "link"])],
        },
        { row: 2, column: 9, values: [line(2, ["state"]), line(3, ["state"])] },
      ],
    ],
    [
      "output columns in another order than their creation order",
      [rowWrite(5)],
      { state: 0, link: 1, error: 2, syncedAt: 3, status: 4, result: 5 },
      [{ row: 5, column: 1, values: [line(5, ["state", "link", "error", "syncedAt", "status", "result"])] }],
    ],
    [
      "no two output columns adjacent",
      [rowWrite(2)],
      { result: 0, status: 2, syncedAt: 4, error: 6, link: 8, state: 10 },
      ALL.map((column, i) => ({ row: 2, column: 2 * i + 1, values: [[`${column}2`]] })),
    ],
  ])("%s", (_label, rows, columns, expected) => {
    expect(planWrites(rows, columns)).toEqual(expected);
  });

  it("writes only the columns it is given (the state column alone)", () => {
    const writes = planWrites([rowWrite(3), rowWrite(4)], { state: 10 } as Columns);
    expect(writes).toEqual([{ row: 3, column: 11, values: [["state3"], ["state4"]] }]);
  });

  it("never covers a column outside the output set, for many layouts", () => {
    const layouts: Columns[] = [
      CONTIGUOUS,
      { result: 1, status: 3, syncedAt: 4, error: 7, link: 8, state: 12 },
      { result: 20, status: 2, syncedAt: 19, error: 3, link: 0, state: 21 },
    ];
    const rows = [9, 2, 3, 5, 6, 7, 12, 3].map((row) => rowWrite(row));
    for (const layout of layouts) {
      const allowed = new Set(Object.values(layout));
      const covered: string[] = [];
      for (const write of planWrites(rows, layout)) {
        write.values.forEach((cells, r) => {
          expect(cells.length).toBe(write.values[0]?.length);
          cells.forEach((_, c) => {
            const column = write.column - 1 + c;
            expect(allowed.has(column)).toBe(true);
            covered.push(`${write.row + r}:${column}`);
          });
        });
      }
      // Every (row, output column) exactly once.
      expect(covered.sort()).toEqual(
        [2, 3, 5, 6, 7, 9, 12].flatMap((row) => [...allowed].map((column) => `${row}:${column}`)).sort(),
      );
    }
  });

  it("puts each value in its own row and column", () => {
    const layout: Columns = { result: 1, status: 3, syncedAt: 4, error: 7, link: 8, state: 12 };
    const byColumn = Object.fromEntries(Object.entries(layout).map(([name, index]) => [index, name]));
    for (const write of planWrites(
      [7, 2, 3, 4].map((row) => rowWrite(row)),
      layout,
    )) {
      write.values.forEach((cells, r) => {
        cells.forEach((value, c) => {
          expect(value).toBe(`${byColumn[write.column - 1 + c]}${write.row + r}`);
        });
      });
    }
  });
});
